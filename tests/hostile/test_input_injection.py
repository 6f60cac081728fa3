"""Injection through the data: formula payloads, control characters and hostile link targets.

Outputs are read back (csv, openpyxl, python-docx, the .rels parts) to prove that no payload is a
live formula or hyperlink, and that Word and Excel files open whatever characters the data holds.
"""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from _input_cases import TOML, csv_cells, dataset, link_targets, live_formula_cells
from docx import Document as read_docx
from openpyxl import load_workbook

from equality_reports.cli import main
from equality_reports.document import Column, Document, Table
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.common import inert_text
from equality_reports.renderers.csv import CsvRenderer
from equality_reports.renderers.docx import DocxRenderer
from equality_reports.renderers.xlsx import XlsxRenderer

PAYLOADS = [
    "=cmd|' /c calc'!A1",
    '=HYPERLINK("http://evil.example/steal","Click for your payslip")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    '"=1+1',
    ";=2*3",
    '=DDE("cmd";"/C calc";"!A0")',
]


def _quiet_run(args: list[str]) -> int:
    """Run the CLI in-process without printing; the exit code."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


@pytest.fixture(scope="module")
def payload_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rraa-employment run on staff whose service names are formula payloads (12 people each)."""
    folder = tmp_path_factory.mktemp("payloads") / "data"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["person_id", "ethnicity", "service", "grade"])
    for p, payload in enumerate(PAYLOADS):
        writer.writerows([f"P{p}-{i}", "A" if i % 2 else "N", payload, payload] for i in range(12))
    dataset(folder, {"staff.csv": buffer.getvalue()})
    out = folder.parent / "out"
    assert _quiet_run(["run", "rraa-employment", "--data", folder, "--out", out]) == 0
    return out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_payload_is_inert_in_every_output(payload: str, payload_run: Path) -> None:
    cells = csv_cells(payload_run / "rraa-employment-csv")
    assert "'" + payload in cells and payload not in cells
    assert not live_formula_cells(cells)
    workbook = load_workbook(payload_run / "rraa-employment.xlsx")
    found = [c for ws in workbook for row in ws.iter_rows() for c in row if c.value == payload]
    assert found and all(c.data_type == "s" for c in found)
    assert not [c for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]
    word = read_docx(str(payload_run / "rraa-employment.docx"))
    assert any(cell.text == payload for t in word.tables for row in t.rows for cell in row.cells)


def test_signed_numbers_are_numbers_and_signed_text_is_quoted(tmp_path: Path) -> None:
    """A change column holds -2.4 as a number (the unit in its heading); text that starts with a sign
    gets the quote."""
    doc = Document(report="signs", title="Signs", organisation="Testshire Council", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31))
    doc.section("s", "Signs").add(Table("change", "Change", [
        Column("group", "Group"), Column("change", "Change (percentage points)", "number", decimals=1)],
        pd.DataFrame({"group": ["-2.4 points", "White"], "change": [-2.4, 1.5]}), row_key="group",
        rows_additive=False))
    CsvRenderer().render(doc, tmp_path / "csv", RenderSettings())
    rows = list(csv.reader(io.StringIO((tmp_path / "csv" / "change.csv").read_text(encoding="utf-8"))))
    assert rows == [["Group", "Change (percentage points)"], ["'-2.4 points", "-2.4"], ["White", "1.5"]]


#: organisation names as written in dataset.toml, and as Word's author property must hold them
HOSTILE_ORGANISATIONS = {
    "control-characters": ("Hostile\\u0001 Council\\u000b of\\u001f Tests", "Hostile Council  of Tests"),
    "formula": ("=cmd|' /c calc'!A1 Council", "=cmd|' /c calc'!A1 Council"),
    "xml-markup": ('<w:fldSimple w:instr=\\"HYPERLINK file:///etc/passwd\\"/> & Co',
                   '<w:fldSimple w:instr="HYPERLINK file:///etc/passwd"/> & Co'),
}


