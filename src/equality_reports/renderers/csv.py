"""CSV: one UTF-8 file per table for open-data publication, plus notes.csv."""

from __future__ import annotations

import csv
from pathlib import Path

from equality_reports.document import SYMBOLS, Document
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.common import NOT_FOR_PUBLICATION, cell_value, header_label


class CsvRenderer:
    format = "csv"
    suffix = "-csv"
    is_directory = True

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        target.mkdir(parents=True, exist_ok=True)
        for table in document.tables():
            cols = [c for c in table.columns if not c.hidden or any(v.link == c.key for v in table.columns)]
            with (target / f"{table.id}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow([header_label(c) for c in cols])
                for row in range(len(table.data)):
                    writer.writerow([cell_value(table, row, c) for c in cols])
        with (target / "notes.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["Symbol or note", "Meaning"])
            for symbol, meaning in SYMBOLS.items():
                writer.writerow([symbol, meaning])
            for note in document.notes:
                writer.writerow(["Note", note])
            for table in document.tables():
                for note in table.notes:
                    writer.writerow([table.id, note])
        if document.not_for_publication:
            (target / "NOT-FOR-PUBLICATION.txt").write_text(NOT_FOR_PUBLICATION + "\n", encoding="utf-8")
