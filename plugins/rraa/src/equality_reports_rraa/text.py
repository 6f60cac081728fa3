"""Narrative sections: introduction, key findings, data quality and the action plan."""

from __future__ import annotations

from equality_reports import (
    Figure,
    Paragraph,
    Section,
    action_plan,
    applicant_key,
    dated_outside,
    outside_units,
    unit_codes,
)
from equality_reports_rraa.builder import REPORT, TEMPLATE, Build
from equality_reports_rraa.groups import tally

#: staff columns whose gaps are reported in the data-quality section
QUALITY_COLUMNS = (("grade", "grade"), ("contract", "working pattern"), ("fte", "full-time equivalent"))
EVENT_TABLES = ("applications", "training", "promotions", "appraisals", "grievances", "disciplinary", "leavers")


def add_introduction(b: Build) -> None:
    sec = b.section("about", "About this report")
    sec.add(Paragraph(template=TEMPLATE.format("introduction"), context={
        "organisation": b.dataset.organisation, "period_start": b.dataset.period_start,
        "period_end": b.dataset.period_end, "snapshot": b.dataset.snapshot, "minority": b.minority,
        "total_id": b.fid("staff", "total")}))


def add_summary_placeholder(b: Build) -> Section:
    """The key-findings section near the top; its context is filled once everything is built."""
    sec = b.section("key-findings", "Key findings")
    b.facts["summary"] = Paragraph(template=TEMPLATE.format("key_findings"), context={})
    sec.add(b.facts["summary"])
    return sec


def fill_summary(b: Build) -> None:
    size = b.facts["size"]
    b.facts["summary"].context.update({
        "minority": b.minority, "white": b.binary.label("white"),
        "low": b.options["band_low"], "high": b.options["band_high"],
        "gaps": b.facts.get("gaps", []), "stages": b.facts.get("stages", 0), "changes": b.facts.get("changes", []),
        "has_senior": bool(b.facts.get("senior_how")), "has_recruitment": b.dataset.has("applications"),
        "has_benchmark": bool(b.facts.get("benchmark")), "large": size.large,
        "voluntary": b.facts.get("voluntary", []),
        # whom the headcount covers, when it leaves some people out (the pay gap reports may not)
        "covers": b.people.population.in_words(b.dataset.table("staff")) if b.people.population.exclude_bank else "",
    })


def add_data_quality(b: Build) -> None:
    """Declaration, missing staff details and event records that could not be linked to a group."""
    sec = b.section("data-quality", "Data quality")
    gaps = []
    for column, words in QUALITY_COLUMNS:
        if column not in b.staff.columns:
            gaps.append({"words": words, "id": None})
            continue
        missing = b.staff[column].isna()
        fid = b.fid("data_quality", "staff_without", column)
        b.doc.add_figure(Figure(fid, f"Staff with no {words} recorded", int(missing.sum()), "count",
                                units=unit_codes(b.staff[missing.to_numpy(dtype=bool)])))
        gaps.append({"words": words, "id": fid})
    unknown = []
    for name in EVENT_TABLES:
        frame = b.table(name)
        if frame is None:
            continue
        fid = b.fid("data_quality", name, "unknown_ethnicity")
        # counted as the report counts the table (people, or applicants), so that the audit relates
        # this figure to the tables' not stated or not known cells
        kind, words = ("applicants", "applicants" if applicant_key(frame) else "applications") \
            if name == "applications" else ("people", f"people in the {name} records")
        count, units = tally(kind, frame, b.binary)
        b.doc.add_figure(Figure(fid, f"{words[0].upper()}{words[1:]} without a known ethnic group",
                                int(count["unknown"]), "count", units=units["unknown"]))
        unknown.append({"words": words, "id": fid, "records": name.replace("_", " ")})
    excluded = None
    if b.people.excluded_staff:
        excluded = b.fid("data_quality", "outside_population")
        b.doc.add_figure(Figure(excluded, "Staff left out of the population", b.people.excluded_staff, "count",
                                units=b.people.excluded_units))
    period = []
    for name, left in b.dataset.period_exclusions.items():
        if name in EVENT_TABLES:
            fid = b.fid("data_quality", name, "outside_period")
            b.doc.add_figure(Figure(fid, f"{name.capitalize()} records dated outside the period",
                                    dated_outside(left), "count", units=outside_units(name, left)))
            period.append({"table": name, "id": fid})
    size = b.facts["size"]
    sec.add(Paragraph(template=TEMPLATE.format("data_quality"), context={
        "population": {"excluded": excluded, "description": b.people.population.in_words(b.dataset.table("staff")),
                       "bank_left_out": b.people.population.exclude_bank},
        "period": period, "gaps": gaps, "unknown": unknown, "fte_assumed": size.fte_missing > 0,
        "quality": b.facts.get("quality", [])}))
    if b.dataset.warnings:
        b.ctx.note_for_operator("Checks on the data raised warnings (printed by the run): review them before "
                                "publishing.")


def add_actions(b: Build) -> None:
    sec = b.section("actions", "What we will do")
    actions = b.table("actions")
    plan = action_plan(actions, REPORT, b.dataset.snapshot) if actions is not None else None
    if plan is None:
        sec.add(Paragraph(template=TEMPLATE.format("no_actions"), context={}))
        b.warn("no action for this report in the actions table: the 'What we will do' section says no actions "
               "were supplied")
        return
    sec.add(Paragraph(template=TEMPLATE.format("actions"), context={}))
    sec.add(plan)


