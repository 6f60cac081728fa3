"""Word documents as a reader sees them: LibreOffice lays out every sample output, and no table
word is broken across lines; footers, page-number fields and the filled-in contents read back."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from test_renderers import render, sample_document

from equality_reports.document import Paragraph
from equality_reports.renderers.docx import DocxRenderer
from equality_reports.renderers.docx_pages import Heading, find_headings, page_lines

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("council", "nhs_trust", "small_body", "social_care")


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for the office tests: install libreoffice-writer-nogui"
    return soffice


def _to_pdf(files: list[Path], outdir: Path) -> None:
    profile = f"file:///tmp/lo-test-{uuid.uuid4().hex}"
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=240)


def _pdf_pages(pdf: Path) -> list[list[str]]:
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    return page_lines(html.decode("utf-8"))


def _normal(word: str) -> str:
    return unicodedata.normalize("NFKC", word).replace("\u2011", "-")


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path]]:
    """Every sample dataset's Word outputs (run in parallel) and their PDFs (one conversion)."""
    out = tmp_path_factory.mktemp("samples")

    def run(sample: str) -> None:
        subprocess.run([sys.executable, "-m", "equality_reports", "run", "--all", "--data", str(ROOT / "sample_data" / sample),
                        "--format", "docx", "--out", str(out / sample)], check=True, capture_output=True, timeout=300)

    with ThreadPoolExecutor(len(SAMPLES)) as pool:
        list(pool.map(run, SAMPLES))
    pairs = []
    for sample in SAMPLES:
        docs = sorted((out / sample).glob("*.docx"))
        assert docs, sample
        _to_pdf(docs, out / sample / "pdf")
        pairs += [(doc, out / sample / "pdf" / f"{doc.stem}.pdf") for doc in docs]
    return pairs


def _docx_words(path: Path) -> tuple[Counter[str], set[str]]:
    """The words of the table cells (whole: they must never be broken), and every piece of text
    the document may show anywhere (body text may wrap after a hyphen or slash)."""
    d = read_docx(str(path))
    cells: Counter[str] = Counter()
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                cells.update(_normal(w) for w in cell.text.split())
    texts = [p.text for p in d.paragraphs] + [p.text for s in d.sections for p in s.footer.paragraphs]
    known = set(cells)
    for text in texts:
        for word in text.split():
            word = _normal(word)
            known.add(word)
            known.update(part for part in re.split(r"(?<=[-/\u2013\u2014])", word) if part)
    return cells, known


@pytest.mark.office
def test_no_table_word_is_broken_in_any_sample_output(sample_outputs: list[tuple[Path, Path]]) -> None:
    # every report run --all picks for the four samples (RRAA, the WRES returns, the evidence pack,
    # WDES and the two pay gap reports)
    assert len(sample_outputs) == 17
    for docx_path, pdf in sample_outputs:
        cells, known = _docx_words(docx_path)
        pdf_words = Counter(_normal(w) for page in _pdf_pages(pdf) for line in page for w in line.split())
        missing = {w: n for w, n in cells.items() if pdf_words[w] < n}
        assert not missing, f"{docx_path.name}: table words not whole in the PDF: {sorted(missing)[:20]}"
        # contents leaders ('Notes.....14'), page numbers and list bullets (a private-use glyph)
        # aside, the PDF shows no fragment of a word
        pieces = {p for w in pdf_words for p in re.split(r"\.{2,}", w)
                  if p and not p.isdigit() and unicodedata.category(p[0]) != "Co"}
        fragments = sorted(pieces - known)
        assert not fragments, f"{docx_path.name}: words split in the PDF: {fragments[:20]}"


@pytest.mark.office
def test_no_sample_page_but_the_last_is_left_nearly_empty(sample_outputs: list[tuple[Path, Path]]) -> None:
    """A page holding a line or two (the end of a section before a chapter that starts a new page)
    looks like a mistake: every page before the last has more than its footer's two lines and a
    few of its own (pdftotext counts each table cell's line, so full pages count dozens)."""
    thin = []
    for docx_path, pdf in sample_outputs:
        pages = _pdf_pages(pdf)
        thin += [(docx_path.parent.name, docx_path.name, n + 1, page) for n, page in enumerate(pages[:-1])
                 if len(page) < 8]
    assert not thin, thin[:5]


