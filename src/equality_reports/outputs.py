"""Writing a run's outputs into ``--out`` without damaging what is already there.

* :func:`claim` holds ``--out`` for one run: an exclusive ``flock`` on ``.equality-reports.lock``
  (which records the holder's pid, host and start time). A second run into the same folder stops
  with exit 2 naming the first; a lock left by a process that died is taken over.
* Each run writes into its own hidden temporary folder, ``.equality-reports-tmp-<pid>-<random>``,
  and removes only that one and those whose process has ended.
* :meth:`OutputFolder.commit` runs after everything, run.json included, has been written to the
  temporary folder: it removes the old run.json, renames the outputs into place and renames the
  new run.json in last. An interrupted commit leaves no run.json rather than one describing other
  files, and a failure before it (a report, a full disk) replaces nothing.
* A write that fails because of the folder or the disk (no space, read-only, no permission)
  becomes an :class:`OutputError` (exit 2) saying what failed, where, and what to do.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from equality_reports.errors import OutputError

TEMP_PREFIX = ".equality-reports-tmp-"
LOCK = ".equality-reports.lock"
RECORD = "run.json"

_REASONS = {
    errno.ENOSPC: ("the disk is full", "Free some space, or choose another --out folder"),
    errno.EDQUOT: ("the disk quota is used up", "Free some space, or choose another --out folder"),
    errno.EROFS: ("the file system is read-only", "Choose a folder you can write to"),
    errno.EACCES: ("permission denied", "Choose a folder you can write to, or fix its permissions"),
    errno.EPERM: ("permission denied", "Choose a folder you can write to, or fix its permissions"),
    errno.ENOTDIR: ("part of the path is a file, not a folder", "Give a folder for --out"),
}


class OutputFolder:
    """``--out`` while this run holds its lock."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.workdir: Path | None = None

    def new_workdir(self) -> Path:
        """This run's temporary folder inside ``--out`` (removed by :meth:`remove_workdir`)."""
        try:
            self.workdir = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=self.out))
        except OSError as exc:
            raise write_error(exc, self.out) from None
        return self.workdir

    def remove_workdir(self) -> None:
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def check_write(self, exc: BaseException) -> None:
        """Raise :class:`OutputError` when ``exc`` is the folder's or the disk's fault rather than a
        report's (no space, read-only, no permission in ``--out``): the run stops, nothing replaced."""
        # a writer's own error wrapping the disk's (xlsxwriter's FileCreateError holds the OSError)
        chain: BaseException | None = exc
        seen = 0
        while chain is not None and not isinstance(chain, OSError) and seen < 10:
            chain = next((a for a in chain.args if isinstance(a, OSError)), None) or chain.__cause__ or \
                chain.__context__
            seen += 1
        if not isinstance(chain, OSError):
            return
        error = chain
        inside = error.filename is not None and Path(os.path.abspath(os.fsdecode(error.filename))).is_relative_to(
            self.out.absolute())
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) or (
                inside and error.errno in (errno.EACCES, errno.EPERM)):
            raise write_error(error, self.out) from exc

    def commit(self, outputs: list[Path], records: dict[str, dict[str, Any]]) -> Path:
        """Move the staged ``outputs`` into ``--out`` under their names, with ``records`` (relative
        path: JSON content) and run.json (``records[RECORD]``) last. Returns run.json's path.

        Everything is written in the temporary folder first, so a full disk fails here before
        anything is replaced; then the old run.json is removed and only renames follow. run.json
        lists, as ``other_files``, what is in ``--out`` that this run did not write."""
        assert self.workdir is not None
        # a folder where a file goes (or the reverse) is no earlier output: keep it
        for name, is_folder in [(src.name, src.is_dir()) for src in outputs] + [(RECORD, False)]:
            target = self.out / name
            if target.exists() and not target.is_symlink() and target.is_dir() != is_folder:
                kind = "a folder" if target.is_dir() else "a file"
                raise OutputError(f"cannot write {target}: {kind} of that name, which this tool did not write, is "
                                  f"in the way. Nothing in {self.out} was replaced. Move or rename it, or choose "
                                  f"another --out.")
        ours = {p.name for p in outputs} | {RECORD}
        records[RECORD]["other_files"] = sorted(
            p.name for p in self.out.iterdir() if not p.name.startswith(".") and p.name not in ours)
        staged = {name: self._stage(name, content) for name, content in records.items()}
        attic = self.workdir / ".replaced"
        try:
            (self.out / RECORD).unlink(missing_ok=True)
            for src in outputs:
                _replace(src, self.out / src.name, attic)
            for name in sorted(staged, key=lambda n: n == RECORD):
                folder = (self.out / name).parent
                if folder != self.out and folder.is_symlink():  # never write through a link out of --out
                    folder.unlink()
                folder.mkdir(exist_ok=True)
                os.replace(staged[name], self.out / name)
        except OSError as exc:
            raise write_error(exc, self.out, "Some outputs may already be replaced and run.json is "
                                             "missing (so that it describes no mix of files): run again") from None
        return self.out / RECORD

    def _stage(self, name: str, content: dict[str, Any]) -> Path:
        """Write a JSON record into the temporary folder, with the same file mode as the outputs."""
        assert self.workdir is not None
        path = self.workdir / ".records" / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8",
                            newline="\n")
        except OSError as exc:
            raise write_error(exc, self.out) from None
        return path


