"""Loading a dataset: find the tables, map columns and values, coerce types, classify, join, check.

Every problem is collected (file, row, column, value, fix) and reported together; the data is
unusable when any problem is an error.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from equality_reports.classification import ETHNICITY, NOT_KNOWN, Classifier
from equality_reports.dataset import SECTORS, Dataset, InputFile
from equality_reports.document import long_date
from equality_reports.errors import InputError, Problem
from equality_reports.intake import fidelity
from equality_reports.intake.bounds import (
    ZIP_SUFFIXES,
    Limits,
    check_archive,
    check_regular_file,
    limits_from_config,
    resolved,
)
from equality_reports.intake.config_check import check_config, chosen_schemes, maximum_keys
from equality_reports.intake.contract import Contract, TableSpec, default_contract
from equality_reports.intake.core_tables import JOINED_STAFF_COLUMNS
from equality_reports.intake.numbers import read_numbers, report_numbers
from equality_reports.intake.readers import LOADERS, read_raw
from equality_reports.measures import ethnicity as event_ethnicity
from equality_reports.measures import periods
from equality_reports.measures.counting import applicant_key
from equality_reports.measures.population import EVENT_TABLES
from equality_reports.measures.units import APPLICANT_UNIT, APPLICANTS, RECORD, UNIT, record_codes, unit_codes

_TRUE = {"y", "yes", "true", "t", "1", "1.0"}
_FALSE = {"n", "no", "false", "f", "0", "0.0"}
_MAX_LISTED = 10
#: the years a reporting period may fall in (a date past them is a typing slip)
FIRST_YEAR, LAST_YEAR = 1950, 2100
#: the longest organisation name (Word's document properties take at most 255 characters)
MAX_ORGANISATION = 200


def _norm_col(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


@dataclass
class Source:
    """Where a table came from, for messages."""

    table: str
    path: Path
    label: str  # as shown to the user
    header_row: int = 1
    sheet: str | None = None
    decimal: str = "."  # "," for semicolon-separated files (see intake.numbers)
    control_free: bool = False  # the reader found no XML-invalid control characters
    #: per date column, the rows whose value is not a date (an error already): period placement
    #: does not also call them undated
    unreadable: dict[str, pd.Index] = field(default_factory=dict)

    def row(self, index: int) -> int:
        return self.header_row + 1 + int(index)


@dataclass
class Config:
    organisation: str
    sector: str
    period_start: date
    period_end: date
    snapshot: date | None
    tables: dict[str, dict[str, Any]]
    raw: dict[str, Any]
    #: characteristic -> the scheme dataset.toml chooses for it
    classification: dict[str, str]
    limits: Limits = Limits()


def read_config(folder: Path, problems: list[Problem], contract: Contract) -> Config:
    """dataset.toml, with defaults when it is absent (the period ends today's financial year-end)."""
    path = folder / "dataset.toml"
    raw: dict[str, Any] = {}
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: not valid TOML ({exc}). Check the quoting and the [tables.x] headings; "
                             f"see docs/data-contract.md.") from None
        except RecursionError:
            raise InputError(f"{path}: its arrays or tables are nested too deeply to read. A dataset.toml needs "
                             f"at most a few levels; see docs/data-contract.md.") from None
    else:
        problems.append(Problem("no dataset.toml: organisation and period are not set", file=str(path),
                                fix='add dataset.toml with organisation = "...", period_start and period_end',
                                severity="warning"))

    tables, config_problems = check_config(raw, str(path), contract)
    problems.extend(config_problems)

    def as_date(key: str) -> date | None:
        value = raw.get(key)
        if value is None or not isinstance(value, (str, date)):  # other types: reported by check_config
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        with warnings.catch_warnings():  # pandas warns when it cannot guess a format: the error says it
            warnings.simplefilter("ignore", UserWarning)
            parsed = pd.to_datetime(str(value), errors="coerce", dayfirst=True)
        if pd.isna(parsed):
            problems.append(Problem(f"'{key}' is not a date", file=str(path), column=key, value=value,
                                    fix=f"write {key} = 2026-03-31"))
            return None
        day: date = parsed.date()
        return day

    def plausible(key: str, day: date | None) -> date | None:
        if day is None or FIRST_YEAR <= day.year <= LAST_YEAR:
            return day
        problems.append(Problem(f"'{key}' is in the year {day.year}: no reporting period is", file=str(path),
                                column=key, value=day.isoformat(),
                                fix=f"give a date between {FIRST_YEAR} and {LAST_YEAR}, e.g. {key} = 2026-03-31"))
        return None

    end = plausible("period_end", as_date("period_end"))
    if end is None:
        today = date.today()
        end = date(today.year if today.month > 3 else today.year - 1, 3, 31)
    start = plausible("period_start", as_date("period_start")) \
        or date(end.year - 1, end.month, end.day) + pd.Timedelta(days=1).to_pytimedelta()
    if start > end:
        problems.append(Problem("period_start is after period_end", file=str(path), column="period_start",
                                value=start.isoformat(), fix="swap the dates"))
    sector = str(raw.get("sector", "other")) if isinstance(raw.get("sector", "other"), str) else "other"
    if sector not in SECTORS:
        problems.append(Problem(f"unknown sector '{sector}'", file=str(path), column="sector", value=sector,
                                fix=f"use one of {', '.join(SECTORS)}"))
        sector = "other"
    organisation = str(raw.get("organisation", folder.resolve().name))
    if len(organisation) > MAX_ORGANISATION:
        problems.append(Problem(f"'organisation' must be at most {MAX_ORGANISATION} characters (it has "
                                f"{len(organisation)})", file=str(path), column="organisation",
                                value=organisation[:80],
                                fix='give the organisation\'s name as it should appear on the title page, e.g. '
                                    'organisation = "Riverside Council"'))
    return Config(organisation, sector, start, end, plausible("snapshot", as_date("snapshot")),
                  tables, raw, chosen_schemes(raw, contract), limits_from_config(raw))


