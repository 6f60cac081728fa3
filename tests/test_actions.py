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


def test_an_action_for_no_known_report_is_a_warning() -> None:
    from equality_reports.actions import unknown_names

    actions = pd.DataFrame({"action": ["a", "b", "c"], "framework": ["wres; wdse", "", "ALL"]})
    [problem] = unknown_names(actions, {"wres", "wdes", "journey-to-race-equality"})
    assert problem.severity == "warning" and (problem.row, problem.column) == (2, "framework")
    assert "'wdse', which is no report or framework" in problem.message


def test_the_run_prints_the_warning_and_still_runs(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import shutil
    from pathlib import Path

    from helpers_cli import run_cli

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "sample_data" / "nhs_trust", data)
    actions = data / "actions.csv"
    actions.write_text(actions.read_text(encoding="utf-8").replace(",wdes,", ",wdse,"), encoding="utf-8")
    result = run_cli(["run", "wdes", "--data", data, "--out", tmp_path / "out", "--format", "json"], capsys)
    assert result.code == 0
    assert "data warning: actions.csv, row 6, column 'framework': the action is for 'wdse'" in result.out
