"""The representation table every report publishes, with its disclosure structure declared.

Rows (grades, bands, services, outcomes) by group: a count per group, the row's total and each
group's percentage of the row, with a total row; every count cell says whom it counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from equality_reports import stats
from equality_reports.document import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    CellRef,
    Chart,
    Column,
    Document,
    Figure,
    Table,
    join_words,
)
from equality_reports.measures.counting import Tally
from equality_reports.measures.units import union

#: the note under a representation table that shows row shares
ROW_SHARES_NOTE = ("Percentages are shares of each row's total, so each row adds up to 100 (allowing for "
                   "rounding).")


#: the binary classifications' reference groups: a representation table withholds their counts
#: first when a cell must go to protect a small count (Table.spare)
REFERENCE_GROUPS = ("white", "non_disabled")


def representation_table(table_id: str, title: str, counts: pd.DataFrame, labels: dict[str, str],
                         row_title: str, *, total_label: str = "All staff", count_label: str = "staff",
                         shares: bool = True, units: dict[tuple[str, str], np.ndarray] | None = None,
                         notes: Sequence[str] | None = None, row_totals: bool = True) -> Table:
    """Rows of ``counts`` (index: row labels in order; columns: group ids in order) by group, a
    total column and a total row and, when ``shares``, each group's share of its row (None for
    an empty row). ``labels`` heads each group's columns; ``units`` gives whom each (row label,
    group id) cell counts (the totals' units are derived). ``notes`` default to
    :data:`ROW_SHARES_NOTE` when there are shares. ``row_totals`` False leaves out the total
    column, for groups that do not make up everyone in a row (White and ethnic minority leavers
    by reason, without those whose group is not known): no share of a row is then given."""
    if shares and not row_totals:
        raise ValueError(f"table {table_id}: shares of a row need the row's total (row_totals)")
    groups = list(counts.columns)
    body = counts.copy()
    body.loc["__total__"] = body.sum()
    data = pd.DataFrame({"row": [*map(str, counts.index), total_label]})
    for g in groups:
        data[g] = body[g].to_numpy()
    columns = [Column("row", row_title)]
    columns += [Column(g, f"{labels[g]} ({count_label})", "count") for g in groups]
    if row_totals:
        data["total"] = body[groups].sum(axis=1).to_numpy()
        columns.append(Column("total", f"All ({count_label})", "count"))
    for g in groups if shares else ():
        data[f"{g}_pct"] = [stats.percentage(int(n), int(d)) for n, d in zip(data[g], data["total"])]
        columns.append(Column(f"{g}_pct", f"{labels[g]} (% of row)", "percent", derived_from=(g, "total"),
                              divisors=("total",)))
    if notes is None:
        notes = [ROW_SHARES_NOTE] if shares else []
    partition = [tuple(groups)] if row_totals else []
    return Table(table_id, title, columns, data, rows_additive=True, total_row=True,
                 column_groups=partition, column_totals={tuple(groups): "total"} if row_totals else {},
                 partial_groups=[] if row_totals else [tuple(groups)],
                 notes=list(notes), units=_cell_units(list(counts.index), groups, units, row_totals),
                 spare=tuple(g for g in groups if g in REFERENCE_GROUPS))


def _cell_units(rows: list[str], groups: list[str], by_cell: dict[tuple[str, str], np.ndarray] | None,
                row_totals: bool = True) -> dict[tuple[int, str], np.ndarray]:
    """Units of every cell, from (row label, group id) -> codes: each cell, the row totals (when
    ``row_totals``) and the total row."""
    if not by_cell:
        return {}
    empty = np.empty(0, dtype=np.uint64)
    cells: dict[tuple[int, str], np.ndarray] = {}
    for i, row in enumerate(rows):
        for g in groups:
            cells[(i, g)] = by_cell.get((row, g), empty)
        if row_totals:
            cells[(i, "total")] = union(*(cells[(i, g)] for g in groups))
    last = len(rows)
    for g in [*groups, "total"] if row_totals else groups:
        cells[(last, g)] = union(*(cells[(i, g)] for i in range(last)))
    return cells


def cross_counts(rows: Sequence[object] | pd.Series, groups: Sequence[object] | pd.Series, units: np.ndarray,
                 group_ids: Sequence[str]) -> tuple[pd.DataFrame, dict[tuple[str, str], np.ndarray]]:
    """People (or records) by row and group, from aligned row labels, group ids and unit codes: the
    counts (rows in order of appearance sorted, one column per id in ``group_ids``) and whom each
    non-empty (row, group) cell counts, ready for :func:`representation_table`."""
    frame = pd.DataFrame({"row": np.asarray(rows), "group": np.asarray(groups),
                          "unit": np.asarray(units, dtype=np.uint64)})
    counts = (frame.groupby(["row", "group"]).size().unstack(fill_value=0)
              .reindex(columns=list(group_ids), fill_value=0))
    by_cell = {key: np.unique(np.asarray(value, dtype=np.uint64))
               for key, value in frame.groupby(["row", "group"])["unit"].unique().items()}
    return counts, by_cell


def likelihood_table(table_id: str, title: str, group_heading: str, rows: Sequence[tuple[str, str]],
                     base: Tally, outcome: Tally, base_label: str, outcome_label: str, note: str,
                     base_known: bool = True) -> Table:
    """The table behind a relative likelihood: for each group (``rows``: id and label, the two
    compared first, then the unknown), its base count, outcome count and outcome rate, every
    count declaring whom it counts. When no outcome exceeds its base, the hidden "not" column
    makes each row an additive line for secondary suppression.

    The number of outcomes (people disciplined, appointed, trained) is not public knowledge, so
    the outcome column's total is private (``Table.private_totals``): withholding a group's small
    outcome does not also withhold another group's, unless the run publishes that total. The base
    total is assumed known when ``base_known`` (staff in post), else private too (applicants)."""
    ids = [g for g, _ in rows]
    data = pd.DataFrame({"group": [label for _, label in rows], "base": [base[g] for g in ids],
                         "outcome": [outcome[g] for g in ids]})
    data["rate"] = [stats.percentage(o, b) for o, b in zip(data["outcome"], data["base"])]
    columns = [Column("group", group_heading), Column("base", base_label, "count"),
               Column("outcome", outcome_label, "count"),
               Column("rate", f"{outcome_label} (% of {base_label.lower()})", "percent",
                      derived_from=("base", "outcome"), divisors=("base",))]
    groups: list[tuple[str, ...]] = []
    totals: dict[tuple[str, ...], str] = {}
    if (data["outcome"] <= data["base"]).all():
        data["without"] = data["base"] - data["outcome"]
        columns.append(Column("without", f"Not {outcome_label.lower()}", "count", hidden=True))
        groups, totals = [("outcome", "without")], {("outcome", "without"): "base"}
    private = ("outcome", "without") if base_known else ("base", "outcome", "without")
    return Table(table_id, title, columns, data, row_key="group", rows_additive=True, column_groups=groups,
                 column_totals=totals, private_totals=private, notes=[note],
                 units={**{(i, "base"): base.units[g] for i, g in enumerate(ids)},
                        **{(i, "outcome"): outcome.units[g] for i, g in enumerate(ids)}})


def add_likelihood_figures(doc: Document, key: str, label: str, rl: stats.RelativeLikelihood,
                           cells: tuple[CellRef, ...], band_low: float, band_high: float, caution: str) -> None:
    """The figures of one relative likelihood: ``{key}.relative_likelihood`` (its note says why it
    is not calculable, else the caution), ``{key}.caution`` when there is one, the 95% limits
    ``.ci_low`` and ``.ci_high``, and ``{key}.band`` (against the non-adverse range)."""
    doc.add_figure(Figure(f"{key}.relative_likelihood", label, rl.value, "ratio", cells=cells,
                          note=rl.reason if rl.value is None else caution))
    if caution:
        doc.add_figure(Figure(f"{key}.caution", label + ": caution", caution, "text", cells=cells))
    for end, value in (("ci_low", rl.ci_low), ("ci_high", rl.ci_high)):
        doc.add_figure(Figure(f"{key}.relative_likelihood.{end}",
                              f"{label}: {'lower' if end == 'ci_low' else 'upper'} 95% limit", value, "ratio",
                              cells=cells, note=rl.reason if value is None else ""))
    doc.add_figure(Figure(f"{key}.band", label + ": against the non-adverse range",
                          stats.band_wording(rl.value, band_low, band_high), "text", cells=cells))


def survey_table(table_id: str, title: str, group_heading: str, groups: Sequence[str], respondents: Sequence[int],
                 positive: Sequence[int | None], yes: Sequence[int], pct: Sequence[float | None], decimals: int,
                 source: str, notes: Sequence[str] = ()) -> Table:
    """One staff survey question by group (WRES indicators 5-8, SC-WRES 6-7, WDES 4-8): each
    group's respondents, those answering yes as the survey gave them (None where it gave only a
    percentage), a hidden count of them given or implied by the percentage (``yes``, for
    disclosure control), and the percentage as given to ``decimals`` places. Counts come from
    outside the HR data (``external``). The groups' respondents and those answering yes are
    parts of wholes nobody publishes (``private_totals``): no line for secondary suppression, but
    a zero beside a withheld count ("White: 0 answered yes, BME [c]") is withheld, as is a 0
    answering yes of a withheld number of respondents. In each row, those answering yes and a
    hidden count of those answering no add up to the respondents: a few answering no is
    protected as a small count. Declare whom the counts count in ``Table.units`` and
    ``Table.shares`` where the survey says so."""
    data = pd.DataFrame({"group": list(groups), "respondents": list(respondents), "positive": list(positive),
                         "yes": list(yes), "pct": list(pct)})
    columns = [Column("group", group_heading), Column("respondents", "Respondents", "count", external=True),
               Column("positive", "Answered yes", "count", external=True),
               Column("yes", "Answered yes (given or implied)", "count", hidden=True, external=True)]
    groups_: list[tuple[str, ...]] = []
    totals: dict[tuple[str, ...], str] = {}
    if all(y <= n and (p is None or p == y) for n, p, y in zip(respondents, positive, yes)):
        # those answering no, the rest of each row's respondents: "21 respondents, 15 yes" says 6
        # said no, a small count to protect like any other (hidden: the lines are what matter)
        data["no"] = [n - y for n, y in zip(respondents, yes)]
        columns.append(Column("no", "Answered no", "count", hidden=True, external=True))
        groups_ = [("yes", "no"), ("positive", "no")]
        totals = {("yes", "no"): "respondents", ("positive", "no"): "respondents"}
    columns.append(Column("pct", "Answered yes (% of respondents)", "percent",
                          derived_from=("respondents", "positive", "yes"), divisors=("respondents",),
                          decimals=decimals))
    return Table(table_id, title, columns, data, row_key="group", rows_additive=True,
                 private_totals=("respondents", "positive", "yes", "no"), column_groups=groups_,
                 column_totals=totals, source=source, notes=list(notes))


def quality_table(rows: Sequence[tuple[str, int | float | None, str]],
                  units: dict[str, np.ndarray] | None = None) -> Table:
    """A report's data-quality table: one row per check, (check, number, what it means). A check
    that found nothing (0) is left out, and a note says so. ``units`` gives, by check, whom a
    row counts (the rows restating a population the report publishes): the disclosure auditor
    then relates them to the report's other cells."""
    found = [row for row in rows if row[1] != 0]
    data = pd.DataFrame({"measure": [m for m, _, _ in found], "records": [v for _, v, _ in found],
                         "meaning": [t for _, _, t in found]})
    declared = {(i, "records"): np.unique(np.asarray(units[m], dtype=np.uint64))
                for i, (m, _, _) in enumerate(found) if units and m in units}
    notes = ["Checks that found nothing are not listed."] if len(found) < len(rows) else []
    return Table("data_quality", "Data quality", [
        Column("measure", "Check"), Column("records", "Number", "count"),
        Column("meaning", "What it means")], data, row_key="measure", rows_additive=False, units=declared,
        notes=notes)


