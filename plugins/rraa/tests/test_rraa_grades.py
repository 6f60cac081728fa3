"""Grade ordering and the choice of senior staff."""

import pandas as pd

from equality_reports.measures.grades import order_grades
from equality_reports_rraa.grades import parse_list, senior_mask


def test_natural_order_is_numeric_aware():
    assert order_grades(["Grade 10", "Grade 2", "Grade 1", "SO2", "SO1", "Grade 9"]) == [
        "Grade 1", "Grade 2", "Grade 9", "Grade 10", "SO1", "SO2"]
    assert order_grades(["Band 9", "Band 8b", "Band 8a"]) == ["Band 8a", "Band 8b", "Band 9"]


def test_pay_order_puts_nhs_bands_in_the_wres_order() -> None:
    """AfC bands, VSM and the medical subgroups in the order of the WRES template, then the rest."""
    assert order_grades(["Consultants", "VSM", "Band 8a", "Under Band 1", "Band 2", "Grade 3"]) == [
        "Under Band 1", "Band 2", "Band 8a", "VSM", "Consultants", "Grade 3"]


def test_grades_without_a_number_come_after_numbered_ones():
    assert order_grades(["Chief Officer", "Grade 10", "Director", "Grade 2"]) == [
        "Grade 2", "Grade 10", "Chief Officer", "Director"]


def test_explicit_order_comes_first_then_the_rest_naturally():
    assert order_grades(["PO1", "SO1", "Scale 3", "Chief Officer", "Scale 1"],
                        ["Scale 1", "Scale 3", "SO1", "PO1"]) == [
        "Scale 1", "Scale 3", "SO1", "PO1", "Chief Officer"]


def test_parse_list_accepts_commas_and_semicolons():
    assert parse_list(" G1, G2;G3 ,") == ["G1", "G2", "G3"]
    assert parse_list("") == []


def staff(grades, senior=None):
    frame = pd.DataFrame({"grade": pd.array(grades, dtype="string")})
    if senior is not None:
        frame["senior_manager"] = pd.array(senior, dtype="boolean")
    return frame


def test_default_is_senior_manager_flag_when_recorded():
    frame = staff(["G1", "G2", "G9"], [True, None, False])
    mask, how = senior_mask(frame, ["G1", "G2", "G9"], "")
    assert mask.tolist() == [True, False, False]
    assert how == "staff in senior management posts"


def test_default_without_flag_is_top_quarter_of_grades_rounded_up():
    grades = [f"G{i}" for i in range(1, 6)]  # 5 grades -> top 2 (ceil(5/4))
    frame = staff(["G1", "G4", "G5", "G3", None])
    mask, how = senior_mask(frame, grades, "")
    assert mask.tolist() == [False, True, True, False, False]
    assert how == "the top quarter of grades (G4 and G5)"


def test_top_n_and_named_grades_override_the_flag():
    frame = staff(["G1", "G2", "G3"], [True, True, True])
    assert senior_mask(frame, ["G1", "G2", "G3"], "1")[0].tolist() == [False, False, True]
    mask, how = senior_mask(frame, ["G1", "G2", "G3"], "G1,G2")
    assert mask.tolist() == [True, True, False]
    assert how == "the grades chosen for this report (G1 and G2)"


def test_no_grade_and_no_flag_means_no_senior_analysis():
    mask, how = senior_mask(pd.DataFrame({"x": [1, 2]}), [], "")
    assert not mask.any() and how == ""
