"""Reading table files: CSV in any common encoding, Excel (python-calamine), Parquet.

Every reader returns the raw grid as text (``dtype=str``) with the header row found, plus the
spreadsheet row number of that header so problems can name the row a user sees.
Loaders are registered through the ``register_loaders`` hook; :data:`LOADERS` holds them.

Nothing is misread silently: bytes that are not valid in the file's encoding, formula cells without
a saved value and merged cells in the table are errors; a loader may set ``frame.attrs`` keys
``decimal`` ("," for semicolon-separated files) and ``control_free`` (True when the text was checked
and holds no XML-invalid control characters, so later steps need not look).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from equality_reports.errors import InputError
from equality_reports.intake import xlsx
from equality_reports.intake.bounds import (
    MB,
    ZIP_SUFFIXES,
    Limits,
    check_archive,
    check_extent,
    check_grid,
    check_regular_file,
    column_letters,
    too_long,
    too_wide,
)


class Loader(Protocol):
    suffixes: tuple[str, ...]

    def read(self, path: Path, sheet: str | None = None) -> pd.DataFrame:
        """The raw grid: every cell as text or missing, no header applied."""


@dataclass
class RawTable:
    frame: pd.DataFrame  # columns from the header row, values as text
    header_row: int  # 1-based spreadsheet row of the header
    encoding: str = ""
    #: the header row's headings as written, in the frame's column order (the frame's own column
    #: names are made unique, so two "Ethnicity" headings would otherwise be hidden)
    headings: list[str] | None = None
    #: 0-based positions of those headings in the file (column A is 0)
    positions: list[int] | None = None
    #: the decimal mark of number text: "," in semicolon-separated files
    decimal: str = "."
    #: True when the reader found no XML-invalid control characters in the text
    control_free: bool = False
    #: footer lines left out below the table: (spreadsheet row, its text)
    footers: list[tuple[int, str]] | None = None
    #: spreadsheet rows of a text file with fewer values than the header has names (read as blanks)
    short_rows: list[int] = field(default_factory=list)


#: characters that cannot appear in XML (Word, Excel, ODS): C0 controls other than tab, line feed and
#: carriage return, and the non-characters U+FFFE and U+FFFF
CONTROL_CHARACTERS = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16",
                   "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32": "UTF-32",
                   "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}


def _place(data: bytes, position: int) -> tuple[int, int]:
    """The line (from 1; a line ends at a line feed, a carriage return and line feed, or a carriage
    return alone) and the character within it (from 1, UTF-8 read leniently) of byte ``position``."""
    before = data[:position]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    return line, len(before[start:].decode("utf-8", errors="replace")) + 1


def _invalid_bytes(path: Path, data: bytes, encoding: str, exc: UnicodeDecodeError) -> InputError:
    """An error naming the lines whose bytes are not valid in ``encoding`` (at most five listed)."""
    lines: list[int] = []
    start = 0
    error: UnicodeDecodeError | None = exc
    while error is not None and len(lines) < 6:
        line, _ = _place(data, start + error.start)
        if not lines or lines[-1] != line:
            lines.append(line)
        start = start + error.end
        try:
            data[start:].decode(encoding)
            error = None
        except UnicodeDecodeError as later:
            error = later
    name = _ENCODING_NAMES.get(encoding, encoding)
    where = f"line {lines[0]}" if len(lines) == 1 else \
        "lines " + ", ".join(map(str, lines[:5])) + (" and more" if len(lines) > 5 else "")
    bad = data[exc.start:exc.end]
    return InputError(f"{path}: {where} contain{'s' if len(lines) == 1 else ''} bytes that are not valid "
                      f"{name} text ({bad!r} on line {lines[0]}), so names and labels would be published "
                      f"with wrong characters. Save the file again as 'CSV UTF-8' (in Excel: File > Save As > "
                      f"CSV UTF-8), or correct {'that line' if len(lines) == 1 else 'those lines'}")


def _mostly_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 sequences (a UTF-8 file with a few bad bytes)."""
    high = len(data) - len(data.translate(None, bytes(range(128, 256))))
    valid = sum(len(m) for m in _UTF8_SEQUENCE.findall(data))
    return high > 0 and valid * 2 >= high


