"""Disclosure control across everything one run publishes, checked by the auditor.

Each report's tables are first protected on their own (:func:`equality_reports.disclosure.apply_disclosure`).
A run publishes many views of the same people, though: broad and detailed ethnic groups, the
workforce and each service, a stage table and the comparison restating it. This module gathers
every count cell that declares whom it counts (``Table.units``) from every document of the run,
asks the auditor (:mod:`equality_reports.audit`) what a reader could work out by combining them,
and withholds more until no small count can be narrowed below ``protection`` and no small group
follows from the rest. Each problem names the published numbers causing it (a cut); each round
withholds the cheapest addition meeting every cut found so far (:mod:`equality_reports.cover`,
costs from :class:`Loss`), and once the counts pass, the cheapest choice meeting every cut at once
is tried from the start when it costs less than the choices added round by round.

When no choice of cells meets the rule within the allowed rounds, the documents holding the cells
still exposed are reported as failing: the runner refuses to write them (fail closed).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from equality_reports.audit import (
    AuditCell,
    AuditResult,
    AuditShare,
    HiddenGroup,
    Range,
    atoms,
    audit,
    hidden_groups,
    is_share_part,
)
from equality_reports.cover import cheapest_cover
from equality_reports.disclosure import DisclosureSummary, apply_disclosure, derived_cells, knock_on
from equality_reports.document import (
    FIGURE_DECIMALS,
    CellRef,
    Document,
    Figure,
    Gap,
    Mean,
    Median,
    Table,
    is_missing,
    rounded,
)
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
    #: larger counts withheld by their tables' own rules that a reader works out exactly, shown
    released: list[CellKey] = field(default_factory=list)


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
                withheld = (row, column) in table.suppressed
                if column in revealed:
                    if (row, revealed[column]) in table.suppressed:
                        continue
                elif (row, column) in table.revealed:
                    # published while the cells giving it away are, whether or not itself withheld
                    if not any(_all_shown(by_id, group) for group in table.revealed[(row, column)]):
                        continue
                    withheld = False
                elif column not in visible:
                    continue
                raw = table.data.at[row, column]
                if raw is None or (isinstance(raw, float) and raw != raw):
                    continue
                key: CellKey = (report, table.id, row, column)
                cells.append(AuditCell(key, np.asarray(units, dtype=np.uint64), int(raw), withheld))
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
    it is withheld at its source, and one report must not show what another withholds. Returns the
    reports changed."""
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
                                         np.asarray(denominator, dtype=np.uint64), rounded(raw, decimals),
                                         decimals))
        for fid, fig in doc.figures.items():
            if fig.share is None or fig.suppressed or not isinstance(fig.value, (int, float)) \
                    or isinstance(fig.value, bool) or fig.value != fig.value:
                continue
            decimals = FIGURE_DECIMALS.get(fig.unit, 2)
            numerator, denominator = fig.share
            shares.append(AuditShare((report, FIGURES, -1, fid), np.asarray(numerator, dtype=np.uint64),
                                     np.asarray(denominator, dtype=np.uint64), rounded(fig.value, decimals),
                                     decimals))
    return shares


