"""Disclosure control across everything one run publishes, checked by the auditor.

Each report's tables are first protected on their own (:func:`equality_reports.disclosure.apply_disclosure`).
A run publishes many views of the same people, though: broad and detailed ethnic groups, the
workforce and each service, a stage table and the comparison restating it. This module gathers
every count cell that declares whom it counts (``Table.units``) from every document of the run,
asks the auditor (:mod:`equality_reports.audit`) what a reader could work out by combining them,
and withholds more cells until every withheld cell's range is at least ``protection`` wide and no
two nested published cells differ by a small number. Cells losing least information go first: the
smallest published count linked to the exposed cell, never a larger one when a smaller will do.

When no choice of cells meets the rule within the allowed rounds, the documents holding the cells
still exposed are reported as failing: the runner refuses to write them (fail closed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from equality_reports.audit import (
    AuditCell,
    AuditResult,
    AuditShare,
    HiddenGroup,
    Range,
    atoms,
    audit,
    hidden_groups,
)
from equality_reports.disclosure import DisclosureSummary, apply_disclosure, knock_on
from equality_reports.document import FIGURE_DECIMALS, Document, Figure, Gap, Mean, Median, Table, is_missing
from equality_reports.measures.units import fingerprint
from equality_reports.sums import Exposure, Relation, exposures

#: (report, table id, row position, column key); a figure's key is (report, FIGURES, -1, figure id)
CellKey = tuple[str, str, int, str]
FIGURES = "(figures)"


@dataclass
class JointOutcome:
    """What the joint pass did: the final audit, cells it withheld, and reports it could not protect."""

    audit: AuditResult
    withheld: list[CellKey] = field(default_factory=list)
    rounds: int = 0
    #: report name -> plain descriptions of the cells still exposed
    failures: dict[str, list[str]] = field(default_factory=dict)
    #: count cells and figures withheld because their report did not say whom they count
    undeclared: list[str] = field(default_factory=list)
    #: small groups of people the published counts still give away (see audit.hidden_groups)
    hidden: list[HiddenGroup] = field(default_factory=list)
    #: means and gaps audited (see equality_reports.sums), and what the shown ones still give away
    means: int = 0
    sums: list[Exposure] = field(default_factory=list)


Target = Table | Figure


def collect(documents: Mapping[str, Document]) -> tuple[list[AuditCell], dict[CellKey, Target]]:
    """Every visible count cell and count figure with declared units, from every document, and the
    hidden count cells that shown cells give away (``Column.revealed_by``, ``Table.revealed``)."""
    cells: list[AuditCell] = []
    targets: dict[CellKey, Target] = {}
    for report, doc in documents.items():
        by_id = {table.id: table for table in doc.tables()}
        for table in doc.tables():
            for (row, column) in table.shares:
                targets[(report, table.id, row, column)] = table
            visible = {c.key for c in table.columns if c.kind == "count" and not c.hidden}
            # a hidden count a shown cell gives away is published while that cell is shown
            revealed = {c.key: c.revealed_by for c in table.columns if c.kind == "count" and c.hidden and c.revealed_by}
            for (row, column), units in table.units.items():
                if row >= len(table.data):
                    continue
                if column in revealed:
                    if (row, revealed[column]) in table.suppressed:
                        continue
                elif (row, column) in table.revealed:
                    if (row, column) in table.suppressed or \
                            not any(_all_shown(by_id, group) for group in table.revealed[(row, column)]):
                        continue
                elif column not in visible:
                    continue
                raw = table.data.at[row, column]
                if raw is None or (isinstance(raw, float) and raw != raw):
                    continue
                key: CellKey = (report, table.id, row, column)
                cells.append(AuditCell(key, np.asarray(units, dtype=np.uint64), int(raw),
                                       (row, column) in table.suppressed))
                targets[key] = table
        for fid, fig in doc.figures.items():
            if fig.share is not None:
                targets[(report, FIGURES, -1, fid)] = fig
            if fig.units is None or not isinstance(fig.value, (int, float)) or isinstance(fig.value, bool):
                continue
            key = (report, FIGURES, -1, fid)
            cells.append(AuditCell(key, np.asarray(fig.units, dtype=np.uint64), int(fig.value), fig.suppressed))
            targets[key] = fig
    return cells, targets


def collect_averages(documents: Mapping[str, Document],
                     published: AbstractSet[str] = frozenset()) -> tuple[list[Relation], dict[CellKey, Target]]:
    """Every declared mean, median and gap (``Table.averages``, ``Figure.average``) of every
    document, in the universe of its measure and its document's period; an empty one counts as
    withheld, and one of a document ``published`` before is fixed."""
    relations: list[Relation] = []
    targets: dict[CellKey, Target] = {}

    def add(key: CellKey, average: Mean | Median | Gap, value: Any, withheld: bool, period: str) -> None:
        empty = is_missing(value)
        parts = (average.group, average.reference) if isinstance(average, Gap) else (average,)
        relations.append(Relation(key, (parts[0].measure, period),
                                  tuple(np.asarray(p.units, dtype=np.uint64) for p in parts),
                                  None if empty or not isinstance(average, Gap) else float(value), withheld or empty,
                                  median=isinstance(parts[0], Median), fixed=key[0] in published))

    for report, doc in documents.items():
        period = doc.period_end.isoformat()
        for table in doc.tables():
            for (row, column), average in table.averages.items():
                if row < len(table.data):
                    key: CellKey = (report, table.id, row, column)
                    add(key, average, table.data.at[row, column], (row, column) in table.suppressed, period)
                    targets[key] = table
        for fid, fig in doc.figures.items():
            if fig.average is not None:
                key = (report, FIGURES, -1, fid)
                add(key, fig.average, fig.value, fig.suppressed, period)
                targets[key] = fig
    return relations, targets


def _all_shown(tables: Mapping[str, Table], cells: tuple[tuple[str, int, str], ...]) -> bool:
    """Every one of ``cells`` ((table id, row position, column key)) is in a table and not withheld."""
    return all(t in tables and (r, c) not in tables[t].suppressed for t, r, c in cells)


def _withhold(target: Target, cell: tuple[int, str] | None) -> None:
    """Withhold a figure, or a table's cell as withheld for the run (``Table.joint``)."""
    if isinstance(target, Figure):
        target.suppressed = True
    else:
        assert cell is not None  # a table's cell always comes with its position
        target.suppressed.add(cell)
        target.joint.add(cell)


