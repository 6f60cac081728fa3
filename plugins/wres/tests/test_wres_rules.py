"""Issue 9's rules 5-9 in the NHS WRES and the Social Care WRES, against hand-computed numbers.

Each test is named after the rule it checks. Datasets go through the intake layer
(``dataset_from_frames``), so ethnicity is classified as it is for real files.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers_cli import run_cli
from helpers_wres import context

from equality_reports.disclosure import apply_disclosure
from equality_reports.intake import dataset_from_frames
from equality_reports.measures.grades import classify_grades, grade_mapping_line, parse_grade, unrecognised_grades
from equality_reports.narrative import render_narrative
from equality_reports.templating import TextRenderer
from equality_reports.testing import staff_table
from equality_reports_wres.nhs import WresReport
from equality_reports_wres.social_care import ScWresReport

WRES = WresReport()
SC_WRES = ScWresReport()
Z = 1.959963984540054  # the 97.5th percentile of the standard normal distribution

WHITE, BME = "A", "N"  # NHS codes: White British, Black African


def staff_rows(rows: list[tuple[int, str, str | None, str | None, str]], start: int = 0) -> pd.DataFrame:
    """(number of people, ethnicity code, grade, staff group, board role) to a staff table."""
    records = []
    for n, eth, grade, group, role in rows:
        for _ in range(n):
            records.append({"person_id": f"E{start + len(records):05d}", "ethnicity": eth, "grade": grade,
                            "staff_group": group, "board_role": role})
    return pd.DataFrame(records)


def nhs(tables: dict[str, pd.DataFrame], **kwargs) -> object:
    return dataset_from_frames(tables, organisation="Rule Test NHS Trust", period_start=date(2025, 4, 1),
                               period_end=date(2026, 3, 31), sector="nhs", **kwargs)


def text_of(doc) -> str:
    render_narrative(doc, TextRenderer(report_dir=WresReport.template_dir))
    return "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))


def value(doc, fid: str):
    return doc.figures[fid].value


# --- rule 5: grades ----------------------------------------------------------------------------

TITLED = staff_rows([
    (3, WHITE, "Band 4 Medical Secretary", "Administrative and Clerical", "none"),
    (2, BME, "Band 8b Consultant Nurse", "Nursing and Midwifery Registered", "none"),
    (2, WHITE, "Band 6 Specialist Nurse", "Nursing and Midwifery Registered", "none"),
    (1, BME, "Band 3 Trainee Nursing Associate", "Additional Clinical Services", "none"),
    (1, WHITE, "Band 8c Deputy Director of Nursing", "Nursing and Midwifery Registered", "none"),
    (2, BME, "Consultant", "Medical and Dental", "none"),
    (1, WHITE, "Locum Grade Z", "Medical and Dental", "none"),
    (1, WHITE, "Chief Executive", "Administrative and Clerical", "voting_executive"),
    (1, BME, "Director of Strategy", "Administrative and Clerical", "voting_executive"),
])


def test_rule5_band_title_words_do_not_move_staff() -> None:
    doc = WRES.build(context(WRES, nhs({"staff": TITLED})))
    clinical = doc.table("wres_1_clinical").data.set_index("row")
    non_clinical = doc.table("wres_1_non_clinical").data.set_index("row")
    # the secretaries stay in Band 4 and non-clinical (Administrative and Clerical)
    assert non_clinical.loc["Band 4", ["white", "minority_ethnic", "total"]].tolist() == [3, 0, 3]
    assert clinical.loc["Band 8b", ["white", "minority_ethnic"]].tolist() == [0, 2]
    assert clinical.loc["Band 6", "white"] == 2 and clinical.loc["Band 3", "minority_ethnic"] == 1
    assert clinical.loc["Band 8c", "white"] == 1  # not VSM: "Director" inside a band title
    # medical subgroups from the staff group and the grade name only
    assert clinical.loc["Consultants", ["white", "minority_ethnic"]].tolist() == [0, 2]
    assert clinical.loc["Other medical and dental", "white"] == 1  # Medical and Dental, grade not recognised
    assert "Trainee grades" not in clinical.index or clinical.loc["Trainee grades", "total"] == 0
    # VSM from the executive board role (and the executive grade), never from a band title
    assert non_clinical.loc["VSM", ["white", "minority_ethnic"]].tolist() == [1, 1]
    assert "VSM" not in clinical.index or clinical.loc["VSM", "total"] == 0
    assert clinical.loc["All clinical staff", "total"] == 2 + 2 + 1 + 1 + 2 + 1
    assert non_clinical.loc["All non-clinical staff", "total"] == 3 + 2
    quality = doc.table("data_quality")  # a check that found nothing is not listed, and a note says so
    assert "Grade not recognised as a pay band" not in quality.data["measure"].tolist()
    assert "Checks that found nothing are not listed." in quality.notes


@pytest.mark.parametrize("raw,band", [
    ("Band 8a", "Band 8a"), ("8A", "Band 8a"), ("AFC-8B", "Band 8b"), ("Agenda for Change Band 8 - Range B", "Band 8b"),
    ("Band 8 Range C", "Band 8c"), ("Band 5", "Band 5"), ("AfC Band 6", "Band 6"), ("Under Band 1", "Under Band 1"),
    ("Review Body Band 5", "Band 5"), ("B3", "Band 3"), ("band 9", "Band 9"), ("AfC Band 8d", "Band 8d"),
    ("Band 4 Medical Secretary", "Band 4"), ("Band 8b Consultant Nurse", "Band 8b"), ("Band 6 Specialist Nurse", "Band 6"),
    ("Band 3 Trainee Nursing Associate", "Band 3"), ("Band 8c Deputy Director of Nursing", "Band 8c"),
    ("Band 7 Registrar", "Band 7"),
])
def test_rule5_agenda_for_change_band_only_from_band_text(raw: str, band: str) -> None:
    grade = parse_grade(raw)
    assert grade.band_title and grade.band == band and grade.medical is None


@pytest.mark.parametrize("raw", ["Band 8", "Band 10", "Band 8 Consultant"])
def test_rule5_band_title_without_a_valid_band_is_unrecognised_not_medical(raw: str) -> None:
    grade = parse_grade(raw)
    assert grade.band_title and grade.band is None and grade.medical is None


@pytest.mark.parametrize("raw,subgroup", [
    ("Consultant", "Consultants"), ("Specialty Doctor", "Non-consultant career grade"),
    ("Associate Specialist", "Non-consultant career grade"), ("Specialist", "Non-consultant career grade"),
    ("Staff Grade", "Non-consultant career grade"), ("Trust Grade Doctor", "Non-consultant career grade"),
    ("Specialty Registrar", "Trainee grades"), ("StR", "Trainee grades"), ("Foundation Year 1", "Trainee grades"),
    ("Foundation Year 2", "Trainee grades"), ("FY1", "Trainee grades"), ("Core Trainee", "Trainee grades"),
    ("GP Registrar", "Trainee grades"), ("ST3", "Trainee grades"), ("Clinical Fellow", "Other medical and dental"),
    ("Dental Officer", "Other medical and dental"),
])
def test_rule5_medical_grade_names_give_the_subgroup(raw: str, subgroup: str) -> None:
    assert parse_grade(raw).medical == subgroup
    graded = classify_grades(pd.Series([raw, raw]), pd.Series(["Medical and Dental", None]))
    assert graded["band"].tolist() == [subgroup, subgroup]
    assert graded["clinical"].tolist() == ["clinical", "clinical"]


def test_rule5_other_professions_are_never_medical() -> None:
    for raw in ("Consultant Nurse", "Nurse Consultant", "Specialist Nurse", "Trainee Nursing Associate",
                "Medical Secretary", "Consultant Clinical Psychologist"):
        assert parse_grade(raw).medical is None, raw
    # a medical grade name under a staff group of another profession does not make a doctor
    graded = classify_grades(pd.Series(["Consultant", "Consultant"]),
                             pd.Series(["Nursing and Midwifery Registered", "clinical"]))
    assert graded["band"].tolist() == ["Other or unknown grade", "Consultants"]


def test_rule5_vsm_from_a_vsm_grade_or_an_executive_board_role() -> None:
    grades = pd.Series(["VSM", "Very Senior Manager", "Executive", "XN17 VSM", "Director of Finance",
                        "Director of Finance", "Band 8d Director of Operations", "Non-executive director",
                        "Executive Assistant"])
    roles = pd.Series(["none", "none", "none", "none", "none", "voting_executive", "none", "none", "none"])
    graded = classify_grades(grades, pd.Series(["Administrative and Clerical"] * 9), roles)
    assert graded["band"].tolist() == ["VSM", "VSM", "VSM", "VSM", "Other or unknown grade", "VSM", "Band 8d",
                                       "Other or unknown grade", "Other or unknown grade"]
    assert set(graded["clinical"]) == {"non_clinical"}


def test_rule5_clinical_from_esr_staff_groups() -> None:
    groups = ["Medical and Dental", "Nursing and Midwifery Registered", "Additional Clinical Services",
              "Allied Health Professionals", "Healthcare Scientists", "Add Prof Scientific and Technic",
              "Administrative and Clerical", "Estates and Ancillary", "Students", "clinical", "non_clinical",
              "Admin & Clerical", None]
    graded = classify_grades(pd.Series(["Band 5"] * len(groups)), pd.Series(groups))
    assert graded["clinical"].tolist() == ["clinical"] * 6 + ["non_clinical"] * 3 + ["clinical", "non_clinical",
                                                                                      "non_clinical", "non_clinical"]
    assert set(graded["band"]) == {"Band 5"}  # a band title wins whatever the staff group


def test_rule5_each_distinct_grade_is_parsed_once() -> None:
    from equality_reports.measures import grades as module

    module._parse_text.cache_clear()
    many = pd.Series(["Band 5", "Consultant", "Band 8 - Range A"] * 20_000)
    graded = classify_grades(many, pd.Series(["Medical and Dental"] * len(many)))
    assert module._parse_text.cache_info().misses == 3
    assert graded["band"].value_counts().to_dict() == {"Band 5": 20_000, "Consultants": 20_000, "Band 8a": 20_000}


def test_rule5_unrecognised_grades_and_mapping_line() -> None:
    staff = staff_rows([(3, WHITE, "Grade X", "Administrative and Clerical", "none"),
                        (1, WHITE, 'Odd "quoted" grade', None, "none"),
                        (2, WHITE, "Band 5", "Nursing and Midwifery Registered", "none")])
    odd = unrecognised_grades(staff)
    assert odd.to_dict("records") == [{"grade": "Grade X", "staff": 3}, {"grade": 'Odd "quoted" grade', "staff": 1}]
    assert grade_mapping_line(["Grade X", 'Odd "quoted" grade'], "Band 5") == \
        'values.grade = { "Grade X" = "Band 5", "Odd \\"quoted\\" grade" = "Band 5" }'


def test_rule5_values_grade_mapping_moves_staff_into_a_band() -> None:
    staff = staff_rows([(3, WHITE, "Grade X", "Administrative and Clerical", "none")])
    doc = WRES.build(context(WRES, nhs({"staff": staff}, values={"grade": {"Grade X": "Band 5"}})))
    assert doc.table("wres_1_non_clinical").data.set_index("row").loc["Band 5", "white"] == 3


def test_rule5_validate_lists_unrecognised_grades_with_a_mapping_line(tmp_path: Path, capsys) -> None:
    staff = staff_rows([(3, WHITE, "Grade X", "Administrative and Clerical", "none"),
                        (2, WHITE, "Band 4 Medical Secretary", "Administrative and Clerical", "none"),
                        (1, BME, "Chief Executive", "Administrative and Clerical", "none"),
                        (4, WHITE, "Non-executive director", "Board", "voting_non_executive")])
    staff["directly_employed"] = ["yes"] * 6 + ["no"] * 4  # non-executives have no pay band to find
    staff.to_csv(tmp_path / "staff.csv", index=False)
    (tmp_path / "dataset.toml").write_text('organisation = "T"\nsector = "nhs"\nperiod_start = 2025-04-01\n'
                                           'period_end = 2026-03-31\n')
    res = run_cli(["validate", tmp_path], capsys)
    assert res.code == 0
    assert "Grades not recognised as a pay band: 3 staff" in res.out
    assert "Grade X" in res.out and "Non-executive director" not in res.out
    assert 'values.grade = { "Grade X" = "Band ?" }' in res.out
    res = run_cli(["validate", tmp_path, "--json"], capsys)
    assert '"unrecognised_grades"' in res.out
    # the line, filled in, maps the grade and validate no longer lists it
    with (tmp_path / "dataset.toml").open("a") as f:
        f.write('\n[tables.staff]\nvalues.grade = { "Grade X" = "Band 5" }\n')
    res = run_cli(["validate", tmp_path], capsys)
    assert "Grades not recognised" not in res.out


# --- rule 7: small groups ----------------------------------------------------------------------

def applications(rows: list[tuple[int, str, bool, bool]]) -> pd.DataFrame:
    """(number of applications, ethnicity code, shortlisted, appointed) to an applications table."""
    records = []
    for n, eth, shortlisted, appointed in rows:
        for _ in range(n):
            records.append({"application_id": f"A{len(records):05d}", "ethnicity": eth,
                            "shortlisted": shortlisted, "appointed": appointed})
    return pd.DataFrame(records)


SMALL_STAFF = staff_rows([(60, WHITE, "Band 5", "Administrative and Clerical", "none"),
                          (20, BME, "Band 5", "Administrative and Clerical", "none")])
# White: 10 of 50 shortlisted appointed; BME: 3 of 6 (a group below the minimum of 10)
SMALL_APPS = applications([(40, WHITE, True, False), (10, WHITE, True, True), (3, BME, True, False),
                           (3, BME, True, True), (7, BME, False, False)])


def test_rule7_small_group_ratio_with_caution() -> None:
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "applications": SMALL_APPS})))
    rr = (10 / 50) / (3 / 6)  # 0.4
    se = math.sqrt(1 / 10 - 1 / 50 + 1 / 3 - 1 / 6)
    assert value(doc, "wres.2.relative_likelihood") == pytest.approx(rr)
    assert value(doc, "wres.2.relative_likelihood.ci_low") == pytest.approx(rr * math.exp(-Z * se))
    assert value(doc, "wres.2.relative_likelihood.ci_high") == pytest.approx(rr * math.exp(Z * se))
    assert value(doc, "wres.2.band") == "outside the non-adverse range (below 0.80)"
    caution = value(doc, "wres.2.caution")
    assert caution.startswith("the BME group has fewer than 10 applicants (shortlisted)")
    assert doc.figures["wres.2.relative_likelihood"].note == caution
    text = text_of(doc)
    assert "White applicants were 0.40 times as likely to be appointed from shortlisting" in text
    assert "Caution: the BME group has fewer than 10 applicants (shortlisted), so this ratio is uncertain" in text
    # indicators with groups of 10 or more carry no caution
    assert "wres.3.caution" not in doc.figures and "wres.4.caution" not in doc.figures


def test_rule7_minimum_group_sets_the_caution_not_the_value() -> None:
    ds = nhs({"staff": SMALL_STAFF, "applications": SMALL_APPS})
    doc = WRES.build(context(WRES, ds, minimum_group="5"))
    assert value(doc, "wres.2.relative_likelihood") == pytest.approx(0.4)
    assert "wres.2.caution" not in doc.figures


def test_rule7_publication_suppression_stays_with_disclosure_control() -> None:
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "applications": SMALL_APPS}), "publication"))
    apply_disclosure(doc, 10)
    assert doc.figures["wres.2.relative_likelihood"].suppressed  # 3 and 6 are below the threshold
    assert doc.figures["wres.2.caution"].suppressed
    text = text_of(doc)
    assert "is not shown, to protect individuals" in text and "Caution: the BME group" not in text


def test_rule7_not_calculable_only_for_a_zero_denominator_or_comparison_rate() -> None:
    apps = applications([(40, WHITE, True, True), (2, BME, True, False)])  # BME rate 0 of 2
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "applications": apps})))
    fig = doc.figures["wres.2.relative_likelihood"]
    assert fig.value is None and fig.note == "no one in the comparison group had the outcome"
    assert "wres.2.caution" not in doc.figures
    apps = applications([(40, WHITE, True, True), (5, BME, False, False)])  # no BME shortlisted
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "applications": apps})))
    assert doc.figures["wres.2.relative_likelihood"].note == "one of the groups is empty"
    apps = applications([(40, WHITE, True, False), (10, WHITE, True, True), (3, BME, True, False)])
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "applications": apps})))
    assert value(doc, "wres.2.relative_likelihood") is None  # (10/50) / (0/3): division by zero
    # the other direction: none of the first group, so 0 with a caution and no interval
    apps = applications([(40, WHITE, True, False), (10, WHITE, True, False), (3, BME, True, True)])
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "applications": apps})))
    assert value(doc, "wres.2.relative_likelihood") == 0.0
    assert value(doc, "wres.2.relative_likelihood.ci_low") is None and "wres.2.caution" in doc.figures


def sc(tables: dict[str, pd.DataFrame]) -> object:
    return dataset_from_frames(tables, organisation="Rule Test Council", period_start=date(2025, 4, 1),
                               period_end=date(2026, 3, 31), sector="social_care")


def test_rule7_sc_wres_small_group_ratio_with_caution() -> None:
    staff = staff_rows([(40, WHITE, "Grade 5", None, "none"), (8, BME, "Grade 5", None, "none")])
    staff = staff.drop(columns=["staff_group", "board_role"]).assign(service="adults")
    disc = pd.DataFrame({"case_id": [f"C{i}" for i in range(7)],
                         "person_id": ["E00000", "E00001", "E00002", "E00003", "E00003", "E00040", "E00041"]})
    doc = SC_WRES.build(context(SC_WRES, sc({"staff": staff, "disciplinary": disc})))
    # minority ethnic 2 of 8 entered, White 4 of 40 (one person with two cases counts once)
    rr = (2 / 8) / (4 / 40)
    se = math.sqrt(1 / 2 - 1 / 8 + 1 / 4 - 1 / 40)
    for key in ("sc-wres.3", "sc-wres.adults.3"):
        assert value(doc, f"{key}.relative_likelihood") == pytest.approx(rr)
        assert value(doc, f"{key}.relative_likelihood.ci_low") == pytest.approx(rr * math.exp(-Z * se))
        assert value(doc, f"{key}.caution").startswith("the Minority ethnic group has fewer than 10 staff")
    assert "Minority ethnic staff were 2.50 times as likely to enter the formal disciplinary process" in text_of(doc)


# --- rule 8: survey results as given ----------------------------------------------------------

def survey(rows: list[tuple], columns=("question", "group", "respondents", "positive", "percentage")) -> pd.DataFrame:
    """A staff_survey table; a column given for no row is left out, as a user's file would."""
    return pd.DataFrame(rows, columns=list(columns)).dropna(axis=1, how="all")