# --- finding the tables ----------------------------------------------------------------------

def _table_name(stem: str, tables: dict[str, TableSpec]) -> str | None:
    key = _norm_col(stem)
    if key in tables:
        return key
    singular = {f"{k}s": k for k in tables} | {k.rstrip("s"): k for k in tables}
    return singular.get(key)


def discover(path: Path, config: Config, problems: list[Problem], tables: dict[str, TableSpec]) -> list[Source]:
    """The table files of a dataset folder or the sheets of one workbook."""
    sources: list[Source] = []
    if path.is_file():
        if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
            return [Source(_table_name(path.stem, tables) or "staff", path, path.name)]
        check_regular_file(path)
        if path.suffix.lower() in ZIP_SUFFIXES:
            check_archive(path, config.limits)
        try:
            sheets = pd.ExcelFile(path, engine="calamine").sheet_names
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"{path}: this is not a readable workbook ({exc.__class__.__name__}). Save it again "
                             f"as .xlsx.") from None
        for sheet in sheets:
            name = _table_name(sheet, tables)
            if name:
                sources.append(Source(name, path, f"{path.name} [{sheet}]", sheet=sheet))
            else:
                problems.append(Problem(f"sheet '{sheet}' is not a known table and was ignored", file=path.name,
                                        fix=f"rename it to one of {', '.join(tables)}", severity="warning"))
        if not sources:
            raise InputError(f"{path}: no sheet is named after a table (staff, applications, ...). Rename the "
                             f"sheets or describe them in a dataset.toml; see docs/data-contract.md.")
        return sources
    configured = {}
    for name, spec in config.tables.items():
        if name not in tables:
            problems.append(Problem(f"[tables.{name}] is not a known table", file="dataset.toml",
                                    fix=f"use one of {', '.join(tables)}"))
            continue
        if isinstance(spec, dict) and spec.get("path"):
            sheet = spec.get("sheet")
            configured[name] = Source(name, path / str(spec["path"]), _label(str(spec["path"]), sheet), sheet=sheet)
    sources.extend(configured.values())
    used = {resolved(s.path) for s in configured.values()}
    for file in sorted(path.iterdir()):
        if file.suffix.lower() not in LOADERS or file.name.startswith((".", "~$")):
            continue
        name = _table_name(file.stem, tables)
        if not file.is_file():
            if name is not None:
                problems.append(Problem("not a regular file (a folder, a device, a pipe or a broken link), so it "
                                        "was not read", file=file.name,
                                        value=str(resolved(file)) if file.is_symlink() else None,
                                        fix=f"put the {name} table itself in the folder as a file"))
            continue
        if resolved(file) in used:
            continue
        if name is None:
            problems.append(Problem(f"'{file.name}' is not named after a table and was ignored", file=file.name,
                                    fix=f"name it after one of {', '.join(tables)}, or give its path in "
                                        f"dataset.toml", severity="warning"))
            continue
        if name in configured or any(s.table == name for s in sources):
            problems.append(Problem(f"a second file for table '{name}' was ignored", file=file.name,
                                    fix="keep one file per table", severity="warning"))
            continue
        sheet = config.tables.get(name, {}).get("sheet") if isinstance(config.tables.get(name), dict) else None
        sources.append(Source(name, file, _label(file.name, sheet), sheet=sheet))
    return sources


def _label(name: str, sheet: object) -> str:
    """A source as messages and the run record name it: its file, and the sheet read from it."""
    return name + (f" [{sheet}]" if sheet else "")


# --- mapping, coercion ------------------------------------------------------------------------

