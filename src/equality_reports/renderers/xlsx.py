"""Excel output following the Analysis Function guidance on releasing statistics in spreadsheets.

Writes the sheets :mod:`equality_reports.renderers.workbook` plans (cover, contents, notes, one
table per sheet named ``Table_N``, chart data), each table marked up as an Excel table, title in A1,
no merged cells, typed numbers and dates with number formats, native charts with descriptions, and
every text cell written as a string so that nothing from the data can become a formula. Printing:
A4, fitted to the page width, landscape for wide tables, the table's header row repeated.

Charts plot from the "Chart_data" sheet, not from the table cells: a withheld value is shown as
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
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import xlsxwriter

from equality_reports.document import Chart, Document
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.charts import ChartSeries, chart_description, chart_series
from equality_reports.renderers.common import NOT_FOR_PUBLICATION, fixed_time, normalise_zip, xml_safe
from equality_reports.renderers.workbook import CHART_DATA, LINE_HEIGHT, Cell, Sheet, decimal_format, plan_workbook

STAMP_COLOUR = "#9C0006"
FONT = "Arial"
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 15},
    "heading": {"bold": True, "font_size": 12},
    "text": {},
    "stamp": {"bold": True, "font_color": STAMP_COLOUR},
    "header": {"bold": True, "text_wrap": True, "valign": "top"},
    "header_number": {"bold": True, "text_wrap": True, "valign": "top", "align": "right"},
    "link": {"font_color": "#1F4E9E", "underline": 1},
    "symbol": {"align": "right"},
}


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
        charts = chart_plan(document)
        plan = plan_workbook(document, settings.publication, fixed_time(document).replace(tzinfo=None),
                             chart_rows(charts))
        wb = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False})
        wb.set_properties({**plan.properties, "keywords": ", ".join(plan.keywords), "manager": "",
                           "created": plan.created})
        formats = _Formats(wb)
        data_row = plan.sheet(CHART_DATA).header_row + 1 if charts else 0
        for sheet in plan.sheets:
            ws = wb.add_worksheet(sheet.name)
            _write_sheet(ws, sheet, formats)
            below = sheet.header_row + len(sheet.table.rows if sheet.table else []) + 3
            for chart, first, series in charts:
                if sheet.source == chart.table:
                    _chart(wb, ws, document, chart, data_row + first, series, below)
                    below += 20
        if plan.stamp:
            for ws in wb.worksheets():
                ws.set_tab_color(STAMP_COLOUR)
                ws.set_header(f"&C&\"Arial,Bold\"&K9C0006{NOT_FOR_PUBLICATION}")
                ws.set_footer(f"&C&\"Arial,Bold\"&K9C0006{NOT_FOR_PUBLICATION}")
        wb.close()
        _set_language(target, plan.language)
        normalise_zip(target, fixed_time(document))


class _Formats:
    """One xlsxwriter format per (style, number format, wrap), made when first used."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.made: dict[tuple[str, str | None, bool], Any] = {}

    def __call__(self, style: str, number_format: str | None = None, wrap: bool = False) -> Any:
        key = (style, number_format, wrap)
        if key not in self.made:
            spec = {"font_name": FONT, **_STYLES[style], **({"num_format": number_format} if number_format else {})}
            self.made[key] = self.wb.add_format({**spec, **({"text_wrap": True, "valign": "top"} if wrap else {})})
        return self.made[key]


def _write_sheet(ws, sheet: Sheet, formats: _Formats) -> None:  # type: ignore[no-untyped-def]
    """Title, lines, the table as an Excel table, column widths and print setup."""
    cover = sheet.table is None  # one column of text, wrapped to its width
    ws.write_string(0, 0, sheet.title, formats("title"))
    for row, cell in enumerate(sheet.lines, start=1):
        _write_cell(ws, row, 0, cell, formats, cover)
        if cover and sheet.lines_of([cell]) > 1:
            ws.set_row(row, LINE_HEIGHT * sheet.lines_of([cell]))
    for col, width in enumerate(sheet.widths):
        ws.set_column(col, col, width)
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_landscape() if sheet.landscape else ws.set_portrait()
    grid = sheet.table
    if grid is None:
        return
    top = sheet.header_row
    ws.add_table(top, 0, top + max(len(grid.rows), 1), len(grid.header) - 1, {
        "name": grid.name, "style": "Table Style Light 9", "autofilter": False,
        "columns": [{"header": h, "header_format": formats("header_number" if grid.numeric(i) else "header")}
                    for i, h in enumerate(grid.header)]})
    ws.set_row(top, LINE_HEIGHT * sheet.lines_of([Cell(h) for h in grid.header]))
    ws.repeat_rows(top)
    for r, cells in enumerate(grid.rows, start=top + 1):
        lines = sheet.lines_of(cells)
        if lines > 1:  # long text wraps within its column, on a row tall enough for it
            ws.set_row(r, LINE_HEIGHT * lines)
        for c, item in enumerate(cells):
            if item is not None:  # nothing at all is written for an empty cell
                _write_cell(ws, r, c, item, formats, lines > 1)


def _write_cell(ws, row: int, col: int, cell: Cell, formats: _Formats, wrap: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Text with write_string (or a link), numbers with write_number, dates with write_datetime."""
    fmt = formats(cell.style, cell.number_format, wrap)
    value = cell.value
    if isinstance(value, str):
        if cell.link and cell.link.startswith("#"):
            ws.write_url(row, col, f"internal:'{cell.link[1:]}'!A1", fmt, string=value)
        elif not (cell.link and _write_link(ws, row, col, cell.link, value, fmt)):
            ws.write_string(row, col, value, formats("text" if cell.style == "link" else cell.style, wrap=wrap))
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime.combine(value, time()), fmt)
    else:
        ws.write_number(row, col, value, fmt)


def _set_language(path: Path, language: str) -> None:
    """Record the workbook's language (dc:language) in its core properties: xlsxwriter has no key for it."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = data.replace(b"</cp:coreProperties>",
                                    f"<dc:language>{escape(language)}</dc:language></cp:coreProperties>".encode())
            dst.writestr(name, data)


def chart_plan(document: Document) -> list[tuple[Chart, int, list[ChartSeries]]]:
    """Each chart with the position of its first value among the chart data sheet's rows, and its series."""
    in_workbook = {t.id: t for t in document.tables()}
    plan, row = [], 0
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


def chart_rows(charts: list[tuple[Chart, int, list[ChartSeries]]]) -> list[list[Any]]:
    """The chart data sheet's rows: chart, series, category as labelled, value plotted, unit, shown."""
    return [[chart.title, s.label, label, p.value, chart.unit, p.shown] for chart, _first, series in charts
            for s in series for p, label in zip(s.points, axis_labels(series))]


def _chart(wb, ws, document: Document, chart: Chart, first: int, series: list[ChartSeries],  # type: ignore[no-untyped-def]
           row: int) -> None:
    kind = {"type": "bar", "subtype": "stacked"} if chart.kind == "stacked" else {"type": "bar"}
    xl_chart = wb.add_chart(kind)
    label_format = decimal_format(1 if chart.unit == "percent" else 2)
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
