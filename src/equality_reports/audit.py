"""The disclosure auditor: what a reader could work out from everything one run publishes.

Every count cell that declares its units (see :mod:`equality_reports.measures.units`) is the
number of units in a set. Units that belong to exactly the same published and withheld cells form
an *atom*; every cell is the sum of its atoms' sizes. A reader knows each published cell exactly,
so for a withheld cell the question is: over all non-negative whole atom sizes that reproduce every
published number, how small and how large can the cell be? That is a pair of integer programs,
solved with HiGHS (``highspy``): the linear relaxation, warm-started from one cell to the next, and
the integer program where the relaxation's answer is fractional (see :class:`Program`).

The protection rule (docs/disclosure.md):

* every withheld cell's feasible range ``high - low`` is at least ``protection`` wide
  (``protection`` defaults to the disclosure threshold);
* no two published cells whose populations are nested differ by 1 to ``threshold - 1`` (that
  difference counts a small group: 12 applied, 11 promoted publishes the 1 who was not).

The auditor only reads; choosing what else to withhold is :func:`equality_reports.disclosure`'s
job, and the runner refuses to write a report the audit does not pass.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from equality_reports.measures.units import fingerprint

_SEED = 20011127  # fixed: atoms (and so the audit) are the same on every run

#: a cell's key: any hashable value the caller chooses, handed back in ranges and complements (the
#: joint pass uses (report, table, row, column)); Any rather than Hashable so callers read their own keys
Key = Any


@dataclass(frozen=True)
class AuditCell:
    """One count cell of a run: where it is, whom it counts, its true value, whether withheld."""

    key: Key
    units: np.ndarray
    value: int
    withheld: bool


#: the two counts behind a percentage: the audit keys them (percentage key, part)
SHARE_PARTS = ("numerator", "denominator")


def is_share_part(key: Key) -> bool:
    """True for the audit's key of a percentage's count, ``(percentage key, part)``."""
    return isinstance(key, tuple) and len(key) == 2 and key[1] in SHARE_PARTS


@dataclass(frozen=True)
class AuditShare:
    """A published percentage of two unit sets, rounded to ``decimals`` places.

    A reader knows the true share lies within half a unit of the last place, which bounds the
    counts behind it: ``numerator >= (p - h) / 100 * denominator`` and ``<= (p + h) / 100 * ...``.
    """

    key: Key
    numerator: np.ndarray
    denominator: np.ndarray
    percent: float
    decimals: int

    def bounds(self) -> tuple[float, float]:
        half = 0.5 * 10 ** -self.decimals
        return max(self.percent - half, 0.0) / 100, (self.percent + half) / 100


@dataclass(frozen=True)
class Range:
    """The smallest and largest value of a withheld cell consistent with what is published."""

    key: Key
    low: float
    high: float
    #: the cell counts 1 to threshold - 1 (withheld because it is small): only such a cell's range
    #: must be the protection wide; a larger withheld count (withheld to protect another) may be
    #: worked out, and is then as good as published (see :attr:`AuditResult.pinned`)
    small: bool = True
    #: the published cells and percentages whose values bound the range (non-zero duals of its
    #: linear programs): while they are all published the range cannot widen, so one of them must
    #: go (set for ranges too narrow, where the audit solved both ends)
    binding: tuple[Key, ...] = ()

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class HiddenGroup:
    """People counted in no cell of their own (an atom) whose number, 1 to threshold - 1, follows
    exactly from the published cells: the 3 people of a group on leave, from its staff in post in
    one report and its full-pay employees in another. ``within`` holds the published cells
    counting them, one of which must go."""

    size: int
    within: tuple[Key, ...]


@dataclass(frozen=True)
class Complement:
    """Two cells a reader knows (published, or withheld larger counts worked out exactly or
    nearly), one nested in the other, whose difference, a small number, a reader can narrow to
    less than the protection."""

    part: Key
    whole: Key
    difference: int
    #: for a pair with a withheld cell: the published cells and percentages bounding the difference
    binding: tuple[Key, ...] = ()


@dataclass
class AuditResult:
    """The audit of one run: every withheld cell's range and what breaks the protection rule."""

    protection: int
    threshold: int
    ranges: list[Range] = field(default_factory=list)
    complements: list[Complement] = field(default_factory=list)
    #: the groups between a larger withheld count and a cell nested with it found wide enough
    between: list[Range] = field(default_factory=list)

    @property
    def too_narrow(self) -> list[Range]:
        """Ranges of small counts narrower than the protection (an unsolved range, NaN, counts as
        too narrow)."""
        return [r for r in self.ranges if r.small and not r.width >= self.protection]

    @property
    def pinned(self) -> set[Key]:
        """Larger withheld counts a reader can work out exactly (or the audit could not bound):
        as good as published."""
        return {r.key for r in self.ranges if not r.small and not r.width >= 1}

    @property
    def passed(self) -> bool:
        return not self.too_narrow and not self.complements

    @property
    def narrowest(self) -> float | None:
        return min((r.width for r in self.ranges if r.small), default=None)

    def as_dict(self) -> dict[str, object]:
        """For run.json: no counts, only how many cells were audited and whether the run passed."""
        return {"withheld_cells_audited": len(self.ranges), "protection": self.protection,
                "passed": self.passed}

    def diagnostics(self) -> dict[str, object]:
        """For the internal diagnostics only: the narrowest range can give a withheld count away
        (its width may be measured from the true value)."""
        narrowest = self.narrowest
        if narrowest is not None and math.isnan(narrowest):
            narrowest = 0.0  # an unsolved range counts as no protection
        return {**self.as_dict(), "narrowest_range": None if narrowest is None or math.isinf(narrowest)
                else round(narrowest)}


