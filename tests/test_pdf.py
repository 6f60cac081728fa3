"""PDF output: a tagged PDF from the Word document through LibreOffice, or a clear exit 2 without it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from helpers_cli import run_cli

SAMPLES = Path(__file__).parents[1] / "sample_data"


@pytest.mark.office
def test_pdf_is_tagged_and_holds_the_title(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("EQUALITY_REPORTS_SOFFICE")
    result = run_cli(["run", "wres", "--data", SAMPLES / "nhs_trust", "--out", tmp_path / "out",
                      "--format", "pdf,html"], capsys)
    assert result.code == 0, result.err
    pdf = tmp_path / "out" / "wres.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/StructTreeRoot" in data and b"/MarkInfo" in data
    text = subprocess.run([shutil.which("pdftotext") or "pdftotext", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Workforce Race Equality Standard" in " ".join(text.split())
    assert "Riverside Hospitals NHS Foundation Trust" in text


def test_pdf_without_libreoffice_is_a_clear_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EQUALITY_REPORTS_SOFFICE", "")
    result = run_cli(["run", "wres", "--data", SAMPLES / "nhs_trust", "--out", tmp_path / "out",
                      "--format", "docx,pdf"], capsys)
    assert result.code == 2
    assert "--format pdf needs LibreOffice" in result.err and "libreoffice-writer-nogui" in result.err
    assert not (tmp_path / "out").exists()
