"""The cheapest set of published numbers to withhold so that every problem the audit found is met.

Each problem the auditor reports comes with the published numbers that cause it (a *cut*): the
cells and percentages bounding a withheld count's range (while every one of them is published, the
range cannot widen: the same dual certificate still bounds it), the two nested counts of a small
difference, the counts a small group follows from. At least one number of each cut must go. Every
cut found in a run stays true whatever else is withheld, so the joint pass gathers them round by
round and asks, each time, for the cheapest choice meeting all of them at once (a weighted hitting
set, solved as an integer program with HiGHS), rather than adding one cell per problem in turn:
a count that meets several problems at once, or a cheap cell far from the problem, wins over the
nearest one.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import highspy
import numpy as np
from scipy import sparse

from equality_reports.audit import new_highs

#: seconds HiGHS may spend on one choice; the best choice found by then is taken
TIME_LIMIT = 20.0


def cheapest_cover(cuts: Sequence[frozenset[Hashable]], cost: Mapping[Hashable, float]) -> set[Hashable]:
    """The set of items of least total ``cost`` holding at least one item of every cut (every
    cut must be non-empty). Solved exactly when HiGHS finishes within :data:`TIME_LIMIT`, else its
    best answer, else greedily (most cuts met per unit of cost)."""
    items = sorted({item for cut in cuts for item in cut}, key=repr)
    if not items:
        return set()
    where = {item: i for i, item in enumerate(items)}
    rows = np.concatenate([np.full(len(cut), k) for k, cut in enumerate(cuts)])
    cols = np.array([where[item] for cut in cuts for item in cut])
    a = sparse.csc_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(cuts), len(items)))
    weights = np.array([max(float(cost[item]), 1e-3) for item in items])
    chosen = _solve(a, weights)
    if chosen is None:
        chosen = _greedy(a.tocsr(), weights)
    return {items[i] for i in np.flatnonzero(chosen)}


def _solve(a: sparse.csc_matrix, weights: np.ndarray) -> np.ndarray | None:
    highs = new_highs()
    highs.setOptionValue("presolve", "on")
    highs.setOptionValue("simplex_strategy", 1)
    highs.setOptionValue("time_limit", TIME_LIMIT)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
    lp.col_cost_ = weights
    lp.col_lower_ = np.zeros(a.shape[1])
    lp.col_upper_ = np.ones(a.shape[1])
    lp.row_lower_ = np.ones(a.shape[0])
    lp.row_upper_ = np.full(a.shape[0], highspy.kHighsInf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * a.shape[1]
    highs.passModel(lp)
    highs.run()
    x = np.asarray(highs.getSolution().col_value)
    if len(x) != a.shape[1]:
        return None
    chosen = x > 0.5
    if not (a @ chosen.astype(float) >= 1).all():  # no whole answer found in time
        return None
    return chosen


def _greedy(a: sparse.csr_matrix, weights: np.ndarray) -> np.ndarray:
    chosen = np.zeros(a.shape[1], dtype=bool)
    open_cuts = np.ones(a.shape[0], dtype=bool)
    by_item = a.tocsc()
    while open_cuts.any():
        met = np.asarray(by_item.T @ open_cuts.astype(float)).ravel()
        best = int(np.argmax(np.where(met > 0, met / weights, -1)))
        chosen[best] = True
        open_cuts &= ~(np.asarray(by_item[:, best].toarray()).ravel() > 0)
    return chosen