def withhold_undeclared(documents: Mapping[str, Document]) -> list[tuple[str, str]]:
    """Withhold every published count the audit cannot see (fail closed): non-zero cells of count
    columns about the dataset's people with no declared units, and count figures that restate no
    cell and declare no units. Returns (report, what was withheld in words) for the diagnostics."""
    said = []
    for report, doc in documents.items():
        for table in doc.tables():
            shown = [c for c in table.columns if c.kind == "count" and not c.hidden and not c.external]
            for column in shown:
                values = pd.to_numeric(table.data[column.key].astype(object), errors="coerce")
                for row in np.flatnonzero((values.fillna(0) != 0).to_numpy()):
                    cell = (int(row), column.key)
                    if cell not in table.units and cell not in table.suppressed:
                        table.suppressed.add(cell)
                        table.joint.add(cell)
                        said.append((report, _describe(table, (report, table.id, int(row), column.key))))
        for fig in doc.figures.values():
            if fig.unit == "count" and isinstance(fig.value, (int, float)) and fig.value and not fig.cells \
                    and fig.units is None and not fig.external and not fig.suppressed:
                fig.suppressed = True
                said.append((report, f"{report} figure {fig.label!r}"))
    return said


def reapply(document: Document, threshold: int, suppress_zero: bool = False) -> DisclosureSummary:
    """Disclosure control again after the joint pass withheld more, never publishing a cell that
    was withheld before: a re-run may pick other secondary cells, but the audit saw these withheld.
    Cells it would release are put back (as cells withheld for the run) and disclosure control
    runs again, until it releases nothing (keeping more can free other secondary cells)."""
    before = {table.id: set(table.suppressed) for table in document.tables()}
    while True:  # each pass keeps more cells, so it ends
        summary = apply_disclosure(document, threshold, suppress_zero=suppress_zero)
        released = False
        for table in document.tables():
            back = before[table.id] - table.suppressed
            if back:
                table.suppressed |= back
                table.secondary -= back
                table.joint |= back  # withheld for the run, no longer by this table's own rule
                released = True
        if not released:
            return summary