@pytest.mark.parametrize("case", list(HOSTILE_ORGANISATIONS))
def test_hostile_organisation_name_renders(case: str, tmp_path: Path) -> None:
    toml_name, shown = HOSTILE_ORGANISATIONS[case]
    folder = dataset(tmp_path / "data", toml=TOML.replace('"Hostile Council"', f'"{toml_name}"'))
    out = tmp_path / "out"
    assert _quiet_run(["run", "rraa-employment", "--data", folder, "--out", out]) == 0
    assert read_docx(str(out / "rraa-employment.docx")).core_properties.author == shown
    assert not link_targets(out / "rraa-employment.docx") and not link_targets(out / "rraa-employment.xlsx")
    workbook = load_workbook(out / "rraa-employment.xlsx")
    assert workbook.properties.creator == shown
    cover = workbook["Cover"]
    assert all(c.data_type == "s" for row in cover.iter_rows() for c in row if c.value is not None)


def test_validate_shows_control_characters_and_never_sends_them_to_the_terminal(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from equality_reports.cli import cli

    name = "Evil \\u001b]0;PWNED\\u0007\\u001b[2J Council"
    folder = dataset(tmp_path / "data", toml=TOML.replace('"Hostile Council"', f'"{name}"'))
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Dataset: Evil \\x1b]0;PWNED\\x07\\x1b[2J Council" in result.output


#: link targets a renderer must write as plain text, and ones it must link
REFUSED_LINKS = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "file:///etc/passwd",
                 "\\\\attacker.example\\share\\payslip.docx", "//attacker.example/share/x.docx",
                 "C:\\Windows\\win.ini", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                 "../../../etc/passwd", "/etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "https://trusted.example@evil.example/",
                 "ftp://files.example/x"]
ALLOWED_LINKS = ["https://www.gov.uk/guidance", "mailto:equality@example.org", "evidence/E001-policy.md"]


@pytest.fixture(scope="module")
def link_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One table whose every row links to one of the targets, rendered to Word, Excel and CSV."""
    targets = REFUSED_LINKS + ALLOWED_LINKS
    doc = Document(report="links", title="Links", organisation="Testshire Council", period_start=date(2025, 4, 1),
                   period_end=date(2026, 3, 31))
    table = Table("links", "Links", [Column("n", "Ref"), Column("text", "Evidence", link="target"),
                                     Column("target", "Location", hidden=True)],
                  pd.DataFrame({"n": [f"L{i}" for i in range(len(targets))],
                                "text": [f"item {i}" for i in range(len(targets))], "target": targets}),
                  row_key="n", rows_additive=False)
    doc.section("s", "Links").add(table)
    folder = tmp_path_factory.mktemp("links")
    out = {"docx": folder / "links.docx", "xlsx": folder / "links.xlsx", "csv": folder / "links-csv"}
    for fmt, renderer in (("docx", DocxRenderer()), ("xlsx", XlsxRenderer()), ("csv", CsvRenderer())):
        renderer.render(doc, out[fmt], RenderSettings())
    return out


@pytest.mark.parametrize("target", REFUSED_LINKS)
def test_hostile_link_is_plain_text(target: str, link_outputs: dict[str, Path]) -> None:
    for fmt in ("docx", "xlsx"):
        found = [t.replace("\\", "/") for t in link_targets(link_outputs[fmt])]
        assert target.replace("\\", "/") not in found and target.replace("\\", "/").lstrip("/") not in found
    assert inert_text(target) in csv_cells(link_outputs["csv"])  # the location is still shown


@pytest.mark.parametrize("target", ALLOWED_LINKS)
def test_web_mail_and_bundle_links_stay_live(target: str, link_outputs: dict[str, Path]) -> None:
    assert target in link_targets(link_outputs["docx"])
    assert target.replace("/", "\\") in [t.replace("/", "\\") for t in link_targets(link_outputs["xlsx"])]


def test_only_allowed_links_are_written(link_outputs: dict[str, Path]) -> None:
    for fmt in ("docx", "xlsx"):
        assert sorted(t.replace("\\", "/") for t in link_targets(link_outputs[fmt])) == sorted(ALLOWED_LINKS)
