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

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

PEOPLE = "people"
APPLICANTS = "applicants"
#: the column holding each event row's record code, added at intake (records are units when a
#: table counts records rather than people)
RECORD = "_record"


#: each row's person code, added at intake to staff and event tables so counting need not hash
UNIT = "_unit"
#: each application's applicant code (by applicant_id when given, else application_id), added at intake
APPLICANT_UNIT = "_applicant"


def unit_codes(frame: pd.DataFrame, universe: str = PEOPLE, key: str = "person_id") -> np.ndarray:
    """Each row's unit code (uint64), hashed from ``universe`` and the row's ``key`` identifier
    (read from the ``_unit`` column intake adds, for people)."""
    added: np.ndarray  # pandas is untyped here: name what to_numpy() returns
    if universe == PEOPLE and key == "person_id" and UNIT in frame.columns:
        added = frame[UNIT].to_numpy(dtype=np.uint64)
        return added
    if universe == APPLICANTS and APPLICANT_UNIT in frame.columns:
        added = frame[APPLICANT_UNIT].to_numpy(dtype=np.uint64)
        return added
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
    codes: np.ndarray = pd.util.hash_array(np.asarray(frame.index)).astype(np.uint64) ^ salt
    return codes


def record_owners(tables: Mapping[str, pd.DataFrame]) -> tuple[np.ndarray, np.ndarray]:
    """Every record code of the event tables (sorted) and the code of the person it belongs to:
    a reader knows a group has at least as many records as people with a record, and the audit
    uses it (see :func:`equality_reports.audit.audit`)."""
    parts = [(frame[RECORD].to_numpy(dtype=np.uint64), frame[UNIT].to_numpy(dtype=np.uint64))
             for frame in tables.values() if RECORD in frame.columns and UNIT in frame.columns]
    if not parts:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint64)
    records = np.concatenate([r for r, _ in parts])
    owners = np.concatenate([o for _, o in parts])
    order = np.argsort(records, kind="stable")
    return records[order], owners[order]


def hash_text(values: np.ndarray) -> np.ndarray:
    codes: np.ndarray = pd.util.hash_array(values, categorize=True).astype(np.uint64)
    return codes


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


def tallied_units(table: str, pools: Sequence[object], sizes: np.ndarray, parts: np.ndarray,
                  part_of: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Units for counts a table gives already tallied (a staff survey's respondents, and those
    answering one question yes): row ``i`` stands for ``sizes[i]`` units of ``pools[i]`` (rows of
    one pool and size hold the same units: the same respondents answering several questions), and
    ``parts[i]`` of them are its part, chosen by ``part_of`` (each question's "yes" its own subset
    of the respondents). Returns (every row's units, the parts' units), so a count adding rows up
    (a whole workforce from its services' rows) holds exactly their units and the audit relates it
    to them."""
    sizes = np.asarray(sizes, dtype=np.int64)
    parts = np.minimum(np.asarray(parts, dtype=np.int64), sizes)
    salts = hash_text(np.array([f"{table}:{pool}:{size}" for pool, size in zip(pools, sizes)], dtype=object))
    row = np.repeat(np.arange(len(sizes)), sizes)
    k = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    with np.errstate(over="ignore"):
        codes = np.repeat(salts, sizes) ^ ((k.astype(np.uint64) + np.uint64(1)) * _MIX)
        order = (codes ^ hash_text(np.array([f"{table}:part:{part_of}"], dtype=object))[0]) * _MIX
    ranked = np.lexsort((order, row))  # by row, then the part's own order within the row
    rank = np.empty(len(codes), dtype=np.int64)
    rank[ranked] = k  # k runs 0.. within each row, in row order
    return codes, codes[rank < np.repeat(parts, sizes)]


def union(*parts: np.ndarray) -> np.ndarray:
    """The codes of several disjoint unit sets (the groups of a breakdown, the rows of a table),
    in no particular order: a set's identity is its :func:`fingerprint`, not its order."""
    if not parts:
        return np.empty(0, dtype=np.uint64)
    return np.concatenate(parts)


_MIX = np.uint64(0x9E3779B97F4A7C15)


def fingerprint(codes: np.ndarray) -> tuple[int, int, int]:
    """An order-free identity of a set of distinct codes: its size, the wrapping sum of the codes
    and the wrapping sum of a non-linear mix of them (a multiple of the first sum would add nothing)."""
    codes = np.asarray(codes, dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = (codes ^ (codes >> np.uint64(31))) * _MIX
        mixed ^= mixed >> np.uint64(29)
        return (len(codes), int(codes.sum(dtype=np.uint64)), int(mixed.sum(dtype=np.uint64)))


def in_universe_of_its_own(tables: dict[str, pd.DataFrame], name: str) -> dict[str, pd.DataFrame]:
    """The tables with every unit code moved into a universe of its own (``name``), for another
    year's dataset: the same person last year and this year are then different units. The audit
    relates last year's publication to this year's restatements of it, not people across years
    (whether someone joined or left is not something a reader knows)."""
    salt = hash_text(np.array([f"universe:{name}"], dtype=object))[0]
    out = {}
    for table, frame in tables.items():
        moved = {c: frame[c].to_numpy(dtype=np.uint64) ^ salt for c in (UNIT, APPLICANT_UNIT, RECORD)
                 if c in frame.columns}
        out[table] = frame.assign(**moved) if moved else frame
    return out