def share_table(table_id: str, title: str, rows: Sequence[tuple[str, Tally]], labels: dict[str, str], share: str,
                note: str) -> Table:
    """Groups of people (a board, senior managers, the workforce) by group, one row each, with the
    row's total and ``share``'s percentage of everyone in it, in column ``<share>_pct``: the
    representation comparison of WRES indicator 9, SC-WRES metric 9 and WDES metric 10. The
    groups are the tallies' (in order, the last being not known); ``labels`` names them. A row
    nobody in which has a known group has no share (not calculable). Every count declares whom
    it counts; ``note`` says what the percentages are over."""
    groups = tuple(rows[0][1].counts) if rows else ()
    unknown = groups[-1] if groups else ""
    data = pd.DataFrame({"row": [label for label, _ in rows]})
    for g in groups:
        data[g] = [tally[g] for _, tally in rows]
    data["total"] = data[list(groups)].sum(axis=1)
    data[f"{share}_pct"] = [stats.percentage(n, t) if t - u else None
                            for n, u, t in zip(data[share], data[unknown], data["total"])]
    units: dict[tuple[int, str], np.ndarray] = {}
    for i, (_, tally) in enumerate(rows):
        units.update({(i, g): tally.units[g] for g in groups})
        units[(i, "total")] = union(*(tally.units[g] for g in groups))
    columns = [Column("row", "Group of people"), *[Column(g, f"{labels[g]} (people)", "count") for g in groups],
               Column("total", "All (people)", "count"),
               Column(f"{share}_pct", f"{labels[share]} (% of all)", "percent", derived_from=(share, "total"),
                      divisors=("total",))]
    return Table(table_id, title, columns, data, row_key="row", rows_additive=False, column_groups=[groups],
                 column_totals={groups: "total"}, notes=[note], units=units)


