"""Word output (python-docx) following the accessibility rules for public sector documents.

Built-in heading styles in order, title and language in the document properties, a contents
list, data tables with a repeating header row and no merged or empty cells, captions, charts with
alt text, real hyperlinks, and a notes section explaining every symbol. A house-style .docx given
with ``--style`` supplies the styles; missing ones are created.
"""

from __future__ import annotations

import calendar
import copy
import io
import re
from itertools import groupby
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from equality_reports.document import Chart, Document, Paragraph, Table, long_date
from equality_reports.errors import InputError
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.charts import chart_description, chart_png
from equality_reports.renderers.common import (
    NOT_FOR_PUBLICATION,
    NOT_FOR_PUBLICATION_DETAIL,
    blocks_of,
    cell_text,
    fixed_time,
    full_title,
    header_label,
    link_target,
    normalise_zip,
    numeric_column,
    period_label,
    symbols_used,
    xml_safe,
)
from equality_reports.renderers.docx_fields import bookmark, contents, footer_paragraph
from equality_reports.renderers.docx_layout import (
    CELL_MARGINS_PT,
    TALL_FLOOR_PT,
    TableLayout,
    plan_table,
    wrapped_lines,
)
from equality_reports.renderers.docx_pages import (
    KEEP_WHOLE_ROWS,
    KEPT_HEAD_ROWS,
    LINE_FACTOR,
    Heading,
    estimated_pages,
    kept_height,
    measured_pages,
    measuring_programs,
)
from equality_reports.templating import builtin_templates_dir

#: a paragraph this short (about eight lines) introducing a table or chart is kept on its page
KEPT_INTRO_CHARS = 720
#: notes this long under a table, the same as under the table before it, are referred to, not repeated
REPEATED_NOTES_CHARS = 200
#: the footer's size, unless a house style gives the Footer style one
FOOTER_PT = 9
STAMP_COLOUR = RGBColor(0x9C, 0x00, 0x06)
#: paragraph styles the output uses; those a house style lacks are created, based on its Normal
PARAGRAPH_STYLES = ("Title", "Subtitle", "Caption", "List Bullet", "Footer", *(f"Heading {i}" for i in range(1, 10)))
#: heading levels listed in the contents
CONTENTS_LEVELS = 2


def _ensure_style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):  # type: ignore[no-untyped-def]
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if base and kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = doc.styles[base]
        return style


#: the parts of a house style the output takes: its styles, and the theme, fonts and list
#: numbering they refer to (each only when it links to no other part)
HOUSE_STYLE_PARTS = (RELATIONSHIP_TYPE.STYLES, RELATIONSHIP_TYPE.THEME, RELATIONSHIP_TYPE.FONT_TABLE,
                     RELATIONSHIP_TYPE.NUMBERING)


def adopt_styles(doc: Any, house: Any) -> None:
    """Give ``doc`` (the built-in base document) the styles of a house style. Nothing else of the
    house style is taken: no headers or footers (fields such as DDEAUTO, linked pictures), no
    attached template, no settings, no embedded or external parts, so a style file cannot make the
    output fetch, run or link to anything."""
    for reltype in HOUSE_STYLE_PARTS:
        try:
            theirs = house.part.part_related_by(reltype)
            ours = doc.part.part_related_by(reltype)
        except KeyError:
            continue
        if theirs.rels:
            continue
        if hasattr(theirs, "_element") and hasattr(ours, "_element"):
            ours._element = copy.deepcopy(theirs._element)
        elif not hasattr(ours, "_element"):
            ours._blob = theirs.blob


def adopt_header_text(doc: Any, house: Any) -> None:
    """The text of a house style's headers and footers (first section), paragraph by paragraph in
    its paragraph styles, as plain text: no fields, pictures or links come with it."""
    theirs, ours = house.sections[0], doc.sections[0]
    ours.different_first_page_header_footer = theirs.different_first_page_header_footer
    names = {style.name for style in doc.styles}
    for kind in ("header", "first_page_header", "even_page_header", "footer", "first_page_footer",
                 "even_page_footer"):
        source = getattr(theirs, kind)
        lines = [(p.text, p.style.name if p.style is not None else None)
                 for p in ([] if source.is_linked_to_previous else source.paragraphs) if p.text.strip()]
        if not lines:
            continue
        target = getattr(ours, kind)
        target.is_linked_to_previous = False
        for i, (text, style) in enumerate(lines):
            blank = i == 0 and target.paragraphs and not target.paragraphs[0].text
            paragraph = target.paragraphs[0] if blank else target.add_paragraph()
            paragraph.text = text
            if style in names:
                paragraph.style = doc.styles[style]