NAN = float("nan")


def test_rule8_survey_percentages_as_given() -> None:
    # percentages only: 31.9% of 329 is 104.95 people, which rounding would turn into 31.91%
    given = survey([("harassment_public", "White", 329, NAN, 31.9), ("harassment_public", "BME", 120, NAN, 40.25)])
    ds = nhs({"staff": SMALL_STAFF, "staff_survey": given})
    doc = WRES.build(context(WRES, ds))
    assert value(doc, "wres.5.white.pct") == 31.9  # exactly as given, not 105 / 329
    assert value(doc, "wres.5.bme.pct") == 40.25
    assert value(doc, "wres.5.difference_pp") == pytest.approx(40.25 - 31.9)
    table = doc.table("wres_5")
    assert table.data["pct"].tolist() == [31.9, 40.25]
    assert table.data["positive"].isna().all()  # not given, so not shown ([x]), never invented
    assert table.column("pct").decimals == 2  # shows 40.25 as given
    text = text_of(doc)
    assert "Share of respondents answering yes: White, 31.90%; BME, 40.25%." in text


def test_rule8_percentages_from_a_percent_formatted_column_are_scaled() -> None:
    given = survey([("harassment_public", "White", 200, NAN, 0.25), ("harassment_public", "BME", 80, NAN, 0.35)])
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "staff_survey": given})))
    assert value(doc, "wres.5.white.pct") == 25.0 and value(doc, "wres.5.bme.pct") == 35.0