def share_differences(doc: Document, table: Table, key: str, rows: Sequence[tuple[str, str, Tally]], group: str,
                      name: str, comparisons: Sequence[tuple[str, str, str]],
                      titled: Callable[[str], str] = str) -> list[tuple[str, str, str]]:
    """The figures of a :func:`share_table` built from ``rows`` (row id, label, tally): each row's
    share, ``<key>.<row id>.<group>.pct`` ("Voting board members: disabled share, %"; ``group`` is
    the figure ids' name of the group), and each
    comparison (figure suffix, row id, row id compared with) as the first row's share minus the
    second's in percentage points, ``<key>.<suffix>.difference_pp`` (``<key>.difference_pp`` for
    suffix ''). ``name`` names the group in labels, ``titled`` wraps each label (a scope before
    it). Each figure is tied to the share cells it comes from, so it is withheld with them.
    Returns (difference figure id, row label, compared row label in lower case) per comparison."""
    share = table.columns[-1].key
    labels = {rid: label for rid, label, _ in rows}
    pct = dict(zip(labels, table.data[share]))

    def cells(rid: str) -> tuple[CellRef, ...]:
        return (CellRef(table.id, labels[rid], share),)

    for rid, label, tally in rows:
        doc.add_figure(Figure(f"{key}.{rid}.{group}.pct", titled(f"{label}: {name} share, %"), pct[rid], "percent",
                              numerator=tally[share.removesuffix("_pct")], denominator=tally.total,
                              cells=cells(rid)))
    said = []
    for suffix, a, b in comparisons:
        fid = f"{key}.{suffix}.difference_pp" if suffix else f"{key}.difference_pp"
        doc.add_figure(Figure(fid, titled(f"{labels[a]}: {name} share minus the {labels[b].lower()} share, "
                                          "percentage points"),
                              stats.percentage_point_difference(pct[a], pct[b]), "pp", cells=cells(a) + cells(b)))
        said.append((fid, labels[a], labels[b].lower()))
    return said