def atoms(cells: Sequence[AuditCell]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The cell-by-atom incidence matrix and each atom's size.

    Units are grouped by the set of cells they belong to, found by adding two random 64-bit
    signatures per cell (a collision would need two different sets with equal sums of both).
    """
    if not cells:
        return sparse.csr_matrix((0, 0)), np.zeros(0)
    # the same population is often published in several tables: work on each distinct set once
    distinct: dict[tuple[int, int, int], int] = {}
    first: list[np.ndarray] = []
    which = np.empty(len(cells), dtype=np.int64)
    for j, cell in enumerate(cells):
        units = np.asarray(cell.units, dtype=np.uint64)
        which[j] = distinct.setdefault(fingerprint(units), len(first))
        if which[j] == len(first):
            first.append(units)
    all_units = np.unique(np.concatenate(first))
    rng = np.random.default_rng(_SEED)
    keys = rng.integers(1, 2**63 - 1, size=(len(first), 2), dtype=np.int64).astype(np.uint64)
    sig = np.zeros((len(all_units), 2), dtype=np.uint64)
    positions = []
    with np.errstate(over="ignore"):
        for k, units in enumerate(first):
            pos = np.searchsorted(all_units, units)
            positions.append(pos)
            sig[pos] += keys[k]
    atom_of_unit, sizes = _group_rows(sig)
    members = [np.unique(atom_of_unit[pos]) for pos in positions]
    cols = [members[k] for k in which]
    rows = [np.full(len(c), j) for j, c in enumerate(cols)]
    matrix = sparse.csr_matrix((np.ones(sum(len(c) for c in cols)), (np.concatenate(rows), np.concatenate(cols))),
                               shape=(len(cells), len(sizes)))
    return matrix, sizes.astype(float)


def _group_rows(sig: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a two-column array: each row's group number (groups in sorted order) and the group
    sizes; ``np.unique(axis=0)`` does the same, several times slower."""
    order = np.lexsort((sig[:, 1], sig[:, 0]))
    ordered = sig[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    group_sorted = np.cumsum(new) - 1
    group = np.empty(len(order), dtype=np.int64)
    group[order] = group_sorted
    return group, np.bincount(group_sorted)


def audit(cells: Sequence[AuditCell], threshold: int, protection: int | None = None,
          known_protected: Mapping[Key, Range] | frozenset[Key] = frozenset(),
          shares: Sequence[AuditShare] = (),
          owners: tuple[np.ndarray, np.ndarray] | None = None) -> AuditResult:
    """Ranges of every withheld cell and the small complements among published cells.

    ``shares`` are published percentages: each bounds its numerator and denominator counts.

    ``owners`` (sorted record codes, and the person each belongs to: see
    :func:`equality_reports.measures.units.record_owners`) adds what a reader knows of records:
    a cell of records holds at least as many records as there are people owning them (28 people
    raised grievances, so their grievance records number 28 or more).

    ``known_protected`` names withheld cells already shown protected by an earlier audit of the
    same run with fewer cells withheld (with their ranges then, when a mapping): withholding more
    only removes what a reader knows, so their ranges can only have grown, and they are not
    solved again.
    """
    protection = threshold if protection is None else protection
    result = AuditResult(protection, threshold)
    if not cells:
        return result
    # a percentage's count that no cell publishes is audited as a withheld count of its own, keyed
    # (percentage key, "numerator" or "denominator"): the percentage may pin it (the White British
    # paid a bonus, from their share and headcount), and then it must not be small, nor differ
    # from a published count by a small number (the other White staff paid one)
    counted = {fingerprint(np.asarray(c.units, dtype=np.uint64)) for c in cells}
    parts: dict[tuple[int, int, int], AuditCell] = {}
    for s in shares:
        for part, units in zip(SHARE_PARTS, (s.numerator, s.denominator)):
            own = fingerprint(np.asarray(units, dtype=np.uint64))
            if len(units) and own not in counted:
                parts.setdefault(own, AuditCell((s.key, part), units, len(units), True))
    n_shown = len(cells)  # the cells a publication shows, published or [c]
    cells = [*cells, *parts.values()]
    # the shares' unit sets join the atoms as cells of their own, neither published nor withheld
    extra = [AuditCell((s.key, part), units, len(units), False) for s in shares
             for part, units in zip(SHARE_PARTS, (s.numerator, s.denominator))]
    # so do the record atoms and the people owning each
    owned = _owned([*cells, *extra], owners)
    extra += [AuditCell((part, k), units, len(units), False) for k, triple in enumerate(owned)
              for part, units in zip(("records", "owners"), triple[:2])]
    full, sizes = atoms([*cells, *extra])
    n_cells = len(cells)
    matrix = full[:n_cells]
    values = np.array([c.value for c in cells], dtype=float)
    withheld = np.array([c.withheld for c in cells], dtype=bool)
    _check_consistent(cells, matrix, sizes, values)
    published = np.flatnonzero(~withheld)
    ratio_rows, ratio_low, ratio_high = _share_rows(shares, full[n_cells:n_cells + 2 * len(shares)])
    if owned:  # owners <= records <= most * owners, after the shares' rows (binding keeps only those)
        first = n_cells + 2 * len(shares)
        held = [full[first + 2 * k] - full[first + 2 * k + 1] for k in range(len(owned))]
        most = [full[first + 2 * k] - triple[2] * full[first + 2 * k + 1] for k, triple in enumerate(owned)]
        ratio_rows = sparse.vstack([ratio_rows, *held, *most]).tocsr()
        ratio_low = np.concatenate([ratio_low, np.zeros(len(held)), np.full(len(most), -np.inf)])
        ratio_high = np.concatenate([ratio_high, np.full(len(held), np.inf), np.zeros(len(most))])
    # a reader may take a [c] to be 1 or more (a zero is shown unless nothing else can be withheld):
    # true of every withheld count that is not 0, so the audit knows it too (fail closed)
    nonzero = np.flatnonzero(withheld[:n_shown] & (values[:n_shown] >= 1))
    if len(nonzero):
        ratio_rows = sparse.vstack([ratio_rows, matrix[nonzero]]).tocsr()
        ratio_low = np.concatenate([ratio_low, np.ones(len(nonzero))])
        ratio_high = np.concatenate([ratio_high, np.full(len(nonzero), np.inf)])
    # components of the graph joining cells (and share constraints) through shared atoms: each
    # withheld cell is solved only with the cells and atoms it is connected to
    links = sparse.vstack([matrix, abs(ratio_rows)]).tocsr() if ratio_rows.shape[0] else matrix
    n_links = links.shape[0]
    graph = sparse.bmat([[None, links], [links.T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    programs: dict[int, tuple[Program, np.ndarray, np.ndarray, np.ndarray]] = {}

    def program_of(j: int) -> tuple[Program, np.ndarray, np.ndarray, np.ndarray]:
        """The program of cell ``j``'s component, its atoms, published cells and percentage rows."""
        comp = label[j]
        if comp not in programs:
            cell_ids = np.flatnonzero(label[:n_cells] == comp)
            atom_ids = np.flatnonzero(label[n_links:] == comp)
            pub = np.intersect1d(cell_ids, published)
            ratios = np.flatnonzero(label[n_cells:n_links] == comp)
            rows = sparse.vstack([matrix[pub][:, atom_ids], ratio_rows[ratios][:, atom_ids]]).tocsr()
            programs[comp] = (Program(rows, np.concatenate([values[pub], ratio_low[ratios]]),
                                      np.concatenate([values[pub], ratio_high[ratios]])), atom_ids, pub, ratios)
        return programs[comp]

    for j in map(int, np.flatnonzero(withheld)):
        if matrix[j].nnz == 0:
            # a withheld zero counts nobody, so no unit relates it to another cell: the audit
            # cannot bound it (it would always read "exactly 0"); its own table's checks protect it
            continue
        if cells[j].key in known_protected:
            earlier = known_protected.get(cells[j].key) if isinstance(known_protected, Mapping) else None
            result.ranges.append(earlier or Range(cells[j].key, values[j], math.inf))
            continue
        program, atom_ids, pub, ratios = program_of(j)
        objective = matrix[j][:, atom_ids].toarray().ravel()
        small = bool(values[j] < threshold)
        # a small count's range must be the protection wide; a larger one need only not be pinned
        needed = protection if small else 1
        high = program.extreme(objective, maximise=True)
        if high >= values[j] + needed:  # wide enough whatever the lower end: one program
            low, binding = values[j], ()
        else:
            upper = program.binding
            low = program.extreme(objective, maximise=False)
            rows = np.union1d(upper, program.binding)
            # the published cells and percentages whose rows bound either end (two rows a percentage)
            share_rows = ratios[rows[rows >= len(pub)] - len(pub)]
            binding = (*(cells[k].key for k in pub[rows[rows < len(pub)]]),
                       *dict.fromkeys(shares[i].key for i in share_rows[share_rows < 2 * len(shares)] // 2)) \
                if not high - low >= needed else ()
        result.ranges.append(Range(cells[j].key, low, high, small, binding))
    # a larger withheld count a reader can work out is as good as published for the differences
    pinned = result.pinned
    known = np.union1d(published, [i for i, c in enumerate(cells) if c.key in pinned]).astype(int)
    result.complements = _complements(cells, matrix, values, known, threshold)
    # a larger one a reader cannot pin may still bound its difference with a cell it nests with
    # (two wide ranges, 12 applied and 11 promoted, can differ by exactly 1)
    index = {c.key: i for i, c in enumerate(cells)}
    loose = [index[r.key] for r in result.ranges if not r.small and r.key not in pinned]
    if loose:
        found, result.between = _loose_differences(cells, matrix, values, known, np.array(loose), threshold,
                                                   protection, program_of, known_protected)
        result.complements += found
    return result


def _loose_differences(cells: Sequence[AuditCell], matrix: sparse.csr_matrix, values: np.ndarray, known: np.ndarray,
                       loose: np.ndarray, threshold: int, protection: int,
                       program_of: Callable[[int], tuple[Program, np.ndarray, np.ndarray, np.ndarray]],
                       known_protected: Mapping[Key, Range] | frozenset[Key] = frozenset()
                       ) -> tuple[list[Complement], list[Range]]:
    """Nested pairs of a withheld larger count and a known cell (or another such count) differing
    by a small number that the published cells bound to less than the protection: the group
    between them, solved as a cell of its own (its range keyed ``("between", part, whole)``; one
    in ``known_protected`` is not solved again). Returns those pairs, and the ranges found wide."""
    both = np.concatenate([known, loose])
    sub = matrix[both]
    overlap = (sub @ sub.T).toarray()
    size = np.diag(overlap)
    found, wide = [], []
    for a, b in zip(*np.nonzero(overlap == size[:, None])):  # atoms of a all inside b
        if a == b or (a < len(known) and b < len(known)) or not size[a] < size[b]:
            continue
        i, j = int(both[a]), int(both[b])
        difference = int(round(values[j] - values[i]))
        if not 0 < difference < threshold:
            continue
        key = ("between", cells[i].key, cells[j].key)
        if key in known_protected:
            continue
        program, atom_ids, pub, _ = program_of(j)
        objective = (matrix[j] - matrix[i])[:, atom_ids].toarray().ravel()
        high = program.extreme(objective, maximise=True)
        if high >= difference + protection:
            wide.append(Range(key, difference, high))
            continue
        upper = program.binding
        low = program.extreme(objective, maximise=False)
        if high - low >= protection:
            wide.append(Range(key, low, high))
            continue
        rows = np.union1d(upper, program.binding)
        found.append(Complement(cells[i].key, cells[j].key, difference,
                                tuple(cells[k].key for k in pub[rows[rows < len(pub)]])))
    return found, wide


def _owned(cells: Sequence[AuditCell], owners: tuple[np.ndarray, np.ndarray] | None
           ) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """The record atoms (records in exactly the same cells) with the people owning them and the
    most records one of them owns: a reader knows each holds at least as many records as people,
    and so does every union of them (the records of one role, of one group), since records number
    at least their owners in each; and may know (or rightly guess) how many records a person can
    have at most, one leaving record each, say: the audit assumes the truth (fail closed)."""
    if owners is None or not len(owners[0]):
        return []
    records, people = owners
    lists = []
    for cell in cells:
        units = np.asarray(cell.units, dtype=np.uint64)
        at = np.searchsorted(records, units).clip(max=len(records) - 1) if len(units) else units.astype(np.int64)
        lists.append(units[records[at] == units] if len(units) else units)
    if not any(len(u) for u in lists):
        return []
    all_units = np.unique(np.concatenate(lists))
    keys = np.random.default_rng(_SEED + 1).integers(1, 2**63 - 1, size=(len(lists), 2),
                                                      dtype=np.int64).astype(np.uint64)
    sig = np.zeros((len(all_units), 2), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k, units in enumerate(lists):
            if len(units):
                sig[np.searchsorted(all_units, units)] += keys[k]
    atom_of_unit, _ = _group_rows(sig)
    order = np.argsort(atom_of_unit, kind="stable")
    bounds = np.flatnonzero(np.diff(atom_of_unit[order])) + 1
    out = []
    for group in np.split(all_units[order], bounds):
        mine = people[np.searchsorted(records, group)]
        owned, per_owner = np.unique(mine, return_counts=True)
        out.append((group, owned, int(per_owner.max())))
    return out


def _share_rows(shares: Sequence[AuditShare], parts: sparse.csr_matrix
                ) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Two rows per share, ``num - lo * den >= 0`` and ``num - hi * den <= 0``, with their bounds."""
    if not shares:
        return sparse.csr_matrix((0, parts.shape[1])), np.zeros(0), np.zeros(0)
    rows, low, high = [], [], []
    for i, share in enumerate(shares):
        num, den = parts[2 * i], parts[2 * i + 1]
        lo, hi = share.bounds()
        rows += [num - lo * den, num - hi * den]
        low += [0.0, -np.inf]
        high += [np.inf, 0.0]
    return sparse.vstack(rows).tocsr(), np.array(low), np.array(high)


def _check_consistent(cells: Sequence[AuditCell], matrix: sparse.csr_matrix, sizes: np.ndarray,
                      values: np.ndarray) -> None:
    got = matrix @ sizes
    bad = np.flatnonzero(np.abs(got - values) > 0.5)
    if len(bad):
        j = bad[0]
        raise ValueError(f"cell {cells[j].key}: its value {cells[j].value} is not the number of units it "
                         f"declares ({int(got[j])}); a report counted differently from its declared population")


#: problems up to this many variables are solved in whole numbers when the linear answer is fractional
EXACT_LIMIT = 60


class Program:
    """``x >= 0`` with ``row_lower <= a @ x <= row_upper``, optimised for many objectives (HiGHS,
    warm-started); ``row_upper`` defaults to ``row_lower`` (equalities).

    Extremes are whole numbers: the linear relaxation's optimum, rounded inwards, when its solution
    is whole or the problem is large; the integer program's optimum when the relaxation's solution
    is fractional and the problem small. Large fractional cases keep the relaxation's bound (an
    honest limit, see docs/disclosure.md): on the tables reports publish, the two agree.
    """

    def __init__(self, a_eq: sparse.spmatrix, b_eq: np.ndarray, b_high: np.ndarray | None = None) -> None:
        a = sparse.csc_matrix(a_eq, dtype=float)
        self.n, self.rows = a.shape[1], a.shape[0]
        self.highs = new_highs()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n, a.shape[0]
        lp.col_cost_ = np.zeros(self.n)
        lp.col_lower_ = np.zeros(self.n)
        lp.col_upper_ = np.full(self.n, highspy.kHighsInf)
        lp.row_lower_ = np.asarray(b_eq, dtype=float)
        lp.row_upper_ = lp.row_lower_ if b_high is None else np.asarray(b_high, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
        self.highs.passModel(lp)
        self.columns = np.arange(self.n, dtype=np.int32)
        #: the objective being optimised (minimised): its value is worked out from the solution
        self.cost = np.zeros(self.n)
        #: the rows bounding the last optimum (non-zero duals of the linear program)
        self.binding = np.zeros(0, dtype=np.int64)

    def extreme(self, objective: np.ndarray, *, maximise: bool) -> float:
        """The largest (or smallest) whole value of ``objective @ x``; inf when unbounded, NaN
        when the solver could not finish (callers treat NaN as not protected)."""
        self.binding = np.zeros(0, dtype=np.int64)
        if self.rows == 0:  # nothing published constrains these units
            return math.inf if maximise and objective.any() else 0.0
        sign = -1.0 if maximise else 1.0
        self.cost = sign * np.asarray(objective, dtype=float)
        self.highs.changeColsCost(self.n, self.columns, self.cost)
        value, whole = self._run()
        if value is None:
            return math.inf if maximise else 0.0
        self.binding = np.flatnonzero(np.abs(np.asarray(self.highs.getSolution().row_dual)) > 1e-9)
        if not whole and self.n <= EXACT_LIMIT:
            value = self._whole_optimum()
            if value is None:
                return math.nan
        best = sign * value
        return float(math.floor(best + 1e-6) if maximise else math.ceil(best - 1e-6))

    def _whole_optimum(self) -> float | None:
        """The integer program's optimum of the current cost, solved by a fresh HiGHS (the
        warm-started one, reused after its integer search, returned a solution worth 2 beside an
        objective of 1, and another time an objective of 0 for a solution worth 1). The answer is
        the value of a checked solution, kept only when it agrees with the solver's bound: else
        None (callers treat it as not solved)."""
        lp = self.highs.getLp()
        lp.col_cost_ = self.cost
        lp.integrality_ = [highspy.HighsVarType.kInteger] * self.n
        highs = new_highs()
        highs.setOptionValue("presolve", "on")  # the integer search needs it
        highs.setOptionValue("simplex_strategy", 1)
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.passModel(lp)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(highs.getSolution().col_value)
        rows = np.asarray(sparse.csc_matrix((lp.a_matrix_.value_, lp.a_matrix_.index_, lp.a_matrix_.start_),
                                            shape=(lp.num_row_, self.n)) @ x)
        value = float(self.cost @ x)
        bound = float(highs.getInfo().mip_dual_bound)
        feasible = (np.allclose(x, np.round(x), atol=1e-7) and bool(np.all(x >= -1e-7))
                    and bool(np.all(rows >= np.asarray(lp.row_lower_) - 1e-6))
                    and bool(np.all(rows <= np.asarray(lp.row_upper_) + 1e-6)))
        return value if feasible and abs(value - bound) < 1e-6 else None

    def _run(self) -> tuple[float | None, bool]:
        self.highs.run()
        status = self.highs.getModelStatus()
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded):
            # a warm start after a changed objective can mislead the simplex: solve from scratch
            self.highs.clearSolver()
            self.highs.run()
            status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return None, True
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"disclosure audit: HiGHS could not solve a program ({status})")
        x = np.asarray(self.highs.getSolution().col_value)
        return float(self.cost @ x), bool(np.allclose(x, np.round(x), atol=1e-7))


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance (HiGHS prints a banner on the first one a process makes)."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        highs = highspy.Highs()
    else:
        with _quiet_stdout():
            highs = highspy.Highs()
        _BANNER_SHOWN = True
    highs.setOptionValue("output_flag", False)
    # one model, many objectives: primal simplex restarts from the last basis (the constraints
    # never change, so it stays feasible), about seven times faster than a fresh solve each time
    highs.setOptionValue("presolve", "off")
    highs.setOptionValue("simplex_strategy", 4)
    return highs


_BANNER_SHOWN = False


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def movable(variable: int, a_eq: np.ndarray, b_eq: np.ndarray, value: float) -> bool:
    """Whether ``x[variable]`` can take a whole value other than ``value`` over whole ``x >= 0``
    with ``a_eq @ x == b_eq``. Tries the larger side first: one program for most cells. A search
    that could not finish counts as not movable (fail closed)."""
    program = Program(sparse.csr_matrix(a_eq), b_eq)
    objective = np.zeros(a_eq.shape[1])
    objective[variable] = 1.0
    high = program.extreme(objective, maximise=True)
    if high >= value + 1:
        return True
    low = program.extreme(objective, maximise=False)
    return bool(low <= value - 1)


def _complements(cells: Sequence[AuditCell], matrix: sparse.csr_matrix, values: np.ndarray,
                 published: np.ndarray, threshold: int) -> list[Complement]:
    """Published pairs whose populations are nested and whose difference is 1..threshold-1."""
    if len(published) < 2 or threshold <= 1:
        return []
    sub = matrix[published]
    overlap = (sub @ sub.T).toarray()
    size = np.diag(overlap)
    found = []
    for a, b in zip(*np.nonzero(overlap == size[:, None])):  # atoms of a all inside b
        if a == b:
            continue
        i, j = published[a], published[b]
        diff = int(round(values[j] - values[i]))
        if 0 < diff < threshold and size[a] < size[b]:
            found.append(Complement(cells[i].key, cells[j].key, diff))
    found += _remainders(cells, values, published, overlap, size, threshold)
    return found


def _remainders(cells: Sequence[AuditCell], values: np.ndarray, published: np.ndarray, overlap: np.ndarray,
                size: np.ndarray, threshold: int) -> list[Complement]:
    """Published cells whose published, non-overlapping parts leave a small remainder: 30
    appraised, 12 benefited, 12 neither and 0 detriment publish the 6 with no recorded outcome.

    For each published cell the parts are taken largest first among its published sub-cells that
    share no atom with a part already taken; the smallest part is reported as the one to withhold.
    """
    found = []
    for b in range(len(published)):
        inside = np.flatnonzero((overlap[:, b] == size) & (size < size[b]))
        if len(inside) < 2:
            continue
        order = inside[np.argsort(-values[published[inside]], kind="stable")]
        meets = overlap[np.ix_(order, order)] > 0
        free = np.ones(len(order), dtype=bool)  # shares no atom with a part already taken
        taken: list[int] = []
        for i, a in enumerate(order.tolist()):
            if free[i]:
                taken.append(a)
                free &= ~meets[i]
        if len(taken) < 2:
            continue
        rest = int(round(values[published[b]] - sum(values[published[t]] for t in taken)))
        if 0 < rest < threshold:
            smallest = min(taken, key=lambda k: (values[published[k]] == 0, values[published[k]]))
            found.append(Complement(cells[published[smallest]].key, cells[published[b]].key, rest))
    return found


def hidden_groups(cells: Sequence[AuditCell], threshold: int) -> list[HiddenGroup]:
    """Groups of 1 to ``threshold - 1`` people that are no published cell but whose number follows
    from published cells, to one level beyond the complements: a group a reader can tell apart
    (the same published cells count them; withheld cells separate nobody for a reader) that the
    published cells determine (its indicator lies in their row space), and a published cell minus
    a difference of two nested ones, or such a difference minus a published cell (the 3 people of
    a group on leave: its staff in post in one report, less its full-pay employees worked out in
    another as all full-pay employees less those whose group is recorded)."""
    shown = [c for c in cells if not c.withheld]
    if not shown:
        return []
    matrix, sizes = atoms(shown)
    found: dict[tuple[int, ...], HiddenGroup] = {}

    cells_as_sets = {tuple(row.indices.tolist()) for row in matrix}  # a published cell is no hidden group

    def note(vector: np.ndarray, size: float, keys: tuple[Key, ...]) -> None:
        members = tuple(np.flatnonzero(vector > 0.5).tolist())
        if members not in found and members not in cells_as_sets:
            found[members] = HiddenGroup(int(round(size)), keys)

    determined = _determined_atoms(matrix)
    by_group = matrix.tocsc()
    for a in np.flatnonzero(determined & (sizes > 0) & (sizes < threshold)):
        rows = by_group.indices[by_group.indptr[a]:by_group.indptr[a + 1]]
        one = np.zeros(len(sizes))
        one[a] = 1.0
        note(one, sizes[a], tuple(shown[j].key for j in rows))
    # distinct published sets, their sizes and overlaps (in people), kept sparse: there are as
    # many atoms as groups of people in exactly the same cells, tens of thousands at 100k staff
    first: dict[tuple[int, ...], int] = {}
    for j in range(matrix.shape[0]):
        first.setdefault(tuple(sorted(matrix[j].indices.tolist())), j)
    order = sorted(first.values())
    sets = matrix[order].tocsr()
    keys = [shown[j].key for j in order]
    size = np.asarray(sets @ sizes).ravel()
    overlap = np.asarray((sets @ sparse.diags(sizes) @ sets.T).toarray())
    inside = np.isclose(overlap, size[:, None]) & (size[:, None] < size[None, :])  # row strictly inside column
    part, whole = np.nonzero(inside)

    def row(k: int) -> np.ndarray:
        dense: np.ndarray = sets[k].toarray().ravel()
        return dense

    for lo in range(0, len(part), 2000):  # differences of nested published sets, a block at a time
        p, w = part[lo:lo + 2000], whole[lo:lo + 2000]
        dsize = size[w] - size[p]
        big = dsize >= threshold  # a small one is a complement: audit() reports it
        dsize, p, w = dsize[big], p[big], w[big]
        cross = overlap[w] - overlap[p]  # people of each difference in each published set
        # a difference inside a published set, and a published set inside a difference
        for test, left in ((np.isclose(cross, dsize[:, None]), True), (np.isclose(cross, size[None, :]), False)):
            rows, cols = np.nonzero(test)
            rest = (size[cols] - dsize[rows]) if left else (dsize[rows] - size[cols])
            for r, c, n in zip(rows.tolist(), cols.tolist(), rest.tolist()):
                if 0 < n < threshold:
                    diff = row(w[r]) - row(p[r])
                    note(row(c) - diff if left else diff - row(c), n, (keys[w[r]], keys[p[r]], keys[c]))
    return list(found.values())


def _determined_atoms(matrix: sparse.csr_matrix) -> np.ndarray:
    """Which atoms the published cells determine: an atom's indicator lies in the row space of
    the cells-by-atoms matrix exactly when every vector of its null space is zero there. Random
    vectors projected onto the null space (through the cells-by-cells Gram matrix, small, never the
    dense cells-by-atoms matrix) are zero at those atoms and, with probability one, nowhere else."""
    n_atoms = matrix.shape[1]
    if matrix.shape[0] == 0:
        return np.zeros(n_atoms, dtype=bool)
    m = matrix.astype(float).tocsr()
    gram = np.asarray((m @ m.T).toarray())
    values, vectors = np.linalg.eigh(gram)
    keep = values > values.max() * 1e-12
    vectors, values = vectors[:, keep], values[keep]
    draws = np.random.default_rng(_SEED).standard_normal((n_atoms, 4))
    coefficients = vectors @ ((vectors.T @ (m @ draws)) / values[:, None])
    residual = draws - m.T @ coefficients  # the part of each draw in the null space
    return np.asarray(np.abs(residual).max(axis=1) < 1e-7 * np.abs(draws).max(axis=1).clip(min=1.0))
