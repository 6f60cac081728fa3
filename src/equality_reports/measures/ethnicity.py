"""Where an event row's ethnicity comes from.

Row by row: the event's own value when it is a known category; otherwise the person's value on
the ``staff`` table (by ``person_id``), or, for someone no longer in post, on the ``leavers`` table;
otherwise not known. The source of each row is kept in ``ethnicity_source`` (``own``, ``staff``,
``leavers`` or ``unknown``) and summarised by ``validate``, so a mostly blank ethnicity column on
an event table never silently turns into "not known".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: classified columns that travel together
COLUMNS = ("ethnicity_raw", "ethnicity", "ethnic_group", "ethnic_binary")
OWN, STAFF, LEAVERS, UNKNOWN = "own", "staff", "leavers", "unknown"
SOURCES = (OWN, STAFF, LEAVERS, UNKNOWN)


def resolve(events: pd.DataFrame, staff_values: pd.DataFrame, left: pd.Series | None = None) -> pd.DataFrame:
    """``events`` with the four classified columns resolved and ``ethnicity_source`` added.

    ``staff_values`` holds the classified columns of each event row's person (aligned to
    ``events``' index; missing where the person is on neither table); ``left`` is True for rows
    whose person was found on the leavers table, not in post.
    """
    own_known = _known(events)
    staff_known = _known(staff_values)
    use_staff = ~own_known & staff_known
    out = events.copy()
    for col in COLUMNS:
        own = events[col] if col in events.columns else pd.Series(None, index=events.index, dtype=object)
        out[col] = own.astype(object).where(~use_staff, staff_values[col].astype(object))
    unknown = ~own_known & ~staff_known
    out["ethnicity"] = out["ethnicity"].where(~unknown, _unknown_category(events, unknown))
    out["ethnic_group"] = out["ethnic_group"].where(~unknown, "unknown")
    out["ethnic_binary"] = out["ethnic_binary"].where(~unknown, "unknown")
    out["ethnicity_raw"] = out["ethnicity_raw"].fillna("")
    source = pd.Series(UNKNOWN, index=events.index, dtype=object)
    source[own_known.to_numpy(dtype=bool)] = OWN
    source[use_staff.to_numpy(dtype=bool)] = STAFF
    if left is not None:
        source[(use_staff & left.reindex(events.index, fill_value=False)).to_numpy(dtype=bool)] = LEAVERS
    out["ethnicity_source"] = source
    return out


def one_group_per_person(events: pd.DataFrame, key: str) -> tuple[pd.DataFrame, np.ndarray]:
    """``events`` with every row of a person (same ``key``) given the ethnicity of their first row
    whose group is known (else of their first row), so a person is in one group in every count and
    in every part of the table a report counts (a service, a population). Rows without ``key``
    stand for themselves. Also returns the rows whose known group was another (the person's rows
    disagree), for a warning."""
    n = len(events)
    codes = pd.factorize(events[key])[0] if key in events.columns else np.full(n, -1)
    if n == 0 or (codes < 0).all():
        return events, np.zeros(n, dtype=bool)
    position = np.arange(n)
    # the chosen row of each person: the first known, else the first (known rows sort first)
    known = _known(events).to_numpy(dtype=bool)
    rank = np.where(known, 0, 1)
    order = np.lexsort((position, rank, codes))  # by person, then known first, then file order
    people, start = np.unique(codes[order], return_index=True)  # each person's first row in that order
    first = np.full(codes.max() + 1, -1)
    first[people[people >= 0]] = order[start[people >= 0]]
    chosen = np.where(codes >= 0, first[np.maximum(codes, 0)], position)
    columns = [c for c in (*COLUMNS, "ethnicity_source") if c in events.columns]
    out = events.copy()
    for col in columns:
        out[col] = events[col].to_numpy(dtype=object)[chosen]
    ethnicity = events["ethnicity"].to_numpy(dtype=object) if "ethnicity" in events.columns else np.full(n, None)
    return out, known & (ethnicity != ethnicity[chosen])


def _known(frame: pd.DataFrame) -> pd.Series:
    if "ethnic_binary" not in frame.columns:
        return pd.Series(False, index=frame.index, dtype=bool)
    binary = frame["ethnic_binary"].astype(object)
    return (binary.notna() & (binary != "unknown")).astype(bool)


def _unknown_category(events: pd.DataFrame, unknown: pd.Series) -> pd.Series:
    """Keep 'not stated' where the event said so; anything else unknown is 'not known'."""
    own = events["ethnicity"].astype(object) if "ethnicity" in events.columns else \
        pd.Series(None, index=events.index, dtype=object)
    return own.where(own == "not_stated", "not_known")


def summarise(frame: pd.DataFrame) -> dict[str, int]:
    """Rows per source of ethnicity (``own``, ``staff``, ``unknown``)."""
    if "ethnicity_source" not in frame.columns:
        return {}
    counts = frame["ethnicity_source"].value_counts()
    return {s: int(counts.get(s, 0)) for s in SOURCES}
