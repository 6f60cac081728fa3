"""Years together (issue 10 item 5): last year's publication is audited with this year's, and
nothing a run publishes is more precise than it is shown."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers_cli import previous_year_sample, run_cli

from equality_reports.disclosure import apply_disclosure
from equality_reports.document import Column, Document, Figure, Table
from equality_reports.joint import protect

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _doc(report: str, table_id: str, rows: list[tuple[str, int, np.ndarray]], total: bool = True) -> Document:
    doc = Document(report=report, title=report, organisation="Test", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31))
    data = pd.DataFrame({"group": [r[0] for r in rows], "n": [r[1] for r in rows]})
    table = Table(table_id, "Staff", [Column("group", "Group"), Column("n", "Staff", "count")], data,
                  row_key="group", rows_additive=total, total_row=total,
                  units={(i, "n"): r[2] for i, r in enumerate(rows)})
    doc.section("s", "Staff").add(table)
    return doc


def _codes(start: int, stop: int) -> np.ndarray:
    return np.arange(start, stop, dtype=np.uint64) + np.uint64(1_000_000)


def test_a_restatement_of_last_year_cannot_pin_what_last_year_withheld() -> None:
    """Last year published A [c], B [c], C 30 and the total 53 (A = 3). This year's report restates
    last year's B (20) for a comparison: with last year's total that gives A = 3. Last year's
    publication cannot change, so the joint pass withholds this year's restatement."""
    a, b, c = _codes(0, 3), _codes(3, 23), _codes(23, 53)
    last = _doc("report", "staff", [("A", 3, a), ("B", 20, b), ("C", 30, c), ("All", 53, np.concatenate([a, b, c]))])
    apply_disclosure(last, 10)
    assert {r for r, _ in last.tables()[0].suppressed} == {0, 1}  # A and its sibling B
    this = _doc("report", "comparison", [("B last year", 20, b)], total=False)
    apply_disclosure(this, 10)
    before = set(last.tables()[0].suppressed)

    outcome = protect({"report": this}, 10, published={"report (last year)": last})

    assert outcome.audit.passed
    assert (0, "n") in this.tables()[0].suppressed  # this year's restatement is withheld...
    assert last.tables()[0].suppressed == before  # ...last year's publication is as it was


def test_without_last_year_the_restatement_is_published() -> None:
    b = _codes(3, 23)
    this = _doc("report", "comparison", [("B last year", 20, b)], total=False)
    apply_disclosure(this, 10)
    protect({"report": this}, 10)
    assert not this.tables()[0].suppressed


@pytest.mark.parametrize(("unit", "value", "shown"), [
    ("percent", 100 / 3, 33.3), ("pp", -2.449, -2.4), ("ratio", 1.23456, 1.23), ("count", 7, 7),
    ("text", "within the range", "within the range")])
def test_figures_are_published_at_the_precision_shown(unit: str, value: object, shown: object) -> None:
    """A share at full precision gives its count away (32.543103...% of a known base is one whole
    number); JSON figures carry what the documents show."""
    assert Figure("r.x", "x", value, unit).as_json()["value"] == shown  # type: ignore[arg-type]


