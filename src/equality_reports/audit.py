"""The disclosure auditor: what a reader could work out from everything one run publishes.

Every count cell that declares its units (see :mod:`equality_reports.measures.units`) is the
number of units in a set. Units that belong to exactly the same published and withheld cells form
an *atom*; every cell is the sum of its atoms' sizes. A reader knows each published cell exactly,
so for a withheld cell the question is: over all non-negative whole atom sizes that reproduce every
published number, how small and how large can the cell be? That is a pair of integer programs,
solved with HiGHS through :func:`scipy.optimize.linprog` (and :func:`scipy.optimize.milp` when the
linear relaxation's answer is fractional).

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
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog, milp, LinearConstraint, Bounds
from scipy.sparse.csgraph import connected_components

_SEED = 20011127  # fixed: atoms (and so the audit) are the same on every run


@dataclass(frozen=True)
class AuditCell:
    """One count cell of a run: where it is, whom it counts, its true value, whether withheld."""

    key: Hashable
    units: np.ndarray
    value: int
    withheld: bool


@dataclass(frozen=True)
class Range:
    """The smallest and largest value of a withheld cell consistent with what is published."""

    key: Hashable
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Complement:
    """Two published cells, one nested in the other, differing by a small number."""

    part: Hashable
    whole: Hashable
    difference: int


@dataclass
class AuditResult:
    """The audit of one run: every withheld cell's range and what breaks the protection rule."""

    protection: int
    threshold: int
    ranges: list[Range] = field(default_factory=list)
    complements: list[Complement] = field(default_factory=list)

    @property
    def too_narrow(self) -> list[Range]:
        """Ranges narrower than the protection (an unsolved range, NaN, counts as too narrow)."""
        return [r for r in self.ranges if not r.width >= self.protection]

    @property
    def passed(self) -> bool:
        return not self.too_narrow and not self.complements

    @property
    def narrowest(self) -> float | None:
        return min((r.width for r in self.ranges), default=None)

    def as_dict(self) -> dict[str, object]:
        """For run.json: no counts, only how many cells were audited and the narrowest range."""
        narrowest = self.narrowest
        if narrowest is not None and math.isnan(narrowest):
            narrowest = 0
        return {"withheld_cells_audited": len(self.ranges), "protection": self.protection,
                "narrowest_range": None if narrowest is None or math.isinf(narrowest) else round(narrowest),
                "passed": self.passed}