def control_free(text: str) -> bool:
    """True when the text has no XML-invalid control characters: every byte below 32 of its UTF-8 form
    is a tab, line feed or carriage return, and U+FFFE/U+FFFF are absent (C-speed passes)."""
    data = text.encode("utf-8", "surrogatepass")
    low = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) < 32))
    if low != data.count(b"\n") + data.count(b"\r") + data.count(b"\t"):
        return False
    return text.isascii() or (b"\xef\xbf\xbe" not in data and b"\xef\xbf\xbf" not in data)


def utf16_encoding(data: bytes) -> str | None:
    """The UTF-16 encoding of ``data`` by its byte-order mark ("utf-16") or, without one, by the
    zero byte beside each ASCII character in its first 4 KB ("utf-16-le", "utf-16-be"); None when
    it is not UTF-16 (a few zero bytes in a binary file do not make it so)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) / 4 or even > len(head) / 4:
        return "utf-16-le" if odd > even else "utf-16-be"
    return None


def _utf32_encoding(data: bytes) -> str | None:
    """UTF-32 by its byte-order mark ("utf-32") or, without one, by the three zero bytes beside
    each ASCII character in its first 4 KB ("utf-32-le", "utf-32-be"); None when it is not."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's: FF FE 00 00
        return "utf-32"
    head = data[:4096]
    head = head[:len(head) - len(head) % 4]
    if len(head) < 8:
        return None
    zero = [head[i::4].count(0) / (len(head) // 4) for i in range(4)]
    if min(zero[1:]) > 0.9 and zero[0] < 0.5:
        return "utf-32-le"
    if min(zero[:3]) > 0.9 and zero[3] < 0.5:
        return "utf-32-be"
    return None


def decode(path: Path) -> tuple[str, str]:
    """Text of a CSV file and its encoding: a BOM's (UTF-8, UTF-16 or UTF-32), UTF-32 or UTF-16 by
    its zero bytes, UTF-8, else Windows-1252.

    Bytes invalid in the encoding found are an error naming their lines, never replaced."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty. Export the table again with its header row.")
    utf8_bom = data.startswith(codecs.BOM_UTF8)
    utf32 = None if utf8_bom else _utf32_encoding(data)
    utf16 = None if utf8_bom or utf32 else utf16_encoding(data)
    if utf8_bom or utf32 or utf16 == "utf-16":
        enc = "utf-8-sig" if utf8_bom else utf32 or "utf-16"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            raise _invalid_bytes(path, data, enc, exc) from None
    if b"\x00" in data[:4096]:
        if utf16:
            try:
                return data.decode(utf16), utf16
            except UnicodeDecodeError:
                pass
        if data.count(b"\x00") > max(8, len(data) // 100):  # a binary file has zero bytes throughout
            raise InputError(f"{path}: this is not a text table (it contains binary data). Save it as CSV "
                             f"or Excel (.xlsx).")
    if (nul := data.find(b"\x00")) != -1:  # a text table with a stray zero byte: say where
        line, character = _place(data, nul)
        raise InputError(f"{path}: row {line} holds a zero byte (NUL) at character {character} of the line, "
                         f"which no text table has: the export is damaged there. Delete that character or "
                         f"export the table again.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):  # a UTF-8 file with some broken bytes: never guess another encoding
            raise _invalid_bytes(path, data, "utf-8", exc) from None
    # not UTF-8: Windows-1252, what Excel's "CSV" writes on UK Windows. Charset guessing is not used:
    # on short files it picks look-alike code pages (Central European for a file with one '£'),
    # which would put wrong letters into publications.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise _invalid_bytes(path, data, "cp1252", exc) from None


#: rows at the top of a CSV counted for the column limit before pandas parses it (the header is
#: searched for among as many)
_HEAD_ROWS = 30


@contextlib.contextmanager
def _csv_fields_up_to(size: int) -> Iterator[None]:
    """Let the csv module read fields of up to ``size`` characters (its own limit is 131,072).

    The text is in memory already, so no field can be longer than it: a long cell is then read
    and refused by the cell-length limit (:func:`check_grid`), which names its row and column,
    instead of failing inside the csv module. The module's limit is process-wide, so it is put
    back afterwards."""
    import csv

    before = csv.field_size_limit()
    csv.field_size_limit(max(before, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(before)


class CsvLoader:
    suffixes: tuple[str, ...] = (".csv", ".txt", ".tsv")

    def read(self, path: Path, sheet: str | None = None, limits: Limits | None = None) -> pd.DataFrame:
        """The grid of a CSV file; with ``limits``, a file whose first rows are wider than the column
        limit is refused before pandas parses it."""
        import csv

        text, _ = decode(path)
        if not text.strip():
            raise InputError(f"{path}: the file is empty. Export the table again with its header row.")
        if "\r" in text:  # lines ended by a carriage return alone (old Mac exports) end as any other
            text = re.sub(r"\r(?!\n)", "\n", text)
        sample = text[:10_000]
        sep = "\t" if path.suffix.lower() == ".tsv" or sample.count("\t") > sample.count(",") else ","
        if sep == "," and sample.count(";") > sample.count(","):
            sep = ";"
        if limits is not None:
            with _csv_fields_up_to(len(text)):
                head = itertools.islice(csv.reader(io.StringIO(text), delimiter=sep), _HEAD_ROWS)
                for number, row in enumerate(head, start=1):
                    if len(row) > limits.columns:
                        raise too_wide(path, len(row), number, limits)
        with _csv_fields_up_to(len(text)):  # each record's number of values: a line cut short has fewer
            widths = [len(row) for row in csv.reader(io.StringIO(text), delimiter=sep)]
        attrs = {"decimal": "," if sep == ";" else ".", "control_free": control_free(text), "widths": widths}
        options = dict(sep=sep, header=None, dtype=str, keep_default_na=False, skip_blank_lines=False)
        try:
            frame = pd.read_csv(io.StringIO(text), engine="c", **options)
            frame.attrs.update(attrs)
            return frame
        except pd.errors.ParserError:
            pass
        # rows of different widths (titles above the header): read with the widest row's width
        width = max(widths, default=1)
        if limits is not None and width > limits.columns:
            raise too_wide(path, width, None, limits)
        try:
            frame = pd.read_csv(io.StringIO(text), engine="c", names=range(width), **options)
            frame.attrs.update(attrs)
            return frame
        except pd.errors.ParserError as exc:
            raise InputError(f"{path}: the CSV cannot be read ({str(exc).strip()}). Check for stray quotes "
                             f"on that line.") from None


class ExcelLoader:
    suffixes: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".ods")

    def read(self, path: Path, sheet: str | None = None) -> pd.DataFrame:
        try:
            frame = pd.read_excel(path, sheet_name=sheet or 0, header=None, engine="calamine", dtype=object)
        except ValueError as exc:
            if sheet is not None and "not found" in str(exc).lower():
                raise InputError(f"{path}: no sheet named '{sheet}'. Check `sheet` in dataset.toml.") from None
            raise InputError(f"{path}: this workbook cannot be read ({exc}). Save it again as .xlsx.") from None
        except Exception as exc:  # calamine raises its own error types for damaged files
            raise InputError(f"{path}: this is not a readable workbook ({exc.__class__.__name__}). Save it "
                             f"again as .xlsx or export it as CSV.") from None
        return _cells_as_text(frame)


class ParquetLoader:
    suffixes: tuple[str, ...] = (".parquet",)

    def read(self, path: Path, sheet: str | None = None, limits: Limits | None = None) -> pd.DataFrame:
        """The grid of a Parquet file; with ``limits``, a file whose data unpacks past
        ``workbook_mb``, or holding a cell longer than ``cell_characters``, is refused before any
        cell becomes a Python value (a few kilobytes can hold a compressed string of gigabytes)."""
        import pyarrow.parquet as pq

        try:
            if limits is not None:
                meta = pq.ParquetFile(path).metadata
                size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
                if size > limits.workbook_mb * MB:
                    raise InputError(f"{path}: its data unpacks to {size / MB:,.0f} MB, more than the limit of "
                                     f"{limits.workbook_mb:,} MB, so it was not read. Export the table again, or "
                                     f"raise workbook_mb under [limits] in dataset.toml")
            table = pq.read_table(path)
            if limits is not None:
                _check_parquet_cells(path, table, limits)
            frame = table.to_pandas()
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for bad files
            raise InputError(f"{path}: not a readable Parquet file ({exc.__class__.__name__}).") from None
        header = pd.DataFrame([list(map(str, frame.columns))])
        body = frame.astype(object).map(_cell_text)
        body.columns = range(len(frame.columns))
        return pd.concat([header, body], ignore_index=True)


def _check_parquet_cells(path: Path, table: Any, limits: Limits) -> None:
    """Refuse a text or binary column of an Arrow ``table`` holding a value longer than the cell
    limit, named by row (the header is row 1) and column, as :func:`check_grid` names them."""
    import pyarrow.compute as pc

    for position, name in enumerate(table.column_names):
        column = table.column(position)
        kind = str(column.type)
        if not any(word in kind for word in ("string", "binary")):
            continue
        lengths = pc.utf8_length(column) if "string" in kind else pc.binary_length(column)
        longest = pc.max(lengths).as_py()
        if longest is None or longest <= limits.cell_characters:
            continue
        index = pc.index(lengths, longest).as_py()
        raise too_long(path, f"row {index + 2}, column {column_letters(position)} ('{str(name)[:40]}')", longest,
                       limits)


def _cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text (:func:`_cell_text`); columns holding only text and blanks, most of an HR
    extract, are converted without visiting each cell."""
    out = {}
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            out[column] = values.where(values.notna(), "")
        else:
            out[column] = values.map(_cell_text)
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def _cell_text(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        try:
            return value.date().isoformat() if getattr(value, "hour", 0) == 0 and getattr(value, "minute", 0) == 0 \
                and hasattr(value, "date") else value.isoformat()
        except (AttributeError, ValueError):
            return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


LOADERS: dict[str, Loader] = {}


def register_loader(loader: Loader) -> None:
    for suffix in loader.suffixes:
        LOADERS[suffix.lower()] = loader


for _loader in (CsvLoader(), ExcelLoader(), ParquetLoader()):
    register_loader(_loader)


def find_header(grid: pd.DataFrame, known: set[str], normalise) -> int:  # type: ignore[no-untyped-def]
    """Index of the header row: the first of the top 30 rows naming two or more known columns,
    else the first row with at least two filled cells."""
    top = grid.head(30)
    for i, row in enumerate(top.itertuples(index=False)):
        names = {normalise(v) for v in row if str(v).strip()}
        if len(names & known) >= 2 or (len(known) == 1 and names & known):
            return i
    for i, row in enumerate(top.itertuples(index=False)):
        if sum(1 for v in row if str(v).strip()) >= 2:
            return i
    return 0


def read_raw(path: Path, known_columns: set[str], normalise, sheet: str | None = None,  # type: ignore[no-untyped-def]
             limits: Limits | None = None) -> RawTable:
    """Read ``path`` with the loader for its suffix and apply the header row found in it, within
    ``limits`` (:mod:`equality_reports.intake.bounds`; the defaults when None)."""
    limits = limits or Limits()
    check_regular_file(path)
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise InputError(f"{path}: unknown file type '{path.suffix}'. Use .csv, .xlsx or .parquet "
                         f"(or a plugin that reads this type).")
    if path.suffix.lower() in ZIP_SUFFIXES:
        check_archive(path, limits)
    # before calamine reads it: the grid it would allocate, from the cells' own references
    structure = xlsx.scan(path, sheet) if path.suffix.lower() in (".xlsx", ".xlsm") else None
    if structure is not None:
        check_extent(path, structure, limits)
    grid = loader.read(path, sheet, limits) if isinstance(loader, (CsvLoader, ParquetLoader)) \
        else loader.read(path, sheet)
    # what the loader noted, taken off the frame: pandas deep-copies attrs on every operation, and
    # a CSV's line widths (one per line) would be copied thousands of times over
    attrs, grid.attrs = dict(grid.attrs), {}
    if structure is not None and structure.uncached:
        raise InputError(_formula_message(path, structure))
    grid = grid.fillna("").astype(str)
    check_grid(grid, path, limits, sheet)
    # drop completely empty trailing columns and rows
    grid = grid.loc[:, (grid != "").any(axis=0)]
    if grid.empty or not (grid != "").any().any():
        raise InputError(f"{path}: the table is empty. Export it again with its header row and data.")
    header = find_header(grid, known_columns, normalise)
    names = [str(v).strip() for v in grid.iloc[header]]
    if structure is not None and structure.merged:
        columns = {int(c) for c, n in zip(grid.columns, names) if n}
        inside = [ref for ref in structure.merged if _in_table(ref, header + 1, columns)]
        if inside:
            listed = ", ".join(inside[:10]) + (f" and {len(inside) - 10} more" if len(inside) > 10 else "")
            raise InputError(f"{path}: sheet '{structure.sheet}' has merged cells in the table ({listed}); a "
                             f"merged cell is read as one value followed by blanks. Unmerge them (Home > Merge "
                             f"& Center > Unmerge Cells) and fill in every cell")
    body = grid.iloc[header + 1:]
    body = body[(body != "").any(axis=1)]
    body, footers = _without_footers(body, len([n for n in names if n]))
    unnamed = [i for i, n in enumerate(names) if not n]
    if unnamed:
        overflow = (body.iloc[:, unnamed] != "").any(axis=1)
        if overflow.any():
            first = int(overflow.to_numpy().argmax())
            row = body.iloc[first]
            column = next(i for i in unnamed if row.iloc[i] != "")
            if any(names[column + 1:]):  # a heading left empty between named ones
                before = next((n for n in reversed(names[:column]) if n), None)
                where = f"after '{before}'" if before else "before the first named column"
                raise InputError(f"{path}: column {column + 1} ({where}) has no name in the header row (row "
                                 f"{header + 1}) but holds values (row {int(body.index[first]) + 1}: "
                                 f"{str(row.iloc[column])[:40]!r}). Add its name to the header row, or delete "
                                 f"the column.")
            raise InputError(f"{path}: row {int(body.index[first]) + 1} has more values than the header row "
                             f"(row {header + 1}) has column names. Check for a stray comma or quote, or add "
                             f"the missing column name.")
        keep = [i for i, n in enumerate(names) if n]
        body = body.iloc[:, keep]
        names = [names[i] for i in keep]
    widths = attrs.get("widths")
    short: list[int] = []
    if widths is not None and len(widths) == len(grid):
        rows = body.index.to_numpy(dtype=np.int64)
        found = np.asarray(widths, dtype=np.int64)[rows]
        short = (rows[(found > 0) & (found < len(names))] + 1).tolist()
    positions = [int(c) if isinstance(c, (int, float)) or str(c).isdigit() else i
                 for i, c in enumerate(body.columns)]
    # relabel rather than rebuild: going through a NumPy object array would turn every cell into a
    # Python string and back (a third of a second for 100k staff)
    frame = body.set_axis(_unique(names), axis=1).set_axis(body.index - header - 1, axis=0)
    return RawTable(frame, header + 1, headings=names, positions=positions, decimal=str(attrs.get("decimal", ".")),
                    control_free=bool(attrs.get("control_free", False)), footers=footers, short_rows=short)


_FOOTER = re.compile(r"^\s*(grand total|totals?|sum|count|source|extracted|report (run|generated)|printed|"
                     r"run (on|date)|page \d|end of report|notes?\b)", re.IGNORECASE)


def _without_footers(body: pd.DataFrame, width: int) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The table without the lines HR systems print below it: from the bottom up, rows that start
    with a word like "Total", "Source" or "Extracted", or that fill only one cell of a table of
    three or more columns. Returns the rows left out as (spreadsheet row, text) for a warning."""
    footers: list[tuple[int, str]] = []
    end = len(body)
    while end:
        row = body.iloc[end - 1]
        filled = [str(v) for v in row if str(v).strip()]
        if not (_FOOTER.match(filled[0]) or (width >= 3 and len(filled) == 1)):
            break
        footers.append((int(body.index[end - 1]) + 1, " ".join(filled)[:80]))
        end -= 1
    return body.iloc[:end], footers[::-1]


def _formula_message(path: Path, structure: xlsx.SheetStructure) -> str:
    cells = structure.uncached
    listed = ", ".join(cells[:10]) + (f" and {len(cells) - 10} more" if len(cells) > 10 else "")
    why = ("the workbook was written by a program that never calculated them" if structure.recalc_on_load
           else "no value was saved with them")
    return (f"{path}: sheet '{structure.sheet}' has {len(cells)} formula cell{'s' if len(cells) != 1 else ''} "
            f"without a saved value ({listed}): {why}, so they would be read as blanks. Open the workbook in "
            f"Excel and save it (Excel stores each formula's value), or paste the values over the formulas")


def _in_table(ref: str, header_row: int, columns: set[int]) -> bool:
    """Whether a merged range touches the table: the header row or below, in a named column."""
    r1, c1, r2, c2 = xlsx.merged_bounds(ref)
    return r2 >= header_row and any(c1 <= c <= c2 for c in columns)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out
