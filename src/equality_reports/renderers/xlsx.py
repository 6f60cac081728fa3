"""Excel output following the Analysis Function guidance on releasing statistics in spreadsheets.

Cover, contents and notes sheets; one table per sheet, marked up as an Excel table, title in A1,
no merged cells, number formats per column kind, native charts with descriptions, and every text
cell written as a string so that nothing from the data can become a formula.
"""

from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter

from equality_reports.document import SYMBOLS, Document, Table
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.common import (
    NOT_FOR_PUBLICATION,
    cell_value,
    fixed_time,
    header_label,
    is_url,
    normalise_zip,
)

FORMATS = {"count": "#,##0", "percent": "0.0", "ratio": "0.00", "number": "#,##0.0"}
FIRST_ROW = 3  # the table header row (0-based): A1 title, A2 description, A3 stamp or source


def sheet_names(tables: list[Table]) -> list[str]:
    """Unique, meaningful sheet names of at most 31 characters."""
    used = {"cover", "contents", "notes"}
    names = []
    for i, table in enumerate(tables, start=1):
        base = re.sub(r"[\[\]:*?/\\']", "", table.title).strip() or table.id
        base = re.sub(r"\s+", " ", base)
        name = f"{i} {base}"[:31].rstrip()
        names.append(name)
        used.add(name.lower())
    return names


