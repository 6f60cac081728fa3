"""The report's narrative templates ship in the plugin (``Report.template_dir``), and a council's
``--templates DIR`` copy of one, under the same path, wins over the shipped one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document as read_docx
from helpers_cli import run_cli

import equality_reports_rraa
from equality_reports.templating import builtin_templates_dir
from equality_reports_rraa import RraaEmploymentReport

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data" / "council"


def test_templates_ship_in_the_plugin_package() -> None:
    folder = RraaEmploymentReport.template_dir
    assert folder == Path(equality_reports_rraa.__file__).resolve().parent / "templates"
    assert (folder / "rraa-employment" / "staff.j2").is_file()
    assert not (builtin_templates_dir() / "rraa-employment").exists()  # the engine holds none


def test_a_council_copy_under_the_same_path_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wording = tmp_path / "wording" / "rraa-employment"
    wording.mkdir(parents=True)
    shutil.copy(RraaEmploymentReport.template_dir / "rraa-employment" / "staff.j2", wording / "staff.j2")
    (wording / "staff.j2").write_text("Our own words about the {{ snapshot | fmt('date') }} staff count.",
                                      encoding="utf-8")
    res = run_cli(["run", "rraa-employment", "--data", SAMPLE, "--out", tmp_path / "out", "--format", "docx",
                   "--templates", tmp_path / "wording"], capsys)
    assert res.code == 0, res.err
    text = "\n".join(p.text for p in read_docx(str(tmp_path / "out" / "rraa-employment.docx")).paragraphs)
    assert "Our own words about the 31 March 2026 staff count." in text
    assert "These tables count everyone in post" not in text  # the shipped staff.j2
    assert "Key findings" in text  # every other template is still the plugin's
