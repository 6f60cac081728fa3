"""check(): every problem in the register, self-assessment and actions, with file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers_evidence import JRE, REPORT, evidence_dataset

from equality_reports import ReportContext
from equality_reports.errors import InputError


def problems(ds, **options: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(p.severity, str(p)) for p in REPORT.check(ReportContext(REPORT, ds, REPORT.parse_options(options)))]


def test_clean_register_has_only_the_missing_file_warning(tmp_path: Path) -> None:
    found = problems(evidence_dataset(tmp_path))
    assert len(found) == 1 and found[0][0] == "warning"
    assert found[0][1].startswith("evidence.csv, row 4, column 'location': evidence file not found at ")
    assert found[0][1].endswith("(value: 'evidence/missing.pdf'). Fix: correct the path (relative to the "
                                "dataset folder) or add the file")


def test_register_problems(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    ev = ds.tables["evidence"]
    ev.loc[1, "criterion"] = "JRE-X-9"
    ev.loc[3, "evidence_id"] = "EV1"
    ev.loc[0, "date"] = pd.Timestamp("2027-01-01")
    ev.loc[2, "status"] = "sort of"
    ev.loc[2, "location"] = "evidence/policy.md"
    found = problems(ds)
    assert ("error", "evidence.csv, row 3, column 'criterion': unknown criterion id (value: 'JRE-X-9'). Fix: use a "
            "criterion id of journey-to-race-equality (JRE-A-1, JRE-A-2, JRE-A-3, JRE-D-1, JRE-D-2, JRE-D-3, ...; "
            "all are listed in the pack and docs/frameworks.md)") in found
    assert ("error", "evidence.csv, row 5, column 'evidence_id': evidence id used twice (first on row 2) "
            "(value: 'EV1'). Fix: give every evidence item its own id") in found
    assert ("error", "evidence.csv, row 4, column 'status': status not recognised (value: 'sort of'). Fix: use "
            "met, partly or not_met") in found
    assert ("warning", "evidence.csv, row 2, column 'date': date is after the snapshot date 31 March 2026 "
            "(value: '2027-01-01'). Fix: check the date: evidence dated after the snapshot cannot support the "
            "assessment at that date") in found
    assert len(found) == 4


def test_blank_status_is_a_warning_and_counts_as_partly(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    ds.tables["evidence"].loc[0, "status"] = None
    ds.tables["evidence"].loc[2, "location"] = ""
    found = problems(ds)
    assert found == [("warning", "evidence.csv, row 2, column 'status': status is blank: counted as partly met. "
                                 "Fix: record whether the evidence shows the criterion met, partly or not_met")]


def test_self_assessment_problems(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    sa = ds.tables["self_assessment"]
    sa.loc[1, "area"] = "leadershp"
    sa.loc[1, "stage_or_level"] = "Flying"
    sa.loc[3, "stage_or_level"] = "maybe"
    ds.tables["evidence"].loc[2, "location"] = ""
    found = dict((msg.split(": ", 1)[1].split(" (value")[0], (sev, msg)) for sev, msg in problems(ds))
    assert found["area not found in journey-to-race-equality"][1] == (
        "self_assessment.csv, row 3, column 'area': area not found in journey-to-race-equality (value: "
        "'leadershp'). Fix: use 'overall', an area id (culture, leadership, vision, community, capacity, partners, "
        "performance) or a gate question id (G1, G2, G3, G4)")
    assert found["not a stage of journey-to-race-equality"][1].endswith(
        "Fix: use one of Resisting, Intending, Starting, Developing, Achieving")
    assert found["gate question G2 needs a yes or no answer"][0] == "error"
    assert len(found) == 3


def test_stage_the_gate_questions_do_not_allow_is_an_error_with_the_fix(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    ds.tables["self_assessment"].loc[0, "stage_or_level"] = "Achieving"
    errors = [msg for sev, msg in problems(ds) if sev == "error"]
    assert errors == [
        "self_assessment.csv, row 2, column 'stage_or_level': overall stage 'Achieving' is not allowed: gate "
        "question(s) G3 answered no cap the overall stage at 'Starting' (value: 'Achieving'). Fix: assess the "
        "overall stage as 'Starting' or lower, or revisit the gate answers with the evidence that would change them"]


def test_action_problems(tmp_path: Path) -> None:
    actions = pd.DataFrame({"action": ["Do it", ""], "by_when": pd.to_datetime([None, "2026-06-30"]),
                            "framework": [JRE, JRE], "area": ["", "nowhere"], "criterion": ["JRE-Z-1", ""],
                            "status": ["Open", "Open"]})
    found = problems(evidence_dataset(tmp_path, actions=actions))
    assert ("warning", "actions.csv, row 2, column 'criterion': unknown criterion id (value: 'JRE-Z-1'). Fix: use a "
            "criterion id of journey-to-race-equality (JRE-A-1, JRE-A-2, JRE-A-3, JRE-D-1, JRE-D-2, JRE-D-3, ...; "
            "all are listed in the pack and docs/frameworks.md)") in found
    assert ("warning", "actions.csv, row 2, column 'by_when': no date in by_when. Fix: give every open action a "
            "date so progress can be tracked") in found
    assert ("error", "actions.csv, row 3, column 'action': action is blank. Fix: say what will be done") in found
    assert any(msg.startswith("actions.csv, row 3, column 'area': area not found") for _, msg in found)


def test_evidence_for_a_framework_not_in_the_pack_is_a_warning(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    found = problems(ds, framework="adss-leadership")
    framework_warnings = [m for s, m in found if "is not one of those chosen" in m and s == "warning"]
    assert len(framework_warnings) == 4 + 6  # every evidence row, and every self_assessment row


def test_a_row_naming_no_framework_is_checked_against_every_framework(tmp_path: Path) -> None:
    """Its criteria may belong to frameworks this pack leaves out (a warning when all do); an id
    no framework has is an error."""
    ds = evidence_dataset(tmp_path)
    ev = ds.tables["evidence"]
    ev.loc[0, ["framework", "criterion"]] = ["", "JRE-R-1; ADSS-CO-3"]
    ev.loc[1, ["framework", "criterion"]] = ["", "ADSS-EP-1"]
    ev.loc[3, ["framework", "criterion"]] = ["", "JRE-I-1; JRE-Z-9"]
    found = problems(ds, framework=JRE)
    assert [m for s, m in found if s == "error"] == [
        "evidence.csv, row 5, column 'criterion': unknown criterion id (value: 'JRE-Z-9'). Fix: use a criterion id "
        "of journey-to-race-equality (JRE-A-1, JRE-A-2, JRE-A-3, JRE-D-1, JRE-D-2, JRE-D-3, ...; all are listed "
        "in the pack and docs/frameworks.md)"]
    assert ("warning", "evidence.csv, row 3, column 'criterion': its criteria belong to no framework chosen for "
            "this pack (value: 'ADSS-EP-1'). Fix: choose their framework with --option framework=ID, or leave "
            "the row out") in found
    assert not any("row 2" in m for _, m in found)


def test_unknown_framework_option_and_missing_figures_file(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path)
    with pytest.raises(InputError, match="--option framework=nope: unknown framework. Available: adss-leadership"):
        REPORT.check(ReportContext(REPORT, ds, REPORT.parse_options({"framework": "nope"})))
    with pytest.raises(InputError, match="--option figures=.*nothing.json: file not found"):
        REPORT.check(ReportContext(REPORT, ds, REPORT.parse_options({"figures": str(tmp_path / "nothing.json")})))
