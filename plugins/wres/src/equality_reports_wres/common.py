"""Pieces both WRES reports use around the indicators: options, previous year, actions, quality."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from equality_reports import (
    CellRef,
    Column,
    Document,
    Figure,
    Option,
    Paragraph,
    ReportContext,
    Scope,
    Section,
    Table,
    action_plan,
    add_trends,
    dated_outside,
    outside_units,
    stats,
    summary_table,
)
from equality_reports_wres.toolkit import (
    Computed,
    Result,
    Settings,
    add_previous,
    previous_suppressed,
)

#: the narrative templates of both reports: ``wres/``, ``sc-wres/`` and the shared ``wres-common/``
TEMPLATES = Path(__file__).resolve().parent / "templates"

COMMON_OPTIONS = (
    Option("minimum_group", int, 10, "Smallest group (people) for a reliable relative likelihood; the "
           "ratio of a smaller group is still given, with its confidence interval and a caution.", minimum=1),
    Option("band_low", float, 0.80, "Lower end of the non-adverse range for relative likelihoods.", minimum=0.01),
    Option("band_high", float, 1.25, "Upper end of the non-adverse range for relative likelihoods.",
           minimum=1.0),
    Option("rolling_average", bool, True, "Also give the disciplinary relative likelihood over this year "
           "and last year pooled, the two-year rolling average the standards ask for (needs --compare with "
           "last year's dataset; without it the report says the figure is not available; false leaves it out)."),
    Option("survey", str, "", "Which staff survey the results come from, for each survey table's source line, "
           "e.g. 'NHS Staff Survey 2025' (default: the organisation's staff survey)."),
)


def settings(ctx: ReportContext, labels: dict[str, str], minority_id: str) -> Settings:
    o = ctx.options
    return Settings(ctx.report.name, labels, minority_id, minimum_group=o["minimum_group"],
                    band_low=o["band_low"], band_high=o["band_high"], survey=o["survey"])


def slug(value: object) -> str:
    """A figure-id-safe name, the same for spellings that differ only in apostrophes, case or
    punctuation, so a service matches across tables: "Children's services" and "Childrens
    Services" -> 'childrens_services'."""
    text = re.sub(r"['’`]", "", str(value).strip().lower())
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
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
    doc.mark_headlines(r.figure for r in results)
    previous, withheld = previous_year(ctx, compute, s)
    has_previous = add_previous(doc, results, previous, withheld)
    before = ctx.history[-1][0] if ctx.history else "Previous year"
    table = summary_table(f"{s.report.replace('-', '_')}_summary", doc, results, term=s.term,
                          years=(before, ctx.year), with_previous=has_previous)
    section = Section("summary", f"Summary of the {s.term.lower()}s")
    section.add(Paragraph(template=template, context={
        "low": s.band_low, "high": s.band_high, "has_previous": has_previous, "term": s.term.lower()}))
    section.add(table)
    for unit, words in (("ratio", "Relative likelihoods"), ("percent", "Percentages")):
        rows = [(r.figure, r.title[0].upper() + r.title[1:]) for r in results if r.figure and r.unit == unit]
        add_trends(section, doc, ctx, rows, f"{s.report.replace('-', '_')}_trends_{unit}", f"{words} by year", unit)
    return section