def apply_columns(frame: pd.DataFrame, spec: TableSpec, mapping: dict[str, str],
                  headings: list[str] | None = None) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """Source columns renamed to canonical names (dataset.toml mapping first, then by name), the
    source columns the contract does not know, and each canonical column's heading as written
    (``headings``, in the frame's column order) where it is another name, not the canonical one
    in other case or spacing."""
    renames: dict[str, str] = {}
    by_source = {str(v).strip().lower(): k for k, v in mapping.items()}
    for col in frame.columns:
        key = str(col).strip().lower()
        if key in by_source:
            renames[col] = by_source[key]
    names = {c.name for c in spec.columns} - set(renames.values())
    for col in frame.columns:
        if col not in renames and _norm_col(col) in names and _norm_col(col) not in renames.values():
            renames[col] = _norm_col(col)
    keep = [c for c in frame.columns if c in renames]
    out = frame[keep].rename(columns=renames)
    written = dict(zip(frame.columns, headings or [str(c) for c in frame.columns]))
    named: dict[str, str] = {}
    for col, canonical in renames.items():
        if canonical not in named and _norm_col(written[col]) != canonical:  # "Ethnicity" is plain enough
            named[canonical] = str(written[col]).strip()
    return out.loc[:, ~out.columns.duplicated()], [c for c in frame.columns if c not in renames], named


def _unused_problems(columns: list[str], source: Source) -> list[Problem]:
    """A warning per column no installed report reads (a few listed, then a count)."""
    out = [Problem(f"column {c} in {source.label} is not used by any installed report; it is kept", file=source.label,
                   row=source.header_row, column=c, heading=c, severity="warning",
                   fix="nothing to do; a report that needs it must declare it (register_tables)")
           for c in columns[:_MAX_LISTED]]
    if len(columns) > _MAX_LISTED:
        out.append(Problem(f"{len(columns) - _MAX_LISTED} more columns in {source.label} are not used by any "
                           f"installed report; they are kept", file=source.label, severity="warning"))
    return out


def _bad_values(values: pd.Series, bad: pd.Series, source: Source, column: str, message: str,
                fix: str | Callable[[str], str], problems: list[Problem], severity: str = "error") -> None:
    """One problem per distinct bad value (first row and count), at most a few listed."""
    if not bad.any():
        return
    wrong = values[bad]
    counts = wrong.value_counts(sort=False)
    first = wrong.reset_index().drop_duplicates(wrong.name or 0).set_index(wrong.name or 0)["index"]
    for n, (value, count) in enumerate(counts.items()):
        if n == _MAX_LISTED:
            problems.append(Problem(f"{len(counts) - _MAX_LISTED} more distinct values like these", file=source.label,
                                    column=column, severity=severity))
            break
        more = f" ({count} rows)" if count > 1 else ""
        problems.append(Problem(f"{message}{more}", file=source.label, row=source.row(first[value]), column=column,
                                value=value, fix=fix(str(value)) if callable(fix) else fix, severity=severity))


def _first_problem(bad: pd.Series, source: Source, column: str, message: str, fix: str, problems: list[Problem],
                   severity: str = "error") -> None:
    """One problem for a set of rows (the message names the values), located at the first of them."""
    if bad.any():
        first = bad.index[int(bad.to_numpy(dtype=bool).argmax())]
        problems.append(Problem(message, file=source.label, row=source.row(first), column=column, fix=fix,
                                severity=severity))