def test_rule8_survey_counts_used_when_given() -> None:
    given = survey([("harassment_staff", "White", 329, 105, NAN), ("harassment_staff", "BME", 120, 48, NAN)])
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "staff_survey": given})))
    assert value(doc, "wres.6.white.pct") == pytest.approx(105 / 329 * 100)
    assert value(doc, "wres.6.bme.pct") == pytest.approx(40.0)
    assert doc.table("wres_6").data["positive"].tolist() == [105, 48]


def test_rule8_a_yes_from_one_group_only_withholds_the_other_groups_zero() -> None:
    """"White: 17 respondents, 0 answered yes; BME [c]" said everyone reporting discrimination was
    BME (a disclosure adversary's): the White 0 is withheld with its percentage, and the
    difference with them; the respondents stay."""
    given = survey([("discrimination", "White", 170, 0, NAN), ("discrimination", "BME", 40, 3, NAN)])
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "staff_survey": given})))
    apply_disclosure(doc)
    table = doc.table("wres_8")
    assert {(0, "positive"), (0, "pct"), (1, "positive"), (1, "pct")} <= table.suppressed
    assert (0, "positive") in table.grouped
    assert (0, "respondents") not in table.suppressed and (1, "respondents") not in table.suppressed
    assert doc.figures["wres.8.difference_pp"].suppressed
    # both groups answering yes: the zero-free table is shown as it is
    given = survey([("discrimination", "White", 170, 12, NAN), ("discrimination", "BME", 40, 11, NAN)])
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "staff_survey": given})))
    apply_disclosure(doc)
    assert not doc.table("wres_8").suppressed


