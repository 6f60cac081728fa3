"""Fault cases: two runs into one --out, runs killed with SIGKILL, what dead runs leave behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _fault_helpers import (
    HOLDER,
    REPORT,
    assert_failed_cleanly,
    assert_record_matches_folder,
    dead_pid,
    kill,
    leftovers,
    lock_held,
    previous_run,
    run_args,
    run_killed,
    snapshot,
)
from helpers_cli import run_cli

from equality_reports.outputs import LOCK, RECORD, TEMP_PREFIX


def test_second_run_into_a_held_folder_exits_2_naming_the_first(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data, out = previous_run(tmp_path, capsys)
    with lock_held(out) as holder:
        before = snapshot(out)
        res = run_cli(run_args(data, out), capsys)
        assert_failed_cleanly(res, 2, f"--out {out} is in use by another run", f"pid {holder.pid} on ",
                              "started at 20", "wait for that run to finish, or choose another --out")
        # the running one's working folders and files are untouched
        assert snapshot(out) == before
        assert leftovers(out) == [LOCK]
    assert leftovers(out) == []  # the holder removed its lock when it finished


def test_two_real_runs_at_once_one_wins_and_the_folder_is_consistent(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    data, out = previous_run(tmp_path, capsys)
    cmd = [sys.executable, "-m", "equality_reports", *map(str, run_args(data, out))]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    codes = sorted(code for code, _err in results)
    # either both ran one after the other, or the second met the first's lock: never both failing
    assert codes in ([0, 0], [0, 2]), results
    for code, err in results:
        if code == 2:
            assert "is in use by another run" in err and "Traceback" not in err
    assert leftovers(out) == []
    assert_record_matches_folder(out)


def test_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, out = previous_run(tmp_path, capsys)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    kill(holder)
    assert json.loads((out / LOCK).read_text())["pid"] == holder.pid  # the dead run's lock is still there
    res = run_cli(run_args(data, out), capsys)
    assert res.code == 0, res.err
    assert f"left locked by a run that stopped (pid {holder.pid} on " in res.err
    assert leftovers(out) == []
    assert_record_matches_folder(out)


def test_only_temporary_folders_of_ended_runs_are_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, out = previous_run(tmp_path, capsys)
    dead = out / f"{TEMP_PREFIX}{dead_pid()}-abc"
    (dead / REPORT).mkdir(parents=True)
    (dead / REPORT / "half.docx").write_bytes(b"PK")
    legacy = out / f"{TEMP_PREFIX}k3j2h1"  # no pid: an older version's, owner unknown
    legacy.mkdir()
    with lock_held(tmp_path / "elsewhere") as alive:  # a live process that is not writing here
        live = out / f"{TEMP_PREFIX}{alive.pid}-xyz"
        live.mkdir()
        res = run_cli(run_args(data, out), capsys)
        assert res.code == 0, res.err
    assert not dead.exists()
    assert live.is_dir() and legacy.is_dir()
    assert sorted(p.name for p in out.glob(TEMP_PREFIX + "*")) == sorted([live.name, legacy.name])


def test_killed_after_rendering_leaves_last_years_files_and_record(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data, out = previous_run(tmp_path, capsys)
    before = snapshot(out)
    run_killed(data, out, "commit")
    after = snapshot(out)
    # only the dead run's lock and its temporary folder were added; nothing else changed
    assert {k: v for k, v in after.items() if k.split("/")[0] not in leftovers(out)} == before
    assert [n for n in leftovers(out) if n.startswith(TEMP_PREFIX)]
    assert_record_matches_folder(out)
    res = run_cli(run_args(data, out), capsys)  # the next run cleans up after it
    assert res.code == 0, res.err
    assert "taking it over" in res.err
    assert leftovers(out) == []


def _entries(folder: Path) -> dict[str, dict[str, bytes]]:
    """Each visible output of ``folder`` (run.json aside) with its content (a folder's files)."""
    out: dict[str, dict[str, bytes]] = {}
    for path in folder.iterdir():
        if not path.name.startswith(".") and path.name != RECORD:
            out[path.name] = snapshot(path) if path.is_dir() else {"": path.read_bytes()}
    return out


@pytest.mark.parametrize("step", ["replace:2", "replace:3", "replace:5"])
def test_killed_while_replacing_never_leaves_a_record_of_other_files(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str],
                                                                       step: str) -> None:
    """Killed at the 2nd or 3rd output rename (the 3rd is the CSV folder, swapped in two renames) or
    at run.json's: every output left is whole, last year's or this year's, and no run.json claims them."""
    data, out = previous_run(tmp_path, capsys)
    old = _entries(out)
    assert run_cli(run_args(data, tmp_path / "new"), capsys).code == 0  # this year's, for comparison
    new = _entries(tmp_path / "new")
    assert old != new
    run_killed(data, out, step)
    assert not (out / RECORD).exists()
    left = _entries(out)
    assert set(left) <= set(old)
    assert all(content in (old[name], new[name]) for name, content in left.items())
    assert any(content == new[name] for name, content in left.items())
    res = run_cli(run_args(data, out), capsys)
    assert res.code == 0, res.err
    assert leftovers(out) == []
    assert _entries(out) == new
    assert assert_record_matches_folder(out)["other_files"] == []


def test_interrupt_between_outputs_and_record_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C after the outputs are in place but before run.json: no stale run.json, nothing left over."""
    from equality_reports import outputs

    data, out = previous_run(tmp_path, capsys)
    real = os.replace

    def replace(src: object, dest: object) -> None:
        if Path(str(dest)).name == RECORD:
            raise KeyboardInterrupt
        real(src, dest)  # type: ignore[arg-type]

    monkeypatch.setattr(outputs.os, "replace", replace)
    res = run_cli(run_args(data, out), capsys)
    assert res.code == 130 and "Traceback" not in res.err
    assert not (out / RECORD).exists()
    assert leftovers(out) == []
