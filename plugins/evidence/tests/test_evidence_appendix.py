"""The workforce figures appendix: other reports' figures exactly as they published them."""

from __future__ import annotations

import json
from pathlib import Path

from helpers_evidence import all_text, build, column, evidence_dataset

from equality_reports.document import Figure

RUN_FIGURES = {
    "wres.2.relative_likelihood": Figure("wres.2.relative_likelihood", "Relative likelihood of appointment from "
                                         "shortlisting", 1.5234, "ratio"),
    "wres.3.relative_likelihood": Figure("wres.3.relative_likelihood", "Relative likelihood of formal disciplinary",
                                         2.1, "ratio", suppressed=True),
    "wres.1.minority_ethnic.count": Figure("wres.1.minority_ethnic.count", "BME staff", 7, "count",
                                           suppressed=True),
    "wres.4.relative_likelihood": Figure("wres.4.relative_likelihood", "Relative likelihood of training", None,
                                         "ratio", note="no white staff in the group"),
    "wres.2.band": Figure("wres.2.band", "Indicator 2 reading", "outside the non-adverse range", "text"),
    "rraa-employment.staff.minority_ethnic.pct": Figure("rraa-employment.staff.minority_ethnic.pct",
                                                        "Minority ethnic share of staff", 12.345, "percent"),
    "evidence-pack.old.gaps": Figure("evidence-pack.old.gaps", "Own figure from an earlier pack", 3),
}


def test_figures_appendix_from_the_same_run(tmp_path: Path) -> None:
    _, doc = build(evidence_dataset(tmp_path), run_figures=RUN_FIGURES)
    wres = column(doc.table("figures_wres"), "value")
    assert wres == {"wres.1.minority_ethnic.count": "[c]", "wres.2.band": "outside the non-adverse range",
                    "wres.2.relative_likelihood": "1.52", "wres.3.relative_likelihood": "[c]",
                    "wres.4.relative_likelihood": "not calculable"}
    assert column(doc.table("figures_rraa_employment"), "value") == {
        "rraa-employment.staff.minority_ethnic.pct": "12.3%"}
    assert "figures_evidence_pack" not in [t.id for t in doc.tables()]  # the pack's own figures are left out
    # reports are named by their titles, never by the tool's report names
    assert ("These 6 figures were published in the Workforce race equality monitoring report and the Workforce "
            "Race Equality Standard return; each report gives the detail behind them. Each value is shown exactly "
            "as that report published it") in all_text(doc)
    assert [s.title for s in doc.sections[-1].sections] == [
        "Figures from the Workforce race equality monitoring report", "Figures from the Workforce Race Equality "
        "Standard return"]


def test_the_appendix_restates_the_headlines_of_a_report_that_marks_them(tmp_path: Path) -> None:
    from dataclasses import replace

    marked = {**RUN_FIGURES, "wres.2.relative_likelihood": replace(RUN_FIGURES["wres.2.relative_likelihood"],
                                                                   headline=True)}
    _, doc = build(evidence_dataset(tmp_path), run_figures=marked)
    # WRES marks one headline: only it; the RRAA figure stays, as that report marks none
    assert column(doc.table("figures_wres"), "value") == {"wres.2.relative_likelihood": "1.52"}
    assert column(doc.table("figures_rraa_employment"), "value") == {
        "rraa-employment.staff.minority_ethnic.pct": "12.3%"}
    assert "These 2 figures are the headline figures of the Workforce race equality" in all_text(doc)
    # a pattern chooses from every figure, headline or not
    _, doc = build(evidence_dataset(tmp_path / "again"), run_figures=marked, appendix_figures="wres.*")
    assert len(doc.table("figures_wres").data) == 5


def test_figures_appendix_from_previous_run_json(tmp_path: Path) -> None:
    payload = {"audience": "publication", "not_for_publication": False, "figures": {
        "sc-wres.2.relative_likelihood": {"label": "Appointment likelihood", "value": 1.8, "unit": "ratio",
                                          "suppressed": False},
        "sc-wres.6.minority_ethnic.pct": {"label": "Harassment from the public", "value": None, "unit": "percent",
                                          "suppressed": True},
        "wres.2.relative_likelihood": {"label": "Old value", "value": 9.99, "unit": "ratio", "suppressed": False}}}
    path = tmp_path / "sc-wres.json"
    path.write_text(json.dumps(payload))
    _, doc = build(evidence_dataset(tmp_path / "d"), run_figures=RUN_FIGURES, figures=str(path))
    assert column(doc.table("figures_sc_wres"), "value") == {"sc-wres.2.relative_likelihood": "1.80",
                                                             "sc-wres.6.minority_ethnic.pct": "[c]"}
    assert column(doc.table("figures_wres"), "value")["wres.2.relative_likelihood"] == "1.52"  # this run wins
    assert "read from sc-wres.json" in all_text(doc)


def test_appendix_figure_patterns(tmp_path: Path) -> None:
    _, doc = build(evidence_dataset(tmp_path), run_figures=RUN_FIGURES,
                   appendix_figures="wres.2.*, rraa-employment.*")
    assert set(column(doc.table("figures_wres"), "value")) == {"wres.2.relative_likelihood", "wres.2.band"}
    assert len(doc.table("figures_rraa_employment").data) == 1


def test_appendix_without_figures_says_so_and_tells_the_operator_how_to_get_them(tmp_path: Path) -> None:
    ctx, doc = build(evidence_dataset(tmp_path))
    assert "No workforce figures were available when this pack was made, so this appendix is empty." in all_text(doc)
    assert any("run this report with rraa-employment" in n for n in ctx.operator_notes)
    assert not [t for t in doc.tables() if t.id.startswith("figures_")]
