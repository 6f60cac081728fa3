"""Reading table files: CSV in any common encoding, Excel (python-calamine), Parquet.

Every reader returns the raw grid as text (``dtype=str``) with the header row found, plus the
spreadsheet row number of that header so problems can name the row a user sees.
Loaders are registered through the ``register_loaders`` hook; :data:`LOADERS` holds them.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from equality_reports.errors import InputError


class Loader(Protocol):
    suffixes: tuple[str, ...]

    def read(self, path: Path, sheet: str | None = None) -> pd.DataFrame:
        """The raw grid: every cell as text or missing, no header applied."""


@dataclass
class RawTable:
    frame: pd.DataFrame  # columns from the header row, values as text
    header_row: int  # 1-based spreadsheet row of the header
    encoding: str = ""


def decode(path: Path) -> tuple[str, str]:
    """Text of a CSV file and the encoding detected (BOMs, UTF-8, then charset detection)."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty. Export the table again with its header row.")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM has a zero byte in every other position for ASCII text
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        if odd > len(data[:4096]) / 4 or even > len(data[:4096]) / 4:
            enc = "utf-16-le" if odd > even else "utf-16-be"
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
        raise InputError(f"{path}: this is not a text table (it contains binary data). Save it as CSV "
                         f"or Excel (.xlsx).")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in ("ascii", "utf_8"):
        encoding = "cp1252"
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1252", errors="replace"), "cp1252"


class CsvLoader:
    suffixes = (".csv", ".txt", ".tsv")

    def read(self, path: Path, sheet: str | None = None) -> pd.DataFrame:
        text, _ = decode(path)
        sample = text[:10_000]
        sep = "\t" if path.suffix.lower() == ".tsv" or sample.count("\t") > sample.count(",") else ","
        if sep == "," and sample.count(";") > sample.count(","):
            sep = ";"
        options = dict(sep=sep, header=None, dtype=str, keep_default_na=False, skip_blank_lines=False)
        try:
            return pd.read_csv(io.StringIO(text), engine="c", **options)
        except pd.errors.ParserError:
            pass
        # rows of different widths (titles above the header): read with the widest row's width
        import csv

        width = max((len(row) for row in csv.reader(io.StringIO(text), delimiter=sep)), default=1)
        try:
            return pd.read_csv(io.StringIO(text), engine="c", names=range(width), **options)
        except pd.errors.ParserError as exc:
            raise InputError(f"{path}: the CSV cannot be read ({str(exc).strip()}). Check for stray quotes "
                             f"on that line.") from None


class ExcelLoader:
    suffixes = (".xlsx", ".xlsm", ".xls", ".ods")

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
        return frame.map(_cell_text)


class ParquetLoader:
    suffixes = (".parquet",)

    def read(self, path: Path, sheet: str | None = None) -> pd.DataFrame:
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for bad files
            raise InputError(f"{path}: not a readable Parquet file ({exc.__class__.__name__}).") from None
        header = pd.DataFrame([list(map(str, frame.columns))])
        body = frame.astype(object).map(_cell_text)
        body.columns = range(len(frame.columns))
        return pd.concat([header, body], ignore_index=True)


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


def read_raw(path: Path, known_columns: set[str], normalise, sheet: str | None = None) -> RawTable:  # type: ignore[no-untyped-def]
    """Read ``path`` with the loader for its suffix and apply the header row found in it."""
    if not path.exists():
        raise InputError(f"{path}: file not found. Check the name, or `path` in dataset.toml.")
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise InputError(f"{path}: unknown file type '{path.suffix}'. Use .csv, .xlsx or .parquet "
                         f"(or a plugin that reads this type).")
    grid = loader.read(path, sheet)
    grid = grid.fillna("").astype(str)
    # drop completely empty trailing columns and rows
    grid = grid.loc[:, (grid != "").any(axis=0)]
    if grid.empty or not (grid != "").any().any():
        raise InputError(f"{path}: the table is empty. Export it again with its header row and data.")
    header = find_header(grid, known_columns, normalise)
    names = [str(v).strip() for v in grid.iloc[header]]
    body = grid.iloc[header + 1:]
    body = body[(body != "").any(axis=1)]
    unnamed = [i for i, n in enumerate(names) if not n]
    if unnamed:
        overflow = (body.iloc[:, unnamed] != "").any(axis=1)
        if overflow.any():
            first = int(overflow.to_numpy().argmax())
            raise InputError(f"{path}: row {int(body.index[first]) + 1} has more values than the header row "
                             f"(row {header + 1}) has column names. Check for a stray comma or quote, or add "
                             f"the missing column name.")
        keep = [i for i, n in enumerate(names) if n]
        body = body.iloc[:, keep]
        names = [names[i] for i in keep]
    frame = pd.DataFrame(body.to_numpy(), columns=_unique(names), index=body.index - header - 1)
    return RawTable(frame, header + 1)


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
