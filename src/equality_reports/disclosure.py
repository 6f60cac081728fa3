"""Statistical disclosure control for a whole :class:`~equality_reports.document.Document`.

Applied in place, once, after a report is built and before anything is rendered, for every
publication-audience report (docs/sources.md, Disclosure control). Four steps, table by table:

1. **Primary**: every cell of a ``count`` column (hidden ones too) from 1 to ``threshold - 1``
   (and 0 when ``suppress_zero``) is withheld.
2. **Secondary**: the table's *additive lines* (see :func:`table_lines`) each add up to a total
   the reader knows, so a line must never hold exactly one unknown cell. Extra cells are withheld
   until no line does (smallest non-zero cell first), then a linear-algebra check makes sure no
   withheld cell can be worked out by combining lines either; where that check fails another cell
   is withheld and the cycle repeats. Both loops only ever add cells, so they stop. A line whose
   only non-zero count is withheld beside shown zeros would say which group everyone it counts is
   in: its zeros are withheld too (``Table.grouped``; rows of ``Table.partial_groups`` alike, not
   ``Table.public_rows``), and the loop runs again. A cell restating another table's count
   (``Table.copies``) is withheld whenever that count is, and its table protected again.
3. **Derived**: a percent, ratio or number cell is withheld when one of the count cells it was
   calculated from (``Column.derived_from``, same row) is withheld.
4. **Figures**: a figure is withheld when a table cell it points at is withheld, or it is itself a
   small count, or its numerator or denominator is a small count; a cell restating a withheld
   figure (``Table.restates``) is withheld with it.

Cells that cannot be protected at all (a lone count equal to a total known elsewhere) are still
withheld and reported in :attr:`DisclosureSummary.warnings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from equality_reports.audit import movable
from equality_reports.document import (
    SUPPRESSED,
    CellRef,
    Chart,
    Column,
    Document,
    Figure,
    Median,
    Paragraph,
    Table,
    is_missing,
    join_words,
)
from equality_reports.measures.units import fingerprint

Cell = tuple[int, str]
Values = dict[Cell, "float | None"]

__all__ = ["DisclosureSummary", "Line", "TableSummary", "apply_disclosure", "disclosure_note",
           "table_lines"]


@dataclass(frozen=True)
class Line:
    """Count cells that add up to a known total.

    ``total`` is the table cell holding the total, or None when the total is not in the table
    but is assumed to be known to the reader anyway (published elsewhere or easily found).
    """

    parts: tuple[Cell, ...]
    total: Cell | None = None

    @property
    def members(self) -> tuple[Cell, ...]:
        return self.parts if self.total is None else (*self.parts, self.total)


@dataclass
class TableSummary:
    """Cells withheld in one table, by reason."""

    primary: int = 0
    secondary: int = 0
    derived: int = 0
    #: withheld count cells a reader can still work out (see the summary's warnings)
    unprotected: list[Cell] = field(default_factory=list)
    #: cells withheld by the joint pass to protect cells of other tables (equality_reports.joint)
    joint: int = 0
    #: the table's shown cells other than row labels, and how many of them are withheld
    size: int = 0
    shown_withheld: int = 0

    @property
    def cells(self) -> int:
        return self.primary + self.secondary + self.derived + self.joint

    def as_dict(self) -> dict[str, int]:
        return {"cells": self.cells, "primary": self.primary, "secondary": self.secondary,
                "derived": self.derived, "joint": self.joint, "unprotected": len(self.unprotected),
                "size": self.size, "shown_withheld": self.shown_withheld}


@dataclass
class DisclosureSummary:
    """What disclosure control withheld in one document (recorded in run.json)."""

    threshold: int
    suppress_zero: bool = False
    tables: dict[str, TableSummary] = field(default_factory=dict)
    figures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def primary(self) -> int:
        return sum(t.primary for t in self.tables.values())

    @property
    def secondary(self) -> int:
        return sum(t.secondary for t in self.tables.values())

    @property
    def derived(self) -> int:
        return sum(t.derived for t in self.tables.values())

    @property
    def cells(self) -> int:
        return sum(t.cells for t in self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "suppress_zero": self.suppress_zero,
            "cells": self.cells,
            "primary": self.primary,
            "secondary": self.secondary,
            "derived": self.derived,
            "figures": len(self.figures),
            "suppressed_figures": list(self.figures),
            "tables": {tid: t.as_dict() for tid, t in self.tables.items()},
            "warnings": list(self.warnings),
        }


def apply_disclosure(document: Document, threshold: int = 10, *,
                     suppress_zero: bool = False) -> DisclosureSummary:
    """Withhold disclosive cells and figures of ``document`` in place and say what was withheld.

    Fills ``Table.suppressed``/``Table.secondary`` and ``Figure.suppressed``; cells a plugin
    already marked as withheld stay withheld. Raises ValueError for tables or figures that are
    declared inconsistently (a plugin bug). Running it twice gives the same result.
    """
    if threshold < 1:
        raise ValueError(f"disclosure threshold must be 1 or more, not {threshold}")
    summary = DisclosureSummary(threshold, suppress_zero)
    mark_headline_cells([document])
    for table in document.tables():
        if table.id in summary.tables:
            raise ValueError(f"document {document.report}: table id {table.id!r} used twice")
        summary.tables[table.id] = _protect_table(table, threshold, suppress_zero, summary.warnings)
    while _follow_copies(document, threshold, suppress_zero, summary):
        pass
    summary.figures = _protect_figures(document, threshold, suppress_zero)
    while _follow_figures(document):  # a restating cell withheld can withhold a figure in turn
        summary.figures = _protect_figures(document, threshold, suppress_zero)
    note = disclosure_note(threshold, suppress_zero)
    if note not in document.notes:
        document.notes.append(note)
    document.threshold = threshold
    return summary


def mark_headline_cells(documents: Iterable[Document]) -> None:
    """Add to each table's ``keep`` the cells a headline figure of ``documents`` is computed from (a
    percentage or ratio cell with the counts it is derived from), and every cell of ``documents``
    counting the same people as one of those: a count behind one report's headline figure is the
    last any of them withholds (withholding a copy withholds it everywhere)."""
    documents = list(documents)
    for document in documents:
        tables = {t.id: t for t in document.tables()}
        for fig in document.figures.values():
            for ref in fig.cells if fig.headline else ():
                found = tables.get(ref.table)
                if found is None or found.row_key is None or ref.column not in found.data.columns:
                    continue
                try:
                    row = found.row_position(ref.row)
                    inputs = found.column(ref.column).derived_from
                except KeyError:  # a figure naming no row: nothing to keep (its own check reports it)
                    continue
                found.keep |= {(row, column) for column in (ref.column, *inputs)}
    every = [t for doc in documents for t in doc.tables()]
    behind = {fingerprint(t.units[cell]) for t in every for cell in t.keep if cell in t.units}
    for table in every:
        table.keep |= {cell for cell, units in table.units.items() if fingerprint(units) in behind}


def knock_on(table: Table, cell: Cell, threshold: int, suppress_zero: bool = False) -> set[Cell]:
    """The shown cells of ``table`` that withholding ``cell`` too would withhold by the table's own
    rules (the cell itself, the cells protecting it, what is derived from them); the table is left
    as it was."""
    saved = (set(table.suppressed), set(table.secondary), set(table.grouped))
    try:
        table.suppressed.add(cell)
        _protect_table(table, threshold, suppress_zero, [])
        shown = {c.key for c in table.columns if not c.hidden}
        return {c for c in table.suppressed - saved[0] if c[1] in shown}
    finally:
        table.suppressed, table.secondary, table.grouped = saved


def disclosure_note(threshold: int, suppress_zero: bool = False) -> str:
    """The reader-facing note explaining what was withheld and why."""
    low, high = (0 if suppress_zero else 1), threshold - 1
    if high < low:
        return ("Disclosure control: no counts are withheld, because the disclosure threshold "
                "is set to 1.")
    counts = f"Counts of {low}" if low == high else f"Counts from {low} to {high}"
    return (f"{counts} are withheld and shown as {SUPPRESSED} to protect the people they "
            f"describe. Some larger counts are also shown as {SUPPRESSED}, where they could "
            "otherwise be used with a total, or with figures elsewhere in the publications of the "
            "same data, to work out a withheld count; so are some zeros, where they would show "
            "which group everyone counted is in or that none of a small group had an outcome, and "
            "every percentage, rate or ratio calculated from a withheld count.")


def note_nothing_withheld(document: Document, threshold: int, suppress_zero: bool = False) -> None:
    """A publication whose tables withhold nothing says so in its disclosure note rather than
    explaining a ``[c]`` it never shows (and says where its text withholds a figure)."""
    shown = {table.id: {c.key for c in table.visible_columns} for table in document.tables()}
    if any(key in shown[table.id] and table.display_value(row, key) == SUPPRESSED
           for table in document.tables() for row, key in table.suppressed):
        return
    note = disclosure_note(threshold, suppress_zero)
    if note in document.notes and threshold > (0 if suppress_zero else 1):
        low = 0 if suppress_zero else 1
        counts = f"Counts of {low}" if low == threshold - 1 else f"Counts from {low} to {threshold - 1}"
        document.notes[document.notes.index(note)] = (
            f"{counts} are withheld to protect the people they describe, with any number from which one could "
            "be worked out; where a figure or table is not shown, the report says so."
            if any(fig.suppressed for fig in document.figures.values()) else
            f"{counts} would be withheld and shown as {SUPPRESSED} to protect the people they describe, "
            "with any number from which one could be worked out; nothing in this report needed to be withheld.")


def table_lines(table: Table) -> list[Line]:
    """The additive lines of ``table`` as declared by its disclosure structure.

    * ``rows_additive`` (or ``total_row``): each count column down the rows, with the total
      row's cell as the total when there is one (otherwise the total is assumed known, unless
      the column is one of ``private_totals``: then it is no line of this table's).
    * each tuple of ``column_groups`` (or key of ``column_totals``), in every row including a
      total row, with the ``column_totals`` column as the total when given.
    """
    counts = [c.key for c in table.columns if c.kind == "count"]
    n = len(table.data)
    lines: list[Line] = []
    if (table.rows_additive or table.total_row) and n:
        body = range(n - 1) if table.total_row else range(n)
        for key in counts:
            parts = tuple((r, key) for r in body)
            if parts and (table.total_row or key not in table.private_totals):
                lines.append(Line(parts, (n - 1, key) if table.total_row else None))
    groups = list(table.column_groups)
    groups += [g for g in table.column_totals if g not in groups]
    for group in groups:
        total = table.column_totals.get(group)
        bad = [k for k in (*group, *([total] if total else [])) if k not in counts]
        if not group or bad:
            raise ValueError(f"table {table.id}: column group {group} must name count columns "
                             f"(not count columns: {bad})")
        if total in group:
            raise ValueError(f"table {table.id}: column group {group} contains its own total")
    for r in range(n):
        for group in groups:
            total = table.column_totals.get(group)
            lines.append(Line(tuple((r, k) for k in group), None if total is None else (r, total)))
    return lines


def _group_only_lines(table: Table) -> list[Line]:
    """Lines no secondary suppression uses, their total being nowhere, along which a row or
    column may still show everyone in one group (:func:`_all_in_one_group`): each row's
    ``partial_groups``, and each ``private_totals`` column down additive rows without a total row
    ("disciplined: White 0, ethnic minority [c], not known 0"; survey respondents answering yes)."""
    n = len(table.data)
    lines = [Line(tuple((r, k) for k in group)) for r in range(n) for group in table.partial_groups]
    if table.rows_additive and not table.total_row and n > 1:
        counts = {c.key for c in table.columns if c.kind == "count"}
        lines += [Line(tuple((r, key) for r in range(n))) for key in table.private_totals if key in counts]
    return lines


def _protect_table(table: Table, threshold: int, suppress_zero: bool,
                   warnings: list[str]) -> TableSummary:
    values = _count_values(table)
    lines = table_lines(table)
    keys = {c.key for c in table.columns}
    kept = {c for c in table.suppressed - table.secondary if c[1] in keys}
    primary = {c for c, v in values.items() if _disclosive(v, threshold, suppress_zero)}
    primary |= {c for c in kept if c in values}
    prefer = _Preference(frozenset(table.spare), frozenset(table.keep))
    public = {table.row_position(label) for label in table.public_rows}
    partial = _group_only_lines(table)
    one_group: set[Cell] = set()
    while True:  # each round withholds more zeros, never fewer: it ends
        withheld, exposed = _secondary(lines, values, primary | one_group, prefer)
        more = _all_in_one_group(lines + partial, values, withheld, public) | \
            _none_of_a_small_base(table, lines, values, withheld, public)
        if not more:
            break
        one_group |= more
    withheld -= table.released - table.joint  # a reader works them out from the run anyway
    table.secondary = withheld - primary
    table.grouped = one_group & withheld
    small = {c for c in primary if c in values and _disclosive(values[c], threshold, suppress_zero)}
    derived = derived_cells(table, withheld | kept, small | (kept - table.joint)) | {c for c in kept if c not in values}
    table.suppressed = withheld | derived
    order = {c: i for i, c in enumerate(values)}
    unprotected = sorted(exposed, key=order.__getitem__)
    for row, key in unprotected:
        label = table.data.at[row, table.row_key] if table.row_key else row + 1
        warnings.append(f"table {table.id}: the withheld count in row {label!s}, column {key!r} "
                        "can still be worked out from the totals; consider merging that row or "
                        "column with another")
    joint = table.joint & primary
    label = table.row_key or next((c.key for c in table.columns if c.kind == "text"), None)
    shown = {c.key for c in table.columns if not c.hidden and c.key != label}
    size = len(table.data) * len(shown)
    return TableSummary(len(primary - joint), len(withheld - primary), len(derived), unprotected, len(joint), size,
                        sum(1 for _, key in table.suppressed if key in shown))


def _count_values(table: Table) -> Values:
    """Every count cell's value (None when missing), checked to be a whole number >= 0."""
    columns: dict[str, list[float | None]] = {}
    for col in (c for c in table.columns if c.kind == "count"):
        raw = table.data[col.key]
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            number = raw.to_numpy(dtype="float64", na_value=np.nan)  # the usual case, without conversions
            given = ~np.isnan(number)
        else:
            number = pd.to_numeric(raw.astype(object), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            given = ~raw.isna().to_numpy()
        with np.errstate(invalid="ignore"):
            bad = given & (np.isnan(number) | (number < 0) | (number % 1 != 0))
        if bad.any():
            raise ValueError(f"table {table.id}: count column {col.key!r} holds "
                             f"{raw[bad].iloc[0]!r}; counts are whole numbers of 0 or more "
                             "(put FTE in a number column)")
        columns[col.key] = [None if v != v else v for v in number.tolist()]
    return {(r, key): vals[r] for r in range(len(table.data)) for key, vals in columns.items()}


def _disclosive(value: Any, threshold: int, suppress_zero: bool) -> bool:
    if value is None or isinstance(value, (str, bool)) or is_missing(value):
        return False
    return 0 < value < threshold or (suppress_zero and value == 0)


def _unknown(cell: Cell, values: Values, withheld: set[Cell]) -> bool:
    return cell in withheld or values[cell] is None


@dataclass(frozen=True)
class _Preference:
    """Which cells go first when one must be withheld to protect another: a cell of a ``spare``
    column (the reference group) before others, and a cell behind a headline figure (``keep``)
    last of all."""

    spare: frozenset[str] = frozenset()
    keep: frozenset[Cell] = frozenset()

    def __call__(self, cell: Cell) -> tuple[bool, bool]:
        return cell in self.keep, cell[1] not in self.spare


def _candidates(line: Line, values: Values, withheld: set[Cell], prefer: _Preference = _Preference()) -> list[Cell]:
    """Cells of ``line`` that could be withheld to protect another, best first.

    A non-zero part in ``prefer``'s order (the reference group first, cells behind headline
    figures last), the smallest first (ties: the first), then a zero part, then the total cell.
    """
    free = [p for p in line.parts if not _unknown(p, values, withheld)]
    nonzero = sorted((p for p in free if values[p]), key=lambda p: (prefer(p), values[p] or 0.0))
    zeros = [p for p in free if values[p] == 0]
    total = [] if line.total is None or _unknown(line.total, values, withheld) else [line.total]
    late = [p for p in nonzero if p in prefer.keep]
    early_total = [t for t in total if t not in prefer.keep]
    return [p for p in nonzero if p not in prefer.keep] + zeros + early_total + late + \
        [t for t in total if t in prefer.keep]


def _close(lines: list[Line], values: Values, withheld: set[Cell],
           prefer: _Preference = _Preference(), look_ahead: bool = True) -> tuple[set[Cell], set[Cell]]:
    """Withhold cells until no line has exactly one unknown cell that is withheld.

    Each line takes its best candidate (:func:`_candidates`), unless closing the lines after it
    would withhold a cell behind a headline figure (``prefer.keep``) and closing them after a
    later candidate would not: withholding the smaller of two leavers' counts can force out the
    count a relative likelihood is computed from, where the column's total would not. Returns
    the withheld cells and the ones that cannot be protected (the only part of a line whose total
    is known). Terminates: every pass either adds a cell or ends the loop.
    """
    withheld = set(withheld)
    exposed: set[Cell] = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            unknown = [m for m in line.members if _unknown(m, values, withheld)]
            if len(unknown) != 1 or unknown[0] not in withheld:
                continue
            options = _candidates(line, values, withheld, prefer)
            if options:
                withheld.add(_sparing_headlines(lines, values, withheld, prefer, options) if look_ahead else options[0])
                changed = True
            else:
                exposed.add(unknown[0])
    return withheld, exposed


def _sparing_headlines(lines: list[Line], values: Values, withheld: set[Cell], prefer: _Preference,
                       options: list[Cell]) -> Cell:
    """The first of ``options`` (best first) whose closing withholds no cell behind a headline
    figure that is shown now, else the first."""
    keep = prefer.keep - withheld
    if not keep or len(options) == 1:
        return options[0]
    for option in options:
        if option in keep:
            break
        closed, _ = _close(lines, values, withheld | {option}, prefer, look_ahead=False)
        if not closed & keep:
            return option
    return options[0]


def _linearly_determined(lines: list[Line], values: Values, withheld: set[Cell],
                primary: set[Cell]) -> set[Cell]:
    """Withheld cells a reader could work out from the published cells and the line totals, by
    linear algebra (exact when every unknown cell is 1 or more: see :func:`_determined`).

    First, a line whose known total leaves nothing over for its unknown parts proves them all
    zero (counts are never negative). Then a cell is determined when it is fixed by the linear
    system of all lines: its unit vector lies in the row space, i.e. every null-space vector has
    a zero in its place. Zeros proved in the first step matter only if they are primary cells.
    """
    unknown = {c for c in values if _unknown(c, values, withheld)}
    zeros: set[Cell] = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            if line.total is not None and line.total in unknown - zeros:
                continue
            parts = [p for p in line.parts if p in unknown and p not in zeros]
            if parts and all(values[p] == 0 for p in parts):
                zeros.update(parts)
                changed = True
    variables = [c for c in values if c in unknown and c not in zeros]
    out = zeros & primary
    if not variables:
        return out
    index = {c: i for i, c in enumerate(variables)}
    matrix = np.zeros((max(len(lines), 1), len(variables)))
    for row, line in enumerate(lines):
        for part in line.parts:
            if part in index:
                matrix[row, index[part]] += 1.0
        if line.total in index:
            matrix[row, index[line.total]] -= 1.0  # type: ignore[index]
    _, sing, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((sing > 1e-9 * max(matrix.shape)).sum())
    null = vt[rank:]
    fixed = np.all(np.abs(null) < 1e-9, axis=0) if len(null) else np.ones(len(variables), bool)
    return out | {c for c, f in zip(variables, fixed) if f and c in withheld}


def _determined(lines: list[Line], values: Values, withheld: set[Cell],
                primary: set[Cell]) -> set[Cell]:
    """Withheld cells a reader could work out exactly from the published cells and the lines.

    Exact: the unknown cells are whole numbers of 0 or more that satisfy every line (a line
    without a total cell adds up to a total the reader is assumed to know); a withheld cell is
    determined when it cannot take any other whole value (integer programs, see
    :func:`equality_reports.audit.movable`). A withheld zero matters only if it is primary.

    Lines of count tables form a network, whose null space has vectors of -1, 0 and 1: when every
    unknown cell is 1 or more, a cell the linear system leaves free can move by one without any
    cell going negative, so the fast linear-algebra answer is exact. Only zeros (and missing
    values) among the unknown cells need the integer programs.
    """
    unknown = [c for c in values if _unknown(c, values, withheld)]
    if all((values[c] or 0) >= 1 for c in unknown):
        return _linearly_determined(lines, values, withheld, primary)
    targets = [c for c in unknown if c in withheld and (c in primary or values[c])]
    if not targets:
        return set()
    index = {c: i for i, c in enumerate(unknown)}
    rows, rhs = [], []
    for line in lines:
        coef = np.zeros(len(unknown))
        known = 0.0
        for part in line.parts:
            if part in index:
                coef[index[part]] += 1.0
            else:
                known += values[part] or 0.0
        if line.total is None:  # the total is known to the reader: the sum of the true values
            total = sum((values[p] or 0.0) for p in line.parts)
        elif line.total in index:
            coef[index[line.total]] -= 1.0
            total = 0.0
        else:
            total = values[line.total] or 0.0
        if coef.any():
            rows.append(coef)
            rhs.append(total - known)
    a_eq = np.array(rows) if rows else np.zeros((0, len(unknown)))
    return {cell for cell in targets if not movable(index[cell], a_eq, np.array(rhs), values[cell] or 0.0)}


def _secondary(lines: list[Line], values: Values, primary: set[Cell],
               prefer: _Preference = _Preference()) -> tuple[set[Cell], set[Cell]]:
    """Primary cells plus the secondary cells that protect them, and the unprotectable ones.

    Each round of the outer loop takes the first withheld cell a reader could still work out and
    withholds one more cell of its lines (preferring one that, once the lines are closed again,
    protects it), or gives it up as unprotectable when none is left. Every round adds to one of
    two sets bounded by the table's cells, so the loop ends.
    """
    order = {c: i for i, c in enumerate(values)}
    withheld, exposed = _close(lines, values, primary, prefer)
    while True:
        # the fast linear check in the loop; the exact integer check once it finds nothing
        at_risk = sorted(_linearly_determined(lines, values, withheld, primary) - exposed, key=order.__getitem__) \
            or sorted(_determined(lines, values, withheld, primary) - exposed, key=order.__getitem__)
        if not at_risk:
            return withheld, exposed
        cell = at_risk[0]
        options = sorted({o for line in lines if cell in line.members
                          for o in _candidates(line, values, withheld, prefer)},
                         key=lambda o: (values[o] == 0, prefer(o), values[o], order[o]))
        if not options:
            exposed.add(cell)
            continue

        # called only within this iteration (by next() below), so the loop variables are current
        def fixes(option: Cell) -> bool:
            trial, _ = _close(lines, values, withheld | {option}, prefer)  # noqa: B023
            return cell not in _linearly_determined(lines, values, trial, primary)  # noqa: B023

        choice = next((o for o in options if fixes(o)), options[0])
        withheld, more = _close(lines, values, withheld | {choice}, prefer)
        exposed |= more


def _all_in_one_group(lines: list[Line], values: Values, withheld: set[Cell], public: set[int]) -> set[Cell]:
    """Shown zeros to withhold so that no line tells which group everyone it counts is in.

    A line whose only non-zero part is withheld, beside parts all shown as 0, says that all the
    people of the line (a group of unknown size, its total withheld too) belong to that part:
    "White [c], ethnic minority 0, not known 0" says every member of a small board is White,
    and "grievances: White 0, ethnic minority [c]" says everyone who raised one is from an ethnic
    minority. Every zero of each such line is returned, to be withheld as if it were small (one
    would do for the line, but another table of the run showing the same line could withhold
    another, and the two together would give the line away: all of them is the same choice
    whatever the table); secondary suppression then protects them like any other. Lines within
    the ``public`` rows (``Table.public_rows``: a board) are left as they are."""
    found = set()
    for line in lines:
        if all(row in public for row, _ in line.parts):
            continue
        hidden = [p for p in line.parts if _unknown(p, values, withheld)]
        zeros = [p for p in line.parts if values[p] == 0 and p not in withheld]
        if len(hidden) == 1 and values[hidden[0]] and zeros and len(zeros) == len(line.parts) - 1:
            found |= set(zeros)
    return found


def _none_of_a_small_base(table: Table, lines: list[Line], values: Values, withheld: set[Cell],
                          public: set[int]) -> set[Cell]:
    """Shown zeros to withhold so that no row tells what befell every one of a withheld group.

    A rate's numerator shown as 0 beside its withheld base ("Not stated: staff [c], received
    training 0", "applicants [c], appointed 0") says that none of those few people had the
    outcome: whoever knows one of them learns it. The zero is withheld (then protected like any
    other withheld cell), for every percentage column whose ``Column.divisors`` names its one
    base, in each count column of its ``derived_from`` (the numerator: "answered yes", as given
    and as implied). Rows in ``public`` are left as they are, and so is a zero in a line whose total
    is 0, shown or assumed known (nobody in the organisation was paid a bonus: every group's 0 says
    no more)."""
    def empty(line: Line) -> bool:
        """Whether every reader knows the line counts nobody: its total a shown 0, or assumed known
        (not in the table) and 0."""
        if line.total is None:
            return not any(values.get(p) for p in line.parts)
        return values.get(line.total) == 0 and line.total not in withheld

    nobody = {part for line in lines if empty(line) for part in line.parts}
    found = set()
    for col in table.columns:
        if col.kind != "percent" or len(col.divisors) != 1:
            continue
        base = col.divisors[0]
        for part in (k for k in col.derived_from if k != base):
            for r in range(len(table.data)):
                whole, cell = (r, base), (r, part)
                if r in public or whole not in values or cell not in values:
                    continue  # not counts (a ratio of two rates)
                if whole in withheld and values[whole] and values[cell] == 0 and cell not in withheld \
                        and cell not in nobody:
                    found.add(cell)
    return found


def derived_cells(table: Table, withheld: set[Cell], small: set[Cell] | None = None) -> set[Cell]:
    """Non-count cells calculated from a withheld cell of the same row (followed transitively).

    Given the cells withheld for their own sake (``small``): a hidden count no shown cell gives
    away (no ``Column.revealed_by``, not in ``Table.revealed``), not small and withheld only to
    protect other cells (``Table.secondary``, ``Table.joint``) is published nowhere, so a mean,
    median or gap (``Table.averages``) of its group is not withheld on its account; one the
    shown means give away (``Table.revealed``: means weigh their groups) takes the means and
    their gaps with it, but not the medians, which weigh nothing.

    Two cells stay shown beside a withheld input: a share or rate of a shown zero (0 whatever it
    divides by), and a value every reader knows is not calculable because one of its
    ``Column.divisors`` is a zero they see (it shows ``[x]``)."""
    keys = {c.key for c in table.columns}
    for col in table.columns:
        if col.kind == "percent" and not col.derived_from:
            raise ValueError(f"table {table.id}: percent column {col.key!r} must name the count "
                             "columns it was calculated from in derived_from")
        missing = [k for k in col.derived_from if k not in keys]
        if missing:
            raise ValueError(f"table {table.id}: column {col.key!r} is derived_from unknown "
                             f"columns {missing}")
    by_key = {c.key: c for c in table.columns}
    rows: dict[str, set[int]] = {k: set() for k in keys}
    for r, k in withheld:
        rows[k].add(r)
    derived = [c for c in table.columns if c.kind != "count" and c.derived_from]
    out: set[Cell] = set()
    unpublished = {c.key for c in table.columns if c.kind == "count" and c.hidden and not c.revealed_by}
    hidden = set() if small is None else \
        {cell for cell in withheld if cell[1] in unpublished and cell not in small}
    needless = {cell for cell in hidden if cell not in table.revealed and cell in table.secondary | table.joint}
    weighed = {cell for cell in hidden if cell in table.revealed}

    def follows(r: int, source: str, key: str) -> bool:
        """Whether withholding (r, source) withholds (r, key)."""
        average = table.averages.get((r, key))
        if average is None:
            return True
        if (r, source) in needless:
            return False
        return (r, source) not in weighed or not isinstance(getattr(average, "group", average), Median)

    def zero(r: int, key: str) -> bool:
        return _is_zero(table.data.at[r, key])

    def shown_zero(r: int, key: str) -> bool:
        """Whether every reader sees that (r, key) is 0: shown, or hidden but given away by a
        shown cell of its row (``revealed_by``)."""
        col = by_key[key]
        seen = not col.hidden or (col.revealed_by is not None and r not in rows[col.revealed_by])
        return seen and r not in rows[key] and zero(r, key)

    def uncalculable(r: int, col: Column) -> bool:
        """Whether a shown zero divisor makes (r, col) not calculable for every reader."""
        value = table.data.at[r, col.key]
        return (col.kind == "text" or is_missing(value)) and any(shown_zero(r, s) for s in col.divisors)

    changed = True
    while changed:
        changed = False
        for col in derived:
            new = {r for s in col.derived_from for r in rows[s] if follows(r, s, col.key)} - rows[col.key]
            # a share or rate of a shown zero is 0 whatever the withheld count it divides by
            new = {r for r in new if not (zero(r, col.key) and any(
                r not in rows[s] and zero(r, s) for s in col.derived_from)) and not uncalculable(r, col)}
            if new:
                rows[col.key] |= new
                out |= {(r, col.key) for r in new}
                changed = True
    return out


def _follow_copies(document: Document, threshold: int, suppress_zero: bool, summary: DisclosureSummary) -> bool:
    """Withhold each shown cell restating a withheld cell (``Table.copies``) and protect its table
    again; True when any was (each round only adds withheld cells, so repeating it ends)."""
    tables = {t.id: t for t in document.tables()}
    changed = False
    for table in tables.values():
        follow = {cell for cell, ref in table.copies.items()
                  if cell not in table.suppressed and _withheld_at(tables, ref)}
        if follow:
            table.suppressed |= follow
            warnings: list[str] = []
            summary.tables[table.id] = _protect_table(table, threshold, suppress_zero, warnings)
            summary.warnings += [w for w in warnings if w not in summary.warnings]
            changed = True
    return changed


def _withheld_at(tables: dict[str, Table], ref: CellRef) -> bool:
    """Whether ``ref`` names a withheld cell of one of ``tables`` (False when it names none)."""
    table = tables.get(ref.table)
    try:
        return table is not None and (table.row_position(ref.row), ref.column) in table.suppressed
    except KeyError:
        return False


def _cell_withheld(document: Document, tables: dict[str, Table], figure: Figure,
                   ref: CellRef) -> bool:
    table = tables.get(ref.table)
    try:
        if table is None:
            raise KeyError(f"document {document.report} has no table {ref.table!r}")
        table.column(ref.column)
        row = table.row_position(ref.row)
    except KeyError as exc:
        raise ValueError(f"figure {figure.id}: {ref} points at no cell ({exc.args[0]})") from None
    # an empty cell the report leaves empty by a published rule shows as [x] even where withheld
    # (Table.display_value): a figure restating it says why it has no value, not that it is withheld
    shows_rule = (row, ref.column) in table.not_available and is_missing(table.data.at[row, ref.column])
    return (row, ref.column) in table.suppressed and not shows_rule


def _is_zero(value: Any) -> bool:
    """Whether a cell's value is the number 0 (not a missing value, a flag or a text)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and not is_missing(value) and value == 0


def _cell_value(tables: dict[str, Table], ref: CellRef) -> Any:
    """The value of the cell a figure restates (checked to exist by :func:`_cell_withheld`)."""
    table = tables[ref.table]
    return table.data.at[table.row_position(ref.row), ref.column]


def _protect_figures(document: Document, threshold: int, suppress_zero: bool) -> list[str]:
    """Mark withheld figures; returns their ids in document order."""
    tables = {t.id: t for t in document.tables()}
    withheld: list[str] = []
    for fig in document.figures.values():
        from_cells = [_cell_withheld(document, tables, fig, ref) for ref in fig.cells]
        # a share of a shown zero is 0 whatever its base: a small or withheld base is not given away
        # (a zero its table withholds, "shortlisted [c], appointed 0", is not shown: a figure restating
        # cells is a share of a shown zero only when one of them is)
        zero_share = fig.unit == "percent" and fig.value == 0 and not suppress_zero and (
            (fig.numerator == 0 and not fig.cells) or any(not hidden and _is_zero(_cell_value(tables, ref))
                                                          for ref, hidden in zip(fig.cells, from_cells)))
        if zero_share:
            from_cells = []
        small_part = _disclosive(fig.numerator, threshold, suppress_zero) or \
            (not zero_share and _disclosive(fig.denominator, threshold, suppress_zero))
        counts = fig.unit == "count" or fig.units is not None
        small_count = counts and _disclosive(fig.value, threshold, suppress_zero)
        _check_figure_units(fig)
        if fig.suppressed or any(from_cells) or small_part or small_count:
            fig.suppressed = True
            withheld.append(fig.id)
    return withheld


def _follow_figures(document: Document) -> bool:
    """Withhold every table cell that restates a withheld (or missing) figure, with the cells
    derived from it; True when anything was newly withheld."""
    changed = False
    for table in document.tables():
        hide = {cell for cell, fid in table.restates.items()
                if cell not in table.suppressed and (fid not in document.figures or document.figures[fid].suppressed)}
        if hide:
            table.suppressed |= hide | derived_cells(table, table.suppressed | hide)
            changed = True
    return changed


def _check_figure_units(fig: Figure) -> None:
    """A figure declaring units must count exactly them (a plugin bug otherwise)."""
    if fig.units is None or fig.value is None or isinstance(fig.value, str):
        return
    declared = len(np.unique(np.asarray(fig.units, dtype=np.uint64)))
    if declared != fig.value:
        raise ValueError(f"figure {fig.id}: its value {fig.value} is not the number of units it declares "
                         f"({declared}); the report counted differently from its declared population")


#: a detailed table with more than this share of its counts withheld gives way to its coarser one
MOSTLY_WITHHELD = 0.5

#: any table with at least this share of its counts withheld is left out, a sentence in its place
LARGELY_WITHHELD = 0.75


def _nonzero_counts(table: Table) -> list[tuple[int, str]]:
    """The table's shown non-zero count cells of the dataset's people (a census benchmark, from
    outside the data and never withheld, does not count)."""
    values = _count_values(table)
    shown = {c.key for c in table.columns if c.kind == "count" and not c.hidden and not c.external}
    return [c for c, v in values.items() if c[1] in shown and v]


def only_base_shown(table: Table) -> str | None:
    """The label of a table's first count column when it is the only one still showing a number,
    every other count column with a number in it withheld (the staff in post beside grievance
    counts all ``[c]``): the table then shows only the base its counts are set against, which
    other tables publish. None else."""
    cells = _nonzero_counts(table)
    with_numbers = {key for _, key in cells}
    showing = {key for row, key in cells if (row, key) not in table.suppressed}
    first = next((c for c in table.visible_columns if c.kind == "count" and not c.external), None)
    if len(with_numbers) < 2 or first is None or showing != {first.key}:
        return None
    return first.label


def mostly_withheld(document: Document, any_table: bool = True) -> set[str]:
    """Ids of the tables to leave out for showing too little: those declaring a ``coarser`` one
    (published in the same document) with more than :data:`MOSTLY_WITHHELD` of their non-zero
    counts withheld, and (``any_table``) any with at least :data:`LARGELY_WITHHELD` of them
    withheld, showing only their base (:func:`only_base_shown`), or with at least
    :data:`MOSTLY_WITHHELD` of them and every percentage withheld. Counts from outside the data (a
    census benchmark, never withheld) do not count."""
    tables = {t.id: t for t in document.tables()}
    out = set()
    for table in tables.values():
        cells = _nonzero_counts(table)
        if not cells:
            continue
        share = sum(c in table.suppressed for c in cells) / len(cells)
        if (any_table and (share >= LARGELY_WITHHELD or only_base_shown(table) is not None
                           or (share >= MOSTLY_WITHHELD and _no_share_shown(table)))) \
                or (table.coarser in tables and share > MOSTLY_WITHHELD):
            out.add(table.id)
    return out


def _no_share_shown(table: Table) -> bool:
    """The table has percentages, and every one with a value is withheld: with half its counts
    gone too, it compares nothing (the shares are what a reader reads it for)."""
    cells = [(row, c.key) for c in table.visible_columns if c.kind == "percent"
             for row in range(len(table.data)) if not is_missing(table.data.at[row, c.key])]
    return bool(cells) and all(cell in table.suppressed for cell in cells)


def fully_withheld(document: Document) -> set[str]:
    """Ids of the tables every number of which is withheld (or not calculable), at least one
    withheld: a grid of [c] tells a reader nothing a sentence would not."""
    out = set()
    for table in document.tables():
        cells = [(row, c.key) for c in table.visible_columns if c.kind != "text"
                 for row in range(len(table.data)) if not is_missing(table.data.at[row, c.key])]
        if cells and all(cell in table.suppressed for cell in cells):
            out.add(table.id)
    return out


def showing_no_number(document: Document) -> set[str]:
    """Ids of the tables whose numbers are all withheld, too small to show or not applicable
    ([c], [x] and [z] only), some for the people's sake (withheld, or a group too small to show):
    a grid of symbols compares nothing."""
    out = set()
    for table in document.tables():
        cells = [(row, c.key) for c in table.visible_columns if c.kind != "text" for row in range(len(table.data))]
        if cells and not any(cell in table.suppressed or cell in table.not_available for cell in cells):
            continue
        if cells and all(isinstance(table.display_value(row, key), str) for row, key in cells):
            out.add(table.id)
    return out


def showing_only_zeros(document: Document) -> set[str]:
    """Ids of the tables whose every number shown is zero, the rest [x] or [z] (at least one), none
    withheld: nobody in them did what they count (no bonus was paid), and a grid of zeros and
    symbols says less than a sentence."""
    out = set()
    for table in document.tables():
        shown = [table.display_value(row, c.key) for c in table.visible_columns if c.kind != "text"
                 for row in range(len(table.data))]
        numbers = [v for v in shown if not isinstance(v, str)]
        if numbers and len(numbers) < len(shown) and all(_is_zero(v) for v in numbers) and SUPPRESSED not in shown:
            out.add(table.id)
    return out


def leave_out_mostly_withheld(document: Document, also: set[str] | frozenset[str] = frozenset(),
                              zeros: bool = True) -> list[str]:
    """Leave out each table :func:`mostly_withheld` names, and those of ``also`` (ids a joint pass
    found mostly withheld), and every table :func:`fully_withheld`, :func:`showing_no_number` or
    (``zeros``) :func:`showing_only_zeros`: a
    paragraph says so in its place, its charts go, and a figure restating a cell of it is withheld
    unless it restated only shown cells and declares whom it counts (a count's units, a
    percentage's share), so that the run-wide audit still sees it. Returns the titles left out."""
    full = fully_withheld(document)
    blank = showing_no_number(document) - full
    nothing = (showing_only_zeros(document) if zeros else set()) - full - blank
    leaving = mostly_withheld(document) | set(also) | full | blank | nothing
    gone = {t.id: t for t in document.tables() if t.id in leaving}  # in the document's order
    if not gone:
        return []
    runs: dict[int, tuple[tuple[str, str], list[str]]] = {}  # id of each sentence written -> its tables
    for _, section in document.walk():
        blocks: list[Any] = []
        said: list[tuple[tuple[str, str], list[str]]] = []  # consecutive tables left out: (how many, titles)
        for block in section.blocks:
            if isinstance(block, Table) and block.id in gone:
                base = only_base_shown(block)
                how_many = ("all", "") if block.id in full else ("none", "") if block.id in blank else \
                    ("zero", "") if block.id in nothing else ("base", base) if base else ("most", "")
                if said and said[-1][0] == how_many and isinstance(blocks[-1], Paragraph) and blocks[-1].text == "":
                    said[-1][1].append(block.title)
                else:
                    said.append((how_many, [block.title]))
                    blocks.append(Paragraph(text=""))  # filled below, once its run of tables is known
            elif isinstance(block, Paragraph) and block.describes and set(block.describes) <= set(gone):
                continue
            elif not (isinstance(block, Chart) and block.table in gone):
                blocks.append(block)
        placeholders = iter(said)
        for block in blocks:
            if isinstance(block, Paragraph) and block.text == "":
                runs[id(block)] = next(placeholders)
                block.text = _left_out_words(*runs[id(block)])
        section.blocks = blocks
    merged = _merge_left_out_parts(document, runs)
    # the sentences as the text gives them, in its order (merged ones once, for their part)
    document.left_out += [b.text or "" for _, s in document.walk() for b in s.blocks
                          if isinstance(b, Paragraph) and (id(b) in runs or id(b) in merged)]
    for fig in document.figures.values():
        refs = [ref for ref in fig.cells if ref.table in gone]
        if refs:
            # with the table gone, only what the figure declares relates it to the people it counts:
            # a count with its units, or a percentage with its share, stays shown when the cells it
            # restated were (as does a total of hours, which counts no group); any other figure (a
            # rate, a percentage of a cell) is withheld, as the run-wide audit could no longer see
            # what it gives away (fail closed)
            # (a percentage of 0 says only that its count is 0, which the audit reads from any zero: it
            # stays shown as its cell was, as the same rate stays shown in other tables; a figure with
            # no value, too small to show or not calculable, gives no number away and keeps saying why)
            audited = (fig.unit == "count" and fig.units is not None) or fig.share is not None or fig.unit == "fte" \
                or (fig.unit == "percent" and _is_zero(fig.value))
            fig.suppressed = fig.suppressed or not is_missing(fig.value) and (
                not audited or not all(_shown(gone[ref.table], ref) for ref in refs))
            fig.cells = tuple(ref for ref in fig.cells if ref.table not in gone)
    return [t.title for t in gone.values()]


def _merge_left_out_parts(document: Document, runs: dict[int, tuple[tuple[str, str], list[str]]]) -> set[int]:
    """A part of the document whose subsections (two or more) hold nothing but sentences saying
    their tables are left out loses those subsections: their tables are named in one sentence per
    reason under the part's own heading, instead of a run of headings over one sentence each.
    Returns the ids of the sentences written."""
    written: set[int] = set()
    for _, section in document.walk():
        parts = section.sections
        if len(parts) < 2 or any(p.sections or not p.blocks or any(id(b) not in runs for b in p.blocks)
                                 for p in parts):
            continue
        by_reason: dict[tuple[str, str], list[str]] = {}
        for block in (b for p in parts for b in p.blocks):
            how_many, titles = runs[id(block)]
            by_reason.setdefault(how_many, []).extend(titles)
        sentences = [Paragraph(text=_left_out_words(how_many, titles)) for how_many, titles in by_reason.items()]
        section.blocks.extend(sentences)
        written |= {id(p) for p in sentences}
        section.sections = []
    return written


def _left_out_words(how_many: tuple[str, str], titles: list[str]) -> str:
    """The sentence standing for tables left out together; ``how_many``: ("all", "") every number
    withheld, ("none", "") no number shown ([c], [x], [z] only), ("base", column) every count but
    that column's, ("zero", "") every number shown zero, ("most", "") most numbers."""
    quoted = [f"\u201c{title}\u201d" for title in titles]
    one = len(quoted) == 1
    it, its = ("it", "its") if one else ("them", "their")
    kind, base = how_many
    if kind == "none":
        return (f"The table{'' if one else 's'} {join_words(quoted)} {'is' if one else 'are'} not shown: none of "
                f"{its} figures can be shown, as {its} groups are too small or {its} figures would have to be withheld "
                f"to protect the people {'it describes' if one else 'they describe'}.")
    if kind == "zero":
        return (f"The table{'' if one else 's'} {join_words(quoted)} {'is' if one else 'are'} not shown: every "
                f"number {'it' if one else 'they'} would show is zero, and {its} other figures cannot be given.")
    words = f"every number in {it}" if kind == "all" else \
        f"every count in {it} other than the \u201c{base}\u201d column" if kind == "base" else f"most of {its} numbers"
    if one:
        return f"The table {quoted[0]} is not shown: {words} would have to be withheld to protect the people it " \
               "describes."
    return f"The tables {join_words(quoted)} are not shown: {words} would have to be withheld to protect the " \
           "people they describe."


_OTHER_ROWS = "; elsewhere it is the row's total or another group's count"


def explain_spare_withheld(document: Document) -> None:
    """Under each table withholding any of its ``spare`` (reference-group) counts, a note saying
    why: a second count of a row must go with a withheld one, and the reference group's is chosen
    so that the group the table is about stays shown. Says only what the ``[c]`` marks show."""
    for table in document.tables():
        columns = [c.label for c in table.visible_columns if c.key in table.spare]
        # without rows that add up (no total column), no row gives up a spare count for another
        if not columns or not table.column_groups or not any(key in table.spare for _, key in table.suppressed):
            continue
        named = " and ".join(f"\u201c{label}\u201d" for label in columns)
        column = "column" if len(columns) == 1 else "columns"
        counts = {c.key for c in table.columns if c.kind == "count" and c.key not in table.spare}
        # another group's count, or a total, withheld though not small: the spare column was not enough
        others = [(row, key) for row, key in table.suppressed if key in counts
                  and not _disclosive(table.data.iat[row, table.data.columns.get_loc(key)],
                                      document.threshold, False)]
        note = (f"Some counts that are not small are withheld too, so that a small count cannot be worked out "
                f"from its row's total. {'Where possible' if others else 'In each such row'} the count withheld "
                f"is the one in the {named} {column}, so that the other groups' counts and shares stay shown"
                f"{_OTHER_ROWS if others else ''}.")
        if note not in table.notes:
            table.notes.append(note)


def _shown(table: Table, ref: CellRef) -> bool:
    """Whether the cell ``ref`` names is shown in ``table`` (False when it names no cell)."""
    try:
        return (table.row_position(ref.row), ref.column) not in table.suppressed and ref.column in table.data.columns
    except KeyError:
        return False
