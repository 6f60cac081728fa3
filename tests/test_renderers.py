"""Renderers read back: Word with python-docx, Excel with openpyxl, CSV and JSON as text."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from equality_reports.document import Chart, Column, Document, Figure, Paragraph, Table
from equality_reports.narrative import render_narrative
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.csv import CsvRenderer
from equality_reports.renderers.docx import DocxRenderer
from equality_reports.renderers.json import JsonRenderer
from equality_reports.renderers.xlsx import XlsxRenderer
from equality_reports.templating import TextRenderer

INJECTION = '=HYPERLINK("http://x","y")'


def sample_document(audience: str = "publication") -> Document:
    doc = Document(report="demo", title="Demo workforce report", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31), subtitle="Staff in post",
                   audience=audience)  # type: ignore[arg-type]
    data = pd.DataFrame({"group": ["White", "Ethnic minority", INJECTION], "staff": [120, 4, 30],
                         "pct": [120 / 154 * 100, 4 / 154 * 100, 30 / 154 * 100], "rr": [1.0, None, 0.5],
                         "doc": ["Policy", "Minutes", "Web page"],
                         "where": ["evidence/policy.md", "", "https://example.org/page"]})
    table = Table("by_group", "Staff by group", [
        Column("group", "Ethnic group"), Column("staff", "Staff", "count"),
        Column("pct", "Share", "percent", derived_from=("staff",)),
        Column("rr", "Relative rate", "ratio", derived_from=("staff",)),
        Column("doc", "Evidence", link="where"), Column("where", "Location", hidden=True)], data,
        notes=["Shares are of all staff."])
    table.suppressed.update({(1, "staff"), (1, "pct")})
    top = doc.section("staff", "Staff in post")
    top.add(Paragraph(text="Intro paragraph.\n\n- first point\n- second point"), table,
            Chart("c1", "Share of staff", table="by_group", category="group", values=["pct"]))
    top.subsection("detail", "Detail").subsection("more", "More detail").add(Paragraph(text="Deep."))
    doc.section("end", "Next steps").add(Paragraph(text="Done."))
    doc.add_figure(Figure("demo.staff.white.count", "White staff", 120, "count"))
    doc.notes.append("Numbers from 1 to 9 are withheld.")
    render_narrative(doc, TextRenderer())
    return doc


def render(renderer, doc: Document, path: Path, style: Path | None = None) -> Path:  # type: ignore[no-untyped-def]
    renderer.render(doc, path, RenderSettings(style=style))
    return path


def test_docx_structure_and_accessibility(tmp_path: Path) -> None:
    path = render(DocxRenderer(), sample_document(), tmp_path / "r.docx")
    d = read_docx(str(path))
    props = d.core_properties
    assert props.title == "Demo workforce report: Testshire Council, 2025/26" and props.language == "en-GB"
    assert props.created.date() == date(2026, 3, 31) and props.author == "Testshire Council"
    styles = [p.style.name for p in d.paragraphs]
    headings = [int(s.split()[-1]) for s in styles if s.startswith("Heading")]
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:])), headings  # no skipped levels
    assert "Title" in styles and "List Bullet" in styles
    [table] = d.tables
    first_row = table.rows[0]._tr
    assert first_row.trPr.find(qn("w:tblHeader")) is not None
    xml = table._tbl.xml
    assert "w:gridSpan" not in xml and "w:vMerge" not in xml
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert cells[0] == ["Ethnic group", "Staff", "Share (%)", "Relative rate", "Evidence"]
    assert cells[2][:4] == ["Ethnic minority", "[c]", "[c]", "[x]"]
    assert all(text.strip() for row in cells for text in row)  # no empty cells
    assert cells[3][0] == INJECTION
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    assert captions == ["Table 1: Staff by group", "Figure 1: Share of staff\n"]
    # the chart is in its caption's paragraph, after a line break: never a page apart from it
    figure = next(p for p in d.paragraphs if p.text.startswith("Figure 1"))
    assert figure._p.xpath(".//w:br") and figure._p.xpath(".//wp:docPr[@name='Figure 1']")
    assert figure.paragraph_format.keep_together  # nor split: a two-line caption stays with its chart
    body = d.element.body.xml
    assert 'descr="Bar chart: Share of staff. White: 77.9%; Ethnic minority: withheld;' in body
    rels = [r.target_ref for r in d.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert set(rels) == {"evidence/policy.md", "https://example.org/page"}
    text = "\n".join(p.text for p in d.paragraphs)
    assert "[c]: confidential" in text and "Not for publication" not in text


def test_docx_internal_is_stamped_and_house_style_used(tmp_path: Path) -> None:
    from docx import Document as new_docx

    style = tmp_path / "house.docx"
    house = new_docx()
    house.styles["Normal"].font.name = "Verdana"
    house.save(str(style))
    path = render(DocxRenderer(), sample_document("internal"), tmp_path / "r.docx", style)
    d = read_docx(str(path))
    assert d.styles["Normal"].font.name == "Verdana"
    assert d.paragraphs[0].text.startswith("NOT FOR PUBLICATION")
    assert d.sections[0].header.paragraphs[0].text.startswith("NOT FOR PUBLICATION")


def test_xlsx_follows_spreadsheet_guidance(tmp_path: Path) -> None:
    path = render(XlsxRenderer(), sample_document(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    assert wb.properties.title == "Demo workforce report: Testshire Council, 2025/26" and wb.properties.creator == "Testshire Council"
    ws = wb[wb.sheetnames[3]]
    assert ws["A1"].value == "Staff by group"
    assert len(ws.tables) == 1
    (tbl,) = ws.tables.values()
    assert tbl.ref == "A4:E7"
    for sheet in wb.worksheets:
        assert not sheet.merged_cells.ranges
    assert [c.value for c in ws[4]] == ["Ethnic group", "Staff", "Share (%)", "Relative rate", "Evidence"]
    assert ws["B5"].value == 120 and ws["B5"].number_format == "#,##0"
    assert ws["C5"].number_format == "0.0" and ws["D5"].number_format == "0.00"
    assert ws["B6"].value == "[c]" and ws["D6"].value == "[x]"
    assert ws["A7"].value == INJECTION and ws["A7"].data_type == "s"
    assert ws["E7"].hyperlink.target == "https://example.org/page"
    with zipfile.ZipFile(path) as zf:
        drawings = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/drawings/drawing")]
    assert any('descr="Bar chart: Share of staff.' in d for d in drawings)


def test_csv_and_json_publish_what_the_tables_show(tmp_path: Path) -> None:
    folder = render(CsvRenderer(), sample_document("internal"), tmp_path / "r-csv")
    stamp, *rows = list(csv.reader((folder / "by_group.csv").open(encoding="utf-8")))
    assert stamp == ["NOT FOR PUBLICATION: internal output without disclosure control"]
    assert rows[0] == ["Ethnic group", "Staff", "Share (%)", "Relative rate", "Evidence", "Location"]
    assert rows[2][:4] == ["Ethnic minority", "[c]", "[c]", "[x]"]
    assert (folder / "NOT-FOR-PUBLICATION.txt").exists() and (folder / "notes.csv").exists()
    path = render(JsonRenderer(), sample_document(), tmp_path / "r.json")
    data = json.loads(path.read_text())
    assert data["report"] == "demo" and data["period"] == {"start": "2025-04-01", "end": "2026-03-31"}
    assert data["figures"]["demo.staff.white.count"]["value"] == 120
    assert data["tables"]["by_group"]["rows"][1][:4] == ["Ethnic minority", "[c]", "[c]", "[x]"]


@pytest.mark.parametrize("renderer,name", [(DocxRenderer(), "r.docx"), (XlsxRenderer(), "r.xlsx")])
def test_documents_are_byte_identical(tmp_path: Path, renderer, name: str) -> None:  # type: ignore[no-untyped-def]
    a = render(renderer, sample_document(), tmp_path / f"a-{name}").read_bytes()
    b = render(renderer, sample_document(), tmp_path / f"b-{name}").read_bytes()
    assert a == b


@pytest.mark.office
def test_outputs_open_in_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for the office tests: install libreoffice-writer-nogui and -calc-nogui"
    files = [render(DocxRenderer(), sample_document(), tmp_path / "r.docx"),
             render(XlsxRenderer(), sample_document(), tmp_path / "s.xlsx")]
    profile = f"file:///tmp/lo-test-{uuid.uuid4().hex}"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *map(str, files)], check=True, capture_output=True, timeout=240)
    for stem in ("r", "s"):
        pdf = tmp_path / f"{stem}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000
        assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("target, link", [
    ("mailto:equality@council.gov.uk", "mailto:equality@council.gov.uk"),
    ("https://www.gov.uk/guidance", "https://www.gov.uk/guidance"),
    ("mailto:a@b.c?attach=/etc/passwd", None),  # some mail programs attach the file named
    ("mailto:a@b.c?body=hello", None),
    ("mailto:mailto:x@y.com", None),
    ("mailto:https://user:pw@evil.example/", None),
    ("mailto:", None),
    ("https://user:pw@evil.example/", None),
    ("javascript:alert(1)", None),
])
def test_only_plain_web_and_mail_addresses_become_links(target: str, link: str | None) -> None:
    from equality_reports.renderers.common import link_target

    assert link_target(target) == link


def test_a_text_column_of_numbers_as_published_is_right_aligned(tmp_path: Path) -> None:
    """Figures restated as published ("19.5%", "[c]", "not calculable") line up like numbers, in
    Word and HTML; a column of words stays left-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from equality_reports.renderers.html import HtmlRenderer

    doc = Document(report="demo", title="Demo", organisation="Testshire Council", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31))
    data = pd.DataFrame({"measure": ["Share", "Ratio", "Gap", "Pay"],
                         "value": ["19.5%", "[c]", "not calculable", "£1,234.50"],
                         "words": ["high", "low", "none", "some"]})
    doc.section("s", "Figures").add(Table("figs", "Figures", [Column("measure", "Measure"), Column("value", "Value"),
                                                              Column("words", "Reading")], data, row_key="measure",
                                          rows_additive=False))
    render_narrative(doc, TextRenderer())
    [table] = read_docx(str(render(DocxRenderer(), doc, tmp_path / "r.docx"))).tables
    aligned = [[c.paragraphs[0].alignment for c in row.cells] for row in table.rows]
    assert all(row[1] == WD_ALIGN_PARAGRAPH.RIGHT for row in aligned)  # the heading too
    assert all(row[0] is None and row[2] is None for row in aligned)
    html = render(HtmlRenderer(), doc, tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count('class="num"') == 5  # the Value heading and its four cells


def test_docx_title_page_states_the_publication_date_and_contact_when_given(tmp_path: Path) -> None:
    from equality_reports.renderers import Publication

    plain = read_docx(str(render(DocxRenderer(), sample_document(), tmp_path / "plain.docx")))
    assert not any(p.text.startswith(("Published ", "Contact:")) for p in plain.paragraphs)
    settings = RenderSettings(publication=Publication("Equality team, equality@testshire.gov.uk", date(2026, 6, 30)))
    DocxRenderer().render(sample_document(), tmp_path / "r.docx", settings)
    texts = [p.text for p in read_docx(str(tmp_path / "r.docx")).paragraphs]
    start = texts.index("Published 30 June 2026.")
    assert texts[start - 1].startswith("Testshire Council. Period covered:") or "Period covered:" in texts[start - 1]
    assert texts[start + 1] == "Contact: Equality team, equality@testshire.gov.uk"


def test_docx_subtitle_keeps_each_date_on_one_line(tmp_path: Path) -> None:
    doc = sample_document()
    doc.subtitle = "Testshire Council: pay of men and women on 31 March 2026"
    d = read_docx(str(render(DocxRenderer(), doc, tmp_path / "r.docx")))
    subtitle = next(p.text for p in d.paragraphs if p.style.name == "Subtitle")
    assert subtitle == "Testshire Council: pay of men and women on 31\u00a0March\u00a02026"
