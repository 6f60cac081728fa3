"""A small evidence register built without the intake layer, and a builder for the pack."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from equality_reports.dataset import Dataset
from equality_reports.document import Document, Table
from equality_reports.narrative import render_narrative
from equality_reports.plugins import PluginHost
from equality_reports.reports import ReportContext
from equality_reports.templating import TextRenderer
from equality_reports_evidence.report import EvidencePackReport

REPORT = EvidencePackReport()
JRE = "journey-to-race-equality"

USER_FRAMEWORK = """\
id: our-framework
title: Our framework
source: Our council, 2026
kind: levels
levels:
  - {id: bronze, label: Bronze}
  - {id: gold, label: Gold}
areas:
  - id: people
    title: People
    criteria:
      - {id: P1, level: bronze, text: "We publish workforce data."}
      - {id: P2, level: gold, text: "We close our pay gaps."}
"""


def evidence_dataset(folder: Path, **overrides: pd.DataFrame) -> Dataset:
    """Four evidence items (one file missing, one a web address), gate answers with G3 'no',
    an overall stage of Starting, three actions and one outcome; snapshot 31 March 2026."""
    (folder / "evidence").mkdir(parents=True, exist_ok=True)
    (folder / "evidence" / "policy.md").write_text("# Equality policy (sample)\n", encoding="utf-8")
    (folder / "evidence" / "minutes.txt").write_text("Minutes extract (sample)\n", encoding="utf-8")
    tables = {
        "evidence": pd.DataFrame({
            "evidence_id": ["EV1", "EV2", "EV3", "EV4"],
            "framework": [JRE] * 4,
            "criterion": ["JRE-R-1", "JRE-R-3", "JRE-R-4", "JRE-I-1"],
            "title": ["Equality policy", "Staff forum minutes", "Missing report", "Vision paper"],
            "owner": ["Policy team", "HR", "HR", "Chief executive"],
            "date": pd.to_datetime(["2025-06-01", "2025-09-01", "2025-10-01", "2026-01-10"]),
            "location": ["evidence/policy.md", "evidence/minutes.txt", "evidence/missing.pdf",
                         "https://example.org/vision"],
            "status": ["met", "partly", "met", "met"],
        }),
        "self_assessment": pd.DataFrame({
            "framework": [JRE] * 6,
            "area": ["overall", "leadership", "G1", "G2", "G3", "G4"],
            "stage_or_level": ["Starting", "intending", "yes", "yes", "no", "yes"],
            "assessor": ["Equality board"] * 6,
            "date": pd.to_datetime(["2026-03-24"] * 6),
            "rationale": ["Vision drafted", "Champions not yet named", "", "", "", ""],
            "strengths": ["Active staff forum", "", "", "", "", ""],
            "areas_to_develop": ["Targets", "", "", "", "", ""],
        }),
        "actions": pd.DataFrame({
            "action": ["Publish the vision", "Train managers", "Old task done"],
            "who": ["Chief executive", "HR", "HR"],
            "by_when": pd.to_datetime(["2026-01-31", "2026-09-30", "2025-12-01"]),
            "framework": [JRE, "", ""],
            "criterion": ["JRE-S-1", "", ""],
            "status": ["In progress", "Not started", "Complete"],
        }),
        "outcomes": pd.DataFrame({
            "outcome_area": ["Employment"],
            "local_objective": ["Raise the minority ethnic share of senior managers to 12%"],
            "how_we_know_issue": ["Workforce profile 2025"],
            "how_we_will_know_improved": ["Annual RRAA publication"],
        }),
    }
    tables.update(overrides)
    return Dataset(organisation="Northshire County Council", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31), tables=tables, sector="local_government", path=folder)


def build(dataset: Dataset, run_figures: dict | None = None, **options: str) -> tuple[ReportContext, Document]:
    """Build the pack and render its narrative, as the engine does after disclosure control."""
    host = PluginHost()
    ctx = ReportContext(report=REPORT, dataset=dataset, options=REPORT.parse_options(options),
                        frameworks=host.frameworks(), run_figures=run_figures or {}, host=host)
    doc = REPORT.build(ctx)
    render_narrative(doc, TextRenderer(report_dir=REPORT.template_dir))
    return ctx, doc


def all_text(doc: Document) -> str:
    return "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))


def column(table: Table, key: str, index: str | None = None) -> dict[str, Any]:
    """A column as row label -> value."""
    data = table.data.set_index(index or table.row_key)
    return data[key].to_dict()