def coerce(frame: pd.DataFrame, spec: TableSpec, source: Source, problems: list[Problem],
           maxima: dict[str, float] | None = None) -> pd.DataFrame:
    """Booleans, dates, numbers and choices to typed columns; unparseable values are problems.

    Numbers are read and bounded by :mod:`equality_reports.intake.numbers` (``maxima`` overrides a
    column's contract maximum, from ``<column>_max`` in dataset.toml); XML-invalid control characters
    are removed and labels differing only in case or punctuation merged (:mod:`.fidelity`).
    """
    out = frame.copy()
    for col in spec.columns:
        if col.name not in out.columns:
            if col.default is not None:
                out[col.name] = pd.array([col.default] * len(out), dtype="boolean") if col.type == "bool" \
                    else col.default
            continue
        raw = out[col.name].astype("string").str.strip()
        if not source.control_free:
            raw, had = fidelity.strip_control(raw)
            if had.any():
                message, fix = fidelity.control_warning(col.name)
                _bad_values(out[col.name].astype("string"), had, source, col.name, message, fix, problems,
                            severity="warning")
                raw = raw.str.strip()
        blank = raw.isna() | (raw == "")
        if col.type == "bool":
            uniq = {u: (True if u.lower() in _TRUE else False if u.lower() in _FALSE else None)
                    for u in raw[~blank].unique()}
            parsed = raw.map(uniq)
            _bad_values(raw, ~blank & parsed.isna(), source, col.name, "not a yes/no value",
                        "use Y/N, Yes/No, True/False or 1/0", problems)
            if col.required:
                _bad_values(raw, blank, source, col.name, "required yes/no value is blank", "fill it in", problems)
            values = parsed.astype("boolean")
            out[col.name] = values.fillna(col.default) if col.default is not None else values
        elif col.type == "date":
            uniq = raw[~blank].unique()
            parsed = raw.map(dict(zip(uniq, _parse_dates(pd.Series(uniq, dtype=object)))))
            _bad_values(raw, ~blank & parsed.isna(), source, col.name, "not a date",
                        "write dates as 2026-03-31 or 31/03/2026", problems)
            source.unreadable[col.name] = raw.index[(~blank & parsed.isna()).to_numpy(dtype=bool)]
            if col.required:
                _bad_values(raw, blank, source, col.name, "required date is blank", "fill it in", problems)
            out[col.name] = pd.to_datetime(parsed)
        elif col.type == "number":
            parsed, findings, reasons = read_numbers(raw, blank, col, decimal=source.decimal,
                                                     maximum=(maxima or {}).get(col.name), table=spec.name)
            # the callbacks here and below run before the call returns, so the loop variables are current
            report_numbers(raw, reasons, findings, lambda bad, message, fix: _bad_values(
                raw, bad, source, col.name, message, fix, problems))  # noqa: B023
            if col.required:
                _bad_values(raw, blank, source, col.name, "required number is blank", "fill it in", problems)
            out[col.name] = parsed
        elif col.type == "choice":
            key = raw.str.lower().str.replace(r"[\s-]+", "_", regex=True)
            key = key.replace({"fulltime": "full_time", "ft": "full_time", "parttime": "part_time", "pt": "part_time",
                               "nonvoting": "non_voting"})
            bad = ~blank & ~key.isin(col.choices)
            _bad_values(raw, bad, source, col.name, "not one of the allowed values",
                        f"use {', '.join(col.choices)} (or map it under values.{col.name} in dataset.toml)", problems)
            out[col.name] = key.where(~blank & ~bad).astype(object)
        else:
            if col.required and not col.classification:  # a blank category means "not known"
                _bad_values(raw, blank, source, col.name, "required value is blank", "fill it in", problems)
            values = raw.where(~blank)
            if fidelity.is_label_column(spec, col):
                values = fidelity.merge_spellings(values, lambda bad, message, fix: _first_problem(
                    bad, source, col.name, message, fix, problems, severity="warning"), col.name)  # noqa: B023
            out[col.name] = values.astype(object)
    return out


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y",
                 "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def _parse_dates(values: pd.Series) -> list[pd.Timestamp | None]:
    """ISO and UK day-first dates, vectorised format by format (each distinct value once).

    Only the listed forms are dates: a month-first US date ("03/31/2025") is not one, rather than
    being half read one way and half the other. Years outside 1678-2261 (what a timestamp holds,
    e.g. a mistyped 0024 or 2300) are not dates either, so they are reported, never a crash.
    """
    text = values.astype(str).str.strip()
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    low, high = pd.Timestamp.min.as_unit("s"), pd.Timestamp.max.as_unit("s")
    for fmt in _DATE_FORMATS:
        todo = result.isna()
        if not todo.any():
            break
        parsed = pd.Series(pd.to_datetime(text[todo], format=fmt, errors="coerce"))
        if len(parsed):
            inside = (parsed >= low) & (parsed <= high)
            result[todo] = parsed.where(inside).astype("datetime64[ns]")
    return [None if pd.isna(v) else v for v in result]


# --- the whole dataset ------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_dataset(path: Path, *, contract: Contract | None = None) -> Dataset:
    """Load, check and classify a dataset by ``contract`` (default: the installed plugins');
    :class:`InputError` lists every problem when unusable."""
    dataset, problems = _load(Path(path), contract or default_contract())
    errors = [p for p in problems if p.severity == "error"]
    if errors or dataset is None:
        raise InputError(f"the data in {path} cannot be used ({len(errors)} problem"
                         f"{'s' if len(errors) != 1 else ''}); run `equality-reports validate {path}` "
                         f"for the data-quality summary", errors)
    return dataset