def share_chart(table: Table, share_label: str, scope: str = "") -> Chart:
    """The chart of a :func:`share_table`: its group's share of each row, titled with the rows
    it compares ("Disabled share of voting board members, executive board members and overall
    workforce (%)"), after ``scope`` ("Children's services: ") when given."""
    rows = join_words(str(label)[:1].lower() + str(label)[1:] for label in table.data["row"])
    share = table.columns[-1].key
    return Chart(f"{table.id}_chart", f"{scope}{share_label} share of {rows} (%)", table=table.id, category="row",
                 values=[share], unit="percent")


@dataclass
class Headline:
    """One indicator's or metric's headline, as a return's summary lists it."""

    key: str  # the figure id prefix ("wres.2"); a relative likelihood's reading is ``<key>.band``
    number: str  # "2", "7a"
    title: str  # "relative likelihood of appointment from shortlisting"
    unit: str  # "ratio" (a relative likelihood, with confidence limits), "pp", "percent", "score"
    figure: str | None  # the headline figure's id; None when the measure is not reported
    value: float | None


#: what the symbols of a summary of indicators or metrics mean, said where the summary shows them
SUMMARY_SYMBOLS = {"[c]": "[c] marks a figure withheld to protect individuals.",
                   "[x]": "[x] marks a figure not available.",
                   "[z]": "[z] marks what does not apply: only a relative likelihood has a confidence interval "
                          "and is read against the range."}
