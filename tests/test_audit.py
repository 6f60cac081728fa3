"""Unit tests of the disclosure auditor (equality_reports.audit) on hand-built cells.

Every expected range here is worked out by hand (Fréchet bounds of a 2x2 table) or by brute force
over whole numbers in the test itself, never by the auditor's own programs. Cells declare unit
codes; the auditor groups units with the same cell membership into atoms and bounds each withheld
cell over non-negative whole atom sizes that reproduce every published cell.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

import equality_reports.audit as audit_module
from equality_reports.audit import AuditCell, AuditResult, Complement, Range, atoms, audit


def units(start: int, stop: int) -> np.ndarray:
    return np.arange(start, stop, dtype=np.uint64)


def cell(key: str, codes: np.ndarray, withheld: bool = False, value: int | None = None) -> AuditCell:
    return AuditCell(key, np.asarray(codes, dtype=np.uint64), len(codes) if value is None else value, withheld)


def ranges(result: AuditResult) -> dict[object, Range]:
    return {r.key: r for r in result.ranges}


# --- a 2x2 table with its totals ------------------------------------------------------------------

#: a = 3, b = 12 (row 1: 15); c = 15, d = 20 (row 2: 35); columns 18 and 32; total 50
A, B, C, D = units(0, 3), units(3, 15), units(15, 30), units(30, 50)


def two_by_two(withheld: set[str]) -> list[AuditCell]:
    inner = {"a": A, "b": B, "c": C, "d": D}
    cells = [cell(k, u, k in withheld) for k, u in inner.items()]
    cells += [cell("row1", np.concatenate([A, B])), cell("row2", np.concatenate([C, D])),
              cell("col1", np.concatenate([A, C])), cell("col2", np.concatenate([B, D])),
              cell("total", units(0, 50))]
    return cells


def brute_force_2x2() -> dict[str, tuple[int, int]]:
    """Every whole a with b = 15 - a, c = 18 - a, d = 35 - c, all withheld and none 0, so each is
    1 or more (a reader may take a [c] to be at least 1): the margins fix the rest."""
    feasible = [(a, 15 - a, 18 - a, 35 - (18 - a)) for a in range(1, 51)
                if min(15 - a, 18 - a, 35 - (18 - a)) >= 1]
    return {k: (min(v[i] for v in feasible), max(v[i] for v in feasible)) for i, k in enumerate("abcd")}


def test_two_by_two_ranges_match_the_hand_computed_bounds() -> None:
    expected = brute_force_2x2()
    # the Fréchet bounds (0, 15), (0, 15), (3, 18), (17, 32), each withheld count at least 1
    assert expected == {"a": (1, 14), "b": (1, 14), "c": (4, 17), "d": (18, 31)}
    # threshold 21: every cell is a small count; protection 16 > every width, so both ends are
    # solved for every cell
    result = audit(two_by_two({"a", "b", "c", "d"}), threshold=21, protection=16)
    got = {k: (r.low, r.high) for k, r in ranges(result).items()}
    assert got == expected
    assert {r.key for r in result.too_narrow} == {"a", "b", "c", "d"} and not result.passed


def test_two_by_two_passes_at_the_threshold() -> None:
    """At protection 10 every cell is wide enough. Where the largest value alone reaches the true
    value plus the protection, the auditor need not solve the smallest: ``low`` may then be the
    true value (a bound the decision does not need), never above it."""
    expected = brute_force_2x2()
    truth = {"a": 3, "b": 12, "c": 15, "d": 20}
    result = audit(two_by_two({"a", "b", "c", "d"}), threshold=10)
    assert result.passed and not result.complements
    for key, r in ranges(result).items():
        low, high = expected[key]
        assert r.high == high and r.small is (truth[key] < 10)
        # a larger count need only not be worked out exactly: one more than its value will do
        assert r.low == low or (r.low == truth[key] and high >= truth[key] + (10 if r.small else 1))
        assert high - low >= 10


def test_one_withheld_cell_beside_its_published_row_is_pinned() -> None:
    result = audit(two_by_two({"a"}), threshold=10)
    (r,) = result.ranges
    assert (r.key, r.low, r.high, r.width) == ("a", 3, 3, 0)
    assert result.too_narrow == [r] and not result.passed


# --- broad and detailed groups --------------------------------------------------------------------

OTHER_ANY, ARAB = units(0, 13), units(13, 15)


def test_broad_minus_published_detailed_pins_the_withheld_category() -> None:
    """Other = 15 and "Other: any other" = 13 published, Arab (2) withheld: Arab = 2 exactly."""
    cells = [cell("broad other", np.concatenate([OTHER_ANY, ARAB])), cell("any other", OTHER_ANY),
             cell("arab", ARAB, withheld=True)]
    result = audit(cells, threshold=10)
    assert [(r.key, r.low, r.high) for r in result.ranges] == [("arab", 2, 2)]
    assert [r.key for r in result.too_narrow] == ["arab"] and not result.passed
    # the two published cells are nested and differ by 2: caught a second way
    assert result.complements == [Complement("any other", "broad other", 2)]


def test_withholding_the_sibling_protects_the_detailed_category() -> None:
    cells = [cell("broad other", np.concatenate([OTHER_ANY, ARAB])), cell("any other", OTHER_ANY, withheld=True),
             cell("arab", ARAB, withheld=True)]
    result = audit(cells, threshold=10)
    got = ranges(result)
    assert got["arab"].high == 14 and got["arab"].width >= 10  # the other withheld count is 1 or more
    # 13 is no small count: it need only not be pinned (up to 14), so its lower end is not solved
    assert (got["any other"].low, got["any other"].high) == (13, 14) and not got["any other"].small
    assert result.passed and not result.pinned


# --- small complements ----------------------------------------------------------------------------

APPLIED, PROMOTED = units(0, 12), units(0, 11)


def test_nested_published_cells_differing_by_one_are_a_complement() -> None:
    result = audit([cell("applied", APPLIED), cell("promoted", PROMOTED)], threshold=10)
    assert result.complements == [Complement("promoted", "applied", 1)]
    assert not result.passed and not result.ranges


@pytest.mark.parametrize(("threshold", "flagged"), [(1, False), (2, True), (10, True)])
def test_complements_are_differences_of_1_to_threshold_minus_1(threshold: int, flagged: bool) -> None:
    result = audit([cell("applied", APPLIED), cell("promoted", PROMOTED)], threshold=threshold)
    assert bool(result.complements) is flagged


def test_overlapping_cells_that_are_not_nested_are_no_complement() -> None:
    """12 and 13 people sharing 11: the difference is not a population anyone is in."""
    result = audit([cell("one", units(0, 12)), cell("other", units(1, 14))], threshold=10)
    assert result.complements == [] and result.passed


def test_a_large_complement_is_fine() -> None:
    result = audit([cell("applied", units(0, 30)), cell("promoted", units(0, 11))], threshold=10)
    assert result.complements == [] and result.passed


def test_withholding_the_part_removes_the_complement() -> None:
    result = audit([cell("applied", APPLIED), cell("promoted", PROMOTED, withheld=True)], threshold=10)
    assert result.complements == []
    (r,) = result.ranges
    assert (r.low, r.high) == (11, 12) and result.passed  # 11 is no small count: up to 12 will do


def test_a_small_remainder_of_several_published_parts_is_a_complement() -> None:
    cells = [cell("total", units(0, 20)), cell("part a", units(0, 10)), cell("part b", units(10, 19))]
    assert not audit(cells, threshold=10).passed


# --- a withheld cell equal to a published cell elsewhere ------------------------------------------

def test_a_withheld_cell_equal_to_a_published_total_elsewhere_is_pinned() -> None:
    """"Black: African" withheld in one table is everyone in "Black" published in another."""
    black_african = units(100, 107)
    cells = [cell("detailed black african", black_african, withheld=True), cell("broad black", black_african),
             cell("all staff", units(0, 200))]
    result = audit(cells, threshold=10)
    (r,) = result.ranges
    assert (r.low, r.high) == (7, 7) and not result.passed
    assert r.binding == ("broad black",)  # what pins it: withholding that is what can help


def test_a_larger_withheld_count_worked_out_is_as_good_as_published() -> None:
    """A withheld 12 (withheld to protect another count) that a reader can work out is no
    problem in itself, but it counts as published for the differences: beside a published 15
    containing it, it gives away the 3 between them."""
    twelve, fifteen = units(100, 112), units(100, 115)
    alone = [cell("withheld 12", twelve, withheld=True), cell("copy of the 12", twelve),
             cell("all staff", units(0, 200))]
    result = audit(alone, threshold=10)
    assert result.passed and result.pinned == {"withheld 12"} and result.too_narrow == []
    result = audit([*alone, cell("fifteen", fifteen)], threshold=10)
    assert not result.passed and Complement("withheld 12", "fifteen", 3) in result.complements


def test_a_larger_withheld_count_narrowed_bounds_its_small_differences() -> None:
    """Units 0-29 in two published parts, 0-14 (15) and 15-29 (15); a withheld 27 (units 0-26)
    beside a published 25 (units 0-24) inside it. Nothing pins the 27: it lies between 25 and 30,
    but the 2 between it and the 25 is no cell and lies between 0 and 5, narrower than the
    protection of 10: a small difference, bounded by the published cells its cut names."""
    cells = [cell("first half", units(0, 15)), cell("second half", units(15, 30)),
             cell("withheld 27", units(0, 27), withheld=True), cell("25", units(0, 25))]
    result = audit(cells, threshold=10)
    (r,) = result.ranges
    assert not r.small and r.high == 30 and "withheld 27" not in result.pinned
    (c,) = result.complements
    assert (c.part, c.whole, c.difference) == ("25", "withheld 27", 2) and not result.passed
    assert c.binding and set(c.binding) <= {"first half", "second half", "25"}
    # with the protection at 5 the 0-5 range is enough
    assert audit(cells, threshold=10, protection=5).passed


def test_an_unlinked_withheld_cell_is_open() -> None:
    result = audit([cell("alone", units(0, 3), withheld=True), cell("other", units(10, 40))], threshold=10)
    (r,) = result.ranges
    assert r.high == math.inf and result.passed


def test_two_populations_with_equal_code_sums_are_not_confused() -> None:
    x, b, c = units(10, 13), units(20, 30), units(40, 52)
    z = np.array([2**64 - 1, 2**64 - 2, 36], dtype=np.uint64)
    cells = [cell("z", z, withheld=True), cell("x", x, withheld=True), cell("p1", np.concatenate([x, b])),
             cell("p2", np.concatenate([b, c])), cell("p3", c)]
    assert audit(cells[1:], threshold=10).too_narrow  # without z: x is pinned at 3, and found
    assert not audit(cells, threshold=10).passed


# --- known_protected --------------------------------------------------------------------------------

def test_known_protected_cells_are_not_solved_again() -> None:
    """The caller vouches for them (an earlier audit with fewer cells withheld): the auditor takes
    its word, even for a cell that is in fact pinned here, and does not run a program for it."""
    cells = [cell("broad other", np.concatenate([OTHER_ANY, ARAB])), cell("any other", OTHER_ANY),
             cell("arab", ARAB, withheld=True)]
    result = audit(cells, threshold=10, known_protected=frozenset({"arab"}))
    (r,) = result.ranges
    assert (r.key, r.low, r.high) == ("arab", 2, math.inf) and result.too_narrow == []
    # (the published 15 and 13 still differ by 2: that complement is checked on its own)
    assert result.complements == [Complement("any other", "broad other", 2)]


def test_known_protected_skips_the_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a: object, **_k: object) -> float:
        raise AssertionError("solved a cell known to be protected")

    monkeypatch.setattr(audit_module.Program, "extreme", fail)
    result = audit([cell("whole", units(0, 20)), cell("part", units(0, 3), withheld=True)], threshold=10,
                   known_protected=frozenset({"part"}))
    assert result.passed


# --- unsolved ranges fail closed --------------------------------------------------------------------

@pytest.mark.parametrize(("low", "high"), [(math.nan, math.nan), (0.0, math.nan), (math.nan, 50.0)])
def test_an_unsolved_range_counts_as_too_narrow(low: float, high: float) -> None:
    result = AuditResult(protection=10, threshold=10, ranges=[Range("x", low, high)])
    assert [r.key for r in result.too_narrow] == ["x"] and not result.passed
    assert result.diagnostics()["narrowest_range"] == 0 and result.as_dict()["passed"] is False


def test_a_solver_that_cannot_finish_fails_the_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_module.Program, "extreme", lambda self, objective, maximise: math.nan)
    result = audit([cell("whole", units(0, 40)), cell("part", units(0, 3), withheld=True)], threshold=10)
    (r,) = result.ranges
    assert math.isnan(r.width) and result.too_narrow == [r] and not result.passed
    record = result.diagnostics()
    assert record["passed"] is False and record["narrowest_range"] == 0
    assert "narrowest_range" not in result.as_dict()  # run.json: a range's width can give a count away


# --- consistency ------------------------------------------------------------------------------------

def test_a_value_that_is_not_its_units_count_is_refused() -> None:
    with pytest.raises(ValueError, match=r"cell bad: its value 3 is not the number of units it declares \(5\)"):
        audit([cell("bad", units(0, 5), value=3), cell("fine", units(0, 9), withheld=True)], threshold=10)


def test_duplicate_codes_in_a_cell_count_once() -> None:
    """A cell's units are a set: the same person listed twice is still one person."""
    doubled = np.concatenate([units(0, 5), units(0, 5)])
    with pytest.raises(ValueError, match="not the number of units"):
        audit([AuditCell("twice", doubled, 10, False)], threshold=10)
    assert audit([AuditCell("once", doubled, 5, False)], threshold=10).passed


