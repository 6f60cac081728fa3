"""The spreadsheets (Excel and ODS) against the Analysis Function checklist, read back with openpyxl,
pandas' odf reader and LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from openpyxl import load_workbook

from equality_reports.document import Column, Document, Table
from equality_reports.intake.config_check import check_config, publication_details
from equality_reports.intake.contract import default_contract
from equality_reports.plugins import PluginHost
from equality_reports.renderers import Publication, RenderSettings
from equality_reports.renderers.ods import OdsRenderer
from equality_reports.renderers.workbook import typed_text
from equality_reports.renderers.xlsx import XlsxRenderer

LONG = "Indicator 3: relative likelihood of entering the formal disciplinary process"
PUBLICATION = Publication(contact="equality@testshire.gov.uk", published=date(2026, 6, 30),
                          source="Testshire HR system, extract of 31 March 2026")


def document(audience: str = "publication") -> Document:
    """Two tables whose titles share their first 31 characters, one wide, numbers as text from a
    restated headline, a date column, withheld and not calculable cells."""
    doc = Document(report="demo", title="Demo workforce report", organisation="Testshire Council",
                   period_start=date(2025, 4, 1), period_end=date(2026, 3, 31), audience=audience)  # type: ignore[arg-type]
    counts = pd.DataFrame({"group": ["White", "Black", "All staff"], "staff": [1620, 4, 1700],
                           "pct": [95.29, 0.2353, 100.0], "since": [date(2024, 4, 1), date(2025, 1, 6), None]})
    first = Table("by_group", f"{LONG} (all staff)", [
        Column("group", "Ethnic group"), Column("staff", "Staff", "count"),
        Column("pct", "Share", "percent", derived_from=("staff",)), Column("since", "Counted since", "date")],
        counts, total_row=True, notes=["Shares are of all staff."])
    first.suppressed.update({(1, "staff"), (1, "pct")})
    restated = pd.DataFrame({"number": ["1", "7a"], "value": ["19.5%", "1,486"], "change": ["+2.4 percentage points",
                                                                                            "not calculable"],
                             "when": ["7 Mar 2026", "Not stated"], **{f"c{i}": ["wide column text"] * 2
                                                                        for i in range(6)}})
    second = Table("summary", f"{LONG} (summary)", [Column("number", "Indicator"), Column("value", "This year"),
                                                    Column("change", "Change"), Column("when", "Reviewed"),
                                                    *[Column(f"c{i}", f"Column {i}") for i in range(6)]],
                   restated, row_key="number", rows_additive=False,
                   notes=["Values are as published.", "Shares are of all staff."])
    doc.section("s", "Staff").add(first, second)
    return doc


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "r.xlsx"
    XlsxRenderer().render(document(), path, RenderSettings(publication=PUBLICATION))
    return path


@pytest.fixture(scope="module")
def ods(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ods") / "r.ods"
    OdsRenderer().render(document(), path, RenderSettings(publication=PUBLICATION))
    return path


def test_sheet_names_are_short_unique_and_titles_are_whole(xlsx: Path) -> None:
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Cover", "Contents", "Notes", "Table_1", "Table_2"]
    assert all(len(n) <= 31 for n in wb.sheetnames)
    assert wb["Table_1"]["A1"].value == f"{LONG} (all staff)" and wb["Table_2"]["A1"].value == f"{LONG} (summary)"
    contents = wb["Contents"]
    rows = [[c.value for c in r] for r in contents.iter_rows(min_row=3)]
    assert rows[0] == ["Sheet name", "Table title"]
    assert rows[1:] == [["Notes", "Notes and symbols used in the tables"], ["Table_1", f"{LONG} (all staff)"],
                        ["Table_2", f"{LONG} (summary)"]]
    assert [contents.cell(r, 1).hyperlink.location for r in (4, 5, 6)] == ["'Notes'!A1", "'Table_1'!A1",
                                                                           "'Table_2'!A1"]
    notes = [[c.value for c in r] for r in wb["Notes"].iter_rows(min_row=4)]
    # a note two tables carry is one note, naming both (the title not cut at 60 characters)
    assert ["Note 1", f"Table_1: {LONG} (all staff); Table_2: {LONG} (summary)", "Shares are of all staff."] in notes
    assert ["Note 2", f"Table_2: {LONG} (summary)", "Values are as published."] in notes
    # a symbol is explained with the tables showing it; one no table shows is not listed
    symbols = {row[0]: row[1] for row in notes if row[0] in ("[c]", "[x]", "[z]")}
    assert symbols == {"[c]": "Table_1", "[x]": "Table_1"}
    assert "Note 1 on the Notes worksheet applies to this table." in wb["Table_1"]["A2"].value
    assert "Note 1 and Note 2 on the Notes worksheet apply to this table." in wb["Table_2"]["A2"].value


def test_the_contents_sheet_names_the_tables_left_out(tmp_path: Path) -> None:
    """A table disclosure control left out is in no sheet: the Contents sheet says so, above the
    list of sheets, in the sentence the Word text has in its place (xlsx and ods alike; the CSV
    folder's notes.csv too)."""
    doc = document()
    said = "The table \u201cStaff by grade\u201d is not shown: most of its numbers would have to be withheld."
    doc.left_out.append(said)
    XlsxRenderer().render(doc, tmp_path / "r.xlsx", RenderSettings(publication=PUBLICATION))
    contents = load_workbook(tmp_path / "r.xlsx")["Contents"]
    column = [c.value for c in contents["A"]]
    assert said in column and column.index(said) < column.index("Sheet name")
    OdsRenderer().render(doc, tmp_path / "r.ods", RenderSettings(publication=PUBLICATION))
    table = pd.read_excel(tmp_path / "r.ods", sheet_name="Contents", header=None, engine="odf")
    assert said in table[0].tolist()
    # the open-data folder's notes.csv says it too
    from equality_reports.renderers.csv import CsvRenderer

    CsvRenderer().render(doc, tmp_path / "csv", RenderSettings(publication=PUBLICATION))
    assert ["Not shown", said] in pd.read_csv(tmp_path / "csv" / "notes.csv").to_numpy().tolist()


def test_numbers_and_dates_are_typed(xlsx: Path) -> None:
    ws = load_workbook(xlsx)["Table_1"]
    assert [c.value for c in ws[4]] == ["Ethnic group", "Staff", "Share (%)", "Counted since"]
    assert (ws["B5"].value, ws["B5"].number_format) == (1620, "#,##0")
    assert (ws["C5"].value, ws["C5"].number_format) == (95.3, "0.0")  # stored as published, rounded
    assert (ws["D5"].value, ws["D5"].number_format) == (datetime(2024, 4, 1), "d mmmm yyyy")
    assert ws["B6"].value == "[c]" and ws["B6"].data_type == "s" and ws["D7"].value == "[x]"
    summary = load_workbook(xlsx)["Table_2"]
    row = [(c.value, c.number_format) for c in summary[5]][:4]
    assert row == [("1", "General"), (19.5, '0.0"%"'), (2.4, '+0.0" percentage points";-0.0" percentage points";'
                                                              '0.0" percentage points"'),
                   (datetime(2026, 3, 7), "d mmm yyyy")]
    assert [c.value for c in summary[6]][:4] == ["7a", 1486, "not calculable", "Not stated"]
    assert summary["B6"].number_format == "#,##0"
    for sheet in load_workbook(xlsx).worksheets:
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                assert not (isinstance(cell.value, str) and re.fullmatch(r"[+-]?[\d,]*\d(\.\d+)?%?", cell.value)
                            and sheet.title != "Table_2"), (sheet.title, cell.coordinate, cell.value)


@pytest.mark.parametrize("text,value,code", [
    ("1,620", 1620, "#,##0"), ("150", 150, "0"), ("-2.45", -2.45, "0.00"), ("0.5%", 0.5, '0.0"%"'),
    ("12 March 2026", date(2026, 3, 12), "d mmmm yyyy"), ("2026-03-31", date(2026, 3, 31), "yyyy-mm-dd")])
def test_published_text_becomes_the_number_it_shows(text: str, value: object, code: str) -> None:
    cell = typed_text(text)
    assert cell is not None and (cell.value, cell.number_format) == (value, code)


@pytest.mark.parametrize("text", ["007", "1,5", "12,34", "Grade 1", "07 March 2026", "1.2.3", "[c]", "", "1e5",
                                  "31 Feb 2026", "=1+1", "12345678901234567"])
def test_other_text_stays_text(text: str) -> None:
    assert typed_text(text) is None


def test_cover_properties_and_print_setup(xlsx: Path) -> None:
    wb = load_workbook(xlsx)
    cover = [r[0].value for r in wb["Cover"].iter_rows()]
    assert cover[0] == "Demo workforce report"
    for heading, value in [("Period covered", "1 April 2025 to 31 March 2026"),
                           ("Publication date", datetime(2026, 6, 30)),
                           ("Source", "Testshire HR system, extract of 31 March 2026"),
                           ("Contact", "equality@testshire.gov.uk")]:
        assert cover[cover.index(heading) + 1] == value
    withheld = cover[cover.index("Withheld numbers [c]") + 1]
    assert "shown as [c]. The Notes sheet" in withheld and "no table" not in withheld
    assert "one table per sheet (Table_1 to Table_2)" in cover[cover.index("Contents") + 1]
    contact = wb["Cover"].cell(cover.index("Contact") + 2, 1)
    assert contact.hyperlink.target == "mailto:equality@testshire.gov.uk"
    assert wb.properties.language == "en-GB" and wb.properties.title == "Demo workforce report: Testshire Council, 2025/26"
    assert wb.properties.keywords == "equality, workforce, demo" and wb.properties.creator == "Testshire Council"
    narrow, wide = wb["Table_1"], wb["Table_2"]
    for ws in (narrow, wide):
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1: default
        assert ws.page_setup.fitToHeight == 0 and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$4:$4"
    assert narrow.page_setup.orientation == "portrait" and wide.page_setup.orientation == "landscape"


def test_cover_without_publication_details_says_no_more_than_it_knows(tmp_path: Path) -> None:
    XlsxRenderer().render(document("internal"), tmp_path / "r.xlsx", RenderSettings())
    cover = [r[0].value for r in load_workbook(tmp_path / "r.xlsx")["Cover"].iter_rows()]
    assert "Publication date" not in cover and "Contact" not in cover
    assert cover[cover.index("Source") + 1] == "Testshire Council workforce records for 1 April 2025 to 31 March 2026"
    assert cover[1].startswith("NOT FOR PUBLICATION") and "Withheld numbers [c]" not in cover


def test_a_cover_says_when_no_table_withholds_a_number_and_names_a_single_table(tmp_path: Path) -> None:
    """The [c] rule is stated on every published cover; where no table shows [c] it says so, and a
    workbook of one table says "one table (Table_1)", not "Table_1 to Table_1"."""
    doc = Document(report="demo", title="Demo", organisation="Testshire Council", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31))
    doc.section("s", "Staff").add(Table("t", "Staff", [Column("group", "Group"), Column("staff", "Staff", "count")],
                                        pd.DataFrame({"group": ["White", "Black"], "staff": [120, 40]})))
    XlsxRenderer().render(doc, tmp_path / "one.xlsx", RenderSettings(publication=PUBLICATION))
    cover = [r[0].value for r in load_workbook(tmp_path / "one.xlsx")["Cover"].iter_rows()]
    assert "; no table in this workbook needed to withhold one." in cover[cover.index("Withheld numbers [c]") + 1]
    assert cover[cover.index("Contents") + 1].endswith("the Notes sheet and one table (Table_1).")


