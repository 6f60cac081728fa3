"""Which event rows fall in the reporting period.

Every event table of the data contract names the date that places a row in time
(``TableSpec.period_column``: application, training, appraisal, grievance, disciplinary,
leaving and referral dates). The engine keeps only rows dated within the period, so every report
counts the same year's events:

* dated from ``period_start`` to ``period_end``: kept;
* dated before ``period_start``: left out and counted (an extract usually overlaps last year);
* dated after ``period_end`` but not after the snapshot: left out and counted;
* dated after the snapshot, or before 1 March 1900 (a blank Excel date read as a serial number):
  an error naming the row, because the date cannot be right;
* no date in a dated table: kept (assumed to be the period's) and counted;
* a table without its date column: assumed to be the period's extract, with one warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from equality_reports.measures.units import hash_text

#: Dates before this are taken as damaged (Excel's serial day 0 and its 1900 leap-year bug).
EARLIEST = pd.Timestamp("1900-03-01")

IN_PERIOD = "in_period"
BEFORE = "before_period"
AFTER = "after_period"
UNDATED = "undated"
AFTER_SNAPSHOT = "after_snapshot"
IMPLAUSIBLE = "implausible"

#: outcomes that are input errors rather than rows left out
ERRORS = (AFTER_SNAPSHOT, IMPLAUSIBLE)
#: outcomes whose rows are kept
KEPT = (IN_PERIOD, UNDATED)


def outside_units(table: str, left_out: Mapping[str, int]) -> np.ndarray:
    """Unit codes for the rows ``table`` lost to the period: records no other count includes, so
    codes of their own (one per row) are enough for the disclosure audit to see them."""
    salt = hash_text(np.array([f"{table}:outside-period"], dtype=object))[0]
    codes: np.ndarray = pd.util.hash_array(np.arange(dated_outside(left_out))).astype(np.uint64) ^ salt
    return codes


def dated_outside(left_out: Mapping[str, int]) -> int:
    """Rows a table lost to the period (before it or after it), from ``Dataset.period_exclusions``;
    undated rows were kept, so they do not count."""
    return sum(n for reason, n in left_out.items() if reason != UNDATED)


def place_in_period(dates: pd.Series, start: date, end: date, snapshot: date | None) -> pd.Series:
    """Each row's place relative to the period: one of the outcome names above (vectorised)."""
    when = pd.to_datetime(dates, errors="coerce")
    first, last = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    limit = pd.Timestamp(snapshot or end) + pd.Timedelta(days=1)
    limit = max(limit, last)
    out = pd.Series(IN_PERIOD, index=dates.index, dtype=object)
    out[when.isna().to_numpy(dtype=bool)] = UNDATED
    out[(when < first).fillna(False).to_numpy(dtype=bool)] = BEFORE
    out[(when >= last).fillna(False).to_numpy(dtype=bool)] = AFTER
    out[(when >= limit).fillna(False).to_numpy(dtype=bool)] = AFTER_SNAPSHOT
    out[(when < EARLIEST).fillna(False).to_numpy(dtype=bool)] = IMPLAUSIBLE
    return out


def year_label(start: date, end: date) -> str:
    """How a reporting year is headed: "2024/25" for a financial year (1 April to 31 March),
    "2025" for a calendar year, else "Apr 2024 – Mar 2025"."""
    if (start.month, start.day) == (4, 1) and end == date(start.year + 1, 3, 31):
        return f"{start.year}/{(start.year + 1) % 100:02d}"
    if (start.month, start.day) == (1, 1) and end == date(start.year, 12, 31):
        return str(start.year)
    return f"{start:%b %Y} – {end:%b %Y}"