# --- atoms ------------------------------------------------------------------------------------------

def random_cells(seed: int, n_units: int = 300, n_cells: int = 25) -> list[AuditCell]:
    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 2**64 - 1, size=n_units, dtype=np.uint64, endpoint=True)  # hash-like codes
    out = []
    for j in range(n_cells):
        members = pool[rng.random(n_units) < rng.uniform(0.05, 0.6)]
        out.append(AuditCell(f"c{j}", rng.permutation(members), len(members), bool(rng.random() < 0.3)))
    return out


def membership_partition(cells: list[AuditCell]) -> Counter[frozenset[int]]:
    """Brute force: each unit's set of cells, and how many units share each set."""
    member: dict[int, set[int]] = {}
    for j, c in enumerate(cells):
        for u in c.units.tolist():
            member.setdefault(u, set()).add(j)
    return Counter(frozenset(s) for s in member.values())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_atoms_are_the_units_with_the_same_cell_membership(seed: int) -> None:
    cells = random_cells(seed)
    matrix, sizes = atoms(cells)
    expected = membership_partition(cells)
    got = Counter({frozenset(matrix[:, a].nonzero()[0].tolist()): int(sizes[a]) for a in range(matrix.shape[1])})
    assert got == expected
    assert np.array_equal(matrix @ sizes, [c.value for c in cells])


