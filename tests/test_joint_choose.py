"""How the joint pass chooses the next cells to withhold (equality_reports.joint._choose), on
hand-built cells: a row x + y + z = total where x is withheld and exposed."""

from __future__ import annotations

import numpy as np

from equality_reports.audit import AuditCell, AuditResult, Range
from equality_reports.joint import _choose


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
