"""Ethnic group levels (detailed, broad, binary) and vectorised counting by group."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from equality_reports import (
    BROAD_GROUPS,
    CATEGORIES,
    RECORD,
    CountKind,
    binary_labels,
    count_by_group,
    count_people,
    count_rows,
    unit_codes,
)

BINARY = ("white", "minority_ethnic", "unknown")
UNKNOWN_IDS = frozenset({"unknown", "not_stated", "not_known"})


@dataclass(frozen=True)
class Level:
    """One way of grouping ethnicity: the column holding the id and the ids in order."""

    name: str
    column: str
    ids: tuple[str, ...]
    labels: dict[str, str]
    #: detailed categories the staff records do not tell apart, counted in another (see
    #: :data:`FOLDED`): id -> the id it is counted in
    merged: dict[str, str] = field(default_factory=dict)

    def label(self, group_id: str) -> str:
        return self.labels[group_id]

    @property
    def declared_ids(self) -> tuple[str, ...]:
        return tuple(i for i in self.ids if i not in UNKNOWN_IDS)


#: the 2021 census categories the NHS codes have no letter of their own for (Gypsy or Irish
#: Traveller and Roma are coded C, Arab S), and the category of their letter's "any other" group
FOLDED = {"white_gypsy_traveller": "white_other", "white_roma": "white_other", "other_arab": "other_any"}


def levels(minority_label: str, staff: pd.DataFrame | None = None) -> dict[str, Level]:
    """The three levels, with the report's wording for the minority group. When no one in
    ``staff`` is recorded in a category of :data:`FOLDED` (records in NHS codes cannot say it),
    the detailed level counts it in its "any other" category, which says so in its label, so the
    workforce is never shown as having none of a group it cannot tell apart."""
    binary = binary_labels(minority_label, "Not stated or not known")
    present = set(staff["ethnicity"].dropna().unique()) if staff is not None and "ethnicity" in staff else set()
    merged = {cat: into for cat, into in FOLDED.items() if staff is not None and cat not in present}
    detailed = {c.id: c.label for c in CATEGORIES if c.id not in merged}
    for into in set(merged.values()):
        names = [c.label.split(": ")[-1] for c in CATEGORIES if merged.get(c.id) == into]
        detailed[into] += f" (including {' and '.join(names)})"
    return {
        "detailed": Level("detailed", "ethnicity", tuple(detailed), detailed, merged),
        "broad": Level("broad", "ethnic_group", tuple(BROAD_GROUPS), dict(BROAD_GROUPS)),
        "binary": Level("binary", "ethnic_binary", BINARY, binary),
    }


def count_by(frame: pd.DataFrame, level: Level, mask: pd.Series | None = None) -> pd.Series:
    """Rows (where ``mask`` is true) per group id, every id present (zero when absent), in order."""
    return count_rows(frame, level.column, level.ids, mask)


def people_by(frame: pd.DataFrame, level: Level, mask: pd.Series | None = None) -> pd.Series:
    """Distinct people (``person_id``) per group, optionally among rows where ``mask`` is true."""
    return count_people(frame, level.column, level.ids, mask)


def tally(kind: CountKind, frame: pd.DataFrame, level: Level, mask: pd.Series | None = None
          ) -> tuple[pd.Series, dict[str, np.ndarray]]:
    """Counts per group and whom they count (:func:`equality_reports.count_by_group` at this level)."""
    counted = count_by_group(kind, frame, level.column, level.ids, mask)
    return counted.series, counted.units


def crosstab(frame: pd.DataFrame, row_column: str, level: Level, row_order: list[str],
             missing_label: str = "Not recorded") -> pd.DataFrame:
    """Rows of ``row_column`` (in ``row_order``; missing values as ``missing_label``) by group id."""
    rows = frame[row_column].astype("string").fillna(missing_label)
    table = (pd.DataFrame({"row": rows, "group": frame[level.column]})
             .groupby(["row", "group"], observed=True).size().unstack(fill_value=0))
    order = list(dict.fromkeys(row_order))
    if missing_label in table.index and missing_label not in order:
        order.append(missing_label)
    return table.reindex(index=order, columns=list(level.ids), fill_value=0).astype("int64")


def crosstab_units(frame: pd.DataFrame, row_column: str, level: Level,
                   missing_label: str = "Not recorded") -> dict[tuple[str, str], np.ndarray]:
    """Whom each :func:`crosstab` cell counts: records for event tables, people for staff."""
    rows = frame[row_column].astype("string").fillna(missing_label)
    codes = frame[RECORD].to_numpy(dtype=np.uint64) if RECORD in frame.columns else unit_codes(frame)
    grouped = pd.Series(codes, index=frame.index).groupby([rows, frame[level.column]], observed=True).unique()
    return {key: np.unique(np.asarray(value, dtype=np.uint64)) for key, value in grouped.items()}