def test_atoms_are_deterministic() -> None:
    cells = random_cells(7)
    first, sizes1 = atoms(cells)
    again, sizes2 = atoms(cells)
    assert (first != again).nnz == 0 and np.array_equal(sizes1, sizes2)
    # the order of a cell's codes does not matter
    shuffled = [AuditCell(c.key, c.units[::-1].copy(), c.value, c.withheld) for c in cells]
    third, sizes3 = atoms(shuffled)
    assert (first != third).nnz == 0 and np.array_equal(sizes1, sizes3)


def test_audit_is_deterministic() -> None:
    cells = random_cells(11, n_units=120, n_cells=12)
    one, two = audit(cells, threshold=10), audit(cells, threshold=10)
    assert one.ranges == two.ranges and one.complements == two.complements


def test_no_cells() -> None:
    matrix, sizes = atoms([])
    assert matrix.shape == (0, 0) and len(sizes) == 0
    result = audit([], threshold=10)
    assert result.passed and result.as_dict() == {"withheld_cells_audited": 0, "protection": 10, "passed": True}


# --- groups in no cell of their own -----------------------------------------------------------------

def test_a_small_group_between_three_published_counts_is_found() -> None:
    """Unknown staff in post U = 68 on full pay + 3 on leave; full-pay employees T = 100 recorded +
    the 68; recorded full-pay R = 100. Then U - (T - R) = 3: no cell counts those 3, and every count
    is published. hidden_groups finds them and names the three cells."""
    from equality_reports.audit import hidden_groups

    recorded, unknown_full, unknown_leave = units(0, 100), units(100, 168), units(168, 171)
    cells = [cell("U", np.concatenate([unknown_full, unknown_leave])),
             cell("T", np.concatenate([recorded, unknown_full])), cell("R", recorded)]
    [group] = hidden_groups(cells, threshold=10)
    assert group.size == 3 and "U" in group.within
    # withholding one of the three, or a group of 10 or more, leaves nothing to find
    assert hidden_groups([cells[0], cells[1], cell("R", recorded, withheld=True)], threshold=10) == []
    wide = [cell("U", units(100, 178)), cell("T", units(0, 168)), cell("R", recorded)]
    assert hidden_groups(wide, threshold=10) == []


