"""Counting people or records by group, the one way every report counts.

Where a duty or standard counts people (training received, appraisal benefit and detriment,
grievances, disciplinary, leavers, applicants for training and promotion), a person with several
rows is counted once in each outcome they had: :func:`count_people`. Applicants for employment are
counted by ``applicant_id`` when the data gives one, else by application: :func:`count_applicants`.
Rows without an identifier are counted one each, since nothing says they are the same person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from equality_reports.measures.units import APPLICANTS, PEOPLE, RECORD, unit_codes, units_by

PERSON = "person_id"
APPLICANT = "applicant_id"


def _selected(frame: pd.DataFrame, mask: pd.Series | None) -> pd.DataFrame:
    if mask is None:
        return frame
    return frame[mask.fillna(False).to_numpy(dtype=bool)]


def count_rows(frame: pd.DataFrame, by: str, ids: Sequence[str], mask: pd.Series | None = None) -> pd.Series:
    """Records (rows where ``mask`` is true) per group id in ``by``; every id present, in order."""
    return _tally(frame, by, ids, mask)


def _tally(frame: pd.DataFrame, by: str, ids: Sequence[str], mask: pd.Series | None) -> pd.Series:
    counts = _selected(frame, mask)[by].value_counts(dropna=False)
    return counts.reindex(list(ids), fill_value=0).astype("int64")


def count_people(frame: pd.DataFrame, by: str, ids: Sequence[str], mask: pd.Series | None = None,
                 key: str = PERSON) -> pd.Series:
    """Distinct people (``key``) per group id among rows where ``mask`` is true.

    A person is placed in the group of their first selected row; rows with no ``key`` count once each.
    """
    return _tally(frame, by, ids, person_rows(frame, mask, key))


def person_rows(frame: pd.DataFrame, mask: pd.Series | None = None, key: str = PERSON) -> pd.Series:
    """The rows that stand for people: for each person with a row where ``mask`` is true, their
    first row in the table, so a person is in the same group for every outcome counted (rows
    without ``key`` stand for themselves). Counting and the units behind a count both use this."""
    keep = pd.Series(True, index=frame.index) if mask is None else mask.fillna(False).astype(bool)
    if key not in frame.columns:
        return keep
    ident = frame[key]
    no_id = ident.isna().to_numpy()
    chosen = ident[keep.to_numpy(dtype=bool) & ~no_id].unique()
    first = (~ident.duplicated()).to_numpy(dtype=bool) & ident.isin(chosen).to_numpy(dtype=bool)
    return pd.Series(first | (no_id & keep.to_numpy(dtype=bool)), index=frame.index)


def applicant_key(frame: pd.DataFrame) -> str | None:
    """``applicant_id`` when applications record who applied, else None (count applications)."""
    if APPLICANT in frame.columns and frame[APPLICANT].notna().any():
        return APPLICANT
    return None


def count_applicants(frame: pd.DataFrame, by: str, ids: Sequence[str],
                     mask: pd.Series | None = None) -> pd.Series:
    """Applicants per group: people by ``applicant_id`` when given, else applications."""
    return _tally(frame, by, ids, applicant_rows(frame, mask))


# --- whom a count counts (for the disclosure audit; see .units) -----------------------------------

def record_units(frame: pd.DataFrame, by: str, ids: Sequence[str],
                 mask: pd.Series | None = None) -> dict[str, np.ndarray]:
    """The records :func:`count_rows` counts, per group id (people for tables without record codes)."""
    codes = frame[RECORD].to_numpy(dtype=np.uint64) if RECORD in frame.columns else unit_codes(frame)
    return units_by(frame, by, ids, mask, codes)


def people_units(frame: pd.DataFrame, by: str, ids: Sequence[str], mask: pd.Series | None = None,
                 key: str = PERSON) -> dict[str, np.ndarray]:
    """The people :func:`count_people` counts, per group id."""
    universe = APPLICANTS if key == APPLICANT else PEOPLE
    return units_by(frame, by, ids, person_rows(frame, mask, key), unit_codes(frame, universe, key))


def applicant_units(frame: pd.DataFrame, by: str, ids: Sequence[str],
                    mask: pd.Series | None = None) -> dict[str, np.ndarray]:
    """The applicants (or applications) :func:`count_applicants` counts, per group id."""
    key = applicant_key(frame) or "application_id"
    return units_by(frame, by, ids, applicant_rows(frame, mask), unit_codes(frame, APPLICANTS, key))


def applicant_rows(frame: pd.DataFrame, mask: pd.Series | None = None) -> pd.Series:
    """The rows that stand for applicants: one per ``applicant_id`` when given, else every row."""
    key = applicant_key(frame)
    if key is None:
        return pd.Series(True, index=frame.index) if mask is None else mask.fillna(False).astype(bool)
    return person_rows(frame, mask, key)


# --- a count by group together with whom it counts ------------------------------------------------

CountKind = Literal["rows", "people", "applicants"]
_COUNTERS = {"rows": (count_rows, record_units), "people": (count_people, people_units),
             "applicants": (count_applicants, applicant_units)}


@dataclass(frozen=True)
class Tally:
    """A count per group id (in order) and whom each group's count counts: the unit codes
    (:mod:`.units`) of the records, people or applicants counted, exactly as many as the count. A
    table cell declaring them lets the disclosure audit relate it to every other cell of the run."""

    counts: dict[str, int]
    units: dict[str, np.ndarray]

    def __getitem__(self, group: str) -> int:
        return self.counts[group]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def series(self) -> pd.Series:
        """The counts as an int64 series indexed by group id, in order."""
        return pd.Series(self.counts, dtype="int64")


def count_by_group(kind: CountKind, frame: pd.DataFrame, by: str, ids: Sequence[str],
                   mask: pd.Series | None = None) -> Tally:
    """Count ``frame``'s rows where ``mask`` is true per group id in column ``by``: ``"rows"``
    (:func:`count_rows`), ``"people"`` (:func:`count_people`) or ``"applicants"``
    (:func:`count_applicants`), with the units behind each count."""
    count, units = _COUNTERS[kind]
    counts = count(frame, by, ids, mask)
    return Tally({g: int(counts[g]) for g in ids}, units(frame, by, ids, mask))
