"""Staff in post: by ethnic group, declaration, grade, senior staff, staff group, service and
working pattern."""

from __future__ import annotations

import pandas as pd

from equality_reports import (
    CellRef,
    Chart,
    Column,
    Figure,
    Paragraph,
    Section,
    Table,
    order_grades,
    pay_scales,
    representation_table,
    stats,
    union,
)
from equality_reports_rraa.builder import TEMPLATE, Build, Stage
from equality_reports_rraa.grades import parse_list, senior_mask
from equality_reports_rraa.groups import Level, crosstab, crosstab_units, tally
from equality_reports_rraa.tables import (
    ALL_STAFF,
    cell_figure,
    percentages,
    profile_table,
)

CONTRACT_LABELS = {"full_time": "Full time", "part_time": "Part time"}
DIMENSIONS = (
    ("staff_group", "staff-group", "By staff group", "Staff group"),
    ("service", "service", "By service", "Service"),
)


def build_staff(b: Build) -> None:
    """The staff-in-post section and its figures."""
    _prepare_grades(b)
    sec = b.section("staff", "Staff in post")
    sec.add(Paragraph(template=TEMPLATE.format("staff"), context={
        "snapshot": b.dataset.snapshot, "minority": b.minority,
        "covers": b.people.population.in_words(b.dataset.table("staff")) if b.people.population.exclude_bank else ""}))
    _by_group(b, sec.subsection("staff-groups", "By ethnic group"))
    _by_grade(b, sec)
    _senior(b, sec)
    for column, sid, title, heading in DIMENSIONS:
        if _recorded(b.staff, column):
            sub = sec.subsection(sid, title)
            values = b.staff[column].dropna().astype(str)
            labelled = b.staff.assign(**{column: b.staff[column].map(
                {v: b.dataset.label(v) for v in values.unique()})})
            counts = crosstab(labelled, column, b.binary, sorted(labelled[column].dropna().unique()))
            sub.add(representation_table(f"staff_by_{column}", f"Staff in post by {heading.lower()} and ethnic group",
                                         counts, b.binary.labels, heading,
                                         units=crosstab_units(labelled, column, b.binary)))
    if _recorded(b.staff, "contract"):
        sub = sec.subsection("working-pattern", "By working pattern")
        pattern = b.staff.assign(contract=b.staff["contract"].map(CONTRACT_LABELS))
        counts = crosstab(pattern, "contract", b.binary, list(CONTRACT_LABELS.values()))
        sub.add(representation_table("staff_by_contract", "Staff in post by working pattern and ethnic group",
                                     counts, b.binary.labels, "Working pattern",
                                     units=crosstab_units(pattern, "contract", b.binary)))


def _recorded(frame: pd.DataFrame, column: str) -> bool:
    return column in frame.columns and bool(frame[column].notna().any())


def _by_group(b: Build, sec: Section) -> None:
    lv = b.levels
    sec.add(Paragraph(template=TEMPLATE.format("staff_groups"), context={"minority": b.minority},
                      describes=("staff_binary", "staff_broad", "staff_detailed")))
    binary = profile_table("staff_binary", "Staff in post by ethnic group", *_tallied(b, "binary"))
    sec.add(binary)
    total = int(binary.data["count"].iloc[-1])
    b.doc.add_figure(Figure(b.fid("staff", "total"), "Staff in post", total, "count",
                            cells=(CellRef(binary.id, ALL_STAFF, "count"),),
                            units=binary.units.get((len(binary.data) - 1, "count"))))
    unknown_label = lv["binary"].label("unknown")
    unknown = int(binary.data.loc[binary.data["group"] == unknown_label, "count"].iloc[0])
    rate = stats.percentage(total - unknown, total)
    b.doc.add_figure(Figure(b.fid("staff", "declaration_rate"), "Staff who declared an ethnic group (%)",
                            rate, "percent", numerator=total - unknown, denominator=total,
                            cells=(CellRef(binary.id, unknown_label, "count"), CellRef(binary.id, ALL_STAFF, "count"))))
    for g in lv["binary"].ids:
        label = lv["binary"].label(g)
        cell_figure(b.doc, b.fid("staff", g, "count"), f"{label} staff", binary, label, "count", "count")
        cell_figure(b.doc, b.fid("staff", g, "pct"), f"{label} staff (% of all staff)", binary, label,
                    "pct_all", "percent", denominator=total)
        if g != "unknown":
            cell_figure(b.doc, b.fid("staff", g, "declared_pct"), f"{label} staff (% of staff who declared)",
                        binary, label, "pct_declared", "percent", denominator=total - unknown)
    b.tracked += [(b.fid("staff", "declaration_rate"), "Declaration rate"),
                  (b.fid("staff", "white", "pct"), f"{lv['binary'].label('white')} staff (% of all staff)"),
                  (b.fid("staff", "minority_ethnic", "pct"), f"{b.minority} staff (% of all staff)"),
                  (b.fid("staff", "unknown", "pct"), f"{unknown_label} (% of all staff)")]

    broad = profile_table("staff_broad", "Staff in post by broad ethnic group", *_tallied(b, "broad", None))
    sec.add(broad)
    for g in lv["broad"].ids:
        label = lv["broad"].label(g)
        cell_figure(b.doc, b.fid("staff", "broad", g, "pct"), f"{label} (% of all staff)", broad, label,
                    "pct_all", "percent", denominator=total)
    sec.add(Chart("workforce_profile", "Workforce profile: staff in post by broad ethnic group (% of all staff)",
                  "staff_broad", "group", ["pct_all"], kind="bar", unit="percent"))

    detailed = profile_table("staff_detailed", "Staff in post by detailed ethnic group",
                             *_tallied(b, "detailed"))
    detailed.coarser = "staff_broad"
    sec.add(detailed)
    for cat in ("not_stated", "not_known"):
        cell_figure(b.doc, b.fid("staff", cat, "count"), lv["detailed"].label(cat), detailed,
                    lv["detailed"].label(cat), "count", "count")