def protect(documents: Mapping[str, Document], threshold: int, protection: int | None = None, *,
            suppress_zero: bool = False, max_rounds: int = 80,
            published: Mapping[str, Document] = {},
            owners: tuple[np.ndarray, np.ndarray] | None = None) -> JointOutcome:
    """Withhold more cells until the run passes the audit, or say which reports cannot be protected.

    Each round audits what the run would publish; every problem found adds a cut (the published
    numbers one of which must go, see :mod:`equality_reports.cover`), and the cheapest choice
    meeting every cut so far is withheld, starting again from the documents as their own tables
    protected them when the choice drops a cell chosen before. Means and gaps come last.

    ``published`` documents were published before (last year's reports, with ``--compare``): the
    audit relates their cells to this run's, but nothing in them can be withheld any more, so
    only this run's cells are chosen; a problem in one of them is blamed on this run's report of
    the same name (its key's report is the document's name in ``published``). ``owners``: whose
    each record is (:func:`equality_reports.measures.units.record_owners`), for the audit.
    """
    protection = threshold if protection is None else protection
    outcome = JointOutcome(AuditResult(protection, threshold))
    everything = {**documents, **published}
    undeclared = withhold_undeclared(documents)
    outcome.undeclared = [words for _, words in undeclared]
    # one report never shows a count another withholds
    _settle(documents, everything, threshold, suppress_zero, published)
    base = snapshot(documents)
    cells, targets = collect(everything)
    choice = _Choice(cells, targets, published, Loss(documents, targets, cells, threshold, suppress_zero))
    cuts: list[frozenset[Any]] = []
    chosen: set[Any] = set()
    fresh_starts = 0
    kept: dict[CellKey, Target] = {}  # means and gaps withheld: kept whatever is chosen
    # each range found wide enough, with what was published then: withholding more never narrows
    # a range, so it holds while what is published is a part of that (not solved again)
    wide: dict[CellKey, tuple[Range, frozenset[CellKey]]] = {}
    # counts first (cheaper programs), then the percentages too: they only add constraints
    with_shares = False
    for outcome.rounds in range(1, max_rounds + 1):
        cells, targets = collect(everything)
        shares = _informative(collect_shares(everything), cells)
        shown = frozenset(c.key for c in cells if not c.withheld) | {s.key for s in shares if with_shares}
        known = {key: r for key, (r, then) in wide.items() if shown <= then}
        outcome.audit = audit(cells, threshold, protection, known, shares if with_shares else (), owners)
        # a small count's range wide enough, or a larger one not worked out exactly
        wide.update({r.key: (r, shown) for r in outcome.audit.ranges
                     if r.key not in known and r.width >= (protection if r.small else 1)})
        wide.update({r.key: (r, shown) for r in outcome.audit.between})
        outcome.sums, outcome.hidden = [], []
        if outcome.audit.passed:
            if not with_shares and shares:
                with_shares = True  # new constraints: every range is solved again (they are in `shown`)
                continue
            pinned = outcome.audit.pinned  # withheld, but worked out: as good as published
            outcome.hidden = hidden_groups([replace(c, withheld=False) if c.key in pinned else c for c in cells],
                                           threshold)
            if not outcome.hidden and fresh_starts < FRESH_STARTS and cuts:
                # choices added round by round can leave some that later ones made needless: the
                # cheapest choice meeting every cut at once, if cheaper, is tried from the start
                fresh_starts += 1
                best = cheapest_cover(cuts, choice.cost)
                if sum(choice.cost[i] for i in best) < sum(choice.cost[i] for i in chosen):
                    chosen = best
                    restore(documents, base)
                    for key, target in kept.items():
                        _withhold(target, (key[2], key[3]))
                    _apply(chosen, choice, documents, everything, threshold, suppress_zero, published)
                    continue
            if not outcome.hidden:  # the counts are safe: then the sums behind the means
                relations, averages = collect_averages(everything, set(published))
                outcome.means, outcome.sums = len(relations), exposures(relations, threshold)
                if not outcome.sums:
                    break
                extra = _means_to_withhold(outcome.sums, relations, threshold, _headline_cells(documents))
                if not extra:
                    break
                for key in extra:
                    kept[key] = averages[key]
                    _withhold(averages[key], (key[2], key[3]))
                _settle(documents, everything, threshold, suppress_zero, published)
                continue
        new = choice.cuts(cells, outcome.audit, outcome.hidden)
        if not new or not all(new):  # a problem nothing this run may withhold can meet
            break
        cuts += new
        # what is already withheld costs nothing more: the cheapest addition meeting every cut
        chosen |= cheapest_cover(cuts, {**choice.cost, **{item: 0.0 for item in chosen}})
        _apply(chosen, choice, documents, everything, threshold, suppress_zero, published)
    outcome.withheld = sorted({key for item in chosen for key in choice.keys[item]} | set(kept), key=str)
    if outcome.audit.passed and not outcome.hidden and not outcome.sums:
        _release_worked_out(outcome, documents, everything, threshold, protection, suppress_zero, published, owners)
        return outcome
    cells, targets = collect(everything)
    targets.update(collect_averages(everything, set(published))[1])
    for report, doc in everything.items():  # a hidden cell the audit saw revealed, withheld since
        for table in doc.tables():
            for row, column in table.units:
                targets.setdefault((report, table.id, row, column), table)
    for r in outcome.audit.too_narrow:
        outcome.failures.setdefault(_report(r.key), []).append(
            f"{_what(targets, r.key)} could be narrowed to {_span(r.low, r.high)}")
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
        outcome.failures.setdefault(_report(c.part), []).append(
            f"{_what(targets, c.part)} and {_what(targets, c.whole)} differ by fewer than {threshold}")
    return outcome


