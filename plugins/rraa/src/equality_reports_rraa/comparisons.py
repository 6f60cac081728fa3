"""Comparisons: between groups at each stage, with the local population, and with last year.

Relative rate (see docs/reports/rraa-employment.md): for each stage, the rate for ethnic
minority people (stage count / the group's base population) divided by the rate for White
people, as a ratio of two :func:`stats.rate` values (not ``stats.relative_likelihood``, which
requires the outcome count to be within its group: turnover can exceed the staff in post). 1.00
means the same rate; it is flagged when outside ``band_low``-``band_high``
(default 0.80-1.25, the "four-fifths" range NHS WRES uses for relative likelihoods). The table
also shows each group's share of the stage beside its share of the base population, the
comparison article 5 monitoring invites.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from equality_reports import CellRef, Column, Figure, Paragraph, Table, add_trends, stats, union
from equality_reports_rraa.builder import TEMPLATE, Build
from equality_reports_rraa.groups import Level, tally
from equality_reports_rraa.tables import (
    carry_withheld,
    cell_figure,
    percentages,
    units_of,
    withheld,
)


def _pair(s: pd.Series, g: str) -> int:
    return int(s.get(g, 0))


def build_relative_rates(b: Build) -> None:
    """One row per stage: rates for White and minority staff, shares, relative rate and flag."""
    sec = b.section("comparisons", "Comparisons between groups")
    if not b.stages:
        sec.add(Paragraph(template=TEMPLATE.format("no_stages"), context={}))
        return
    low, high = b.options["band_low"], b.options["band_high"]
    rows: list[dict[str, Any]] = []
    for st in b.stages:
        wn, wd = _pair(st.numerator, "white"), _pair(st.base, "white")
        mn, md = _pair(st.numerator, "minority_ethnic"), _pair(st.base, "minority_ethnic")
        ratio = stats.rate(stats.rate(mn, md), stats.rate(wn, wd))
        rows.append({
            "stage": st.label, "base": st.base_label, "w_num": wn, "w_den": wd, "m_num": mn, "m_den": md,
            "white_rate": stats.percentage(wn, wd), "minority_rate": stats.percentage(mn, md),
            "share_stage": stats.percentage(mn, mn + wn), "share_base": stats.percentage(md, md + wd),
            "relative": ratio, "flag": _flag_text(ratio, low, high),
        })
    data = pd.DataFrame(rows)
    white = b.binary.label("white")
    all4 = ("m_num", "m_den", "w_num", "w_den")
    divisors = ("m_den", "w_num", "w_den")  # the relative rate is (m_num / m_den) / (w_num / w_den)

    def hidden(white_by: tuple[str, str], minority_by: tuple[str, str]) -> list[Column]:
        """The stage's counts, hidden; each counted as published while the rate or share computed
        from it is shown (``revealed_by``, numerator's then base's): a rate of a base published
        elsewhere gives its count away, so the run-wide audit must see them."""
        return [Column("w_num", f"{white} at stage", "count", hidden=True, revealed_by=white_by[0]),
                Column("w_den", f"{white} in base", "count", hidden=True, revealed_by=white_by[1]),
                Column("m_num", f"{b.minority} at stage", "count", hidden=True, revealed_by=minority_by[0]),
                Column("m_den", f"{b.minority} in base", "count", hidden=True, revealed_by=minority_by[1])]

    table = Table(
        "relative_rates", f"Rates at each stage: {b.minority} compared with {white} people",
        [Column("stage", "Stage"), Column("base", "Rate of"),
         *hidden(("white_rate", "white_rate"), ("minority_rate", "minority_rate")),
         Column("white_rate", f"{white} rate (%)", "percent", derived_from=("w_num", "w_den"),
                divisors=("w_den",)),
         Column("minority_rate", f"{b.minority} rate (%)", "percent", derived_from=("m_num", "m_den"),
                divisors=("m_den",)),
         Column("relative", "Relative rate", "ratio", derived_from=all4, divisors=divisors),
         Column("flag", f"Outside {low:.2f} to {high:.2f}?", "text", derived_from=all4, divisors=divisors)],
        data[["stage", "base", "w_num", "w_den", "m_num", "m_den", "white_rate", "minority_rate", "relative",
              "flag"]], rows_additive=False,
        notes=[f"Relative rate = {b.minority} rate / {white} rate. 1.00 means the same rate; above 1, "
               f"the {b.minority} rate is higher. Figures outside {low:.2f} to {high:.2f} are flagged for attention.",
               "Each rate is of the people named in the 'Rate of' column."],
    )
    shares = Table(
        "stage_shares", f"{b.minority} share of each stage and of the people it is drawn from",
        [Column("stage", "Stage"), Column("base", "Drawn from"),
         *hidden(("share_stage", "share_base"), ("share_stage", "share_base")),
         Column("share_stage", "Share at the stage (%)", "percent", derived_from=("m_num", "w_num")),
         Column("share_base", "Share of those it is drawn from (%)", "percent", derived_from=("m_den", "w_den"))],
        data[["stage", "base", "w_num", "w_den", "m_num", "m_den", "share_stage", "share_base"]],
        rows_additive=False,
        notes=[f"{b.minority} people as a percentage of everyone at the stage, and of everyone it is drawn "
               "from (for staff stages, the workforce), leaving out people whose ethnic group is not stated or "
               "not known. Equal shares mean equal rates."],
    )
    sec.add(Paragraph(template=TEMPLATE.format("comparisons"), context={
        "minority": b.minority, "white": white, "low": low, "high": high, "nhs": b.dataset.sector == "nhs"}))
    labels = {"w": b.binary.label("white"), "m": b.minority}
    for i, st in enumerate(b.stages):  # the hidden counts restate cells of the stage's source tables
        (num_table, num_col), (base_table, base_col) = st.sources
        for side, label in labels.items():
            for key, (tid, col) in ((f"{side}_num", (num_table, num_col)), (f"{side}_den", (base_table, base_col))):
                # withheld whenever the source is (Table.copies); a count declaring whom it counts
                # also follows it across the run's reports (a zero, counting nobody, declares none)
                table.copies[(i, key)] = shares.copies[(i, key)] = CellRef(tid, label, col)
                units = units_of(b.doc, tid, label, col)
                if units is not None and len(units):
                    table.units[(i, key)] = shares.units[(i, key)] = units
    sec.add(table, shares)
    gaps = []
    for st, row in zip(b.stages, rows):
        fig = cell_figure(b.doc, b.fid("comparison", st.key, "relative_rate"),
                          f"{st.label}: relative rate ({b.minority} compared with {white})", table, st.label,
                          "relative", "ratio",
                          extra_cells=tuple(CellRef(table.id, st.label, k) for k in all4[2:]))
        if row["relative"] is not None:
            gaps.append({"id": fig.id, "label": st.label, "favourable": st.favourable,
                         "distance": _distance(float(row["relative"]))})
    b.facts["gaps"] = sorted(gaps, key=lambda g: -g["distance"])
    b.facts["stages"] = len(b.stages)  # the table's rows, calculable or not


def _distance(ratio: float) -> float:
    """How far a relative rate is from 1 on the ratio's own scale: 0.5 (half the rate) is as far as
    2.0 (twice it), so key findings rank 0.45 above 1.64."""
    return math.inf if ratio <= 0 else abs(math.log(ratio))


def _flag_text(ratio: float | None, low: float, high: float) -> str:
    """Whether a relative rate is outside the range, in a few words (the column heading and the
    note say whose rate is compared with whose)."""
    if ratio is None:
        return "Not calculable"
    if stats.in_band(ratio, low, high):
        return "No"
    return f"Yes, {'higher' if ratio > high else 'lower'}"


def build_benchmark(b: Build) -> None:
    """Workforce against the local population, at detailed, broad and binary level."""
    bench = b.table("benchmark")
    sec = b.section("population", "Workforce compared with the local population")
    if bench is None:
        sec.add(Paragraph(template=TEMPLATE.format("no_benchmark"), context={}))
        return
    population = bench.assign(count=pd.to_numeric(bench["count"], errors="coerce").fillna(0))
    source = b.ctx.benchmark_source()
    sec.add(Paragraph(template=TEMPLATE.format("benchmark"), context={"minority": b.minority, "source": source}))
    for name in ("detailed", "broad", "binary"):
        level = b.levels[name]
        staff, units = tally("rows", b.staff, level)
        ids = population[level.column].replace(level.merged) if level.merged else population[level.column]
        pop = population["count"].groupby(ids).sum().reindex(list(level.ids), fill_value=0)
        table = _benchmark_table(name, level, staff, pop.round().astype("int64"))
        table.source = f"Staff in post from the organisation's records; local population from {source}." if source \
            else "Staff in post from the organisation's records; local population as supplied with them."
        # the staff column restates staff in post: it joins the audit with them, its total (those
        # who declared) being a population no other cell publishes
        declared = list(level.declared_ids)
        table.units = {**{(i, "staff"): units[g] for i, g in enumerate(declared)},
                       (len(declared), "staff"): union(*(units[g] for g in declared))}
        table.shares = {(i, "staff_pct"): (units[g], table.units[(len(declared), "staff")])
                        for i, g in enumerate(declared)}
        carry_withheld(table, {(i, "staff"): withheld(b.doc, f"staff_{name}", level.label(g), "count")
                               for i, g in enumerate(level.declared_ids)})
        if name == "detailed":
            table.coarser = "benchmark_broad"
        sec.add(table)
        for g in level.declared_ids:
            if name == "detailed":
                continue
            prefix = ("benchmark", g) if name == "binary" else ("benchmark", "broad", g)
            cell_figure(b.doc, b.fid(*prefix, "pp_difference"),
                        f"{level.label(g)}: workforce minus population (percentage points)",
                        table, level.label(g), "difference", "pp")
    b.facts["benchmark"] = True


def _benchmark_table(name: str, level: Level, staff: pd.Series, pop: pd.Series) -> Table:
    ids = list(level.declared_ids)
    data = pd.DataFrame({"group": [level.label(i) for i in ids] + ["All who declared"],
                         "staff": [*staff[ids].tolist(), int(staff[ids].sum())],
                         "population": [*pop[ids].tolist(), int(pop[ids].sum())]})
    data["staff_pct"] = percentages(data["staff"], pd.Series([int(staff[ids].sum())] * len(data)))
    data["population_pct"] = percentages(data["population"], pd.Series([int(pop[ids].sum())] * len(data)))
    data["difference"] = [stats.percentage_point_difference(s, p)
                          for s, p in zip(data["staff_pct"], data["population_pct"])]
    title = {"detailed": "detailed ethnic group", "broad": "broad ethnic group", "binary": "ethnic group"}[name]
    table = Table(
        f"benchmark_{name}", f"Workforce and local population by {title}",
        [Column("group", "Ethnic group"), Column("staff", "Staff", "count"),
         Column("staff_pct", "Staff (% of those who declared)", "percent", derived_from=("staff",)),
         Column("population", "Local population", "count", external=True),
         Column("population_pct", "Population (% of those who declared)", "percent", derived_from=("population",)),
         Column("difference", "Difference (percentage points)", "number", derived_from=("staff", "population"))],
        data, rows_additive=True, total_row=True,
        notes=["Both percentages leave out people whose ethnic group is not stated or not known. The "
               "difference is the staff percentage minus the population percentage, worked out before "
               "rounding, so it can differ by 0.1 from the difference of the rounded percentages. The "
               "total row has no difference ([z]): both its percentages are 100."],
    )
    table.not_applicable = {(len(data) - 1, "difference")}
    return table


def build_previous(b: Build, previous: dict[str, Figure]) -> None:
    """Change since last year, in percentage points, for the tracked percentages."""
    sec = b.section("previous-year", "Changes since last year")
    rows = [(fid, label) for fid, label in b.tracked if fid in previous and fid in b.doc.figures]
    if not rows:
        sec.add(Paragraph(template=TEMPLATE.format("no_previous"), context={"given": bool(previous)}))
        return
    data = pd.DataFrame({"measure": [label for _, label in rows]})
    this = [b.doc.figures[fid] for fid, _ in rows]
    last = [previous[fid] for fid, _ in rows]
    data["last_num"] = pd.array([None if f.suppressed else f.numerator for f in last], dtype="Int64")
    data["this_num"] = pd.array([f.numerator for f in this], dtype="Int64")
    data["last"] = [None if f.suppressed else f.value for f in last]
    data["this"] = [f.value for f in this]
    data["change"] = [stats.percentage_point_difference(cur, prev) for cur, prev in zip(data["this"], data["last"])]
    before = b.ctx.history[-1][0] if b.ctx.history else "Last year"
    now = b.ctx.year
    table = Table("previous_year", f"Selected percentages: {before} and {now}",
                  [Column("measure", "Measure"),
                   Column("last_num", f"{before}: count", "count", hidden=True),
                   Column("this_num", f"{now}: count", "count", hidden=True),
                   Column("last", f"{before} (%)", "percent", derived_from=("last_num",)),
                   Column("this", f"{now} (%)", "percent", derived_from=("this_num",)),
                   Column("change", "Change (percentage points)", "number", derived_from=("last_num", "this_num"))],
                  data, rows_additive=False,
                  notes=["Last year's figures are as published last year: a figure withheld then stays withheld."])
    carry_withheld(table, {(i, k): f.suppressed for i, f in enumerate(last) for k in ("last", "last_num")})
    # this year's values restate this year's figures: withheld whenever they are, up to the end
    table.restates = {(i, k): fid for i, (fid, _) in enumerate(rows) for k in ("this", "this_num", "change")}
    sec.add(Paragraph(template=TEMPLATE.format("previous"), context={}))
    sec.add(table)
    changes = []
    for fid, label in rows:
        suffix = fid.split(".", 1)[1]
        fig = cell_figure(b.doc, b.fid("change", suffix), f"{label}: change since last year (percentage points)",
                          table, label, "change", "pp",
                          extra_cells=(CellRef(table.id, label, "last"), CellRef(table.id, label, "this")))
        changes.append({"id": fig.id, "label": label})
    add_trends(sec, b.doc, b.ctx, b.tracked, "trends", "Selected percentages by year", "percent")
    if (b.fid("staff", "total")) in previous:
        old = previous[b.fid("staff", "total")]
        b.doc.add_figure(Figure(b.fid("previous", "staff", "total"), "Staff in post last year",
                                None if old.suppressed else old.value, "count", suppressed=old.suppressed,
                                note=old.note, units=None if old.suppressed else old.units))
    b.facts["changes"] = changes