def _withhold_restated(documents: Mapping[str, Document], published: Mapping[str, Document] = {}) -> set[str]:
    """Withhold every count cell or figure, shown or hidden, that counts the same people as a
    withheld count: a comparison table restating a count must not show it (or a rate of it) once
    it is withheld at its source. Returns the reports changed."""
    def declared(doc: Document) -> Iterator[tuple[Target, tuple[int, str] | None, np.ndarray, bool]]:
        for table in doc.tables():
            for cell, units in table.units.items():
                yield table, cell, np.asarray(units, dtype=np.uint64), cell in table.suppressed
        for fig in doc.figures.values():
            if fig.units is not None:
                yield fig, None, np.asarray(fig.units, dtype=np.uint64), fig.suppressed

    withheld = {fingerprint(units) for doc in documents.values() for _, _, units, hidden in declared(doc) if hidden}
    changed = set()
    for report, doc in documents.items():
        if report in published:  # published before: a restatement of it follows it, not the reverse
            continue
        for target, cell, units, hidden in list(declared(doc)):
            if hidden or not len(units) or fingerprint(units) not in withheld:
                continue
            _withhold(target, cell)
            changed.add(report)
    return changed


def collect_shares(documents: Mapping[str, Document]) -> list[AuditShare]:
    """Every published percentage whose table declares the units of its numerator and denominator,
    and every percentage figure declaring its ``share``."""
    shares = []
    for report, doc in documents.items():
        for table in doc.tables():
            for (row, column), (numerator, denominator) in table.shares.items():
                raw = table.data.at[row, column]
                if (row, column) in table.suppressed or raw is None or raw != raw:
                    continue
                decimals = table.column(column).decimals or 0
                shares.append(AuditShare((report, table.id, row, column), np.asarray(numerator, dtype=np.uint64),
                                         np.asarray(denominator, dtype=np.uint64), round(float(raw), decimals),
                                         decimals))
        for fid, fig in doc.figures.items():
            if fig.share is None or fig.suppressed or not isinstance(fig.value, (int, float)) \
                    or isinstance(fig.value, bool) or fig.value != fig.value:
                continue
            decimals = FIGURE_DECIMALS.get(fig.unit, 2)
            numerator, denominator = fig.share
            shares.append(AuditShare((report, FIGURES, -1, fid), np.asarray(numerator, dtype=np.uint64),
                                     np.asarray(denominator, dtype=np.uint64), round(float(fig.value), decimals),
                                     decimals))
    return shares


def protect(documents: Mapping[str, Document], threshold: int, protection: int | None = None, *,
            suppress_zero: bool = False, max_rounds: int = 80,
            published: Mapping[str, Document] = {}) -> JointOutcome:
    """Withhold more cells until the run passes the audit, or say which reports cannot be protected.

    ``published`` documents were published before (last year's reports, with ``--compare``): the
    audit relates their cells to this run's, but nothing in them can be withheld any more, so
    only this run's cells are chosen; a problem in one of them is blamed on this run's report of
    the same name (its key's report is the document's name in ``published``).
    """
    protection = threshold if protection is None else protection
    outcome = JointOutcome(AuditResult(protection, threshold))
    everything = {**documents, **published}
    undeclared = withhold_undeclared(documents)
    outcome.undeclared = [words for _, words in undeclared]
    for report in {report for report, _ in undeclared}:
        reapply(documents[report], threshold, suppress_zero)
    protected: dict[CellKey, Range] = {}  # withholding more never narrows a range: not solved again
    # counts first (cheaper programs), then the percentages too: they only add constraints
    with_shares = False
    stuck: set[CellKey] = set()  # cells exposed last round too: withholding a restated count is allowed
    for outcome.rounds in range(1, max_rounds + 1):
        cells, targets = collect(everything)
        shares = _informative(collect_shares(everything), cells)
        outcome.audit = audit(cells, threshold, protection, protected, shares if with_shares else ())
        protected.update({r.key: r for r in outcome.audit.ranges if r.width >= protection})
        outcome.sums = []
        if outcome.audit.passed:
            if not with_shares and shares:
                with_shares, protected = True, {}  # new constraints: every range is solved again
                continue
            outcome.hidden = hidden_groups(cells, threshold)
            if outcome.hidden:
                extra = _break_up(cells, outcome.hidden, published)
            else:  # the counts are safe: then the sums behind the means
                relations, averages = collect_averages(everything, set(published))
                outcome.means, outcome.sums = len(relations), exposures(relations, threshold)
                if not outcome.sums:
                    return outcome
                targets.update(averages)
                extra = _means_to_withhold(outcome.sums, relations, threshold)
        else:
            outcome.hidden = []
            extra = (_shares_to_withhold(cells, shares, outcome.audit, published) if with_shares else []) \
                or _choose(cells, outcome.audit, published, stuck & {r.key for r in outcome.audit.too_narrow},
                           Loss(documents, targets, cells, threshold, suppress_zero))
        stuck = {r.key for r in outcome.audit.too_narrow}
        if not extra:
            break
        touched = set()
        for key in extra:
            _withhold(targets[key], (key[2], key[3]))
            touched.add(key[0])
            outcome.withheld.append(key)
        touched |= _withhold_restated(everything, published)
        for report in touched:
            reapply(documents[report], threshold, suppress_zero)
    cells, targets = collect(everything)
    targets.update(collect_averages(everything, set(published))[1])
    for r in outcome.audit.too_narrow:
        outcome.failures.setdefault(r.key[0], []).append(
            f"{_describe(targets[r.key], r.key)} could be narrowed to {_span(r.low, r.high)}")
    for group in outcome.hidden:
        for report in {key[0] for key in group.within} or {"run"}:
            outcome.failures.setdefault(report, []).append(
                f"a group of fewer than {threshold} people counted in no table of its own follows from "
                f"{len(group.within)} published counts")
    for exposure in outcome.sums:
        what = f"the withheld {_describe(targets[exposure.withheld], exposure.withheld)}" if exposure.withheld \
            else f"the {exposure.universe[0].replace('_', ' ')} of {exposure.people} people"
        for report in {key[0] for key in exposure.keys} or {"run"}:
            outcome.failures.setdefault(report, []).append(
                f"{what} follows from {len(exposure.keys)} published means or gaps")
    for c in outcome.audit.complements:
        outcome.failures.setdefault(c.part[0], []).append(
            f"{_describe(targets[c.part], c.part)} and {_describe(targets[c.whole], c.whole)} differ by fewer "
            f"than {threshold}")
    return outcome