#: how many times the joint pass may start again from the cheapest choice meeting every cut
FRESH_STARTS = 3


#: how many times the joint pass shows the counts a reader works out, each time auditing again
RELEASE_ROUNDS = 4


def _release_worked_out(outcome: JointOutcome, documents: Mapping[str, Document], everything: Mapping[str, Document],
                        threshold: int, protection: int, suppress_zero: bool, published: Mapping[str, Document],
                        owners: tuple[np.ndarray, np.ndarray] | None) -> None:
    """Show the withheld larger counts a reader can work out exactly from what the run publishes
    (198 Black staff, 47 Caribbean and 19 Other Black shown: the African [c] is 132), with the
    percentages and figures only they held back: withholding them protects nobody. Each round is
    kept only if the whole run passes the audit again as it then stands (fail closed); a count shown
    can make another one worked out (a service's count gives the whole's), so rounds repeat while
    they show more."""
    for _ in range(RELEASE_ROUNDS):
        if not _release_once(outcome, documents, everything, threshold, protection, suppress_zero, published, owners):
            return


def _release_once(outcome: JointOutcome, documents: Mapping[str, Document], everything: Mapping[str, Document],
                  threshold: int, protection: int, suppress_zero: bool, published: Mapping[str, Document],
                  owners: tuple[np.ndarray, np.ndarray] | None) -> bool:
    """One round of :func:`_release_worked_out`: True when it showed counts and the run still passes."""
    pinned = {r.key for r in outcome.audit.ranges if not r.small and r.high - r.low < 1}  # NaN: not solved
    cells, _ = collect(everything)
    worked_out = {fingerprint(c.units) for c in cells if c.withheld and c.key in pinned and c.key[0] in documents}
    if not suppress_zero and any(c.withheld and not len(c.units) and c.key[0] in documents for c in cells):
        # a withheld zero counts nobody, so the audit already reads it as 0 (it has no units to
        # bound): it protects nothing, and where a rate restates it, it shows beside its [c] (save the
        # zeros of Table.grouped: see below)
        worked_out.add(fingerprint(np.zeros(0, dtype=np.uint64)))
    # the audit reads a withheld zero as 0, but a reader does not know a zero withheld so that its
    # line does not show everyone in one group (Table.grouped): the counts of its table (and their
    # copies) that the audit finds worked out may be worked out only through it, so none is shown
    worked_out -= {fingerprint(np.asarray(units, dtype=np.uint64)) for doc in everything.values()
                   for table in doc.tables() if table.grouped for cell, units in table.units.items()
                   if cell in table.suppressed and len(units)}
    if not worked_out:
        return False
    before = snapshot(documents)
    withheld_before = {c.key for c in cells if c.withheld}
    chosen = set(outcome.withheld)
    for report, doc in documents.items():
        refs = set()  # the cells shown, as figures name them: (table id, row label, column key)
        # every copy, the hidden counts behind a rate too
        showing = {table.id: {cell for cell, units in table.units.items() if cell in table.suppressed
                              and cell not in table.grouped
                              and fingerprint(np.asarray(units, dtype=np.uint64)) in worked_out}
                   for table in doc.tables()}
        for table in doc.tables():  # and the copies declaring no units (zeros) of cells shown
            showing[table.id] |= {cell for cell, ref in table.copies.items() if cell in table.suppressed
                                  and cell not in table.units and _names(doc, ref, showing)}
        for table in doc.tables():
            shown = showing[table.id]
            if shown:
                _show(table, shown, {k[2:] for k in chosen if k[:2] == (report, table.id)})
            if shown and table.row_key:
                refs |= {(table.id, str(table.data.at[row, table.row_key]), column) for row, column in shown}
        for fid, fig in doc.figures.items():
            if not fig.suppressed or fig.value is None:
                continue
            # worked out itself (even if the joint pass chose it: it protects nothing), or computed from
            # a cell shown and not chosen (withheld again below if it has other reasons)
            own = fig.units is not None and fingerprint(np.asarray(fig.units, dtype=np.uint64)) in worked_out
            if own or ((report, FIGURES, -1, fid) not in chosen
                       and any((ref.table, ref.row, ref.column) in refs for ref in fig.cells)):
                fig.suppressed = False
    _settle(documents, everything, threshold, suppress_zero, published)
    cells, _ = collect(everything)
    if not any(not c.withheld and c.key in withheld_before for c in cells):  # its own table withheld it again
        restore(documents, before)
        return False
    shares = _informative(collect_shares(everything), cells)
    check = audit(cells, threshold, protection, shares=shares, owners=owners)
    relations, _ = collect_averages(everything, set(published))
    known = [replace(c, withheld=False) if c.key in check.pinned else c for c in cells]
    if check.passed and not hidden_groups(known, threshold) and not exposures(relations, threshold):
        outcome.audit = check
        outcome.released += sorted(c.key for c in cells if not c.withheld and c.key in withheld_before)
        return True
    restore(documents, before)
    return False