def _load(path: Path, contract: Contract) -> tuple[Dataset | None, list[Problem]]:
    if not path.exists():
        raise InputError(f"{path}: not found. Give a dataset folder (tables as CSV/Excel files) or one "
                         f"workbook with a sheet per table.")
    problems: list[Problem] = []
    folder = path if path.is_dir() else path.parent
    config = read_config(folder, problems, contract)
    sources = discover(path, config, problems, contract.tables)
    if not any(s.table for s in sources):
        raise InputError(f"{path}: no table files found. Add staff.csv (or staff.xlsx) and the other tables; "
                         f"`equality-reports template DIR` writes a blank workbook.",
                         [p for p in problems if p.severity == "error"])
    frames: dict[str, tuple[pd.DataFrame, Source]] = {}
    extra: dict[str, pd.DataFrame] = {}
    inputs: list[InputFile] = []
    headings: dict[str, dict[str, str]] = {}  # per source label, the canonical columns' headings
    for source in sources:
        spec = contract[source.table]
        mapping = config.tables.get(source.table, {}) if isinstance(config.tables.get(source.table), dict) else {}
        known = {c.name for c in spec.columns} | {_norm_col(v) for v in (mapping.get("columns") or {}).values()}
        if not resolved(source.path).is_relative_to(resolved(folder)):
            # a dataset comes from users: none of its names may lead to a file elsewhere (/etc/passwd)
            problems.append(Problem(f"{source.path} leads outside the dataset folder (to {resolved(source.path)}), "
                                    f"so it was not read", file=source.label,
                                    fix="copy the table's file into the dataset folder (a link to it, or a path in "
                                        "dataset.toml leading out of the folder, is not read)"))
            continue
        try:
            raw = read_raw(source.path, known, _norm_col, source.sheet, config.limits)
        except InputError as exc:  # the reader names the path; the problem names the file already
            problems.append(Problem(str(exc).removeprefix(f"{source.path}: "), file=source.label, fix=None))
            continue
        source.header_row = raw.header_row
        source.decimal, source.control_free = raw.decimal, raw.control_free
        for row, text in raw.footers or ():
            problems.append(Problem(f"the line below the table reading '{text}' looks like a footer or a total, "
                                    f"not a record, and was left out", file=source.label, row=row,
                                    fix="delete it from the extract if it is a footer; if it is a real record, "
                                        "fill in its other columns", severity="warning"))
        if raw.short_rows:
            rows = raw.short_rows
            problems.append(Problem(
                f"{len(rows)} row(s) have fewer values than the header row has column names; their last cells "
                f"are read as blank (rows {', '.join(map(str, rows[:_MAX_LISTED]))}"
                f"{' and more' if len(rows) > _MAX_LISTED else ''})", file=source.label, row=rows[0],
                fix="check the export: a line cut short, or a line break inside a cell, splits a record",
                severity="warning"))
        for column, found in fidelity.heading_collisions(raw.headings or list(raw.frame.columns),
                                                         raw.positions or list(range(len(raw.frame.columns))),
                                                         spec, mapping.get("columns") or {}, _norm_col):
            problems.append(fidelity.collision_problem(column, found, source.label, raw.header_row, source.table))
        frame, unused, named = apply_columns(raw.frame, spec, mapping.get("columns") or {}, raw.headings)
        headings[source.label] = named
        problems.extend(_unused_problems(unused, source))
        missing = [c for c in spec.required if c not in frame.columns]
        given = {str(h).strip().lower() for h in raw.frame.columns}
        for col, hint in (mapping.get("columns") or {}).items():  # a mapping to no heading is no mapping
            if col not in spec.required and str(hint).strip().lower() not in given:
                problems.append(Problem(
                    f"dataset.toml maps {col} to the heading '{str(hint)[:60]}', which {source.label} does not have",
                    file="dataset.toml", column=col, value=str(hint)[:60],
                    fix=f"give the heading as the file writes it under [tables.{source.table}] columns (its "
                        f"headings: {', '.join(repr(str(h)) for h in list(raw.frame.columns)[:8])}"
                        f"{', ...' if len(raw.frame.columns) > 8 else ''}), or remove the mapping"))
        for col in missing:
            hint = mapping.get("columns", {}).get(col)
            problems.append(Problem(f"required column '{col}' is missing", file=source.label, row=raw.header_row,
                                    column=col, fix=(f"the column '{hint}' named in dataset.toml is not in the header"
                                                     if hint else f"add a '{col}' column, or map yours with "
                                                     f"columns = {{ {col} = \"Your heading\" }} under "
                                                     f"[tables.{source.table}] in dataset.toml")))
        if missing:
            continue
        frame = frame.copy()
        for col, value_map in (mapping.get("values") or {}).items():
            if col in frame.columns and isinstance(value_map, dict):
                lookup = {str(k).strip().lower(): str(v) for k, v in value_map.items()}
                text = frame[col].astype("string").str.strip()
                frame[col] = text.str.lower().map(lookup).fillna(text).astype(object)
        maxima = {column: float(mapping[key]) for key, column in maximum_keys(spec).items()
                  if isinstance(mapping.get(key), (int, float)) and not isinstance(mapping.get(key), bool)}
        frames[source.table] = (coerce(frame, spec, source, problems, maxima), source)
        if unused:
            extra[source.table] = raw.frame[unused].copy()
        if source.path.is_file():
            rel = source.path.relative_to(folder) if source.path.is_relative_to(folder) else source.path
            inputs.append(InputFile(_label(str(rel), source.sheet), _sha256(source.path),
                                    source.table, len(frame), source.header_row, headings[source.label]))
    snapshot = config.snapshot or config.period_end
    tables, counts = _finish(frames, problems, contract, config.classification,
                             Period(config.period_start, config.period_end, snapshot))
    if "staff" not in tables and not any(p.severity == "error" for p in problems):
        person_tables = [t for t in tables if contract[t].person_table]
        if person_tables:
            problems.append(Problem("the dataset has no staff table", file=str(path),
                                    fix="add staff.csv: every workforce report needs it"))
    dataset = Dataset(config.organisation, config.period_start, config.period_end, tables, config.sector,
                      snapshot, path, inputs, [p for p in problems if p.severity != "error"], config.raw,
                      extra_columns=extra, **counts)
    dataset.name_headings(problems)
    return dataset, problems