@pytest.mark.office
def test_sample_contents_give_the_pages_libreoffice_shows(sample_outputs: list[tuple[Path, Path]]) -> None:
    """The sample runs estimated the contents' page numbers (the tests hide LibreOffice from
    the renderer): every heading is listed, with a page within three of where it lands."""
    for docx_path, pdf in sample_outputs:
        d = read_docx(str(docx_path))
        entries = _contents(d)
        pages = _pdf_pages(pdf)
        found = find_headings(pages, [Heading(name, text) for name, text, _ in entries])
        assert found is not None, docx_path.name
        # the estimate drifts with length: within three pages, or 8% of the way into a long
        # document (the 50-page evidence pack)
        for name, text, page in entries:
            assert abs(page - found[name]) <= max(3, round(0.08 * found[name])), (docx_path.name, text, page,
                                                                                  found[name])
        assert abs(_numpages(d) - len(pages)) <= max(3, round(0.08 * len(pages)))


def _contents(d) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    """(bookmark, text, cached page) of each contents entry."""
    entries = []
    for link in d.element.body.iter(qn("w:hyperlink")):
        anchor = link.get(qn("w:anchor"))
        if anchor and anchor.startswith("_Toc"):
            instr = "".join(t.text for t in link.iter(qn("w:instrText")))
            assert instr.strip() == f"PAGEREF {anchor} \\h"
            texts = [t.text for t in link.iter(qn("w:t"))]
            entries.append((anchor, texts[0], int(texts[-1])))
    return entries


def _numpages(d) -> int:  # type: ignore[no-untyped-def]
    footer = d.sections[0].footer._element
    runs = list(footer.iter(qn("w:r")))
    instr = [i for i, r in enumerate(runs) if "NUMPAGES" in "".join(t.text for t in r.iter(qn("w:instrText")))]
    assert instr
    return int("".join(t.text for t in runs[instr[0] + 2].iter(qn("w:t"))))


def test_footer_has_organisation_title_period_and_page_fields(tmp_path: Path) -> None:
    d = read_docx(str(render(DocxRenderer(), sample_document(), tmp_path / "r.docx")))
    for section in d.sections:
        for footer in (section.footer, section.first_page_footer, section.even_page_footer):
            xml = footer._element.xml
            lines = [p.text for p in footer.paragraphs if p.text]
            # two lines: a long title never leaves the period or "of M" alone on a line
            assert lines[0] == "Testshire Council · Demo workforce report", lines
            text = "".join(t.text for t in footer.paragraphs[-1]._p.iter(qn("w:t")))
            assert re.fullmatch(r"2025/26 · Page 1 of \d+", text), text
            instructions = [i.text.strip() for i in footer._element.iter(qn("w:instrText"))]
            assert instructions == ["PAGE", "NUMPAGES"], xml
    assert d.settings.element.find(qn("w:updateFields")) is None


def test_contents_is_a_filled_toc_field_linking_to_heading_bookmarks(tmp_path: Path) -> None:
    d = read_docx(str(render(DocxRenderer(), sample_document(), tmp_path / "r.docx")))
    body = d.element.body
    instructions = [i.text.strip() for i in body.iter(qn("w:instrText"))]
    assert instructions[0] == 'TOC \\o "1-2" \\h \\z \\u'
    entries = _contents(d)
    # levels 1 and 2 are listed, level 3 is not; each entry points at a bookmark on its heading
    assert [text for _, text, _ in entries] == ["Staff in post", "Detail", "Next steps", "Notes"]
    marks = {m.get(qn("w:name")): "".join(t.text for t in m.getparent().iter(qn("w:t")))
             for m in body.iter(qn("w:bookmarkStart"))}
    assert all(marks[name] == text for name, text, _ in entries)
    pages = [page for _, _, page in entries]
    assert pages == sorted(pages) and pages[0] >= 1 and pages[-1] <= _numpages(d)
    styles = [p.style.name.lower() for p in d.paragraphs if p.text.split("\t")[0] in ("Detail", "Next steps")]
    assert styles == ["toc 2", "toc 1", "heading 2", "heading 1"]  # no static list besides the field
    fld = [c.get(qn("w:fldCharType")) for c in body.iter(qn("w:fldChar"))]
    assert fld.count("begin") == fld.count("end") == 1 + len(entries)


@pytest.mark.office
def test_contents_pages_come_from_libreoffice_when_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EQUALITY_REPORTS_SOFFICE", _soffice())
    document = sample_document()
    for _ in range(3):  # push the later sections a few pages on
        document.sections[0].blocks.insert(0, Paragraph(text=" ".join(["Workforce"] * 700)))
    path = render(DocxRenderer(), document, tmp_path / "r.docx")
    _to_pdf([path], tmp_path)
    pages = _pdf_pages(tmp_path / "r.pdf")
    d = read_docx(str(path))
    entries = _contents(d)
    found = find_headings(pages, [Heading(name, text) for name, text, _ in entries])
    assert found is not None and {name: page for name, _, page in entries} == found
    assert _numpages(d) == len(pages) > 1
