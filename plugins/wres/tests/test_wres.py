"""NHS WRES: every indicator against hand-computed values (see helpers_wres.nhs_dataset)."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from helpers_wres import classified, context, nhs_dataset, nhs_staff, people

from equality_reports.disclosure import apply_disclosure
from equality_reports.narrative import render_narrative
from equality_reports.templating import TextRenderer
from equality_reports_wres.bands import parse_band
from equality_reports_wres.nhs import WresReport

REPORT = WresReport()


def build(dataset=None, audience: str = "internal", **options: str):
    ctx = context(REPORT, dataset or nhs_dataset(), audience, **options)
    doc = REPORT.build(ctx)
    return ctx, doc


def value(doc, fid: str):
    return doc.figures[fid].value


def test_indicator_1_counts_directly_employed_non_bank_staff() -> None:
    _, doc = build()
    # 60+3+40... White: 60 clinical + 40 non-clinical + 3 executives = 103; BME 30+20+1 = 51; unknown 10
    assert value(doc, "wres.1.white.count") == 103
    assert value(doc, "wres.1.bme.count") == 51
    assert value(doc, "wres.1.unknown.count") == 10
    assert value(doc, "wres.1.bme.pct") == pytest.approx(51 / 164 * 100)
    assert value(doc, "wres.1.white.pct") == pytest.approx(103 / 164 * 100)
    assert value(doc, "wres.1.unknown.pct") == pytest.approx(10 / 164 * 100)
    clinical = doc.table("wres_1_clinical").data.set_index("row")
    assert clinical.loc["Band 5", ["white", "minority_ethnic", "unknown", "total"]].tolist() == [60, 30, 10, 100]
    assert clinical.loc["Band 5", "minority_ethnic_pct"] == pytest.approx(30.0)
    non_clinical = doc.table("wres_1_non_clinical").data.set_index("row")
    assert non_clinical.loc["VSM", ["white", "minority_ethnic"]].tolist() == [3, 1]  # executives are VSM
    assert non_clinical.loc["Band 3", ["white", "minority_ethnic"]].tolist() == [40, 20]
    assert "Band 2" in non_clinical.index and non_clinical.loc["Band 2", "total"] == 0  # bank excluded


def test_indicator_2_white_over_bme_with_interval() -> None:
    _, doc = build()
    # White 10/50 appointed, BME 5/50: (0.2)/(0.1) = 2.0
    assert value(doc, "wres.2.relative_likelihood") == pytest.approx(2.0)
    se = math.sqrt(1 / 10 - 1 / 50 + 1 / 5 - 1 / 50)
    assert value(doc, "wres.2.relative_likelihood.ci_low") == pytest.approx(2.0 * math.exp(-1.959964 * se), rel=1e-5)
    assert value(doc, "wres.2.relative_likelihood.ci_high") == pytest.approx(2.0 * math.exp(1.959964 * se), rel=1e-5)
    assert value(doc, "wres.2.white.rate") == pytest.approx(20.0)
    assert value(doc, "wres.2.bme.rate") == pytest.approx(10.0)
    assert value(doc, "wres.2.band") == "outside the non-adverse range (above 1.25)"
    table = doc.table("wres_2").data.set_index("group")
    assert table.loc["Unknown", ["base", "outcome"]].tolist() == [5, 5]  # shown, not in the ratio


def test_indicator_3_bme_over_white_counts_people_not_cases() -> None:
    _, doc = build()
    # BME: 4 people (one with two cases) of 51; White: 2 formal of 103 (one informal case left out)
    assert value(doc, "wres.3.relative_likelihood") == pytest.approx((4 / 51) / (2 / 103))
    se = math.sqrt(1 / 4 - 1 / 51 + 1 / 2 - 1 / 103)
    rr = (4 / 51) / (2 / 103)
    assert value(doc, "wres.3.relative_likelihood.ci_low") == pytest.approx(rr * math.exp(-1.959964 * se), rel=1e-5)


def test_indicator_3_says_its_entrants_include_people_who_have_left() -> None:
    """Entrants are counted over the year, the headcount on the snapshot date: a note says so."""
    _, doc = build()
    assert ("Everyone who entered the formal disciplinary process during the year is counted, including people "
            "who had left by 31 March 2026 (for example, after dismissal); the rate is over the staff in post on "
            "that date.") in doc.table("wres_3").notes


def test_indicator_4_white_over_bme_non_mandatory_only() -> None:
    _, doc = build()
    assert value(doc, "wres.4.relative_likelihood") == pytest.approx((30 / 103) / (10 / 51))


def test_survey_indicators() -> None:
    _, doc = build()
    assert value(doc, "wres.5.white.pct") == pytest.approx(25.0)
    assert value(doc, "wres.5.bme.pct") == pytest.approx(35.0)
    assert value(doc, "wres.5.difference_pp") == pytest.approx(10.0)
    assert value(doc, "wres.7.white.pct") == pytest.approx(85.0)
    assert value(doc, "wres.7.bme.pct") == pytest.approx(65.0)
    assert value(doc, "wres.6.white.pct") is None  # no results for that question: not calculable
    assert value(doc, "wres.8.bme.pct") is None


def test_indicator_9_board_minus_workforce_in_points() -> None:
    _, doc = build()
    workforce = 51 / 164 * 100
    assert value(doc, "wres.9.voting.difference_pp") == pytest.approx(2 / 10 * 100 - workforce)
    assert value(doc, "wres.9.executive.difference_pp") == pytest.approx(1 / 4 * 100 - workforce)


def test_zero_comparison_rates_are_not_calculable() -> None:
    # issue 9 rule 7: only a zero denominator or a zero comparison rate makes a ratio not calculable
    # (a group of 8 used to be "not calculable" too; tests/test_wres_rules.py covers small groups)
    staff = nhs_dataset().tables["staff"]
    apps = pd.concat([people(40, "white", 1000, shortlisted=True, appointed=True),
                      people(8, "minority_ethnic", 1100, shortlisted=True, appointed=False)],
                     ignore_index=True).rename(columns={"person_id": "application_id"})
    _, doc = build(nhs_dataset(applications=apps, disciplinary=classified(pd.DataFrame(
        {"case_id": ["D1"], "person_id": ["P00100"], "formal": [True]}), staff)))
    # White 40 of 40 appointed, BME 0 of 8: the comparison rate is zero
    fig = doc.figures["wres.2.relative_likelihood"]
    assert fig.value is None and "comparison group" in fig.note
    # BME 1 of 51 entered, White 0 of 103: division by zero
    fig3 = doc.figures["wres.3.relative_likelihood"]
    assert fig3.value is None and "comparison group" in fig3.note


def test_minimum_group_option() -> None:
    apps = pd.concat([people(40, "white", 1000, shortlisted=True, appointed=True),
                      people(4, "minority_ethnic", 1100, shortlisted=True, appointed=True),
                      people(4, "minority_ethnic", 1110, shortlisted=True, appointed=False)],
                     ignore_index=True).rename(columns={"person_id": "application_id"})
    _, doc = build(nhs_dataset(applications=apps), minimum_group="5")
    assert value(doc, "wres.2.relative_likelihood") == pytest.approx(1.0 / 0.5)
    assert "wres.2.caution" not in doc.figures  # 8 BME applicants: not below 5
    _, doc = build(nhs_dataset(applications=apps))
    assert value(doc, "wres.2.relative_likelihood") == pytest.approx(1.0 / 0.5)  # computed below 10 too
    assert "fewer than 10" in value(doc, "wres.2.caution")


def test_a_board_group_with_no_bme_members_publishes_its_zero_share_and_difference() -> None:
    """Executives: 4 White, no BME. The 4 is withheld, but 0% of any number of executives is 0%:
    the share and its difference from the workforce (0 - 51/164) are published, in the table, the
    figures and the text."""
    staff = nhs_staff()
    staff.loc[staff["person_id"] == "P00510", ["ethnicity", "ethnic_group", "ethnic_binary"]] = \
        ["white_british", "white", "white"]
    ctx, doc = build(nhs_dataset(staff=staff), audience="publication")
    apply_disclosure(doc, 10)
    table = doc.table("wres_9")
    row = table.row_position("Executive board members")
    assert table.display_value(row, "minority_ethnic") == 0 and table.display_value(row, "minority_ethnic_pct") == 0.0
    assert table.display_value(row, "total") == "[c]"
    assert value(doc, "wres.9.executive.bme.pct") == 0.0
    assert value(doc, "wres.9.executive.difference_pp") == pytest.approx(-50 / 164 * 100)
    assert not doc.figures["wres.9.executive.difference_pp"].suppressed
    render_narrative(doc, TextRenderer(report_dir=WresReport.template_dir))
    text = "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))
    assert "Executive board members compared with the overall workforce: the BME share is 30.5 percentage " \
           "points lower" in text


def test_publication_withholds_small_counts_and_their_ratios() -> None:
    ctx, doc = build(audience="publication")
    apply_disclosure(doc, 10)
    assert doc.figures["wres.3.relative_likelihood"].suppressed  # 4 and 2 people
    assert doc.figures["wres.9.executive.difference_pp"].suppressed  # 3 and 1 executives
    assert doc.figures["wres.2.relative_likelihood"].suppressed  # BME appointed: 5
    assert not doc.figures["wres.4.relative_likelihood"].suppressed  # 30/103 and 10/51
    render_narrative(doc, TextRenderer(report_dir=WresReport.template_dir))
    text = "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))
    assert "The relative likelihood is not shown, to protect individuals" in text
    assert "[c]" not in text


def test_narrative_reads_in_words() -> None:
    _, doc = build()
    render_narrative(doc, TextRenderer(report_dir=WresReport.template_dir))
    text = "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))
    assert "White applicants were 2.00 times as likely to be appointed from shortlisting as BME applicants" in text
    # 10 of 50 and 5 of 50: 2.00, but the confidence interval includes 1
    assert "Outside the non-adverse range (above 1.25), but the confidence interval includes 1, so the difference " \
           "could be chance: it is worth watching." in text
    # the rates close the reading's paragraph, never a line of their own at the top of a page
    assert "it is worth watching. The rates were 20.0% for White applicants and 10.0% for BME applicants." in text
    summary = doc.table("wres_summary")
    # each value to its own unit's precision: a ratio to 2 places, a percentage to 1 with its sign
    assert summary.data.loc[summary.row_position("2"), "value"] == "2.00"
    assert re.fullmatch(r"\d+\.\d%", summary.data.loc[summary.row_position("1"), "value"])
    assert summary.data.loc[summary.row_position("2"), "reading"] == "outside the non-adverse range (above 1.25)"


def test_the_shared_likelihood_paragraph_is_overridden_like_any_template(tmp_path) -> None:
    """The engine's common/likelihood.j2 serves WRES (and WDES); a user's copy under the same path wins."""
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "likelihood.j2").write_text("Our reading of {{ key }}: {{ figures[key ~ "
                                                      "'.relative_likelihood'].text }}.", encoding="utf-8")
    _, doc = build()
    render_narrative(doc, TextRenderer(tmp_path, WresReport.template_dir))
    text = "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))
    assert "Our reading of wres.2: 2.00." in text
    assert "times as likely" not in text


def test_compare_with_previous_dataset_and_rolling_average() -> None:
    previous = nhs_dataset()
    staff = previous.tables["staff"]
    previous.tables["disciplinary"] = classified(pd.DataFrame({
        "case_id": ["A", "B", "C", "D"], "person_id": ["P00100", "P00101", "P00000", "P00001"],
        "formal": [True] * 4}), staff)
    ctx = context(REPORT, nhs_dataset(), "internal", rolling_average="true")
    ctx.previous = previous
    doc = REPORT.build(ctx)
    this = (4 / 51) / (2 / 103)
    last = (2 / 51) / (2 / 103)
    assert value(doc, "wres.3.relative_likelihood.previous") == pytest.approx(last)
    assert value(doc, "wres.3.relative_likelihood.change") == pytest.approx(this - last)
    # issue 9 rule 6: both years pooled (here equal to the mean of the two ratios only because both
    # years have the same headcounts and White entrants; tests/test_wres_rules.py has a case where not)
    assert value(doc, "wres.3.relative_likelihood.rolling_average") == pytest.approx(((4 + 2) / 102) / ((2 + 2) / 206))
    assert value(doc, "wres.1.bme.pct.change") == pytest.approx(0.0)


def test_bank_exclusion_and_not_directly_employed() -> None:
    _, doc = build()
    quality = doc.table("data_quality").data.set_index("measure")
    assert quality.loc["Staff left out (bank staff or not directly employed)", "records"] == 11  # 5 bank + 6 NEDs
    assert quality.loc["Staff in the workforce", "records"] == 164


@pytest.mark.parametrize("raw,band", [
    ("Band 5", "Band 5"), ("AfC 8a", "Band 8a"), ("8A", "Band 8a"), ("Band 8 - Range C", "Band 8c"),
    ("VSM", "VSM"), ("Very Senior Manager", "VSM"), ("Consultant", "Consultants"),
    ("Specialty Doctor", "Non-consultant career grade"), ("Trust grade", "Non-consultant career grade"),
    ("Foundation Year 1", "Trainee grades"), ("Specialty Registrar", "Trainee grades"),
    ("Dental Officer", "Other medical and dental"), ("Band 5 - Staff Nurse", "Band 5"), ("B3", "Band 3"),
    ("Band 8", "Other or unknown grade"), ("Band 10", "Other or unknown grade"), ("", "Other or unknown grade"),
    ("Under Band 1", "Under Band 1"), ("AfC Band 8d", "Band 8d"), ("band 9", "Band 9"),
])
def test_band_parsing(raw: str, band: str) -> None:
    assert parse_band(raw) == band


def test_required_figure_ids_present() -> None:
    _, doc = build()
    for fid in ["wres.1.bme.pct", "wres.1.white.pct", "wres.1.unknown.pct", "wres.9.voting.difference_pp",
                "wres.9.executive.difference_pp"] + [f"wres.{n}.{g}.pct" for n in (5, 6, 7, 8) for g in ("white", "bme")] + \
            [f"wres.{n}.relative_likelihood{s}" for n in (2, 3, 4) for s in ("", ".ci_low", ".ci_high")]:
        assert fid in doc.figures, fid


def test_a_likelihood_whose_interval_excludes_1_is_worth_looking_into() -> None:
    """White 40 of 50 appointed, BME 10 of 50: 4.00 times, the interval well above 1."""
    apps = pd.concat([people(40, "white", 1000, shortlisted=True, appointed=True),
                      people(10, "white", 1040, shortlisted=True, appointed=False),
                      people(10, "minority_ethnic", 1100, shortlisted=True, appointed=True),
                      people(40, "minority_ethnic", 1110, shortlisted=True, appointed=False)],
                     ignore_index=True).rename(columns={"person_id": "application_id"})
    _, doc = build(nhs_dataset(applications=apps))
    assert value(doc, "wres.2.relative_likelihood") == pytest.approx(4.0)
    assert value(doc, "wres.2.relative_likelihood.ci_low") > 1
    render_narrative(doc, TextRenderer(report_dir=WresReport.template_dir))
    text = "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))
    assert "Outside the non-adverse range (above 1.25), and the confidence interval does not include 1, so the " \
           "difference is unlikely to be chance: it is worth looking into." in text
