"""Trends: a report's headline figures for every year given with ``--compare`` and this year, as
a table (one column per year, oldest first, headed with the year labels) and a bar chart.

Previous years' values are restated from their publications (``ReportContext.history``) as
figures of this document (``<figure id>.<year>``), so the JSON carries them; a figure withheld
then stays withheld. Every cell restates a figure (``Table.restates``), so a cell is withheld
whenever its figure is, this year's included.
"""

from __future__ import annotations

import re

import pandas as pd

from equality_reports.document import Chart, Column, Document, Figure, FigureUnit, Section, Table
from equality_reports.reports import ReportContext

#: decimals each unit is shown with (the cells restate figures, so the columns are plain numbers)
_DECIMALS = {"percent": 1, "ratio": 2, "pp": 1}


def year_key(label: str) -> str:
    """A figure-id-safe form of a year label: "2024/25" -> "y2024_25"."""
    return "y" + re.sub(r"[^0-9A-Za-z]+", "_", label).strip("_")


def add_trends(section: Section, doc: Document, ctx: ReportContext, rows: list[tuple[str, str]],
               table_id: str, title: str, unit: FigureUnit) -> Table | None:
    """Add the trends table and chart of ``rows`` ((figure id, measure label), figures of ``doc``
    in ``unit``) to ``section``; nothing when no previous year was given or no row has a figure."""
    rows = [(fid, label) for fid, label in rows if fid in doc.figures]
    if not ctx.history or not rows:
        return None
    years = [label for label, _ in ctx.history] + [ctx.year]
    keys = [year_key(label) for label in years]
    data = pd.DataFrame({"measure": [label for _, label in rows]})
    restates: dict[tuple[int, str], str] = {}
    for (year, figures), key in zip(ctx.history, keys):
        values: list[float | int | str | None] = []
        for i, (fid, label) in enumerate(rows):
            old = figures.get(fid)
            if old is None:
                values.append(None)
                continue
            fig = doc.add_figure(Figure(f"{fid}.{key}", f"{label}, {year}", None if old.suppressed else old.value,
                                        unit, suppressed=old.suppressed))
            restates[(i, key)] = fig.id
            values.append(fig.value)
        data[key] = values
    data[keys[-1]] = [doc.figures[fid].value for fid, _ in rows]
    restates |= {(i, keys[-1]): fid for i, (fid, _) in enumerate(rows)}
    decimals = _DECIMALS.get(unit, 1)
    table = Table(table_id, title, [Column("measure", "Measure"),
                                    *(Column(k, year, "number", decimals=decimals) for k, year in zip(keys, years))],
                  data, row_key="measure", rows_additive=False, restates=restates,
                  notes=["Each year's figures are as published that year: a figure withheld then stays withheld."])
    section.add(table, Chart(f"{table_id}_chart", title, table_id, "measure", keys, unit=unit))
    return table
