"""The README's main job and year-on-year comparison, run as a user would on the sample data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document as read_docx
from helpers_cli import previous_year_sample, run_cli
from openpyxl import load_workbook

SAMPLES = Path(__file__).parent.parent / "sample_data"


def test_readme_main_job_on_the_council_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "council"
    res = run_cli(["run", "--all", "--data", SAMPLES / "council", "--out", out], capsys)
    assert res.code == 0, res.err
    assert "wres: skipped (for sector nhs, this dataset is local_government)" in res.out
    for report in ("rraa-employment", "sc-wres", "evidence-pack", "gender-pay-gap"):
        for suffix in (".docx", ".xlsx", ".json"):
            assert (out / f"{report}{suffix}").stat().st_size > 0
    record = json.loads((out / "run.json").read_text())
    assert {r["name"]: r["status"] for r in record["reports"]} == {
        "evidence-pack": "ok", "ethnicity-pay-gap": "ok", "gender-pay-gap": "ok", "rraa-employment": "ok",
        "sc-wres": "ok", "wdes": "skipped", "wres": "skipped"}
    assert record["suppressed_cells"] > 0
    # the evidence pack's appendix restates the other reports' figures as published
    pack = json.loads((out / "evidence-pack.json").read_text())
    shown = {}
    for label, value in pack["tables"]["figures_rraa_employment"]["rows"]:
        shown.setdefault(label, set()).add(value)
    rraa = json.loads((out / "rraa-employment.json").read_text())["figures"]
    # by default the report's headline figures: the tracked percentages and the relative rates
    assert {f["label"] for f in rraa.values() if f.get("headline")} == set(shown)
    declared = rraa["rraa-employment.staff.declaration_rate"]
    assert f"{declared['value']:.1f}%" in shown[declared["label"]]
    withheld = [f for f in rraa.values() if f["suppressed"] and f["label"] in shown]
    assert withheld and all("[c]" in shown[f["label"]] for f in withheld)
    # nothing person-identifying is published
    for path in out.rglob("*.csv"):
        assert "E000001" not in path.read_text(encoding="utf-8")
    text = "\n".join(p.text for p in read_docx(str(out / "rraa-employment.docx")).paragraphs)
    assert "E000001" not in text and "Key findings" in text


def test_small_body_leaves_out_150_fte_sections_with_a_reason(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["run", "rraa-employment", "--data", SAMPLES / "small_body", "--out", tmp_path, "--format",
                   "json"], capsys)
    assert res.code == 0, res.err
    figures = json.loads((tmp_path / "rraa-employment.json").read_text())["figures"]
    assert figures["rraa-employment.large_body"]["value"] == 0
    assert figures["rraa-employment.fte.total"]["value"] < 150


def test_compare_with_last_years_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = tmp_path / "2025"
    assert run_cli(["run", "wres", "--data", previous_year_sample(tmp_path / "data-2025", "nhs_trust"), "--out", last,
                    "--audience", "internal", "--format", "json"], capsys).code == 0
    this = tmp_path / "2026"
    res = run_cli(["run", "wres", "--data", SAMPLES / "nhs_trust", "--out", this, "--audience", "internal",
                   "--compare", last, "--format", "json,xlsx"], capsys)
    assert res.code == 0, res.err
    figures = json.loads((this / "wres-internal.json").read_text())["figures"]
    before = json.loads((last / "wres-internal.json").read_text())["figures"]["wres.2.relative_likelihood"]["value"]
    assert figures["wres.2.relative_likelihood.previous"]["value"] == before
    assert figures["wres.2.relative_likelihood.change"]["value"] == pytest.approx(
        figures["wres.2.relative_likelihood"]["value"] - before, abs=0.01)
    wb = load_workbook(this / "wres-internal.xlsx")
    summary = wb[wb.sheetnames[3]]
    assert [c.value for c in summary[4]][2:] == ["2025/26", "Lower 95% limit", "Upper 95% limit",
                                                 "Against the non-adverse range", "2024/25", "Change since 2024/25"]
    # the ratios are typed numbers shown to 2 places, whatever the other rows' units
    ratio = next(row for row in summary.iter_rows(min_row=5) if row[0].value == "2")
    assert isinstance(ratio[2].value, float) and ratio[2].number_format == "0.00"


def test_compare_with_last_years_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    previous = previous_year_sample(tmp_path / "prev", "council")
    res = run_cli(["run", "rraa-employment", "--data", SAMPLES / "council", "--out", tmp_path / "out",
                   "--compare", previous, "--format", "json"], capsys)
    assert res.code == 0, res.err
    figures = json.loads((tmp_path / "out" / "rraa-employment.json").read_text())["figures"]
    this, last = figures["rraa-employment.staff.white.pct"], figures["rraa-employment.staff.white.pct.y2024_25"]
    assert this["value"] != last["value"]  # another year's people
    assert figures["rraa-employment.change.staff.white.pct"]["value"] == round(this["value"] - last["value"], 1)