def _by_grade(b: Build, sec: Section) -> None:
    if not _recorded(b.staff, "grade"):
        return
    grades = b.facts["grade_order"]
    sub = sec.subsection("grade", "By grade")
    sub.add(Paragraph(template=TEMPLATE.format("grades"), context={
        "explicit": bool(b.options["grade_order"] or b.dataset.config.get("grade_order")),
        "scales": list(dict.fromkeys(pay_scales(grades).values())),
        "not_recorded": "grade" not in b.staff.columns or bool(b.staff["grade"].isna().any())},
        describes=("staff_by_grade",)))
    sub.add(representation_table("staff_by_grade", "Staff in post by grade and ethnic group",
                                 crosstab(b.staff, "grade", b.binary, grades), b.binary.labels, "Grade",
                                 units=crosstab_units(b.staff, "grade", b.binary)))


def _tallied(b: Build, level: str, total_label: str | None = ALL_STAFF
             ) -> tuple[pd.Series, Level, str | None, str, dict]:
    """:func:`profile_table`'s arguments for staff in post per group of ``level``, with whom each
    count counts."""
    counts, units = tally("rows", b.staff, b.levels[level])
    return counts, b.levels[level], total_label, "staff", units


def _prepare_grades(b: Build) -> None:
    """Grade order and the senior-staff mask, needed before the tables are built."""
    staff = b.staff
    recorded = staff["grade"].dropna().astype(str).unique() if "grade" in staff.columns else []
    explicit = parse_list(b.options["grade_order"])
    grades = order_grades(recorded, explicit) if explicit else b.dataset.grade_order(recorded)
    b.facts["grade_order"] = grades
    mask, how = senior_mask(staff, grades, b.options["senior_grades"])
    b.facts["senior_mask"] = mask
    b.facts["senior_how"] = how


def _senior(b: Build, sec: Section) -> None:
    """Senior staff beside all staff by binary group, with the senior-grade profile chart."""
    how = b.facts["senior_how"]
    if not how:
        return
    sub = sec.subsection("senior", "Senior staff")
    (staff, staff_units), (senior, senior_units) = (tally("rows", b.staff, b.binary),
                                                    tally("rows", b.staff, b.binary, b.facts["senior_mask"]))
    total, senior_total = int(staff.sum()), int(senior.sum())
    data = pd.DataFrame({"group": [b.binary.label(g) for g in b.binary.ids], "staff": staff.to_numpy(),
                         "senior": senior.to_numpy()})
    data["pct_all"] = percentages(data["staff"], pd.Series([total] * len(data)))
    data["senior_pct"] = percentages(data["senior"], pd.Series([senior_total] * len(data)))
    table = Table("senior_binary", "Senior staff and all staff by ethnic group",
                  [Column("group", "Ethnic group"), Column("staff", "All staff", "count"),
                   Column("pct_all", "% of all staff", "percent", derived_from=("staff",)),
                   Column("senior", "Senior staff", "count"),
                   Column("senior_pct", "% of senior staff", "percent", derived_from=("senior",))],
                  data, rows_additive=True, total_row=False,
                  units={**{(i, "staff"): staff_units[g] for i, g in enumerate(b.binary.ids)},
                         **{(i, "senior"): senior_units[g] for i, g in enumerate(b.binary.ids)}},
                  # each percentage divides by a total no row shows: a shown count beside its
                  # percentage gives that total, so the audit must see whom each divides
                  shares={**{(i, "pct_all"): (staff_units[g], union(*staff_units.values()))
                             for i, g in enumerate(b.binary.ids)},
                          **{(i, "senior_pct"): (senior_units[g], union(*senior_units.values()))
                             for i, g in enumerate(b.binary.ids)}},
                  notes=["Both percentages are of everyone counted, including people whose ethnic group is "
                         "not stated or not known."])
    sub.add(Paragraph(template=TEMPLATE.format("senior"), context={"how": how, "minority": b.minority}))
    sub.add(table)
    sub.add(Chart("senior_profile", "Senior-grade profile: senior staff and all staff by ethnic group (%)",
                  table.id, "group", ["pct_all", "senior_pct"], kind="bar", unit="percent"))
    b.doc.add_figure(Figure(b.fid("senior", "total"), "Senior staff", senior_total, "count",
                            units=union(*(senior_units[g] for g in b.binary.ids))))
    for g in b.binary.ids:
        label = b.binary.label(g)
        cell_figure(b.doc, b.fid("senior", g, "count"), f"{label} senior staff", table, label, "senior", "count")
        cell_figure(b.doc, b.fid("senior", g, "pct"), f"{label} (% of senior staff)", table, label, "senior_pct",
                    "percent", denominator=senior_total)
    b.tracked.append((b.fid("senior", "minority_ethnic", "pct"), f"{b.minority} (% of senior staff)"))
    b.stages.append(Stage("senior", "In a senior post", "staff in post", senior, staff, True,
                          (("senior_binary", "senior"), ("senior_binary", "staff"))))
