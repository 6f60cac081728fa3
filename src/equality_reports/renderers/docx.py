"""Word output (python-docx) following the accessibility rules for public sector documents.

Built-in heading styles in order, title and language in the document properties, a contents
list, data tables with a repeating header row and no merged or empty cells, captions, charts with
alt text, real hyperlinks, and a notes section explaining every symbol. A house-style .docx given
with ``--style`` supplies the styles; missing ones are created.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from equality_reports.document import Chart, Document, Paragraph, Table
from equality_reports.errors import InputError
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.charts import chart_description, chart_png
from equality_reports.renderers.common import (
    NOT_FOR_PUBLICATION,
    NOT_FOR_PUBLICATION_DETAIL,
    blocks_of,
    cell_text,
    fixed_time,
    header_label,
    link_target,
    normalise_zip,
    symbols_used,
    xml_safe,
)
from equality_reports.templating import builtin_templates_dir

NUMERIC = ("count", "percent", "ratio", "number")
STAMP_COLOUR = RGBColor(0x9C, 0x00, 0x06)
#: paragraph styles the output uses; those a house style lacks are created, based on its Normal
PARAGRAPH_STYLES = ("Title", "Subtitle", "Caption", "List Bullet", *(f"Heading {i}" for i in range(1, 10)))


def _ensure_style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):  # type: ignore[no-untyped-def]
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if base and kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = doc.styles[base]
        return style


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
                         f"(they are character or table styles there). Change them in Word, or {fix[0].lower()}{fix[1:]}")


class DocxRenderer:
    format = "docx"
    suffix = ".docx"
    is_directory = False

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        document = xml_safe(document)
        base = settings.style or builtin_templates_dir() / "base.docx"
        doc = open_docx(str(base))
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        for name in PARAGRAPH_STYLES:
            _ensure_style(doc, name)
        self._properties(doc, document, settings)
        self._cover(doc, document)
        counters = {"table": 0, "figure": 0}
        for depth, section in document.walk():
            doc.add_paragraph(section.title, style=f"Heading {min(depth, 9)}")
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    self._text(doc, block.text or "")
                elif isinstance(block, Table):
                    counters["table"] += 1
                    self._table(doc, block, counters["table"])
                elif isinstance(block, Chart):
                    counters["figure"] += 1
                    self._chart(doc, document, block, counters["figure"])
        self._notes(doc, document)
        buffer = io.BytesIO()
        doc.save(buffer)
        target.write_bytes(buffer.getvalue())
        normalise_zip(target, fixed_time(document))

    # -- parts ------------------------------------------------------------------------------
    def _properties(self, doc, document: Document, settings: RenderSettings) -> None:  # type: ignore[no-untyped-def]
        props = doc.core_properties
        when = fixed_time(document).replace(tzinfo=None)
        props.title = document.title
        props.subject = f"{document.organisation}: {document.period_start:%-d %B %Y} to {document.period_end:%-d %B %Y}"
        props.author = document.organisation
        props.last_modified_by = settings.generator
        props.keywords = ", ".join(["equality", "workforce", document.report] + document.keywords)
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

    def _cover(self, doc, document: Document) -> None:  # type: ignore[no-untyped-def]
        if document.not_for_publication:
            stamp = doc.add_paragraph()
            run = stamp.add_run(NOT_FOR_PUBLICATION)
            run.bold = True
            run.font.color.rgb = STAMP_COLOUR
            doc.add_paragraph(NOT_FOR_PUBLICATION_DETAIL)
            self._stamp_headers(doc)
        doc.add_paragraph(document.title, style="Title")
        if document.subtitle:
            doc.add_paragraph(document.subtitle, style="Subtitle")
        doc.add_paragraph(f"{document.organisation}. Period covered: {document.period_start:%-d %B %Y} to "
                          f"{document.period_end:%-d %B %Y}.")
        if document.summary:
            self._text(doc, document.summary)
        doc.add_paragraph("Contents", style="Heading 1")
        self._toc_field(doc)
        for depth, section in document.walk():
            if depth <= 2:
                p = doc.add_paragraph(section.title)
                p.paragraph_format.left_indent = Cm(0.6 * (depth - 1))
                p.paragraph_format.space_after = Pt(0)

    def _stamp_headers(self, doc) -> None:  # type: ignore[no-untyped-def]
        """The stamp at the top of every page header: default, first-page and even-page headers of
        every section, so that a house style with a different first page or odd/even headers
        cannot leave a page without it. A house style's own header content is kept below it."""
        for section in doc.sections:
            for header in (section.header, section.first_page_header, section.even_page_header):
                header.is_linked_to_previous = False
                first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
                if first.runs or first.text.strip():
                    first = first.insert_paragraph_before()
                run = first.add_run(NOT_FOR_PUBLICATION)
                run.bold = True
                run.font.color.rgb = STAMP_COLOUR

    def _toc_field(self, doc) -> None:  # type: ignore[no-untyped-def]
        """A Word contents field (updated when the document is opened in Word)."""
        paragraph = doc.add_paragraph()
        run = paragraph.add_run()
        for tag, text in (("begin", None), (None, 'TOC \\o "1-2" \\h \\z \\u'), ("separate", None), ("end", None)):
            if tag:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), tag)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)
        settings = doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings.append(update)

    def _text(self, doc, text: str) -> None:  # type: ignore[no-untyped-def]
        for kind, content in blocks_of(text):
            doc.add_paragraph(content, style="List Bullet" if kind == "bullet" else None)

    def _table(self, doc, table: Table, number: int) -> None:  # type: ignore[no-untyped-def]
        caption = doc.add_paragraph(f"Table {number}: {table.title}", style="Caption")
        caption.paragraph_format.keep_with_next = True
        cols = table.visible_columns
        grid = doc.add_table(rows=1 + len(table.data), cols=len(cols))
        try:
            grid.style = doc.styles["Table Grid"]
        except KeyError:
            pass
        tbl_pr = grid._tbl.tblPr
        caption_el = OxmlElement("w:tblCaption")
        caption_el.set(qn("w:val"), table.title[:250])
        tbl_pr.append(caption_el)
        header = grid.rows[0]
        tr_pr = header._tr.get_or_add_trPr()
        for tag in ("w:tblHeader", "w:cantSplit"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
        for i, col in enumerate(cols):
            cell = header.cells[i]
            cell.text = ""
            run = cell.paragraphs[0].add_run(header_label(col))
            run.bold = True
            if col.kind in NUMERIC:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for r in range(len(table.data)):
            row = grid.rows[r + 1]
            row_pr = row._tr.get_or_add_trPr()
            cant = OxmlElement("w:cantSplit")
            cant.set(qn("w:val"), "true")
            row_pr.append(cant)
            for i, col in enumerate(cols):
                cell = row.cells[i]
                text = cell_text(table, r, col) or "[z]"
                paragraph = cell.paragraphs[0]
                target = link_target(table.data.at[r, col.link]) if col.link in table.data.columns else None
                if target:
                    _hyperlink(paragraph, text, target)
                else:
                    paragraph.add_run(text)
                if col.kind in NUMERIC:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if table.total_row and len(table.data):
            for cell in grid.rows[len(table.data)].cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
        self._widths(doc, grid, table, cols)
        for note in table.notes:
            p = doc.add_paragraph(f"Note: {note}")
            p.runs[0].font.size = Pt(10)
        if table.source:
            p = doc.add_paragraph(f"Source: {table.source}")
            p.runs[0].font.size = Pt(10)

    def _widths(self, doc, grid, table: Table, cols) -> None:  # type: ignore[no-untyped-def]
        """Share the text width: label and text columns wider than number columns."""
        section = doc.sections[-1]
        available = section.page_width - section.left_margin - section.right_margin
        weights = []
        for col in cols:
            texts = [cell_text(table, r, col) for r in range(len(table.data))] + [header_label(col)]
            longest_word = max(len(w) for t in texts for w in (t.split() or [""]))
            if col.kind in NUMERIC:
                weights.append(max(1.0, longest_word / 6.0))
            else:
                longest = max(len(t) for t in texts)
                weights.append(min(max(longest / 14, longest_word / 6.5, 1.3), 4.0))
        total = sum(weights)
        grid.autofit = False
        grid_cols = grid._tbl.tblGrid.findall(qn("w:gridCol"))
        for i, weight in enumerate(weights):
            width = int(available * weight / total)
            grid_cols[i].set(qn("w:w"), str(int(width / 635)))  # EMU to twentieths of a point
            for cell in grid.columns[i].cells:
                cell.width = width

    def _chart(self, doc, document: Document, chart: Chart, number: int) -> None:  # type: ignore[no-untyped-def]
        doc.add_paragraph(f"Figure {number}: {chart.title}", style="Caption").paragraph_format.keep_with_next = True
        picture = doc.add_picture(io.BytesIO(chart_png(document, chart)), width=Cm(15.5))
        doc_pr = picture._inline.docPr
        doc_pr.set("descr", chart_description(document, chart))
        doc_pr.set("title", chart.title)
        doc_pr.set("name", f"Figure {number}")

    def _notes(self, doc, document: Document) -> None:  # type: ignore[no-untyped-def]
        symbols = symbols_used(document)
        if not symbols and not document.notes:
            return
        doc.add_paragraph("Notes", style="Heading 1")
        for symbol, meaning in symbols.items():
            doc.add_paragraph(f"{symbol}: {meaning}.", style="List Bullet")
        for note in document.notes:
            doc.add_paragraph(note)


def _hyperlink(paragraph, text: str, target: str) -> None:  # type: ignore[no-untyped-def]
    """A real hyperlink run (blue, underlined) to a target :func:`link_target` allowed."""
    rel_id = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F4E9E")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.extend([color, underline])
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
