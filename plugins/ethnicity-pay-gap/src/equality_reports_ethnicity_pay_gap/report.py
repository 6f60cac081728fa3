"""The ethnicity-pay-gap report: hourly and bonus pay gaps of each ethnic group against a reference
group, pay quarters and the share of staff with no recorded ethnicity.

Department for Business and Trade, "Ethnicity pay reporting: guidance for employers" (April 2023,
voluntary): see docs/reports/ethnicity-pay-gap.md and docs/sources.md.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from equality_reports import (
    BANK_CHOICES,
    BROAD_GROUPS,
    CATEGORIES,
    CellRef,
    Chart,
    Column,
    Document,
    Figure,
    Gap,
    Mean,
    Median,
    Option,
    Paragraph,
    Problem,
    Report,
    ReportContext,
    Table,
    add_trends,
    binary_labels,
    people_units,
    relevant_employees,
    scope,
    stats,
    union,
)
from equality_reports_ethnicity_pay_gap.measures import QUARTERS, pay_by_group, pay_gap, quartile_bands

REPORT = "ethnicity-pay-gap"
TEMPLATE = REPORT + "/{}.j2"
UNKNOWN = ("not_stated", "not_known")
BINARY = ("white", "minority_ethnic")
BROAD = tuple(g for g in BROAD_GROUPS if g != "unknown")
DETAILED = tuple(c.id for c in CATEGORIES if c.group != "unknown")
CATEGORY = {c.id: c for c in CATEGORIES}
#: short names for the text (the tables use the full census labels)
SHORT = {"white_british": "White British", "white": "White"}
ROW = "_epg_row"


@dataclass
class Level:
    """One way of grouping people: the rows of a table, each a label and the ids it holds."""

    name: str  # binary, broad, detailed
    title: str
    caption: str  # the end of a table's title: "White and ethnic minority employees"
    column: str  # the dataset column holding the ids
    rows: list[tuple[str, str, tuple[str, ...]]]  # (slug, label, ids)

    def row_of(self, frame: pd.DataFrame) -> pd.Series:
        """Each person's row label (NaN for people in no row: ethnicity not recorded)."""
        lookup = {i: label for _, label, ids in self.rows for i in ids}
        return frame[self.column].map(lookup)

    @property
    def labels(self) -> list[str]:
        return [label for _, label, _ in self.rows]


@dataclass
class Reference:
    column: str
    id: str
    label: str  # as in the text: "White British"
    n: int = 0
    mean: float | None = None
    median: float | None = None
    usable: bool = False


@dataclass
class Build:
    ctx: ReportContext
    doc: Document
    minimum: int
    relevant: pd.DataFrame
    full_pay: pd.DataFrame
    reference: Reference
    minority: str
    #: who the relevant employees are, in words ("directly employed staff, not bank-only workers")
    population: str
    levels: dict[str, Level] = field(default_factory=dict)
    #: level -> labels of rows whose measures are not shown (fewer than the minimum)
    withheld: dict[str, list[str]] = field(default_factory=dict)
    #: detailed groups folded into their broad group's combined row
    folded: list[str] = field(default_factory=list)
    #: (level, row label) whose mean pay is not shown, so that none follows from the others
    hidden_hourly: set[tuple[str, str]] = field(default_factory=set)
    #: labels of groups large enough whose pay is not shown, so a smaller group's cannot be worked out
    protected: list[str] = field(default_factory=list)

    def fid(self, *parts: str) -> str:
        return ".".join((REPORT, *parts))

    @property
    def margin(self) -> int:
        return _margin(self.ctx)

    def large_enough(self, full_pay: int, relevant: int) -> bool:
        """See :func:`large_enough`."""
        return large_enough(full_pay, relevant, self.minimum, self.margin)

    def sizes(self, level: Level) -> dict[str, tuple[int, int]]:
        """Each row's full-pay relevant and relevant employees."""
        full = level.row_of(self.full_pay).value_counts()
        everyone = level.row_of(self.relevant).value_counts()
        return {label: (int(full.get(label, 0)), int(everyone.get(label, 0))) for label in level.labels}


def _margin(ctx: ReportContext) -> int:
    """How many relevant employees beyond the minimum a group needs for its hourly pay to be shown
    in a publication (the disclosure threshold); none for an internal audience."""
    return ctx.threshold if ctx.audience == "publication" else 0


def large_enough(full_pay: int, relevant: int, minimum: int, margin: int) -> bool:
    """A group's hourly pay is shown only when it has at least ``max(minimum, margin)`` full-pay
    relevant employees (no pay figure of fewer people than the threshold, whatever the minimum)
    and at least ``max(minimum, margin) + margin`` relevant employees in all. Showing a
    group's pay tells a reader that at least the minimum of it had full pay, and at least the
    threshold (``margin`` in a publication: a smaller count, and the pay computed from it, is
    withheld); other reports publish how many relevant employees it has, so without the margin a
    group just above that line would give away how few of it were on leave. With it, that number
    stays at least ``margin`` values wide; a group not shown says only that one condition failed."""
    return full_pay > 0 and full_pay >= max(minimum, margin) and relevant >= max(minimum, margin) + margin


def _valid_references() -> dict[str, tuple[str, str]]:
    """Option value -> (column, id) for every group a reference can be."""
    refs = {g: ("ethnic_group", g) for g in BROAD}
    refs.update({c: ("ethnicity", c) for c in DETAILED})
    return refs