def test_rule8_both_given_counts_for_the_rate_and_a_warning_when_they_disagree(tmp_path: Path, capsys) -> None:
    given = survey([("harassment_colleague", "Minority ethnic", 80, 30, 37.5),  # 30 / 80 = 37.5%: consistent
                    ("harassment_colleague", "White", 200, 40, 25.0)])  # 40 / 200 = 20%, not 25%
    staff = SMALL_STAFF.drop(columns=["staff_group", "board_role"])
    ctx = context(SC_WRES, sc({"staff": staff, "staff_survey": given}))
    doc = SC_WRES.build(ctx)
    assert value(doc, "sc-wres.7a.white.pct") == 25.0  # published as given
    assert value(doc, "sc-wres.7a.minority_ethnic.pct") == 37.5
    assert value(doc, "sc-wres.7a.relative_likelihood") == pytest.approx((30 / 80) / (40 / 200))  # from counts
    assert not ctx.warnings  # the check says it, once, before the build (run carries it into the build's)
    warnings = [str(w) for w in SC_WRES.check(ctx)]
    assert len(warnings) == 1
    assert "harassment_colleague, White" in warnings[0] and "(40 of 200 = 20.0%)" in warnings[0]
    # the same check in validate --report
    given.to_csv(tmp_path / "staff_survey.csv", index=False)
    staff.to_csv(tmp_path / "staff.csv", index=False)
    (tmp_path / "dataset.toml").write_text('organisation = "T"\nsector = "social_care"\nperiod_start = 2025-04-01\n'
                                           'period_end = 2026-03-31\n')
    res = run_cli(["validate", tmp_path, "--report", "sc-wres"], capsys)
    assert res.code == 0 and "does not match positive / respondents (40 of 200 = 20.0%)" in res.out
    # and once in a run (the check's warnings open the build's)
    res = run_cli(["run", "sc-wres", "--data", tmp_path, "--out", tmp_path / "out", "--format", "json"], capsys)
    assert res.code == 0 and (res.out + res.err).count("(40 of 200 = 20.0%)") == 1, res.out + res.err
    # within rounding (a whole-number percentage) there is no warning
    ctx = context(WRES, nhs({"staff": SMALL_STAFF, "staff_survey": survey(
        [("discrimination", "White", 329, 105, 32.0), ("discrimination", "BME", 120, 48, 40.0)])}))
    doc = WRES.build(ctx)
    assert not ctx.warnings and value(doc, "wres.8.white.pct") == 32.0