def dataset_from_frames(tables: dict[str, pd.DataFrame], *, organisation: str, period_start: date,
                        period_end: date, sector: str = "other", snapshot: date | None = None,
                        values: dict[str, dict[str, str]] | None = None,
                        contract: Contract | None = None) -> Dataset:
    """A Dataset from DataFrames with canonical column names, checked and classified like files."""
    contract = contract or default_contract()
    problems: list[Problem] = []
    frames = {}
    extra: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if name not in contract:
            raise InputError(f"unknown table '{name}'; use one of {', '.join(contract.tables)}")
        spec = contract[name]
        source = Source(name, Path(f"{name}"), name)
        unused = [c for c in frame.columns if spec.column(str(c)) is None]
        problems.extend(_unused_problems([str(c) for c in unused], source))
        if unused:
            extra[name] = frame[unused].astype("string")
        frame = frame.drop(columns=unused)
        for col in frame.columns:
            if col in (values or {}):
                lookup = {str(k).lower(): v for k, v in values[col].items()}  # type: ignore[index]
                text = frame[col].astype("string").str.strip()
                frame[col] = text.str.lower().map(lookup).fillna(text).astype(object)
        missing = [c for c in spec.required if c not in frame.columns]
        for col in missing:
            problems.append(Problem(f"required column '{col}' is missing", file=name, column=col))
        as_text = frame.astype(object).where(frame.notna(), "").map(
            lambda v: v.date().isoformat() if isinstance(v, pd.Timestamp) else str(v))
        for col in frame.columns:
            if pd.api.types.is_bool_dtype(frame[col]) or str(frame[col].dtype) == "boolean":
                as_text[col] = frame[col].map({True: "true", False: "false"}).fillna("")
        frames[name] = (coerce(as_text, spec, source, problems), source)
    result, counts = _finish(frames, problems, contract, {}, Period(period_start, period_end, snapshot or period_end))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError("the tables cannot be used", errors)
    return Dataset(organisation, period_start, period_end, result, sector, snapshot or period_end,
                   problems=problems, extra_columns=extra, **counts)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    snapshot: date