#: the note under a summary saying what kind of number each value is
SUMMARY_NOTE = ("Relative likelihoods are ratios; shares are percentages; differences and changes in a share are in "
                "percentage points.")


def summary_measure(headline: Headline) -> str:
    """A headline's measure in a summary, saying what kind of number its value is when its title
    does not (a difference in points; a survey measure read as a relative likelihood)."""
    title = headline.title[0].upper() + headline.title[1:]
    if headline.unit == "pp":
        return f"{title} (difference, percentage points)"
    if headline.unit == "ratio" and "likelihood" not in title.lower():
        return f"{title} (relative likelihood)"
    return title


def summary_table(table_id: str, doc: Document, headlines: Sequence[Headline], *, term: str = "Indicator",
                  years: tuple[str, str] = ("Previous year", "This year"), with_previous: bool = False,
                  scope: str = "", note: str = SUMMARY_NOTE) -> Table:
    """A return's summary (WRES, SC-WRES, WDES): one row per headline, its value as published (each
    to its own unit's precision, with its unit), a relative likelihood's 95% confidence limits and
    its reading against the non-adverse range, and ``with_previous`` last year's value and the
    change (figures ``<figure>.previous`` and ``<figure>.change``); the value columns headed with
    ``years`` (last year's label, this year's), the title naming ``scope`` (a service) when given.
    Each value restates a figure and is withheld whenever that figure is: ``[x]`` where there is
    none, ``[z]`` where it does not apply."""
    ids = {"value": [h.figure for h in headlines],
           "previous": [f"{h.figure}.previous" if h.figure else None for h in headlines],
           "change": [f"{h.figure}.change" if h.figure else None for h in headlines]}
    ratio = [h.unit == "ratio" for h in headlines]

    def interval(end: str) -> list[str | None]:
        return [(f"{h.figure}.{end}" if h.figure and f"{h.figure}.{end}" in doc.figures else NOT_AVAILABLE)
                if is_ratio else NOT_APPLICABLE for h, is_ratio in zip(headlines, ratio)]
    data = pd.DataFrame({
        "number": [h.number for h in headlines],
        "measure": [summary_measure(h) for h in headlines],
        **{key: [fid if fid and fid in doc.figures else NOT_AVAILABLE for fid in fids] for key, fids in ids.items()},
        "ci_low": interval("ci_low"), "ci_high": interval("ci_high"),
        "reading": [(f"{h.key}.band" if h.figure else NOT_AVAILABLE) if h.unit == "ratio" else None
                    for h in headlines],
    })
    columns = [Column("number", term), Column("measure", "Measure"), Column("value", years[1], from_figures=True)]
    if any(ratio):
        columns += [Column("ci_low", "Lower 95% limit", from_figures=True),
                    Column("ci_high", "Upper 95% limit", from_figures=True)]
    else:
        data = data.drop(columns=["ci_low", "ci_high"])
    columns.append(Column("reading", "Against the non-adverse range", from_figures=True))
    if with_previous:
        columns += [Column("previous", years[0], from_figures=True),
                    Column("change", f"Change since {years[0]}", from_figures=True)]
    else:
        data = data.drop(columns=["previous", "change"])
    title = f"Summary of the {term.lower()}s" if not scope else f"{scope}: summary of the {term.lower()}s"
    return Table(table_id, title, columns, data, row_key="number", rows_additive=False, notes=[note],
                 symbol_notes=dict(SUMMARY_SYMBOLS))
