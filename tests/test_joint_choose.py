"""How the joint pass chooses what else to withhold: the cuts each problem gives
(equality_reports.joint._Choice), the cheapest set meeting them all (equality_reports.cover), and
what withholding a cell costs (Loss), on hand-built cells: a row x + y + z = total where x is
withheld and exposed."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from equality_reports.audit import AuditCell, AuditResult, Complement, HiddenGroup, Range, audit
from equality_reports.cover import _greedy, cheapest_cover
from equality_reports.disclosure import apply_disclosure
from equality_reports.document import CellRef, Column, Document, Figure, Table
from equality_reports.joint import Loss, _Choice, collect
from equality_reports.measures.units import fingerprint


def cell(name: str, start: int, stop: int, withheld: bool = False, report: str = "report",
         table: str = "table") -> AuditCell:
    return AuditCell((report, table, start, name), np.arange(start, stop, dtype=np.uint64), stop - start, withheld)


class Costs(Loss):
    """A Loss with costs given by hand (key -> cost)."""

    def __init__(self, costs: dict) -> None:
        self.costs, self.documents = costs, {"report": None}

    def __call__(self, key: tuple) -> int:
        return self.costs[key]


def choice(cells: list[AuditCell], costs: dict, before: dict | None = None) -> _Choice:
    return _Choice(cells, {c.key: None for c in cells}, before or {}, Costs(costs))


def item(c: AuditCell) -> tuple[int, int, int]:
    return fingerprint(c.units)


def test_the_cut_of_a_pinned_cell_is_what_bounds_it() -> None:
    """x = 3 withheld beside y = 12, z = 15 and their total 30: the three published cells pin it,
    so the audit names them (its dual certificate), and one of them must go."""
    x, y, z, total = cell("x", 0, 3, True), cell("y", 3, 15), cell("z", 15, 30), cell("total", 0, 30)
    result = audit([x, y, z, total], threshold=10)
    (r,) = result.too_narrow
    assert (r.low, r.high) == (3, 3) and set(r.binding) <= {y.key, z.key, total.key} and r.binding
    cuts = choice([x, y, z, total], {y.key: 1, z.key: 1, total.key: 1}).cuts([x, y, z, total], result, [])
    assert cuts[0] == frozenset(item(c) for c in (y, z, total) if c.key in r.binding)
    # and the 3 left over from the total less its two published parts: one of those three goes
    assert cuts[1:] == [frozenset({item(y), item(total)})]


def test_a_count_and_its_copies_are_one_item_and_cells_published_before_none() -> None:
    """y shown in two tables is one item (withholding one withholds both); z published last year
    cannot be withheld any more."""
    y, y2 = cell("y", 3, 15), cell("y", 3, 15, table="t2")
    z_before = cell("z", 15, 30, report="last year")
    c = choice([y, y2, z_before], {y.key: 4, y2.key: 4}, {"last year": None})
    assert c.keys == {item(y): [y.key, y2.key]} and c.cost == {item(y): 4}
    small = AuditResult(10, 10, complements=[Complement(y.key, z_before.key, 3)])
    assert c.cuts([y, y2, z_before], small, []) == [frozenset({item(y)})]
    assert c.cuts([y, y2, z_before], AuditResult(10, 10, complements=[Complement(z_before.key, z_before.key, 1)]),
                  []) == [frozenset()]  # nothing this run may withhold: the problem cannot be met


def test_small_differences_and_small_groups_give_their_published_counts() -> None:
    part, whole, other = cell("part", 0, 27), cell("whole", 0, 30), cell("other", 40, 60)
    c = choice([part, whole, other], {part.key: 8, whole.key: 2, other.key: 1})
    result = AuditResult(10, 10, complements=[Complement(part.key, whole.key, 3)])
    group = HiddenGroup(3, (whole.key, other.key))
    assert c.cuts([part, whole, other], result, [group]) == [frozenset({item(part), item(whole)}),
                                                             frozenset({item(whole), item(other)})]


def test_a_range_bound_by_nothing_named_falls_back_to_the_linked_counts() -> None:
    """An unsolved range (NaN) names no bounding cells: its totals and their other parts go in
    its cut instead."""
    x, y, total, far = cell("x", 0, 3, True), cell("y", 3, 15), cell("total", 0, 15), cell("far", 50, 70)
    unsolved = AuditResult(10, 10, ranges=[Range(x.key, float("nan"), float("nan"))])
    c = choice([x, y, total, far], {y.key: 1, total.key: 1, far.key: 1})
    assert c.cuts([x, y, total, far], unsolved, []) == [frozenset({item(y), item(total)})]


def test_the_cheapest_cover_meets_every_cut_at_least_cost() -> None:
    """Three problems: {a, b}, {b, c}, {c, d}. One per problem, nearest first, would take a, b or
    c and more; b and d (cost 2 + 1) or b and c (2 + 2) meet all three; the cheapest is b and d."""
    cuts = [frozenset("ab"), frozenset("bc"), frozenset("cd")]
    cost = {"a": 2, "b": 2, "c": 2, "d": 1}
    assert cheapest_cover(cuts, cost) == {"b", "d"}
    assert cheapest_cover([], cost) == set()
    # one cheap cell meeting several problems wins over a cheaper cell per problem
    assert cheapest_cover([frozenset("xz"), frozenset("yz")], {"x": 2, "y": 2, "z": 3}) == {"z"}


def test_the_greedy_fallback_meets_every_cut() -> None:
    from scipy import sparse
    a = sparse.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]], dtype=float))
    chosen = _greedy(a, np.array([2.0, 2.0, 2.0, 1.0]))
    assert (a @ chosen.astype(float) >= 1).all() and chosen.sum() <= 3


@pytest.mark.parametrize("seed", range(5))
def test_the_cover_is_never_dearer_than_any_other_cover(seed: int) -> None:
    """Checked against every subset of eight items on random cuts."""
    import itertools
    rng = np.random.default_rng(seed)
    items = list(range(8))
    cost = {i: float(rng.integers(1, 10)) for i in items}
    cuts = [frozenset(rng.choice(items, size=int(rng.integers(1, 4)), replace=False).tolist()) for _ in range(6)]
    got = cheapest_cover(cuts, cost)
    assert all(cut & got for cut in cuts)
    best = min(sum(cost[i] for i in subset) for n in range(9) for subset in itertools.combinations(items, n)
               if all(cut & set(subset) for cut in cuts))
    assert sum(cost[i] for i in got) == best


def test_the_loss_counts_what_a_table_withholds_with_a_cell_and_weighs_headline_inputs() -> None:
    """Rows 40, 30 and 20 add up to a known total. Withholding the 40 takes the 20 with it (the
    smallest other), and their percentages: 4 cells, the 20 counting 5 times as an input of a
    published rate; each cell weighs by the people of its count, 1 + log2(1 + n / threshold) (a
    percentage as its count). Withholding the 20 takes the 30 and both percentages."""
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

    def size(n: int) -> float:
        return 1 + math.log2(1 + n / 10)

    assert loss(("r", "t", 0, "n")) == pytest.approx(2 * size(40) + 5 * size(20) + size(20))
    # itself (a rate's input) and its %, then the 30 and its %
    assert loss(("r", "t", 2, "n")) == pytest.approx(5 * size(20) + size(20) + 2 * size(30))
    assert table.suppressed == set()  # the table is left as it was


def test_a_large_group_costs_more_to_withhold_than_a_small_one() -> None:
    """Two small groups (6 and 5) must be protected by one more count: the Irish (23) or the
    British (1,208). Both take as many cells with them; the British count costs more, so the
    cheapest cover withholds the Irish and the largest group stays shown."""
    data = pd.DataFrame({"group": ["British", "Irish", "Gypsy", "Roma"], "n": [1208, 23, 6, 5]})
    starts = np.cumsum([0, 1208, 23, 6, 5])
    table = Table("t", "T", [Column("group", "Group"), Column("n", "Staff", "count")], data,
                  units={(i, "n"): np.arange(starts[i], starts[i + 1], dtype=np.uint64) for i in range(4)})
    doc = Document("r", "R", "Org", date(2025, 4, 1), date(2026, 3, 31))
    doc.section("s", "S").add(table)
    apply_disclosure(doc, 10)  # the 6 and the 5 withheld
    cells, targets = collect({"r": doc})
    loss = Loss({"r": doc}, targets, cells, threshold=10, suppress_zero=False)
    british, irish = loss(("r", "t", 0, "n")), loss(("r", "t", 1, "n"))
    assert british == pytest.approx(1 + math.log2(1 + 120.8)) and irish == pytest.approx(1 + math.log2(3.3))
    assert cheapest_cover([frozenset({"british", "irish"})], {"british": british, "irish": irish}) == {"irish"}


def test_a_headline_count_figure_costs_as_much_as_a_headline_input() -> None:
    """A count figure that is no table's cell (the relevant employees the gender pay gap duty rests
    on) costs as a cell of its size to withhold, ``HEADLINE_WEIGHT`` times more when it is a
    headline: the joint pass then withholds another count that would protect the same small group
    instead (the trust's 2,412 relevant employees were withheld once cells weighed by size and
    figures did not)."""
    doc = Document("r", "R", "Org", date(2025, 4, 1), date(2026, 3, 31))
    doc.add_figure(Figure("r.staff", "Staff", 90, "count", units=np.arange(90, dtype=np.uint64)))
    doc.add_figure(Figure("r.employees", "Relevant employees", 95, "count", units=np.arange(95, dtype=np.uint64),
                          headline=True))
    cells, targets = collect({"r": doc})
    loss = Loss({"r": doc}, targets, cells, threshold=10, suppress_zero=False)
    assert loss(("r", "(figures)", -1, "r.staff")) == pytest.approx(1 + math.log2(1 + 90 / 10))
    assert loss(("r", "(figures)", -1, "r.employees")) == pytest.approx(Loss.HEADLINE_WEIGHT * (1 + math.log2(10.5)))