def _shares_to_withhold(cells: list[AuditCell], shares: list[AuditShare], result: AuditResult,
                        before: Mapping[str, Document] = {}) -> list[CellKey]:
    """When published percentages are what narrows a withheld cell (it is protected without them),
    the percentages over populations that are not themselves published counts: their precision
    gives such a population away (a "% of staff who declared" next to published counts pins the
    withheld "not stated or not known")."""
    narrow = {r.key for r in result.too_narrow}
    if not shares or not narrow:
        return []
    others = frozenset(c.key for c in cells if c.withheld and c.key not in narrow)
    without = audit(cells, result.threshold, result.protection, others)
    if not any(r.key in narrow and r.width >= result.protection for r in without.ranges):
        return []
    # every share left tells something the counts do not (those published before stay)
    return [s.key for s in shares if s.key[0] not in before]


def _informative(shares: list[AuditShare], cells: list[AuditCell]) -> list[AuditShare]:
    """The percentages that tell a reader more than the published counts: those dividing a
    population that no published cell counts (a share of two published counts adds nothing)."""
    published = {fingerprint(c.units) for c in cells if not c.withheld}
    return [s for s in shares if fingerprint(s.numerator) not in published
            or fingerprint(s.denominator) not in published]


def _copies(cells: list[AuditCell]) -> tuple[list[tuple[int, int, int]], Counter[tuple[int, int, int]]]:
    """Each cell's unit-set fingerprint, and how many published cells show each set: withholding
    a count restated elsewhere withholds every copy of it."""
    prints = [fingerprint(c.units) for c in cells]
    return prints, Counter(p for p, c in zip(prints, cells) if not c.withheld)


def headline_cells(documents: Mapping[str, Document]) -> set[CellKey]:
    """The count cells a published statistic (a rate, share or ratio figure) is computed from:
    withholding one withholds the statistic too."""
    out: set[CellKey] = set()
    for report, doc in documents.items():
        tables = {table.id: table for table in doc.tables()}
        for fig in doc.figures.values():
            if fig.unit == "count" or fig.suppressed:
                continue
            for ref in fig.cells:
                table = tables.get(ref.table)
                try:
                    row = table.row_position(ref.row) if table is not None else None
                except KeyError:
                    continue
                if row is not None:
                    out.add((report, ref.table, row, ref.column))
    return out