def test_publication_keys_in_dataset_toml() -> None:
    raw = {"publication": {"contact": " Jo Bloggs, equality@x.gov.uk ", "published": "2026-06-30", "source": "HR"}}
    assert check_config(raw, "dataset.toml", default_contract())[1] == []
    assert publication_details(raw) == Publication("Jo Bloggs, equality@x.gov.uk", date(2026, 6, 30), "HR")
    _, problems = check_config({"publication": {"contacts": "x", "published": "30 June"}}, "dataset.toml",
                               default_contract())
    assert [p.message for p in problems] == ["unknown key 'contacts' in [publication]",
                                             "'[publication] published' must be a date such as 2026-06-30"]
    assert "did you mean 'contact'" in problems[0].fix
    assert publication_details({}) == Publication()


def test_ods_is_registered_and_reads_back(ods: Path) -> None:
    assert "ods" in PluginHost().renderers()
    sheets = pd.read_excel(ods, engine="odf", sheet_name=None, header=None)
    assert list(sheets) == ["Cover", "Contents", "Notes", "Table_1", "Table_2"]
    table = sheets["Table_1"]
    assert table.iloc[0, 0] == f"{LONG} (all staff)"
    assert table.iloc[3].tolist() == ["Ethnic group", "Staff", "Share (%)", "Counted since"]
    assert table.iloc[4, 1] == 1620 and isinstance(table.iloc[4, 1], (int, float))
    assert table.iloc[4, 2] == pytest.approx(95.3) and table.iloc[5, 1] == "[c]"
    assert pd.Timestamp(table.iloc[4, 3]) == pd.Timestamp(2024, 4, 1)
    summary = sheets["Table_2"]
    assert summary.iloc[4, :3].tolist() == ["1", 19.5, 2.4] and summary.iloc[5, 1] == 1486
    cover = sheets["Cover"][0].tolist()
    assert cover[cover.index("Contact") + 1] == "equality@testshire.gov.uk"


