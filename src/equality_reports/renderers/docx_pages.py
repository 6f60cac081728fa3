"""On which page each heading of a Word document lands, for the filled-in contents list.

Measured by laying the document out with LibreOffice (``soffice``, PDF) and reading the heading
lines back with ``pdftotext -bbox-layout``, when both are installed; otherwise, or when that
fails, estimated from the text, the font metrics, tables, pictures and page breaks. The program is
found as ``$EQUALITY_REPORTS_SOFFICE`` (empty: do not use LibreOffice), else ``soffice`` on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from equality_reports.renderers.docx_layout import CELL_MARGINS_PT, wrapped_lines

#: line height of Arial relative to its size (ascent plus descent)
LINE_FACTOR = 1.15
#: a table with up to this many rows below its header is kept whole on one page
KEEP_WHOLE_ROWS = 8
#: what a longer table keeps together at its start: its header and first two rows
KEPT_HEAD_ROWS = 3
#: time allowed for LibreOffice to lay out one document, in seconds
SOFFICE_TIMEOUT = 120
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Heading:
    """A contents entry: its bookmark and its text as it appears on the page."""

    bookmark: str
    text: str


def soffice_program() -> str | None:
    """The LibreOffice program to lay documents out with, or None."""
    chosen = os.environ.get("EQUALITY_REPORTS_SOFFICE")
    if chosen is not None:
        return shutil.which(chosen) if chosen else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def measuring_programs() -> tuple[str, str] | None:
    """LibreOffice and pdftotext, which measure the pages, or None when either is missing."""
    soffice, pdftotext = soffice_program(), shutil.which("pdftotext")
    return (soffice, pdftotext) if soffice and pdftotext else None


def measured_pages(docx: bytes, headings: list[Heading]) -> tuple[dict[str, int], int] | None:
    """Each heading's page and the page count, as LibreOffice lays ``docx`` out; None when it cannot."""
    programs = measuring_programs()
    if programs is None:
        return None
    soffice, pdftotext = programs
    with tempfile.TemporaryDirectory(prefix="equality-reports-pages-") as tmp:
        folder = Path(tmp)
        (folder / "doc.docx").write_bytes(docx)
        try:
            profile = (folder / "profile").as_uri()
            subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                            "--convert-to", "pdf", "--outdir", str(folder), str(folder / "doc.docx")],
                           check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
            subprocess.run([pdftotext, "-bbox-layout", str(folder / "doc.pdf"), str(folder / "doc.html")],
                           check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
            pages = page_lines((folder / "doc.html").read_text(encoding="utf-8"))
        except (OSError, subprocess.SubprocessError, ET.ParseError):
            return None
    found = find_headings(pages, headings)
    return (found, len(pages)) if found is not None else None


def page_lines(bbox_html: str) -> list[list[str]]:
    """The text lines of each page of ``pdftotext -bbox-layout`` output, in reading order. Word
    boxes that touch are one word (LibreOffice draws a non-breaking hyphen as a separate piece)."""
    root = ET.fromstring(bbox_html)
    pages = []
    for page in root.iter(f"{_XHTML}page"):
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            text, right = "", None
            for word in line.iter(f"{_XHTML}word"):
                left = float(word.get("xMin", 0))
                touching = right is not None and left - right < 0.5
                text = f"{text}{'' if touching or not text else ' '}{word.text or ''}"
                right = float(word.get("xMax", 0))
            lines.append(text)
        pages.append(lines)
    return pages


def _letters(text: str) -> str:
    """Text without spaces: a heading wrapped after a hyphen reads back as 'self- assessment'."""
    return re.sub(r"\s+", "", text.replace("\u2011", "-"))


def find_headings(pages: list[list[str]], headings: list[Heading]) -> dict[str, int] | None:
    """The page of each heading, found in order as whole lines (a wrapped heading spans several);
    contents entries, which end in a page number, never match. None if one is not found."""
    lines = [(number, _letters(text)) for number, page in enumerate(pages, start=1) for text in page]
    found: dict[str, int] = {}
    cursor = 0
    for heading in headings:
        want = _letters(heading.text)
        for start in range(cursor, len(lines)):
            joined, end = "", start
            while end < len(lines) and len(joined) < len(want):
                joined += lines[end][1]
                end += 1
            if joined == want:
                found[heading.bookmark] = lines[start][0]
                cursor = end
                break
        else:
            return None
    return found


# -- estimate ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Page:
    height: float  # text height, in points
    width: float  # text width, in points


def _geometry(sect_pr) -> _Page:  # type: ignore[no-untyped-def]
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))

    def twips(el, attr: str, default: float) -> float:  # type: ignore[no-untyped-def]
        value = el.get(qn(attr)) if el is not None else None
        return float(value) / 20 if value else default

    return _Page(twips(size, "w:h", 841.9) - twips(margins, "w:top", 72) - twips(margins, "w:bottom", 72),
                 twips(size, "w:w", 595.3) - twips(margins, "w:left", 72) - twips(margins, "w:right", 72))


