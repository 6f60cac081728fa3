"""Issue 9's rules 5-9 in the NHS WRES and the Social Care WRES, against hand-computed numbers.

Each test is named after the rule it checks. Datasets go through the intake layer
(``dataset_from_frames``), so ethnicity is classified as it is for real files.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from helpers_cli import run_cli
from helpers_wres import context

from equality_reports import stats
from equality_reports.disclosure import apply_disclosure
from equality_reports.intake import dataset_from_frames
from equality_reports.measures.grades import classify_grades, grade_mapping_line, parse_grade, unrecognised_grades
from equality_reports.narrative import render_narrative
from equality_reports.templating import TextRenderer
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
    render_narrative(doc, TextRenderer())
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
    quality = doc.table("data_quality").data.set_index("measure")
    assert quality.loc["Grade not recognised as a pay band", "records"] == 0


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
    assert "withheld ([c])" in text and "Caution: the BME group" not in text


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
