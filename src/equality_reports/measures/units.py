"""Whom a count counts: the units (people, applicants) behind every published cell.

A count cell that declares its units lets the engine derive every relation between the cells a run
publishes (a total and its parts, the same people broken down two ways, one table nested in
another) without a plugin spelling them out, and lets the disclosure auditor
(:mod:`equality_reports.audit`) work out what a reader could learn by combining them.

Units are 64-bit codes hashed from an identifier within a universe, so the same person has the
same code in every table (staff, disciplinary cases, training records) and an applicant's code
never meets a member of staff's. A row without an identifier is a unit of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PEOPLE = "people"
APPLICANTS = "applicants"
#: the column holding each event row's record code, added at intake (records are units when a
#: table counts records rather than people)
RECORD = "_record"


def unit_codes(frame: pd.DataFrame, universe: str = PEOPLE, key: str = "person_id") -> np.ndarray:
    """Each row's unit code (uint64), hashed from ``universe`` and the row's ``key`` identifier."""
    ids = frame[key].astype("string") if key in frame.columns else \
        pd.Series(pd.NA, index=frame.index, dtype="string")
    codes = hash_text((universe + ":" + ids.fillna("")).to_numpy(dtype=object))
    missing = ids.isna().to_numpy()
    if missing.any():  # each row without an id is a unit of its own
        codes[missing] = record_codes(frame, f"{universe}-no-id")[missing]
    return codes


def record_codes(frame: pd.DataFrame, table: str) -> np.ndarray:
    """A code for each row of ``table`` itself (its position in the table as read)."""
    salt = hash_text(np.array([table], dtype=object))[0]
    return pd.util.hash_array(np.asarray(frame.index)).astype(np.uint64) ^ salt


def hash_text(values: np.ndarray) -> np.ndarray:
    return pd.util.hash_array(values, categorize=True).astype(np.uint64)


def units_by(frame: pd.DataFrame, by: str, ids: Sequence[str], mask: pd.Series | None,
             codes: np.ndarray) -> dict[str, np.ndarray]:
    """The sorted distinct codes per group id among rows where ``mask`` is true."""
    groups = frame[by].to_numpy(dtype=object)
    if mask is not None:
        keep = mask.fillna(False).to_numpy(dtype=bool)
        codes, groups = codes[keep], groups[keep]
    out: dict[str, np.ndarray] = {}
    for gid in ids:
        out[gid] = np.unique(codes[groups == gid])
    return out


def union(*parts: np.ndarray) -> np.ndarray:
    """The sorted distinct codes of several unit sets."""
    if not parts:
        return np.empty(0, dtype=np.uint64)
    return np.unique(np.concatenate(parts))