def _resolved(style, attr: str):  # type: ignore[no-untyped-def]
    """A paragraph-format or font attribute of a style, following its base styles."""
    while style is not None:
        owner = style.font if attr == "size" else style.paragraph_format
        value = getattr(owner, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


class _Estimator:
    """Lays out paragraphs, tables and pictures line by line, page by page. Paragraphs kept with
    the next (headings, introductions, captions) move with a table that goes to a new page to stay
    whole, and with a paragraph (a chart) that does not fit below them."""

    def __init__(self, doc, family: str) -> None:  # type: ignore[no-untyped-def]
        self.doc, self.family = doc, family
        self.page, self.used = 1, 0.0
        self.found: dict[str, int] = {}
        self.kept: tuple[float, list[str]] = (0.0, [])  # height and bookmarks of the paragraphs kept with the next
        self.styles: dict[str, tuple[float, float, float, float, bool]] = {}

    def _style(self, p) -> tuple[float, float, float, float, bool]:  # type: ignore[no-untyped-def]
        """Font size, space before and after, line spacing and keep-with-next of its style."""
        named = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        key = named.get(qn("w:val")) if named is not None else ""
        if key not in self.styles:
            style = DocxParagraph(p, self.doc).style
            size = _resolved(style, "size")
            spacing = _resolved(style, "line_spacing")
            after = _resolved(style, "space_after")
            self.styles[key] = (size.pt if size else 11.0, (_resolved(style, "space_before") or 0) / 12700,
                                10.0 if after is None else after / 12700,
                                spacing if isinstance(spacing, float) else 1.15,
                                bool(_resolved(style, "keep_with_next")))
        return self.styles[key]

    def _new_page(self) -> None:
        self.page, self.used, self.kept = self.page + 1, 0.0, (0.0, [])

    def paragraph(self, p, room: _Page) -> None:  # type: ignore[no-untyped-def]
        paragraph = DocxParagraph(p, self.doc)
        size, before, after, spacing, keep = self._style(p)
        if paragraph.runs and paragraph.runs[0].font.size is not None:
            size = paragraph.runs[0].font.size.pt
        keep = keep or bool(paragraph.paragraph_format.keep_with_next)
        bold = any(run.bold for run in paragraph.runs)
        lines = wrapped_lines(paragraph.text, room.width, size, bold, self.family) if paragraph.text.strip() else 1
        pictures = [int(e.get("cy")) / 12700 for e in p.iter(qn("wp:extent"))]
        height = max([lines * size * LINE_FACTOR * spacing, *pictures]) + before + after
        if self.used and (self.used + height > room.height or paragraph.paragraph_format.page_break_before):
            (kept, moved), used = self.kept, self.used
            self._new_page()
            if not paragraph.paragraph_format.page_break_before and kept < used and kept + height <= room.height:
                # the paragraphs kept with this one (a heading, an introduction, a chart's caption) go with it
                self.used, self.kept = kept, (kept, moved)
                self.found.update(dict.fromkeys(moved, self.page))
        self.used += height
        marks = [m.get(qn("w:name")) for m in p.iter(qn("w:bookmarkStart"))]
        self.found.update(dict.fromkeys(marks, self.page))
        self.kept = (self.kept[0] + height, self.kept[1] + marks) if keep else (0.0, [])

    def table(self, tbl, room: _Page) -> None:  # type: ignore[no-untyped-def]
        widths = [float(col.get(qn("w:w"))) / 20 for col in tbl.iter(qn("w:gridCol"))]
        set_margins = [float(el.get(qn("w:w"))) / 20 for mar in tbl.iter(qn("w:tblCellMar"))
                       for el in mar if el.tag in (qn("w:left"), qn("w:right"))]
        margins = sum(set_margins) if set_margins else CELL_MARGINS_PT
        heights = []
        for number, tr in enumerate(tbl.iter(qn("w:tr"))):
            height = 0.0
            for width, tc in zip(widths, tr.iter(qn("w:tc"))):
                size, before, after, spacing, _ = self._style(next(tc.iter(qn("w:p"))))
                sizes = [int(sz.get(qn("w:val"))) / 2 for sz in tc.iter(qn("w:sz"))]
                size = sizes[0] if sizes else size
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                lines = wrapped_lines(text, width - margins, size, number == 0, self.family)
                height = max(height, lines * size * LINE_FACTOR * spacing + before + after + 1)
            heights.append(height)
        kept, marks = self.kept
        block = kept_height(heights)
        if self.used + block > room.height >= kept + block and self.used > kept:
            self._new_page()  # the table is kept whole, with its caption and headings
            self.used = kept
            self.found.update(dict.fromkeys(marks, self.page))
        for number, height in enumerate(heights):
            if self.used and self.used + height > room.height:
                self._new_page()
                self.used = heights[0] if number else 0.0
            self.used += height
        self.kept = (0.0, [])


def kept_height(heights: list[float]) -> float:
    """The height of the part of a table (row heights, header first) the docx renderer keeps on one
    page: all of a short table, only the header and first two rows of a long one."""
    return sum(heights) if len(heights) - 1 <= KEEP_WHOLE_ROWS else sum(heights[:KEPT_HEAD_ROWS])


def estimated_pages(doc, family: str) -> tuple[dict[str, int], int]:  # type: ignore[no-untyped-def]
    """Each bookmark's page and the page count, estimated from the document's content."""
    body = doc.element.body
    breaks = [p.find(qn("w:pPr")).find(qn("w:sectPr")) for p in body.iter(qn("w:p"))
              if p.find(qn("w:pPr")) is not None and p.find(qn("w:pPr")).find(qn("w:sectPr")) is not None]
    sections = [_geometry(s) for s in [*breaks, body.find(qn("w:sectPr"))]]
    estimator, section = _Estimator(doc, family), 0
    for child in body:
        room = sections[min(section, len(sections) - 1)]
        if child.tag == qn("w:tbl"):
            estimator.table(child, room)
        elif child.tag == qn("w:p"):
            estimator.paragraph(child, room)
            ppr = child.find(qn("w:pPr"))
            if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
                section += 1
                estimator._new_page()
    return estimator.found, max(1, estimator.page - (1 if estimator.used == 0 and estimator.page > 1 else 0))