def atoms(cells: Sequence[AuditCell]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The cell-by-atom incidence matrix and each atom's size.

    Units are grouped by the set of cells they belong to, found by adding two random 64-bit
    signatures per cell (a collision would need two different sets with equal sums of both).
    """
    if not cells:
        return sparse.csr_matrix((0, 0)), np.zeros(0)
    all_units = np.unique(np.concatenate([np.asarray(c.units, dtype=np.uint64) for c in cells]))
    rng = np.random.default_rng(_SEED)
    keys = rng.integers(1, 2**63 - 1, size=(len(cells), 2), dtype=np.int64).astype(np.uint64)
    sig = np.zeros((len(all_units), 2), dtype=np.uint64)
    positions = []
    with np.errstate(over="ignore"):
        for j, cell in enumerate(cells):
            pos = np.searchsorted(all_units, np.asarray(cell.units, dtype=np.uint64))
            positions.append(pos)
            sig[pos] += keys[j]
    _, atom_of_unit, sizes = np.unique(sig, axis=0, return_inverse=True, return_counts=True)
    atom_of_unit = atom_of_unit.ravel()
    rows, cols = [], []
    for j, pos in enumerate(positions):
        a = np.unique(atom_of_unit[pos])
        rows.append(np.full(len(a), j))
        cols.append(a)
    matrix = sparse.csr_matrix((np.ones(sum(len(c) for c in cols)), (np.concatenate(rows), np.concatenate(cols))),
                               shape=(len(cells), len(sizes)))
    return matrix, sizes.astype(float)


def audit(cells: Sequence[AuditCell], threshold: int, protection: int | None = None) -> AuditResult:
    """Ranges of every withheld cell and the small complements among published cells."""
    protection = threshold if protection is None else protection
    result = AuditResult(protection, threshold)
    if not cells:
        return result
    matrix, sizes = atoms(cells)
    values = np.array([c.value for c in cells], dtype=float)
    withheld = np.array([c.withheld for c in cells], dtype=bool)
    _check_consistent(cells, matrix, sizes, values)
    published = np.flatnonzero(~withheld)
    # components of the graph joining cells through shared atoms: each withheld cell is solved
    # only with the cells and atoms it is connected to
    n_cells, n_atoms = matrix.shape
    graph = sparse.bmat([[None, matrix], [matrix.T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    for j in np.flatnonzero(withheld):
        comp = label[j]
        cell_ids = np.flatnonzero(label[:n_cells] == comp)
        atom_ids = np.flatnonzero(label[n_cells:] == comp)
        pub = np.intersect1d(cell_ids, published)
        low, high = _bounds(matrix[j][:, atom_ids], matrix[pub][:, atom_ids], values[pub])
        result.ranges.append(Range(cells[j].key, low, high))
    result.complements = _complements(cells, matrix, values, published, threshold)
    return result


def _check_consistent(cells: Sequence[AuditCell], matrix: sparse.csr_matrix, sizes: np.ndarray,
                      values: np.ndarray) -> None:
    got = matrix @ sizes
    bad = np.flatnonzero(np.abs(got - values) > 0.5)
    if len(bad):
        j = bad[0]
        raise ValueError(f"cell {cells[j].key}: its value {cells[j].value} is not the number of units it "
                         f"declares ({int(got[j])}); a report counted differently from its declared population")


def movable(variable: int, a_eq: np.ndarray, b_eq: np.ndarray, value: float) -> bool:
    """Whether ``x[variable]`` can take a whole value other than ``value`` (over whole ``x >= 0`` with ``a_eq @ x == b_eq``).

    Tries the larger side first and stops as soon as one side moves: one program for most cells.
    An unfinished search counts as not movable (fail closed).
    """
    a, b = sparse.csr_matrix(a_eq), np.asarray(b_eq, dtype=float)
    c = np.zeros(a_eq.shape[1])
    c[variable] = 1.0
    high = _solve(-c, a, b)
    if high is None or -high >= value + 1:
        return True
    low = _solve(c, a, b)
    return bool(low is not None and low <= value - 1)


def _bounds(objective: sparse.csr_matrix, a_eq: sparse.csr_matrix, b_eq: np.ndarray) -> tuple[float, float]:
    """min and max of ``objective @ x`` over whole ``x >= 0`` with ``a_eq @ x == b_eq``."""
    c = np.asarray(objective.todense()).ravel()
    if a_eq.shape[0] == 0:
        return 0.0, math.inf
    low = _solve(c, a_eq, b_eq)
    high = _solve(-c, a_eq, b_eq)
    return low, (math.inf if high is None else -high)  # type: ignore[return-value]


def _solve(c: np.ndarray, a_eq: sparse.csr_matrix, b_eq: np.ndarray) -> float | None:
    """Optimum of ``c @ x`` (None when unbounded), integral when the relaxation is not."""
    res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status == 3:
        return None
    if res.status != 0:
        raise RuntimeError(f"disclosure audit: the linear program could not be solved ({res.message})")
    if np.allclose(res.x, np.round(res.x), atol=1e-7):
        return float(np.round(res.fun, 6))
    exact = milp(c, constraints=LinearConstraint(a_eq, b_eq, b_eq), integrality=np.ones(len(c)),
                 bounds=Bounds(0, np.inf), options={"time_limit": 20})
    if exact.status == 0:
        return float(np.round(exact.fun, 6))
    return math.nan  # fail closed: an unfinished search leaves the range unknown, never assumed wide


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
    return found
