"""The action plan every publication ends with: the report's actions and their progress."""

from __future__ import annotations

from datetime import date

import pandas as pd

from equality_reports import action_plan

ACTIONS = pd.DataFrame({
    "action": ["Diverse panels", "Member briefing", "Pay audit", "Mentoring", "Board training"],
    "who": ["HR", "Policy", None, "OD", "Chair"],
    "by_when": pd.to_datetime(["2025-12-31", "2026-01-31", "2026-03-31", "2025-06-30", None]),
    "framework": [None, "journey-to-race-equality", "all", "wdes", "WRES"],
    "status": ["In progress", "Not started", "Not started", "Complete", ""],
})


def test_a_report_gets_its_own_and_everyones_actions_with_late_ones_marked() -> None:
    plan = action_plan(ACTIONS, "wres", date(2026, 3, 31))
    assert plan is not None and plan.title == "Our action plan"
    rows = plan.data.to_dict("records")
    # blank and "all" are every report's; another framework's action is left out; names match in any case
    assert [r["action"] for r in rows] == ["Diverse panels", "Pay audit", "Board training"]
    # due before the snapshot and not complete: past its date; due on the snapshot date: not yet
    assert [r["status"] for r in rows] == ["In progress, past its date", "Not started", "Not stated"]
    assert [r["who"] for r in rows] == ["HR", "Not stated", "Chair"]
    assert [r["by_when"] for r in rows] == ["31 December 2025", "31 March 2026", "Not stated"]
    assert [r["number"] for r in rows] == ["1", "2", "3"]


def test_a_complete_action_is_never_late_and_no_action_gives_no_plan() -> None:
    plan = action_plan(ACTIONS, "wdes", date(2026, 3, 31), table_id="action_plan", title="Action plan")
    assert plan is not None and plan.id == "action_plan"
    assert dict(zip(plan.data["action"], plan.data["status"]))["Mentoring"] == "Complete"
    assert action_plan(ACTIONS[ACTIONS["framework"] == "wdes"], "rraa-employment", date(2026, 3, 31)) is None
    # without a status column there is no status column
    assert "status" not in action_plan(ACTIONS.drop(columns="status"), "wres", None).data.columns


def test_an_action_can_name_several_reports() -> None:
    actions = pd.DataFrame({"action": ["Race panels", "Adjustment passports", "Everyone's"],
                            "framework": ["rraa-employment; WRES", "wdes", " , "]})
    assert action_plan(actions, "wres", None).data["action"].tolist() == ["Race panels", "Everyone's"]
    assert action_plan(actions, "rraa-employment", None).data["action"].tolist() == ["Race panels", "Everyone's"]
    assert action_plan(actions, "wdes", None).data["action"].tolist() == ["Adjustment passports", "Everyone's"]
