"""Builders for the report's table shapes, with their disclosure structure declared.

Every percentage is computed with :mod:`equality_reports.stats` (None when the denominator is
zero) and names the count columns of its row in ``derived_from``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from equality_reports import CellRef, Column, Document, Figure, Table, is_missing, stats, union
from equality_reports_rraa.groups import UNKNOWN_IDS, Level

ALL_STAFF = "All staff"


def percentages(numerators: pd.Series, denominators: pd.Series) -> list[float | None]:
    """Element-wise percentage (0-100) of two aligned count series; None for a zero denominator."""
    return [stats.percentage(int(n), int(d)) for n, d in zip(numerators, denominators)]


def profile_table(table_id: str, title: str, counts: pd.Series, level: Level,
                  total_label: str | None = ALL_STAFF, noun: str = "staff",
                  units: dict[str, np.ndarray] | None = None) -> Table:
    """People by group: count, % of all and % of those who declared an ethnic group.

    ``total_label`` None leaves out the total row (the total is published elsewhere).
    """
    labels = [level.label(i) for i in counts.index]
    values = counts.astype("int64").tolist()
    declared = [i not in UNKNOWN_IDS for i in counts.index]
    if total_label is not None:
        labels.append(total_label)
        values.append(int(counts.sum()))
        declared.append(False)
    all_total = int(counts.sum())
    declared_total = int(counts[[i not in UNKNOWN_IDS for i in counts.index]].sum())
    data = pd.DataFrame({"group": labels, "count": values})
    by_group = units
    units = _column_units(counts, "count", total_label is not None, units)
    data["pct_all"] = percentages(data["count"], pd.Series([all_total] * len(data)))
    pct_declared = percentages(data["count"], pd.Series([declared_total] * len(data)))
    data["pct_declared"] = [p if ok else None for p, ok in zip(pct_declared, declared)]
    table = Table(
        table_id, title,
        [Column("group", "Ethnic group"),
         Column("count", noun.capitalize(), "count"),
         Column("pct_all", f"% of all {noun}", "percent", derived_from=("count",)),
         Column("pct_declared", f"% of {noun} who declared an ethnic group", "percent",
                derived_from=("count",))],
        data, rows_additive=True, total_row=total_label is not None, units=units,
        shares=_profile_shares(counts, by_group, declared),
        notes=[f"'% of all {noun}' divides by everyone counted; '% of {noun} who declared' divides "
               "by those whose ethnic group is recorded, leaving out people who chose not to say "
               "and people whose ethnic group is not known. That column shows [z] (not applicable) for the "
               f"not stated and not known rows{' and for the total' if total_label is not None else ''}."],
    )
    table.not_applicable = {(i, "pct_declared") for i, ok in enumerate(declared) if not ok}
    return table


def _profile_shares(counts: pd.Series, by_group: dict[str, np.ndarray] | None,
                    declared: list[bool]) -> dict[tuple[int, str], tuple[np.ndarray, np.ndarray]]:
    """Whom each percentage of a profile table divides: a group over everyone, or over everyone
    whose group is declared (a population no cell publishes, which the audit must see)."""
    if not by_group:
        return {}
    everyone = union(*by_group.values())
    declared_units = union(*(by_group[g] for g in counts.index if g not in UNKNOWN_IDS))
    shares: dict[tuple[int, str], tuple[np.ndarray, np.ndarray]] = {}
    for i, g in enumerate(counts.index):
        shares[(i, "pct_all")] = (by_group[g], everyone)
        if declared[i]:
            shares[(i, "pct_declared")] = (by_group[g], declared_units)
    return shares


@dataclass(frozen=True)
class Count:
    """A count column of a stage table: its key, heading and values by group id."""

    key: str
    label: str
    values: pd.Series
    #: whom each group's count counts (unit codes by group id), for the disclosure audit
    units: dict[str, np.ndarray] | None = None


@dataclass(frozen=True)
class Rate:
    """A percentage column of a stage table: numerator / denominator count columns."""

    key: str
    label: str
    numerator: str
    denominator: str


def stage_table(table_id: str, title: str, level: Level, counts: list[Count], rates: list[Rate],
                total_label: str = "All groups", notes: list[str] | None = None,
                hidden: tuple[str, ...] = (),
                column_totals: dict[tuple[str, ...], str] | None = None) -> Table:
    """Rows = groups plus a total row; columns = counts at each stage and rates between them."""
    ids = list(level.ids)
    data = pd.DataFrame({"group": [level.label(i) for i in ids] + [total_label]})
    columns = [Column("group", "Ethnic group")]
    for c in counts:
        values = c.values.reindex(ids, fill_value=0).astype("int64")
        data[c.key] = [*values.tolist(), int(values.sum())]
        columns.append(Column(c.key, c.label, "count", hidden=c.key in hidden))
    for r in rates:
        data[r.key] = percentages(data[r.numerator], data[r.denominator])
        columns.append(Column(r.key, r.label, "percent", derived_from=(r.numerator, r.denominator),
                              divisors=(r.denominator,)))
    totals = dict(column_totals or {})
    units: dict[tuple[int, str], np.ndarray] = {}
    for c in counts:
        units.update(_column_units(c.values.reindex(ids), c.key, True, c.units))
    return Table(table_id, title, columns, data, rows_additive=True, total_row=True,
                 column_groups=list(totals), column_totals=totals, notes=list(notes or []), units=units)


def _column_units(counts: pd.Series, column: str, total: bool,
                  by_group: dict[str, np.ndarray] | None) -> dict[tuple[int, str], np.ndarray]:
    """(row, column) -> unit codes for a column of groups, plus the total row when ``total``.

    Without ``by_group`` (whom each group's count counts) no cell is declared, and the table is
    protected on its own only.
    """
    if not by_group:
        return {}
    cells = {(i, column): by_group[g] for i, g in enumerate(counts.index)}
    if total:
        cells[(len(counts), column)] = union(*cells.values())
    return cells


def value(table: Table, row: str, column: str) -> Any:
    """A table cell by row label and column key, None when missing."""
    raw = table.data.at[table.row_position(row), column]
    return None if is_missing(raw) else (raw.item() if hasattr(raw, "item") else raw)


def cell_figure(doc: Document, fid: str, label: str, table: Table, row: str, column: str,
                unit: str, note: str = "", extra_cells: tuple[CellRef, ...] = (),
                denominator: int | None = None) -> Figure:
    """Publish a table cell as a figure tied to that cell and the counts it came from."""
    col = table.column(column)
    cells = [CellRef(table.id, row, column)]
    cells += [CellRef(table.id, row, k) for k in col.derived_from]
    numerator = None
    if len(col.derived_from) == 2 and unit == "percent":
        numerator, denominator = (value(table, row, k) for k in col.derived_from)
    elif len(col.derived_from) == 1 and unit == "percent":
        numerator = value(table, row, col.derived_from[0])
    result = value(table, row, column)
    return doc.add_figure(Figure(fid, label, result, unit, numerator=numerator,
                                 denominator=denominator, cells=(*cells, *extra_cells),
                                 note=note if result is None else ""))


def withheld(doc: Document, table_id: str, row: str, column: str) -> bool:
    """Whether disclosure control has withheld a published cell (False when there is no such cell)."""
    try:
        table = doc.table(table_id)
        return (table.row_position(row), column) in table.suppressed
    except KeyError:
        return False


def units_of(doc: Document, table_id: str, row: str, column: str) -> np.ndarray | None:
    """Whom a published cell counts (None when the cell declares no units or does not exist)."""
    try:
        table = doc.table(table_id)
        return table.units.get((table.row_position(row), column))
    except KeyError:
        return None


def carry_withheld(table: Table, cells: dict[tuple[int, str], bool]) -> None:
    """Mark cells of ``table`` withheld where the same number is withheld in its source table.

    Disclosure control works table by table; a count restated in a second table must stay
    withheld there too, or the second table would undo the first one's protection.
    """
    table.suppressed |= {cell for cell, hide in cells.items() if hide}