def test_rule8_publication_withholds_a_percentage_whose_implied_count_is_small() -> None:
    given = survey([("harassment_public", "White", 200, NAN, 25.0), ("harassment_public", "BME", 80, NAN, 5.0)])
    doc = WRES.build(context(WRES, nhs({"staff": SMALL_STAFF, "staff_survey": given}), "publication"))
    apply_disclosure(doc, 10)
    assert doc.figures["wres.5.bme.pct"].suppressed  # 5% of 80 is 4 people
    assert not doc.figures["wres.5.white.pct"].suppressed


# --- rule 9: SC-WRES 6, 7a and 7b as relative likelihoods ---------------------------------------

SC_STAFF = pd.concat([
    staff_rows([(50, WHITE, "Grade 5", None, "none"), (30, BME, "Grade 5", None, "none")]).assign(service="Adults"),
    staff_rows([(40, WHITE, "Grade 6", None, "none"), (20, BME, "Grade 6", None, "none")], start=500)
    .assign(service="Childrens"),
], ignore_index=True).drop(columns=["staff_group", "board_role"])

# per question: (adults ME respondents, yes, adults White respondents, yes, childrens ME ..., childrens White ...)
SC_SURVEY = {"harassment_public": (40, 12, 100, 20, 30, 6, 50, 10),
             "harassment_colleague": (40, 10, 100, 15, 30, 9, 50, 5),
             "harassment_manager": (40, 8, 100, 5, 30, 3, 50, 2)}


def sc_survey() -> pd.DataFrame:
    rows = []
    for question, (am, ay, aw, awy, cm, cy, cw, cwy) in SC_SURVEY.items():
        rows += [(question, "minority_ethnic", am, ay, "adults"), (question, "white", aw, awy, "adults"),
                 (question, "Minority ethnic", cm, cy, "CHILDRENS"), (question, "White", cw, cwy, "childrens")]
    return pd.DataFrame(rows, columns=["question", "group", "respondents", "positive", "service"])


def rr_ci(a1: float, n1: float, a2: float, n2: float) -> tuple[float, float, float]:
    rr = (a1 / n1) / (a2 / n2)
    se = math.sqrt(1 / a1 - 1 / n1 + 1 / a2 - 1 / n2)
    return rr, rr * math.exp(-Z * se), rr * math.exp(Z * se)