class EthnicityPayGapReport(Report):
    """Mean and median hourly and bonus pay gaps by ethnic group against a reference group, pay
    quarters and the non-disclosure rate."""

    name = REPORT
    title = "Ethnicity pay gap report"
    description = ("Ethnicity pay gaps as the Department for Business and Trade's voluntary guidance (April 2023) "
                   "describes them: mean and median hourly pay gaps and bonus gaps of each ethnic group against a "
                   "reference group, the share of each group paid a bonus, pay quarters and the share of staff "
                   "with no recorded ethnicity. Needs staff.hourly_pay.")
    required_tables = ("staff",)
    required_columns = {"staff": ("hourly_pay",)}
    template_dir = Path(__file__).parent / "templates"
    outputs = ("docx", "xlsx", "csv", "json")
    options = (
        Option("reference", str, "auto", "the group each gap is measured against: auto (White British where "
               f"there are enough full-pay relevant White British employees to meet minimum_group, else White), "
               f"or a broad group ({', '.join(BROAD)}) or detailed group id (e.g. white_british)"),
        Option("minimum_group", int, 50, "groups with fewer full-pay relevant (or relevant, for bonus) employees "
               "than this have no pay figures shown: a detailed group is combined with the rest of its broad "
               "group, a broad group is not shown (the guidance suggests 50)"),
        Option("minority_label", str, "Ethnic minority", "label for the combined minority group"),
        Option("bank_workers", str, "include", "include (the default) or exclude bank-only workers from the "
               "relevant employees (as the gender pay gap report's option of the same name)", choices=BANK_CHOICES),
    )

    def check(self, ctx: ReportContext) -> list[Problem]:
        problems = []
        options = ctx.options
        reference = str(options["reference"]).strip()
        if reference != "auto" and reference not in _valid_references():
            problems.append(Problem(f"reference={reference}: not a group this report knows",
                                    fix=f"use auto, a broad group ({', '.join(BROAD)}) or a detailed group id "
                                        "such as white_british"))
        if options["minimum_group"] < 1:
            problems.append(Problem(f"minimum_group={options['minimum_group']} must be 1 or more",
                                    fix="the guidance suggests 50"))
        staff = ctx.dataset.tables.get("staff")
        if staff is not None and "hourly_pay" in staff.columns:
            # the relevant employees only: a worker the report leaves out (agency, bank) needs no pay
            staff = scope(ctx.dataset, relevant_employees(options["bank_workers"])).staff
            full_pay = _flag(staff, "full_pay_relevant")
            blank = full_pay & staff["hourly_pay"].isna().to_numpy(dtype=bool)
            if blank.any():
                first = staff.index[int(blank.argmax())]
                problems.append(Problem(
                    f"{int(blank.sum())} full-pay relevant employee(s) have no hourly pay and are left out of "
                    "the hourly pay gaps and pay quarters", file=ctx.dataset.input_file("staff"),
                    row=ctx.dataset.file_row("staff", first), column="hourly_pay",
                    value=staff.at[first, "person_id"] if "person_id" in staff.columns else None,
                    fix="give their ordinary hourly pay, or full_pay_relevant = no if they were on reduced "
                        "or nil pay because of leave", severity="warning"))
        return problems

    def build(self, ctx: ReportContext) -> Document:
        options = ctx.options
        population = relevant_employees(options["bank_workers"])
        staff = scope(ctx.dataset, population).staff
        if "hourly_pay" not in staff.columns:  # run directly on data without pay (run --all skips it)
            staff = staff.assign(hourly_pay=np.nan)
        full_pay = staff[_flag(staff, "full_pay_relevant") & staff["hourly_pay"].notna().to_numpy(dtype=bool)]
        minimum = int(options["minimum_group"])
        doc = ctx.new_document(title=self.title)
        doc.subtitle = f"{ctx.dataset.organisation}: pay gaps by ethnic group"
        reference = _reference(str(options["reference"]).strip(), staff, full_pay, minimum, _margin(ctx))
        b = Build(ctx, doc, minimum, staff, full_pay, reference, options["minority_label"],
                  population.in_words(ctx.dataset.table("staff")))
        b.levels = _levels(b)
        _introduction(b)
        _who(b)
        _hourly(b)
        _bonus(b)
        _quarters(b)
        _small_groups(b)
        _headlines(b)
        doc.section("method", "How the figures are worked out").add(
            Paragraph(template=TEMPLATE.format("method"), context=_context(b)))
        return doc


# --- who is counted ---------------------------------------------------------------------------------

