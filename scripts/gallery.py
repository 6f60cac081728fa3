"""Renders the README gallery: chosen pages of the sample publications as small PNG images.

Runs the sample datasets, converts each chosen Word publication to PDF with LibreOffice and writes
the pages holding the chosen text with ``pdftoppm -png -r 60`` to docs/images/gallery/. Needs
``soffice`` and ``pdftoppm``/``pdftotext`` (poppler-utils), and the core with the first-party plugins
installed (``python -m pip install . ./plugins/*/``). Usage: python scripts/gallery.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "docs" / "images" / "gallery"
#: (sample dataset, report, text that picks a page, image name)
PAGES = (
    ("council", "rraa-employment", "Contents", "rraa-employment-contents"),
    ("council", "rraa-employment", "Figure 1:", "rraa-employment-figure"),
    ("council", "rraa-employment", "Table 3:", "rraa-employment-table"),
    ("nhs_trust", "wres", "Table 1:", "wres-summary"),
    ("social_care", "sc-wres", "Figure 1:", "sc-wres-figure"),
    ("council", "evidence-pack", "Table 1:", "evidence-pack-table"),
)


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, timeout=600).stdout


def page_with(pdf: Path, text: str) -> int:
    """The first page of ``pdf`` whose text holds ``text`` (ignoring the contents list's entries)."""
    pages = run("pdftotext", "-layout", pdf, "-").split("\f")
    for number, page in enumerate(pages, start=1):
        if any(line.strip().startswith(text) and "...." not in line for line in page.splitlines()):
            return number
    raise SystemExit(f"{pdf.name}: no page holds {text!r}")


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        raise SystemExit("the gallery needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext)")
    GALLERY.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="equality-reports-gallery-") as tmp:
        work = Path(tmp)
        for dataset in sorted({p[0] for p in PAGES}):
            run(sys.executable, "-m", "equality_reports", "run", "--all", "--data", ROOT / "sample_data" / dataset,
                "--out", work / dataset, "--format", "docx")
        for dataset, report in sorted({p[:2] for p in PAGES}):
            run(soffice, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to", "pdf", "--outdir", work / dataset, work / dataset / f"{report}.docx")
        for dataset, report, text, name in PAGES:
            pdf = work / dataset / f"{report}.pdf"
            number = page_with(pdf, text)
            run("pdftoppm", "-png", "-r", "60", "-f", number, "-l", number, "-singlefile", pdf, GALLERY / name)
            print(f"{name}.png: {report} ({dataset}) page {number}, "
                  f"{(GALLERY / f'{name}.png').stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
