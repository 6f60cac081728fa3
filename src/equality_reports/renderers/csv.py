"""CSV: one UTF-8 file per table for open-data publication, plus notes.csv.

Internal outputs (``--audience internal``) start every file, each table's and notes.csv, with
one line holding only the stamp (``NOT FOR PUBLICATION: internal output without disclosure
control``) above the header row. Someone who opens the file in Excel sees it in cell A1; a
program that reads the file as a published table fails on it instead of taking the numbers as
published, and a program meant to read internal files skips the first line when it starts with
``NOT FOR PUBLICATION`` (pandas: ``skiprows=1``). Published files have no such line: their first
line is the header row.

Numbers are written as numbers; a text cell that a spreadsheet would run as a formula (starting
with ``= + - @``, a tab or a carriage return) starts with a single quote (docs/outputs.md).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from equality_reports.document import SYMBOLS, Document
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.common import NOT_FOR_PUBLICATION, cell_value, header_label, inert_text


def inert_row(values: list[Any]) -> list[Any]:
    """A CSV row whose text cells no spreadsheet runs as formulas; numbers stay numbers."""
    return [inert_text(v) if isinstance(v, str) else v for v in values]


class CsvRenderer:
    format = "csv"
    suffix = "-csv"
    is_directory = True

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        target.mkdir(parents=True, exist_ok=True)
        stamp = [[NOT_FOR_PUBLICATION]] if document.not_for_publication else []
        for table in document.tables():
            cols = [c for c in table.columns if not c.hidden or any(v.link == c.key for v in table.columns)]
            with (target / f"{table.id}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerows(stamp)
                writer.writerow(inert_row([header_label(c) for c in cols]))
                for row in range(len(table.data)):
                    writer.writerow(inert_row([cell_value(table, row, c) for c in cols]))
        with (target / "notes.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerows(stamp)
            writer.writerow(["Symbol or note", "Meaning"])
            for symbol, meaning in SYMBOLS.items():
                writer.writerow(inert_row([symbol, meaning]))
            for note in document.notes:
                writer.writerow(inert_row(["Note", note]))
            for sentence in document.left_out:  # tables in no file of this folder, and why
                writer.writerow(inert_row(["Not shown", sentence]))
            for table in document.tables():
                for note in table.notes:
                    writer.writerow(inert_row([table.id, note]))
        if document.not_for_publication:
            (target / "NOT-FOR-PUBLICATION.txt").write_text(NOT_FOR_PUBLICATION + "\n", encoding="utf-8")
