"""The representation table every report publishes, with its disclosure structure declared.

Rows (grades, bands, services, outcomes) by group: a count per group, the row's total and each
group's percentage of the row, with a total row; every count cell says whom it counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from equality_reports import stats
from equality_reports.document import Column, Table
from equality_reports.measures.units import union

#: the note under a representation table that shows row shares
ROW_SHARES_NOTE = ("Percentages are shares of each row's total, so each row adds up to 100 (allowing for "
                   "rounding).")


def representation_table(table_id: str, title: str, counts: pd.DataFrame, labels: dict[str, str],
                         row_title: str, *, total_label: str = "All staff", count_label: str = "staff",
                         shares: bool = True, units: dict[tuple[str, str], np.ndarray] | None = None,
                         notes: Sequence[str] | None = None) -> Table:
    """Rows of ``counts`` (index: row labels in order; columns: group ids in order) by group, a
    total column and a total row and, when ``shares``, each group's share of its row (None for
    an empty row). ``labels`` heads each group's columns; ``units`` gives whom each (row label,
    group id) cell counts (the totals' units are derived). ``notes`` default to
    :data:`ROW_SHARES_NOTE` when there are shares."""
    groups = list(counts.columns)
    body = counts.copy()
    body.loc["__total__"] = body.sum()
    data = pd.DataFrame({"row": [*map(str, counts.index), total_label]})
    for g in groups:
        data[g] = body[g].to_numpy()
    data["total"] = body[groups].sum(axis=1).to_numpy()
    columns = [Column("row", row_title)]
    columns += [Column(g, f"{labels[g]} ({count_label})", "count") for g in groups]
    columns.append(Column("total", f"All ({count_label})", "count"))
    for g in groups if shares else ():
        data[f"{g}_pct"] = [stats.percentage(int(n), int(d)) for n, d in zip(data[g], data["total"])]
        columns.append(Column(f"{g}_pct", f"{labels[g]} (% of row)", "percent", derived_from=(g, "total")))
    if notes is None:
        notes = [ROW_SHARES_NOTE] if shares else []
    return Table(table_id, title, columns, data, rows_additive=True, total_row=True,
                 column_groups=[tuple(groups)], column_totals={tuple(groups): "total"}, notes=list(notes),
                 units=_cell_units(list(counts.index), groups, units))


def _cell_units(rows: list[str], groups: list[str],
                by_cell: dict[tuple[str, str], np.ndarray] | None) -> dict[tuple[int, str], np.ndarray]:
    """Units of every cell, from (row label, group id) -> codes: each cell, the row totals and the
    total row."""
    if not by_cell:
        return {}
    empty = np.empty(0, dtype=np.uint64)
    cells: dict[tuple[int, str], np.ndarray] = {}
    for i, row in enumerate(rows):
        for g in groups:
            cells[(i, g)] = by_cell.get((row, g), empty)
        cells[(i, "total")] = union(*(cells[(i, g)] for g in groups))
    last = len(rows)
    for g in [*groups, "total"]:
        cells[(last, g)] = union(*(cells[(i, g)] for i in range(last)))
    return cells
