"""Grade ordering and the choice of senior staff."""

import pandas as pd

from equality_reports.measures.grades import order_grades, pay_scales
from equality_reports_rraa.grades import parse_list, senior_mask


def test_natural_order_is_numeric_aware():
    assert order_grades(["Grade 10", "Grade 2", "Grade 1", "SO2", "SO1", "Grade 9"]) == [
        "Grade 1", "Grade 2", "Grade 9", "Grade 10", "SO1", "SO2"]
    assert order_grades(["Band 9", "Band 8b", "Band 8a"]) == ["Band 8a", "Band 8b", "Band 9"]


def test_pay_order_lists_each_pay_scale_lowest_first() -> None:
    """AfC bands and VSM, then medical and dental grades from trainees to consultants, then the rest."""
    assert order_grades(["Consultants", "VSM", "Band 8a", "Under Band 1", "Band 2", "Grade 3"]) == [
        "Under Band 1", "Band 2", "Band 8a", "VSM", "Consultants", "Grade 3"]
    trust = ["Consultant", "Specialty Doctor", "Foundation Year 2", "Band 5", "VSM", "Foundation Year 1",
             "Specialty Registrar", "Band 8a"]
    assert order_grades(trust) == ["Band 5", "Band 8a", "VSM", "Foundation Year 1", "Foundation Year 2",
                                   "Specialty Registrar", "Specialty Doctor", "Consultant"]
    assert pay_scales(trust)["Specialty Doctor"] == "medical and dental grades"
    assert pay_scales(trust)["VSM"] == "Agenda for Change bands and VSM"


def test_a_councils_chief_executive_is_on_its_own_grade_list_not_the_nhs_one() -> None:
    """Without Agenda for Change bands an executive grade is just another grade without a number:
    after the numbered grades, not before them."""
    council = ["Grade 10", "Chief Executive", "Grade 2", "Chief Officer"]
    assert order_grades(council) == ["Grade 2", "Grade 10", "Chief Executive", "Chief Officer"]
    assert set(pay_scales(council).values()) == {"other grades"}


def test_top_quarter_of_grades_is_taken_on_each_pay_scale() -> None:
    grades = order_grades(["Band 2", "Band 3", "Band 5", "Band 6", "Band 7", "Foundation Year 1", "Consultant"])
    frame = staff(["Band 2", "Band 7", "Band 6", "Foundation Year 1", "Consultant"])
    mask, how = senior_mask(frame, grades, "")
    # 5 bands -> top 2; 2 medical grades -> top 1
    assert mask.tolist() == [False, True, True, False, True]
    assert how == "the top quarter of grades on each pay scale (Band 6, Band 7 and Consultant)"


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
    assert how == "the staff whom the HR record marks as senior managers"


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
