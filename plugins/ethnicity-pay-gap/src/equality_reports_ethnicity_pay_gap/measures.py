"""The pay measures: gaps against a reference group, pay by group and pay quarters.

Everything here is plain vectorised pandas on the columns it is given, so each measure can be
checked by hand on a few rows (tests/test_ethnicity_pay_gap_measures.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

#: the four pay quarters, lowest paid first
QUARTERS = ("Lower quarter", "Lower middle quarter", "Upper middle quarter", "Upper quarter")


def pay_gap(reference: float | None, value: float | None) -> float | None:
    """The gap of ``value`` against ``reference`` as a percentage of ``reference``:
    ``(reference - value) / reference x 100``. Positive when the group is paid less than the
    reference group. None (not calculable) when either side is missing or the reference is 0."""
    if reference is None or value is None:
        return None
    reference, value = float(reference), float(value)
    if not (math.isfinite(reference) and math.isfinite(value)) or reference == 0:
        return None
    return (reference - value) / reference * 100


def pay_by_group(values: pd.Series, group: pd.Series, ids: Sequence[str]) -> pd.DataFrame:
    """Per group id (every id, in order): ``n`` (rows with a value), ``mean`` and ``median`` of
    ``values`` (NaN where a group has none). Rows whose value is missing are left out."""
    keep = values.notna().to_numpy(dtype=bool)
    frame = pd.DataFrame({"value": values.to_numpy(dtype=float)[keep], "group": group.to_numpy(dtype=object)[keep]})
    grouped = frame.groupby("group")["value"].agg(["size", "mean", "median"])
    grouped = grouped.reindex(list(ids))
    return pd.DataFrame({"n": grouped["size"].fillna(0).astype("int64"), "mean": grouped["mean"],
                         "median": grouped["median"]}, index=list(ids))


def quarter_sizes(n: int) -> np.ndarray:
    """The sizes of the four pay quarters of ``n`` people, as equal as possible: when ``n`` is not
    a multiple of four the lowest quarters take one more person each (as ``numpy.array_split``)."""
    base, extra = divmod(int(n), 4)
    return np.array([base + (1 if k < extra else 0) for k in range(4)], dtype="int64")


def quartile_bands(rate: pd.Series, group: pd.Series, within: pd.Series | None = None) -> pd.Series:
    """Each person's pay quarter, 0 (lowest paid) to 3 (highest), indexed like ``rate``.

    People are ranked by ``rate`` and the ranking is cut into four sections as equal as possible
    (:func:`quarter_sizes`). People on the same rate who straddle a cut are spread across the
    sections so that each group's share of them is, as far as possible, the same in each section
    (the rule of paragraph 13(2) of Schedule 1 to SI 2017/353, for the gender pay gap, applied to
    every group): within a rate, the ``i``-th of a group's ``m`` people takes the place
    ``(i + 0.5) / m`` of the way through the rate's places, so any run of places holds each group
    in proportion, to within one person. ``within`` (subgroups of ``group``, such as broad ethnic
    groups within White and ethnic minority) orders each group's people on a rate the same way,
    so the subgroups are spread in proportion too. Rows with a missing rate get no quarter (NaN).
    """
    keep = rate.notna().to_numpy(dtype=bool)
    n = int(keep.sum())
    frame = pd.DataFrame({"rate": rate.to_numpy(dtype=float)[keep],
                          "group": _codes(group, keep), "order": np.arange(n)})
    if within is not None:
        frame["sub"] = _codes(within, keep)
        frame["sub_spread"] = _spread(frame, ["rate", "group", "sub"])
        frame = frame.sort_values(["rate", "group", "sub_spread", "sub", "order"], kind="stable")
    frame["spread"] = _spread(frame, ["rate", "group"])
    ranked = frame.sort_values(["rate", "spread", "group"], kind="stable")
    bounds = np.cumsum(quarter_sizes(n))
    placed = np.empty(n, dtype=float)
    placed[ranked["order"].to_numpy()] = np.searchsorted(bounds, np.arange(n), side="right")
    out = np.full(len(rate), np.nan)
    out[keep] = placed
    return pd.Series(out, index=rate.index, name="quarter")


def _codes(values: pd.Series, keep: np.ndarray) -> np.ndarray:
    """Sortable codes of a group column (missing values form a group of their own)."""
    text = pd.Series(values.to_numpy(dtype=object)[keep]).astype("string").fillna("")
    return pd.factorize(text, sort=True)[0]


def _spread(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """(i + 0.5) / m for the i-th (in the frame's order) of the m rows sharing ``keys``."""
    by = frame.groupby(keys, sort=False)
    return (by.cumcount() + 0.5) / by["rate"].transform("size")


def quartile_shares(rate: pd.Series, group: pd.Series) -> pd.DataFrame:
    """People per pay quarter (rows, :data:`QUARTERS`, lowest first) and group (columns, sorted),
    from :func:`quartile_bands`."""
    quarter = quartile_bands(rate, group)
    keep = quarter.notna().to_numpy(dtype=bool)
    table = pd.crosstab(quarter[keep].astype("int64").map(dict(enumerate(QUARTERS))),
                        pd.Series(group.to_numpy(dtype=object)[keep], index=quarter.index[keep]))
    columns = sorted(table.columns, key=str)
    return table.reindex(index=list(QUARTERS), columns=columns, fill_value=0).astype("int64") \
        .rename_axis(index=None, columns=None)
