"""Shared helpers for the fault cases (tests/hostile/test_faults_*.py): a small dataset and a
previous run to protect, snapshots of --out, what run.json must say about the folder, and real
processes that hold the lock on --out or are killed with SIGKILL at a chosen step."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers_cli import FIXTURES, Result, run_cli, write_staff_dataset

from equality_reports.outputs import LOCK, RECORD, TEMP_PREFIX

OK_DIR = FIXTURES / "plugins_ok"
REPORT = "local-headcount"


def run_args(data: Path, out: Path, *extra: object) -> list[object]:
    """``run local-headcount`` from ``data`` into ``out`` (the test plugin: fast, every format)."""
    return ["run", REPORT, "--plugins-dir", OK_DIR, "--data", data, "--out", out, *extra]


def previous_run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: object) -> tuple[Path, Path]:
    """Last year's outputs in ``tmp_path/out`` (every format) and this year's dataset: returns both."""
    data = write_staff_dataset(tmp_path / "data")
    out = tmp_path / "out"
    res = run_cli(run_args(data, out, *extra), capsys)
    assert res.code == 0, res.err
    write_staff_dataset(data, white=41)  # this year's data differs: new outputs would differ too
    return data, out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path: bytes), hidden ones included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """What a run must never leave behind: temporary folders and files, and its lock."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX) or p.name == LOCK)


def assert_failed_cleanly(res: Result, code: int, *phrases: str) -> None:
    """Exit ``code`` with every phrase in the message, and no traceback."""
    assert res.code == code, (res.code, res.out, res.err)
    for phrase in phrases:
        assert phrase in res.err, (phrase, res.err)
    assert "Traceback" not in res.err and "Internal error" not in res.err, res.err


def assert_record_matches_folder(out: Path) -> dict[str, object]:
    """run.json lists exactly the visible entries of ``out``: its reports' files, the run's notes for
    the operator and other_files."""
    record = json.loads((out / RECORD).read_text(encoding="utf-8"))
    listed = [f for r in record["reports"] for f in r["files"]] + record["other_files"]
    listed += [record["internal_notes"]["file"]] if record.get("internal_notes") else []
    present = sorted(p.name for p in out.iterdir() if not p.name.startswith(".") and p.name != RECORD)
    assert sorted(listed) == present, (listed, present)
    return record


def fail_with(err: int, after: bytes = b"") -> object:
    """A renderer ``render`` that writes ``after`` (a partial file) to its target, then fails with ``err``."""

    def render(_self: object, _document: object, target: Path, _settings: object) -> None:
        Path(target).write_bytes(after)
        raise OSError(err, os.strerror(err), str(target))

    return render


# -- real processes -----------------------------------------------------------------------------

HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from equality_reports.outputs import claim

    with claim(Path(sys.argv[1]), print):
        print("locked", flush=True)
        sys.stdin.read()  # hold until the test closes stdin (or kills us)
""")


@contextmanager
def lock_held(out: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding ``out`` (as a running run does) until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        if proc.poll() is None:
            proc.stdin.close()  # type: ignore[union-attr]
            proc.wait(timeout=30)


#: runs the command line, SIGKILLing itself at a step named by FAULT_KILL_AT:
#: "commit" (everything rendered, nothing moved yet) or "replace:N" (the Nth rename into --out)
KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from equality_reports import outputs
    from equality_reports.cli import main

    step = os.environ["FAULT_KILL_AT"]
    out = Path(os.environ["FAULT_OUT"]).resolve()
    if step == "commit":
        outputs.OutputFolder.commit = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
    else:
        real, left = os.replace, [int(step.split(":")[1])]

        def replace(src, dest):
            if Path(dest).resolve().parent == out:
                left[0] -= 1
                if not left[0]:
                    os.kill(os.getpid(), signal.SIGKILL)
            return real(src, dest)

        outputs.os.replace = replace
    main(sys.argv[1:])
""")


def run_killed(data: Path, out: Path, step: str) -> int:
    """Run into ``out`` in a separate process killed with SIGKILL at ``step``; returns its exit status."""
    args = [str(a) for a in run_args(data, out)]
    proc = subprocess.run([sys.executable, "-c", KILLER, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "FAULT_KILL_AT": step, "FAULT_OUT": str(out)})
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)
    return proc.returncode


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` made read-only. chmod binds nobody when the tests run as root, so then creating
    anything inside it also fails as the kernel would for anyone else (EACCES from os.open/os.mkdir)."""
    folder.chmod(0o555)
    try:
        with pytest.MonkeyPatch.context() as mp:
            if os.geteuid() == 0:
                _refuse_writes_inside(folder, mp)
            yield
    finally:
        folder.chmod(0o755)


def _refuse_writes_inside(folder: Path, mp: pytest.MonkeyPatch) -> None:
    real_open, real_mkdir = os.open, os.mkdir

    def refused(path: object) -> PermissionError | None:
        name = os.fsdecode(path)  # type: ignore[call-overload]
        if Path(os.path.abspath(name)).is_relative_to(folder.absolute()):
            return PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        return None

    def fake_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR) and (exc := refused(path)):
            raise exc
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    def fake_mkdir(path: object, *args: object, **kwargs: object) -> None:
        if exc := refused(path):
            raise exc
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    mp.setattr(os, "open", fake_open)
    mp.setattr(os, "mkdir", fake_mkdir)


def dead_pid() -> int:
    """The pid of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
