"""How the joint pass chooses the next cells to withhold (equality_reports.joint._choose), on
hand-built cells: a row x + y + z = total where x is withheld and exposed."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from equality_reports.audit import AuditCell, AuditResult, Complement, Range
from equality_reports.document import CellRef, Column, Document, Figure, Table
from equality_reports.joint import Loss, _choose, collect


def cell(name: str, start: int, stop: int, withheld: bool = False) -> AuditCell:
    return AuditCell(("report", "table", start, name), np.arange(start, stop, dtype=np.uint64), stop - start,
                     withheld)


X = cell("x", 0, 3, withheld=True)
EXPOSED = AuditResult(protection=10, threshold=10, ranges=[Range(X.key, 3, 3)])


def copy(of: AuditCell, table: str) -> AuditCell:
    return AuditCell(("other", table, 0, of.key[3]), of.units, of.value, False)


def test_the_smallest_linked_cell_goes_first() -> None:
    y, z, total = cell("y", 3, 15), cell("z", 15, 30), cell("total", 0, 30)
    assert _choose([X, y, z, total], EXPOSED) == [y.key]


def test_a_count_restated_elsewhere_is_passed_over() -> None:
    """Withholding y would withhold its copy in another table too: z (larger, but published once)
    costs less."""
    y, z, total = cell("y", 3, 15), cell("z", 15, 30), cell("total", 0, 30)
    assert _choose([X, y, copy(y, "t2"), z, total], EXPOSED) == [z.key]


def test_a_cell_still_exposed_takes_the_count_with_fewest_copies() -> None:
    """When every candidate is restated, the smallest goes first; if the exposed cell was exposed
    last round too, the one with the fewest copies goes instead (x = 3, y = 5 shown three times,
    z = 22 shown twice)."""
    y, z, total = cell("y", 3, 8), cell("z", 8, 30), cell("total", 0, 30)
    cells = [X, y, copy(y, "t2"), copy(y, "t3"), z, copy(z, "t2"), total, copy(total, "t4")]
    # a copy is as good as the original: withholding one withholds every copy
    assert [key[3] for key in _choose(cells, EXPOSED)] == ["y"]
    assert [key[3] for key in _choose(cells, EXPOSED, stuck={X.key})] == ["z"]


def test_nothing_published_before_is_chosen() -> None:
    y, z, total = cell("y", 3, 15), cell("z", 15, 30), cell("total", 0, 30)
    before_y = AuditCell(("last year", "table", 3, "y"), y.units, y.value, False)
    assert _choose([X, before_y, z, total], EXPOSED, {"last year": None}) == [z.key]


def test_of_the_smallest_few_the_one_withholding_least_with_it_goes() -> None:
    """y is smaller, but its table would withhold 9 more cells with it; z takes 1."""
    y, z, total = cell("y", 3, 15), cell("z", 15, 30), cell("total", 0, 30)
    cost = {y.key: 9, z.key: 1, total.key: 4}
    assert _choose([X, y, z, total], EXPOSED, loss=cost.__getitem__) == [z.key]
    # exposed last round too: the loss no longer decides (the fewest copies, then the smallest)
    assert _choose([X, y, z, total], EXPOSED, stuck={X.key}, loss=cost.__getitem__) == [y.key]


def test_a_small_difference_goes_with_the_cheaper_of_its_two_counts() -> None:
    """27 of 30 published beside the 30: the 3 between them follow. Withholding the 27 costs 8
    cells, the 30 costs 2; and a pair with a cell already chosen this round needs nothing more."""
    part, whole = cell("part", 0, 27), cell("whole", 0, 30)
    other_part = AuditCell(("report", "table2", 0, "part"), np.arange(0, 28, dtype=np.uint64), 28, False)
    small = AuditResult(protection=10, threshold=10, complements=[
        Complement(part.key, whole.key, 3), Complement(other_part.key, whole.key, 2)])
    cost = {part.key: 8, whole.key: 2, other_part.key: 1}
    assert _choose([part, other_part, whole], small, loss=cost.__getitem__) == [whole.key]
    assert _choose([part, other_part, whole], small) == [part.key, other_part.key]  # no costs: the part


def test_the_loss_counts_what_a_table_withholds_with_a_cell_and_weighs_headline_inputs() -> None:
    """Rows 40, 30 and 20 add up to a known total. Withholding the 40 takes the 20 with it (the
    smallest other), and their percentages: 4 cells, but the 20 is an input of a published rate,
    so it counts 5 times: 8. Withholding the 20 takes the 30 and both percentages: 8 as well."""
    data = pd.DataFrame({"group": ["a", "b", "c"], "n": [40, 30, 20], "pct": [44.4, 33.3, 22.2]})
    table = Table("t", "T", [Column("group", "Group"), Column("n", "Staff", "count"),
                             Column("pct", "%", "percent", derived_from=("n",))], data,
                  units={(i, "n"): np.arange(start, stop, dtype=np.uint64)
                         for i, (start, stop) in enumerate([(0, 40), (40, 70), (70, 90)])})
    doc = Document("r", "R", "Org", date(2025, 4, 1), date(2026, 3, 31))
    doc.section("s", "S").add(table)
    doc.add_figure(Figure("r.rate", "A rate", 50.0, "percent", cells=(CellRef("t", "c", "n"),)))
    cells, targets = collect({"r": doc})
    loss = Loss({"r": doc}, targets, cells, threshold=10, suppress_zero=False)
    assert loss(("r", "t", 0, "n")) == 2 + 5 + 1
    assert loss(("r", "t", 2, "n")) == 5 + 1 + 2  # itself (headline) and its %, then the 30 and its %
    assert table.suppressed == set()  # the table is left as it was