def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A yes/no column as booleans, missing counting as yes (the column's default)."""
    if column not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    return frame[column].astype("boolean").fillna(True).to_numpy(dtype=bool)


def _reference(option: str, relevant: pd.DataFrame, full_pay: pd.DataFrame, minimum: int, margin: int) -> Reference:
    """The reference group: as chosen, or White British where enough people are recorded as White
    British for their pay to be shown (:func:`large_enough`), else White."""
    def size(column: str, gid: str) -> tuple[int, int]:
        return int((full_pay[column] == gid).sum()), int((relevant[column] == gid).sum())

    if option == "auto":
        british = large_enough(*size("ethnicity", "white_british"), minimum, margin)
        column, gid = ("ethnicity", "white_british") if british else ("ethnic_group", "white")
    else:
        column, gid = _valid_references()[option]
    label = SHORT.get(gid) or (CATEGORY[gid].label if column == "ethnicity" else BROAD_GROUPS[gid])
    ref = Reference(column, gid, label)
    pay = full_pay.loc[full_pay[column] == gid, "hourly_pay"]
    ref.n = int(len(pay))
    ref.usable = large_enough(*size(column, gid), minimum, margin)
    if ref.n:
        ref.mean, ref.median = float(pay.mean()), float(pay.median())
    return ref


def _levels(b: Build) -> dict[str, Level]:
    binary = binary_labels(b.minority)
    levels = {
        "binary": Level("binary", "White and ethnic minority", "White and ethnic minority employees", "ethnic_binary",
                        [(g, binary[g], (g,)) for g in BINARY]),
        "broad": Level("broad", "Broad ethnic groups", "broad ethnic groups", "ethnic_group",
                       [(g, BROAD_GROUPS[g], (g,)) for g in BROAD]),
    }
    levels["detailed"] = _detailed(b)
    return levels


#: the longest label naming the groups of a combined row; a longer one says "other groups combined"
COMBINED_LABEL = 60
#: the label of a total row of full-pay relevant employees (who is counted, the pay quarters together)
ALL_FULL_PAY = "All full-pay relevant employees"
#: the end of the label of a combined row holding every detailed group of its broad group
ALL_COMBINED = ": all groups combined"


def _detailed(b: Build) -> Level:
    """Detailed groups with at least the minimum of full-pay relevant people; in each broad group the
    smaller ones are combined into one row."""
    counts = b.full_pay["ethnicity"].value_counts()
    everyone = b.relevant["ethnicity"].value_counts()
    rows: list[tuple[str, str, tuple[str, ...]]] = []
    for broad in BROAD:
        cats = [c for c in DETAILED if CATEGORY[c].group == broad and counts.get(c, 0) > 0]
        shown = [c for c in cats if b.large_enough(int(counts.get(c, 0)), int(everyone.get(c, 0)))]
        small = [c for c in cats if c not in shown]
        mine = [(c, CATEGORY[c].label, (c,)) for c in shown]
        if small:
            # the groups a combined row holds, named where that stays short ("White: Irish; Roma (combined)"),
            # else as its detailed groups are ("Asian: other groups combined", beside "Asian: Indian")
            prefix = CATEGORY[small[0]].label.split(": ", 1)[0]
            named = f"{prefix}: {'; '.join(CATEGORY[c].label.split(': ', 1)[-1] for c in small)} (combined)"
            label = (CATEGORY[small[0]].label if len(small) == 1 else
                     named if shown and len(named) <= COMBINED_LABEL else
                     f"{prefix}: other groups combined" if shown else BROAD_GROUPS[broad] + ALL_COMBINED)
            mine.append((f"{broad}-combined", label, tuple(small)))
            b.folded += [CATEGORY[c].label for c in small]
        # a group too small alone keeps its own place ("White: Irish" before "White: any other")
        rows += sorted(mine, key=lambda row: DETAILED.index(row[2][0])) if len(small) == 1 else mine
    return Level("detailed", "Detailed ethnic groups", "detailed ethnic groups", "ethnicity", rows)


def _splits(level: Level) -> bool:
    """True when the detailed level says more than the broad one: some broad group has two rows."""
    broads = [CATEGORY[ids[0]].group for _, _, ids in level.rows]
    return len(broads) != len(set(broads))


def _lines(b: Build) -> list[tuple[tuple[str, str], list[tuple[str, str]]]]:
    """Each group's mean pay is the people-weighted mean of its parts': White and ethnic minority
    over the broad groups, each broad group over its detailed rows (when those are published)."""
    binary, broad = b.levels["binary"], b.levels["broad"]
    white_broad = [label for slug, label, _ in broad.rows if slug == "white"]
    lines = [(("binary", binary.rows[0][1]), [("broad", label) for label in white_broad]),
             (("binary", binary.rows[1][1]), [("broad", label) for slug, label, _ in broad.rows if slug != "white"])]
    detailed = b.levels["detailed"]
    if _splits(detailed):
        for slug, label, _ in broad.rows:
            parts = [("detailed", d) for _, d, ids in detailed.rows if CATEGORY[ids[0]].group == slug]
            lines.append((("broad", label), parts))
    return lines


def _keep(b: Build) -> set[tuple[str, str]]:
    """The rows that are the reference group: never hidden to protect another."""
    ref = b.reference
    if ref.column == "ethnicity":
        return {("detailed", label) for _, label, ids in b.levels["detailed"].rows if ids == (ref.id,)}
    return {(name, label) for name in ("binary", "broad") for slug, label, _ in b.levels[name].rows if slug == ref.id}


def hide_determined(lines: list[tuple[tuple[str, str], list[tuple[str, str]]]], hidden: set[tuple[str, str]],
                    size: dict[tuple[str, str], int], keep: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``hidden`` grown until no line (a group and its parts, with their sizes published) has exactly
    one hidden member: a lone hidden mean would follow from the others. The smallest other part goes
    first, else the group; never one in ``keep`` (the reference) unless nothing else is left."""
    hidden = set(hidden)
    changed = True
    while changed:
        changed = False
        for parent, parts in lines:
            members = [m for m in (parent, *parts) if size[m]]  # an empty group adds nothing to its whole
            if len(members) < 2 or sum(m in hidden for m in members) != 1:
                continue
            shown = sorted((m for m in members[1:] if m != parent and m not in hidden and m not in keep),
                           key=lambda m: (size[m], m))
            choice = shown[0] if shown else (parent if parent not in hidden and parent not in keep else None)
            if choice is None:
                choice = next(m for m in members if m not in hidden)
            hidden.add(choice)
            changed = True
    return hidden


def _context(b: Build, **extra: object) -> dict[str, object]:
    ref = b.reference
    return {"snapshot": b.ctx.dataset.snapshot, "reference": ref.label, "reference_usable": ref.usable,
            "minimum": b.minimum, "minority": b.minority, "threshold": b.ctx.threshold,
            "hourly_rule": _rule(b, hourly=True), "bonus_rule": _rule(b, hourly=False), "margin": b.margin,
            "has_bonus": "bonus_pay" in b.relevant.columns and bool(b.relevant["bonus_pay"].notna().any()),
            "reference_auto": b.ctx.options["reference"] == "auto", "population": b.population,
            **extra}


def _introduction(b: Build) -> None:
    sec = b.doc.section("introduction", "About this report")
    # the gaps of every group but the reference: when none is shown, the introduction says so first
    gaps = [b.fid("hourly", name, slug, key) for name, level in b.levels.items() for slug, _, _ in level.rows
            if slug != b.reference.id for key in ("mean_gap", "median_gap")]
    sec.add(Paragraph(template=TEMPLATE.format("introduction"), context=_context(b, hourly_gaps=gaps)))


def _who(b: Build) -> None:
    """Relevant and full-pay relevant employees, and the share with no recorded ethnicity."""
    sec = b.doc.section("who", "Who is counted")
    # over the full-pay relevant employees, as every other count by group: the relevant employees by
    # group beside them would show how many people in each group were on leave
    staff = b.full_pay
    status = pd.Series(np.where(staff["ethnic_binary"] == "unknown", staff["ethnicity"], "declared"),
                       index=staff.index)
    frame = staff.assign(**{ROW: status})
    ids = ("declared", "not_stated", "not_known")
    labels = {"declared": "Ethnic group recorded", "not_stated": "Not stated (declined to say)",
              "not_known": "Not known (not asked or not recorded)"}
    everyone = ALL_FULL_PAY
    units = people_units(frame, ROW, ids)
    everybody = union(*units.values())
    counts = [len(units[i]) for i in ids]
    total = sum(counts)
    data = pd.DataFrame({"group": [labels[i] for i in ids] + [everyone],
                         "count": [*counts, total],
                         "pct": [stats.percentage(c, total) for c in [*counts, total]]})
    table = Table("epg_disclosure", "Full-pay relevant employees by whether their ethnic group is recorded", [
        Column("group", "Ethnic group"), Column("count", "Employees", "count"),
        Column("pct", "% of all full-pay relevant employees", "percent", derived_from=("count",)),
    ], data, rows_additive=True, total_row=True,
        units={**{(i, "count"): units[g] for i, g in enumerate(ids)}, (3, "count"): everybody},
        # each share divides the total: declared, so that a shown count and its share cannot pin a
        # withheld total; the total follows the full-pay relevant figure, which the pay quarters'
        # sizes also give away (see _quarters)
        shares={(i, "pct"): (units[g], everybody) for i, g in enumerate(ids)},
        restates={(3, "count"): b.fid("who", "full_pay_relevant")},
        notes=[f"Full-pay relevant employees are the staff in post on the snapshot date ({b.population}) who were "
               "not on reduced or nil pay because of leave, with an hourly rate."])
    relevant_units = people_units(b.relevant.assign(**{ROW: "all"}), ROW, ("all",))["all"]
    unknown = counts[1] + counts[2]
    b.doc.add_figure(Figure(b.fid("who", "relevant"), "Relevant employees", len(relevant_units), "count",
                            units=relevant_units))
    b.doc.add_figure(Figure(b.fid("who", "full_pay_relevant"), "Full-pay relevant employees with an hourly rate",
                            total, "count", cells=(CellRef(table.id, everyone, "count"),),
                            units=everybody))
    b.doc.add_figure(Figure(b.fid("who", "not_recorded_pct"),
                            "Full-pay relevant employees with no recorded ethnic group (%)",
                            stats.percentage(unknown, total), "percent", numerator=unknown, denominator=total,
                            cells=(CellRef(table.id, labels["not_stated"], "count"),
                                   CellRef(table.id, labels["not_known"], "count"),
                                   CellRef(table.id, everyone, "count"))))
    sec.add(Paragraph(template=TEMPLATE.format("who"), context=_context(b)))
    sec.add(table)


def _headlines(b: Build) -> None:
    """The gaps of ethnic minority employees, their share of each pay quarter (as the gender pay
    gap's quartile figures) and the share with no recorded group are the headlines; with
    ``--compare`` they are shown for every year given."""
    minority = binary_labels(b.minority)["minority_ethnic"]
    rows = [(b.fid(kind, "binary", "minority_ethnic", key), f"{minority}: {words}")
            for kind, key, words in (("hourly", "mean_gap", "mean hourly pay gap (%)"),
                                     ("hourly", "median_gap", "median hourly pay gap (%)"),
                                     ("bonus", "paid_pct", "paid a bonus (%)"),
                                     ("bonus", "mean_gap", "mean bonus gap (%)"),
                                     ("bonus", "median_gap", "median bonus gap (%)"))]
    rows += [(b.fid("quarters", slug, "minority_ethnic_pct"), f"{minority}: share of the {words} (%)")
             for slug, words in (("lower", "lower quarter"), ("lower_middle", "lower middle quarter"),
                                 ("upper_middle", "upper middle quarter"), ("upper", "upper quarter"))]
    rows.append((b.fid("who", "not_recorded_pct"), "Full-pay relevant employees with no recorded ethnic group (%)"))
    rows = [(fid, label) for fid, label in rows if fid in b.doc.figures]
    b.doc.mark_headlines(fid for fid, _ in rows)
    if b.ctx.history:
        add_trends(b.doc.section("trends", "Change over time"), b.doc, b.ctx, rows, "epg_trends",
                   "Ethnicity pay gap figures by year", "percent")


# --- hourly pay -------------------------------------------------------------------------------------

def _money(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


def _hourly(b: Build) -> None:
    sec = b.doc.section("hourly", "Hourly pay gaps")
    ref = b.reference
    rows = _reference_rows(b)
    for key, what, value in (("mean_hourly", "Mean", ref.mean), ("median_hourly", "Median", ref.median)):
        # a row of the reference group's people restates its pay: withheld there, withheld here
        cells = tuple(CellRef(table_id, label, key.replace("_hourly", "_pay")) for table_id, label in rows)
        b.doc.add_figure(Figure(b.fid("reference", key), f"{what} hourly pay of {ref.label} employees (£)",
                                _money(value) if ref.usable else None, "money", cells=cells,
                                note="" if ref.usable else TOO_SMALL,
                                average=_reference_average(b, of=Mean if what == "Mean" else Median)))
    sec.add(Paragraph(template=TEMPLATE.format("hourly"), context=_context(b)))
    if not ref.usable:
        b.ctx.note_for_operator(f"The reference group ({ref.label}) is too small for its hourly pay to be shown, "
                                "so the report has no hourly pay gaps: choose a larger reference group with "
                                "--option reference=..., or lower --option minimum_group if your organisation "
                                "accepts smaller groups.")
    size, large = {}, {}
    for name, level in b.levels.items():
        for label, (full, relevant) in b.sizes(level).items():
            size[(name, label)] = full
            large[(name, label)] = b.large_enough(full, relevant)
    small = {member for member, n in size.items() if n and not large[member]}
    b.hidden_hourly = hide_determined(_lines(b), small, size, _keep(b))
    tables: dict[str, Table] = {}
    reference = (_reference_average(b), _reference_average(b, of=Median))
    for name in ("binary", "broad", "detailed"):
        level = b.levels[name]
        if name == "detailed" and not _splits(level):
            sub = sec.subsection("hourly-detailed", _heading("Hourly pay", "Detailed ethnic groups"))
            sub.add(Paragraph(template=TEMPLATE.format("no_detail"), context=_context(b)))
            continue
        table = tables[name] = _hourly_table(b, level, {label: large[(name, label)] for label in level.labels},
                                             reference)
        sub = sec.subsection(f"hourly-{name}", _heading("Hourly pay", level.title))
        sub.add(table)
        if name == "broad":
            sub.add(Chart("epg_hourly_broad_chart", "Mean and median hourly pay gaps by broad ethnic group (%)",
                          table.id, "group", ["mean_gap", "median_gap"], kind="bar", unit="percent"))
    _weighed(b, size, tables)


def _reference_average(b: Build, frame: pd.DataFrame | None = None, measure: str = "hourly_pay",
                    mask: pd.Series | None = None, of: type[Mean] | type[Median] = Mean) -> Mean | Median:
    """The reference group's mean (or median) of ``measure`` over its people in ``frame``
    (default: the full-pay relevant employees) where ``mask`` holds."""
    frame = b.full_pay if frame is None else frame
    mine = np.where((frame[b.reference.column] == b.reference.id).to_numpy(dtype=bool), "reference", "other")
    return of(measure, people_units(frame.assign(**{ROW: mine}), ROW, ("reference",), mask)["reference"])


def _reference_rows(b: Build) -> list[tuple[str, str]]:
    """The hourly pay tables and row labels of the rows counting exactly the reference group's
    full-pay people (its own row; a broad or binary row it is all of)."""
    ref = b.reference
    mine = (b.full_pay[ref.column] == ref.id).to_numpy(dtype=bool)
    found = []
    for name in ("binary", "broad", "detailed"):
        level = b.levels[name]
        if name == "detailed" and not _splits(level):
            continue
        row_of = level.row_of(b.full_pay)
        for label in level.labels:
            if mine.any() and ((row_of == label).to_numpy(dtype=bool) == mine).all():
                found.append((f"epg_hourly_{name}", label))
    return found


def _weighed(b: Build, size: dict[tuple[str, str], int], tables: dict[str, Table]) -> None:
    """Where a group's mean pay and every one of its parts' are shown, the means give away how the
    group's full-pay relevant employees split between the parts (the parts' weights); beside the
    staff in post other reports publish, that can pin how many of a part were on leave. Those
    parts' and the group's full-pay counts, in every table with a row of the same people, are
    audited as published while one copy of each of those means is shown (``Table.revealed``).
    The reference group's mean is known whenever any group's mean and gap are shown: it is no
    condition, and its count is not marked (the others' give it). So is the mean of all full-pay
    relevant employees (the gender pay gap's men's and women's means and counts give it): the
    groups of each level together weigh their parts as a shown whole would, whatever the
    employees with no recorded group add (a few of them add little)."""
    keep = _keep(b)
    rows = {name: table.data["group"].tolist() for name, table in tables.items()}
    same: dict[bytes, list[tuple[str, int]]] = {}  # the rows of every table counting the same people
    for name, table in tables.items():
        for row in range(len(table.data)):
            same.setdefault(_people(table, row), []).append((name, row))
    levels = [name for name in ("binary", "broad", "detailed") if name in tables]
    wholes: list[tuple[tuple[str, str] | None, list[tuple[str, str]]]] = \
        [(None, [(name, label) for label in b.levels[name].labels]) for name in levels]
    for parent, parts in [*_lines(b), *wholes]:
        members = [*([parent] if parent else []), *(m for m in parts if size.get(m))]
        if len(members) < (3 if parent else 2) or any(m in b.hidden_hourly or m[0] not in tables for m in members):
            continue
        copies = {m: same[_people(tables[m[0]], rows[m[0]].index(m[1]))] for m in members if m not in keep}
        means = [tuple((tables[name].id, row, "mean_pay") for name, row in choice)
                 for choice in itertools.product(*copies.values())]
        for rows_of_member in copies.values():
            for name, row in rows_of_member:
                tables[name].revealed.setdefault((row, "staff"), []).extend(means)


def _people(table: Table, row: int) -> bytes:
    """Who a row of an hourly pay table counts, as a key comparing equal for the same people."""
    return np.unique(np.asarray(table.units[(row, "staff")], dtype=np.uint64)).tobytes()


#: the pay columns of the hourly and bonus tables
PAY_COLUMNS = ("mean_pay", "median_pay", "mean_gap", "median_gap")


def _hourly_table(b: Build, level: Level, large: dict[str, bool],
                  reference: tuple[Mean | Median, Mean | Median]) -> Table:
    """The hourly pay table of ``level``; ``large``: each row's group is large enough to show;
    ``reference``: what the reference group's mean and median are, for the gaps."""
    frame = b.full_pay.assign(**{ROW: level.row_of(b.full_pay)})
    labels = level.labels
    pay = pay_by_group(frame["hourly_pay"], frame[ROW], labels)
    units = people_units(frame, ROW, labels)
    ref = b.reference
    averages: dict[tuple[int, str], Mean | Median | Gap] = {}
    for i, label in enumerate(labels):  # what each figure is: the audit relates those of a whole run
        for stat, of, ref_of in (("mean", Mean, reference[0]), ("median", Median, reference[1])):
            averages[(i, f"{stat}_pay")] = average = of("hourly_pay", units[label])
            averages[(i, f"{stat}_gap")] = Gap(average, ref_of)
    rows = []
    for _slug, label, _ in level.rows:
        n = int(pay.at[label, "n"])
        shown = large[label] and (level.name, label) not in b.hidden_hourly
        if not large[label]:
            b.withheld.setdefault(level.name, []).append(label)
        elif not shown:
            b.protected.append(label)
        mean = float(pay.at[label, "mean"]) if shown else None
        median = float(pay.at[label, "median"]) if shown else None
        rows.append({"group": label, "staff": n, "mean_pay": _money(mean), "median_pay": _money(median),
                     "mean_gap": pay_gap(ref.mean, mean) if ref.usable else None,
                     "median_gap": pay_gap(ref.median, median) if ref.usable else None})
    table = Table(f"epg_hourly_{level.name}", f"Hourly pay gaps against {ref.label} employees: {level.caption}", [
        Column("group", "Ethnic group"),
        # not published: beside the staff in post other reports publish, a group's full-pay count
        # gives away how many of it were on leave; the pay figures need it only to be withheld with it
        Column("staff", "Full-pay relevant employees", "count", hidden=True),
        Column("mean_pay", "Mean hourly pay (£)", "number", derived_from=("staff",), decimals=2),
        Column("median_pay", "Median hourly pay (£)", "number", derived_from=("staff",), decimals=2),
        Column("mean_gap", "Mean pay gap (%)", "percent", derived_from=("staff",)),
        Column("median_gap", "Median pay gap (%)", "percent", derived_from=("staff",)),
    ], pd.DataFrame(rows), rows_additive=True, total_row=False,
        # the groups' full-pay counts are published nowhere, and where the means give them away the
        # run-wide audit relates them to every count of the same people: no line of this table's
        private_totals=("staff",),
        units={(i, "staff"): units[label] for i, label in enumerate(labels)}, averages=averages,
        notes=_table_notes(b, hourly=True), symbol_notes=_symbol_notes(hourly=True))
    # withheld to protect a smaller group's pay: confidential, [c] (not "not available")
    table.suppressed |= {(i, key) for i, label in enumerate(labels) if large[label]
                         and (level.name, label) in b.hidden_hourly for key in PAY_COLUMNS}
    # a group too small to show has no pay figures, as the notes and "Groups too small to show" say
    table.not_available = {(i, key) for i, label in enumerate(labels) if not large[label] for key in PAY_COLUMNS}
    # the reference group has no gap against itself
    table.not_applicable = {(i, key) for i, (slug, _, _) in enumerate(level.rows) if slug == ref.id
                            for key in ("mean_gap", "median_gap")}
    if table.not_applicable:
        table.notes.append(f"The {ref.label} row has no gap: it is the group the others are compared with ([z]).")
    for i, (slug, label, _) in enumerate(level.rows):
        for key, what in (("mean_gap", "mean"), ("median_gap", "median")):
            b.doc.add_figure(Figure(b.fid("hourly", level.name, slug, key), f"{label}: {what} hourly pay gap (%)",
                                    table.data.at[i, key], "percent", cells=(CellRef(table.id, label, key),),
                                    note=_why_missing(b, table.data.at[i, key], large[label],
                                                      (level.name, label) in b.hidden_hourly)))
    return table


def _heading(part: str, groups: str) -> str:
    """A subsection heading naming its part of the report ("Bonus pay: broad ethnic groups"): the
    hourly, bonus and quarters parts each break down by the same groups, and a list of headings (a
    screen reader's, the contents) must tell them apart."""
    return f"{part}: {groups if groups.startswith('White') else groups[0].lower() + groups[1:]}"


#: why a group's pay is not shown when it is too small (:func:`large_enough`; the notes say the rule)
TOO_SMALL = "too few people to show"


def _why_missing(b: Build, value: object, large: bool, hidden: bool = False) -> str:
    """The note of a pay gap figure: empty when it is shown."""
    if value is not None and value == value:
        return ""
    if not b.reference.usable:
        return "the reference group has too few people to show"
    if not large:
        return TOO_SMALL
    if hidden:
        return "not shown, so that the pay of a smaller group cannot be worked out from it"
    return "not calculable"


def _rule(b: Build, hourly: bool) -> str:
    """Which groups' pay is shown, in words (see :func:`large_enough`)."""
    if not hourly:
        return f"at least {b.minimum} relevant employees"
    if not b.margin:
        return f"at least {b.minimum} full-pay relevant employees"
    return (f"at least {max(b.minimum, b.margin)} full-pay relevant employees and "
            f"{max(b.minimum, b.margin) + b.margin} relevant employees in all")


#: why a mean hourly pay can be withheld beside others (:func:`_weighed`), for the hourly tables' note
WEIGHING = (", and a mean from which, with the other means published, the number of a group's employees on "
            "leave could be worked out")


def _table_notes(b: Build, hourly: bool) -> list[str]:
    ref = b.reference
    notes = [f"A gap is the difference between the {ref.label} group's pay and the group's pay, as a percentage of "
             f"the {ref.label} group's pay: a positive gap means the group is paid less on average, a negative "
             "gap more. Gaps are worked out from unrounded pay, so a gap worked out from the rounded pay shown can "
             "differ by 0.1.",
             f"Pay figures are shown only for groups of {_rule(b, hourly)}. People whose ethnic group is not "
             "stated or not known are left out."]
    if not ref.usable:
        notes.append(f"The {ref.label} group is too small for its hourly pay to be shown, so no gap is shown.")
    return notes


def _symbol_notes(hourly: bool) -> dict[str, str]:
    """What the pay tables' symbols mean, said where a table shows them."""
    return {"[x]": "[x] marks a group too small to show, or a figure that cannot be worked out.",
            "[c]": "[c] marks a figure withheld to protect people, including the pay of a group from which a "
                   "smaller group's pay could be worked out (from its parts or its whole)"
                   f"{WEIGHING if hourly else ''}."}


# --- bonus pay --------------------------------------------------------------------------------------

def _bonus(b: Build) -> None:
    sec = b.doc.section("bonus", "Bonus pay")
    if not _context(b)["has_bonus"]:
        sec.add(Paragraph(template=TEMPLATE.format("no_bonus"), context=_context(b)))
        b.ctx.note_for_operator("The staff table has no bonus pay (bonus_pay), so the bonus measures are not shown; "
                                "if nobody was paid a bonus, give 0 for everyone.")
        return
    staff = b.relevant
    bonus = staff["bonus_pay"].fillna(0.0)
    paid = bonus > 0
    ref = b.reference
    in_ref = (staff[ref.column] == ref.id).to_numpy(dtype=bool)
    ref_relevant = int(in_ref.sum())
    ref_bonus = bonus[in_ref & paid.to_numpy(dtype=bool)]
    ref_usable = ref_relevant >= b.minimum
    ref_mean = float(ref_bonus.mean()) if ref_usable and len(ref_bonus) else None
    ref_median = float(ref_bonus.median()) if ref_usable and len(ref_bonus) else None
    # restates no table's cell (the reference may be a detailed group): the audit bounds both its
    # counts by the published rounding
    in_frame = staff.assign(**{ROW: np.where(in_ref, "reference", "other")})
    b.doc.add_figure(Figure(b.fid("reference", "bonus_paid_pct"), f"{ref.label} employees paid a bonus (%)",
                            stats.percentage(len(ref_bonus), ref_relevant) if ref_usable else None, "percent",
                            numerator=len(ref_bonus), denominator=ref_relevant,
                            note="" if ref_usable else TOO_SMALL,
                            share=(people_units(in_frame, ROW, ("reference",), paid)["reference"],
                                   people_units(in_frame, ROW, ("reference",))["reference"])))
    # the employees with no recorded group are in no bonus table's row, but the groups' numbers paid
    # beside the gender pay gap's shares paid of men and women can pin how many of them were paid: a
    # count of its own, so the run-wide audit sees it (withheld when small, and protected then)
    unknown = (staff["ethnic_binary"] == "unknown").to_numpy(dtype=bool)
    if unknown.any():
        who = people_units(staff.assign(**{ROW: np.where(unknown, "unknown", "other")}), ROW, ("unknown",), paid)
        b.doc.add_figure(Figure(b.fid("bonus", "not_recorded", "paid"),
                                "Relevant employees with no recorded ethnic group paid a bonus",
                                len(who["unknown"]), "count", units=who["unknown"]))
    # nobody paid a bonus is a zero of every group: said outright, unless zeros are withheld
    context = _context(b, reference_paid=len(ref_bonus) > 0, nobody_paid=not paid.any() and not b.ctx.suppress_zero)
    sec.add(Paragraph(template=TEMPLATE.format("bonus"), context=context))
    # a group's mean bonus is its parts' weighted by the number paid: hide more so none follows
    paid_size, small = {}, set()
    for name in ("binary", "broad"):
        level = b.levels[name]
        rows_of = level.row_of(staff)
        for label in level.labels:
            mine = (rows_of == label).to_numpy(dtype=bool)
            paid_size[(name, label)] = int((mine & paid.to_numpy(dtype=bool)).sum())
            if int(mine.sum()) < b.minimum and paid_size[(name, label)]:
                small.add((name, label))
    hidden_bonus = hide_determined(_lines(b)[:2], small, paid_size, _keep(b))
    reference = tuple(_reference_average(b, staff, "bonus_pay", paid, of) for of in (Mean, Median))
    for name in ("binary", "broad"):
        level = b.levels[name]
        frame = staff.assign(**{ROW: level.row_of(staff)})
        labels = level.labels
        relevant_units = people_units(frame, ROW, labels)
        paid_units = people_units(frame, ROW, labels, paid)
        amounts = pay_by_group(bonus.where(paid), frame[ROW], labels)
        rows = []
        for _slug, label, _ in level.rows:
            n, k = len(relevant_units[label]), len(paid_units[label])
            shown = n >= b.minimum
            pay_shown = shown and k and (name, label) not in hidden_bonus
            mean = float(amounts.at[label, "mean"]) if pay_shown else None
            median = float(amounts.at[label, "median"]) if pay_shown else None
            rows.append({"group": label, "relevant": n, "paid": k,
                         "paid_pct": stats.percentage(k, n) if shown else None,
                         "mean_gap": pay_gap(ref_mean, mean), "median_gap": pay_gap(ref_median, median)})
        table = Table(f"epg_bonus_{name}", f"Bonus pay gaps against {ref.label} employees: {level.caption}", [
            Column("group", "Ethnic group"),
            # not shown, but the share paid a bonus beside the number paid gives it away: audited as
            # published while that share is (with the full-pay counts of other tables, it would
            # give how many of a group were on leave)
            Column("relevant", "Relevant employees", "count", hidden=True, revealed_by="paid_pct"),
            Column("paid", "Paid a bonus", "count"),
            Column("paid_pct", "% of relevant employees paid a bonus", "percent", derived_from=("paid", "relevant"),
                   divisors=("relevant",)),
            Column("mean_gap", "Mean bonus gap (%)", "percent", derived_from=("paid",)),
            Column("median_gap", "Median bonus gap (%)", "percent", derived_from=("paid",)),
        ], pd.DataFrame(rows), rows_additive=True, total_row=False,
            units={**{(i, "relevant"): relevant_units[label] for i, label in enumerate(labels)},
                   **{(i, "paid"): paid_units[label] for i, label in enumerate(labels)}},
            shares={(i, "paid_pct"): (paid_units[label], relevant_units[label]) for i, label in enumerate(labels)},
            averages={**{(i, "mean_gap"): Gap(Mean("bonus_pay", paid_units[label]), reference[0])
                         for i, label in enumerate(labels)},
                      **{(i, "median_gap"): Gap(Median("bonus_pay", paid_units[label]), reference[1])
                         for i, label in enumerate(labels)}},
            notes=[*_table_notes(b, hourly=False),
                   "Bonus gaps compare the bonuses of the people paid one; a group in which nobody was paid a "
                   "bonus has no bonus gap ([x])."], symbol_notes=_symbol_notes(hourly=False))
        # a group too small to show has no bonus figures (the notes say the rule): [x], when saying
        # so narrows its withheld size no more than the threshold does (a minimum below it would)
        table.not_available = {(i, key) for i, row in enumerate(rows) if row["relevant"] < b.minimum
                               and b.minimum >= b.margin for key in ("paid_pct", "mean_gap", "median_gap")}
        # withheld to protect a smaller group's bonus pay: confidential, [c]
        table.suppressed |= {(i, key) for i, row in enumerate(rows) if row["relevant"] >= b.minimum and row["paid"]
                             and (name, row["group"]) in hidden_bonus for key in ("mean_gap", "median_gap")}
        for i, (slug, label, _) in enumerate(level.rows):
            for key, what in (("paid_pct", "% paid a bonus"), ("mean_gap", "mean bonus gap (%)"),
                              ("median_gap", "median bonus gap (%)")):
                b.doc.add_figure(Figure(b.fid("bonus", name, slug, key), f"{label}: {what}", table.data.at[i, key],
                                        "percent", cells=(CellRef(table.id, label, key),),
                                        note=_why_missing(b, table.data.at[i, key],
                                                          int(table.data.at[i, "relevant"]) >= b.minimum,
                                                          (name, label) in hidden_bonus)))
        sec.subsection(f"bonus-{name}", _heading("Bonus pay", level.title)).add(table)


# --- pay quarters -----------------------------------------------------------------------------------

def _quarters(b: Build) -> None:
    """Each group's share of each pay quarter.

    A quarter's size follows from the number of full-pay relevant employees (N/4, the lower
    quarters taking one more each), so a reader who knows the quarter sizes knows N to within a
    few people, and N beside the published relevant employees gives away how many were on leave.
    So the sizes are published only together with N, and audited as published counts: each
    quarter's size restates the full-pay relevant figure (withheld whenever it is) and the figure
    rests on the sizes (withheld whenever one is). With N withheld every share of every quarter
    is withheld too: the shares, to one decimal place, would pin the sizes. The counts of each
    group in a quarter are shown (with the sizes known, the shares give them away anyway, so the
    audit must see them); the shares are declared to the audit too."""
    sec = b.doc.section("quarters", "Pay quarters")
    sec.add(Paragraph(template=TEMPLATE.format("quarters"), context=_context(b)))
    frame = b.full_pay
    quarter = quartile_bands(frame["hourly_pay"], frame["ethnicity"])
    frame = frame.assign(_quarter=quarter.astype("int64").map(dict(enumerate(QUARTERS))))
    total_fid = b.fid("who", "full_pay_relevant")
    size_cells: list[CellRef] = []
    # White, ethnic minority and not recorded only: quarters by broad group put many small counts
    # across the group totals the pay tables show, and protecting them withheld those totals and the
    # pay figures with them (every hourly figure of a 374-person body with no group below 10)
    for name, column, ids, labels in (
            ("binary", "ethnic_binary", (*BINARY, "unknown"), binary_labels(b.minority, "Not stated or not known")),):
        rows: list[dict[str, object]] = []
        units: dict[tuple[int, str], object] = {}
        shares: dict[tuple[int, str], tuple[object, object]] = {}
        for i, q in enumerate(QUARTERS):
            who = people_units(frame, column, ids, frame["_quarter"] == q)
            everyone = union(*who.values())
            row: dict[str, object] = {"quarter": q, "total": len(everyone)}
            units[(i, "total")] = everyone
            for g in ids:
                row[g] = len(who[g])
                row[f"{g}_pct"] = stats.percentage(len(who[g]), len(everyone))
                units[(i, g)] = who[g]
                shares[(i, f"{g}_pct")] = (who[g], everyone)
            rows.append(row)
        # the quarters together: each group's column adds up to its full-pay relevant employees, which
        # a reader would work out anyway; as a row of its own the audit sees it (beside a group's staff
        # in post in another report, it would give away how many of the group were on leave)
        last = len(QUARTERS)
        whole = union(*(units[(i, "total")] for i in range(last)))
        total_row: dict[str, object] = {"quarter": ALL_FULL_PAY, "total": len(whole)}
        units[(last, "total")] = whole
        for g in ids:
            members = union(*(units[(i, g)] for i in range(last)))
            total_row[g] = len(members)
            total_row[f"{g}_pct"] = stats.percentage(len(members), len(whole))
            units[(last, g)] = members
            shares[(last, f"{g}_pct")] = (members, whole)
        rows.append(total_row)
        table_id = f"epg_quarters_{name}"
        table = Table(table_id, "Full-pay relevant employees by pay quarter and ethnic group", [
            Column("quarter", "Pay quarter"),
            Column("total", "Full-pay relevant employees", "count"),
            *[Column(g, f"{labels[g]} (people)", "count") for g in ids],
            *[Column(f"{g}_pct", f"{labels[g]} (%)", "percent", derived_from=(g, "total"), divisors=("total",))
              for g in ids],
        ], pd.DataFrame(rows), rows_additive=True, total_row=True,
            column_groups=[tuple(ids)], column_totals={tuple(ids): "total"}, units=units, shares=shares,
            restates={(i, "total"): total_fid for i in range(len(QUARTERS) + 1)},
            notes=["Percentages are shares of each quarter's people, including people whose ethnic group is not "
                   "stated or not known, so each row adds up to 100 (allowing for rounding).",
                   "Each quarter holds a quarter of all full-pay relevant employees; when their number is not "
                   "a multiple of four, the one to three left over go one each to the lowest quarters."])
        size_cells += [CellRef(table_id, q, "total") for q in (*QUARTERS, ALL_FULL_PAY)]
        sub = sec.subsection(f"quarters-{name}", _heading("Pay quarters", "White and ethnic minority"))
        sub.add(table)
        if name == "binary":
            for i, q in enumerate(QUARTERS):
                slug = ("lower", "lower_middle", "upper_middle", "upper")[i]
                b.doc.add_figure(Figure(b.fid("quarters", slug, "minority_ethnic_pct"),
                                        f"{q}: {b.minority} (% of quarter)", table.data.at[i, "minority_ethnic_pct"],
                                        "percent", cells=(CellRef(table.id, q, "minority_ethnic_pct"),)))
    total = b.doc.figures[total_fid]
    total.cells = (*total.cells, *size_cells)


def _small_groups(b: Build) -> None:
    sec = b.doc.section("small-groups", "Groups too small to show")
    sec.add(Paragraph(template=TEMPLATE.format("small_groups"), context=_context(
        b, folded=b.folded, binary=b.withheld.get("binary", []), broad=b.withheld.get("broad", []),
        detailed=[g for g in b.withheld.get("detailed", [])],
        detail_shown=_splits(b.levels["detailed"]), protected=_once(b.protected))))


def _once(labels: list[str]) -> list[str]:
    """Each label once, leaving out a combined row of all of a broad group's detailed groups when
    the broad group is named too (the same people)."""
    unique = list(dict.fromkeys(labels))
    return [label for label in unique if not (label.endswith(ALL_COMBINED) and label.removesuffix(ALL_COMBINED)
                                              in unique)]