def _names(doc: Document, ref: CellRef, cells: Mapping[str, set[tuple[int, str]]]) -> bool:
    """Whether ``ref`` names one of ``cells`` (table id -> cells) of ``doc``."""
    try:
        return (doc.table(ref.table).row_position(ref.row), ref.column) in cells.get(ref.table, set())
    except KeyError:
        return False


def _show(table: Table, cells: set[tuple[int, str]], chosen: set[tuple[int, str]]) -> None:
    """Show ``cells`` of ``table`` (worked out by a reader) and the percentages and rates computed
    only from them, except what the joint pass chose to withhold (``chosen``)."""
    counts = {c.key for c in table.columns if c.kind == "count"}
    withheld = {c for c in table.suppressed if c[1] in counts}
    # pay (means, medians, gaps) stays as its report withheld it: the audit of sums decides those
    freed = derived_cells(table, withheld) - derived_cells(table, withheld - cells) - chosen - set(table.averages)
    table.suppressed -= cells | freed
    table.secondary -= cells
    table.joint -= cells
    table.released |= cells


def _apply(chosen: AbstractSet[Any], choice: _Choice, documents: Mapping[str, Document],
           everything: Mapping[str, Document], threshold: int, suppress_zero: bool,
           published: Mapping[str, Document]) -> None:
    """Withhold every published copy of each chosen item, then let the documents settle."""
    for item in chosen:
        for key in choice.keys[item]:
            _withhold(choice.targets[key], (key[2], key[3]))
    _settle(documents, everything, threshold, suppress_zero, published)


def _settle(documents: Mapping[str, Document], everything: Mapping[str, Document], threshold: int,
            suppress_zero: bool, published: Mapping[str, Document]) -> None:
    """Each document's own disclosure control again, and the counts restating withheld ones
    withheld, until neither withholds anything more."""
    changed: set[str] = set(documents)
    while changed:
        for report in changed:
            reapply(documents[report], threshold, suppress_zero)
        changed = _withhold_restated(everything, published)


Cells = set[tuple[int, str]]
Snapshot = dict[tuple[str, str], tuple[Cells, Cells, Cells, Cells, Cells]]


