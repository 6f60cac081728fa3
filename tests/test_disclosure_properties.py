"""Property tests for disclosure control: random tables must never leak a withheld count.

The additive lines are rebuilt here from the table's declared structure, independently of
``equality_reports.disclosure.table_lines``, and every check reads only what a reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from equality_reports.disclosure import apply_disclosure
from equality_reports.document import Column, Document, Table

Cell = tuple[int, str]
# parts, total cell (None: the total is known but not in the table)
Line = tuple[tuple[Cell, ...], "Cell | None"]


@dataclass
class Case:
    table: Table
    lines: list[Line]
    threshold: int
    suppress_zero: bool

    @property
    def counts(self) -> list[str]:
        return [c.key for c in self.table.columns if c.kind == "count"]

    def value(self, cell: Cell) -> int:
        return int(self.table.data.at[cell[0], cell[1]])

    def cells(self) -> list[Cell]:
        return [(r, k) for r in range(len(self.table.data)) for k in self.counts]


@st.composite
def cases(draw: st.DrawFn, max_rows: int = 8, max_cols: int = 6, max_value: int = 60) -> Case:
    n_rows = draw(st.integers(1, max_rows))
    n_cols = draw(st.integers(1, max_cols))
    value = st.one_of(st.just(0), st.integers(1, 12), st.integers(0, max_value))
    keys = [f"c{j}" for j in range(n_cols)]
    data = pd.DataFrame({k: [draw(value) for _ in range(n_rows)] for k in keys})
    groups: list[tuple[str, ...]] = []
    totals: dict[tuple[str, ...], str] = {}
    if draw(st.booleans()):
        cuts = sorted(draw(st.sets(st.integers(1, n_cols - 1), max_size=3))) if n_cols > 1 else []
        bounds = [0, *cuts, n_cols]
        groups = [tuple(keys[a:b]) for a, b in zip(bounds, bounds[1:])]
        for i, group in enumerate(groups):
            if draw(st.booleans()):
                totals[group] = f"t{i}"
                data[f"t{i}"] = data[list(group)].sum(axis=1)
    count_keys = list(data.columns)
    total_row = draw(st.booleans())
    rows_additive = draw(st.booleans())
    if total_row:
        data = pd.concat([data, data.sum().to_frame().T], ignore_index=True)
    data.insert(0, "label", [f"r{i}" for i in range(len(data) - total_row)] + ["Total"] * total_row)
    data["pct"] = data[count_keys[0]] * 1.5
    columns = [Column("label", "Row")] + [Column(k, k, "count") for k in count_keys]
    columns.append(Column("pct", "Share", "percent", derived_from=(count_keys[0],)))
    table = Table("t", "T", columns, data, rows_additive=rows_additive, total_row=total_row,
                  column_groups=groups, column_totals=totals)

    n = len(data)
    lines: list[Line] = []
    if rows_additive or total_row:
        body = n - 1 if total_row else n
        for k in count_keys:
            if body:
                lines.append((tuple((r, k) for r in range(body)), (n - 1, k) if total_row else None))
    for r in range(n):
        for group in groups:
            lines.append((tuple((r, k) for k in group), (r, totals[group]) if group in totals else None))
    return Case(table, lines, draw(st.integers(2, 20)), draw(st.booleans()))


def _apply(case: Case):
    doc = Document("demo", "Demo", "Org", date(2025, 4, 1), date(2026, 3, 31))
    doc.section("s", "S").add(case.table)
    return apply_disclosure(doc, case.threshold, suppress_zero=case.suppress_zero)


def _members(line: Line) -> tuple[Cell, ...]:
    parts, total = line
    return parts if total is None else (*parts, total)


def _determined_by_rank(case: Case) -> set[Cell]:
    """Withheld cells fixed by the linear system of all lines (published cells substituted)."""
    unknown = sorted(case.table.suppressed & set(case.cells()))
    if not unknown:
        return set()
    index = {c: i for i, c in enumerate(unknown)}
    matrix = np.zeros((len(case.lines) + 1, len(unknown)))
    for row, (parts, total) in enumerate(case.lines):
        for p in parts:
            if p in index:
                matrix[row, index[p]] = 1
        if total in index:
            matrix[row, index[total]] = -1
    rank = np.linalg.matrix_rank(matrix)
    fixed = set()
    for cell, i in index.items():
        unit = np.zeros(len(unknown))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            fixed.add(cell)
    return fixed


def _line_equations(case: Case) -> list[tuple[dict[Cell, int], int]]:
    """Each line as coefficients on its withheld cells and the value a reader can work out for
    their signed sum (the known total minus the published cells)."""
    out = []
    for parts, total in case.lines:
        signed = [(p, 1) for p in parts] + ([(total, -1)] if total else [])
        withheld = [(c, s) for c, s in signed if c in case.table.suppressed]
        out.append(({c: s for c, s in withheld}, sum(s * case.value(c) for c, s in withheld)))
    return out


def _movable_cells(case: Case, unknown: list[Cell]) -> set[Cell]:
    """Withheld cells that some other fill of non-negative whole numbers, agreeing with every
    published cell and line total, gives a different value.

    Another fill differs from the true one by a whole-number vector ``d`` with ``A d = 0``. For
    these line systems (network matrices) every such ``d`` splits into sign-compatible moves with
    entries -1, 0 and 1, each feasible on its own, so trying those moves is an exact search.
    """
    index = {c: i for i, c in enumerate(unknown)}
    eqs = [coeffs for coeffs, _ in _line_equations(case) if coeffs]
    matrix = np.zeros((max(len(eqs), 1), len(unknown)), dtype=int)
    for row, coeffs in enumerate(eqs):
        for cell, sign in coeffs.items():
            matrix[row, index[cell]] = sign
    moves = np.array(np.meshgrid(*[[-1, 0, 1]] * len(unknown), indexing="ij")).reshape(len(unknown), -1)
    truth = np.array([case.value(c) for c in unknown])[:, None]
    ok = np.all(matrix @ moves == 0, axis=0) & np.all(truth + moves >= 0, axis=0)
    movable = np.any(moves[:, ok] != 0, axis=1)
    return {c for c, m in zip(unknown, movable) if m}


COMMON = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(cases())
def test_no_small_count_is_published(case: Case) -> None:
    _apply(case)
    for cell in case.cells():
        v = case.value(cell)
        if 0 < v < case.threshold or (case.suppress_zero and v == 0):
            assert cell in case.table.suppressed, cell


@COMMON
@given(cases())
def test_every_line_has_zero_or_several_withheld_cells(case: Case) -> None:
    summary = _apply(case)
    unprotected = set(summary.tables["t"].unprotected)
    for line in case.lines:
        withheld = [m for m in _members(line) if m in case.table.suppressed]
        if len(withheld) == 1:
            # only a lone part of a line whose total is known elsewhere may be left like this
            assert line[1] is None and len(line[0]) == 1 and withheld[0] in unprotected
            assert summary.warnings


@COMMON
@given(cases())
def test_no_withheld_cell_can_be_recovered_by_subtracting_along_lines(case: Case) -> None:
    summary = _apply(case)
    unprotected = set(summary.tables["t"].unprotected)
    known = set(case.cells()) - case.table.suppressed
    recovered: set[Cell] = set()
    progress = True
    while progress:  # a reader repeatedly solves any line with exactly one unknown cell
        progress = False
        for line in case.lines:
            unknown = [m for m in _members(line) if m not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                recovered.add(unknown[0])
                progress = True
    assert recovered <= unprotected | _recoverable_through(case, unprotected)


def _recoverable_through(case: Case, unprotected: set[Cell]) -> set[Cell]:
    """Cells that become solvable only once an unprotectable cell is known."""
    if not unprotected:
        return set()
    known = set(case.cells()) - case.table.suppressed | unprotected
    out: set[Cell] = set()
    progress = True
    while progress:
        progress = False
        for line in case.lines:
            unknown = [m for m in _members(line) if m not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                out.add(unknown[0])
                progress = True
    return out


@COMMON
@given(cases())
def test_no_withheld_cell_is_fixed_by_the_linear_system(case: Case) -> None:
    summary = _apply(case)
    fixed = _determined_by_rank(case)
    if summary.tables["t"].unprotected:
        assert summary.warnings
        return
    assert fixed <= {c for c in case.table.secondary if case.value(c) == 0}


@COMMON
@given(cases())
def test_derived_share_is_withheld_with_its_count(case: Case) -> None:
    _apply(case)
    source = case.counts[0]
    for r in range(len(case.table.data)):
        assert ((r, "pct") in case.table.suppressed) == ((r, source) in case.table.suppressed)


@COMMON
@given(cases())
def test_result_is_deterministic_and_idempotent(case: Case) -> None:
    first = _apply(case).as_dict()
    once = (set(case.table.suppressed), set(case.table.secondary))
    second = _apply(case).as_dict()
    assert (case.table.suppressed, case.table.secondary) == once
    assert first == second


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_rows=3, max_cols=3, max_value=15))
def test_small_tables_have_no_unique_nonnegative_integer_solution(case: Case) -> None:
    """Exact check: each withheld non-zero count (and each withheld zero when zeros are
    confidential) takes another value in some fill of non-negative whole numbers that agrees
    with everything published."""
    summary = _apply(case)
    unknown = sorted(case.table.suppressed & set(case.cells()))
    if summary.warnings or not unknown or len(unknown) > 10:
        event("skipped: nothing withheld, unprotectable, or too many withheld cells")
        return
    event("checked")
    movable = _movable_cells(case, unknown)
    for cell in unknown:
        if case.value(cell) or case.suppress_zero:
            assert cell in movable, (cell, case.table.data)