def rolling_average_section(section: Section, doc: Document, ctx: ReportContext, compute: Compute, s: Settings,
                            results: list[Result], key: str, people: str, outcome: str) -> None:
    """The two-year rolling average of a relative likelihood (WRES 3, SC-WRES 3), into ``section``.

    Issue 9 rule 6: both years are **pooled**: per group, this year's and last year's entrants
    added together over both years' headcounts added together, and the relative likelihood (with
    its 95% confidence interval) taken of those pooled rates. Never the mean of the two yearly
    ratios. Last year's counts come from last year's dataset (``--compare`` a dataset folder),
    computed exactly as this year's; last year's published figures alone carry no counts, so the
    rolling average is then not calculable.
    """
    fid = f"{key}.relative_likelihood.rolling_average"
    this = next((r for r in results if r.key == key), None)
    if this is None:
        return
    last: Result | None = None
    reason = ""
    table_id = f"{key.replace('.', '_').replace('-', '_')}_rolling_average"
    yearly_id = key.replace(".", "_").replace("-", "_")  # the yearly likelihood table
    withheld: set[tuple[int, str]] = set()
    if ctx.previous is not None:
        scratch = Document(report=s.report, title="", organisation="", period_start=ctx.previous.period_start,
                           period_end=ctx.previous.period_end)
        previous = compute(scratch, ctx.previous, s)
        last = next((r for r in previous.results if r.key == key and r.counts), None)
        if last is not None and ctx.audience == "publication":
            # counts withheld in either year's own table stay withheld here, so that the pooled
            # counts cannot be used to work them out
            withheld = _withheld_cells(_find_table(previous.sections, yearly_id), ctx, "_last") | \
                _withheld_cells(_find_table([section], yearly_id), ctx, "_this")
        if last is None:
            reason = "last year's records hold no data for this measure"
    else:
        reason = "last year's counts are not available"
        ctx.note_for_operator(f"The two-year rolling average of {this.title} needs last year's counts: give last "
                              "year's dataset folder with --compare (last year's published figures hold no counts).")
    first_label, second_label = this.extra["groups"]
    first_id, second_id = this.extra["group_ids"]
    context = {"key": key, "first": first_label, "second": second_label, "people": people, "outcome": outcome,
               "low": s.band_low, "high": s.band_high}
    label = f"{doc.figures[this.figure].label if this.figure in doc.figures else key}: two years pooled"
    if last is None:
        for suffix, words in (("", ""), (".ci_low", ": lower 95% limit"), (".ci_high", ": upper 95% limit")):
            doc.add_figure(Figure(fid + suffix, label + words, None, "ratio", note=reason))
        section.add(Paragraph(template="wres-common/rolling.j2", context={**context, "table": False}))
        return
    a1, n1, a2, n2 = this.counts
    b1, m1, b2, m2 = last.counts
    rl = stats.pooled_relative_likelihood([(a1, n1, a2, n2), (b1, m1, b2, m2)], minimum_group=s.minimum_group)
    data = pd.DataFrame({
        "group": [first_label, second_label],
        "base_this": [int(n1), int(n2)], "base_last": [int(m1), int(m2)], "base": [int(n1 + m1), int(n2 + m2)],
        "outcome_this": [int(a1), int(a2)], "outcome_last": [int(b1), int(b2)],
        "outcome": [int(a1 + b1), int(a2 + b2)],
    })
    data["rate"] = [stats.percentage(o, b) for o, b in zip(data["outcome"], data["base"])]
    table = Table(table_id, f"{this.title[0].upper()}{this.title[1:]}: this year and last year pooled", [
        Column("group", "Ethnic group"), Column("base_this", "Staff in post, this year", "count"),
        Column("base_last", "Staff in post, last year", "count"),
        Column("base", "Staff in post, both years", "count", hidden=True),
        Column("outcome_this", "Entered, this year", "count"), Column("outcome_last", "Entered, last year", "count"),
        Column("outcome", "Entered, both years", "count", hidden=True),
        Column("rate", "Entered (% of staff in post, both years)", "percent", derived_from=("base", "outcome"),
               divisors=("base",))],
        data, row_key="group", rows_additive=False,
        column_groups=[("base_this", "base_last"), ("outcome_this", "outcome_last")],
        column_totals={("base_this", "base_last"): "base", ("outcome_this", "outcome_last"): "outcome"},
        notes=["Last year's numbers come from last year's dataset, counted the same way as this year's. The "
               "rate adds both years' entrants over both years' staff in post; the relative likelihood is of "
               "these pooled rates, not the mean of the two yearly ratios."])
    # a year's count is published in that year's own table, so a pooled count with a withheld part
    # is withheld too (else pooled minus the published part gives the withheld one)
    withheld |= {(label, column.rsplit("_", 1)[0]) for label, column in withheld}
    rows = {label: i for i, label in enumerate(data["group"])}
    table.suppressed = {(rows[label], column) for label, column in withheld if label in rows}
    table.units = _pooled_units(_find_table([section], yearly_id), _find_table(previous.sections, yearly_id),
                                [first_label, second_label])
    cells = tuple(CellRef(table_id, g, c) for g in (first_label, second_label) for c in ("base", "outcome"))
    small = [g for g, n in ((first_label, n1 + m1), (second_label, n2 + m2)) if 0 < n < s.minimum_group]
    caution = stats.small_group_caution(rl, small, s.minimum_group, people, "both years")
    doc.add_figure(Figure(fid, label, rl.value, "ratio", cells=cells, note=rl.reason if rl.value is None else caution))
    doc.add_figure(Figure(f"{fid}.ci_low", label + ": lower 95% limit", rl.ci_low, "ratio", cells=cells,
                          note=rl.reason if rl.ci_low is None else ""))
    doc.add_figure(Figure(f"{fid}.ci_high", label + ": upper 95% limit", rl.ci_high, "ratio", cells=cells,
                          note=rl.reason if rl.ci_high is None else ""))
    doc.add_figure(Figure(f"{fid}.band", label + ": against the non-adverse range",
                          stats.band_wording(rl.value, s.band_low, s.band_high), "text", cells=cells))
    if caution:
        doc.add_figure(Figure(f"{fid}.caution", label + ": caution", caution, "text", cells=cells))
    for gid, glabel, o, b in ((first_id, first_label, a1 + b1, n1 + m1), (second_id, second_label, a2 + b2, n2 + m2)):
        doc.add_figure(Figure(f"{key}.rolling_average.{gid}.rate", f"{glabel} {people}: entered, % of staff in post "
                              f"over both years", stats.percentage(o, b), "percent", numerator=o, denominator=b,
                              cells=(CellRef(table_id, glabel, "base"), CellRef(table_id, glabel, "outcome"))))
    section.add(Paragraph(template="wres-common/rolling.j2", context={**context, "table": True,
                                                                    "first_id": first_id, "second_id": second_id}))
    section.add(table)