class XlsxRenderer:
    format = "xlsx"
    suffix = ".xlsx"
    is_directory = False

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        wb = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False})
        when = fixed_time(document).replace(tzinfo=None)
        wb.set_properties({
            "title": document.title, "subject": f"{document.organisation}: {document.period_start:%-d %B %Y} to "
                                                f"{document.period_end:%-d %B %Y}",
            "author": document.organisation, "company": document.organisation, "manager": "",
            "keywords": ", ".join(["equality", "workforce", document.report]),
            "comments": NOT_FOR_PUBLICATION if document.not_for_publication else "Published with disclosure control.",
            "category": "Not for publication" if document.not_for_publication else "Official statistics",
            "created": when,
        })
        wb.set_custom_property("Language", document.language)
        fmt = {
            "title": wb.add_format({"bold": True, "font_size": 15, "font_name": "Arial"}),
            "text": wb.add_format({"font_name": "Arial", "font_size": 11, "text_wrap": False}),
            "stamp": wb.add_format({"bold": True, "font_name": "Arial", "font_color": "#9C0006"}),
            "header": wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "font_name": "Arial"}),
            "link": wb.add_format({"font_color": "#1F4E9E", "underline": 1, "font_name": "Arial"}),
            "symbol": wb.add_format({"align": "right", "font_name": "Arial"}),
        }
        numbers = {k: wb.add_format({"num_format": v, "font_name": "Arial"}) for k, v in FORMATS.items()}
        tables = document.tables()
        names = sheet_names(tables)
        self._cover(wb, document, fmt)
        self._contents(wb, tables, names, fmt)
        self._notes(wb, document, fmt)
        table_names: set[str] = set()
        for table, name in zip(tables, names):
            self._table_sheet(wb, document, table, name, fmt, numbers, table_names)
        wb.close()
        normalise_zip(target, fixed_time(document))

    def _cover(self, wb, document: Document, fmt) -> None:  # type: ignore[no-untyped-def]
        ws = wb.add_worksheet("Cover")
        ws.set_column(0, 0, 110)
        ws.write_string(0, 0, document.title, fmt["title"])
        lines = [document.subtitle or document.organisation,
                 f"Period covered: {document.period_start:%-d %B %Y} to {document.period_end:%-d %B %Y}",
                 "This workbook has a contents sheet listing every table, a notes sheet explaining the "
                 "symbols used, and one table per sheet.",
                 ("Small numbers are withheld (threshold " + str(document.threshold) + ") and shown as [c]."
                  if not document.not_for_publication else NOT_FOR_PUBLICATION)]
        for i, line in enumerate(lines, start=1):
            ws.write_string(i, 0, line, fmt["stamp"] if line == NOT_FOR_PUBLICATION else fmt["text"])

    def _contents(self, wb, tables: list[Table], names: list[str], fmt) -> None:  # type: ignore[no-untyped-def]
        ws = wb.add_worksheet("Contents")
        ws.write_string(0, 0, "Table of contents", fmt["title"])
        ws.write_string(1, 0, "This worksheet contains one table. Select a sheet name to go to it.", fmt["text"])
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 90)
        rows = [["Notes", "Notes and symbols used in the tables"]] + [[n, t.title] for n, t in zip(names, tables)]
        ws.add_table(2, 0, 2 + len(rows), 1, {"name": "table_of_contents", "style": "Table Style Light 9",
                                              "autofilter": False,
                                              "columns": [{"header": "Sheet name"}, {"header": "Table title"}]})
        for i, (sheet, title) in enumerate(rows, start=3):
            ws.write_url(i, 0, f"internal:'{sheet}'!A1", fmt["link"], string=sheet)
            ws.write_string(i, 1, title, fmt["text"])

    def _notes(self, wb, document: Document, fmt) -> None:  # type: ignore[no-untyped-def]
        ws = wb.add_worksheet("Notes")
        ws.write_string(0, 0, "Notes", fmt["title"])
        ws.write_string(1, 0, "This worksheet contains one table: the symbols and notes used in this workbook.",
                        fmt["text"])
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 110)
        rows = [[s, m] for s, m in SYMBOLS.items()]
        rows += [["Note", n] for n in document.notes]
        for table in document.tables():
            rows += [[table.title[:60], n] for n in table.notes]
        ws.add_table(2, 0, 2 + len(rows), 1, {"name": "notes_table", "style": "Table Style Light 9",
                                              "autofilter": False,
                                              "columns": [{"header": "Symbol or table"}, {"header": "Meaning"}]})
        for i, (a, b) in enumerate(rows, start=3):
            ws.write_string(i, 0, a, fmt["text"])
            ws.write_string(i, 1, b, fmt["text"])

    def _table_sheet(self, wb, document: Document, table: Table, name: str, fmt, numbers,  # type: ignore[no-untyped-def]
                     table_names: set[str]) -> None:
        ws = wb.add_worksheet(name)
        ws.write_string(0, 0, table.title, fmt["title"])
        ws.write_string(1, 0, "This worksheet contains one table. Some cells refer to notes on the Notes "
                              "worksheet.", fmt["text"])
        third = NOT_FOR_PUBLICATION if document.not_for_publication else (
            f"Source: {table.source}" if table.source else f"{document.organisation}, "
                                                           f"{document.period_end:%-d %B %Y}.")
        ws.write_string(2, 0, third, fmt["stamp"] if document.not_for_publication else fmt["text"])
        cols = table.visible_columns
        n_rows = len(table.data)
        tname = re.sub(r"[^A-Za-z0-9_]", "_", table.id)[:200] or "table"
        if not re.match(r"^[A-Za-z_]", tname):
            tname = f"t_{tname}"
        while tname.lower() in table_names or tname.lower() in ("table_of_contents", "notes_table"):
            tname += "_1"
        table_names.add(tname.lower())
        ws.add_table(FIRST_ROW, 0, FIRST_ROW + max(n_rows, 1), len(cols) - 1, {
            "name": tname, "style": "Table Style Light 9", "autofilter": False,
            "columns": [{"header": header_label(c), "header_format": fmt["header"]} for c in cols]})
        for r in range(n_rows):
            for c, col in enumerate(cols):
                value = cell_value(table, r, col)
                row = FIRST_ROW + 1 + r
                target = str(table.data.at[r, col.link]) if col.link and col.link in table.data.columns else ""
                if isinstance(value, str):
                    if target and is_url(target):
                        ws.write_url(row, c, target, fmt["link"], string=value)
                    else:
                        ws.write_string(row, c, value, fmt["symbol"] if col.kind != "text" else fmt["text"])
                else:
                    ws.write_number(row, c, value, numbers.get(col.kind, fmt["text"]))
        for c, col in enumerate(cols):
            texts = [str(cell_value(table, r, col)) for r in range(min(n_rows, 200))]
            width = max([len(header_label(col)) * 0.6, *[len(t) for t in texts], 8])
            ws.set_column(c, c, min(max(width + 2, 10), 60))
        for chart in document.charts():
            if chart.table != table.id:
                continue
            self._chart(wb, ws, name, table, chart, cols, n_rows)

    def _chart(self, wb, ws, sheet: str, table: Table, chart, cols, n_rows: int) -> None:  # type: ignore[no-untyped-def]
        kind = {"type": "bar", "subtype": "stacked"} if chart.kind == "stacked" else {"type": "bar"}
        xl_chart = wb.add_chart(kind)
        keys = [c.key for c in cols]
        cat_col = keys.index(chart.category)
        for key in chart.values:
            if key not in keys:
                continue
            c = keys.index(key)
            xl_chart.add_series({
                "name": [sheet, FIRST_ROW, c],
                "categories": [sheet, FIRST_ROW + 1, cat_col, FIRST_ROW + n_rows, cat_col],
                "values": [sheet, FIRST_ROW + 1, c, FIRST_ROW + n_rows, c],
                "data_labels": {"value": True},
            })
        xl_chart.set_title({"name": chart.title})
        xl_chart.set_legend({"position": "bottom"})
        xl_chart.set_y_axis({"reverse": True})
        ws.insert_chart(FIRST_ROW + n_rows + 3, 0, xl_chart, {"description": chart.alt_text[:1000],
                                                               "x_scale": 1.4, "y_scale": 1.2})
