"""What published means give away: the sums behind them.

A mean shown beside the number of people it averages is their sum, and a gap between two means,
(reference - group) / reference, relates the two groups' sums. Means over overlapping groups, in
one report or two (the women of the gender pay gap, the Black employees of the ethnicity pay
gap), can so give away the pay of the few people in one group but not the other, or a mean a
report withheld. The count audit (:mod:`equality_reports.audit`) relates numbers of people; this
module relates sums.

Each measure of each period is a space of unknowns: the sums over atoms, the groups of people who
are in exactly the same averaged groups. A shown mean is a known combination of atoms' sums, a
shown gap a known relation between two such combinations; a reader knows a combination exactly
when it lies in the row space of the shown ones. The check is cautious: it assumes a reader knows
every count, and every mean and gap to full precision.

Protected, for each measure and period:

* every withheld (or not shown) mean and gap;
* the pay of fewer than ``threshold`` people: no combination of the sums of atoms of fewer than
  ``threshold`` people may be known, unless it is the plain total of ``threshold`` or more people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from equality_reports.audit import AuditCell, Key, atoms
from equality_reports.measures.units import fingerprint

#: relative size below which a number counts as zero in the linear algebra
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Relation:
    """One declared mean or gap of a run: its key, its measure and period, the groups it averages
    (one for a mean; the group and the reference for a gap), a gap's value, whether withheld."""

    key: Key
    universe: tuple[str, str]
    groups: tuple[np.ndarray, ...]
    gap: float | None
    withheld: bool
    #: a median (or a gap between medians): no sum, related only through gaps (:func:`_medians_exposed`)
    median: bool = False
    #: published before (last year's): never chosen to be withheld
    fixed: bool = False


@dataclass(frozen=True)
class Exposure:
    """Something a reader can work out from the shown means: the mean or gap ``withheld`` (None:
    the pay of ``people`` people, fewer than the threshold), and the shown relations it follows from."""

    universe: tuple[str, str]
    people: int
    keys: tuple[Key, ...]
    withheld: Key | None = None
    #: for medians: the shown relations to withhold to stop it (empty: worked out by the caller)
    cut: tuple[Key, ...] = ()


def exposures(relations: Sequence[Relation], threshold: int) -> list[Exposure]:
    """Every withheld mean or gap, and every small group's pay, the shown relations give away."""
    by_universe: dict[tuple[str, str], list[Relation]] = {}
    for relation in relations:
        if all(len(g) for g in relation.groups):
            by_universe.setdefault(relation.universe, []).append(relation)
    found: list[Exposure] = []
    for universe, group in sorted(by_universe.items()):
        found += _exposed(universe, [r for r in group if not r.median], threshold)
        found += _medians_exposed(universe, [r for r in group if r.median], threshold)
    return found