def test_rule9_sc_wres_survey_relative_likelihood_by_service() -> None:
    doc = SC_WRES.build(context(SC_WRES, sc({"staff": SC_STAFF, "staff_survey": sc_survey()})))
    for number, question in (("6", "harassment_public"), ("7a", "harassment_colleague"), ("7b", "harassment_manager")):
        am, ay, aw, awy, cm, cy, cw, cwy = SC_SURVEY[question]
        expected = {f"sc-wres.{number}": rr_ci(ay + cy, am + cm, awy + cwy, aw + cw),  # services pooled
                    f"sc-wres.adults.{number}": rr_ci(ay, am, awy, aw),
                    f"sc-wres.childrens.{number}": rr_ci(cy, cm, cwy, cw)}
        for key, (rr, low, high) in expected.items():
            assert value(doc, f"{key}.relative_likelihood") == pytest.approx(rr), key
            assert value(doc, f"{key}.relative_likelihood.ci_low") == pytest.approx(low), key
            assert value(doc, f"{key}.relative_likelihood.ci_high") == pytest.approx(high), key
            assert f"{key}.difference_pp" not in doc.figures
        assert value(doc, f"sc-wres.{number}.minority_ethnic.pct") == pytest.approx((ay + cy) / (am + cm) * 100)
        assert value(doc, f"sc-wres.adults.{number}.white.pct") == pytest.approx(awy / aw * 100)
    # 6, whole workforce: (18/70) / (30/150) = 1.29; adults (12/40) / (20/100) = 1.50; children's 1.00
    assert value(doc, "sc-wres.6.relative_likelihood") == pytest.approx(1.2857142857)
    assert value(doc, "sc-wres.adults.6.relative_likelihood") == pytest.approx(1.5)
    assert value(doc, "sc-wres.childrens.6.relative_likelihood") == pytest.approx(1.0)
    assert value(doc, "sc-wres.7b.band") == "outside the non-adverse range (above 1.25)"
    assert value(doc, "sc-wres.childrens.6.band").startswith("within the non-adverse range")
    text = text_of(doc)
    assert ("Minority ethnic respondents were 1.29 times as likely as White respondents to report experiencing "
            "harassment, bullying or abuse from people who use services, their relatives or the public (95% "
            "confidence interval") in text
    assert "Minority ethnic, 25.7%; White, 20.0%." not in text  # groups in table order
    # the measure is explained before its shares are given (they opened the section, unexplained)
    assert ("divided by the share of White respondents. A value of 1 means equally likely; above 1, minority "
            "ethnic respondents were more likely.\n\nShare of respondents answering yes: White, 20.0%; minority "
            "ethnic, 25.7%.") in text
    assert "come from the survey rows for each service" in text
    titles = [s.title for _, s in doc.walk()]
    assert "Adults: Metric 7b: staff experiencing harassment, bullying or abuse from managers" in titles
    summary = doc.table("sc_wres_summary").data.set_index("number")
    assert summary.loc["6", "value"] == "1.29"  # the headline is the ratio, not a difference in points
    assert summary.loc["7a", "value"] == f"{(19 / 70) / (20 / 150):.2f}"
    assert summary.loc["7a", "reading"] == "outside the non-adverse range (above 1.25)"
    # each relative likelihood with its 95% limits; a share or difference has none ([z])
    am, ay, aw, awy, cm, cy, cw, cwy = SC_SURVEY["harassment_public"]
    _, low, high = rr_ci(ay + cy, am + cm, awy + cwy, aw + cw)
    assert (summary.loc["6", "ci_low"], summary.loc["6", "ci_high"]) == (f"{low:.2f}", f"{high:.2f}")
    assert (summary.loc["1", "ci_low"], summary.loc["9", "ci_high"]) == ("[z]", "[z]")
    # every service has its own summary, titled with the service, its values its own figures
    adults = doc.table("sc_wres_adults_summary")
    assert adults.title == "Adults: summary of the metrics"
    assert adults.data.set_index("number").loc["6", "value"] == "1.50"


def test_rule9_whole_workforce_rows_are_used_when_the_survey_gives_them() -> None:
    extra = pd.DataFrame([("harassment_public", "Minority ethnic", 100, 30, "All"),
                          ("harassment_public", "White", 200, 40, None)],
                         columns=["question", "group", "respondents", "positive", "service"])
    doc = SC_WRES.build(context(SC_WRES, sc({"staff": SC_STAFF, "staff_survey": pd.concat([sc_survey(), extra])})))
    assert value(doc, "sc-wres.6.relative_likelihood") == pytest.approx((30 / 100) / (40 / 200))
    assert value(doc, "sc-wres.adults.6.relative_likelihood") == pytest.approx(1.5)
    am, ay, aw, awy, cm, cy, cw, cwy = SC_SURVEY["harassment_colleague"]  # no overall rows: services pooled
    assert value(doc, "sc-wres.7a.relative_likelihood") == pytest.approx(((ay + cy) / (am + cm)) / ((awy + cwy) / (aw + cw)))


def test_rule9_percentages_only_give_the_ratio_of_the_percentages() -> None:
    given = survey([("harassment_public", "Minority ethnic", 80, NAN, 30.0), ("harassment_public", "White", 200, NAN, 20.0)])
    doc = SC_WRES.build(context(SC_WRES, sc({"staff": SC_STAFF, "staff_survey": given})))
    rr, low, high = rr_ci(24, 80, 40, 200)  # the numbers answering yes implied by the percentages
    assert value(doc, "sc-wres.6.relative_likelihood") == pytest.approx(30.0 / 20.0) == pytest.approx(rr)
    assert value(doc, "sc-wres.6.relative_likelihood.ci_low") == pytest.approx(low)
    assert value(doc, "sc-wres.6.minority_ethnic.pct") == 30.0
    # without a service column the survey is reported for the whole workforce only
    assert "sc-wres.adults.6.relative_likelihood" not in doc.figures
    assert "reported for the whole workforce only" in text_of(doc)


