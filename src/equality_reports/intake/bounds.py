"""Bounds on what intake reads, so that no input can exhaust memory or time.

- a table path must be a regular file (after following symbolic links): not a device such as
  /dev/zero, a pipe or a folder;
- a zip-based workbook (.xlsx, .xlsm, .ods) is checked for its total unpacked size and each
  part's compression ratio before anything unpacks it (a 1 MB file can hold a 1 GiB string);
- a table may have at most so many columns (a CSV's first lines are counted before pandas parses
  the body) and a text cell at most so many characters (Excel's own maximum by default).

The limits are set under ``[limits]`` in dataset.toml (:data:`LIMIT_KEYS`); evidence files have a
size limit of their own, used by the evidence pack.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from equality_reports.errors import InputError

if TYPE_CHECKING:
    from equality_reports.intake.xlsx import SheetStructure

MB = 1 << 20
#: workbook formats that are zip archives
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
#: a part smaller than this unpacked is never refused for its compression ratio
_RATIO_FLOOR = MB


@dataclass(frozen=True)
class Limits:
    """The limits in force for one dataset (defaults suit any real HR extract)."""

    workbook_mb: int = 512
    compression_ratio: int = 200
    columns: int = 1_000
    cell_characters: int = 32_767
    evidence_file_mb: int = 100


#: the keys of [limits] in dataset.toml, with what each bounds (docs/data-contract.md)
LIMIT_KEYS: dict[str, str] = {
    "workbook_mb": "total unpacked size of an .xlsx, .xlsm or .ods workbook, in MB",
    "compression_ratio": "unpacked size over packed size of any part of such a workbook",
    "columns": "columns in a table (counted in the header and the rows)",
    "cell_characters": "characters in one cell (Excel's own maximum is 32,767)",
    "evidence_file_mb": "size of one evidence file copied into the evidence pack's bundle, in MB",
}


def limits_from_config(raw: dict[str, Any]) -> Limits:
    """The limits set in dataset.toml's ``[limits]``; keys that are wrong (reported by
    :func:`equality_reports.intake.config_check.check_config`) keep their defaults."""
    section = raw.get("limits")
    if not isinstance(section, dict):
        return Limits()
    given = {f.name: section[f.name] for f in fields(Limits) if valid_limit(section.get(f.name))}
    return Limits(**given)


def valid_limit(value: object) -> bool:
    """A limit is a whole number above 0."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def resolved(path: Path) -> Path:
    """Where ``path`` leads, links followed; a loop of links gives the path where it loops instead of
    an error (``Path.resolve`` raises RuntimeError on one), so the file's own read can report it."""
    return Path(os.path.realpath(path))


def check_regular_file(path: Path) -> None:
    """Refuse anything but a regular file: a folder, pipe, device or socket, even behind a link."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: file not found. Check the name, or `path` in dataset.toml.") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}). Check the file's permissions.") from None
    if stat.S_ISREG(mode):
        return
    kind = ("a folder" if stat.S_ISDIR(mode) else "a pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file")
    via = f" (a symbolic link to {resolved(path)})" if path.is_symlink() else ""
    raise InputError(f"{path}: this is {kind}{via}, not a table file. Give the path of a .csv, .xlsx or "
                     f".parquet file.")


def check_archive(path: Path, limits: Limits) -> None:
    """Refuse a zip-based workbook whose parts would unpack past the limits (sizes as the archive
    declares them, read from its directory without unpacking anything)."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the reader says what is wrong with it
    total = sum(p.file_size for p in parts)
    fix = ("A genuine workbook this size is better exported as CSV; if it is genuine, raise {key} under "
           "[limits] in dataset.toml")
    if total > limits.workbook_mb * MB:
        raise InputError(f"{path}: the workbook would take {total / MB:,.0f} MB once unpacked, more than the "
                         f"limit of {limits.workbook_mb:,} MB, so it was not read (a file like this is damaged "
                         f"or built to exhaust memory). " + fix.format(key="workbook_mb"))
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and ratio > limits.compression_ratio:
            raise InputError(f"{path}: the part '{part.filename[:80]}' of the workbook unpacks to "
                             f"{part.file_size / MB:,.0f} MB from {part.compress_size:,} bytes ({ratio:,.0f} "
                             f"times), more than the limit of {limits.compression_ratio:,} times, so the "
                             f"workbook was not read (real spreadsheets compress far less). "
                             + fix.format(key="compression_ratio"))


