"""The tables the evidence pack reads, declared through ``register_tables``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from equality_reports import ColumnSpec as C
from equality_reports import TableSpec

if TYPE_CHECKING:
    from equality_reports import SampleContext

REPORT = "evidence-pack"


def _evidence_sample(ctx: SampleContext) -> pd.DataFrame:
    """A few items against the journey to race equality, held on the web (no local files needed)."""
    day = f"{ctx.period_start:%d/%m/%Y}"
    return pd.DataFrame({
        "evidence_id": ["EV001", "EV002", "EV003"], "framework": "journey-to-race-equality",
        "criterion": ["JRE-R-1", "JRE-R-3", "JRE-R-2"],
        "title": ["Equality and inclusion policy", "Race equality staff forum minutes",
                  "Member briefing on race equality"],
        "description": ["Why race equality matters to us", "Staff views on race equality",
                        "Briefing challenging assumptions"],
        "owner": ["Policy team", "Director of People", "Policy team"], "date": day,
        "location": ["https://www.example.org/equality-policy", "https://www.example.org/staff-forum",
                     "https://www.example.org/member-briefing"],
        "status": ["met", "met", "partly"]})


def _self_assessment_sample(ctx: SampleContext) -> pd.DataFrame:
    return pd.DataFrame({"framework": "journey-to-race-equality", "area": ["overall", "culture"],
                         "stage_or_level": ["Starting", "Starting"], "assessor": "Equality Board",
                         "date": f"{ctx.period_end:%d/%m/%Y}",
                         "rationale": ["Objectives proposed but not yet adopted", "Policy sets out the case"]})


def _outcomes_sample(ctx: SampleContext) -> pd.DataFrame:
    return pd.DataFrame({"outcome_area": ["Employment"],
                         "local_objective": ["Raise the minority ethnic share of senior staff"],
                         "how_we_know_issue": ["Annual workforce monitoring"],
                         "how_we_will_know_improved": ["Senior-grade profile in each year's publication"]})


TABLES = (
    TableSpec("evidence", "Evidence register: one row per item of evidence.", (
        C("evidence_id", "id", True, "Evidence reference"),
        C("framework", help="Framework id; blank: every framework whose criteria the row cites"),
        C("criterion", "text", True, "Criterion ids from the framework, separated by ;"),
        C("title", "text", True, "Title"),
        C("description", help="What it shows"), C("owner", help="Who holds it"), C("date", "date", help="Date"),
        C("location", help="Web address or path relative to the dataset folder (or evidence_root)"),
        C("status", "choice", help="met, partly or not_met", choices=("met", "partly", "not_met")),
    ), person_table=False, reports=(REPORT,), sample=_evidence_sample),
    TableSpec("self_assessment", "Self-assessed stage or level per framework area.", (
        C("framework", "text", True, "Framework id"),
        C("area", "text", True, "Area id, 'overall' or a gate question id"),
        C("stage_or_level", "text", True, "Stage or level (or yes/no for gate questions)"),
        C("assessor", help="Who assessed"), C("date", "date", help="Date"), C("rationale", help="Why"),
        C("strengths", help="Strengths to build on"), C("areas_to_develop", help="Areas to develop"),
    ), person_table=False, reports=(REPORT,), sample=_self_assessment_sample),
    TableSpec("actions", "Action plan: one row per action.", (
        C("action", "text", True, "What will be done"), C("who", help="Who is responsible"),
        C("by_when", "date", help="Date by which it will be done"),
        C("framework", help="Framework or report(s) it is for, e.g. 'rraa-employment; wres' (blank or 'all': every "
                            "report)"),
        C("area", help="Framework area"), C("criterion", help="Criterion id"), C("status", help="Status"),
    ), person_table=False, reports=(REPORT,)),
    TableSpec("outcomes", "Outcomes framework: local objectives per outcome area.", (
        C("outcome_area", "text", True, "Outcome area"), C("local_objective", "text", True, "Local objective"),
        C("how_we_know_issue", help="How we know this is an issue"),
        C("how_we_will_know_improved", help="How we will know we have improved"),
    ), person_table=False, reports=(REPORT,), sample=_outcomes_sample),
)