def test_rule9_small_survey_group_ratio_with_caution() -> None:
    given = survey([("harassment_manager", "Minority ethnic", 8, 4, NAN), ("harassment_manager", "White", 200, 40, NAN)])
    doc = SC_WRES.build(context(SC_WRES, sc({"staff": SC_STAFF, "staff_survey": given})))
    rr, low, high = rr_ci(4, 8, 40, 200)
    assert value(doc, "sc-wres.7b.relative_likelihood") == pytest.approx(rr)
    assert value(doc, "sc-wres.7b.relative_likelihood.ci_high") == pytest.approx(high)
    assert value(doc, "sc-wres.7b.caution").startswith("the Minority ethnic group has fewer than 10 respondents")
    assert "Caution: the Minority ethnic group has fewer than 10 respondents" in text_of(doc)


# --- rule 6: the two-year rolling average pools both years --------------------------------------

def cases(person_ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"case_id": [f"C{i}" for i in range(len(person_ids))], "person_id": person_ids})


def two_years(sector: str = "nhs"):
    """This year: White 60, BME 20 staff; 3 White and 4 BME people entered (one BME twice).
    Last year: White 100, BME 10 staff; 10 White and 1 BME entered."""
    this_staff = SMALL_STAFF if sector == "nhs" else SMALL_STAFF.drop(columns=["staff_group", "board_role"])
    this_cases = cases(["E00000", "E00001", "E00002", "E00060", "E00061", "E00062", "E00063", "E00063"])
    last_staff = staff_rows([(100, WHITE, "Band 5", "Administrative and Clerical", "none"),
                             (10, BME, "Band 5", "Administrative and Clerical", "none")], start=1000)
    if sector != "nhs":
        last_staff = last_staff.drop(columns=["staff_group", "board_role"])
    last_cases = cases([f"E{1000 + i:05d}" for i in range(10)] + ["E01100"])
    make = nhs if sector == "nhs" else sc
    this = make({"staff": this_staff, "disciplinary": this_cases})
    last = dataset_from_frames({"staff": last_staff, "disciplinary": last_cases}, organisation="Last year",
                               period_start=date(2024, 4, 1), period_end=date(2025, 3, 31), sector=this.sector)
    return this, last


def test_rule6_rolling_average_pools_two_years() -> None:
    this, last = two_years()
    ctx = context(WRES, this, rolling_average="true")
    ctx.previous = last
    doc = WRES.build(ctx)
    assert value(doc, "wres.3.relative_likelihood") == pytest.approx((4 / 20) / (3 / 60))  # 4.0 this year
    assert value(doc, "wres.3.relative_likelihood.previous") == pytest.approx((1 / 10) / (10 / 100))  # 1.0 last year
    rr, low, high = rr_ci(4 + 1, 20 + 10, 3 + 10, 60 + 100)  # (5/30) / (13/160) = 2.05
    fid = "wres.3.relative_likelihood.rolling_average"
    assert value(doc, fid) == pytest.approx(rr) == pytest.approx(2.0512820513)
    assert value(doc, fid) != pytest.approx((4.0 + 1.0) / 2)  # never the mean of the two ratios (2.5)
    assert value(doc, f"{fid}.ci_low") == pytest.approx(low)
    assert value(doc, f"{fid}.ci_high") == pytest.approx(high)
    assert value(doc, "wres.3.rolling_average.bme.rate") == pytest.approx(5 / 30 * 100)
    assert value(doc, "wres.3.rolling_average.white.rate") == pytest.approx(13 / 160 * 100)
    table = doc.table("wres_3_rolling_average").data.set_index("group")
    assert table.loc["BME", ["base_this", "base_last", "base", "outcome_this", "outcome_last", "outcome"]].tolist() == \
        [20, 10, 30, 4, 1, 5]
    assert table.loc["White", ["base", "outcome"]].tolist() == [160, 13]
    text = text_of(doc)
    assert "Over the two years, BME staff were 2.05 times as likely to enter the formal disciplinary process as " \
           "White staff (95% confidence interval" in text
    assert "not the average of the two yearly ratios" in text


def test_rule6_rolling_average_not_calculable_from_published_figures_alone() -> None:
    from equality_reports.document import Figure

    this, _ = two_years()
    ctx = context(WRES, this, rolling_average="true")
    ctx.previous_figures = {"wres.3.relative_likelihood": Figure("wres.3.relative_likelihood", "Last year", 1.0, "ratio")}
    doc = WRES.build(ctx)
    fig = doc.figures["wres.3.relative_likelihood.rolling_average"]
    assert fig.value is None and fig.note == "last year's counts are not available"
    assert value(doc, "wres.3.relative_likelihood.previous") == 1.0  # the yearly comparison still works
    assert "that two-year figure is not given here, because last year's counts are not available." in text_of(doc)
    assert "The two years are pooled" not in text_of(doc)  # no method for a figure not given
    # the operator is told how to give them; the publication never names an option
    assert any("give last year's dataset folder with --compare" in n for n in ctx.operator_notes)
    assert "--compare" not in text_of(doc)
    # by default too, without --compare at all: the report says the two-year figure is not available
    ctx = context(WRES, this)
    doc = WRES.build(ctx)
    assert doc.figures["wres.3.relative_likelihood.rolling_average"].note == "last year's counts are not available"
    assert any("--compare" in n for n in ctx.operator_notes)
    # and leaves it out when asked
    assert "wres.3.relative_likelihood.rolling_average" not in WRES.build(context(WRES, this, rolling_average="false")).figures