def too_wide(path: Path, width: int, row: int | None, limits: Limits) -> InputError:
    """The error for a table wider than the column limit."""
    where = f"row {row} has" if row is not None else "the table has"
    return InputError(f"{path}: {where} {width:,} columns, more than the limit of {limits.columns:,}, so the "
                      f"table was not read. Export only the columns the reports need (docs/data-contract.md), "
                      f"or raise columns under [limits] in dataset.toml")


def too_long(path: Path, where: str, length: int, limits: Limits, start: str = "") -> InputError:
    """The error for a cell longer than the cell limit; ``where`` names its row and column."""
    shown = f" (value starts: {start[:40]!r})" if start else ""
    return InputError(f"{path}: {where}: a cell holds {length:,} characters, more than the limit of "
                      f"{limits.cell_characters:,}{shown}. Shorten it (no publication can show it), or raise "
                      f"cell_characters under [limits] in dataset.toml")


#: the most cells a sheet's used range may span: more than any workbook within the unpacked-size
#: limit can fill (about 30 bytes of XML a cell), and calamine allocates the whole range
MAX_RANGE_CELLS = 20_000_000


def check_extent(path: Path, structure: SheetStructure, limits: Limits) -> None:
    """Refuse an .xlsx sheet whose cells reach past the column limit, or whose used range (up to
    its last cell) spans more than :data:`MAX_RANGE_CELLS`, before any reader allocates it."""
    width, height = structure.last_column + 1, structure.last_row
    last = f"{column_letters(structure.last_column)}{structure.last_row}" if width else ""
    if width > limits.columns:
        raise InputError(f"{path}: sheet '{structure.sheet}' has a cell in column {column_letters(width - 1)}, "
                         f"column {width:,}, more than the limit of {limits.columns:,}, so the table was not read. "
                         f"Delete the cells beyond the table (or export only its columns), or raise columns "
                         f"under [limits] in dataset.toml")
    if width * height > MAX_RANGE_CELLS:
        raise InputError(f"{path}: sheet '{structure.sheet}' has a cell at {last}, so its used range spans "
                         f"{width * height:,} cells, more than any table this tool reads ({MAX_RANGE_CELLS:,}). "
                         f"Delete the cells below and beside the table (select them, Delete Sheet Rows or "
                         f"Columns), save and try again")


def check_grid(grid: pd.DataFrame, path: Path, limits: Limits, sheet: str | None = None) -> None:
    """Refuse a raw grid (cells as text) wider than the column limit or with a longer cell than the
    cell limit; the first long cell is named by spreadsheet row and column."""
    if grid.shape[1] > limits.columns:
        raise too_wide(path, grid.shape[1], None, limits)
    if grid.empty or _small_text_file(path, limits):
        return
    for position in range(grid.shape[1]):
        values = grid.iloc[:, position].to_numpy()
        if max(map(len, values)) <= limits.cell_characters:
            continue
        lengths = pd.Series(values).str.len()
        index = int((lengths > limits.cell_characters).to_numpy().argmax())
        where = f"sheet '{sheet}', " if sheet else ""
        raise too_long(path, f"{where}row {int(grid.index[index]) + 1}, column {column_letters(position)}",
                       int(lengths.iloc[index]), limits, str(values[index]))


def _small_text_file(path: Path, limits: Limits) -> bool:
    """A text file with fewer bytes than the cell limit cannot hold a longer cell."""
    return path.suffix.lower() not in ZIP_SUFFIXES and path.stat().st_size <= limits.cell_characters


def column_letters(index: int) -> str:
    """Spreadsheet column letters of a 0-based position (0 -> A, 26 -> AA)."""
    text = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        text = chr(65 + rem) + text
    return text
