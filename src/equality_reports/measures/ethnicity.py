"""Where an event row's ethnicity comes from.

Row by row: the event's own value when it is a known category; otherwise the person's value on
the ``staff`` table (by ``person_id``); otherwise not known. The source of each row is kept in
``ethnicity_source`` (``own``, ``staff`` or ``unknown``) and summarised by ``validate``, so a
mostly blank ethnicity column on an event table never silently turns into "not known".
"""

from __future__ import annotations

import pandas as pd

#: classified columns that travel together
COLUMNS = ("ethnicity_raw", "ethnicity", "ethnic_group", "ethnic_binary")
OWN, STAFF, UNKNOWN = "own", "staff", "unknown"
SOURCES = (OWN, STAFF, UNKNOWN)


def resolve(events: pd.DataFrame, staff_values: pd.DataFrame) -> pd.DataFrame:
    """``events`` with the four classified columns resolved and ``ethnicity_source`` added.

    ``staff_values`` holds the classified columns of each event row's person (aligned to
    ``events``' index; missing where the person is not on the staff table).
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
    out["ethnicity_source"] = source
    return out


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
