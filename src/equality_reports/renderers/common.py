"""Helpers every renderer shares: published cell values, text blocks, names, fixed timestamps."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pandas.api.types import is_string_dtype

from equality_reports.document import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SUPPRESSED,
    SYMBOLS,
    Chart,
    Column,
    Document,
    Paragraph,
    Table,
    format_value,
    is_missing,
    long_date,
    rounded,
)
from equality_reports.intake.readers import CONTROL_CHARACTERS

#: The stamp every output of an ``--audience internal`` run carries: the first line of every CSV
#: file, a cell above the table on every sheet of the workbook, the Word title page and page
#: headers. Programs recognise internal CSV files by a first line that starts with
#: :data:`STAMP_PREFIX`.
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION: internal output without disclosure control"
STAMP_PREFIX = "NOT FOR PUBLICATION"
#: A second line where there is room for one (Word title page, Excel cover).
NOT_FOR_PUBLICATION_DETAIL = ("Small numbers are not withheld: this output shows counts of real people. "
                              "Do not publish it or any part of it, and do not send it outside the "
                              "organisation except as an agreed return to a regulator.")


def cell_value(table: Table, row: int, column: Column) -> Any:
    """The published value: a number, or text (including the shorthand symbols)."""
    value = table.display_value(row, column.key)
    if isinstance(value, str):
        return value
    if column.kind in ("count",):
        return int(round(float(value)))
    if column.kind in ("percent", "ratio", "number"):
        return rounded(value, column.decimals if column.decimals is not None else 2)
    if hasattr(value, "strftime"):
        return format_value(value, "date")
    return str(value)


#: the column kinds that hold numbers
NUMERIC = ("count", "percent", "ratio", "number")
#: a number as a text cell prints it: "1,486", "-0.5%", "+1.2", "£12.34", "0.94"
_NUMBER_LIKE = re.compile(r"^[+-]?£?\d[\d,]*(?:\.\d+)?%?(?: percentage points)?$")


def numeric_column(table: Table, column: Column, texts: list[str]) -> bool:
    """True when ``column``'s cells (``texts``, as printed) are numbers, to be right-aligned: a
    numeric kind, or a text column other than the row labels whose every cell is a number as
    printed, a shorthand symbol or "not calculable", at least one a number (figures restated as
    published, with their units)."""
    if column.kind in NUMERIC:
        return True
    if column.kind != "text" or column.key == table.row_key:
        return False
    numbers = [bool(_NUMBER_LIKE.match(t)) for t in texts]
    return any(numbers) and all(n or t in SYMBOLS or t == "not calculable" for n, t in zip(numbers, texts))


def cell_text(table: Table, row: int, column: Column) -> str:
    value = cell_value(table, row, column)
    if isinstance(value, str):
        return value
    return format_value(value, column.kind, column.decimals)


def header_label(column: Column) -> str:
    """Column heading; percentage columns always say so."""
    if column.kind == "percent" and "%" not in column.label:
        return f"{column.label} (%)"
    return column.label


def blocks_of(text: str) -> list[tuple[str, str]]:
    """('para', text) and ('bullet', text) items from the narrative markup."""
    out: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in chunk.splitlines() if ln.strip()]
        para: list[str] = []
        for line in lines:
            if line.lstrip().startswith("- "):
                if para:
                    out.append(("para", " ".join(para)))
                    para = []
                out.append(("bullet", line.lstrip()[2:].strip()))
            else:
                para.append(line.strip())
        if para:
            out.append(("para", " ".join(para)))
    return out


def symbols_used(document: Document) -> dict[str, str]:
    """The shorthand symbols that appear in the document's tables, with their meanings."""
    used = {symbol for table in document.tables() for symbol in table.shown_symbols()}
    return {s: SYMBOLS[s] for s in (SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE) if s in used}


def fixed_time(document: Document) -> datetime:
    """Document timestamps derive from the data period, so identical inputs give identical files."""
    end = document.period_end
    return datetime(end.year, end.month, end.day, tzinfo=UTC)


def normalise_zip(path: Path, when: datetime, stored: tuple[str, ...] = ()) -> None:
    """Rewrite a zip (docx/xlsx/ods) with fixed entry timestamps, keeping the entry order; entries
    named in ``stored`` are not compressed (an OpenDocument file's ``mimetype``)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def period_label(document: Document) -> str:
    """The period in a footer: '2025/26' for an April to March year, else its first and last days."""
    start, end = document.period_start, document.period_end
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and end.year == start.year + 1:
        return f"{start.year}/{end.year % 100:02d}"
    if start == end:
        return f"{long_date(end)}"
    return f"{long_date(start)} to {long_date(end)}"


def full_title(document: Document) -> str:
    """The title a file's properties carry (shown in a window's title bar and by screen readers):
    'Ethnicity pay gap report: Northshire County Council, 2025/26', as the HTML page's."""
    return f"{document.title}: {document.organisation}, {period_label(document)}"