def _medians_exposed(universe: tuple[str, str], relations: list[Relation], threshold: int) -> list[Exposure]:
    """Medians are no sums: a median is known when it is shown, or linked through shown gaps
    (a gap and one of its two medians give the other) to a shown one. Protected: every withheld
    median and gap, and the median of fewer than ``threshold`` people. The cut for each problem
    is the cheaper of withholding every shown median linked to it (the gaps stay: they are the
    headline figures) and withholding its own gaps and shown copies."""
    nodes: dict[tuple[int, int, int], int] = {}
    size: list[int] = []
    ends: dict[int, tuple[int, ...]] = {}
    for r in relations:
        ends[id(r)] = tuple(nodes.setdefault(fingerprint(np.asarray(g, dtype=np.uint64)), len(nodes))
                            for g in r.groups)
        for g, n in zip(r.groups, ends[id(r)]):
            if n == len(size):
                size.append(len(g))
    parent = list(range(len(size)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    edges = [r for r in relations if len(r.groups) == 2 and not r.withheld]
    for r in edges:
        a, b = ends[id(r)]
        parent[root(a)] = root(b)
    values = [r for r in relations if len(r.groups) == 1 and not r.withheld]
    known = {root(ends[id(r)][0]) for r in values}

    def linked(target: int) -> list[Relation]:
        return [r for r in (*values, *edges) if root(ends[id(r)][0]) == root(target)]

    def cut(target: int, ratio: bool = False, small: bool = False) -> tuple[Key, ...]:
        """What to withhold so that ``target``'s median (``ratio``: its gaps' ratio) is unknown:
        the shown medians linked to it, or its own gaps and copies, the fewer (on a tie, the
        medians, or for a ``small`` group its own figures)."""
        own = [[r for r in edges if target in ends[id(r)]] + [r for r in values if ends[id(r)][0] == target]]
        linked_medians = [] if ratio else [[r for r in values if root(ends[id(r)][0]) == root(target)]]
        options = [o for o in (own + linked_medians if small else linked_medians + own)
                   if o and not any(r.fixed for r in o)]
        return tuple(r.key for r in min(options, key=len)) if options else ()

    found = []
    for r in relations:
        a, b = ends[id(r)][0], ends[id(r)][-1]
        if not r.withheld or (len(r.groups) == 2 and a == b):  # a gap against itself says nothing
            continue
        if len(r.groups) == 1 and root(a) in known:
            found.append(Exposure(universe, size[a], tuple(x.key for x in linked(a)), r.key, cut(a)))
        elif len(r.groups) == 2 and root(a) == root(b):
            found.append(Exposure(universe, size[a], tuple(x.key for x in linked(a)), r.key, cut(a, ratio=True)))
    for i, n in enumerate(size):
        if 0 < n < threshold and root(i) in known:
            found.append(Exposure(universe, n, tuple(x.key for x in linked(i)), None, cut(i, small=True)))
    return found


def _exposed(universe: tuple[str, str], relations: list[Relation], threshold: int) -> list[Exposure]:
    shown = [r for r in relations if not r.withheld]
    if not shown:
        return []
    populations = [g for r in relations for g in r.groups]
    matrix, sizes = atoms([AuditCell(i, np.asarray(g, dtype=np.uint64), 0, False) for i, g in enumerate(populations)])
    incidence = matrix.toarray()
    first = np.cumsum([0, *(len(r.groups) for r in relations)])
    index = {id(r): int(first[i]) for i, r in enumerate(relations)}

    def row(r: Relation) -> np.ndarray:
        """The combination of atoms' sums a shown relation makes known."""
        i = index[id(r)]
        if len(r.groups) == 1:
            vector: np.ndarray = incidence[i]
            return vector
        assert r.gap is not None  # a shown gap has its value
        n_group, n_reference = incidence[i] @ sizes, incidence[i + 1] @ sizes
        # sum_G / n_G = (1 - gap / 100) * sum_R / n_R
        relation: np.ndarray = n_reference * incidence[i] - (1 - r.gap / 100) * n_group * incidence[i + 1]
        largest = np.abs(relation).max()  # zero: a group's gap against itself says nothing
        return relation / largest if largest else relation

    rows = np.vstack([row(r) for r in shown])
    _, singular, vt = np.linalg.svd(rows, full_matrices=True)
    rank = int((singular > singular.max() * _TOLERANCE).sum())
    null = vt[rank:]

    def known(vector: np.ndarray) -> bool:
        return bool(np.linalg.norm(null @ vector) <= _TOLERANCE * 1e3 * np.linalg.norm(vector))

    def from_which(vector: np.ndarray) -> tuple[Key, ...]:
        weights = np.linalg.lstsq(rows.T, vector, rcond=None)[0]
        used = np.abs(weights) > np.abs(weights).max() * 1e-6
        return tuple(r.key for r, u in zip(shown, used) if u)

    found = []
    for r in relations:
        if not r.withheld:
            continue
        targets = [incidence[index[id(r)]]]  # the group's own mean, and the gap where it has a value
        if len(r.groups) == 2 and r.gap is not None and r.gap == r.gap:
            targets.append(row(r))
        for target in targets:
            if target.any() and known(target):
                found.append(Exposure(universe, int(round(target.astype(bool) @ sizes)), from_which(target), r.key))
                break
    small = np.flatnonzero((sizes > 0) & (sizes < threshold))
    known_small = _small_known(null, small, len(sizes)) if len(small) else []

    def people(vector: np.ndarray) -> int:
        return int(round(sizes[np.abs(vector) > np.abs(vector).max() * 1e-6].sum()))

    def large_total(vector: np.ndarray) -> bool:
        support = vector[np.abs(vector) > np.abs(vector).max() * 1e-6]
        return bool(np.allclose(support, support[0])) and people(vector) >= threshold

    # one known combination may be the plain total of enough people; two or more give differences
    bad = [v for v in known_small if not large_total(v)] or (known_small if len(known_small) > 1 else [])
    if bad:
        found.append(Exposure(universe, people(bad[0]), from_which(bad[0])))
    return found


def _small_known(null: np.ndarray, small: np.ndarray, n_atoms: int) -> list[np.ndarray]:
    """A basis of the known combinations of the ``small`` atoms' sums alone: the vectors on them
    that every null-space vector is orthogonal to."""
    if not len(null):
        part = np.eye(len(small))
    else:
        on_small = null[:, small]
        _, singular, vt = np.linalg.svd(on_small, full_matrices=True)
        rank = int((singular > max(singular.max(initial=0.0), 1.0) * _TOLERANCE).sum())
        part = vt[rank:]
    out = []
    for coefficients in part:
        vector = np.zeros(n_atoms)
        vector[small] = coefficients
        out.append(vector)
    return out
