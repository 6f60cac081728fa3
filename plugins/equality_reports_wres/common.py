"""Pieces both WRES reports use around the indicators: options, previous year, actions, quality."""

from __future__ import annotations

import re
from typing import Any, Callable

import pandas as pd

from equality_reports.document import Column, Document, Figure, Paragraph, Section, Table
from equality_reports.reports import Option, ReportContext

from equality_reports_wres.toolkit import Computed, Result, Settings, add_previous, previous_suppressed, summary_table

COMMON_OPTIONS = (
    Option("minimum_group", int, 10, "Smallest group (people) for a reliable relative likelihood; the "
           "ratio of a smaller group is still given, with its confidence interval and a caution."),
    Option("band_low", float, 0.80, "Lower end of the non-adverse range for relative likelihoods."),
    Option("band_high", float, 1.25, "Upper end of the non-adverse range for relative likelihoods."),
    Option("rolling_average", bool, False, "Also give the disciplinary relative likelihood as the "
           "average of this year and last year (needs --compare)."),
)


def settings(ctx: ReportContext, labels: dict[str, str], minority_id: str) -> Settings:
    o = ctx.options
    return Settings(ctx.report.name, labels, minority_id, minimum_group=o["minimum_group"],
                    band_low=o["band_low"], band_high=o["band_high"])


def slug(value: object) -> str:
    """A figure-id-safe name: 'Children's services' -> 'children_s_services'."""
    text = re.sub(r"[^a-z0-9]+", "_", str(value).strip().lower()).strip("_")
    return text or "unnamed"


Compute = Callable[[Document, Any, Settings], Computed]


def previous_year(ctx: ReportContext, compute: Compute, s: Settings) -> tuple[dict[str, float | None], set[str]]:
    """Last year's headline values by figure id, and those last year's publication withheld."""
    values: dict[str, float | None] = {}
    withheld: set[str] = set()
    if ctx.previous is not None:
        scratch = Document(report=s.report, title="", organisation="", period_start=ctx.previous.period_start,
                           period_end=ctx.previous.period_end)
        for r in compute(scratch, ctx.previous, s).results:
            if r.figure is None:
                continue
            values[r.figure] = r.value
            if previous_suppressed(r, ctx.threshold, ctx.audience):
                withheld.add(r.figure)
    for fid, fig in ctx.previous_figures.items():
        if fig.suppressed:
            withheld.add(fid)
        elif isinstance(fig.value, (int, float)) or fig.value is None:
            values[fid] = fig.value  # type: ignore[assignment]
    return values, withheld


def summary_section(doc: Document, ctx: ReportContext, results: list[Result], compute: Compute,
                    s: Settings, template: str) -> Section:
    """The summary of every headline, with last year's value and the change when known."""
    previous, withheld = previous_year(ctx, compute, s)
    has_previous = add_previous(doc, results, previous, withheld)
    table = summary_table(f"{s.report.replace('-', '_')}_summary", results, has_previous)
    if has_previous:  # rows without last year's value show [z]
        for col in ("previous", "change"):
            table.data[col] = [v if v in doc.figures else None for v in table.data[col]]
    section = Section("summary", "Summary of the indicators")
    section.add(Paragraph(template=template, context={
        "low": s.band_low, "high": s.band_high, "has_previous": has_previous}))
    section.add(table)
    return section


def rolling_average_figure(doc: Document, figure_id: str) -> None:
    """Two-year average of a relative likelihood, when last year's value is present."""
    this = doc.figures[figure_id]
    prev = doc.figures.get(f"{figure_id}.previous")
    if prev is None:
        return
    value = None if this.value is None or prev.value is None else (this.value + prev.value) / 2  # type: ignore[operator]
    doc.add_figure(Figure(f"{figure_id}.rolling_average", f"{this.label}: two-year average", value,
                          "ratio", cells=this.cells, suppressed=prev.suppressed))


def actions_section(doc: Document, ctx: ReportContext, report_name: str) -> Section | None:
    """'What we will do': the actions table filtered to this report's framework if it names one."""
    if not ctx.dataset.has("actions"):
        return None
    actions = ctx.dataset.table("actions")
    if "framework" in actions.columns:
        fw = actions["framework"].astype("string").str.strip().str.lower()
        keep = fw.isna() | fw.isin({report_name, "", "all"})
        actions = actions[keep.fillna(True).to_numpy(dtype=bool)]
    if not len(actions):
        return None
    def text(col: str) -> list[str]:
        if col not in actions.columns:
            return ["[z]"] * len(actions)
        values = actions[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            return [v.strftime("%-d %B %Y") if not pd.isna(v) else "[z]" for v in values]
        return [str(v) if not pd.isna(v) and str(v).strip() else "[z]" for v in values]
    data = pd.DataFrame({"n": [str(i + 1) for i in range(len(actions))], "action": text("action"),
                         "who": text("who"), "by_when": text("by_when"), "status": text("status")})
    section = Section("actions", "Action plan")
    section.add(Paragraph(template="wres-common/actions.j2", context={"count": len(data)}))
    section.add(Table("action_plan", "Action plan", [
        Column("n", "Number"), Column("action", "Action"), Column("who", "Who"),
        Column("by_when", "By when"), Column("status", "Status")], data, row_key="n", rows_additive=False))
    return section


def quality_table(rows: list[tuple[str, int | float | None, str]]) -> Table:
    """A data-quality table: (measure, number of records, what it means)."""
    data = pd.DataFrame({"measure": [m for m, _, _ in rows],
                         "records": [v for _, v, _ in rows],
                         "meaning": [t for _, _, t in rows]})
    return Table("data_quality", "Data quality", [
        Column("measure", "Check"), Column("records", "Records", "count"),
        Column("meaning", "What it means")], data, row_key="measure", rows_additive=False)
