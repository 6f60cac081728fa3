"""Issue 10: a rounded percentage over a population no cell publishes can pin a withheld count.

Staff: White 300, Indian 100, not stated 5 (405). The binary table withholds the 5 and, to protect
it, the 100. But "% of staff who declared" for White, 75.0%, says the declared staff number
300 / 0.75 = 400 (within 399.8 to 400.3), so the 100 and the 5 follow. The joint pass must see
that through the shares the table declares, and withhold the percentages that give it away.
"""

from __future__ import annotations

import math

import numpy as np
from helpers_rraa import build, dataset, staff_frame

from equality_reports.audit import AuditCell, AuditShare, audit
from equality_reports.disclosure import apply_disclosure
from equality_reports.joint import collect, collect_shares, protect


def _doc():
    doc, _ = build(dataset(staff_frame("A" * 300 + "H" * 100 + "Z" * 5)))
    apply_disclosure(doc, 10)
    return doc


def test_share_over_the_declared_staff_pins_the_withheld_counts_without_the_joint_pass() -> None:
    doc = _doc()
    table = doc.table("staff_binary")
    assert {(1, "count"), (2, "count")} <= table.suppressed and (0, "pct_declared") not in table.suppressed
    cells, _ = collect({"r": doc})
    result = audit(cells, 10, shares=collect_shares({"r": doc}))
    unknown = next(r for r in result.ranges if r.key == ("r", "staff_binary", 2, "count"))
    assert unknown.width < 10  # the reader narrows the withheld 5 to 5 (or 4 to 6)


def test_joint_pass_withholds_the_percentages_that_give_the_declared_staff_away() -> None:
    doc = _doc()
    outcome = protect({"r": doc}, 10)
    assert outcome.audit.passed
    table = doc.table("staff_binary")
    assert (0, "pct_declared") in table.suppressed
    assert doc.figures["rraa-employment.staff.declaration_rate"].suppressed
    cells, _ = collect({"r": doc})
    again = audit(cells, 10, shares=collect_shares({"r": doc}))
    assert again.passed
    unknown = next(r for r in again.ranges if r.key == ("r", "staff_binary", 2, "count"))
    assert unknown.width >= 10


def test_share_bounds_by_hand() -> None:
    u = lambda lo, hi: np.arange(lo, hi, dtype=np.uint64)  # noqa: E731
    white, minority, unknown = u(0, 300), u(1000, 1100), u(2000, 2005)
    cells = [AuditCell("white", white, 300, False), AuditCell("minority", minority, 100, True),
             AuditCell("unknown", unknown, 5, True), AuditCell("total", np.concatenate([white, minority, unknown]),
                                                              405, False)]
    alone = {r.key: r for r in audit(cells, 10).ranges}
    assert alone["unknown"].high == 104  # minority is 1 or more (the lower end is not solved once wide enough)
    share = AuditShare("white_declared", white, np.concatenate([white, minority]), 75.0, 1)
    pinned = {r.key: r for r in audit(cells, 10, shares=[share]).ranges}
    # 300 / declared within [74.95%, 75.05%]: declared in [399.7, 400.3], so exactly 400
    assert (pinned["unknown"].low, pinned["unknown"].high) == (5, 5)
    assert not math.isnan(pinned["minority"].width) and pinned["minority"].width == 0


def test_a_percentage_figure_declaring_its_share_is_audited_like_a_table_percentage() -> None:
    """The same 75.0% as a headline figure restating no cell (the ethnicity pay gap's reference
    group paid a bonus, say): it pins the declared staff just the same, so the joint pass withholds it."""
    from equality_reports.document import Figure

    doc = _doc()
    table = doc.table("staff_binary")
    table.suppressed |= {(row, "pct_declared") for row in range(len(table.data))}  # only the figure tells
    doc.figures["rraa-employment.staff.declaration_rate"].suppressed = True
    white, minority = table.units[(0, "count")], table.units[(1, "count")]
    doc.add_figure(Figure("rraa-employment.test.white_declared", "White staff (% of declared)", 75.0, "percent",
                          share=(white, np.concatenate([white, minority]))))
    cells, _ = collect({"r": doc})
    before = audit(cells, 10, shares=collect_shares({"r": doc}))
    assert not before.passed  # the figure alone pins the withheld 5
    outcome = protect({"r": doc}, 10)
    assert outcome.audit.passed
    assert doc.figures["rraa-employment.test.white_declared"].suppressed
    assert (0, "count") not in table.suppressed  # the 300 stays published


def test_a_percentage_whose_count_no_cell_shows_is_audited_as_a_count() -> None:
    """An independent tester's case (council sample): "White British employees paid a bonus (%)"
    3.4 beside 1,208 White British staff pins the 41 of them paid one (40.5 to 41.7); White paid a
    bonus, 43, is published: the 2 other White staff paid a bonus follow. The 41 is no cell, so the
    audit adds it as a withheld count of its own and finds the small difference."""
    u = lambda lo, hi: np.arange(lo, hi, dtype=np.uint64)  # noqa: E731
    british, british_paid, other_paid = u(0, 1208), u(0, 41), u(5000, 5002)
    cells = [AuditCell("white british staff", british, 1208, False),
             AuditCell("white paid", np.concatenate([british_paid, other_paid]), 43, False)]
    assert audit(cells, 10).passed
    share = AuditShare("british paid %", british_paid, british, 3.4, 1)
    result = audit(cells, 10, shares=[share])
    (pinned,) = [r for r in result.ranges if r.key == ("british paid %", "numerator")]
    assert (pinned.low, pinned.high) == (41, 41) and ("british paid %", "numerator") in result.pinned
    assert [(c.part, c.whole, c.difference) for c in result.complements] == [
        (("british paid %", "numerator"), "white paid", 2)]
    assert not result.passed
    # a small count is narrowed the same way: 0.2% of 1,208 is 1.8 to 3.0 people, so 2 or 3
    small = AuditShare("two %", british[:2], british, 0.2, 1)
    narrow = {r.key: r for r in audit([cells[0]], 10, shares=[small]).too_narrow}
    assert ("two %", "numerator") in narrow
