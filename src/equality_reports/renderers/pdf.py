"""PDF (``--format pdf``): the Word publication converted by LibreOffice to a tagged PDF.

Tagged means the PDF carries the document's structure (headings, tables, figure alt text, reading
order, language) for screen readers. Needs LibreOffice (``soffice`` on PATH, or the program named
by ``EQUALITY_REPORTS_SOFFICE``); without it a run asking for ``pdf`` stops before reading any data.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from equality_reports.document import Document
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.docx import DocxRenderer
from equality_reports.renderers.docx_pages import SOFFICE_TIMEOUT, soffice_program

#: LibreOffice's Writer PDF export with tagging on (JSON filter options: LibreOffice 7.4 and later)
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


class PdfRenderer:
    format = "pdf"
    suffix = ".pdf"
    is_directory = False

    def unavailable(self) -> str | None:
        """Why this format cannot be written on this machine, or None."""
        if soffice_program():
            return None
        return ("--format pdf needs LibreOffice to convert the Word document: install it (Debian/Ubuntu: "
                "apt-get install libreoffice-writer-nogui; elsewhere from libreoffice.org) so that soffice is on "
                "PATH, or set EQUALITY_REPORTS_SOFFICE to its program.")

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        soffice = soffice_program()
        if soffice is None:
            raise RuntimeError(self.unavailable())
        with tempfile.TemporaryDirectory(prefix="equality-reports-pdf-") as tmp:
            folder = Path(tmp)
            DocxRenderer().render(document, folder / "report.docx", settings)
            profile = (folder / "profile").as_uri()
            subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                            "--convert-to", TAGGED_PDF, "--outdir", str(folder), str(folder / "report.docx")],
                           check=True, capture_output=True, timeout=SOFFICE_TIMEOUT)
            shutil.move(folder / "report.pdf", target)