def snapshot(documents: Mapping[str, Document]) -> tuple[Snapshot, dict[tuple[str, str], bool]]:
    """What each table and figure withholds now, to start again from."""
    tables = {(report, t.id): (set(t.suppressed), set(t.secondary), set(t.joint), set(t.released), set(t.grouped))
              for report, doc in documents.items() for t in doc.tables()}
    figures = {(report, fid): fig.suppressed for report, doc in documents.items() for fid, fig in doc.figures.items()}
    return tables, figures


def restore(documents: Mapping[str, Document], state: tuple[Snapshot, dict[tuple[str, str], bool]]) -> None:
    """Put back what each table and figure withheld at :func:`snapshot` (those added since are
    left as they are)."""
    tables, figures = state
    for report, doc in documents.items():
        for t in doc.tables():
            if (report, t.id) in tables:
                suppressed, secondary, joint, released, grouped = tables[(report, t.id)]
                t.suppressed, t.secondary, t.joint, t.released, t.grouped = (
                    set(suppressed), set(secondary), set(joint), set(released), set(grouped))
        for fid, fig in doc.figures.items():
            if (report, fid) in figures:
                fig.suppressed = figures[(report, fid)]


class _Choice:
    """What the joint pass may withhold, as items of a cut: a count with every published copy of
    it (withholding one withholds them all), or a percentage; what each costs (:class:`Loss`);
    and the cuts each audit's problems give."""

    def __init__(self, cells: list[AuditCell], targets: Mapping[CellKey, Target],
                 before: Mapping[str, Document], loss: Loss) -> None:
        self.targets, self.loss = dict(targets), loss
        self.keys: dict[Any, list[CellKey]] = {}
        self.fixed: set[Any] = set()  # items published before: they cannot be withheld
        self.cost: dict[Any, float] = {}
        for c in cells:
            # a zero counts nobody: withholding it protects no one (the audit reads it as 0 all the
            # same), and zeros are not copies of one another, as one shared fingerprint would say
            if c.withheld or not len(c.units):
                continue
            item = fingerprint(c.units)
            if c.key[0] in before:
                self.fixed.add(item)
            else:
                self.keys.setdefault(item, []).append(c.key)
        for item, keys in self.keys.items():
            self.cost[item] = loss(keys[0])

    def item(self, key: CellKey, prints: Mapping[CellKey, tuple[int, int, int]]) -> Any | None:
        """The item withholding ``key``, or None when it cannot be withheld."""
        if key in prints:  # a count
            item = prints[key]
            return item if item in self.keys and item not in self.fixed else None
        if key[0] not in self.loss.documents or key not in self.targets:  # a percentage published before
            return None
        share = ("share", key)
        self.keys.setdefault(share, [key])
        self.cost.setdefault(share, self.loss.one(key))
        return share

    def cuts(self, cells: list[AuditCell], result: AuditResult, hidden: list[HiddenGroup]) -> list[frozenset[Any]]:
        """One cut per problem: the items bounding a withheld count's range (else the published
        counts linked to it); the published counts of a small difference or of a small group."""
        prints = {c.key: fingerprint(c.units) for c in cells}
        withheld = {c.key for c in cells if c.withheld}
        binding = {r.key: r.binding for r in result.ranges}

        def items(keys: tuple[CellKey, ...]) -> frozenset[Any]:
            out = set()
            for key in keys:
                # withheld (or a percentage's count) but worked out exactly: what bounds it
                if key in withheld or is_share_part(key):
                    out |= {i for k in binding.get(key, ()) if (i := self.item(k, prints)) is not None}
                elif (i := self.item(key, prints)) is not None:
                    out.add(i)
            return frozenset(out)

        found = []
        for r in result.too_narrow:
            cut = items(r.binding)
            found.append(cut or frozenset(i for k in _linked(cells, r.key)
                                          if (i := self.item(k, prints)) is not None))
        found += [items((c.part, c.whole, *c.binding)) for c in result.complements]
        found += [items(group.within) for group in hidden]
        return found