def test_compare_with_last_years_dataset_audits_both_years(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """WRES with --compare last year's dataset and the two-year average: last year's
    publication is built, protected and audited with this year's, and the run passes."""
    out = tmp_path / "out"
    res = run_cli(["run", "wres", "--data", SAMPLES / "nhs_trust", "--compare",
                   previous_year_sample(tmp_path / "last", "nhs_trust"),
                   "--option", "rolling_average=true", "--out", out, "--format", "json"], capsys)
    assert res.code == 0, res.err
    assert "Protecting the publication of 2024/25" in res.out + res.err
    record = json.loads((out / "run.json").read_text())
    assert record["disclosure_audit"]["passed"] is True
    payload = json.loads((out / "wres.json").read_text())
    rolling = payload["tables"]["wres_3_rolling_average"]
    shown = [c["key"] for c in rolling["columns"]]
    assert "base" not in shown and "outcome" not in shown  # pooled counts are not a set of people
    trends = payload["tables"]["wres_trends_ratio"]
    assert [c["label"] for c in trends["columns"]] == ["Measure", "2024/25", "2025/26"]
    last_year = payload["figures"]["wres.2.relative_likelihood.y2024_25"]  # indicator 2 is the first row
    assert trends["rows"][0][1] == ("[c]" if last_year["suppressed"] else last_year["value"])
    previous = payload["figures"]["wres.1.bme.pct.previous"]["value"]
    assert previous == round(previous, 1)


# --- information loss (issue 10 item 7) -----------------------------------------------------------

def _profile(table_id: str, rows: list[tuple[str, int]], coarser: str = "") -> Table:
    data = pd.DataFrame({"group": [g for g, _ in rows], "n": [n for _, n in rows]})
    return Table(table_id, f"Staff by {table_id}", [Column("group", "Group"), Column("n", "Staff", "count")], data,
                 row_key="group", coarser=coarser)


def test_a_mostly_withheld_detailed_table_gives_way_to_its_coarser_one() -> None:
    from equality_reports.disclosure import leave_out_mostly_withheld
    from equality_reports.document import CellRef, Chart, Paragraph

    doc = Document(report="r", title="r", organisation="Test", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    section = doc.section("s", "Staff")
    section.add(_profile("broad", [("White", 40), ("Other", 15)]))
    section.add(_profile("detailed", [("White", 40), ("Arab", 2), ("Any other", 13)], coarser="broad"))
    section.add(Chart("c", "Detailed", "detailed", "group", ["n"]))
    doc.add_figure(Figure("r.arab", "Arab staff", 2, "count", cells=(CellRef("detailed", "Arab", "n"),)))
    white = (CellRef("detailed", "White", "n"),)
    doc.add_figure(Figure("r.white", "White staff", 40, "count", cells=white, units=np.arange(40)))
    doc.add_figure(Figure("r.white_pct", "White staff, %", 72.7, "percent", cells=white))
    apply_disclosure(doc, 10)
    assert len(doc.table("detailed").suppressed) == 2  # Arab 2 and, to protect it, any other 13

    assert leave_out_mostly_withheld(doc) == ["Staff by detailed"]

    assert [t.id for t in doc.tables()] == ["broad"] and not doc.charts()
    note = [b for b in section.blocks if isinstance(b, Paragraph)][0].text
    assert "The table \u201cStaff by detailed\u201d is not shown: most of its numbers" in note
    assert doc.figures["r.arab"].suppressed and not doc.figures["r.arab"].cells
    assert not doc.figures["r.white"].suppressed  # a count of a shown cell, declaring whom it counts, stays shown
    # a percentage restating it declares nothing the run-wide audit could relate: withheld (fail closed)
    assert doc.figures["r.white_pct"].suppressed
    apply_disclosure(doc, 10)  # the document stays consistent for the renderers


def _events(first: list[int], second: list[int]) -> Table:
    data = pd.DataFrame({"group": ["White", "Ethnic minority", "All groups"], "base": first, "n": second})
    return Table("grievances", "Staff involved in grievances",
                 [Column("group", "Ethnic group"), Column("base", "Staff in post", "count"),
                  Column("n", "Raised a grievance (staff)", "count")], data, row_key="group", rows_additive=True,
                 total_row=True)


def test_a_table_showing_only_its_base_is_left_out_naming_the_column_it_would_show() -> None:
    """Grievance counts of 3 and 4 withheld (with their total): the staff in post, which other
    tables publish, would be all the table showed. Not so when a count of the events shows."""
    from equality_reports.disclosure import leave_out_mostly_withheld
    from equality_reports.document import Paragraph

    doc = Document(report="r", title="r", organisation="Test", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    doc.section("s", "Grievances").add(_events([120, 40, 160], [3, 4, 7]))
    apply_disclosure(doc, 10)
    assert leave_out_mostly_withheld(doc) == ["Staff involved in grievances"]
    [note] = [b.text for b in doc.sections[0].blocks if isinstance(b, Paragraph)]
    assert note == ("The table \u201cStaff involved in grievances\u201d is not shown: every count in it other than the "
                    "\u201cStaff in post\u201d column would have to be withheld to protect the people it describes.")

    shown = Document(report="r", title="r", organisation="Test", period_start=date(2025, 4, 1),
                     period_end=date(2026, 3, 31))
    shown.section("s", "Grievances").add(_events([120, 40, 160], [30, 4, 34]))
    apply_disclosure(shown, 10)
    assert leave_out_mostly_withheld(shown) == [] and [t.id for t in shown.tables()] == ["grievances"]


def test_a_table_without_a_coarser_one_stays() -> None:
    from equality_reports.disclosure import leave_out_mostly_withheld

    doc = Document(report="r", title="r", organisation="Test", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    doc.section("s", "Staff").add(_profile("detailed", [("White", 40), ("Arab", 2), ("Any other", 13)]))
    apply_disclosure(doc, 10)
    assert leave_out_mostly_withheld(doc) == [] and [t.id for t in doc.tables()] == ["detailed"]


def test_a_table_with_three_quarters_of_its_counts_withheld_gives_way_without_a_coarser_one() -> None:
    """Three of the four non-zero counts withheld: the table goes (a sentence says so) though no
    coarser table stands in for it; a census count beside them (never withheld) does not count."""
    from equality_reports.disclosure import leave_out_mostly_withheld

    doc = Document(report="r", title="r", organisation="Test", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    section = doc.section("s", "Staff")
    section.add(_profile("grievances", [("White", 40), ("Asian", 2), ("Black", 3), ("Other", 4)]))
    census = _profile("benchmark", [("White", 40), ("Asian", 2), ("Black", 3), ("Other", 14)])
    census.columns.append(Column("residents", "Residents", "count", external=True))
    census.data["residents"] = [9000, 800, 700, 600]
    section.add(census)
    apply_disclosure(doc, 10)
    assert len(doc.table("grievances").suppressed) == 3
    assert len(doc.table("benchmark").suppressed) == 2  # 2 of the 4 staff counts: stays

    assert leave_out_mostly_withheld(doc) == ["Staff by grievances"]
    assert [t.id for t in doc.tables()] == ["benchmark"]


def test_a_table_of_nothing_but_withheld_numbers_gives_way_to_a_sentence() -> None:
    from equality_reports.disclosure import leave_out_mostly_withheld
    from equality_reports.document import Chart, Paragraph

    doc = Document(report="r", title="r", organisation="Test", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    section = doc.section("s", "Staff")
    section.add(_profile("promotions", [("White", 4), ("Other", 3)]), Chart("c", "C", "promotions", "group", ["n"]))
    section.add(_profile("staff", [("White", 40), ("Other", 15)]))
    apply_disclosure(doc, 10)
    assert doc.table("promotions").suppressed == {(0, "n"), (1, "n")}

    assert leave_out_mostly_withheld(doc) == ["Staff by promotions"]

    assert [t.id for t in doc.tables()] == ["staff"] and not doc.charts()
    note = [b for b in section.blocks if isinstance(b, Paragraph)][0].text
    assert note == ("The table \u201cStaff by promotions\u201d is not shown: every number in it would have to be withheld to "
                    "protect the people it describes.")


def test_the_console_says_what_disclosure_cost(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(["run", "rraa-employment", "--data", SAMPLES / "small_body", "--out", tmp_path / "o",
                   "--format", "json"], capsys)
    assert res.code == 0, res.err
    assert "withheld: " in res.out and "% of shown cells" in res.out
    assert "left out (mostly or wholly withheld; a sentence says so in its place): Staff in post by detailed ethnic group" in res.out
    record = json.loads((tmp_path / "o" / "run.json").read_text())
    rraa = next(r for r in record["reports"] if r["name"] == "rraa-employment")
    # the detailed table gives way to the broad one; tables of nothing but [c] give way to a sentence
    assert "Staff in post by detailed ethnic group" in rraa["disclosure"]["left_out"]
    for title in rraa["disclosure"]["left_out"]:  # each named on the console too
        assert f"left out (mostly or wholly withheld; a sentence says so in its place): {title}" in res.out
    assert all(0 <= t["withheld_pct"] <= 100 for t in rraa["disclosure"]["tables"].values() if "withheld_pct" in t)


def test_a_cell_restating_a_figure_is_withheld_with_it() -> None:
    """A comparison table's "This year (%)" restates a figure; when disclosure control withholds
    the figure's source cell (here, later, as the joint pass does), the restating cell follows,
    with the cells derived from it."""
    from equality_reports.document import CellRef

    doc = Document(report="r", title="r", organisation="Test", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    source = _profile("source", [("White", 40), ("Other", 15)])
    source.rows_additive = False
    comparison = Table("comparison", "This year", [
        Column("measure", "Measure"), Column("this_num", "Count", "count", hidden=True),
        Column("this", "This year (%)", "percent", derived_from=("this_num",)),
        Column("change", "Change", "number", derived_from=("this",))],
        pd.DataFrame({"measure": ["White share"], "this_num": [40], "this": [72.7], "change": [1.2]}),
        row_key="measure", rows_additive=False, restates={(0, "this_num"): "r.white.pct"})
    doc.section("s", "Staff").add(source, comparison)
    doc.add_figure(Figure("r.white.pct", "White share", 72.7, "percent", cells=(CellRef("source", "White", "n"),)))
    apply_disclosure(doc, 10)
    assert not comparison.suppressed

    source.suppressed.add((0, "n"))  # withheld later, by the joint pass
    apply_disclosure(doc, 10)

    assert doc.figures["r.white.pct"].suppressed
    assert comparison.suppressed == {(0, "this_num"), (0, "this"), (0, "change")}


def test_parts_holding_nothing_but_left_out_tables_become_sentences_under_their_heading() -> None:
    """Two subsections each left with one sentence saying its table is not shown: their headings go
    and the part says it once per reason; a part with anything else keeps its subsections."""
    from equality_reports.disclosure import leave_out_mostly_withheld
    from equality_reports.document import Paragraph

    doc = Document(report="r", title="r", organisation="Test", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    part = doc.section("further", "Further monitoring")
    part.add(Paragraph(text="What this part covers."))
    part.subsection("a", "Grievances").add(_events([120, 40, 160], [3, 4, 7]))
    disciplinary = _events([120, 40, 160], [2, 5, 7])
    disciplinary.id, disciplinary.title = "disciplinary", "Staff disciplined"
    part.subsection("b", "Discipline").add(disciplinary)
    kept = doc.section("kept", "Leavers")
    kept.subsection("c", "Leavers").add(Paragraph(text="Leavers are counted once."),
                                        _profile("leavers", [("White", 3), ("Other", 2)]))
    kept.subsection("d", "Reasons").add(_profile("reasons", [("Retired", 1), ("Moved", 4)]))
    apply_disclosure(doc, 10)
    assert len(leave_out_mostly_withheld(doc)) == 4
    assert part.sections == []
    assert [b.text for b in part.blocks] == [
        "What this part covers.",
        "The tables \u201cStaff involved in grievances\u201d and \u201cStaff disciplined\u201d are not shown: every "
        "count in them other than the \u201cStaff in post\u201d column would have to be withheld to protect the "
        "people they describe."]
    assert [s.title for s in kept.sections] == ["Leavers", "Reasons"]  # one holds more than a sentence