def check_style(path: Path) -> None:
    """Refuse a ``--style`` file the Word output could not use (before any data is loaded)."""
    fix = "Give a Word .docx (not .doc or .dotx) whose styles to use, such as a copy of report_templates/base.docx."
    if not path.is_file():
        raise InputError(f"--style {path}: file not found. {fix}")
    try:
        found = list(open_docx(str(path)).styles)
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a file that is not a .docx
        raise InputError(f"--style {path}: python-docx cannot open it as a Word document "
                         f"({exc.__class__.__name__}: {exc}). {fix}") from None
    # looked up as python-docx does: by name, else by style id
    styles = {style.style_id: style.type for style in found} | {style.name: style.type for style in found}
    if styles.get("Normal") != WD_STYLE_TYPE.PARAGRAPH:
        raise InputError(f"--style {path}: has no 'Normal' paragraph style, on which the output's styles are "
                         f"based. {fix}")
    wrong = [name for name in PARAGRAPH_STYLES if name in styles and styles[name] != WD_STYLE_TYPE.PARAGRAPH]
    if wrong:
        raise InputError(f"--style {path}: {', '.join(repr(n) for n in wrong)} must be paragraph styles "
                         f"(they are character or table styles there). "
                         f"Change them in Word, or {fix[0].lower()}{fix[1:]}")

def _keep_intro(paragraphs: list[Any]) -> None:
    """Keep the paragraphs introducing a table or chart on its page with it when they are short
    together (about eight lines: a sentence and a few bullets), else the last one alone when it
    is. No longer chain: LibreOffice, which makes the PDF output, leaves a heading alone at the
    foot of a page when a chain of kept paragraphs does not fit below it."""
    if sum(len(p.text) for p in paragraphs) <= KEPT_INTRO_CHARS:
        kept = paragraphs
    else:
        kept = [p for p in paragraphs[-1:] if len(p.text) <= KEPT_INTRO_CHARS]
    for paragraph in kept:
        paragraph.paragraph_format.keep_with_next = True


class DocxRenderer:
    format = "docx"
    suffix = ".docx"
    is_directory = False

    def limitation(self) -> str | None:
        """What this machine lacks for the best Word document (None: nothing): with LibreOffice and
        pdftotext the contents' page numbers are measured, otherwise estimated."""
        if measuring_programs():
            return None
        return ("LibreOffice (soffice) or pdftotext was not found, so the page numbers in the Word document's "
                "contents list are estimated and may be a page out: install LibreOffice and poppler-utils "
                "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui poppler-utils) and run again to have "
                "them measured.")

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        _WordWriter(xml_safe(document), settings).write(target)