#: the schemes a hyperlink may use; anything else (javascript:, file:, data:, a UNC path) is plain text
LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WEB = re.compile(r"^https?://[^/\\\s@]+(/|$)", re.IGNORECASE)
_UNSAFE_RELATIVE = re.compile(r"[\\:%\x00-\x1f\x7f]|^[/~]|(^|/)\.\.(/|$)")
#: a mailto link is one plain address: no query (``?attach=/etc/passwd``, ``?body=``), no second scheme
_MAIL = re.compile(r"^mailto:[^\s?#&/\\:@<>\"]+@[^\s?#&/\\:@<>\"]+$", re.IGNORECASE)


def link_target(target: object) -> str | None:
    """The hyperlink a renderer may write for ``target``, or None when it must stay plain text.

    The one rule every renderer follows: http and https addresses with a host, mailto links to one
    plain address (no query: some mail programs attach the file an ``attach=`` names),
    and relative paths to files beside the output (the evidence bundle's ``evidence/E001-...``)
    become links. Other schemes (``javascript:``, ``file:``, ``data:``), absolute paths, UNC paths
    (``\\\\host\\share``, which can send the reader's Windows credentials), drive letters,
    ``..`` segments, percent escapes and control characters never do."""
    if not isinstance(target, str) or not target.strip() or is_missing(target):
        return None
    text = target.strip()
    if re.search(r"[\x00-\x1f\x7f]", text):
        return None
    scheme = _SCHEME.match(text)
    if scheme is not None:
        name = scheme.group(1).lower()
        if name in ("http", "https"):
            return text if _WEB.match(text) else None
        return text if name == "mailto" and _MAIL.match(text) else None
    return None if _UNSAFE_RELATIVE.search(text) else text


#: characters that make a spreadsheet read a text cell as a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: what may come before such a character and still leave it first for some spreadsheet programs
_FORMULA = re.compile(r"^[\s\"',;|]*[=+\-@]|^[\t\r]")


def inert_text(text: str) -> str:
    """Text that no spreadsheet program runs as a formula: a cell starting with ``= + - @``, a tab
    or a carriage return, also after leading spaces, quotes or separators, gets a leading single
    quote (OWASP's CSV injection guidance). Numbers are never passed here: they are written as
    numbers."""
    return "'" + text if _FORMULA.match(text) else text


_XML_INVALID = re.compile(CONTROL_CHARACTERS)


def xml_text(text: str) -> str:
    """Text without the characters XML cannot hold (Word and Excel files are XML): vertical tab and
    form feed become spaces, other C0 controls and U+FFFE/U+FFFF are removed."""
    if not _XML_INVALID.search(text):
        return text
    return _XML_INVALID.sub("", text.replace("\x0b", " ").replace("\x0c", " "))


def xml_safe(document: Document) -> Document:
    """The document with only text XML can hold (:func:`xml_text`) in every title, paragraph, cell,
    label, note and property; the same object when nothing needed cleaning, else a cleaned copy."""
    found: list[str] = []

    def note(text: str) -> str:
        if _XML_INVALID.search(text):
            found.append(text)
        return text

    _each_text(document, note)
    if not found:
        return document
    clean = copy.deepcopy(document)
    _each_text(clean, xml_text)
    return clean


def _each_text(document: Document, fix: Callable[[str], str]) -> None:
    """Replace every text of the document by ``fix(text)``, in place."""
    def each(values: list[Any]) -> list[Any]:
        return [fix(v) if isinstance(v, str) else v for v in values]

    for name in ("title", "subtitle", "organisation", "summary"):
        setattr(document, name, fix(getattr(document, name)))
    document.notes = each(document.notes)
    for figure in document.figures.values():
        figure.label, figure.note = fix(figure.label), fix(figure.note)
        if isinstance(figure.value, str):
            figure.value = fix(figure.value)
    for _, section in document.walk():
        section.title = fix(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph) and block.text:
                block.text = fix(block.text)
            elif isinstance(block, Chart):
                block.title, block.alt_text = fix(block.title), fix(block.alt_text)
            elif isinstance(block, Table):
                block.title, block.source = fix(block.title), fix(block.source or "")
                block.notes = each(block.notes)
                for column in block.columns:
                    column.label = fix(column.label)
                for key in block.data.columns:
                    if block.data[key].dtype == object or is_string_dtype(block.data[key].dtype):
                        block.data[key] = each(block.data[key].tolist())


__all__ = ["FORMULA_STARTS", "LINK_SCHEMES", "NOT_FOR_PUBLICATION", "NOT_FOR_PUBLICATION_DETAIL", "STAMP_PREFIX",
           "blocks_of", "cell_text", "cell_value", "fixed_time", "header_label", "inert_text", "is_missing",
           "full_title", "link_target", "normalise_zip", "period_label", "symbols_used", "xml_safe", "xml_text"]
