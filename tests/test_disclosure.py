"""Disclosure control on hand-checked tables, derived columns and figures."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from equality_reports.disclosure import (
    Line,
    apply_disclosure,
    disclosure_note,
    leave_out_mostly_withheld,
    note_nothing_withheld,
    table_lines,
)
from equality_reports.document import CellRef, Column, Document, Figure, Mean, Section, Table


def _doc(*tables: Table) -> Document:
    doc = Document("demo", "Demo", "Testshire Council", date(2025, 4, 1), date(2026, 3, 31))
    doc.section("s", "S").add(*tables)
    return doc


def _counts(table_id: str, rows: dict[str, list[float]], keys: list[str], **kw: object) -> Table:
    data = pd.DataFrame({"group": list(rows), **{k: [v[j] for v in rows.values()]
                                                  for j, k in enumerate(keys)}})
    return Table(table_id, table_id, [Column("group", "Group")] + [Column(k, k, "count") for k in keys],
                 data, **kw)


def _one_column(values: list[int], **kw: object) -> Table:
    """A profile table: rows partition the staff; share (%) of the column total beside each."""
    data = pd.DataFrame({"group": [f"g{i}" for i in range(len(values))], "n": values})
    data["pct"] = data["n"] / data["n"].sum() * 100
    return Table("profile", "Profile", [
        Column("group", "Group"), Column("n", "Staff", "count"),
        Column("pct", "Share (%)", "percent", derived_from=("n",))], data, **kw)


def test_small_count_and_the_next_smallest_in_its_column_are_withheld() -> None:
    table = _one_column([40, 12, 3, 25])
    summary = apply_disclosure(_doc(table))
    assert table.suppressed == {(2, "n"), (1, "n"), (2, "pct"), (1, "pct")}
    assert table.secondary == {(1, "n")}
    assert summary.as_dict()["tables"]["profile"] == {
        "cells": 4, "primary": 1, "secondary": 1, "derived": 2, "joint": 0, "unprotected": 0, "size": 8,
        "shown_withheld": 4}
    assert table.display_value(1, "n") == "[c]" and table.display_value(0, "n") == 40


def test_two_way_table_with_totals_withholds_a_rectangle() -> None:
    # Hand-checked: bme 4 is primary; its column takes the smallest other count (C 15), row A
    # takes white 50 (the only other part), row C takes white 25. Every line now has two.
    table = _counts("grid", {"A": [50, 4, 54], "B": [30, 20, 50], "C": [25, 15, 40],
                             "Total": [105, 39, 144]}, ["white", "bme", "all"],
                    total_row=True, column_groups=[("white", "bme")],
                    column_totals={("white", "bme"): "all"})
    summary = apply_disclosure(_doc(table))
    assert table.suppressed == {(0, "white"), (0, "bme"), (2, "white"), (2, "bme")}
    assert table.secondary == {(0, "white"), (2, "white"), (2, "bme")}
    assert (summary.primary, summary.secondary, summary.derived) == (1, 3, 0)
    assert summary.warnings == []


def test_a_reference_column_is_withheld_first_so_the_group_an_indicator_is_about_stays_shown() -> None:
    """Band 7: White 143, ethnic minority 95, not known 3, all 241. The not known 3 needs a second
    cell in its row: the smallest other (95, the minority) by default, the White 143 when the table
    spares White (Table.spare, set by representation tables), so the minority count and share stay."""
    def band(**kw: object) -> Table:
        return _counts("band", {"Band 7": [143, 95, 3, 241]}, ["white", "minority_ethnic", "unknown", "total"],
                       column_groups=[("white", "minority_ethnic", "unknown")],
                       column_totals={("white", "minority_ethnic", "unknown"): "total"}, **kw)

    plain, spared = band(), band(spare=("white",))
    apply_disclosure(_doc(plain))
    apply_disclosure(_doc(spared))
    assert plain.suppressed == {(0, "unknown"), (0, "minority_ethnic")}
    assert spared.suppressed == {(0, "unknown"), (0, "white")}


def test_a_cell_behind_a_headline_figure_is_withheld_last() -> None:
    """Leavers: White 179, ethnic minority 43, not known 3, all 225. The 3 needs a second cell in
    the column: the smallest other (43) by default, but the minority turnover rate is a headline
    computed from it, so the White 179 goes instead and the headline stays."""
    def leavers() -> Table:
        table = _counts("leavers", {"White": [179], "Ethnic minority": [43], "Not known": [3], "All": [225]},
                        ["leavers"], rows_additive=True, total_row=True)
        table.row_key = "group"
        return table

    plain, headlined = leavers(), leavers()
    apply_disclosure(_doc(plain))
    doc = _doc(headlined)
    doc.add_figure(Figure("demo.turnover", "Ethnic minority turnover", 12.5, "percent", 43, 343,
                          cells=(CellRef("leavers", "Ethnic minority", "leavers"),), headline=True))
    apply_disclosure(doc)
    assert plain.suppressed == {(2, "leavers"), (1, "leavers")}
    assert headlined.suppressed == {(2, "leavers"), (0, "leavers")}
    assert headlined.keep == {(1, "leavers")} and not doc.figures["demo.turnover"].suppressed
    # both groups' turnover headlines: the total goes, so both rates (and their ratio) stay
    both = leavers()
    doc = _doc(both)
    for fid, row in (("demo.white", "White"), ("demo.minority", "Ethnic minority")):
        doc.add_figure(Figure(fid, f"{row} turnover", 12.5, "percent", 43, 343,
                              cells=(CellRef("leavers", row, "leavers"),), headline=True))
    apply_disclosure(doc)
    assert both.suppressed == {(2, "leavers"), (3, "leavers")}


def test_a_choice_that_would_force_out_a_headline_count_gives_way_to_one_that_does_not() -> None:
    """Leavers (the NHS trust sample's): White 144 voluntary + 45 involuntary = 189, ethnic
    minority 88 + 37 = 125, not known 8 + 3 = 11, all 240 + 85 = 325. The 8 and 3 are small. The
    involuntary relative likelihood is a headline computed from 45, 37, 189 and 125. The voluntary
    column's smallest other count is the minority 88; withholding it leaves the minority row
    (125 = 88 + 37) needing a second cell, and every one left is behind the headline, so the 37
    would go and the headline with it. The column total 240 protects the 8 without that (its row,
    325 = 240 + 85, then gives up the 85, which also protects the 3): both groups stay shown."""
    table = _counts("leavers", {"White": [189, 144, 45], "Ethnic minority": [125, 88, 37],
                                "Not known": [11, 8, 3], "All": [325, 240, 85]},
                    ["leavers", "voluntary", "involuntary"], rows_additive=True, total_row=True,
                    column_groups=[("voluntary", "involuntary")],
                    column_totals={("voluntary", "involuntary"): "leavers"})
    table.row_key = "group"
    doc = _doc(table)
    doc.add_figure(Figure("demo.involuntary", "Involuntary leaving: relative likelihood", 1.62, "ratio",
                          cells=tuple(CellRef("leavers", row, column) for row in ("White", "Ethnic minority")
                                      for column in ("leavers", "involuntary")), headline=True))
    apply_disclosure(doc)
    assert table.suppressed == {(2, "voluntary"), (2, "involuntary"), (3, "voluntary"), (3, "involuntary")}
    assert not doc.figures["demo.involuntary"].suppressed


def test_a_count_behind_another_reports_headline_is_withheld_last_in_every_report() -> None:
    """The leavers above, but the headline (a relative rate, White against ethnic minority
    turnover) is another report's, computed from hidden counts that count the same people as the
    White 179 and the minority 43: both go last in this report too, so the total goes instead."""
    import numpy as np

    from equality_reports.disclosure import mark_headline_cells

    white, minority, unknown = np.arange(179), np.arange(1000, 1043), np.arange(2000, 2003)
    rates = Table("rates", "Rates", [Column("stage", "Stage"), Column("w", "White", "count", hidden=True),
                                     Column("m", "Minority", "count", hidden=True),
                                     Column("ratio", "Relative rate", "ratio", derived_from=("w", "m"))],
                  pd.DataFrame({"stage": ["Left"], "w": [179], "m": [43], "ratio": [0.94]}))
    rates.row_key = "stage"
    rates.units = {(0, "w"): white, (0, "m"): minority}
    other = _doc(rates)
    other.add_figure(Figure("demo.leavers", "Leavers: relative rate", 0.94, "ratio",
                            cells=(CellRef("rates", "Left", "ratio"),), headline=True))

    def leavers() -> tuple[Table, Document]:
        table = _counts("leavers", {"White": [179], "Ethnic minority": [43], "Not known": [3], "All": [225]},
                        ["leavers"], rows_additive=True, total_row=True)
        table.units = {(0, "leavers"): white, (1, "leavers"): minority, (2, "leavers"): unknown,
                       (3, "leavers"): np.concatenate([white, minority, unknown])}
        return table, _doc(table)

    alone, doc = leavers()
    apply_disclosure(doc)
    assert alone.suppressed == {(2, "leavers"), (1, "leavers")}
    linked, doc = leavers()
    mark_headline_cells([other, doc])
    apply_disclosure(doc)
    assert linked.keep == {(0, "leavers"), (1, "leavers")}
    assert linked.suppressed == {(2, "leavers"), (3, "leavers")}


def _board(white: int, minority: int, unknown: int) -> Table:
    """One board row: counts by group, their total and each group's share of it."""
    total = white + minority + unknown
    data = pd.DataFrame({"group": ["Executive"], "white": [white], "minority": [minority], "unknown": [unknown],
                         "total": [total], "white_pct": [100 * white / total],
                         "minority_pct": [100 * minority / total]})
    groups = ("white", "minority", "unknown")
    return Table("board", "Board", [Column("group", "Group"), *(Column(g, g.title(), "count") for g in groups),
                                    Column("total", "All", "count"),
                                    Column("white_pct", "White %", "percent", derived_from=("white", "total")),
                                    Column("minority_pct", "Minority %", "percent",
                                           derived_from=("minority", "total"))],
                 data, column_groups=[groups], column_totals={groups: "total"})


def test_a_share_of_a_shown_zero_stays_shown_beside_a_withheld_base() -> None:
    """Executive board: 5 White, 0 minority ethnic, 3 not known, 8 in all; the counts are
    withheld, but 0% of any base is 0%: the minority share says nothing of the withheld counts (a
    reviewer found "0" beside "[c]" for its share). The White share would give its count's
    relation to the base away: withheld."""
    table = _board(5, 0, 3)
    doc = _doc(table)
    # the report's figure restating the share follows the cell: 0%, shown (the trust's non-executive
    # board showed "0 | 0 | [c] | [c] | [c]" while the figure followed the withheld base)
    doc.add_figure(Figure("demo.board.minority.pct", "Minority share of the board", 0.0, "percent",
                          cells=(CellRef("board", "Executive", "minority_pct"), CellRef("board", "Executive", "minority"),
                                 CellRef("board", "Executive", "total"))))
    apply_disclosure(doc)
    assert {(0, "white"), (0, "unknown"), (0, "total"), (0, "white_pct")} <= table.suppressed
    assert (0, "minority") not in table.suppressed and (0, "minority_pct") not in table.suppressed
    assert not doc.figures["demo.board.minority.pct"].suppressed


@pytest.mark.parametrize(("white", "minority", "unknown", "zero"), [(5, 0, 0, "minority"), (0, 4, 0, "white"),
                                                                     (0, 0, 12, "white")])
def test_a_line_showing_everyone_in_one_group_withholds_a_zero_too(white: int, minority: int, unknown: int,
                                                                    zero: str) -> None:
    """"White [c], minority 0, not known 0" says every member of the board is White, though no
    count is given: one zero of the line is withheld too, with its share, and the figure restating
    it (a reader sees only [c] and cannot tell which group the members are in); all the zeros, so
    that two tables showing the same line cannot withhold different ones. Not for a line
    whose one non-zero part is shown: 12 not known, beside its total 12, says only that the
    ethnic group of 12 people, not a small group, is not known; the zeros stay."""
    table = _board(white, minority, unknown)
    doc = _doc(table)
    doc.add_figure(Figure("demo.board.minority.pct", "Minority share of the board", 100 * minority / (white + minority
                          + unknown), "percent", cells=(CellRef("board", "Executive", "minority_pct"),)))
    apply_disclosure(doc)
    if unknown >= 10:
        assert not table.suppressed
        return
    assert (0, zero) in table.suppressed and (0, zero) in table.secondary and (0, zero) in table.grouped
    assert all((0, g) in table.suppressed for g in ("white", "minority", "unknown"))
    assert (0, "minority_pct") in table.suppressed and doc.figures["demo.board.minority.pct"].suppressed


def test_a_board_named_in_public_may_show_everyone_in_one_group() -> None:
    """A row of ``Table.public_rows`` (a trust's board, named on its website) keeps its zeros: no
    minority ethnic executives is what the WRES's indicator 9 reports."""
    table = _board(5, 0, 0)
    table.row_key, table.public_rows = "group", ("Executive",)
    apply_disclosure(_doc(table))
    assert table.suppressed == {(0, "white"), (0, "total"), (0, "white_pct")}


def test_a_copy_follows_its_withheld_source_a_zero_too() -> None:
    """A comparison table restating counts (``Table.copies``) withholds a copy whenever its
    source is withheld: the White 0 withheld beside "minority [c]" in the grievance table may not
    come back as a White rate of 0.0% (a zero declares no units for the run to follow it by)."""
    source = _board(0, 4, 0)
    source.row_key = "group"
    data = pd.DataFrame({"stage": ["Raised a grievance"], "w_num": [0], "w_den": [40], "w_rate": [0.0],
                         "m_num": [4], "m_den": [30], "m_rate": [100 * 4 / 30]})
    rates = Table("rates", "Rates", [Column("stage", "Stage"), Column("w_num", "W", "count", hidden=True),
                                     Column("w_den", "W base", "count", hidden=True),
                                     Column("w_rate", "White rate", "percent", derived_from=("w_num", "w_den")),
                                     Column("m_num", "M", "count", hidden=True),
                                     Column("m_den", "M base", "count", hidden=True),
                                     Column("m_rate", "Minority rate", "percent", derived_from=("m_num", "m_den"))],
                  data, row_key="stage", rows_additive=False,
                  copies={(0, "w_num"): CellRef("board", "Executive", "white"),
                          (0, "m_num"): CellRef("board", "Executive", "minority")})
    apply_disclosure(_doc(source, rates))
    assert (0, "white") in source.grouped and (0, "white") in source.suppressed
    assert {(0, "w_num"), (0, "w_rate"), (0, "m_num"), (0, "m_rate")} <= rates.suppressed
    # a copy of a shown zero stays shown (12 White, 0 minority, 3 not known: no one-group line)
    source = _board(12, 0, 3)
    source.row_key = "group"
    rates.copies = {(0, "w_num"): CellRef("board", "Executive", "minority")}
    rates.suppressed = set()
    apply_disclosure(_doc(source, rates))
    assert (0, "minority") not in source.suppressed and (0, "w_rate") not in rates.suppressed


def test_a_column_showing_every_member_of_a_group_in_one_row_withholds_a_zero_too() -> None:
    """Down a column too: minority ethnic staff by grade "0, 0, [c]" with their total withheld
    says every one of them is in the top grade. One zero goes with it; the White column, adding
    up on its own, keeps every count."""
    data = pd.DataFrame({"grade": ["A", "B", "C", "All"], "white": [30, 25, 12, 67], "minority": [0, 0, 3, 3]})
    table = Table("grades", "Grades", [Column("grade", "Grade"), Column("white", "White", "count"),
                                       Column("minority", "Minority", "count")], data, total_row=True,
                  rows_additive=True)
    apply_disclosure(_doc(table))
    hidden = {r for r, key in table.suppressed if key == "minority"}
    assert hidden == {0, 1, 2, 3}
    assert not {key for _, key in table.suppressed} - {"minority"}


def _rates_table(w_num: int, w_den: int, m_num: int, m_den: int, revealed: bool = True) -> Table:
    """One stage of relative rates: hidden counts, each rate of its base, and the minority's
    rate over the White rate (not calculable when the White rate is zero or a base is)."""
    def rate(n: int, d: int) -> float | None:
        return None if d == 0 else 100 * n / d
    w_rate, m_rate = rate(w_num, w_den), rate(m_num, m_den)
    relative = None if not w_rate or m_rate is None else m_rate / w_rate
    data = pd.DataFrame({"stage": ["Raised a grievance"], "w_num": [w_num], "w_den": [w_den], "m_num": [m_num],
                         "m_den": [m_den], "w_rate": [w_rate], "m_rate": [m_rate], "relative": [relative]})
    four = ("w_num", "w_den", "m_num", "m_den")

    def hidden(key: str, by: str) -> Column:
        return Column(key, key, "count", hidden=True, revealed_by=by if revealed else None)
    return Table("rates", "Rates", [
        Column("stage", "Stage"), hidden("w_num", "w_rate"), hidden("w_den", "w_rate"),
        hidden("m_num", "m_rate"), hidden("m_den", "m_rate"),
        Column("w_rate", "White rate (%)", "percent", derived_from=("w_num", "w_den"), divisors=("w_den",)),
        Column("m_rate", "Minority rate (%)", "percent", derived_from=("m_num", "m_den"), divisors=("m_den",)),
        Column("relative", "Relative rate", "ratio", derived_from=four, divisors=("w_num", "w_den", "m_den"))],
        data, rows_additive=False)


def test_a_ratio_over_a_shown_zero_rate_is_not_calculable_not_withheld() -> None:
    """No White grievances (0 of 40, a shown rate of 0.0%) and 2 of 6 minority staff: the minority
    rate is withheld, but a rate over a White rate of zero is not calculable whatever the minority
    rate is, so the relative rate says so ([x]) rather than [c] (a reviewer saw [c] beside two
    rates of 0.0)."""
    table = _rates_table(0, 40, 2, 6)
    apply_disclosure(_doc(table))
    assert (0, "m_rate") in table.suppressed and (0, "w_rate") not in table.suppressed
    assert (0, "relative") not in table.suppressed
    assert table.display_value(0, "relative") == "[x]"


def test_a_zero_divisor_no_reader_sees_does_not_show_the_ratio_as_not_calculable() -> None:
    """The same White zero with its counts hidden and given away by nothing: an [x] would tell a
    reader the withheld White count is 0, so the relative rate stays withheld; and a zero that
    is itself withheld (zeros configured as disclosive) gives nothing away either."""
    table = _rates_table(0, 40, 2, 6, revealed=False)
    apply_disclosure(_doc(table))
    assert (0, "relative") in table.suppressed
    zeros = _rates_table(0, 40, 2, 6)
    apply_disclosure(_doc(zeros), suppress_zero=True)
    assert (0, "relative") in zeros.suppressed


def test_declared_lines() -> None:
    table = _counts("grid", {"A": [1, 2, 3], "Total": [1, 2, 3]}, ["a", "b", "t"], total_row=True,
                    column_groups=[("a", "b")], column_totals={("a", "b"): "t"})
    assert table_lines(table) == [
        Line(((0, "a"),), (1, "a")), Line(((0, "b"),), (1, "b")), Line(((0, "t"),), (1, "t")),
        Line(((0, "a"), (0, "b")), (0, "t")), Line(((1, "a"), (1, "b")), (1, "t"))]
    table.rows_additive, table.total_row = False, False
    assert table_lines(table) == [Line(((0, "a"), (0, "b")), (0, "t")),
                                  Line(((1, "a"), (1, "b")), (1, "t"))]


def test_zero_is_published_unless_configured() -> None:
    plain = _one_column([0, 30, 5, 14])
    apply_disclosure(_doc(plain))
    assert {r for r, k in plain.suppressed if k == "n"} == {2, 3}
    zeros = _one_column([0, 30, 5, 14])
    summary = apply_disclosure(_doc(zeros), suppress_zero=True)
    assert {r for r, k in zeros.suppressed if k == "n"} == {0, 2}  # two withheld: no secondary
    assert summary.secondary == 0 and summary.primary == 2


def test_a_zero_protects_when_no_other_count_is_left() -> None:
    table = _counts("row", {"A": [3, 0]}, ["x", "y"], rows_additive=False, column_groups=[("x", "y")])
    apply_disclosure(_doc(table))
    assert table.suppressed == {(0, "x"), (0, "y")} and table.secondary == {(0, "y")}


def test_zero_cells_that_sum_to_a_known_zero_do_not_count_as_protection() -> None:
    # Closing lines alone would withhold c0 9/39 and the zeros beside them; but column c1's
    # total (18) is all in row r0, so both withheld zeros are known to be 0, giving 9 away
    # through its row total. Row r0 has to be withheld as well.
    table = _counts("t", {"r0": [0, 18], "r1": [39, 0], "r2": [9, 0]}, ["c0", "c1"],
                    column_groups=[("c0", "c1")])
    summary = apply_disclosure(_doc(table))
    assert table.suppressed == {(r, k) for r in range(3) for k in ("c0", "c1")}
    assert summary.warnings == []


def test_a_lone_part_beside_its_total_takes_the_total_with_it() -> None:
    # Column line a: B's 3 is primary, so A's 30 is withheld; row A's only other cell is its total.
    table = _counts("t", {"A": [30, 30], "B": [3, 3]}, ["a", "t"], column_groups=[("a",)],
                    column_totals={("a",): "t"})
    apply_disclosure(_doc(table))
    assert table.suppressed == {(0, "a"), (1, "a"), (0, "t"), (1, "t")}
    assert table.secondary == {(0, "a"), (0, "t")}


def test_total_row_is_withheld_when_needed() -> None:
    table = _counts("t", {"A": [4], "Total": [4]}, ["n"], total_row=True)
    apply_disclosure(_doc(table))
    assert table.suppressed == {(0, "n"), (1, "n")}
    table = _counts("t", {"A": [25], "B": [3], "Total": [28]}, ["n"], total_row=True)
    apply_disclosure(_doc(table))
    assert table.suppressed == {(0, "n"), (1, "n")} and table.secondary == {(0, "n")}


def test_a_count_equal_to_a_known_total_is_withheld_with_a_warning() -> None:
    table = _counts("solo", {"Disabled staff": [4]}, ["n"])
    summary = apply_disclosure(_doc(table))
    assert table.suppressed == {(0, "n")}
    assert summary.tables["solo"].unprotected == [(0, "n")]
    assert summary.warnings == ["table solo: the withheld count in row Disabled staff, column 'n' can "
                                "still be worked out from the totals; consider merging that row or "
                                "column with another"]
    assert summary.as_dict()["warnings"] == summary.warnings


def test_rows_that_do_not_add_up_get_no_secondary_suppression() -> None:
    table = _one_column([40, 12, 3, 25], rows_additive=False)
    apply_disclosure(_doc(table))
    assert table.suppressed == {(2, "n"), (2, "pct")} and table.secondary == set()


def test_a_private_total_is_no_line_but_a_total_row_still_is() -> None:
    # the number disciplined is no public total: its small count needs no second cell, while the
    # staff column (a public headcount) still takes its next smallest count
    table = _counts("rl", {"White": [400, 12], "BME": [150, 11], "Unknown": [30, 3]}, ["staff", "entered"],
                    private_totals=("entered",))
    assert [line.parts for line in table_lines(table)] == [((0, "staff"), (1, "staff"), (2, "staff"))]
    apply_disclosure(_doc(table))
    assert table.suppressed == {(2, "entered")}
    with_total = _counts("rl", {"White": [12], "BME": [11], "Unknown": [3], "All": [26]}, ["entered"],
                         total_row=True, private_totals=("entered",))
    apply_disclosure(_doc(with_total))
    assert with_total.suppressed == {(2, "entered"), (1, "entered")}


def test_threshold_one_withholds_nothing_and_says_so() -> None:
    table = _one_column([1, 2, 0])
    doc = _doc(table)
    summary = apply_disclosure(doc, 1)
    assert table.suppressed == set() and summary.cells == 0
    assert doc.notes == ["Disclosure control: no counts are withheld, because the disclosure "
                         "threshold is set to 1."]
    zeros = _one_column([1, 2, 0, 5])
    apply_disclosure(_doc(zeros), 1, suppress_zero=True)
    assert {c for c in zeros.suppressed if c[1] == "n"} == {(2, "n"), (0, "n")}


def test_threshold_changes_what_is_small() -> None:
    table = _one_column([40, 12, 3, 25])
    apply_disclosure(_doc(table), 3)
    assert table.suppressed == set()
    table = _one_column([40, 12, 3, 25])
    apply_disclosure(_doc(table), 13)
    assert {c for c in table.suppressed if c[1] == "n"} == {(1, "n"), (2, "n")}
    assert table.secondary == set()


def test_note_is_added_once_and_names_the_range() -> None:
    doc = _doc(_one_column([40, 12, 3, 25]))
    apply_disclosure(doc)
    apply_disclosure(doc)
    assert doc.notes == [disclosure_note(10)]
    assert disclosure_note(10).startswith("Counts from 1 to 9 are withheld and shown as [c]")
    assert disclosure_note(5, True).startswith("Counts from 0 to 4 are withheld")
    assert disclosure_note(2).startswith("Counts of 1 are withheld")
    assert doc.threshold == 10


def test_a_report_withholding_nothing_says_so_instead_of_explaining_c() -> None:
    withholding = _doc(_one_column([40, 12, 3, 25]))
    apply_disclosure(withholding)
    note_nothing_withheld(withholding, 10)
    assert withholding.notes == [disclosure_note(10)]  # the 3 is withheld: the [c] rule stands
    clean = _doc(_one_column([40, 12, 30, 25]))
    apply_disclosure(clean)
    note_nothing_withheld(clean, 10)
    assert clean.notes == ["Counts from 1 to 9 would be withheld and shown as [c] to protect the people they "
                           "describe, with any number from which one could be worked out; nothing in this report "
                           "needed to be withheld."]
    again = _doc(_one_column([40, 12, 30, 25]))
    again.add_figure(Figure("demo.leave.count", "Staff on leave", 4, "count", units=np.arange(4, dtype=np.uint64)))
    apply_disclosure(again)  # the figure of 4 is withheld: its words say so; no table shows a [c] to explain
    note_nothing_withheld(again, 10)
    assert again.notes == ["Counts from 1 to 9 are withheld to protect the people they describe, with any number "
                           "from which one could be worked out; where a figure or table is not shown, the report says so."]


def test_derived_columns_follow_their_counts_transitively() -> None:
    data = pd.DataFrame({"group": ["White", "Minority", "Unknown"], "staff": [80, 20, 4],
                         "leavers": [8, 5, 2]})
    data["rate"] = data["leavers"] / data["staff"] * 100
    data["ratio"] = data["rate"] / 10
    data["fte"] = [75.5, 18.2, 3.0]
    table = Table("leave", "Leavers", [
        Column("group", "Group"), Column("staff", "Staff", "count"),
        Column("leavers", "Leavers", "count"),
        Column("rate", "Rate (%)", "percent", derived_from=("leavers", "staff")),
        Column("ratio", "Ratio", "ratio", derived_from=("rate",)),
        Column("fte", "FTE", "number")], data)
    apply_disclosure(_doc(table))
    # staff: 4 primary, 20 secondary; leavers: all three are below 10
    assert {c for c in table.suppressed if c[1] == "staff"} == {(1, "staff"), (2, "staff")}
    assert {c for c in table.suppressed if c[1] == "leavers"} == {(0, "leavers"), (1, "leavers"),
                                                                 (2, "leavers")}
    assert {r for r, k in table.suppressed if k == "rate"} == {0, 1, 2}
    assert {r for r, k in table.suppressed if k == "ratio"} == {0, 1, 2}
    assert not any(k == "fte" for _, k in table.suppressed)


def test_hidden_counts_protect_a_percent_only_table() -> None:
    data = pd.DataFrame({"group": ["A", "B", "C"], "n": [50, 6, 30]})
    data["pct"] = data["n"] / data["n"].sum() * 100
    table = Table("share", "Share", [Column("group", "Group"), Column("n", "Staff", "count", hidden=True),
                                     Column("pct", "Share (%)", "percent", derived_from=("n",))], data)
    apply_disclosure(_doc(table))
    assert {r for r, k in table.suppressed if k == "pct"} == {1, 2}


def test_percent_without_sources_is_a_plugin_error() -> None:
    data = pd.DataFrame({"group": ["A"], "n": [50], "pct": [100.0]})
    table = Table("bad", "Bad", [Column("group", "G"), Column("n", "N", "count"),
                                 Column("pct", "P", "percent")], data)
    with pytest.raises(ValueError, match="table bad: percent column 'pct'"):
        apply_disclosure(_doc(table))
    table.columns[2].derived_from = ("nope",)
    with pytest.raises(ValueError, match="unknown columns \\['nope'\\]"):
        apply_disclosure(_doc(table))


@pytest.mark.parametrize("value", [2.5, -1, "many"])
def test_count_columns_hold_whole_numbers(value: object) -> None:
    data = pd.DataFrame({"group": ["A", "B"], "n": pd.Series([value, 20], dtype=object)})
    table = Table("t", "T", [Column("group", "G"), Column("n", "N", "count")], data)
    with pytest.raises(ValueError, match="table t: count column 'n'"):
        apply_disclosure(_doc(table))


def test_missing_counts_are_left_alone_and_count_as_unknown() -> None:
    table = _one_column([40, 3, 25])
    table.data.loc[0, "n"] = float("nan")
    apply_disclosure(_doc(table))
    # 3 is withheld; the missing 40 is already unknown, so nothing else is needed
    assert {c for c in table.suppressed if c[1] == "n"} == {(1, "n")}


def test_bad_column_groups_are_plugin_errors() -> None:
    table = _counts("t", {"A": [20, 3]}, ["a", "b"], column_groups=[("a", "zz")])
    with pytest.raises(ValueError, match="column group \\('a', 'zz'\\)"):
        apply_disclosure(_doc(table))


def test_figures_follow_cells_and_small_parts() -> None:
    table = _one_column([40, 12, 3, 25])
    doc = _doc(table)
    figs = [
        Figure("demo.s.cell", "restates 12", 12, "count", cells=(CellRef("profile", "g1", "n"),)),
        Figure("demo.s.open", "restates 40", 40, "count", cells=(CellRef("profile", "g0", "n"),)),
        Figure("demo.s.small", "small count", 6, "count"),
        Figure("demo.s.zero", "zero count", 0, "count"),
        Figure("demo.s.num", "share", 7.5, "percent", numerator=3, denominator=40),
        Figure("demo.s.den", "share", 50.0, "percent", numerator=4, denominator=8),
        Figure("demo.s.big", "share", 50.0, "percent", numerator=20, denominator=40),
        Figure("demo.s.pct", "a percent below 10 is not a count", 5.0, "percent"),
        Figure("demo.s.fte", "fte", 4.5, "fte"),
        Figure("demo.s.none", "not calculable", None, "ratio", numerator=12, denominator=0),
    ]
    for fig in figs:
        doc.add_figure(fig)
    summary = apply_disclosure(doc)
    assert summary.figures == ["demo.s.cell", "demo.s.small", "demo.s.num", "demo.s.den"]
    assert doc.figures["demo.s.cell"].as_json()["value"] is None
    assert doc.figures["demo.s.cell"].value == 12  # kept internally
    assert doc.figures["demo.s.open"].as_json()["value"] == 40
    assert summary.as_dict()["figures"] == 4


def test_zero_figures_are_withheld_when_zeros_are() -> None:
    doc = _doc(_one_column([40, 12, 13]))
    doc.add_figure(Figure("demo.s.zero", "zero count", 0, "count"))
    doc.add_figure(Figure("demo.s.rate", "rate", 0.0, "percent", numerator=0, denominator=40))
    assert apply_disclosure(doc, suppress_zero=True).figures == ["demo.s.zero", "demo.s.rate"]


@pytest.mark.parametrize("ref,message", [
    (CellRef("nope", "g0", "n"), "no table 'nope'"),
    (CellRef("profile", "nobody", "n"), "no row 'nobody'"),
    (CellRef("profile", "g0", "zz"), "no column 'zz'"),
])
def test_figure_pointing_at_no_cell_is_a_plugin_error(ref: CellRef, message: str) -> None:
    doc = _doc(_one_column([40, 12, 13]))
    doc.add_figure(Figure("demo.s.x", "x", 40, "count", cells=(ref,)))
    with pytest.raises(ValueError, match=f"figure demo.s.x: .*{message}"):
        apply_disclosure(doc)


def test_cells_already_withheld_by_the_plugin_stay_withheld() -> None:
    table = _one_column([40, 12, 30, 25])
    table.suppressed.add((0, "n"))
    summary = apply_disclosure(_doc(table))
    assert {c for c in table.suppressed if c[1] == "n"} == {(0, "n"), (1, "n")}
    assert (0, "pct") in table.suppressed and summary.primary == 1 and summary.secondary == 1


def test_whole_document_summary_and_rerun() -> None:
    first, second = _one_column([40, 12, 3, 25]), _counts("other", {"A": [20], "B": [30]}, ["n"])
    doc = _doc(first, second)
    summary = apply_disclosure(doc)
    assert summary.as_dict() == {
        "threshold": 10, "suppress_zero": False, "cells": 4, "primary": 1, "secondary": 1,
        "derived": 2, "figures": 0, "suppressed_figures": [],
        "tables": {"profile": {"cells": 4, "primary": 1, "secondary": 1, "derived": 2, "joint": 0, "unprotected": 0,
                               "size": 8, "shown_withheld": 4},
                   "other": {"cells": 0, "primary": 0, "secondary": 0, "derived": 0, "joint": 0, "unprotected": 0,
                             "size": 2, "shown_withheld": 0}},
        "warnings": []}
    assert apply_disclosure(doc).as_dict() == summary.as_dict()


def test_duplicate_table_ids_and_bad_threshold_are_rejected() -> None:
    with pytest.raises(ValueError, match="table id 'profile' used twice"):
        apply_disclosure(_doc(_one_column([40, 12]), _one_column([40, 12])))
    with pytest.raises(ValueError, match="threshold must be 1 or more"):
        apply_disclosure(_doc(_one_column([40, 12])), 0)


def test_a_report_protecting_its_document_early_can_put_it_back() -> None:
    """`ReportContext.protect` withholds now (the 3 and the next smallest) and returns what puts
    the tables built so far back as they were; a table added in between keeps its own state."""
    from types import SimpleNamespace

    from equality_reports.reports import ReportContext

    ctx = ReportContext(report=SimpleNamespace(name="demo"), dataset=None, options={})  # type: ignore[arg-type]
    table = _one_column([40, 12, 3, 25])
    doc = _doc(table)
    restore = ctx.protect(doc)
    assert table.suppressed == {(2, "n"), (1, "n"), (2, "pct"), (1, "pct")}
    later = _one_column([5, 50])
    later.id = "later"
    later.suppressed = {(0, "n")}
    doc.section("t", "T").add(later)
    restore()
    assert table.suppressed == set() and later.suppressed == {(0, "n")}
    internal = ReportContext(report=SimpleNamespace(name="demo"), dataset=None, options={},  # type: ignore[arg-type]
                             audience="internal")
    internal.protect(doc)()
    assert table.suppressed == set()


def test_a_cell_left_empty_by_a_published_rule_shows_x_and_a_value_never_does() -> None:
    """`Table.not_available`: an empty cell (a group too small to show) reads [x] even where the
    cells around it are withheld; a cell holding a value is shown as disclosure control decides."""
    table = _one_column([40, 3, 25])
    table.data.loc[1, "pct"] = None
    table.not_available = {(1, "pct"), (0, "pct")}
    apply_disclosure(_doc(table))
    assert table.display_value(1, "n") == "[c]" and table.display_value(1, "pct") == "[x]"
    table.suppressed.add((0, "pct"))
    assert table.display_value(0, "pct") == "[c]"  # a value: withheld as decided, never [x]


def _pay_table() -> Table:
    """Mean pay of three groups beside their hidden sizes (80, 30 and 20 people)."""
    data = pd.DataFrame({"group": ["A", "B", "C"], "n": [80, 30, 20], "mean": [21.5, 20.25, 19.75]})
    units = {(i, "n"): np.arange(start, start + n, dtype=np.uint64)
             for i, (start, n) in enumerate(((1, 80), (101, 30), (201, 20)))}
    return Table("pay", "Pay", [
        Column("group", "Group"), Column("n", "People", "count", hidden=True),
        Column("mean", "Mean pay (£)", "number", derived_from=("n",), decimals=2)],
        data, rows_additive=True, units=units,
        averages={(i, "mean"): Mean("hourly_pay", units[(i, "n")]) for i in range(3)})


def test_a_mean_stays_shown_when_its_unpublished_size_is_withheld_only_to_protect_another() -> None:
    """A hidden size no shown cell gives away is published nowhere: withheld for another table's sake
    (the joint pass), it takes no mean with it; a mean says nothing of its group's size."""
    table = _pay_table()
    table.suppressed |= {(1, "n")}
    table.joint |= {(1, "n")}
    apply_disclosure(_doc(table))
    assert (1, "n") in table.suppressed
    assert not {c for c in table.suppressed if c[1] == "mean"}


def test_a_mean_goes_with_its_size_when_the_size_is_small_or_given_away() -> None:
    small = _pay_table()
    small.data.loc[2, "n"] = 4  # fewer than the threshold: the mean of four people's pay is withheld
    small.units[(2, "n")] = small.units[(2, "n")][:4]
    apply_disclosure(_doc(small))
    assert (2, "mean") in small.suppressed
    revealed = _pay_table()  # a size the shown means give away is published: withheld, its mean goes
    revealed.revealed[(1, "n")] = [(("pay", 0, "mean"), ("pay", 1, "mean"))]
    revealed.suppressed |= {(1, "n")}
    revealed.joint |= {(1, "n")}
    apply_disclosure(_doc(revealed))
    assert (1, "mean") in revealed.suppressed
    plain = _pay_table()  # a size withheld by the report itself takes its mean with it, as before
    plain.suppressed |= {(1, "n")}
    apply_disclosure(_doc(plain))
    assert (1, "mean") in plain.suppressed


def test_the_audit_sees_a_size_the_shown_means_give_away_even_if_the_size_itself_is_withheld() -> None:
    """Withholding a hidden size hides nothing while the means that weigh it are still shown (a copy
    of a mean in another table, say): the run-wide audit counts it as published until they go."""
    from equality_reports.joint import collect
    table = _pay_table()
    table.revealed[(1, "n")] = [(("pay", 0, "mean"), ("pay", 1, "mean"))]
    table.suppressed |= {(1, "n")}
    cells, _ = collect({"demo": _doc(table)})
    seen = {c.key: c for c in cells}
    assert seen[("demo", "pay", 1, "n")].withheld is False and seen[("demo", "pay", 1, "n")].value == 30
    table.suppressed |= {(0, "mean")}  # one of the means gone: the size is published nowhere
    cells, _ = collect({"demo": _doc(table)})
    assert ("demo", "pay", 1, "n") not in {c.key for c in cells}


def test_the_tables_left_out_are_listed_in_the_sentences_the_text_gives() -> None:
    """Two subsections holding only tables left out merge into one sentence under their part; the
    list for the workbook's Contents sheet and notes.csv (``Document.left_out``) gives that
    sentence, not one per subsection."""
    doc = Document("demo", "Demo", "Testshire Council", date(2025, 4, 1), date(2026, 3, 31))
    part = doc.section("further", "Further monitoring")
    for key, title in (("grievances", "Grievances"), ("discipline", "Discipline")):
        sub = Section(key, title)
        sub.add(Table(key, title, [Column("group", "Group"), Column("n", "People", "count")],
                      pd.DataFrame({"group": ["White", "Minority"], "n": [3, 2]})))
        part.sections.append(sub)
    apply_disclosure(doc)
    assert leave_out_mostly_withheld(doc) == ["Grievances", "Discipline"]
    said = [b.text for b in part.blocks]
    assert not part.sections and len(said) == 1 and "\u201cGrievances\u201d and \u201cDiscipline\u201d" in said[0]
    assert doc.left_out == said


def test_a_row_of_some_groups_showing_everyone_in_one_of_them_withholds_its_zeros() -> None:
    """Leavers by reason, White and ethnic minority only (no not-known column, so no row total):
    "Dismissal: White 0, minority [c]" beside a published 0 leavers of unknown group said everyone
    dismissed was from an ethnic minority. Its White 0 is withheld, and the White column protects it."""
    from equality_reports.measures.tables import representation_table

    counts = pd.DataFrame({"white": [0, 20, 14], "minority_ethnic": [3, 12, 11]},
                          index=["Dismissal", "Resignation", "Retirement"])
    table = representation_table("leaver_reasons", "Reasons", counts, {"white": "White", "minority_ethnic": "Minority"},
                                 "Reason", count_label="leavers", shares=False, row_totals=False)
    apply_disclosure(_doc(table))
    assert {(0, "white"), (0, "minority_ethnic")} <= table.suppressed and (0, "white") in table.grouped
    assert sum((r, "white") in table.suppressed for r in (1, 2, 3)) >= 1  # the column's line protects the 0
    shown = [r for r in range(1, 3) if (r, "white") not in table.suppressed and (r, "minority_ethnic") not in
             table.suppressed]
    assert shown  # a row with both groups shown keeps them (no all-in-one-group line)


def test_an_outcome_of_one_group_only_withholds_the_other_groups_zeros() -> None:
    """A relative likelihood's table (outcome column private: the number disciplined is nowhere
    else): "disciplined: White 0, minority [c], not known 0" says everyone disciplined is from an
    ethnic minority. Its zeros are withheld, with their rates; the bases (staff in post) stay."""
    from equality_reports.measures.counting import Tally
    from equality_reports.measures.tables import likelihood_table

    rows = [("white", "White"), ("minority_ethnic", "Minority"), ("unknown", "Not known")]
    none = np.array([], dtype=np.uint64)
    base = Tally({"white": 400, "minority_ethnic": 120, "unknown": 30}, {g: none for g, _ in rows})
    outcome = Tally({"white": 0, "minority_ethnic": 3, "unknown": 0}, {g: none for g, _ in rows})
    table = likelihood_table("disc", "Disciplinary", "Ethnic group", rows, base, outcome, "Staff", "Disciplined", "n")
    apply_disclosure(_doc(table))
    assert {(0, "outcome"), (1, "outcome"), (2, "outcome"), (0, "rate"), (2, "rate")} <= table.suppressed
    assert {(0, "outcome"), (2, "outcome")} <= table.grouped
    assert not {(r, "base") for r in range(3)} & table.suppressed
    # two groups with outcomes: no line shows everyone in one group, the zero stays
    outcome = Tally({"white": 12, "minority_ethnic": 3, "unknown": 0}, {g: none for g, _ in rows})
    table = likelihood_table("disc", "Disciplinary", "Ethnic group", rows, base, outcome, "Staff", "Disciplined", "n")
    apply_disclosure(_doc(table))
    assert (2, "outcome") not in table.suppressed and (0, "outcome") not in table.suppressed


def test_a_zero_outcome_of_a_withheld_group_is_withheld_too() -> None:
    """"Not stated: staff [c], received training 0" says none of those few staff received any
    training. The 0 goes (the rate's numerator beside its withheld base), and the trained column
    protects it; a 0 beside a shown base stays (0 of 40 White staff tells of no small group)."""
    data = pd.DataFrame({"group": ["White", "Minority", "Not stated", "All"], "staff": [40, 25, 3, 68],
                         "trained": [0, 12, 0, 12]})
    data["rate"] = 100 * data["trained"] / data["staff"]
    table = Table("training", "Training", [Column("group", "Group"), Column("staff", "Staff", "count"),
                                           Column("trained", "Trained", "count"),
                                           Column("rate", "Trained (%)", "percent", derived_from=("trained", "staff"),
                                                  divisors=("staff",))],
                  data, row_key="group", rows_additive=True, total_row=True)
    apply_disclosure(_doc(table))
    assert {(2, "staff"), (2, "trained"), (2, "rate")} <= table.suppressed and (2, "trained") in table.grouped
    assert (0, "trained") not in table.grouped
    assert sum((r, "trained") in table.suppressed for r in (0, 1, 3)) >= 1  # the column protects the 0
    # nobody trained at all (a shown total of 0): every group's 0 says no more, and stays
    data["trained"], data["rate"] = 0, 0.0
    table.data, table.suppressed, table.secondary, table.grouped = data, set(), set(), set()
    apply_disclosure(_doc(table))
    assert not {(r, "trained") for r in range(4)} & table.suppressed


def test_a_survey_tables_zero_is_withheld_beside_a_withheld_group_or_its_few_respondents() -> None:
    """The engine's survey table: "BME: [c] respondents, 0 answered yes" says none of those few
    answered yes (withheld); "White 0 answered yes" beside a withheld BME count says everyone who
    did was BME (withheld). Respondents of a group not small stay shown."""
    from equality_reports.measures.tables import survey_table

    table = survey_table("q", "Question", "Ethnic group", ["White", "BME"], [170, 4], [12, 0], [12, 0],
                         [7.1, 0.0], 1, "Survey")
    apply_disclosure(_doc(table))
    assert {(1, "respondents"), (1, "positive"), (1, "yes"), (1, "pct")} <= table.suppressed
    assert (1, "positive") in table.grouped and not {(0, "respondents"), (0, "positive")} & table.suppressed
    table = survey_table("q", "Question", "Ethnic group", ["White", "BME"], [170, 40], [0, 3], [0, 3],
                         [0.0, 7.5], 1, "Survey")
    apply_disclosure(_doc(table))
    assert {(0, "positive"), (0, "pct"), (1, "positive")} <= table.suppressed and (0, "positive") in table.grouped
    assert not {(0, "respondents"), (1, "respondents")} & table.suppressed


def test_a_few_survey_respondents_answering_no_are_protected() -> None:
    """"21 respondents, 15 answered yes" said 6 answered no (an adversary's): the hidden count of
    those answering no is a small count like any other, so the row shows no two of respondents,
    yes and the percentage from which it could be worked out. With only a percentage given
    (no count as given), the line still holds through the count it implies."""
    from equality_reports.measures.tables import survey_table

    table = survey_table("q", "Question", "Ethnic group", ["White", "BME"], [21, 40], [15, 28], [15, 28],
                         [71.4, 70.0], 1, "Survey")
    apply_disclosure(_doc(table))
    assert (0, "no") in table.suppressed and (0, "pct") in table.suppressed
    assert (0, "positive") in table.suppressed or (0, "respondents") in table.suppressed
    assert not {(1, "respondents"), (1, "positive"), (1, "pct")} & table.suppressed
    table = survey_table("q", "Question", "Ethnic group", ["White", "BME"], [21, 40], [None, None], [15, 28],
                         [71.4, 70.0], 1, "Survey")
    apply_disclosure(_doc(table))
    assert (0, "pct") in table.suppressed and not {(1, "respondents"), (1, "pct")} & table.suppressed