class _WordWriter:
    """Writes one document: cover, filled-in contents, sections, tables, charts, notes, footers."""

    def __init__(self, document: Document, settings: RenderSettings) -> None:
        self.document, self.settings = document, settings
        self.doc = open_docx(str(builtin_templates_dir() / "base.docx"))
        if settings.style:
            house = open_docx(str(settings.style))
            adopt_styles(self.doc, house)
            adopt_header_text(self.doc, house)
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        for name in PARAGRAPH_STYLES:
            _ensure_style(self.doc, name)
        normal = self.doc.styles["Normal"].font
        self.family = normal.name or "Arial"
        self.size_pt = normal.size.pt if normal.size else 11.0
        self.portrait = body.find(qn("w:sectPr"))
        self.headings: list[tuple[str, Heading]] = []
        # the (lxml w:p) paragraph closing the last landscape section, while nothing follows it
        self.landscape_end: Any = None
        self.counters = {"table": 0, "figure": 0}
        # the notes of the table written last, with its number: the same long notes under the next
        # table are referred to rather than repeated
        self.last_notes: tuple[list[str], int] = ([], 0)

    def write(self, target: Path) -> None:
        doc, document = self.doc, self.document
        self._properties()
        total_pages = self._footers()
        self._cover()
        toc_anchor = doc.add_paragraph("Contents", style="Heading 1")
        toc_anchor.paragraph_format.keep_with_next = True
        for depth, section in document.walk():
            self._heading(section.title, depth, section.new_page)
            text: list[Any] = []  # the paragraphs written since the last table or chart
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    text += self._text(block.text or "")
                    continue
                _keep_intro(text)
                text = []
                if isinstance(block, Table):
                    self.counters["table"] += 1
                    self._table(block, self.counters["table"])
                elif isinstance(block, Chart):
                    self.counters["figure"] += 1
                    self._chart(block, self.counters["figure"])
        self._notes()
        entries = contents(toc_anchor._p, self.headings)
        pages, count = estimated_pages(doc, self.family)
        self._fill(entries, total_pages, pages, count)
        measured = measured_pages(self._bytes(), [heading for _, heading in self.headings])
        if measured is not None:
            self._fill(entries, total_pages, *measured)
        target.write_bytes(self._bytes())
        normalise_zip(target, fixed_time(document))

    def _bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def _fill(entries: dict, totals: list, pages: dict[str, int], count: int) -> None:  # type: ignore[type-arg]
        for name, shown in entries.items():
            shown.text = str(pages.get(name, 1))
        for shown in totals:
            shown.text = str(count)

    # -- parts ------------------------------------------------------------------------------
    def _properties(self) -> None:
        doc, document = self.doc, self.document
        props = doc.core_properties
        when = fixed_time(document).replace(tzinfo=None)
        props.title = full_title(document)
        props.subject = (f"{document.organisation}: "
                         f"{long_date(document.period_start)} to {long_date(document.period_end)}")
        props.author = document.organisation
        props.last_modified_by = self.settings.generator
        props.keywords = ", ".join(["equality", "workforce", document.report])
        props.language = document.language
        props.comments = NOT_FOR_PUBLICATION if document.not_for_publication else "Published with disclosure control."
        props.category = "Not for publication" if document.not_for_publication else "Official publication"
        props.created = when
        props.modified = when
        props.last_printed = when
        props.revision = 1
        for style_name in ("Normal", "Title", "Heading 1"):
            rpr = doc.styles[style_name].element.get_or_add_rPr()
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), document.language)

    def _footers(self) -> list:  # type: ignore[type-arg]
        """'Organisation · title' over 'period · Page N of M' in every footer (default, first-page
        and even-page) of the document's section, below a house style's header and footer text:
        two lines, so that a long title never leaves the period or "of M" alone on a line.
        Returns the NUMPAGES results to fill in."""
        document = self.document
        about = f"{document.organisation} \u00b7 {document.title}"
        style = self.doc.styles["Footer"]
        if style.font.size is None:  # smaller than the text, unless a house style sizes it
            style.font.size = Pt(FOOTER_PT)
        totals = []
        section = self.doc.sections[0]
        for footer in (section.footer, section.first_page_footer, section.even_page_footer):
            footer.is_linked_to_previous = False
            first = footer.paragraphs[-1] if footer.paragraphs else footer.add_paragraph()
            if first.runs or first.text.strip():
                first = footer.add_paragraph()
            first.text = about
            page = footer.add_paragraph()
            for paragraph in (first, page):
                paragraph.style = self.doc.styles["Footer"]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            totals.append(footer_paragraph(page, f"{period_label(document)} \u00b7 "))
        return totals

    def _cover(self) -> None:
        doc, document = self.doc, self.document
        if document.not_for_publication:
            stamp = doc.add_paragraph()
            run = stamp.add_run(NOT_FOR_PUBLICATION)
            run.bold = True
            run.font.color.rgb = STAMP_COLOUR
            doc.add_paragraph(NOT_FOR_PUBLICATION_DETAIL)
            self._stamp_headers()
        doc.add_paragraph(document.title, style="Title")
        if document.subtitle:
            doc.add_paragraph(_unbroken_dates(document.subtitle), style="Subtitle")
        # the organisation once: the subtitle usually names it already
        named = bool(document.subtitle) and document.subtitle.startswith(document.organisation)
        doc.add_paragraph(f"{'' if named else document.organisation + '. '}Period covered: "
                          f"{long_date(document.period_start)} to {long_date(document.period_end)}.")
        publication = self.settings.publication  # dataset.toml's [publication]: each line when given
        if publication.published:
            doc.add_paragraph(f"Published {long_date(publication.published)}.")
        if publication.contact:
            doc.add_paragraph(f"Contact: {publication.contact.strip()}")
        if document.summary:
            self._text(document.summary)
        section = doc.sections[0]
        # the built-in template sets every section's page size and margins (python-docx types them optional)
        tab = int(section.page_width - section.left_margin - section.right_margin)  # type: ignore[operator]
        for level in range(1, CONTENTS_LEVELS + 1):
            style = _ensure_style(doc, f"toc {level}")
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
            style.paragraph_format.tab_stops.clear_all()
            style.paragraph_format.tab_stops.add_tab_stop(tab, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    def _stamp_headers(self) -> None:
        """The stamp at the top of every page header: default, first-page and even-page headers of
        every section, so that a house style with a different first page or odd/even headers
        cannot leave a page without it. A house style's own header content is kept below it."""
        for section in self.doc.sections:
            for header in (section.header, section.first_page_header, section.even_page_header):
                header.is_linked_to_previous = False
                first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
                if first.runs or first.text.strip():
                    first = first.insert_paragraph_before()
                run = first.add_run(NOT_FOR_PUBLICATION)
                run.bold = True
                run.font.color.rgb = STAMP_COLOUR

    def _heading(self, title: str, depth: int, new_page: bool = False) -> None:
        paragraph = self.doc.add_paragraph(title, style=f"Heading {min(depth, 9)}")
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.page_break_before = new_page or None
        if depth <= CONTENTS_LEVELS:
            number = len(self.headings) + 1
            heading = Heading(f"_Toc{number:05d}", title)
            bookmark(paragraph, heading.bookmark, number)
            self.headings.append((_ensure_style(self.doc, f"toc {depth}").style_id, heading))

    def _text(self, text: str) -> list[Any]:
        """Write the narrative markup; returns the paragraphs written. A short list (up to
        :data:`SHORT_LIST` items) is kept on one page."""
        blocks = blocks_of(text)
        written = [self.doc.add_paragraph(content, style="List Bullet" if kind == "bullet" else None)
                   for kind, content in blocks]
        for kind, group in groupby(zip(blocks, written), key=lambda pair: pair[0][0]):
            items = [paragraph for _, paragraph in group]
            if kind == "bullet" and len(items) <= SHORT_LIST:
                for item in items[:-1]:
                    item.paragraph_format.keep_with_next = True
        return written

    @staticmethod
    def _texts(table: Table) -> list[list[tuple[str, bool]]]:
        """Each visible column's texts as set, header first, each with whether it is bold."""
        rows = len(table.data)
        return [[(header_label(col), True)] + [(cell_text(table, r, col) or "[z]", table.total_row and r == rows - 1)
                                              for r in range(rows)] for col in table.visible_columns]

    def _table(self, table: Table, number: int) -> None:
        cols = table.visible_columns
        rows = len(table.data)
        texts = self._texts(table)
        notes = [f"Note: {note}" for note in table.notes]
        if table.notes and table.notes == self.last_notes[0] and sum(map(len, table.notes)) >= REPEATED_NOTES_CHARS:
            notes = [f"Note: the notes under Table {self.last_notes[1]} apply to this table too."]
        else:
            self.last_notes = (list(table.notes), number)
        notes += [f"Source: {table.source}"] if table.source else []
        layout = self._layout(texts, notes)
        right = [numeric_column(table, col, [text for text, _ in texts[i][1:]]) for i, col in enumerate(cols)]
        if layout.landscape:
            self._open_landscape(self._landscape_height() - self._table_height(texts, layout, notes))
        size = Pt(layout.size_pt) if layout.size_pt != self.size_pt else None
        caption = self.doc.add_paragraph(f"Table {number}: {table.title}", style="Caption")
        caption.paragraph_format.keep_with_next = True
        grid = self.doc.add_table(rows=1 + rows, cols=len(cols))
        try:
            grid.style = self.doc.styles["Table Grid"]
        except KeyError:
            pass
        caption_el = OxmlElement("w:tblCaption")
        caption_el.set(qn("w:val"), table.title[:250])
        grid._tbl.tblPr.append(caption_el)
        if layout.margins_pt != CELL_MARGINS_PT:  # a table set smaller has narrower cell margins
            _cell_margins(grid._tbl.tblPr, layout.margins_pt)
        for r, row in enumerate(grid.rows):
            row_pr = row._tr.get_or_add_trPr()
            for tag in ("w:tblHeader", "w:cantSplit") if r == 0 else ("w:cantSplit",):
                el = OxmlElement(tag)
                el.set(qn("w:val"), "true")
                row_pr.append(el)
            for i, col in enumerate(cols):
                text, bold = texts[i][r]
                paragraph = row.cells[i].paragraphs[0]
                target = (link_target(table.data.at[r - 1, col.link])
                          if r and col.link in table.data.columns else None)
                _unbroken_run(paragraph, text, bold, size, target)
                if right[i]:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                # a short table stays whole; a long one keeps its header with two rows and its last
                # two rows (a total row with the row above it) together, so it need not leave a page
                # half empty; the last row stays with the notes
                whole = rows <= KEEP_WHOLE_ROWS or r < KEPT_HEAD_ROWS or r == rows - 1
                paragraph.paragraph_format.keep_with_next = (r < rows and whole) or (r == rows and bool(notes))
        self._widths(grid, layout)
        for i, note in enumerate(notes):  # the notes stay with the table's last row
            p = self.doc.add_paragraph(note)
            p.runs[0].font.size = Pt(10)
            p.paragraph_format.keep_with_next = i < len(notes) - 1
        if layout.landscape:
            self._close_landscape()

    def _layout(self, texts: list[list[tuple[str, bool]]], notes: list[str]) -> TableLayout:
        """:func:`plan_table`'s layout, except that a table too tall for one landscape page (its
        last rows would stand alone on a second) stays on one portrait page when it fits there in
        a font down to :data:`TALL_FLOOR_PT`."""
        layout = plan_table(texts, self.size_pt, self.family, *self._text_widths())
        if layout.landscape and self._table_height(texts, layout, notes, whole=True) > self._landscape_height():
            upright = plan_table(texts, self.size_pt, self.family, *self._text_widths(), floor_pt=TALL_FLOOR_PT)
            if not upright.landscape and \
                    self._table_height(texts, upright, notes, whole=True) <= self._portrait_height():
                return upright
        return layout

    def _portrait_height(self) -> float:
        """Text height of a portrait page, in points."""
        section = self.doc.sections[-1]
        long = max(section.page_width, section.page_height)  # type: ignore[type-var]
        return (long - section.top_margin - section.bottom_margin) / 12700  # type: ignore[operator]

    def _landscape_height(self) -> float:
        """Text height of a landscape page, in points."""
        section = self.doc.sections[-1]
        short = min(section.page_width, section.page_height)  # type: ignore[type-var]
        return (short - section.top_margin - section.bottom_margin) / 12700  # type: ignore[operator]

    def _lines_height(self, text: str, width: float, size: float, bold: bool = False) -> float:
        return wrapped_lines(text, width, size, bold, self.family) * size * LINE_FACTOR

    def _table_height(self, texts: list[list[tuple[str, bool]]], layout: TableLayout, notes: list[str],
                      whole: bool = False) -> float:
        """Roughly how tall a table is set (all of it when ``whole``, else its kept-together part:
        all of a short table, else its header and first two rows), with its caption and notes, in
        points: a margin over."""
        rows = len(texts[0]) if texts else 0
        heights = [max(self._lines_height(texts[c][r][0], width - layout.margins_pt, layout.size_pt, r == 0)
                       for c, width in enumerate(layout.widths)) + 4 for r in range(rows)]
        width = self._text_widths()[1]
        notes_height = sum(self._lines_height(note, width, 10) + 6 for note in notes)
        return 1.15 * ((sum(heights) if whole else kept_height(heights)) + notes_height
                       + 2 * self.size_pt * LINE_FACTOR + 20)

    def _text_widths(self) -> tuple[float, float]:
        """Text width of a portrait and of a landscape page, in points."""
        section = self.doc.sections[-1]
        # the built-in template sets every section's page size and margins (python-docx types them optional)
        margins = section.left_margin + section.right_margin  # type: ignore[operator]
        short, long = sorted((section.page_width, section.page_height))  # type: ignore[type-var]
        return (short - margins) / 12700, (long - margins) / 12700  # type: ignore[operator]

    @staticmethod
    def _widths(grid, layout: TableLayout) -> None:  # type: ignore[no-untyped-def]
        """Fixed column widths from the layout (twentieths of a point in the grid, EMU on cells)."""
        grid.autofit = False
        grid_cols = grid._tbl.tblGrid.findall(qn("w:gridCol"))
        for i, width in enumerate(layout.widths):
            grid_cols[i].set(qn("w:w"), str(round(width * 20)))
            for cell in grid.columns[i].cells:
                cell.width = Pt(width)

    def _break_before_trailing_headings(self, room: float = 0.0):  # type: ignore[no-untyped-def]
        """The paragraph to end the current section with so that the headings just written move
        with what follows: the last paragraph before them (an empty one is added if needed). A
        short lead-in (paragraphs of text right under a heading) moves too, with that heading, when
        it fits in ``room`` points of a landscape page: the page then holds the section's start
        and its table, instead of a portrait page holding a heading and a few lines."""
        body = self.doc.element.body
        children = [c for c in body if c.tag != qn("w:sectPr")]

        def heading(i: int) -> bool:
            return children[i].tag == qn("w:p") and _is_heading(children[i])

        index = len(children)
        while index and heading(index - 1):
            index -= 1
        width = self._text_widths()[1]
        start, used = index, HEADING_HEIGHT_PT * (len(children) - index)
        while start and children[start - 1].tag == qn("w:p") and not heading(start - 1) \
                and _plain(children[start - 1]):
            used += self._lines_height(_text_of(children[start - 1]), width, self.size_pt) + PARAGRAPH_SPACE_PT
            start -= 1
        above = start
        while above and heading(above - 1):
            used += HEADING_HEIGHT_PT
            above -= 1
        if start < index and above < start and used <= room:  # the whole lead-in, from its heading
            index = above
        if index and children[index - 1].tag == qn("w:p"):
            return children[index - 1]
        paragraph = OxmlElement("w:p")
        (children[index].addprevious if index < len(children) else body.find(qn("w:sectPr")).addprevious)(paragraph)
        return paragraph

    def _open_landscape(self, room: float) -> None:
        """End the portrait section before the table (and its headings, and its section's short
        lead-in when it fits in ``room`` points beside the table), or carry on a landscape
        section that only just ended."""
        end = self._break_before_trailing_headings(room)
        if end is self.landscape_end:
            end.find(qn("w:pPr")).remove(end.find(qn("w:pPr")).find(qn("w:sectPr")))
        else:
            _end_section(end, copy.deepcopy(self.portrait))
        self.landscape_end = None

    def _close_landscape(self) -> None:
        body = self.doc.element.body
        last = [c for c in body if c.tag != qn("w:sectPr")][-1]
        if last.tag != qn("w:p"):
            last = self.doc.add_paragraph()._p
        landscape = copy.deepcopy(self.portrait)
        size = landscape.find(qn("w:pgSz"))
        width, height = sorted(int(size.get(qn(a))) for a in ("w:w", "w:h"))
        size.set(qn("w:w"), str(height))
        size.set(qn("w:h"), str(width))
        size.set(qn("w:orient"), WD_ORIENT.LANDSCAPE.name.lower())
        _end_section(last, landscape)
        self.landscape_end = last

    def _chart(self, chart: Chart, number: int) -> None:
        """The caption, then the chart in the same paragraph after a line break: a word processor
        never ends a page between them (LibreOffice does not keep a caption with a picture
        paragraph that follows it)."""
        caption = self.doc.add_paragraph(f"Figure {number}: {chart.title}", style="Caption")
        caption.paragraph_format.keep_together = True  # a long caption never ends a page above its chart
        caption.add_run().add_break()
        picture = caption.add_run().add_picture(io.BytesIO(chart_png(self.document, chart)), width=Cm(15.5))
        doc_pr = picture._inline.docPr
        doc_pr.set("descr", chart_description(self.document, chart))
        doc_pr.set("title", chart.title)
        doc_pr.set("name", f"Figure {number}")

    def _notes(self) -> None:
        symbols = symbols_used(self.document)
        if not symbols and not self.document.notes:
            return
        self._heading("Notes", 1)
        paragraphs = [self.doc.add_paragraph(f"{symbol}: {meaning}.", style="List Bullet")
                      for symbol, meaning in symbols.items()]
        paragraphs += [self.doc.add_paragraph(note) for note in self.document.notes]
        for paragraph in paragraphs[:-1]:  # the notes read as one: on one page, under their heading
            paragraph.paragraph_format.keep_with_next = True


#: a bulleted list this short is kept on one page, not split over two
SHORT_LIST = 4

#: the height a heading takes with its spacing, and the space after a paragraph, in points (rough:
#: for deciding whether a lead-in fits on a landscape page beside its table)
HEADING_HEIGHT_PT = 40.0
PARAGRAPH_SPACE_PT = 10.0


def _cell_margins(tbl_pr, margins_pt: float) -> None:  # type: ignore[no-untyped-def]
    """Left and right cell margins of a table, half of ``margins_pt`` each (in the table's
    properties, in the order the schema wants: after the layout, before the look)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        el = OxmlElement(side)
        el.set(qn("w:w"), str(round(margins_pt / 2 * 20)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    following = [tbl_pr.find(qn(tag)) for tag in ("w:tblLook", "w:tblCaption", "w:tblDescription")]
    anchor = next((el for el in following if el is not None), None)
    if anchor is not None:
        anchor.addprevious(margins)
    else:
        tbl_pr.append(margins)


def _text_of(p) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


#: a date as publications write it ("31 March 2026"), to keep on one line in a large title
_LONG_DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(calendar.month_name[1:])}) (\d{{4}})\b")


def _unbroken_dates(text: str) -> str:
    """``text`` with each long date's spaces made non-breaking: a subtitle never ends a line at "31"."""
    return _LONG_DATE.sub("\\1\u00a0\\2\u00a0\\3", text)


def _plain(p) -> bool:  # type: ignore[no-untyped-def]
    """A paragraph of text only: no picture, no section break."""
    return next(p.iter(qn("w:drawing")), None) is None and next(p.iter(qn("w:sectPr")), None) is None


def _is_heading(p) -> bool:  # type: ignore[no-untyped-def]
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style is not None and (style.get(qn("w:val")) or "").lower().startswith("heading")


def _end_section(paragraph, sect_pr) -> None:  # type: ignore[no-untyped-def]
    """Make ``paragraph`` the last of a section laid out by ``sect_pr`` (the next starts a new page)."""
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    ppr.append(sect_pr)


def _unbroken_run(paragraph, text: str, bold: bool, size, target: str | None) -> None:  # type: ignore[no-untyped-def]
    """A run (a hyperlink's when ``target`` is given) whose hyphens are non-breaking, so that a
    word such as 'non-mandatory' wraps only at spaces."""
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    if bold:
        rpr.append(OxmlElement("w:b"))
    if target:
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "1F4E9E")
        rpr.append(color)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), str(round(size.pt * 2)))
            rpr.append(el)
    if target:
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        rpr.append(underline)
    if len(rpr):
        run.append(rpr)
    for i, part in enumerate(text.split("-")):
        if i:
            run.append(OxmlElement("w:noBreakHyphen"))
        if part:
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = part
            run.append(t)
    if target:
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
        link.append(run)
        paragraph._p.append(link)
    else:
        paragraph._p.append(run)