def _linked(cells: list[AuditCell], key: CellKey) -> list[CellKey]:
    """The published cells linked to a withheld one: those containing it (its totals) and the
    other parts of those (its siblings)."""
    matrix, _ = atoms(cells)
    j = next(i for i, c in enumerate(cells) if c.key == key)
    published = np.array([not c.withheld for c in cells])
    size = np.asarray(matrix.sum(axis=1)).ravel()
    overlap = (matrix @ matrix.T).tocsr()
    touching = overlap[j].indices
    parents = touching[published[touching]]
    if not len(parents):
        return []
    within = (overlap[:, parents].toarray() >= size[:, None] - 0.5).any(axis=1)
    siblings = np.flatnonzero(within & published & ~np.isin(np.arange(len(cells)), touching))
    return [cells[k].key for k in np.concatenate([parents, siblings])]


def _informative(shares: list[AuditShare], cells: list[AuditCell]) -> list[AuditShare]:
    """The percentages that tell a reader more than the published counts: those dividing a
    population that no published cell counts (a share of two published counts adds nothing)."""
    published = {fingerprint(c.units) for c in cells if not c.withheld}
    return [s for s in shares if fingerprint(s.numerator) not in published
            or fingerprint(s.denominator) not in published]


def weights(documents: Mapping[str, Document]) -> dict[CellKey, int]:
    """How much losing each count cell a published statistic (a rate, share or ratio figure) is
    computed from weighs: withholding the cell withholds the statistic too. A cell behind one of
    a report's headline figures (``Figure.headline``) weighs ``Loss.HEADLINE_WEIGHT``, behind any
    other statistic ``Loss.STATISTIC_WEIGHT``."""
    out: dict[CellKey, int] = {}
    for report, doc in documents.items():
        tables = {table.id: table for table in doc.tables()}
        for fig in doc.figures.values():
            if fig.unit == "count" or fig.suppressed:
                continue
            weight = Loss.HEADLINE_WEIGHT if fig.headline else Loss.STATISTIC_WEIGHT
            for ref in fig.cells:
                table = tables.get(ref.table)
                if table is None:
                    continue
                try:
                    row = table.row_position(ref.row)
                    inputs = table.column(ref.column).derived_from
                except KeyError:
                    continue
                # a figure restating a percentage is computed from the counts the percentage is
                for column in (ref.column, *inputs):
                    key = (report, ref.table, row, column)
                    out[key] = max(out.get(key, 1), weight)
    return out