def test_rule6_sc_wres_metric_3_rolling_average_pools_two_years() -> None:
    this, last = two_years("social_care")
    ctx = context(SC_WRES, this, rolling_average="true")
    ctx.previous = last
    doc = SC_WRES.build(ctx)
    rr, low, high = rr_ci(5, 30, 13, 160)
    assert value(doc, "sc-wres.3.relative_likelihood.rolling_average") == pytest.approx(rr)
    assert value(doc, "sc-wres.3.relative_likelihood.rolling_average.ci_high") == pytest.approx(high)
    assert value(doc, "sc-wres.3.rolling_average.minority_ethnic.rate") == pytest.approx(5 / 30 * 100)
    assert "Over the two years, minority ethnic staff were 2.05 times as likely" in text_of(doc)


def test_rule6_publication_withholds_a_pooled_ratio_built_on_small_counts() -> None:
    this, last = two_years()
    ctx = context(WRES, this, "publication", rolling_average="true")
    ctx.previous = last
    doc = WRES.build(ctx)
    apply_disclosure(doc, 10)
    assert doc.figures["wres.3.relative_likelihood.rolling_average"].suppressed  # 5 BME entrants over two years


def test_rule6_publication_keeps_either_years_withheld_counts_withheld_in_the_pooled_table() -> None:
    # this year 4 BME people entered (withheld), last year 12 (published last year): the pooled 16
    # would give this year's 4 away, so it is withheld too, and so is the ratio built on it
    this = nhs({"staff": SMALL_STAFF, "disciplinary": cases(
        [f"E{i:05d}" for i in range(12)] + [f"E{60 + i:05d}" for i in range(4)])})
    last_staff = staff_rows([(100, WHITE, "Band 5", "Administrative and Clerical", "none"),
                             (40, BME, "Band 5", "Administrative and Clerical", "none")], start=1000)
    last = dataset_from_frames({"staff": last_staff, "disciplinary": cases(
        [f"E{1000 + i:05d}" for i in range(15)] + [f"E{1100 + i:05d}" for i in range(12)])},
        organisation="Last year", period_start=date(2024, 4, 1), period_end=date(2025, 3, 31), sector="nhs")
    ctx = context(WRES, this, "publication", rolling_average="true")
    ctx.previous = last
    doc = WRES.build(ctx)
    apply_disclosure(doc, 10)
    table = doc.table("wres_3_rolling_average")
    bme = table.row_position("BME")
    assert {(bme, "outcome_this"), (bme, "outcome")} <= table.suppressed
    assert doc.figures["wres.3.relative_likelihood.rolling_average"].suppressed
    assert doc.figures["wres.3.rolling_average.bme.rate"].suppressed
    # the number who entered is no public total (Table.private_totals), so White's 12 need not be
    # withheld to protect the BME 4: it is published in this year's own table, and so here
    yearly = doc.table("wres_3")
    assert (yearly.row_position("White"), "outcome") not in yearly.suppressed
    assert yearly.data.at[yearly.row_position("White"), "outcome"] == 12
    assert (table.row_position("White"), "outcome_this") not in table.suppressed
    assert (table.row_position("White"), "outcome_last") not in table.suppressed  # 15, published last year
    # internally (a return to NHS England) nothing is withheld: (4+12)/(20+40) over (12+15)/(60+100)
    ctx = context(WRES, this, rolling_average="true")
    ctx.previous = last
    rr, _, _ = rr_ci(16, 60, 27, 160)
    assert value(WRES.build(ctx), "wres.3.relative_likelihood.rolling_average") == pytest.approx(rr)


def test_a_small_unknown_outcome_leaves_the_indicator_published_unless_the_run_gives_its_total(
        make_dataset, report_runner) -> None:
    # 100 White, 60 BME and 20 not stated; 12 White, 11 BME and 3 not stated people disciplined.
    # Nobody publishes how many were disciplined, so the 3 is safe with both others published;
    # once the RRAA report publishes the total beside them, the audit keeps the 3 from following
    staff = staff_table({"A": 100, "N": 60, "Z": 20}, grade="Band 5", staff_group="Administrative and Clerical")
    people = list(staff["person_id"])
    disciplined = people[:12] + people[100:111] + people[160:163]
    data = make_dataset({"staff": staff, "disciplinary": cases(disciplined)}, sector="nhs")
    alone = report_runner("wres", data, formats=("json",))
    assert alone.exit_code == 0, alone.output
    rows = alone.table("wres_3").set_index("Ethnic group")["Entered the formal disciplinary process"]
    assert rows.to_dict() == {"BME": 11, "White": 12, "Unknown": "[c]"}
    assert alone.figures()["wres.3.relative_likelihood"] == pytest.approx((11 / 60) / (12 / 100), abs=0.005)
    both = report_runner("wres", data, formats=("json",), extra_args=["rraa-employment"])
    assert both.exit_code == 0, both.output
    published = both.table("wres_3").set_index("Ethnic group")["Entered the formal disciplinary process"]
    rraa = json.loads((both.out / "rraa-employment.json").read_text())["tables"]["disciplinary"]
    total = rraa["rows"][-1][2]
    shown = [v for v in published.to_list() if v != "[c]"]
    assert total == "[c]" or len(shown) < 2  # never the total and both others beside the withheld 3