def _finish(frames: dict[str, tuple[pd.DataFrame, Source]], problems: list[Problem], contract: Contract,
            chosen: dict[str, str], period: Period) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Classify the category columns, check identifiers, keep the period's events and resolve their
    ethnicity.

    Returns the tables and the per-table counts the Dataset records (rows left out of the period,
    sources of event ethnicity).
    """
    classifiers = {c: Classifier(contract.schemes_for(c, chosen.get(c)), c) for c in contract.characteristics()}
    tables: dict[str, pd.DataFrame] = {}
    for name, (frame, source) in frames.items():
        spec = contract[name]
        for col in spec.classified:
            if col.name in frame.columns:
                frame = _classify(frame, col.name, classifiers.get(col.classification or ""), source, name,
                                  contract, problems)
        tables[name] = frame
        if name == "staff" and frame.empty:
            problems.append(Problem("a header row but no staff in it", file=source.label,
                                    fix="export the staff in post again, one row per person (every report that "
                                        "counts people needs them)"))
        if name == "staff":
            dup = frame["person_id"].duplicated(keep="first") & frame["person_id"].notna()
            _bad_values(frame["person_id"].astype("string"), dup, source, "person_id",
                        "person_id appears more than once in staff",
                        "keep one row per person in post (the snapshot), or fix the id", problems)
        if name == "applications":
            dup = frame["application_id"].duplicated(keep="first") & frame["application_id"].notna()
            _bad_values(frame["application_id"].astype("string"), dup, source, "application_id",
                        "application_id appears more than once in applications",
                        "keep one row per application (give applicant_id to link one person's applications)",
                        problems)
            odd = frame["appointed"].fillna(False).astype(bool) & ~frame["shortlisted"].fillna(False).astype(bool)
            if odd.any():
                first = int(odd.to_numpy().argmax())
                problems.append(Problem(f"{int(odd.sum())} application(s) appointed without being shortlisted",
                                        file=source.label, row=source.row(first), column="appointed",
                                        fix="set shortlisted to yes for appointed applicants, or correct appointed",
                                        severity="warning"))
    # every reference, before rows of other years are left out: a label may name last year's case
    references = {(name, c.name): sorted(frame[c.name].dropna().astype(str).str.strip().unique())
                  for name, frame in tables.items() if contract[name].person_table
                  for c in contract[name].columns if c.type == "id" and c.name in frame.columns}
    outside: dict[str, dict[str, int]] = {}
    for name, frame in list(tables.items()):
        if contract[name].period_column is not None:
            tables[name], outside[name] = _keep_period(frame, contract[name], frames[name][1], period, problems)
    staff = tables.get("staff")
    people = _people(staff, tables.get("leavers"))
    sources: dict[str, dict[str, int]] = {}
    for name, frame in list(tables.items()):
        spec = contract[name]
        if not spec.joins_staff or "person_id" not in frame.columns:
            continue
        source = frames[name][1]
        tables[name] = _join_staff(frame, people, source, problems)
        sources[name] = event_ethnicity.summarise(tables[name])
    for name, frame in list(tables.items()):
        if contract[name].period_column is not None and "ethnic_binary" in frame.columns:
            tables[name] = _one_group_per_person(frame, frames[name][1], problems)
    for name, frame in tables.items():
        extra = {}
        if contract[name].period_column is not None:  # event tables: each row is a record of its own
            # records of one year never meet another year's (--compare audits both years together)
            extra[RECORD] = record_codes(frame, f"{name}@{period.end.isoformat()}")
        if "person_id" in frame.columns:  # whom a row counts, hashed once (measures.units)
            codes = unit_codes(frame)
            no_id = frame["person_id"].isna().to_numpy()
            if no_id.any():  # a row without an id is a person of its own, never one of another table's
                codes[no_id] = record_codes(frame, f"{name}-no-id@{period.end.isoformat()}")[no_id]
            extra[UNIT] = codes
        if name == "applications":
            extra[APPLICANT_UNIT] = unit_codes(frame, APPLICANTS, applicant_key(frame) or "application_id")
        tables[name] = frame.assign(**extra)
    events = {name: contract[name].period_column for name in tables
              if contract[name].event and name not in EVENT_TABLES}
    return tables, {"period_exclusions": outside, "ethnicity_sources": sources, "event_tables": events,
                    "references": references}


#: a row whose date column holds a value that is not a date (reported as an error by coerce)
_UNREADABLE = "unreadable"

_PERIOD_WORDS = {
    periods.BEFORE: "dated before the period",
    periods.AFTER: "dated after the period",
    periods.UNDATED: "with no date (assumed to be in the period)",
}


def _keep_period(frame: pd.DataFrame, spec: TableSpec, source: Source, period: Period,
                 problems: list[Problem]) -> tuple[pd.DataFrame, dict[str, int]]:
    """The table's rows in the reporting period; rows outside are counted, impossible dates are errors."""
    column = spec.period_column
    assert column is not None
    if column not in frame.columns:
        problems.append(Problem(f"no '{column}' column: every row is taken to be in the reporting period "
                                f"({long_date(period.start)} to {long_date(period.end)})", file=source.label,
                                column=column, fix=f"add the {column} column (or map yours under "
                                f"[tables.{spec.name}] in dataset.toml) so rows from other years are left out",
                                severity="warning"))
        return frame, {}
    place = periods.place_in_period(frame[column], period.start, period.end, period.snapshot)
    # a value that is not a date is an error already: kept, but never also called undated
    unreadable = frame.index.isin(source.unreadable.get(column, pd.Index([])))
    place = place.mask(unreadable, _UNREADABLE)
    text = frame[column].dt.strftime("%Y-%m-%d").astype(object)
    _bad_values(text, place == periods.AFTER_SNAPSHOT, source, column,
                f"dated after the snapshot date ({long_date(period.snapshot)})",
                "correct the date, or set snapshot and period_end in dataset.toml", problems)
    _bad_values(text, place == periods.IMPLAUSIBLE, source, column, "dated before 1900: not a real date",
                "correct the date (an empty Excel date cell reads as 1900-01-00)", problems)
    counts = {key: int((place == key).sum()) for key in _PERIOD_WORDS}
    for key, words in _PERIOD_WORDS.items():
        if counts[key]:
            first = int((place == key).to_numpy().argmax())
            problems.append(Problem(f"{counts[key]} row(s) {words}" + ("" if key == periods.UNDATED else
                                    " were left out"), file=source.label, row=source.row(frame.index[first]),
                                    column=column, severity="warning",
                                    fix=None if key != periods.UNDATED else f"fill in {column}"))
    keep = place.isin(periods.KEPT).to_numpy(dtype=bool) | unreadable
    return frame[keep], {k: v for k, v in counts.items() if v}


def _one_group_per_person(frame: pd.DataFrame, source: Source, problems: list[Problem]) -> pd.DataFrame:
    """Each person's rows in one ethnic group (:func:`equality_reports.measures.ethnicity.one_group_per_person`,
    by applicant_id for applications when given, else person_id), with a warning where they disagreed."""
    key = applicant_key(frame) or "person_id"
    out, disagree = event_ethnicity.one_group_per_person(frame, key)
    if disagree.any():
        first = int(disagree.argmax())
        people = frame[key].to_numpy(dtype=object)[disagree]
        problems.append(Problem(
            f"{len(set(people))} {'applicant' if key == 'applicant_id' else 'person'}(s) have different ethnic groups "
            f"on different rows; each is counted in the group of their first row with a known group",
            file=source.label, row=source.row(frame.index[first]), column="ethnicity", value=str(people[0]),
            fix="correct the ethnic group so that each person's rows agree", severity="warning"))
    return out


#: marks the rows of :func:`_people` that come from the leavers table
_LEFT = "__left"


