"""The evidence pack: gaps, gate capping, readiness, overdue actions, bundle, figures appendix."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from helpers_evidence import evidence_dataset

from equality_reports.document import Figure
from equality_reports.narrative import render_narrative
from equality_reports.plugins import PluginHost
from equality_reports.reports import ReportContext
from equality_reports.templating import TextRenderer
from equality_reports_evidence.report import EvidencePackReport

REPORT = EvidencePackReport()


def build(tmp_path: Path, run_figures: dict | None = None, **options: str):
    ds = evidence_dataset(tmp_path / "data")
    ctx = ReportContext(report=REPORT, dataset=ds, options=REPORT.parse_options(options),
                        frameworks=PluginHost().frameworks(), run_figures=run_figures or {})
    doc = REPORT.build(ctx)
    render_narrative(doc, TextRenderer())
    return ctx, doc


def all_text(doc) -> str:
    return "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))


def test_gaps_are_criteria_without_full_evidence(tmp_path: Path) -> None:
    _, doc = build(tmp_path)
    gaps = doc.table("journey-to-race-equality_gaps").data
    # 15 criteria; fully met: JRE-R-1, JRE-R-4 (file missing but status met), JRE-I-1 -> 12 gaps
    assert len(gaps) == 12
    assert "JRE-R-3" in gaps["criterion"].tolist()  # partly
    assert gaps.set_index("criterion").loc["JRE-R-3", "status"] == "Partly met"
    assert gaps.set_index("criterion").loc["JRE-S-1", "status"] == "No evidence"
    assert doc.figures["evidence-pack.journey-to-race-equality.gaps"].value == 12


def test_gate_question_caps_overall_stage(tmp_path: Path) -> None:
    _, doc = build(tmp_path)
    assert doc.figures["evidence-pack.journey-to-race-equality.overall"].value == "Starting"
    ds = evidence_dataset(tmp_path / "d2")
    ds.tables["self_assessment"].loc[0, "stage_or_level"] = "Developing"
    problems = REPORT.check(ds, REPORT.parse_options({}))
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1
    assert "gate question(s) G3" in str(errors[0]) and "'Starting'" in str(errors[0])
    assert "row 2" in str(errors[0]) and "stage_or_level" in str(errors[0])


def test_check_reports_unknown_criteria_duplicates_and_missing_files(tmp_path: Path) -> None:
    ds = evidence_dataset(tmp_path / "d")
    ev = ds.tables["evidence"]
    ev.loc[1, "criterion"] = "JRE-X-9"
    ev.loc[3, "evidence_id"] = "EV1"
    ev.loc[0, "date"] = pd.Timestamp("2027-01-01")
    problems = [str(p) for p in REPORT.check(ds, REPORT.parse_options({}))]
    assert any("row 3, column 'criterion': unknown criterion id (value: 'JRE-X-9')" in p for p in problems)
    assert any("row 5, column 'evidence_id': evidence id used twice (first on row 2)" in p for p in problems)
    assert any("evidence file not found (value: 'evidence/missing.pdf')" in p for p in problems)
    assert any("after the snapshot date" in p for p in problems)


def test_readiness_by_stage_names_next_unmet_criteria(tmp_path: Path) -> None:
    _, doc = build(tmp_path)
    table = doc.table("journey-to-race-equality_readiness").data.set_index("group")
    assert table.loc["Resisting", ["criteria", "met", "partly", "missing"]].tolist() == [4, 2, 1, 1]
    assert table.loc["Resisting", "share"] == pytest.approx(50.0)
    assert table.loc["Intending", ["criteria", "met"]].tolist() == [2, 1]
    text = all_text(doc)
    assert "The first stage or level not yet fully evidenced is 'Resisting'" in text
    assert "- JRE-R-3:" in text and "- JRE-R-2:" in text


def test_overdue_actions_are_marked_in_text(tmp_path: Path) -> None:
    _, doc = build(tmp_path)
    plan = doc.table("action_plan").data.set_index("n")
    assert plan.loc["1", "overdue"] == "Overdue"  # due 31 January 2026, in progress
    assert plan.loc["2", "overdue"] == "No"  # due after the snapshot
    assert plan.loc["3", "overdue"] == "No"  # past but complete
    assert doc.figures["evidence-pack.actions.overdue"].value == 1
    assert "1 is past its date on 31 March 2026 and not complete" in all_text(doc)


def test_evidence_links_and_outcomes(tmp_path: Path) -> None:
    _, doc = build(tmp_path)
    table = doc.table("crit_journey_to_race_equality_leadership")
    col = table.column("evidence")
    assert col.link == "location" and table.column("location").hidden
    rows = table.data.set_index("ref")
    assert rows.loc["JRE-R-3 / EV2", "location"] == "evidence/minutes.txt"
    assert rows.loc["JRE-S-2", "evidence"] == "No evidence recorded"
    outcomes = doc.table("journey-to-race-equality_outcomes").data
    assert len(outcomes) == 6
    assert outcomes.set_index("area").loc["Employment", "objective"].startswith("Raise")
    assert outcomes.set_index("area").loc["Service outcomes", "objective"] == "Not yet set"


def test_figures_appendix_shows_other_reports_as_published(tmp_path: Path) -> None:
    figures = {
        "wres.2.relative_likelihood": Figure("wres.2.relative_likelihood", "Appointment RL", 1.52, "ratio"),
        "wres.3.relative_likelihood": Figure("wres.3.relative_likelihood", "Disciplinary RL", 2.1, "ratio",
                                             suppressed=True),
        "rraa-employment.staff.minority_ethnic.pct": Figure("rraa-employment.staff.minority_ethnic.pct",
                                                            "Minority share", 12.345, "percent"),
    }
    _, doc = build(tmp_path, run_figures=figures)
    table = doc.table("workforce_figures").data.set_index("id")
    assert table.loc["wres.2.relative_likelihood", "value"] == "1.52"
    assert table.loc["wres.3.relative_likelihood", "value"] == "[c]"
    assert table.loc["rraa-employment.staff.minority_ethnic.pct", "value"] == "12.3%"
    assert table.loc["wres.2.relative_likelihood", "report"] == "wres"


def test_bundle_contains_pack_matrix_files_and_index(tmp_path: Path) -> None:
    ctx, doc = build(tmp_path, bundle="true")
    work = tmp_path / "work"
    work.mkdir()
    (work / "evidence-pack.docx").write_bytes(b"docx")
    (work / "evidence-pack.xlsx").write_bytes(b"xlsx")
    rendered = {"docx": work / "evidence-pack.docx", "xlsx": work / "evidence-pack.xlsx"}
    [zip_path] = REPORT.extra_outputs(ctx, doc, rendered, work)
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        index = list(csv.DictReader(io.StringIO(zf.read("index.csv").decode())))
        assert zf.read("evidence/E001-equality-policy.md").startswith(b"# Equality policy")
    assert names == sorted(names)
    assert {"evidence-pack.docx", "evidence-pack.xlsx", "index.csv", "index.md",
            "evidence/E001-equality-policy.md", "evidence/E002-staff-forum-minutes.txt"} <= set(names)
    states = {r["evidence_id"]: r["state"] for r in index}
    assert states == {"EV1": "included", "EV2": "included", "EV3": "MISSING: file not found",
                      "EV4": "link (not copied)"}
    again = REPORT.extra_outputs(ctx, doc, rendered, tmp_path)
    assert again[0].read_bytes() == zip_path.read_bytes()  # deterministic


def test_user_framework_file_option(tmp_path: Path) -> None:
    from test_frameworks import EXAMPLE

    path = tmp_path / "ours.yaml"
    path.write_text(EXAMPLE)
    ds = evidence_dataset(tmp_path / "d", evidence=pd.DataFrame({
        "evidence_id": ["A"], "framework": ["our-framework"], "criterion": ["P1"], "title": ["Data"],
        "location": [""], "status": ["met"]}))
    ctx = ReportContext(report=REPORT, dataset=ds, options=REPORT.parse_options({"framework_file": str(path)}),
                        frameworks=PluginHost().frameworks())
    doc = REPORT.build(ctx)
    readiness = doc.table("our-framework_readiness").data.set_index("group")
    assert readiness.loc["Bronze", "met"] == 1 and readiness.loc["Gold", "met"] == 0