class Loss:
    """What withholding a published cell costs: the shown cells its own table's rules withhold
    with it (itself, the cells protecting it, percentages of them), in every table showing a copy
    of it, each weighing one, or more when a published statistic is computed from it (see
    :func:`weights`), and a count more the more people it counts (:meth:`size`); a figure costs
    one (a headline figure ``HEADLINE_WEIGHT``), a count figure as many times more as a cell of
    its size, plus what the table cells restating it cost. Each cell's cost is worked out once."""

    #: a cell behind a headline figure (a relative likelihood, a pay gap): losing the figure that
    #: sums a report up costs more than the dozens of small counts that could protect it instead
    HEADLINE_WEIGHT = 50
    STATISTIC_WEIGHT = 5

    def __init__(self, documents: Mapping[str, Document], targets: Mapping[CellKey, Target],
                 cells: list[AuditCell], threshold: int, suppress_zero: bool) -> None:
        self.documents, self.targets, self.threshold, self.suppress_zero = documents, targets, threshold, suppress_zero
        self.weights = weights(documents)
        self.prints = {c.key: fingerprint(c.units) for c in cells}
        #: the published cells showing each set of units: withholding one withholds every copy
        self.copies: dict[tuple[int, int, int], list[CellKey]] = {}
        for c in cells:
            if not c.withheld and len(c.units) and c.key[0] in documents:  # this run's (one published before stays)
                self.copies.setdefault(self.prints[c.key], []).append(c.key)
        self.known: dict[CellKey, float] = {}

    def __call__(self, key: CellKey) -> float:
        if key not in self.known:
            self.known[key] = sum(self.one(copy) for copy in self.copies.get(self.prints[key], [key]))
        return self.known[key]

    def one(self, key: CellKey) -> float:
        """The cost of withholding ``key`` alone (a cell, a figure or a percentage)."""
        target = self.targets[key]
        if isinstance(target, Figure):  # itself, and the table cells restating it with what they take along
            own = (self.HEADLINE_WEIGHT if target.headline else 1) * (
                self.people(float(target.value)) if target.unit == "count" and isinstance(target.value, (int, float))
                and not is_missing(target.value) else 1.0)
            return own + sum(self._cells(key[0], table, cell) for table in self.documents[key[0]].tables()
                           for cell, figure in table.restates.items() if figure == key[3])
        return self._cells(key[0], target, (key[2], key[3]))

    def _cells(self, report: str, table: Table, cell: tuple[int, str]) -> float:
        withheld = knock_on(table, cell, self.threshold, self.suppress_zero)
        return sum(self.weights.get((report, table.id, row, column), 1) * self.size(table, row, column)
                   for row, column in withheld)

    def size(self, table: Table, row: int, column: str) -> float:
        """How much a reader loses with a count, by its size: 1 for a small one, growing with the
        logarithm of the number of people (a group of 1,200 weighs about 8, one of 20 about 2.6),
        as statistical offices price secondary suppression by the cells' values, so that a large
        group, or a total, is withheld only where no smaller cells can protect the count. A
        percentage or rate weighs as the smallest count of its row it is computed from."""
        col = table.column(column)
        sources = (column,) if col.kind == "count" else col.derived_from
        values = [table.data.iat[row, table.data.columns.get_loc(c)] for c in sources if c in table.data.columns]
        people = [float(v) for v in values if not is_missing(v) and isinstance(v, (int, float, np.number))]
        return self.people(min(people)) if people else 1.0

    def people(self, n: float) -> float:
        """The weight of a count of ``n`` people: 1 + log2(1 + n / threshold)."""
        return 1.0 + math.log2(1.0 + max(n, 0.0) / max(self.threshold, 1))


def _headline_cells(documents: Mapping[str, Document]) -> set[CellKey]:
    """The cells behind a headline figure of ``documents`` (``Table.keep``)."""
    return {(report, table.id, row, column) for report, doc in documents.items()
            for table in doc.tables() for row, column in table.keep}


def _means_to_withhold(found: list[Exposure], relations: list[Relation], threshold: int,
                       headline: AbstractSet[CellKey] = frozenset()) -> list[CellKey]:
    """For each thing the shown means and medians give away, what to withhold (never one fixed:
    published before). A median's problem comes with its cut; for a mean's, a shown mean or gap it
    follows from, with every shown copy of it: the one over the fewest people of those whose
    withholding alone stops it, else the one over the fewest people; a mean or gap of a group a
    headline figure is about (``headline``: its cells) goes late, and a mean of a group the gaps
    are measured against last (with any gap and its group's mean shown, it follows anyway)."""
    chosen: list[CellKey] = []
    for exposure in found:
        if exposure.cut:
            chosen += [key for key in exposure.cut if key not in chosen]
            continue
        universe = [r for r in relations if r.universe == exposure.universe and not r.median]
        about = {fingerprint(r.groups[0]) for r in universe if r.key in headline}
        against = {fingerprint(r.groups[1]) for r in universe if len(r.groups) > 1}
        movable = sorted((r for r in universe if r.key in exposure.keys and not r.fixed and r.key not in chosen),
                         key=lambda r: (fingerprint(r.groups[0]) in against, fingerprint(r.groups[0]) in about,
                                        len(r.groups[0]), str(r.key)))
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


def _report(key: Any) -> str:
    return str(key[0][0] if is_share_part(key) else key[0])


def _what(targets: Mapping[CellKey, Target], key: Any) -> str:
    """A cell, a figure, or the count behind a percentage, in words for a failure message."""
    if is_share_part(key):
        return f"the {key[1]} of {_describe(targets[key[0]], key[0])}"
    return _describe(targets[key], key)


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