def _people(staff: pd.DataFrame | None, leavers: pd.DataFrame | None) -> pd.DataFrame | None:
    """One row per person an event can belong to: staff in post, then leavers not in post (their
    leaving record gives their ethnic group, grade and service), ``_LEFT`` marking the latter."""
    if leavers is None or "person_id" not in leavers.columns:
        return None if staff is None else staff.assign(**{_LEFT: False})
    gone = leavers[leavers["person_id"].notna()]
    if staff is not None:
        gone = gone[~gone["person_id"].isin(staff["person_id"])]
    columns = [c for c in ("person_id", *event_ethnicity.COLUMNS, *JOINED_STAFF_COLUMNS) if c in gone.columns]
    gone = gone[columns].drop_duplicates("person_id").assign(**{_LEFT: True})
    return gone if staff is None else pd.concat([staff.assign(**{_LEFT: False}), gone], ignore_index=True)


def _join_staff(frame: pd.DataFrame, people: pd.DataFrame | None, source: Source,
                problems: list[Problem]) -> pd.DataFrame:
    """The event rows with their person's ethnic group (where they give none of their own) and staff
    columns (:data:`JOINED_STAFF_COLUMNS`), from :func:`_people` by ``person_id``."""
    extra = [c for c in JOINED_STAFF_COLUMNS if people is not None and c in people.columns and c not in frame.columns]
    out = frame
    left = None
    if people is not None:
        lookup = people.drop_duplicates("person_id").set_index("person_id")
        joined = lookup.reindex(frame["person_id"])
        joined.index = frame.index
        for col in extra:
            out = out.assign(**{col: joined[col]})
        for col in (c for c in JOINED_STAFF_COLUMNS if c in frame.columns and c in people.columns):
            out = out.assign(**{col: frame[col].where(frame[col].notna(), joined[col])})  # own value first
        person = joined.reindex(columns=list(event_ethnicity.COLUMNS))
        left = joined[_LEFT].fillna(False).astype(bool)
    else:
        person = pd.DataFrame(None, index=frame.index, columns=list(event_ethnicity.COLUMNS))
    out = event_ethnicity.resolve(out, person, left)
    in_post = frame["person_id"].isin(people.loc[~people[_LEFT], "person_id"]) if people is not None else \
        pd.Series(False, index=frame.index)
    own_blank = frame["ethnicity_raw"].astype("string").fillna("").str.strip() == "" \
        if "ethnicity_raw" in frame.columns else pd.Series(True, index=frame.index)
    missing = own_blank & ~in_post & (out["ethnicity_source"] == event_ethnicity.UNKNOWN)
    if missing.any():
        first = int(missing.to_numpy().argmax())
        problems.append(Problem(f"{int(missing.sum())} row(s) have no ethnic group of their own and a "
                                f"person_id neither in staff nor on a leavers record giving one; they are counted "
                                f"as ethnicity not known",
                                file=source.label, row=source.row(out.index[first]), column="person_id",
                                value=str(out["person_id"].iloc[first]),
                                fix="fill in ethnicity for people who have left, or check the ids",
                                severity="warning"))
    return out


def _classify(frame: pd.DataFrame, column: str, classifier: Classifier | None, source: Source, table: str,
              contract: Contract, problems: list[Problem]) -> pd.DataFrame:
    """The column's categories in place of its values (kept as ``<column>_raw``); ethnicity also gets
    ``ethnic_group`` and ``ethnic_binary``. Unrecognised ethnic groups are errors with a fix; other
    characteristics' unrecognised values are counted as not known, with a warning."""
    spec = contract[table].column(column)
    characteristic = spec.classification if spec is not None else None
    raw = frame[column].astype("string").fillna("")
    if classifier is None or not classifier.schemes:
        problems.append(Problem(f"no classification scheme for {characteristic} is registered, so '{column}' "
                                f"cannot be read", file=source.label, column=column,
                                fix=f"install the plugin that registers a {characteristic} scheme, or check "
                                    f"'classification' in dataset.toml"))
        return frame.drop(columns=[column])
    classified = classifier.classify(raw)
    unmapped = classified[characteristic].isna()
    if characteristic == ETHNICITY:
        suggest = Classifier(list(contract.schemes.values()))
        _bad_values(raw, unmapped, source, column, "ethnic group not recognised",
                    lambda v: fidelity.ethnicity_fix(v, table, suggest), problems)
    else:  # a value no scheme knows is counted as not known, with a warning (ethnicity: an error)
        categories = classifier.categories()
        known = ", ".join(categories.values())
        lenient = NOT_KNOWN in categories
        _bad_values(raw, unmapped, source, column,
                    f"{characteristic} not recognised" + ("; counted as not known" if lenient else ""),
                    lambda v: f'map it under [tables.{table}] in dataset.toml: values.{column} = {{ "{v}" = "..." }} '
                              f"with one of {known}", problems, severity="warning" if lenient else "error")
        if lenient:
            classified[characteristic] = classified[characteristic].where(~unmapped, NOT_KNOWN)
    derived = {(column if c == characteristic else c): classified[c] for c in classified.columns}
    return frame.assign(**{f"{column}_raw": raw.astype(object)}, **derived)
