"""Which evidence files the pack may read: regular files inside the evidence folder, nothing else.

The evidence folder is the dataset folder, or ``evidence_root`` in dataset.toml (a folder inside
the dataset folder: one outside it is refused, and then so is every evidence file). A location is
checked after following symbolic links: an absolute path, a ``..`` segment, a link leading out of
the folder, a folder, device, pipe or socket, a file with other names (a hard link, which may be a
file from anywhere on the disk), and anything under /proc, /sys or /dev are refused; so is a file
larger than the limit (``evidence_file_mb`` under ``[limits]``). Copying is streamed and stops at
the limit even if the file grows after it was checked.
"""

from __future__ import annotations

import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from equality_reports import Dataset, link_target, utf16_encoding

#: what a location is
WEB, UNSAFE_LINK, NONE, FILE, MISSING, REFUSED = "web", "unsafe link", "none", "file", "missing", "refused"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_ABSOLUTE = re.compile(r"^([/\\~]|[A-Za-z]:)")
_SYSTEM = (Path("/proc"), Path("/sys"), Path("/dev"))
_CHUNK = 1 << 20
MB = 1 << 20


@dataclass(frozen=True)
class Located:
    """Where an evidence location leads: its kind, the file (kind FILE) and why it was refused."""

    kind: str
    path: Path | None = None
    reason: str = ""


@dataclass(frozen=True)
class EvidenceFolder:
    """The folder evidence files must be in, and the largest file copied."""

    root: Path | None
    max_bytes: int
    #: the dataset folder, which the evidence folder must be inside
    base: Path | None = None
    #: whether ``evidence_root`` leads out of the dataset folder (every file is then refused)
    outside: bool = False

    @classmethod
    def of(cls, dataset: Dataset) -> EvidenceFolder:
        base = dataset.path if dataset.path is None or dataset.path.is_dir() else dataset.path.parent
        configured = dataset.config.get("evidence_root")
        root = base / Path(configured).expanduser() if base is not None and isinstance(configured, str) \
            else base
        outside = root is not None and base is not None and not _real(root).is_relative_to(_real(base))
        return cls(root, dataset.limits.evidence_file_mb * MB, base, outside)

    def locate(self, location: str) -> Located:
        """Classify one evidence location (nothing is opened)."""
        if not location:
            return Located(NONE)
        if link_target(location) is not None and _SCHEME.match(location):
            return Located(WEB)
        if _SCHEME.match(location) and not _ABSOLUTE.match(location):
            return Located(UNSAFE_LINK, reason="only http, https and mailto addresses become links")
        if re.search(r"[\x00-\x1f\x7f]", location):
            return Located(REFUSED, reason="the path holds control characters")
        if _ABSOLUTE.match(location):
            return Located(REFUSED, reason="an absolute path (or a drive or network path) is not allowed")
        parts = location.replace("\\", "/").split("/")
        if ".." in parts:
            return Located(REFUSED, reason="a path with '..' could leave the evidence folder")
        if self.root is None:
            return Located(REFUSED, reason="the dataset has no folder to find evidence files in")
        if self.outside:
            return Located(REFUSED, reason=f"evidence_root ({self.root}) is outside the dataset folder")
        candidate = self.root.joinpath(*[p for p in parts if p not in ("", ".")])
        if not candidate.exists() and not candidate.is_symlink():
            return Located(MISSING, candidate)
        return self._inside(candidate)

    def _inside(self, candidate: Path) -> Located:
        assert self.root is not None
        real, root = _real(candidate), _real(self.root)
        if not real.is_relative_to(root) or any(real.is_relative_to(s) for s in _SYSTEM):
            return Located(REFUSED, reason=f"it leads outside the evidence folder {root} (through a link)")
        try:
            info = real.stat()
        except OSError:
            return Located(MISSING, candidate)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe" if stat.S_ISFIFO(info.st_mode) \
                else "a device or socket"
            return Located(REFUSED, reason=f"it is {kind}, not a file")
        if info.st_nlink > 1:
            return Located(REFUSED, reason="it has other names (a hard link), so it may be a file from outside "
                                           "the evidence folder: copy the file into the folder instead")
        if info.st_size > self.max_bytes:
            return Located(REFUSED, reason=f"it is {info.st_size / MB:,.0f} MB, more than the limit of "
                                           f"{self.max_bytes // MB:,} MB (evidence_file_mb under [limits])")
        return Located(FILE, real)


def read_text_bounded(source: Path, max_bytes: int) -> str:
    """The text of ``source``, at most ``max_bytes`` of it, read as :func:`copy_bounded` reads (no
    final link followed, no blocking on a pipe): UTF-16 (:func:`equality_reports.utf16_encoding`), else UTF-8, else
    Windows-1252, undecodable bytes replaced."""
    buffer = io.BytesIO()
    try:
        copy_bounded(source, buffer, max_bytes)
    except OSError:
        return ""  # copying it fails the same way, with the message
    data = buffer.getvalue()
    if utf16 := utf16_encoding(data):
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def copy_bounded(source: Path, target: BinaryIO, max_bytes: int) -> None:
    """Stream ``source`` into ``target`` in chunks. OSError when, since it was checked, it has been
    replaced by a link, pipe or device, or has grown past ``max_bytes`` (opened without following a
    final link and without blocking on a pipe, then checked again on the open file)."""
    fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or opened.st_nlink > 1:
            raise OSError(f"{source} is no longer a regular file with one name")
        copied = 0
        while chunk := fh.read(_CHUNK):
            copied += len(chunk)
            if copied > max_bytes:
                raise OSError(f"{source} grew past {max_bytes // MB:,} MB while it was copied")
            target.write(chunk)


def _real(path: Path) -> Path:
    """Where ``path`` leads, links followed; a loop of links gives where it loops (``Path.resolve``
    raises RuntimeError on one), and the file is then no regular file."""
    return Path(os.path.realpath(path))
