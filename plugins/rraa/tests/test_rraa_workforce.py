"""Staff in post: hand-counted profile tables, cross-tabs, senior staff and their figures."""

import pytest
from helpers_rraa import P, build, dataset, rows, staff_frame, value

CODES = "AAAAABHHNZZ9"  # White 6 (5 British, 1 Irish), minority 3 (2 Indian, 1 African), 2 not stated, 1 not known
GRADES = ["Grade 10", "Grade 2", "Grade 2", "Grade 1", "Grade 10", None,
          "Grade 2", "Grade 10", "Grade 1", "Grade 1", "Grade 2", "Grade 2"]


@pytest.fixture(scope="module")
def doc():
    staff = staff_frame(CODES, grade=GRADES, contract=["full_time"] * 8 + ["part_time"] * 4,
                        service=["Adults"] * 6 + ["Children"] * 6, fte=1.0)
    return build(dataset(staff))[0]


def test_binary_profile_counts_and_both_percentages(doc):
    got = rows(doc.table("staff_binary"), "count", "pct_all", "pct_declared")
    assert got["White"] == pytest.approx((6, 50.0, 600 / 9))
    assert got["Ethnic minority"] == pytest.approx((3, 25.0, 300 / 9))
    assert got["Not stated or not known"] == (3, 25.0, None)
    assert got["All staff"] == (12, 100.0, None)
    assert doc.table("staff_binary").total_row and doc.table("staff_binary").rows_additive


def test_required_staff_figures(doc):
    assert value(doc, "staff.total") == 12
    assert value(doc, "staff.declaration_rate") == pytest.approx(75.0)
    assert doc.figures[P + "staff.declaration_rate"].numerator == 9
    assert [value(doc, f"staff.{g}.count") for g in ("white", "minority_ethnic", "unknown")] == [6, 3, 3]
    assert [value(doc, f"staff.{g}.pct") for g in ("white", "minority_ethnic", "unknown")] == \
        pytest.approx([50.0, 25.0, 25.0])
    assert value(doc, "staff.minority_ethnic.declared_pct") == pytest.approx(100 / 3)
    assert value(doc, "fte.total") == 12.0 and value(doc, "large_body") == 0


def test_detailed_keeps_not_stated_and_not_known_apart(doc):
    got = rows(doc.table("staff_detailed"), "count", "pct_all", "pct_declared")
    assert got["Asian: Indian"] == pytest.approx((2, 100 * 2 / 12, 100 * 2 / 9))
    assert got["Not stated (declined to say)"] == pytest.approx((2, 100 * 2 / 12, None))
    assert got["Not known (not asked or not recorded)"][0] == 1
    assert got["Asian: Chinese"] == (0, 0.0, 0.0)
    # 21 categories and the total, less Roma, Gypsy or Irish Traveller and Arab: no one is
    # recorded in them, so they are counted in their NHS letter's "any other" group
    assert len(got) == 19 and "Other ethnic group: any other ethnic group (including Arab)" in got
    assert value(doc, "staff.not_stated.count") == 2 and value(doc, "staff.not_known.count") == 1


def test_broad_groups_without_a_total_row_feed_the_workforce_chart(doc):
    got = rows(doc.table("staff_broad"), "count", "pct_all", "pct_declared")
    assert got["White"] == pytest.approx((6, 50.0, 600 / 9))
    assert got["Asian or Asian British"] == pytest.approx((2, 100 * 2 / 12, 200 / 9))
    assert got["Not stated or not known"] == pytest.approx((3, 25.0, None))
    assert not doc.table("staff_broad").total_row
    charts = {c.id: c for c in doc.charts()}
    assert (charts["workforce_profile"].table, charts["workforce_profile"].values) == ("staff_broad", ["pct_all"])
    assert (charts["senior_profile"].table, charts["senior_profile"].values) == \
        ("senior_binary", ["pct_all", "senior_pct"])


def test_senior_staff_beside_all_staff(doc):
    # 3 grades -> top quarter rounded up = Grade 10: persons 0 (A), 4 (A), 7 (H)
    got = rows(doc.table("senior_binary"), "staff", "pct_all", "senior", "senior_pct")
    assert list(got) == ["White", "Ethnic minority", "Not stated or not known"]
    assert got["White"] == pytest.approx((6, 50.0, 2, 200 / 3))
    assert got["Ethnic minority"] == pytest.approx((3, 25.0, 1, 100 / 3))
    assert got["Not stated or not known"] == pytest.approx((3, 25.0, 0, 0.0))
    assert not doc.table("senior_binary").total_row
    assert value(doc, "senior.total") == 3
    assert value(doc, "senior.minority_ethnic.count") == 1
    assert value(doc, "senior.white.pct") == pytest.approx(200 / 3)


def test_grade_crosstab_in_natural_order_with_not_recorded(doc):
    table = doc.table("staff_by_grade")
    got = rows(table, "white", "minority_ethnic", "unknown", "total", "minority_ethnic_pct")
    assert list(got) == ["Grade 1", "Grade 2", "Grade 10", "Not recorded", "All staff"]
    # Grade 1: persons 3 (A), 8 (N), 9 (Z); Grade 2: 1 A, 2 A, 6 H, 10 Z, 11 9
    assert got["Grade 1"] == pytest.approx((1, 1, 1, 3, 100 / 3))
    assert got["Grade 2"] == pytest.approx((2, 1, 2, 5, 20.0))
    assert got["Not recorded"][:4] == (1, 0, 0, 1)
    assert got["All staff"][:4] == (6, 3, 3, 12)
    assert table.column_groups == [("white", "minority_ethnic", "unknown")]
    assert table.column_totals == {("white", "minority_ethnic", "unknown"): "total"}
    assert table.column("white_pct").derived_from == ("white", "total")


def test_working_pattern_and_service(doc):
    got = rows(doc.table("staff_by_contract"), "white", "minority_ethnic", "unknown", "total")
    assert got == {"Full time": (6, 2, 0, 8), "Part time": (0, 1, 3, 4), "All staff": (6, 3, 3, 12)}
    got = rows(doc.table("staff_by_service"), "total")
    assert got == {"Adults": (6,), "Children": (6,), "All staff": (12,)}


def test_minority_label_option_renames_rows():
    doc, _ = build(dataset(staff_frame("AHZ")), minority_label="Black and minority ethnic")
    assert "Black and minority ethnic" in rows(doc.table("staff_binary"), "count")


def test_senior_manager_flag_is_the_default_when_present():
    staff = staff_frame("AAHN", grade=["G1", "G2", "G3", "G4"], senior_manager=[False, True, True, False])
    doc, _ = build(dataset(staff))
    assert rows(doc.table("senior_binary"), "senior")["Ethnic minority"] == (1,)
    assert value(doc, "senior.total") == 2


def test_missing_columns_leave_sections_out():
    doc, _ = build(dataset(staff_frame("AAH")))
    ids = [s.id for _, s in doc.walk()]
    assert "grade" not in ids and "senior" not in ids and "working-pattern" not in ids
    assert [c.id for c in doc.charts()] == ["workforce_profile"]
