"""Word table layout: columns as wide as their longest word, landscape and a smaller font for wide
tables, rows kept together, hyphens that do not break."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from docx import Document as read_docx
from docx.oxml.ns import qn
from test_renderers import render

from equality_reports.document import Column, Document, Paragraph, Table
from equality_reports.renderers.docx import DocxRenderer
from equality_reports.renderers.docx_layout import (
    COMFORT_FLOOR_PT,
    FLOOR_PT,
    SMALL_CELL_MARGINS_PT,
    TALL_FLOOR_PT,
    plan_table,
    text_width,
    wrapped_lines,
)
from equality_reports.renderers.docx_pages import estimated_pages

PORTRAIT, LANDSCAPE = 481.9, 728.6


def test_arial_widths_match_liberation_sans_and_lines_break_only_at_spaces() -> None:
    assert round(text_width("Applications", 12), 1) == round(5391 * 12 / 1000, 1)
    assert text_width("A", 12, bold=True) > text_width("A", 12)
    assert text_width("\u4e2d", 10) >= 10  # an unmeasured character counts wide, never narrow
    assert wrapped_lines("Shortlisted applicants", text_width("Shortlisted", 12) + 1, 12, False, "Arial") == 2
    assert wrapped_lines("Shortlisted", 1.0, 12, False, "Arial") == 1  # a word is never split


def test_plan_gives_each_column_its_longest_word_and_fills_the_width() -> None:
    columns = [[("Applications", True), ("December 2025", False)], [("Staff", True), ("1,234", False)]]
    layout = plan_table(columns, 12, "Arial", PORTRAIT, LANDSCAPE)
    assert not layout.landscape and layout.size_pt == 12
    assert round(sum(layout.widths), 3) == PORTRAIT
    assert layout.widths[0] > text_width("Applications", 12, bold=True) + 10.8


def test_a_row_label_stays_on_one_line_where_a_landscape_table_has_room() -> None:
    """A table of ten columns with long headers goes on a landscape page; its row
    labels ("Lower middle quarter") each take one line there, so its rows are one line high, but a
    long label in another column is not widened at the expense of the rest."""
    header = ("Not stated or not known (% of quarter)", True)
    columns = [[("Pay quarter", True), ("Lower quarter", False), ("Lower middle quarter", False)],
               *[[header, ("[c]", False), ("22.8", False)] for _ in range(9)]]
    layout = plan_table(columns, 12, "Arial", PORTRAIT, LANDSCAPE)
    assert layout.landscape
    assert wrapped_lines("Lower middle quarter", layout.widths[0] - 10.8 - 3.0, 12, False, "Arial") == 1
    other = [[("Criterion", True), ("JRE-R-2: Assumptions that race equality is unimportant", False)],
             [("Area", True), ("Vision, priorities and outcomes", False)]]
    narrow = plan_table(other, 12, "Arial", 200.0, 400.0)
    assert narrow.widths[1] < text_width("Vision, priorities and outcomes", 12)


def test_short_cells_stay_on_one_line_and_headers_on_two_where_the_page_allows() -> None:
    """"Grade 1" split over two lines reads as two values; a long header wraps at most once when
    the page has room, and the short cells come first when it has not."""
    numbers = [("Not stated or not known (% of row)", True), *[("[c]", False)] * 3]
    grades = [("Grade", True), ("Grade 1", False), ("Grade 10", False), ("31 December 2025", False)]
    roomy = plan_table([grades, *[list(numbers) for _ in range(3)]], 12, "Arial", PORTRAIT, LANDSCAPE)
    assert not roomy.landscape
    assert all(wrapped_lines(t, roomy.widths[0] - 13.8, 12, False, "Arial") == 1 for t, _ in grades[1:])
    assert all(wrapped_lines(numbers[0][0], w - 13.8, 12, True, "Arial") <= 2 for w in roomy.widths[1:])
    tight = plan_table([grades, *[list(numbers) for _ in range(6)]], 12, "Arial", PORTRAIT, LANDSCAPE)
    assert not tight.landscape
    assert all(wrapped_lines(t, tight.widths[0] - 13.8, 12, False, "Arial") == 1 for t, _ in grades[1:])
    assert max(wrapped_lines(numbers[0][0], w - 13.8, 12, True, "Arial") for w in tight.widths[1:]) > 2


def test_short_cells_that_would_split_take_a_smaller_font_then_a_landscape_page() -> None:
    """A table whose words fit the portrait page but whose short cells ("30 September 2026") would
    split is set a little smaller; when even 10 pt splits them, on a landscape page."""
    dates = [("When", True), ("31 December 2025", False), ("30 September 2026", False)]
    done = [("N", True), ("Done", False)]
    # one column of dates and nine narrow ones: every word fits at 12 pt, the dates do at 11 pt
    smaller = plan_table([dates, *[done] * 9], 12, "Arial", PORTRAIT, LANDSCAPE)
    assert not smaller.landscape and COMFORT_FLOOR_PT <= smaller.size_pt < 12
    assert wrapped_lines("30 September 2026", smaller.widths[0] - smaller.margins_pt - 3, smaller.size_pt, False,
                         "Arial") == 1
    # five columns of dates: even at 10 pt they would split, so a landscape page at 12 pt
    wide = plan_table([*[dates] * 5, done], 12, "Arial", PORTRAIT, LANDSCAPE)
    assert wide.landscape and wide.size_pt == 12
    assert all(wrapped_lines("30 September 2026", w - 13.8, 12, False, "Arial") == 1 for w in wide.widths[:5])


def test_wide_tables_are_set_smaller_then_go_landscape_then_smaller_down_to_the_floor() -> None:
    word = [("Shortlisted", True)]
    need = text_width("Shortlisted", 12, bold=True) + 14
    smaller = plan_table([word] * (int(PORTRAIT // need) + 1), 12, "Arial", PORTRAIT, LANDSCAPE)
    assert not smaller.landscape and COMFORT_FLOOR_PT <= smaller.size_pt < 12
    assert sum(smaller.widths) <= PORTRAIT + 0.01
    at_floor = text_width("Shortlisted", COMFORT_FLOOR_PT, bold=True) * 1.02 + SMALL_CELL_MARGINS_PT + 3.0
    fits_landscape = int(PORTRAIT // at_floor) + 1
    layout = plan_table([word] * fits_landscape, 12, "Arial", PORTRAIT, LANDSCAPE)
    assert layout.landscape and layout.size_pt == 12
    layout = plan_table([word] * (int(LANDSCAPE // need) + 2), 12, "Arial", PORTRAIT, LANDSCAPE)
    assert layout.landscape and FLOOR_PT <= layout.size_pt < 12 and sum(layout.widths) <= LANDSCAPE + 0.01
    layout = plan_table([word] * 40, 12, "Arial", PORTRAIT, LANDSCAPE)
    assert layout.size_pt == FLOOR_PT  # never smaller; wider than the page rather than a broken word
    assert min(layout.widths) >= text_width("Shortlisted", FLOOR_PT, bold=True)


def test_a_table_of_seven_columns_is_set_smaller_on_the_portrait_page_its_labels_wrapping() -> None:
    """The applicants table (seven columns of two-word headers) takes 10 pt on the portrait page
    rather than a landscape page of its own; "Ethnic minority" may wrap, "Grade 1" may not."""
    headers = ["Applicants", "Shortlisted (applicants)", "Appointed (applicants)", "Shortlisted (% of applicants)",
               "Appointed (% of shortlisted)", "Appointed (% of applicants)"]
    numbers = [[(h, True), ("969", False), ("1,486", False), ("41.3", False)] for h in headers]
    groups = [("Ethnic group", True), ("White", False), ("Ethnic minority", False), ("All groups", False)]
    layout = plan_table([groups, *numbers], 12, "Arial", PORTRAIT, LANDSCAPE)
    assert not layout.landscape and COMFORT_FLOOR_PT <= layout.size_pt < 12
    assert sum(layout.widths) <= PORTRAIT + 0.01
    grades = [("Grade", True), ("Grade 1", False), ("Grade 12", False), ("All staff", False)]
    sideways = plan_table([grades, *numbers], 12, "Arial", PORTRAIT, LANDSCAPE)
    assert wrapped_lines("Grade 12", sideways.widths[0] - sideways.margins_pt - 3, sideways.size_pt, False,
                         "Arial") == 1


def _document(columns: int) -> Document:
    doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    data = pd.DataFrame({f"c{i}": [f"non-clinical{i}", "Total"] for i in range(columns)})
    table = Table("wide", "Wide table", [Column(f"c{i}", f"Shortlisted {i}") for i in range(columns)], data,
                  total_row=True)
    doc.section("before", "Before").add(Paragraph(text="Text."))
    doc.section("wide", "Wide").add(table)
    doc.section("after", "After").add(Paragraph(text="More text."))
    return doc


def test_a_wide_table_is_set_in_its_own_landscape_section_with_its_heading(tmp_path: Path) -> None:
    d = read_docx(str(render(DocxRenderer(), _document(9), tmp_path / "r.docx")))
    orientations = [(s.orientation.name if s.orientation else "PORTRAIT", s.page_width > s.page_height) for s in d.sections]
    assert orientations == [("PORTRAIT", False), ("LANDSCAPE", True), ("PORTRAIT", False)]
    body = list(d.element.body)
    landscape_end = next(i for i, el in enumerate(body) if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
                         and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}/{qn('w:pgSz')}").get(qn("w:orient")) == "landscape")
    portrait_end = next(i for i, el in enumerate(body) if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    texts = ["".join(t.text for t in el.iter(qn("w:t"))) for el in body]
    assert "Wide" in texts[portrait_end + 1:landscape_end + 1]  # the heading moved with the table
    [table] = d.tables
    rows = table.rows
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    keep = [all(c.paragraphs[0].paragraph_format.keep_with_next for c in r.cells) for r in rows]
    assert keep == [True, True, False]  # the total row stays with the table
    assert table.rows[1]._tr.xml.count("<w:noBreakHyphen/>") == 9
    assert table.cell(1, 0).text == "non-clinical0"


def test_a_narrow_table_stays_portrait(tmp_path: Path) -> None:
    d = read_docx(str(render(DocxRenderer(), _document(3), tmp_path / "r.docx")))
    assert len(d.sections) == 1


def test_a_long_table_keeps_only_its_head_and_tail_together_and_its_notes_with_it(tmp_path: Path) -> None:
    doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    data = pd.DataFrame({"group": [f"Group {i}" for i in range(12)] + ["Total"], "n": list(range(20, 32)) + [306]})
    table = Table("long", "Long table", [Column("group", "Group"), Column("n", "Staff", "count")], data,
                  total_row=True, notes=["First note.", "Second note."], source="The staff extract")
    doc.section("s", "S").add(table)
    d = read_docx(str(render(DocxRenderer(), doc, tmp_path / "r.docx")))
    [grid] = d.tables
    keep = [all(c.paragraphs[0].paragraph_format.keep_with_next for c in r.cells) for r in grid.rows]
    # header and two rows, then the row above the total row, then the total row with the first note
    assert keep == [True, True, True] + [False] * 9 + [True, True]
    texts = [p.text for p in d.paragraphs]
    notes = [d.paragraphs[texts.index(t)] for t in ("Note: First note.", "Note: Second note.",
                                                    "Source: The staff extract")]
    assert [bool(p.paragraph_format.keep_with_next) for p in notes] == [True, True, False]




def test_spare_width_goes_where_it_makes_the_table_shortest() -> None:
    """Staff by working pattern: the spare width of the portrait page goes to the headers that
    make the header row tall, together, not to the longest text; the header row takes four lines
    where sharing by the longest text left "Not stated or not known (staff)" on five."""
    headers = ["White (staff)", "Ethnic minority (staff)", "Not stated or not known (staff)", "All (staff)",
               "White (% of row)", "Ethnic minority (% of row)", "Not stated or not known (% of row)"]
    columns = [[("Working pattern", True), ("Full time", False), ("Part time", False), ("All staff", True)],
               *[[(h, True), ("1,267", False), ("488", False), ("1,755", True)] for h in headers]]
    layout = plan_table(columns, 12, "Arial", PORTRAIT, LANDSCAPE)
    assert not layout.landscape and layout.size_pt == 12
    assert max(wrapped_lines(h, w - 13.8, 12, True, "Arial")
               for h, w in zip(["Working pattern", *headers], layout.widths)) == 4
    assert round(sum(layout.widths), 3) == PORTRAIT


def test_a_table_taller_than_a_landscape_page_stays_on_one_portrait_page_in_a_smaller_font(tmp_path: Path) -> None:
    """Clinical staff by pay band (24 rows, nine columns) would need a landscape page for its words
    at 10 pt and spill its last rows onto a second; at 9 pt it fits one portrait page, so it goes there. A short
    table of the same columns still goes on a landscape page."""
    headers = ["Disabled (staff)", "Non-disabled (staff)", "Not known (staff)", "All (staff)",
               "Disabled (% of row)", "Non-disabled (% of row)", "Not known (% of row)", "Total"]
    columns = [Column("band", "Pay band"), *[Column(f"c{i}", h, "text") for i, h in enumerate(headers)]]
    bands = [f"Band {n}" for n in range(1, 23)] + ["Non-consultant career grade", "All clinical staff"]

    def rendered(rows: list[str], name: str) -> tuple[list[bool], float]:
        doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                       period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
        data = pd.DataFrame({"band": rows, **{f"c{i}": ["1,234"] * len(rows) for i in range(len(headers))}})
        doc.section("bands", "Bands").add(Table("bands", "Clinical staff by pay band", columns, data))
        d = read_docx(str(render(DocxRenderer(), doc, tmp_path / name)))
        size = d.tables[0].cell(1, 1).paragraphs[0].runs[0].font.size
        return [s.page_width > s.page_height for s in d.sections], size.pt if size else 12.0

    orientations, size = rendered(bands, "tall.docx")
    assert orientations == [False] and TALL_FLOOR_PT <= size < COMFORT_FLOOR_PT
    orientations, size = rendered([bands[0], bands[-2], bands[-1]], "short.docx")
    assert True in orientations and size >= 10.0


def test_the_notes_are_kept_together_under_their_heading(tmp_path: Path) -> None:
    doc = _document(3)
    doc.notes += ["Counts from 1 to 9 are withheld.", "Figures are rounded."]
    d = read_docx(str(render(DocxRenderer(), doc, tmp_path / "r.docx")))
    texts = [p.text for p in d.paragraphs]
    start = texts.index("Notes")
    notes = d.paragraphs[start:]
    assert [p.text for p in notes[-2:]] == ["Counts from 1 to 9 are withheld.", "Figures are rounded."]
    assert [bool(p.paragraph_format.keep_with_next) for p in notes[1:]] == [True] * (len(notes) - 2) + [False]


def test_a_table_set_smaller_has_narrower_cell_margins_in_the_word_file(tmp_path: Path) -> None:
    """72 twips each side for a table set below the body text, none set (the style's 108) for one
    at body size, and the columns planned with the same margins."""
    headers = ["Applicants", "Shortlisted (applicants)", "Appointed (applicants)", "Shortlisted (% of applicants)",
               "Appointed (% of shortlisted)", "Appointed (% of applicants)"]
    doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    wide = pd.DataFrame({"g": ["White", "Ethnic minority"], **{f"c{i}": ["969", "41.3"] for i in range(6)}})
    doc.section("a", "Applicants").add(Table("apps", "Applicants", [Column("g", "Ethnic group"),
                                                                     *[Column(f"c{i}", h, "text")
                                                                       for i, h in enumerate(headers)]], wide))
    narrow = pd.DataFrame({"g": ["White"], "n": ["969"]})
    doc.section("b", "Staff").add(Table("staff", "Staff", [Column("g", "Ethnic group"), Column("n", "Staff", "text")],
                                        narrow))
    d = read_docx(str(render(DocxRenderer(), doc, tmp_path / "r.docx")))
    small, body = d.tables
    margins = small._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [(el.tag.split("}")[1], el.get(qn("w:w"))) for el in margins] == [("left", "72"), ("right", "72")]
    assert small.cell(1, 1).paragraphs[0].runs[0].font.size.pt < 12
    assert body._tbl.tblPr.find(qn("w:tblCellMar")) is None


def test_long_notes_the_same_as_the_tables_before_are_referred_to(tmp_path: Path) -> None:
    long = ["A gap is the difference between the reference group's pay and the group's pay, as a percentage of "
            "the reference group's pay.", "Pay figures are shown only for groups of at least 50 employees; [x] "
            "marks a group too small to show."]
    doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    data = pd.DataFrame({"g": ["White"], "n": ["12"]})
    columns = [Column("g", "Group"), Column("n", "Gap", "text")]
    for i, notes in enumerate((long, long, long, ["Short."], ["Short."])):
        doc.section(f"s{i}", f"Section {i}").add(Table(f"t{i}", f"Table {i}", columns, data, notes=list(notes)))
    d = read_docx(str(render(DocxRenderer(), doc, tmp_path / "r.docx")))
    texts = [p.text for p in d.paragraphs if p.text.startswith("Note:")]
    assert texts == [f"Note: {long[0]}", f"Note: {long[1]}",
                     "Note: the notes under Table 1 apply to this table too.",
                     "Note: the notes under Table 1 apply to this table too.",
                     "Note: Short.", "Note: Short."]


def test_a_chapter_starts_on_a_new_page_and_the_contents_count_it(tmp_path: Path) -> None:
    doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    doc.section("a", "Introduction").add(Paragraph(text="A short introduction."))
    doc.section("b", "First framework", new_page=True).add(Paragraph(text="Its assessment."))
    doc.section("c", "Second framework", new_page=True).add(Paragraph(text="Its assessment."))
    d = read_docx(str(render(DocxRenderer(), doc, tmp_path / "r.docx")))
    breaks = {p.text: p.paragraph_format.page_break_before for p in d.paragraphs if p.style.name == "Heading 1"}
    assert breaks == {"Contents": None, "Introduction": None, "First framework": True, "Second framework": True}
    pages, count = estimated_pages(d, "Arial")
    assert count == 3  # cover, contents and introduction on one page; a page for each framework


def test_a_short_list_is_kept_on_one_page_and_a_long_one_may_break(tmp_path: Path) -> None:
    doc = Document(report="demo", title="Demo", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    short = "\n".join(f"- Short item {i}." for i in range(3))
    long = "\n".join(f"- Long item {i}." for i in range(6))
    doc.section("a", "Lists").add(Paragraph(text=f"Three:\n\n{short}\n\nSix:\n\n{long}\n\nAfter."))
    d = read_docx(str(render(DocxRenderer(), doc, tmp_path / "r.docx")))
    keep = {p.text: p.paragraph_format.keep_with_next for p in d.paragraphs if "item" in p.text}
    assert [keep[f"Short item {i}."] for i in range(3)] == [True, True, None]
    assert not any(keep[f"Long item {i}."] for i in range(6))
