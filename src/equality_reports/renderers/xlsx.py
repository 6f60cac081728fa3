"""Excel output following the Analysis Function guidance on releasing statistics in spreadsheets.

Cover, contents and notes sheets; one table per sheet, marked up as an Excel table, title in A1,
no merged cells, number formats per column kind, native charts with descriptions, and every text
cell written as a string so that nothing from the data can become a formula.

Charts plot from a "Chart data" sheet, not from the table cells: a withheld value is shown as
``[c]`` in its table, and Excel plots a text cell as zero. On the chart data sheet a withheld or
not calculable value's cell is left empty (so neither the chart nor its stored data cache holds a
zero for it), its "As published" cell says ``[c]`` or ``[x]``, and the chart labels the bar's
position with the symbol.

Internal workbooks (``--audience internal``) carry the stamp on every sheet: in cell A2 of the
cover and A3 of every other sheet (contents, notes, each table, chart data), in every sheet's
printed header, and with red sheet tabs.
"""

from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter

from equality_reports.document import SYMBOLS, Chart, Document, Table
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.charts import ChartSeries, chart_description, chart_series
from equality_reports.renderers.common import (
    NOT_FOR_PUBLICATION,
    NOT_FOR_PUBLICATION_DETAIL,
    cell_value,
    fixed_time,
    header_label,
    link_target,
    normalise_zip,
    xml_safe,
)

FORMATS = {"count": "#,##0", "percent": "0.0", "ratio": "0.00", "number": "#,##0.0"}
FIRST_ROW = 3  # the table header row (0-based): A1 title, A2 description, A3 stamp or source
CHART_DATA = "Chart data"
STAMP_COLOUR = "#9C0006"


def sheet_names(tables: list[Table]) -> list[str]:
    """Unique, meaningful sheet names of at most 31 characters."""
    used = {"cover", "contents", "notes", CHART_DATA.lower()}
    names = []
    for i, table in enumerate(tables, start=1):
        base = re.sub(r"[\[\]:*?/\\']", "", table.title).strip() or table.id
        base = re.sub(r"\s+", " ", base)
        name = f"{i} {base}"[:31].rstrip()
        names.append(name)
        used.add(name.lower())
    return names


def axis_labels(series: list[ChartSeries]) -> list[str]:
    """Category labels for a chart's axis: a category with a value that is not plotted carries its
    symbol ('Ethnic minority [c]'; with several series 'Ethnic minority (Senior staff [c])'), since
    spreadsheet programs show no data label where there is no bar."""
    out = []
    for i, point in enumerate(series[0].points):
        missing = [(s.label, s.points[i].shown) for s in series if s.points[i].value is None]
        if not missing:
            out.append(point.category)
        elif len(series) == 1:
            out.append(f"{point.category} {missing[0][1]}")
        else:
            out.append(f"{point.category} ({'; '.join(f'{label} {shown}' for label, shown in missing)})")
    return out


def _write_link(ws, row: int, col: int, target: str, text: str, fmt) -> bool:  # type: ignore[no-untyped-def]
    """A hyperlink cell for a target :func:`link_target` allowed (a relative path as an external
    file link); False when Excel cannot hold it (too long, too many links), for plain text instead."""
    url = target if _SCHEME.match(target) else f"external:{target}"
    return ws.write_url(row, col, url, fmt, string=text) == 0


_SCHEME = re.compile(r"^(https?|mailto):", re.IGNORECASE)


