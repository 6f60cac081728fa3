"""Counting people or records by group, the one way every report counts.

Where a duty or standard counts people (training received, appraisal benefit and detriment,
grievances, disciplinary, leavers, applicants for training and promotion), a person with several
rows is counted once in each outcome they had: :func:`count_people`. Applicants for employment are
counted by ``applicant_id`` when the data gives one, else by application: :func:`count_applicants`.
Rows without an identifier are counted one each, since nothing says they are the same person.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PERSON = "person_id"
APPLICANT = "applicant_id"


def _selected(frame: pd.DataFrame, mask: pd.Series | None) -> pd.DataFrame:
    if mask is None:
        return frame
    return frame[mask.fillna(False).to_numpy(dtype=bool)]


def count_rows(frame: pd.DataFrame, by: str, ids: Sequence[str], mask: pd.Series | None = None) -> pd.Series:
    """Records (rows where ``mask`` is true) per group id in ``by``; every id present, in order."""
    counts = _selected(frame, mask)[by].value_counts(dropna=False)
    return counts.reindex(list(ids), fill_value=0).astype("int64")


def count_people(frame: pd.DataFrame, by: str, ids: Sequence[str], mask: pd.Series | None = None,
                 key: str = PERSON) -> pd.Series:
    """Distinct people (``key``) per group id among rows where ``mask`` is true.

    A person is placed in the group of their first selected row; rows with no ``key`` count once each.
    """
    rows = _selected(frame, mask)
    if key not in rows.columns:
        return count_rows(rows, by, ids)
    ident = rows[key]
    first = ~ident.duplicated() | ident.isna()
    return count_rows(rows, by, ids, pd.Series(np.asarray(first, dtype=bool), index=rows.index))


def applicant_key(frame: pd.DataFrame) -> str | None:
    """``applicant_id`` when applications record who applied, else None (count applications)."""
    if APPLICANT in frame.columns and frame[APPLICANT].notna().any():
        return APPLICANT
    return None


def count_applicants(frame: pd.DataFrame, by: str, ids: Sequence[str],
                     mask: pd.Series | None = None) -> pd.Series:
    """Applicants per group: people by ``applicant_id`` when given, else applications."""
    key = applicant_key(frame)
    if key is None:
        return count_rows(frame, by, ids, mask)
    return count_people(frame, by, ids, mask, key=key)