class Loss:
    """What withholding a published cell costs: the shown cells its own table's rules withhold
    with it (itself, the cells protecting it, percentages of them), in every table showing a copy
    of it, a cell a published statistic is computed from counting ``HEADLINE_WEIGHT`` times; a
    figure costs one, plus what the table cells restating it cost. Each cell's cost is worked out
    once per round."""

    HEADLINE_WEIGHT = 5

    def __init__(self, documents: Mapping[str, Document], targets: Mapping[CellKey, Target],
                 cells: list[AuditCell], threshold: int, suppress_zero: bool) -> None:
        self.documents, self.targets, self.threshold, self.suppress_zero = documents, targets, threshold, suppress_zero
        self.headline = headline_cells(documents)
        #: each cell's unit-set fingerprint and how many published cells show each (see _copies)
        self.fingerprints, self.shown = _copies(cells)
        self.prints = {c.key: p for c, p in zip(cells, self.fingerprints)}
        self.copies: dict[tuple[int, int, int], list[CellKey]] = {}
        for c, p in zip(cells, self.fingerprints):
            if not c.withheld:
                self.copies.setdefault(p, []).append(c.key)
        self.known: dict[CellKey, int] = {}

    def __call__(self, key: CellKey) -> int:
        if key not in self.known:
            self.known[key] = sum(self._one(copy) for copy in self.copies.get(self.prints[key], [key]))
        return self.known[key]

    def _one(self, key: CellKey) -> int:
        target = self.targets[key]
        if isinstance(target, Figure):  # itself, and the table cells restating it with what they take along
            return 1 + sum(self._cells(key[0], table, cell) for table in self.documents[key[0]].tables()
                           for cell, figure in table.restates.items() if figure == key[3])
        return self._cells(key[0], target, (key[2], key[3]))

    def _cells(self, report: str, table: Table, cell: tuple[int, str]) -> int:
        withheld = knock_on(table, cell, self.threshold, self.suppress_zero)
        return sum(self.HEADLINE_WEIGHT if (report, table.id, row, column) in self.headline else 1
                   for row, column in withheld)


#: how many of the smallest candidates for a problem the chooser weighs by their :class:`Loss`
LOOK_AT = 6


def _choose(cells: list[AuditCell], result: AuditResult, before: Mapping[str, Document] = {},
            stuck: AbstractSet[CellKey] = frozenset(), loss: Callable[[CellKey], int] | None = None) -> list[CellKey]:
    """One more cell to withhold for each problem, never a cell of a document published ``before``.

    For a withheld cell given away, a published cell linked to it: a total containing it or
    another part of such a total. The smallest few (a count another cell restates, a total
    repeated in several tables, passed over unless the problem was ``stuck``, exposed last round
    too: withholding it withholds every copy) are weighed by what they withhold with them
    (``loss``), and the cheapest goes. For a small difference between two nested published
    counts, the cheaper of the two, unless one is already chosen this round."""
    matrix, _ = atoms(cells)
    index = {c.key: i for i, c in enumerate(cells)}
    published = np.array([not c.withheld for c in cells])
    movable = np.array([c.key[0] not in before for c in cells])
    values = np.array([c.value for c in cells], dtype=float)
    size = np.asarray(matrix.sum(axis=1)).ravel()
    chosen: list[CellKey] = []
    prints, copies = (loss.fingerprints, loss.shown) if isinstance(loss, Loss) else _copies(cells)

    def pick(found: np.ndarray, stuck: bool = False) -> None:
        candidates = [j for j in found if published[j] and movable[j] and cells[j].key not in chosen]
        if candidates:  # a count no other cell restates (withholding one of several copies
            # withholds them all) unless that failed last round, then the smallest count, then the
            # narrowest population (never a total if avoidable)
            ranked = sorted(candidates, key=lambda j: (copies[prints[j]] if stuck else copies[prints[j]] > 1,
                                                       values[j] == 0, values[j], size[j], str(cells[j].key)))
            best = ranked[0] if loss is None or stuck else min(ranked[:LOOK_AT], key=lambda j: loss(cells[j].key))
            chosen.append(cells[best].key)

    overlap = (matrix @ matrix.T).tocsr()
    # inside[k, p]: every atom of cell k is in cell p (k is a part of p)
    coo = overlap.tocoo()
    part = coo.data >= size[coo.row] - 0.5
    inside = sparse.csc_matrix((np.ones(int(part.sum())), (coo.row[part], coo.col[part])), shape=overlap.shape)
    for r in result.too_narrow:
        j = index[r.key]
        # the published cells containing it (its totals), and their other parts (its siblings):
        # a small sibling loses less than a total
        touching = overlap[j].indices
        parents = touching[published[touching]]
        siblings = np.flatnonzero(np.asarray(inside[:, parents].sum(axis=1)).ravel() > 0) if len(parents) else \
            np.zeros(0, dtype=int)
        siblings = siblings[published[siblings] & ~np.isin(siblings, touching)]
        pick(np.concatenate([parents, siblings]), r.key in stuck)
    for c in result.complements:
        pair = [k for k in (c.part, c.whole) if k[0] not in before]
        if pair and not any(k in chosen for k in pair):
            chosen.append(pair[0] if loss is None else min(pair, key=loss))
    return chosen