def test_ods_is_byte_identical(tmp_path: Path, ods: Path) -> None:
    again = tmp_path / "again.ods"
    OdsRenderer().render(document(), again, RenderSettings(publication=PUBLICATION))
    assert again.read_bytes() == ods.read_bytes()
    assert again.read_bytes()[30:38] == b"mimetype"  # first entry, stored: programs identify the file by it


@pytest.mark.office
def test_libreoffice_opens_the_ods(tmp_path: Path, ods: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for the office tests"
    profile = f"file:///tmp/lo-test-{uuid.uuid4().hex}"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path), str(ods)], check=True, capture_output=True, timeout=240)
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Cover", "Contents", "Notes", "Table_1", "Table_2"]
    ws = wb["Table_1"]
    assert ws["B5"].value == 1620 and ws["B5"].number_format == "#,##0" and ws["B6"].value == "[c]"
    assert ws["D5"].value == datetime(2024, 4, 1)
    assert wb["Table_2"]["C5"].value == 2.4 and "percentage points" in wb["Table_2"]["C5"].number_format
    assert wb["Contents"]["A5"].hyperlink.location.replace("'", "").startswith("Table_1")
    assert ws.print_title_rows == "$4:$4"  # the header row repeats on every printed page


def test_ods_text_from_the_data_stays_text(tmp_path: Path) -> None:
    payload = '=HYPERLINK("http://x","y")'
    doc = document()
    doc.tables()[0].data.loc[0, "group"] = f"{payload}\x0b  two\tspaces"
    OdsRenderer().render(doc, tmp_path / "r.ods", RenderSettings())
    cell = pd.read_excel(tmp_path / "r.ods", engine="odf", sheet_name="Table_1", header=None).iloc[4, 0]
    assert cell.startswith(f"{payload}   two")  # a string cell, as given; the vertical tab is a space
    content = zipfile.ZipFile(tmp_path / "r.ods").read("content.xml").decode()
    assert "table:formula" not in content and "\x0b" not in content
    assert re.search('office:value-type="string"[^>]*><text:p>' + re.escape(escape(payload)), content)


def test_internal_ods_is_stamped_on_every_sheet_and_page(tmp_path: Path) -> None:
    OdsRenderer().render(document("internal"), tmp_path / "r.ods", RenderSettings())
    stamp = "NOT FOR PUBLICATION: internal output without disclosure control"
    for name, sheet in pd.read_excel(tmp_path / "r.ods", engine="odf", sheet_name=None, header=None).items():
        assert sheet.iloc[1 if name == "Cover" else 2, 0] == stamp, name
    styles = zipfile.ZipFile(tmp_path / "r.ods").read("styles.xml").decode()
    assert styles.count(f"<text:p>{stamp}</text:p>") == 4  # header and footer of both page styles
