"""The 150-FTE test and the further monitoring: boundary, overrides, voluntary marking, tables."""

import pandas as pd
import pytest
from helpers_rraa import P, build, dataset, rows, section_titles, staff_frame, value

from equality_reports_rraa.monitoring import organisation_size


def tenths(n):
    """``n`` staff at 0.1 FTE each: float sums that must still compare exactly."""
    return staff_frame("A" * n, fte=0.1)


def test_boundary_149_9_is_small_and_150_0_is_large():
    small, large = organisation_size(tenths(1499), 150, None), organisation_size(tenths(1500), 150, None)
    assert (small.fte, small.large) == (149.9, False)
    assert (large.fte, large.large) == (150.0, True)


def test_boundary_through_the_report_figures():
    doc, _ = build(dataset(tenths(1499)))
    assert value(doc, "fte.total") == pytest.approx(149.9) and value(doc, "large_body") == 0
    doc, _ = build(dataset(tenths(1500)))
    assert value(doc, "fte.total") == pytest.approx(150.0) and value(doc, "large_body") == 1


def test_threshold_and_large_body_options():
    ds = dataset(tenths(1500))
    assert value(build(ds, fte_threshold="150.1")[0], "large_body") == 0
    assert value(build(ds, large_body="false")[0], "large_body") == 0
    assert value(build(dataset(staff_frame("AH", fte=0.5)), large_body="true")[0], "large_body") == 1


def test_missing_fte_counts_one_each_and_warns():
    staff = staff_frame("AAAA", fte=[0.5, None, 0.5, None])
    doc, ctx = build(dataset(staff))
    assert value(doc, "fte.total") == pytest.approx(3.0)
    assert "counted as 1.0" in doc.figures[P + "fte.total"].note
    assert any("2 staff have no FTE" in w.message for w in ctx.warnings)


APPRAISALS = pd.DataFrame({"person_id": ["P000", "P001", "P002", "P003", "P004"],
                           "outcome": ["benefit", "neutral", "detriment", "benefit", "benefit"]})


def test_small_body_without_data_leaves_sections_out_with_reason():
    doc, ctx = build(dataset(staff_frame("AAHN", fte=1.0)))
    sec = next(s for _, s in doc.walk() if s.id == "further-monitoring")
    assert sec.sections == []
    assert sec.blocks[0].context["large"] is False
    assert "staff who left" in sec.blocks[0].context["absent"]
    assert not any("150+ FTE" in w.message for w in ctx.warnings)


def test_small_body_with_data_marks_section_voluntary():
    doc, _ = build(dataset(staff_frame("AAHNZ", fte=1.0), appraisals=APPRAISALS))
    assert "Performance assessment (voluntary)" in section_titles(doc)
    sub = next(s for _, s in doc.walk() if s.id == "appraisal")
    assert sub.blocks[0].template == "rraa-employment/voluntary.j2"
    got = rows(doc.table("appraisals"), "appraised", "benefit", "neutral", "detriment", "benefit_rate",
               "detriment_rate")
    # P000 A benefit, P001 A neutral, P002 H detriment, P003 N benefit, P004 Z benefit
    assert got["White"] == pytest.approx((2, 1, 1, 0, 50.0, 0.0))
    assert got["Ethnic minority"] == pytest.approx((2, 1, 0, 1, 50.0, 50.0))
    assert got["All groups"] == pytest.approx((5, 3, 1, 1, 60.0, 20.0))
    assert doc.table("appraisals").column_totals == {("benefit", "neutral", "detriment"): "appraised"}


def test_large_body_sections_are_not_marked_voluntary_and_missing_data_warns():
    # a large body by the large_body option (FTE above 1.5 per person is an input error, issue 9 rule 10)
    doc, ctx = build(dataset(staff_frame("AAHNZ", fte=1.0), appraisals=APPRAISALS), large_body="true")
    assert "Performance assessment" in section_titles(doc)
    assert not any("(voluntary)" in t for t in section_titles(doc))
    assert any("'leavers'" in w.message and "not met" in w.message for w in ctx.warnings)


def test_leavers_table_has_a_not_recorded_column_only_when_some_leaving_is_not_recorded():
    staff = staff_frame("AAAAHHNZ", fte=1.0)
    leavers = pd.DataFrame({"person_id": ["L1", "L2", "L3"], "ethnicity": ["A", "A", "H"],
                            "leave_date": ["2025-06-01"] * 3, "reason": ["resignation", "dismissal", "resignation"],
                            "voluntary": [True, False, True]})
    doc, _ = build(dataset(staff, leavers=leavers), large_body="true")
    table = doc.table("leavers")
    assert [c.key for c in table.columns if c.kind == "count"] == ["staff", "leavers", "voluntary", "involuntary"]
    assert table.column_totals == {("voluntary", "involuntary"): "leavers"}
    assert rows(table, "leavers", "voluntary", "involuntary")["White"] == (2, 1, 1)


