"""Reading number columns exactly as the user meant them, with the bounds the data contract sets.

One rule for every number column (FTE, age, survey counts, benchmark counts, and pay or hours
columns a plugin adds): the text is parsed over its distinct values, then checked against the
column's :class:`~equality_reports.intake.contract.ColumnSpec` bounds (``minimum``,
``maximum``, ``allow_zero``, ``integer``, ``percent``). Nothing is stripped silently: a ``%``
outside a percentage column, a decimal comma in a file whose decimal mark is the point, NaN,
infinite or huge values are each reported with what to do.

Decimal marks: in semicolon-separated files (Excel's CSV where the decimal mark is the comma)
``0,5`` is 0.5 and ``1.234,5`` is 1234.5; a point also reads as a decimal point there (``0.5``),
except ``1.234``, which could be either and is reported. Everywhere else the point is the
decimal mark and a comma may only group thousands (``1,234`` and ``1,234.5``). In a column of
whole numbers (counts) ``1.234`` in a decimal-comma file can only be 1234.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from equality_reports.intake.contract import ColumnSpec

#: beyond this a number cannot be a real count, amount or rate (and float64 stops holding whole
#: numbers exactly at about 9e15)
HUGE = 1e15

_SCI = r"(?:[eE][+-]?\d+)?"
_POINT = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d*)?" + _SCI + r"|[+-]?\.\d+" + _SCI, re.ASCII)
_COMMA_DECIMAL = re.compile(r"[+-]?\d*,\d+|[+-]?\d+,", re.ASCII)
# decimal-comma files: thousands grouped with points or spaces, an optional decimal comma
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[. \u00a0\u202f]\d{3})+(?:,\d*)?", re.ASCII)
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}", re.ASCII)
_PLAIN_POINT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)" + _SCI, re.ASCII)
_WORDS = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """Why a value cannot be used, and what to do."""

    message: str
    fix: str


def _parse_one(text: str, decimal: str) -> tuple[float | None, str]:
    """The number a text means and '' or the name of the reason it cannot be read."""
    if decimal == ",":
        if _AMBIGUOUS.fullmatch(text):
            return None, "ambiguous"
        if _GROUPED.fullmatch(text):
            return float(re.sub(r"[. \u00a0\u202f]", "", text).replace(",", ".")), ""
        if _COMMA_DECIMAL.fullmatch(text):
            return float(text.replace(",", ".")), ""
        if _PLAIN_POINT.fullmatch(text):
            return float(text), ""
    else:
        if _POINT.fullmatch(text):
            return float(text.replace(",", "")), ""
        if _COMMA_DECIMAL.fullmatch(text):
            return None, "decimal_comma"
    if _WORDS.fullmatch(text):
        return float(text.lower().replace("infinity", "inf")), ""
    return None, "not_a_number"


def _fmt(value: float) -> str:
    return f"{value:g}"


def read_numbers(raw: pd.Series, blank: pd.Series, col: ColumnSpec, *, decimal: str = ".", maximum: float | None = None,
                 table: str = "NAME") -> tuple[pd.Series, dict[str, Finding], pd.Series]:
    """Parse a text column as numbers and check it against the column's bounds.

    Returns the values (float, NaN where blank or unusable), the findings by reason key and, per
    row, the reason key ('' when the value is fine or blank). Work is done once per distinct value,
    vectorised for plain numbers. ``maximum`` overrides the contract's maximum (``fte_max`` in
    dataset.toml, for example).
    """
    top = col.maximum if maximum is None else maximum
    codes, uniques = pd.factorize(raw.where(~blank), use_na_sentinel=True)
    text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str).str.strip()
    number = pd.Series(np.nan, index=text.index, dtype="float64")
    reason = pd.Series("", index=text.index, dtype=object)
    plain = text.str.fullmatch(r"[+-]?[0-9]+(?:\.[0-9]*)?" if decimal != "," else r"[+-]?[0-9]+").fillna(False)
    number[plain] = pd.to_numeric(text[plain], errors="coerce")
    for i in text.index[~plain.to_numpy(dtype=bool)]:
        s = text[i]
        if s.endswith("%"):
            if not col.percent:
                reason[i] = "percent_sign"
                continue
            s = s[:-1].rstrip()
        value, why = _parse_one(s, decimal)
        if why == "ambiguous" and col.integer:  # a count cannot be 1.234: the point groups thousands
            value, why = float(s.replace(".", "")), ""
        number[i], reason[i] = (np.nan if value is None else value), why
    ok = reason == ""
    checks = [
        ("nan", number.isna()),
        ("infinite", np.isinf(number)),
        ("above", number > top) if top is not None else ("huge", number.abs() > HUGE),
        ("below", number < col.minimum) if col.minimum is not None else ("below", pd.Series(False, index=number.index)),
        ("zero", (number == 0) & (not col.allow_zero)),
        ("fraction", (number % 1 != 0) & col.integer),
    ]
    for key, mask in checks:
        hit = ok & mask.fillna(False).astype(bool)
        reason[hit] = key
        ok &= ~hit
    number[~ok] = np.nan
    found = codes >= 0
    values = np.full(len(raw), np.nan)
    values[found] = number.to_numpy()[codes[found]]
    row_why = np.full(len(raw), "", dtype=object)
    row_why[found] = reason.to_numpy()[codes[found]]
    parsed = pd.Series(values, index=raw.index, dtype="float64")
    reason_per_row = pd.Series(row_why, index=raw.index, dtype=object)
    return parsed, _findings(col, top, table), reason_per_row


def _findings(col: ColumnSpec, top: float | None, table: str) -> dict[str, Finding]:
    lower = "above 0" if col.minimum == 0 and not col.allow_zero else \
        f"at least {_fmt(col.minimum)}" if col.minimum is not None else ""
    upper = f"at most {_fmt(top)}" if top is not None else ""
    allowed = " and ".join(p for p in (lower, upper) if p)
    rule = f"{col.name} must be a number {allowed}" if allowed else f"{col.name} must be a finite number"
    override = (f", or if larger values are right for you set {col.name}_max under [tables.{table}] in "
                f"dataset.toml" if top is not None and not col.percent else "")
    plain = "write a plain number such as 0.5 or 1234" if not col.integer else "write a whole number such as 12"
    return {
        "not_a_number": Finding("not a number", f"{plain} (no units, currency signs or words)"),
        "percent_sign": Finding("has a percentage sign, which this column does not take",
                                f"write a plain number without '%': {col.name} is not a percentage"
                                f"{' (50% of full time is 0.5)' if top is not None and top <= 10 else ''}"),
        "decimal_comma": Finding("has a decimal comma in a file whose decimal mark is the point",
                                 "write 0.5, not 0,5 (a decimal comma is read only in semicolon-separated CSV "
                                 "files), or write thousands as 1,234"),
        "ambiguous": Finding("could be a decimal (1.234) or thousands (1234) in a file with decimal commas",
                             "write 1,234 for a decimal or 1234 for a whole number"),
        "nan": Finding("is NaN (not a number)", f"leave the cell empty when the value is not known, or {plain}"),
        "infinite": Finding("is infinite", f"correct the value: {rule}"),
        "huge": Finding(f"is too large to be a real value (more than {_fmt(HUGE)})", "correct the value"),
        "above": Finding(f"is more than {_fmt(top) if top is not None else ''}, the largest allowed",
                         f"correct the value ({rule}){override}"),
        "below": Finding(f"is {'negative' if col.minimum == 0 else 'below ' + _fmt(col.minimum or 0)}, "
                         f"which is not allowed", f"correct the value ({rule})"),
        "zero": Finding("is 0, which is not allowed", f"correct the value ({rule}); leave it empty if not known"),
        "fraction": Finding("is not a whole number", f"correct the value ({col.name} counts people or items)"),
    }


def report_numbers(raw: pd.Series, reasons: pd.Series, findings: dict[str, Finding],
                   report: Callable[[pd.Series, str, str], None]) -> None:
    """Call ``report(mask, message, fix)`` once per reason found in the column."""
    present = [r for r in pd.unique(reasons.to_numpy(dtype=object)) if r]
    for key in findings:
        if key in present:
            report(reasons == key, findings[key].message, findings[key].fix)
