"""Applicants for employment, training and promotion: hand-counted funnels and rates."""

import pandas as pd
import pytest
from helpers_rraa import P, build, dataset, rows, staff_frame, value


def applications(spec):
    """spec: list of (code, shortlisted, appointed, number of such applications)."""
    out = []
    for code, short, appt, n in spec:
        out += [(code, short, appt)] * n
    return pd.DataFrame({"application_id": [f"A{i}" for i in range(len(out))],
                         "ethnicity": [o[0] for o in out], "shortlisted": [o[1] for o in out],
                         "appointed": [o[2] for o in out]})


@pytest.fixture(scope="module")
def funnel():
    # White: 10 applied, 4 shortlisted, 2 appointed. Minority: 5 applied, 2 shortlisted, 1 appointed.
    # Unknown: no applications at all.
    apps = applications([("A", True, True, 2), ("A", True, False, 2), ("A", False, False, 6),
                         ("H", True, True, 1), ("N", True, False, 1), ("M", False, False, 3)])
    return build(dataset(staff_frame("AAAH"), applications=apps))[0]


def test_funnel_counts_and_conversion_rates(funnel):
    got = rows(funnel.table("applications_binary"), "applied", "shortlisted", "appointed", "shortlisted_rate",
               "appointed_from_shortlist_rate", "appointed_rate")
    assert got["White"] == pytest.approx((10, 4, 2, 40.0, 50.0, 20.0))
    assert got["Ethnic minority"] == pytest.approx((5, 2, 1, 40.0, 50.0, 20.0))
    assert got["Not stated or not known"] == (0, 0, 0, None, None, None)
    assert got["All groups"] == pytest.approx((15, 6, 3, 40.0, 50.0, 20.0))


def test_zero_applicants_is_not_calculable(funnel):
    fig = funnel.figures[P + "applications.unknown.appointed_rate"]
    assert fig.value is None and fig.note == "not calculable" and not fig.suppressed
    assert value(funnel, "applications.white.appointed_rate") == pytest.approx(20.0)
    assert value(funnel, "applications.minority_ethnic.appointed_rate") == pytest.approx(20.0)
    assert funnel.figures[P + "applications.white.appointed_rate"].numerator == 2
    assert funnel.figures[P + "applications.white.appointed_rate"].denominator == 10


def test_broad_funnel(funnel):
    got = rows(funnel.table("applications_broad"), "applied", "appointed", "appointed_rate")
    assert got["Asian or Asian British"] == pytest.approx((1, 1, 100.0))
    assert got["Black, Black British, Caribbean or African"] == pytest.approx((4, 0, 0.0))
    assert got["Mixed or multiple ethnic groups"] == (0, 0, None)


def test_the_x_note_is_under_a_table_only_where_a_rate_is_not_calculable(funnel):
    note = "A rate shows [x] (not calculable) when its group had no applications, or no one shortlisted."
    assert note in funnel.table("applications_binary").notes  # nobody of unknown ethnicity applied
    everyone = applications([("A", True, True, 2), ("H", True, False, 1), ("Z", True, False, 1),
                             ("M", True, True, 1), ("N", True, True, 1), ("R", True, True, 1), ("B", True, True, 1)])
    doc = build(dataset(staff_frame("AAAH"), applications=everyone))[0]
    assert note not in doc.table("applications_binary").notes


def test_rate_columns_declare_what_they_derive_from(funnel):
    table = funnel.table("applications_binary")
    assert table.column("appointed_from_shortlist_rate").derived_from == ("appointed", "shortlisted")
    assert table.total_row and table.rows_additive


def test_training_applications_count_people_once():
    training = pd.DataFrame({"person_id": ["P000", "P000", "P001", "P002", "P003"],
                             "mandatory": [False] * 5, "applied": [True, True, True, True, False],
                             "received": [True, False, False, True, True]})
    doc, _ = build(dataset(staff_frame("AAHZ"), training=training))
    got = rows(doc.table("training_applications"), "applied", "received", "success_rate")
    # P000 (A) applied twice and received once; P001 (A) refused; P002 (H) received; P003 (Z) did not apply
    assert got["White"] == pytest.approx((2, 1, 50.0))
    assert got["Ethnic minority"] == pytest.approx((1, 1, 100.0))
    assert got["Not stated or not known"] == (0, 0, None)
    assert value(doc, "training.white.success_rate") == pytest.approx(50.0)


def test_training_without_applied_column_says_so_and_warns():
    training = pd.DataFrame({"person_id": ["P000"], "mandatory": [True], "received": [True]})
    doc, ctx = build(dataset(staff_frame("AH"), training=training))
    assert "training_applications" not in [t.id for t in doc.tables()]
    assert any("applicants for training" in w.message for w in ctx.warnings)


def test_promotion_success():
    promotions = pd.DataFrame({"person_id": ["P000", "P001", "P001", "P002", "P003"],
                               "promoted": [True, False, True, False, True]})
    doc, _ = build(dataset(staff_frame("AAHN"), promotions=promotions))
    got = rows(doc.table("promotions"), "applied", "promoted", "success_rate")
    assert got["White"] == pytest.approx((2, 2, 100.0))
    assert got["Ethnic minority"] == pytest.approx((2, 1, 50.0))
    assert value(doc, "promotions.minority_ethnic.success_rate") == pytest.approx(50.0)


def test_missing_event_tables_are_stated_and_warned():
    doc, ctx = build(dataset(staff_frame("AH")))
    messages = " ".join(w.message for w in ctx.warnings)
    assert "applicants for employment" in messages and "applicants for promotion" in messages
    assert not any(t.id.startswith("applications") for t in doc.tables())


def test_training_received_counts_staff_in_post_so_the_rate_is_of_its_own_base():
    """150 FTE (further monitoring): 12 White and 3 Indian staff in post received training, and so
    did 2 Indian people who have since left; they are in no base, so they are not counted."""
    staff = staff_frame("A" * 140 + "H" * 20, fte=1.0)
    trained = [f"P{i:03d}" for i in range(12)] + [f"P{i:03d}" for i in range(140, 143)] + ["L1", "L2"]
    training = pd.DataFrame({"person_id": trained, "mandatory": [False] * 17, "received": [True] * 17})
    leavers = pd.DataFrame({"person_id": ["L1", "L2"], "ethnicity": ["H", "H"],
                            "leave_date": ["2025-09-01", "2025-10-01"], "reason": ["Retirement"] * 2})
    doc, _ = build(dataset(staff, training=training, leavers=leavers), audience="internal")
    got = rows(doc.table("training_received"), "staff", "received", "received_rate")
    assert got["White"] == pytest.approx((140, 12, 100 * 12 / 140))
    assert got["Ethnic minority"] == pytest.approx((20, 3, 15.0))
