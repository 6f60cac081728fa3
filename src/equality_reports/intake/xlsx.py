"""What python-calamine cannot tell us about an .xlsx sheet: formulas without saved values, merged cells.

calamine reads a formula cell's cached value, and an empty cell when the workbook was written by
a program that never calculated it (openpyxl, many exporters). Merged cells read as one value and
blanks. Both are found here from the worksheet's XML with zipfile and byte searches: nothing is
parsed unless the sheet holds a formula (``<f>``) or a merge (``<mergeCell>``), so a 100k-row sheet
costs one decompression and two searches.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_ROOT = re.compile(rb"<((?:\w+:)?)worksheet[\s>]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")
_REF = re.compile(rb"\br=\"([A-Za-z]+)(\d+)\"")
_TYPE = re.compile(rb"\bt=\"(\w+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]+)</|<(?:\w+:)?v>\s*</|<(?:\w+:)?v\s*/>")
_CELL_REF = re.compile(r"([A-Za-z]+)(\d+)")
_REF_COLUMN = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Za-z]+)\d")
_REF_ROW = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"[A-Za-z]+(\d+)\"")


@dataclass
class SheetStructure:
    """Formula cells without a trustworthy saved value, and merged ranges, of one sheet."""

    sheet: str
    uncached: list[str] = field(default_factory=list)  # cell references, in sheet order
    merged: list[str] = field(default_factory=list)  # ranges as written, e.g. "A1:C1"
    #: the workbook asks to be recalculated on opening (written by a program, never calculated)
    recalc_on_load: bool = False
    #: the last row (1-based) and column (0-based) any cell of the sheet is in: calamine allocates
    #: the whole grid up to them, so one cell at XFD1048576 would ask for hundreds of gigabytes
    last_row: int = 0
    last_column: int = -1


def column_number(letters: str) -> int:
    """0-based column index of 'A', 'AB', ..."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def merged_bounds(ref: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column) of a range, rows 1-based, columns 0-based."""
    parts = [_CELL_REF.fullmatch(p) for p in ref.split(":")]
    cells = [(int(m.group(2)), column_number(m.group(1))) for m in parts if m]
    (r1, c1), (r2, c2) = cells[0], cells[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _sheet_part(zf: zipfile.ZipFile, sheet: str | int | None) -> tuple[str, str, bool] | None:
    """(sheet name, part name of its XML, recalc flag) of a sheet named, or numbered from 0 as
    pandas does; the first sheet when ``sheet`` is None."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    calc = workbook.find(f"{_MAIN}calcPr")
    recalc = calc is not None and calc.get("fullCalcOnLoad") in ("1", "true")
    for number, node in enumerate(workbook.iter(f"{_MAIN}sheet")):
        name = node.get("name", "")
        if sheet is not None and name != sheet and number != sheet:
            continue
        target = targets.get(node.get(f"{_REL}id"), "")
        if not target:
            return None
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        return name, part, recalc
    return None


def scan(path: Path, sheet: str | int | None = None) -> SheetStructure | None:
    """The structure of one sheet of an .xlsx/.xlsm workbook; None when it cannot be inspected."""
    try:
        with zipfile.ZipFile(path) as zf:
            found = _sheet_part(zf, sheet)
            if found is None:
                return None
            name, part, recalc = found
            data = zf.read(part)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return None  # calamine has read it, or will report what is wrong
    result = SheetStructure(name, recalc_on_load=recalc)
    # every cell's reference, in two C-level searches (a 100,000-row sheet in about a second)
    letters = set(_REF_COLUMN.findall(data))
    result.last_column = max((column_number(c.decode()) for c in letters), default=-1)
    result.last_row = max(map(int, _REF_ROW.findall(data)), default=0)
    root = _ROOT.search(data, 0, 2000)
    prefix = root.group(1) if root else b""
    # merges are listed after the cells: search only the tail
    tail = data.rfind(b"</" + prefix + b"sheetData>")
    if data.find(b"mergeCell", max(tail, 0)) != -1:
        result.merged = [m.group(1).decode() for m in _MERGE.finditer(data, max(tail, 0))]
    cell_open, cell_close, formula = b"<" + prefix + b"c ", b"</" + prefix + b"c>", b"<" + prefix + b"f"
    pos = _next_formula(data, formula, 0, tail)
    while pos != -1:
        start = data.rfind(cell_open, 0, pos)
        end = data.find(cell_close, pos)
        if start == -1 or end == -1:
            break
        head = data[start:data.find(b">", start)]
        ref = _REF.search(head)
        kind = _TYPE.search(head)
        value = _VALUE.search(data, pos, end)
        cached = value is not None and (value.group(1) is not None or (kind is not None and kind.group(1)
                                                                         in (b"str", b"inlineStr")))
        if ref is not None and (recalc or not cached):
            result.uncached.append((ref.group(1) + ref.group(2)).decode())
        pos = _next_formula(data, formula, end, tail)
    return result


def _next_formula(data: bytes, formula: bytes, pos: int, stop: int) -> int:
    """Position of the next formula element (``<f>``, ``<f t="shared" .../>``) before ``stop``, or -1."""
    while True:
        pos = data.find(formula, pos, stop if stop > 0 else len(data))
        if pos == -1 or data[pos + len(formula):pos + len(formula) + 1] in (b">", b" ", b"/", b"\t", b"\r", b"\n"):
            return pos
        pos += len(formula)