@contextmanager
def claim(out: Path, progress: Callable[[str], None]) -> Iterator[OutputFolder]:
    """Hold ``out`` for one run: create it if needed, lock it and remove what ended runs left.

    A folder created here and left empty (the run stopped before writing) is removed again."""
    created = _make_folder(out)
    try:
        fd = _lock(out, progress)
    except BaseException:
        if created:
            _remove_if_empty(out)
        raise
    folder = OutputFolder(out)
    try:
        _remove_stale_temp(out)
        yield folder
    finally:
        folder.remove_workdir()
        (out / LOCK).unlink(missing_ok=True)  # while still locked: see _lock
        os.close(fd)
        if created:
            _remove_if_empty(out)


def write_error(exc: OSError, out: Path, consequence: str = "") -> OutputError:
    """A clear message for a failed write: what failed, which path, what to do."""
    reason, fix = _REASONS.get(exc.errno or 0, (exc.strerror or str(exc), "Check the folder, or choose another --out"))
    where = os.fsdecode(exc.filename) if exc.filename is not None else str(out)
    return OutputError(f"cannot write {where}: {reason}. "
                       f"{consequence or f'Nothing in {out} was replaced'}. {fix}.")


def _make_folder(out: Path) -> bool:
    """Create ``out`` (and its parents) if missing; True when this call created it."""
    if out.is_dir():
        return False
    if out.exists() or out.is_symlink():
        raise OutputError(f"--out {out}: is a file, not a folder. Give a folder for the outputs "
                          f"(it is created if missing).")
    try:
        out.mkdir(parents=True)
    except FileExistsError:  # created meanwhile by another run: the lock decides
        return False
    except OSError as exc:
        raise write_error(exc, out) from None
    return True


def _lock(out: Path, progress: Callable[[str], None]) -> int:
    """An exclusive lock on ``out``; its file then records this run. Raises :class:`OutputError`
    when another live run holds it.

    The holder removes the lock file before releasing it, so a run that opened the old file just
    before must check, once locked, that the file it locked is still the one at the path."""
    path = out / LOCK
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise write_error(exc, out) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd, wait=True)
            os.close(fd)
            raise OutputError(
                f"--out {out} is in use by another run ({holder}). Two runs writing into one folder would "
                f"replace each other's files: wait for that run to finish, or choose another --out.") from None
        try:
            if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    left = _holder(fd)
    if left:
        progress(f"note: --out {out} was left locked by a run that stopped ({left}); taking it over and "
                 f"removing its temporary files")
    me = {"pid": os.getpid(), "host": socket.gethostname(),
          "started_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
          "command": [Path(sys.argv[0]).name, *sys.argv[1:]]}
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(me) + "\n").encode(), 0)
    except OSError as exc:
        os.close(fd)
        raise write_error(exc, out) from None
    return fd


def _holder(fd: int, wait: bool = False) -> str:
    """Who the lock file says holds the lock: 'pid 123 on host, started at ...', or '' if nobody
    wrote it. With ``wait``, give a run that has just locked a moment to write its details."""
    for _attempt in range(10 if wait else 1):
        try:
            info = json.loads(os.pread(fd, 4096, 0) or b"null")
        except (OSError, ValueError):
            info = None
        if isinstance(info, dict):
            return f"pid {info.get('pid')} on {info.get('host')}, started at {info.get('started_at')}"
        if wait:
            time.sleep(0.05)
    return "its details are not recorded yet" if wait else ""


def _remove_stale_temp(out: Path) -> None:
    """Remove temporary folders of runs that have ended: named with a pid no longer running (or
    this process's own, left by an earlier run in it: this run holds the lock, so none is in use)."""
    for path in out.glob(TEMP_PREFIX + "*"):
        pid = _pid_of(path.name)
        if pid is None or (pid != os.getpid() and _alive(pid)):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _pid_of(name: str) -> int | None:
    head = name[len(TEMP_PREFIX):].split("-", 1)[0]
    return int(head) if head.isdigit() and int(head) > 0 else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user
        return True
    return True


def _replace(src: Path, dest: Path, attic: Path) -> None:
    """Rename ``src`` to ``dest``. A folder (or a file replacing a folder) cannot be renamed over
    the old one: the old one is first moved into the temporary folder (removed with it)."""
    if src.is_dir() or (dest.is_dir() and not dest.is_symlink()):
        if os.path.lexists(dest):
            attic.mkdir(exist_ok=True)
            os.replace(dest, attic / dest.name)
    os.replace(src, dest)


def _remove_if_empty(out: Path) -> None:
    try:
        out.rmdir()
    except OSError:
        pass