def _break_up(cells: list[AuditCell], groups: list[HiddenGroup], before: Mapping[str, Document] = {}) -> list[CellKey]:
    """For each small group the published counts give away, the smallest published count holding
    it (one shown once before a restated one; never one published ``before``): withheld, the
    group no longer follows from the rest."""
    value = {c.key: c.value for c in cells}
    fingerprints, copies = _copies(cells)
    prints = {c.key: f for c, f in zip(cells, fingerprints)}
    chosen: list[CellKey] = []
    for group in groups:
        movable = [k for k in group.within if k[0] not in before and k not in chosen]
        if movable:
            chosen.append(min(movable, key=lambda k: (copies[prints[k]] > 1, value[k], str(k))))
    return chosen


def _means_to_withhold(found: list[Exposure], relations: list[Relation], threshold: int) -> list[CellKey]:
    """For each thing the shown means and medians give away, what to withhold (never one fixed:
    published before). A median's problem comes with its cut; for a mean's, a shown mean or gap it
    follows from, with every shown copy of it: the one over the fewest people of those whose
    withholding alone stops it, else the one over the fewest people."""
    chosen: list[CellKey] = []
    for exposure in found:
        if exposure.cut:
            chosen += [key for key in exposure.cut if key not in chosen]
            continue
        universe = [r for r in relations if r.universe == exposure.universe and not r.median]
        movable = sorted((r for r in universe if r.key in exposure.keys and not r.fixed and r.key not in chosen),
                         key=lambda r: (len(r.groups[0]), str(r.key)))
        if not movable:
            continue
        prints = {r.key: tuple(fingerprint(g) for g in r.groups) for r in universe}  # once, not per candidate
        copies = {r.key: _copies_of(r, universe, prints) for r in movable}
        enough = next((r for r in movable if _stops(exposure, _without(universe, copies[r.key]), threshold)),
                      movable[0])
        chosen += [key for key in copies[enough.key] if key not in chosen]
    return chosen


def _stops(exposure: Exposure, relations: list[Relation], threshold: int) -> bool:
    """``exposure`` no longer follows from ``relations``."""
    return not any(e.withheld == exposure.withheld and e.people == exposure.people
                   for e in exposures(relations, threshold))


def _copies_of(relation: Relation, relations: list[Relation],
               prints: Mapping[CellKey, tuple[tuple[int, int, int], ...]]) -> list[CellKey]:
    """The shown relations of this run saying the same as ``relation`` (of its universe): the same
    mean, or the same gap (``prints``: each relation's groups' fingerprints)."""
    return [r.key for r in relations if not r.withheld and not r.fixed and prints[r.key] == prints[relation.key]]


def _without(relations: list[Relation], keys: list[CellKey]) -> list[Relation]:
    gone = set(keys)
    return [replace(r, withheld=True) if r.key in gone else r for r in relations]


def _describe(target: Target, key: CellKey) -> str:
    report, table_id, row, column = key
    if isinstance(target, Figure):
        return f"{report} figure {target.label!r}"
    table = target
    label = table.data.at[row, table.row_key] if table.row_key else row + 1
    heading = next((c.label for c in table.columns if c.key == column), column)
    return f"{report} table {table_id!r}, row {label!s}, column {heading!r}"


def _span(low: float, high: float) -> str:
    if low != low or high != high:  # NaN: the audit could not finish
        return "a range the audit could not bound"
    width = high - low
    return f"a range {width:g} wide" if width != float("inf") else "an open range"
