"""Helpers every renderer shares: published cell values, text blocks, names, fixed timestamps."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from equality_reports.document import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SUPPRESSED,
    SYMBOLS,
    Column,
    Document,
    Table,
    format_value,
    is_missing,
)

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
        return round(float(value), column.decimals if column.decimals is not None else 2)
    if hasattr(value, "strftime"):
        return format_value(value, "date")
    return str(value)


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
    used = set()
    for table in document.tables():
        for col in table.visible_columns:
            for row in range(len(table.data)):
                value = table.display_value(row, col.key)
                if value in (SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE):
                    used.add(value)
    return {s: SYMBOLS[s] for s in (SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE) if s in used}


def fixed_time(document: Document) -> datetime:
    """Document timestamps derive from the data period, so identical inputs give identical files."""
    end = document.period_end
    return datetime(end.year, end.month, end.day, tzinfo=timezone.utc)


def normalise_zip(path: Path, when: datetime) -> None:
    """Rewrite a zip (docx/xlsx) with fixed entry timestamps, keeping the entry order."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def is_url(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", target, re.IGNORECASE))


__all__ = ["NOT_FOR_PUBLICATION", "NOT_FOR_PUBLICATION_DETAIL", "STAMP_PREFIX", "blocks_of", "cell_text",
           "cell_value", "fixed_time", "header_label", "is_missing", "is_url", "normalise_zip", "symbols_used"]