def _pooled_units(this: Table | None, last: Table | None, labels: list[str]) -> dict[tuple[int, str], np.ndarray]:
    """Whom each year's counts of the two-year table count, from each year's likelihood table:
    the same people as that year's published table, so the auditor links them (and, with
    ``--compare`` a dataset, to last year's publication). The pooled columns add the two years'
    counts, a person in post both years twice: no set of people, so they are hidden and only the
    pooled rate is shown."""
    if this is None or last is None:
        return {}
    units: dict[tuple[int, str], np.ndarray] = {}
    for i, label in enumerate(labels):
        for column in ("base", "outcome"):
            now = this.units.get((this.row_position(label), column))
            before = last.units.get((last.row_position(label), column))
            if now is None or before is None:
                return {}
            units[(i, f"{column}_this")] = now
            units[(i, f"{column}_last")] = before
    return units


def _find_table(sections: list[Section], table_id: str) -> Table | None:
    for top in sections:
        stack = [top]
        while stack:
            sec = stack.pop()
            for block in sec.blocks:
                if isinstance(block, Table) and block.id == table_id:
                    return block
            stack.extend(sec.sections)
    return None


def _withheld_cells(table: Table | None, ctx: ReportContext, suffix: str) -> set[tuple[str, str]]:
    """(row label, ``base``/``outcome`` + suffix) of a likelihood table's counts a publication withholds."""
    if table is None:
        return set()
    copy = Table(table.id, table.title, table.columns, table.data.copy(), row_key=table.row_key,
                 rows_additive=table.rows_additive, total_row=table.total_row,
                 column_groups=list(table.column_groups), column_totals=dict(table.column_totals),
                 private_totals=table.private_totals)
    scratch = Document(report=ctx.report.name, title="", organisation="", period_start=ctx.dataset.period_start,
                       period_end=ctx.dataset.period_end)
    scratch.section("scratch", "").add(copy)
    ctx.protect(scratch)
    return {(str(copy.data.at[row, copy.row_key]), column + suffix) for row, column in copy.suppressed
            if column in ("base", "outcome")}


def actions_section(doc: Document, ctx: ReportContext, report_name: str) -> Section | None:
    """'Action plan': the actions for this report (engine's :func:`action_plan`), with their progress."""
    if not ctx.dataset.has("actions"):
        return None
    table = action_plan(ctx.dataset.table("actions"), report_name, ctx.dataset.snapshot, table_id="action_plan",
                        title="Action plan")
    if table is None:
        return None
    section = Section("actions", "Action plan")
    section.add(Paragraph(template="wres-common/actions.j2", context={"count": len(table.data)}))
    section.add(table)
    return section


def left_out_rows(people: Scope, ds: Any, who: str, measure: str, *, events: tuple[str, ...] | None = None,
                  keep_zero: bool = False, dated: tuple[str, ...] | None = None
                  ) -> tuple[list[tuple[str, int, str]], dict[str, np.ndarray]]:
    """Data-quality rows for the records an indicator left out: events of people outside the
    population (``events`` tables, or all; zero counts too with ``keep_zero``), and rows dated
    outside the year (``dated`` tables, or all); with whom each row counts."""
    rows, units = [], {}
    for name, count in people.excluded_events.items():
        if (events is None or name in events) and (count or keep_zero):
            measure_name = f"{name.replace('_', ' ').capitalize()} records left out ({who})"
            rows.append((measure_name, count,
                         f"Not counted: these records are of people outside the workforce the {measure}s cover."))
            units[measure_name] = people.excluded_event_units(name)
    for name, left in ds.period_exclusions.items():
        if (dated is None or name in dated) and dated_outside(left):
            measure_name = f"{name.replace('_', ' ').capitalize()} records dated outside the year"
            rows.append((measure_name, dated_outside(left),
                         f"Left out: the {measure} counts the reporting year's events."))
            units[measure_name] = outside_units(name, left)
    return rows, units


def staff_left_out_rows(people: Scope, who: str, why: str) -> tuple[list[tuple[str, int, str]], dict[str, np.ndarray]]:
    """The data-quality row for the staff the population leaves out, with whom it counts (the
    staff table's row count is not published: it is this plus the headcount, and a total
    holding every other count would only link them all)."""
    excluded = f"Staff left out ({who})"
    return [(excluded, people.excluded_staff, why)], {excluded: people.excluded_units}
