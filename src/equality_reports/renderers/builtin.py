"""Registers the built-in renderers (Word, Excel, OpenDocument spreadsheet, CSV, JSON, HTML, PDF) through the
plugin hook."""

from equality_reports.hookspecs import hookimpl
from equality_reports.renderers.csv import CsvRenderer
from equality_reports.renderers.docx import DocxRenderer
from equality_reports.renderers.html import HtmlRenderer
from equality_reports.renderers.json import JsonRenderer
from equality_reports.renderers.ods import OdsRenderer
from equality_reports.renderers.pdf import PdfRenderer
from equality_reports.renderers.xlsx import XlsxRenderer


@hookimpl
def register_renderers(register):  # type: ignore[no-untyped-def]
    for renderer in (DocxRenderer(), XlsxRenderer(), OdsRenderer(), CsvRenderer(), JsonRenderer(),
                     HtmlRenderer(), PdfRenderer()):
        register(renderer)