def test_a_small_group_told_apart_by_published_cells_is_found() -> None:
    """A group of 2 that the published cells both separate and determine: all staff 50 = White 40 +
    minority 10; minority 10 = on full pay 8 + the 2 others, where the 8 are published (a published
    small count is the disclosure pass's business, not a hidden group)."""
    from equality_reports.audit import hidden_groups

    white, full, rest = units(0, 40), units(40, 48), units(48, 50)
    cells = [cell("all", units(0, 50)), cell("white", white), cell("minority", np.concatenate([full, rest])),
             cell("full", full)]
    assert [g.size for g in hidden_groups(cells, threshold=10)] == [2]


def test_determined_atoms_agree_with_the_null_space_of_the_dense_matrix() -> None:
    """The Gram-matrix projection (kept sparse for 100k staff) finds exactly the atoms a dense
    null space finds, on random cells-by-atoms matrices with many dependent rows."""
    from scipy import sparse
    from scipy.linalg import null_space

    from equality_reports.audit import _determined_atoms

    rng = np.random.default_rng(7)
    for _ in range(200):
        rows, cols = int(rng.integers(2, 25)), int(rng.integers(2, 40))
        m = (rng.random((rows, cols)) < rng.uniform(0.1, 0.6)).astype(float)
        m = np.vstack([m, m[: rows // 2].sum(axis=0, keepdims=True).clip(max=1)])  # a total of some rows
        basis = null_space(m)
        expected = np.linalg.norm(basis, axis=1) < 1e-8 if basis.size else np.ones(cols, dtype=bool)
        assert (_determined_atoms(sparse.csr_matrix(m)) == expected).all()


# --- records and the people they belong to --------------------------------------------------------

def test_records_number_at_most_the_most_one_person_has_times_the_people() -> None:
    """One leaving record per person: a reader who knows it (or rightly guesses it) reads people
    from records. 24 people left (published), 20 leaving records of group A (published), the 20 A
    leavers and 4 B leavers withheld: with one record each, A's people are 20 and B's 4."""
    people, records = units(0, 24), units(1000, 1024)
    owners = (records, people)
    cells = [cell("leavers", people), cell("A leavers", people[:20], withheld=True),
             cell("B leavers", people[20:], withheld=True), cell("A leaving records", records[:20])]
    blind = {r.key: (r.low, r.high) for r in audit(cells, threshold=10).ranges}
    assert blind["B leavers"] == (4, 23)  # records alone say nothing of people (A is 1 or more)
    result = audit(cells, threshold=10, owners=owners)
    got = {r.key: (r.low, r.high) for r in result.ranges}
    assert got["B leavers"] == (4, 4) and not result.passed
    # two records for one of the A leavers: A's 21 records say A has 11 to 21 people, so B 3 to 13
    records2 = np.concatenate([records, units(5000, 5001)])
    owners2 = (records2, np.concatenate([people, people[:1]]))
    order = np.argsort(owners2[0])
    cells2 = [*cells[:3], cell("A leaving records", np.concatenate([records[:20], units(5000, 5001)]))]
    got2 = {r.key: (r.low, r.high) for r in audit(cells2, threshold=10, owners=(owners2[0][order],
                                                                                  owners2[1][order])).ranges}
    assert got2["B leavers"] == (3, 13)


def test_records_number_at_least_the_people_they_belong_to() -> None:
    """The attacker's case on the NHS sample: 28 people raised grievances and 25 were complained
    about, one record each, 53 records in all; of the 25 complained-about records 11 and 10 are
    published by outcome, 4 withheld. Records alone say nothing of the 25, but a reader knows
    records number at least the people they belong to: 53 - 28 = 25 exactly, so the 4 follow."""
    raised, against = units(0, 28), units(100, 125)          # people
    raised_records, against_records = units(1000, 1028), units(2000, 2025)
    owners = (np.concatenate([raised_records, against_records]), np.concatenate([raised, against]))
    order = np.argsort(owners[0])
    owners = (owners[0][order], owners[1][order])
    cells = [cell("raised", raised), cell("complained about", against),
             cell("all records", np.concatenate([raised_records, against_records])),
             cell("against: not upheld", against_records[:11]), cell("against: upheld", against_records[11:21]),
             cell("against: partly upheld", against_records[21:], withheld=True)]
    blind = {r.key: (r.low, r.high) for r in audit(cells, threshold=10).ranges}
    assert blind["against: partly upheld"][1] == 32  # records alone: up to 53 less 21, wide enough
    result = audit(cells, threshold=10, owners=owners)
    (r,) = result.ranges
    assert (r.low, r.high) == (4, 4) and not result.passed
    assert set(r.binding) <= {"raised", "complained about", "all records", "against: not upheld",
                              "against: upheld"} and r.binding