class XlsxRenderer:
    format = "xlsx"
    suffix = ".xlsx"
    is_directory = False

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        document = xml_safe(document)
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
        charts = self._chart_plan(document, tables)
        self._cover(wb, document, fmt)
        self._contents(wb, document, tables, names, fmt, bool(charts))
        self._notes(wb, document, fmt)
        table_names: set[str] = set()
        for table, name in zip(tables, names):
            self._table_sheet(wb, document, table, name, fmt, numbers, table_names, charts)
        if charts:
            self._chart_data(wb, document, charts, fmt, numbers)
        if document.not_for_publication:
            for ws in wb.worksheets():
                ws.set_tab_color(STAMP_COLOUR)
                ws.set_header(f"&C&\"Arial,Bold\"&K9C0006{NOT_FOR_PUBLICATION}")
                ws.set_footer(f"&C&\"Arial,Bold\"&K9C0006{NOT_FOR_PUBLICATION}")
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
                 "Small numbers are withheld (threshold " + str(document.threshold) + ") and shown as [c]."]
        if document.not_for_publication:  # the stamp right under the title, and no claim of withholding
            lines = [NOT_FOR_PUBLICATION, NOT_FOR_PUBLICATION_DETAIL, *lines[:-1]]
        for i, line in enumerate(lines, start=1):
            ws.write_string(i, 0, line, fmt["stamp"] if line == NOT_FOR_PUBLICATION else fmt["text"])

    @staticmethod
    def _stamp_row(ws, document: Document, fmt) -> int:  # type: ignore[no-untyped-def]
        """Internal workbooks: the stamp in A3. Returns the row (0-based) the sheet's table starts on."""
        if not document.not_for_publication:
            return 2
        ws.write_string(2, 0, NOT_FOR_PUBLICATION, fmt["stamp"])
        return 3

    def _contents(self, wb, document: Document, tables: list[Table], names: list[str], fmt,  # type: ignore[no-untyped-def]
                  chart_data: bool) -> None:
        ws = wb.add_worksheet("Contents")
        ws.write_string(0, 0, "Table of contents", fmt["title"])
        ws.write_string(1, 0, "This worksheet contains one table. Select a sheet name to go to it.", fmt["text"])
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 90)
        top = self._stamp_row(ws, document, fmt)
        rows = [["Notes", "Notes and symbols used in the tables"]] + [[n, t.title] for n, t in zip(names, tables)]
        if chart_data:
            rows.append([CHART_DATA, "The values plotted in the charts (withheld values are not plotted)"])
        ws.add_table(top, 0, top + len(rows), 1, {"name": "table_of_contents", "style": "Table Style Light 9",
                                                  "autofilter": False,
                                                  "columns": [{"header": "Sheet name"}, {"header": "Table title"}]})
        for i, (sheet, title) in enumerate(rows, start=top + 1):
            ws.write_url(i, 0, f"internal:'{sheet}'!A1", fmt["link"], string=sheet)
            ws.write_string(i, 1, title, fmt["text"])

    def _notes(self, wb, document: Document, fmt) -> None:  # type: ignore[no-untyped-def]
        ws = wb.add_worksheet("Notes")
        ws.write_string(0, 0, "Notes", fmt["title"])
        ws.write_string(1, 0, "This worksheet contains one table: the symbols and notes used in this workbook.",
                        fmt["text"])
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 110)
        top = self._stamp_row(ws, document, fmt)
        rows = [[s, m] for s, m in SYMBOLS.items()]
        rows += [["Note", n] for n in document.notes]
        for table in document.tables():
            rows += [[table.title[:60], n] for n in table.notes]
        ws.add_table(top, 0, top + len(rows), 1, {"name": "notes_table", "style": "Table Style Light 9",
                                                  "autofilter": False,
                                                  "columns": [{"header": "Symbol or table"}, {"header": "Meaning"}]})
        for i, (a, b) in enumerate(rows, start=top + 1):
            ws.write_string(i, 0, a, fmt["text"])
            ws.write_string(i, 1, b, fmt["text"])

    def _table_sheet(self, wb, document: Document, table: Table, name: str, fmt, numbers,  # type: ignore[no-untyped-def]
                     table_names: set[str], charts: list[tuple[Chart, int, list]]) -> None:
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
        while tname.lower() in table_names or tname.lower() in ("table_of_contents", "notes_table", "chart_data"):
            tname += "_1"
        table_names.add(tname.lower())
        ws.add_table(FIRST_ROW, 0, FIRST_ROW + max(n_rows, 1), len(cols) - 1, {
            "name": tname, "style": "Table Style Light 9", "autofilter": False,
            "columns": [{"header": header_label(c), "header_format": fmt["header"]} for c in cols]})
        for r in range(n_rows):
            for c, col in enumerate(cols):
                value = cell_value(table, r, col)
                row = FIRST_ROW + 1 + r
                target = link_target(table.data.at[r, col.link]) if col.link in table.data.columns else None
                if isinstance(value, str):
                    if not (target and _write_link(ws, row, c, target, value, fmt["link"])):
                        ws.write_string(row, c, value, fmt["symbol"] if col.kind != "text" else fmt["text"])
                else:
                    ws.write_number(row, c, value, numbers.get(col.kind, fmt["text"]))
        for c, col in enumerate(cols):
            texts = [str(cell_value(table, r, col)) for r in range(min(n_rows, 200))]
            width = max([len(header_label(col)) * 0.6, *[len(t) for t in texts], 8])
            ws.set_column(c, c, min(max(width + 2, 10), 60))
        below = FIRST_ROW + n_rows + 3
        for chart, first, series in charts:
            if chart.table == table.id:
                self._chart(wb, ws, document, name, chart, first, series, below)
                below += 20

    def _chart_plan(self, document: Document, tables: list[Table]) -> list[tuple[Chart, int, list]]:
        """Each chart with the first row of its data on the chart data sheet and its series."""
        in_workbook = {t.id: t for t in tables}
        plan, row = [], FIRST_ROW + 1
        for chart in document.charts():
            table = in_workbook.get(chart.table)
            if table is None or not len(table.data):
                continue
            visible = {c.key for c in table.visible_columns}
            series = [s for s in chart_series(document, chart) if s.key in visible]
            if not series:
                continue
            plan.append((chart, row, series))
            row += sum(len(s.points) for s in series)
        return plan

    def _chart_data(self, wb, document: Document, charts, fmt, numbers) -> None:  # type: ignore[no-untyped-def]
        """One table: every plotted value, one series after another, withheld values left empty."""
        ws = wb.add_worksheet(CHART_DATA)
        ws.write_string(0, 0, "Values plotted in the charts", fmt["title"])
        ws.write_string(1, 0, "This worksheet contains one table: each chart's values, one series after "
                              "another. Values shown as [c] (withheld) or [x] (not calculable) are not "
                              "plotted: their cell in the Value plotted column is empty, and the chart "
                              "shows the symbol instead.", fmt["text"])
        ws.write_string(2, 0, NOT_FOR_PUBLICATION if document.not_for_publication else
                        "See the Notes sheet for what the symbols mean.",
                        fmt["stamp"] if document.not_for_publication else fmt["text"])
        rows = [(chart, s, p, label) for chart, _first, series in charts for s in series
                for p, label in zip(s.points, axis_labels(series))]
        ws.add_table(FIRST_ROW, 0, FIRST_ROW + len(rows), 4, {
            "name": "chart_data", "style": "Table Style Light 9", "autofilter": False,
            "columns": [{"header": h, "header_format": fmt["header"]} for h in
                        ("Chart", "Series", "Category as labelled in the chart", "Value plotted",
                         "As published")]})
        for i, (chart, s, p, label) in enumerate(rows, start=FIRST_ROW + 1):
            ws.write_string(i, 0, chart.title, fmt["text"])
            ws.write_string(i, 1, s.label, fmt["text"])
            ws.write_string(i, 2, label, fmt["text"])
            if p.value is not None:  # nothing at all is written for a value that is not plotted
                ws.write_number(i, 3, p.value, numbers["percent" if chart.unit == "percent" else "ratio"])
            ws.write_string(i, 4, p.shown, fmt["symbol"])
        ws.set_column(0, 0, 50)
        ws.set_column(1, 2, 30)
        ws.set_column(3, 4, 14)

    def _chart(self, wb, ws, document: Document, sheet: str, chart: Chart, first: int, series,  # type: ignore[no-untyped-def]
               row: int) -> None:
        kind = {"type": "bar", "subtype": "stacked"} if chart.kind == "stacked" else {"type": "bar"}
        xl_chart = wb.add_chart(kind)
        label_format = FORMATS["percent" if chart.unit == "percent" else "ratio"]
        for s in series:
            last = first + len(s.points) - 1
            custom = [None if p.value is not None else {"value": p.shown} for p in s.points]
            xl_chart.add_series({
                "name": s.label,
                "categories": [CHART_DATA, first, 2, last, 2],
                "values": [CHART_DATA, first, 3, last, 3],
                "data_labels": {"value": True, "num_format": label_format,
                                **({"custom": custom} if any(custom) else {})},
            })
            first = last + 1
        xl_chart.set_title({"name": chart.title})
        xl_chart.set_legend({"position": "bottom"})
        xl_chart.set_y_axis({"reverse": True})
        xl_chart.show_blanks_as("gap")
        ws.insert_chart(row, 0, xl_chart, {"description": chart_description(document, chart, limit=1000),
                                           "x_scale": 1.4, "y_scale": 1.2})
