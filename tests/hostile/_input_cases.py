"""Shared builders and checks for the hostile input corpus (tests/hostile/test_input_*.py).

A case writes a dataset folder and states its expected outcome: a clear refusal (exit code 2,
a message naming file, row, column and value, no traceback, nothing written), or outputs that are
read back to prove them safe.
"""

from __future__ import annotations

import csv
import io
import re
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from helpers_cli import Result, run_cli

TOML = ('organisation = "Hostile Council"\nsector = "local_government"\n'
        "period_start = 2025-04-01\nperiod_end = 2026-03-31\n")
STAFF = "person_id,ethnicity,fte,service\n" + "".join(f"P{i},{'A' if i % 3 else 'N'},1.0,Adults\n" for i in range(30))
#: characters a spreadsheet reads as the start of a formula (OWASP)
FORMULA_START = re.compile(r"^[=+\-@\t\r]")

Builder = Callable[[Path], None]


def dataset(folder: Path, files: dict[str, str | bytes] | None = None, toml: str | None = TOML) -> Path:
    """A dataset folder: ``staff.csv`` (the clean default unless ``files`` names it) plus ``files``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in {"staff.csv": STAFF, **(files or {})}.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if toml is not None:
        (folder / "dataset.toml").write_text(toml, encoding="utf-8")
    return folder


def assert_refused(folder: Path, expected: tuple[str, ...], capsys: pytest.CaptureFixture[str],
                   report: str | None = None) -> str:
    """``validate`` exits 2 naming every ``expected`` text, with no traceback, and ``run`` writes nothing."""
    extra = ["--report", report] if report else []
    result = run_cli(["validate", folder, *extra], capsys)
    output = result.out + result.err
    assert result.code == 2, output
    assert "Traceback" not in output and "Internal error" not in output, output
    for text in expected:
        assert text in output, f"{text!r} not in:\n{output}"
    out = folder.parent / f"{folder.name}-out"
    run = run_cli(["run", report or "--all", "--data", folder, "--out", out], capsys)
    assert run.code == 2 and "Traceback" not in run.out + run.err, run.out + run.err
    assert not out.exists() or not any(out.iterdir())
    return output


def run_report(folder: Path, out: Path, capsys: pytest.CaptureFixture[str], report: str = "rraa-employment",
               formats: str = "csv,xlsx,docx", *options: str) -> Result:
    """Run one report into ``out``; it must succeed."""
    args = ["run", report, "--data", folder, "--out", out, "--format", formats]
    for option in options:
        args += ["--option", option]
    result = run_cli(args, capsys)
    assert result.code == 0, result.out + result.err
    return result


def csv_cells(folder: Path) -> list[str]:
    """Every cell of every CSV file in ``folder``."""
    cells: list[str] = []
    for path in sorted(folder.glob("*.csv")):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            cells.extend(row)
    return cells


def live_formula_cells(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would run as a formula: starting with = + - @ tab or CR and not a number."""
    def number(text: str) -> bool:
        try:
            float(text)
            return True
        except ValueError:
            return False
    return [c for c in cells if FORMULA_START.match(c) and not number(c)]


def link_targets(path: Path) -> list[str]:
    """Targets of every hyperlink relationship in a Word document or workbook (every part's rels)."""
    targets = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith(".rels"):
                root = ElementTree.fromstring(zf.read(name))
                targets += [r.get("Target", "") for r in root if r.get("Type", "").endswith("/hyperlink")]
    return targets


def minimal_xlsx(path: Path, rows: list[list[str]], big_cell: int = 0, fill: bytes = b"A") -> Path:
    """A minimal .xlsx (inline strings) with ``rows`` on sheet 'staff'; ``big_cell`` characters of
    ``fill`` are streamed into one more cell so that a huge part can be built in little memory."""
    def ref(r: int, c: int) -> str:
        return f"{chr(65 + c)}{r + 1}"

    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        'name="staff" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    cells = "".join(f'<row r="{r + 1}">' + "".join(f'<c r="{ref(r, c)}" t="inlineStr"><is><t>{v}</t></is></c>'
                                                   for c, v in enumerate(row)) + "</row>" for r, row in enumerate(rows))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                        b'2006/main"><sheetData>' + cells.encode())
            if big_cell:
                sheet.write(f'<row r="{len(rows) + 1}"><c r="A{len(rows) + 1}" t="inlineStr"><is><t>'.encode())
                chunk = fill * (1 << 20)
                for _ in range(big_cell >> 20):
                    sheet.write(chunk)
                sheet.write(fill * (big_cell & ((1 << 20) - 1)) + b"</t></is></c></row>")
            sheet.write(b"</sheetData></worksheet>")
    return path


def validate_with_memory_limit(folder: Path, limit_bytes: int, timeout: float = 120) -> tuple[int, str, float]:
    """``validate`` in a subprocess whose address space is capped: (exit code, output, seconds)."""
    import time

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "equality_reports", "validate", str(folder)], capture_output=True,
                          text=True, preexec_fn=cap, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start