def test_grievances_disciplinary_and_leavers_tables():
    staff = staff_frame("AAAAHHNZ", fte=1.0)
    grievances = pd.DataFrame({"case_id": ["G1", "G1", "G2", "G3"], "person_id": ["P000", "P004", "P000", "P005"],
                               "role": ["complainant", "respondent", "complainant", "complainant"],
                               "outcome": ["Upheld", "Upheld", "Not upheld", None]})
    disciplinary = pd.DataFrame({"case_id": ["D1", "D2", "D3", "D4"], "person_id": ["P001", "P004", "P004", "P006"],
                                 "formal": [True, True, None, False], "outcome": ["warning", "dismissal", None, "warning"]})
    leavers = pd.DataFrame({"person_id": ["L1", "L2", "L3", "L4"], "ethnicity": ["A", "A", "H", "Z"],
                            "leave_date": ["2025-06-01"] * 4, "reason": ["resignation", "dismissal", "resignation", None],
                            "voluntary": [True, False, True, None]})
    doc, _ = build(dataset(staff, grievances=grievances, disciplinary=disciplinary, leavers=leavers),
                   large_body="true")
    got = rows(doc.table("grievances"), "staff", "complainant", "respondent", "complainant_rate", "respondent_rate")
    assert got["White"] == pytest.approx((4, 1, 0, 25.0, 0.0))  # P000 twice, counted once
    assert got["Ethnic minority"] == pytest.approx((3, 1, 1, 100 / 3, 100 / 3))
    outcomes = rows(doc.table("grievance_outcomes"), "white", "minority_ethnic", "total")
    assert outcomes == {"Complained about: upheld": (0, 1, 1), "Raised the grievance: not upheld": (1, 0, 1),
                        "Raised the grievance: outcome not recorded": (0, 1, 1),
                        "Raised the grievance: upheld": (1, 0, 1), "All grievance records": (2, 2, 4)}
    # formal missing counts as formal (the contract default); D4 informal is left out
    got = rows(doc.table("disciplinary"), "disciplined", "rate")
    assert got["White"] == pytest.approx((1, 25.0)) and got["Ethnic minority"] == pytest.approx((1, 100 / 3))
    outcomes = rows(doc.table("disciplinary_outcomes"), "white", "minority_ethnic", "total")
    assert outcomes == {"Dismissal": (0, 1, 1), "Outcome not recorded": (0, 1, 1), "Warning": (1, 0, 1),
                        "All formal cases": (1, 2, 3)}
    got = rows(doc.table("leavers"), "staff", "leavers", "voluntary", "involuntary", "not_recorded", "turnover_rate")
    assert got["White"] == pytest.approx((4, 2, 1, 1, 0, 50.0))
    assert got["Ethnic minority"] == pytest.approx((3, 1, 1, 0, 0, 100 / 3))
    assert got["Not stated or not known"] == pytest.approx((1, 1, 0, 0, 1, 100.0))
    assert value(doc, "leavers.white.turnover_rate") == pytest.approx(50.0)
    # White and ethnic minority leavers by reason; the one whose group is not known is in the leavers
    # table only (its reason, not recorded, no other leaver gave), so the reasons have no total column
    reasons = doc.table("leaver_reasons")
    assert rows(reasons, "white", "minority_ethnic") == {"Dismissal": (1, 0), "Resignation": (1, 1),
                                                         "All leavers": (2, 1)}
    assert [c.key for c in reasons.columns] == ["row", "white", "minority_ethnic"] and not reasons.column_groups


def test_a_part_of_an_employer_says_the_size_test_is_the_employers():
    """``part_of`` in dataset.toml: a part under 150 FTE cannot tell whether its employer is over,
    so the operator is told how to say so; one over 150 says its employer is over too."""
    small = dataset(staff_frame("AAHN", fte=1.0))
    small.config["part_of"] = "Testshire County Council"
    doc, ctx = build(small)
    sec = next(s for _, s in doc.walk() if s.id == "further-monitoring")
    assert sec.blocks[0].context["part_of"] == "Testshire County Council"
    assert any("applies to Testshire County Council as a whole" in n and "--option large_body=true" in n
               for n in ctx.operator_notes)
    large = dataset(tenths(1500))
    large.config["part_of"] = "Testshire County Council"
    doc, ctx = build(large)
    assert value(doc, "large_body") == 1 and not any("part_of" in n for n in ctx.operator_notes)


def test_the_missing_fte_warning_names_the_files_heading(tmp_path, capsys):
    """The warning named the engine's column (``staff.fte``); it names the file's own heading."""
    from helpers_cli import run_cli

    rows_ = "".join(f"P{i},White British,{'' if i < 2 else '0.5'}\n" for i in range(30))
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "staff.csv").write_text("Staff No,Ethnic Origin,Hours FTE\n" + rows_, encoding="utf-8")
    (tmp_path / "d" / "dataset.toml").write_text(
        'organisation = "F"\nperiod_end = 2026-03-31\n[tables.staff]\n'
        'columns = { person_id = "Staff No", ethnicity = "Ethnic Origin", fte = "Hours FTE" }\n', encoding="utf-8")
    res = run_cli(["run", "rraa-employment", "--data", tmp_path / "d", "--out", tmp_path / "out", "--format", "json"],
                  capsys)
    assert res.code == 0, res.out + res.err
    assert ("staff.csv, column 'Hours FTE' (read as fte): 2 staff have no FTE recorded"
            in res.out + res.err)
