"""A withheld larger count that a reader works out exactly from the rest of the run protects
nobody: the joint pass shows it, with the percentages only it held back, and audits again."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from equality_reports.audit import audit
from equality_reports.disclosure import apply_disclosure
from equality_reports.document import Column, Document, Table
from equality_reports.joint import collect, collect_shares, protect


def _units(start: int, stop: int) -> np.ndarray:
    return np.arange(start, stop, dtype=np.uint64)


def _run() -> tuple[Document, Table, Table]:
    """Staff by group: 3, 4, 40 (withheld by the report) and 50, 97 in all; a second table splits
    the 40 into 25 and 15, so a reader adds those up."""
    spans = [(0, 3), (3, 7), (7, 47), (47, 97)]
    data = pd.DataFrame({"group": ["a", "b", "c", "d", "All"], "n": [3, 4, 40, 50, 97]})
    data["pct"] = data["n"] / 97 * 100
    groups = Table("groups", "Staff by group", [Column("group", "Group"), Column("n", "Staff", "count"),
                                                Column("pct", "Share (%)", "percent", derived_from=("n",))],
                   data, row_key="group", rows_additive=True, total_row=True,
                   units={**{(i, "n"): _units(*span) for i, span in enumerate(spans)}, (4, "n"): _units(0, 97)})
    groups.suppressed.add((2, "n"))  # the report withheld the 40 itself
    split = Table("split", "Group c by contract", [Column("contract", "Contract"), Column("n", "Staff", "count")],
                  pd.DataFrame({"contract": ["Permanent", "Fixed term"], "n": [25, 15]}), row_key="contract",
                  rows_additive=False, units={(0, "n"): _units(7, 32), (1, "n"): _units(32, 47)})
    doc = Document("r", "R", "Org", date(2025, 4, 1), date(2026, 3, 31))
    doc.section("s", "S").add(groups, split)
    apply_disclosure(doc, 5)
    return doc, groups, split


def test_a_withheld_count_the_reader_adds_up_is_shown_with_its_share() -> None:
    doc, groups, split = _run()
    assert {(0, "n"), (1, "n"), (2, "n"), (2, "pct")} <= groups.suppressed
    outcome = protect({"r": doc}, 5)
    assert outcome.audit.passed and not outcome.failures
    assert outcome.released == [("r", "groups", 2, "n")]
    assert groups.display_value(2, "n") == 40 and round(groups.display_value(2, "pct"), 1) == 41.2
    assert {(0, "n"), (1, "n")} <= groups.suppressed and (2, "n") in groups.released
    # the small counts are as well protected as before: 3 and 4 make 7, each 1 to 6
    cells, _ = collect({"r": doc})
    again = {r.key: r for r in audit(cells, 5, shares=collect_shares({"r": doc})).ranges}
    assert (again[("r", "groups", 0, "n")].low, again[("r", "groups", 0, "n")].high) == (1, 6)
    # the table's own rules, run again, leave it shown
    apply_disclosure(doc, 5)
    assert (2, "n") not in groups.suppressed


def test_a_count_the_reader_cannot_add_up_stays_withheld() -> None:
    """Without the split's second row the 40 is not worked out: it stays withheld."""
    doc, groups, split = _run()
    split.suppressed.add((1, "n"))
    outcome = protect({"r": doc}, 5)
    assert outcome.audit.passed and outcome.released == []
    assert (2, "n") in groups.suppressed and not groups.released
