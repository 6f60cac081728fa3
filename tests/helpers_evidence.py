"""A small evidence register, built without the intake layer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from equality_reports.dataset import Dataset


def evidence_dataset(folder: Path, **overrides: pd.DataFrame) -> Dataset:
    """Three evidence items (one file missing), gate answers, an overall stage and two actions."""
    (folder / "evidence").mkdir(parents=True, exist_ok=True)
    (folder / "evidence" / "policy.md").write_text("# Equality policy (sample)\n", encoding="utf-8")
    (folder / "evidence" / "minutes.txt").write_text("Minutes extract (sample)\n", encoding="utf-8")
    tables = {
        "evidence": pd.DataFrame({
            "evidence_id": ["EV1", "EV2", "EV3", "EV4"],
            "framework": ["journey-to-race-equality"] * 4,
            "criterion": ["JRE-R-1", "JRE-R-3", "JRE-R-4", "JRE-I-1"],
            "title": ["Equality policy", "Staff forum minutes", "Missing report", "Vision paper"],
            "owner": ["Policy team", "HR", "HR", "Chief executive"],
            "date": pd.to_datetime(["2025-06-01", "2025-09-01", "2025-10-01", "2026-01-10"]),
            "location": ["evidence/policy.md", "evidence/minutes.txt", "evidence/missing.pdf",
                         "https://example.org/vision"],
            "status": ["met", "partly", "met", "met"],
        }),
        "self_assessment": pd.DataFrame({
            "framework": ["journey-to-race-equality"] * 6,
            "area": ["overall", "leadership", "G1", "G2", "G3", "G4"],
            "stage_or_level": ["Starting", "intending", "yes", "yes", "no", "yes"],
            "assessor": ["Equality board"] * 6,
        }),
        "actions": pd.DataFrame({
            "action": ["Publish the vision", "Train managers", "Old task done"],
            "who": ["Chief executive", "HR", "HR"],
            "by_when": pd.to_datetime(["2026-01-31", "2026-09-30", "2025-12-01"]),
            "framework": ["journey-to-race-equality", "", ""],
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
