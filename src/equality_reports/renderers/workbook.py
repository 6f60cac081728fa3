"""The spreadsheet plan: every sheet of the Excel and OpenDocument outputs, built once from a
Document (after ONS gptables and the Analysis Function's "Releasing statistics in spreadsheets").

A :class:`WorkbookPlan` holds a cover, a contents sheet linking to every sheet, a notes sheet and
one sheet per table named ``Table_1``, ``Table_2``, ... (short, unique, no spaces) with the full
title in A1. Cells are typed: numbers are numbers with a number format (code in Excel's syntax)
that shows them as published, dates are dates, and the shorthand symbols (``[c]``, ``[x]``,
``[z]``) and other text are text. ``renderers.xlsx`` and ``renderers.ods`` only write the plan.

Text cells of a table that hold a number or date as this tool publishes it (a headline restated as
``19.5%``, ``1,486``, ``+2.4 percentage points``, ``12 Mar 2024``) become that number or date with a
format that shows the same text, so no number is stored as text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from equality_reports.document import SUPPRESSED, SYMBOLS, Document, Table, join_words, long_date
from equality_reports.renderers import Publication
from equality_reports.renderers.common import (
    NOT_FOR_PUBLICATION,
    NOT_FOR_PUBLICATION_DETAIL,
    cell_value,
    full_title,
    header_label,
    link_target,
)

Style = Literal["text", "heading", "stamp", "symbol", "link"]
CHART_DATA = "Chart_data"
DATE_FORMAT = "d mmmm yyyy"
#: a table this wide (characters, all columns) prints landscape
LANDSCAPE_WIDTH = 100
#: the height of one line of 11-point text, in points
LINE_HEIGHT = 15


@dataclass(frozen=True)
class Cell:
    """One cell: text, a number or a date. ``number_format`` (Excel syntax) is set for numbers and
    dates; ``link`` is an address :func:`link_target` allowed or ``#Sheet`` for a sheet of the
    workbook."""

    value: str | int | float | date
    number_format: str | None = None
    link: str | None = None
    style: Style = "text"


@dataclass
class Grid:
    """The one table of a sheet: a header row and rows of cells; ``name`` is unique in the workbook."""

    name: str
    header: list[str]
    rows: list[list[Cell | None]]  # None: an empty cell

    def numeric(self, column: int) -> bool:
        """True when the column holds numbers (and symbols): its heading is right-aligned like them."""
        cells = [c for c in (r[column] for r in self.rows) if c is not None]
        return any(not isinstance(c.value, str) for c in cells) and all(
            not isinstance(c.value, str) or c.value in SYMBOLS for c in cells)


@dataclass
class Sheet:
    """One sheet: the title in A1, ``lines`` in column A below it, then the table (if any)."""

    name: str
    title: str
    lines: list[Cell]
    table: Grid | None = None
    widths: list[float] = field(default_factory=lambda: [80.0])
    #: the Document table this sheet shows (charts are placed beside it)
    source: str | None = None

    @property
    def header_row(self) -> int:
        """The 0-based row of the table's header."""
        return 1 + len(self.lines)

    @property
    def landscape(self) -> bool:
        return sum(self.widths) > LANDSCAPE_WIDTH

    def lines_of(self, cells: list[Cell | None]) -> int:
        """How many lines of text the tallest cell of a row takes, wrapped to its column's width."""
        return max([text_lines(c.value, w) for c, w in zip(cells, self.widths) if c and isinstance(c.value, str)],
                   default=1)


def text_lines(text: str, width: float) -> int:
    """Lines a text takes wrapped in a column ``width`` units wide (a unit is the width of a digit;
    text averages about 1.15 characters a unit)."""
    return sum(max(1, math.ceil(len(line) / max(width * 1.15 - 2, 1))) for line in text.split("\n"))


@dataclass
class WorkbookPlan:
    sheets: list[Sheet]
    properties: dict[str, str]
    keywords: list[str]
    language: str
    created: datetime
    stamp: bool

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


def table_sheet_names(tables: list[Table]) -> list[str]:
    """``Table_1``, ``Table_2``, ...: short, unique and the same in every spreadsheet format."""
    return [f"Table_{i}" for i in range(1, len(tables) + 1)]


def decimal_format(decimals: int, grouped: bool = False) -> str:
    """``0.0``, ``#,##0.00``, ...: a number shown with this many decimal places."""
    whole = "#,##0" if grouped else "0"
    return whole + ("." + "0" * decimals if decimals > 0 else "")


_COLUMN_FORMAT = {"count": (0, True), "percent": (1, False), "ratio": (2, False), "number": (1, True)}
_NUMBER_TEXT = re.compile(r"^(?P<sign>[+-]?)(?P<whole>\d{1,3}(?:,\d{3})+|0|[1-9]\d{0,14})(?:\.(?P<decimals>\d{1,6}))?"
                          r"(?P<unit>%| percentage points)?$")
_DATE_TEXTS = (("%d %B %Y", DATE_FORMAT), ("%d %b %Y", "d mmm yyyy"), ("%Y-%m-%d", "yyyy-mm-dd"))


def typed_text(text: str) -> Cell | None:
    """The number or date a published text shows, with a format that shows the same text, or None
    when the text is not one (``19.5%`` is 19.5 shown ``0.0"%"``; ``1,486`` is 1486 shown
    ``#,##0``; ``7 Mar 2026`` is a date). Percentages stay on the 0-100 scale of the tables."""
    match = _NUMBER_TEXT.match(text)
    if match:
        decimals = len(match["decimals"] or "")
        body = decimal_format(decimals, grouped="," in match["whole"])
        unit = {"%": '"%"', " percentage points": '" percentage points"'}.get(match["unit"] or "", "")
        code = f"{body}{unit}"
        if match["sign"] == "+":
            code = f"+{code};-{code};{code}"
        value = float(text.replace(",", "").replace("%", "").replace(" percentage points", ""))
        return Cell(int(value) if decimals == 0 else value, code, style="symbol")
    if 8 <= len(text) <= 20 and text[:1].isdigit():
        for pattern, code in _DATE_TEXTS:
            try:
                parsed = datetime.strptime(text, pattern).date()
            except ValueError:
                continue
            if _same_date_text(parsed, text, pattern):
                return Cell(parsed, code, style="symbol")
    return None


def _same_date_text(parsed: date, text: str, pattern: str) -> bool:
    """strptime accepts '07 March 2026' for '7 March 2026': only the form the tool writes counts."""
    return text in (f"{parsed.day} {parsed:{pattern[3:]}}", parsed.isoformat())


def table_cell(table: Table, row: int, column_key: str) -> Cell:
    """A table cell as published, typed (see the module docstring). Row labels (the row key column)
    stay text even when they read as numbers: indicators "1" to "8" beside "7a" are names."""
    column = table.column(column_key)
    value = cell_value(table, row, column)
    target = link_target(table.data.at[row, column.link]) if column.link in table.data.columns else None
    shown = table.display_value(row, column_key)
    if hasattr(shown, "strftime"):
        return Cell(shown.date() if isinstance(shown, datetime) else shown, DATE_FORMAT, style="symbol")
    if not isinstance(value, str):
        decimals, grouped = _COLUMN_FORMAT.get(column.kind, (1, True))
        places = column.decimals if column.decimals is not None else decimals
        return Cell(value, decimal_format(places, grouped))
    if target:
        return Cell(value, link=target, style="link")
    if value in SYMBOLS:
        return Cell(value, style="symbol")
    return (None if column_key == table.row_key else typed_text(value)) or Cell(value)


def _shown_length(cell: Cell) -> int:
    """About how many characters a cell shows (numbers and dates as their format shows them)."""
    if isinstance(cell.value, str):
        return len(cell.value)
    if isinstance(cell.value, date):
        return 17  # "30 September 2026"
    unit = len(" percentage points") if "percentage points" in (cell.number_format or "") else 1
    return len(f"{abs(cell.value):,.2f}") + 1 + unit


def _width(header: str, cells: list[Cell | None]) -> float:
    return min(max(len(header) * 0.6, *(_shown_length(c) for c in cells[:200] if c), 8) + 2, 60)


def _lines(*texts: str) -> list[Cell]:
    return [Cell(t, style="stamp" if t == NOT_FOR_PUBLICATION else "text") for t in texts]


def _grid_widths(grid: Grid) -> list[float]:
    return [max(_width(h, [r[i] for r in grid.rows]), 10) for i, h in enumerate(grid.header)]


def cover_sheet(document: Document, publication: Publication, tables: list[Table]) -> Sheet:
    """Title, period, publication date, source, contact and the ``[c]`` rule, one item a row."""
    period = f"{long_date(document.period_start)} to {long_date(document.period_end)}"
    lines: list[Cell] = []
    if document.not_for_publication:  # the stamp right under the title
        lines += _lines(NOT_FOR_PUBLICATION, NOT_FOR_PUBLICATION_DETAIL)
    lines += _lines(document.subtitle or document.organisation)

    def item(heading: str, cell: Cell) -> None:
        lines.extend([Cell(heading, style="heading"), cell])

    item("Period covered", Cell(period))
    if publication.published is not None:
        item("Publication date", Cell(publication.published, DATE_FORMAT, style="text"))
    item("Source", Cell(publication.source or f"{document.organisation} workforce records for {period}"))
    if publication.contact:
        contact = publication.contact.strip()
        target = link_target(contact if re.match(r"(https?|mailto):", contact, re.IGNORECASE) else f"mailto:{contact}")
        item("Contact", Cell(publication.contact, link=target, style="link" if target else "text"))
    if document.not_for_publication:
        item("Withheld numbers", Cell("None: this internal workbook shows every count, however small."))
    else:
        shown = any(SUPPRESSED in t.shown_symbols() for t in tables)
        item("Withheld numbers [c]", Cell(
            f"Numbers from 1 to {document.threshold - 1}, and numbers from which one could be worked out, "
            f"are withheld to protect individuals and shown as [c]"
            f"{'' if shown else '; no table in this workbook needed to withhold one'}. The Notes sheet explains "
            f"every symbol used."))
    sheets = "one table (Table_1)" if len(tables) == 1 else f"one table per sheet (Table_1 to Table_{len(tables)})"
    item("Contents", Cell(f"The Contents sheet links to every sheet: the Notes sheet and {sheets}."
                          if tables else "The Contents sheet links to every sheet."))
    return Sheet("Cover", document.title, lines)


def _stamped(document: Document, *texts: str) -> list[Cell]:
    return _lines(*texts, *([NOT_FOR_PUBLICATION] if document.not_for_publication else []))


def contents_sheet(document: Document, entries: list[tuple[str, str]]) -> Sheet:
    rows: list[list[Cell | None]] = [[Cell(name, link=f"#{name}", style="link"), Cell(title)]
                                     for name, title in entries]
    grid = Grid("table_of_contents", ["Sheet name", "Table title"], rows)
    # the tables disclosure control left out are in no sheet: the sentences standing for them say so
    return Sheet("Contents", "Table of contents",
                 _stamped(document, "This worksheet contains one table. Select a sheet name to go to it.",
                          *document.left_out),
                 grid, [14, min(max([len(t) for _, t in entries], default=20) + 2, 90)])


def notes_sheet(document: Document, tables: list[Table], names: list[str]) -> Sheet:
    """Every symbol and note, with the sheet (and full title) each table note applies to."""
    everywhere = "Every table"
    shown = [t.shown_symbols() for t in tables]
    rows: list[list[Cell | None]] = []
    for symbol, meaning in SYMBOLS.items():
        where = [name for name, used in zip(names, shown) if symbol in used]
        if where:
            rows.append([Cell(symbol), Cell(everywhere if len(where) == len(names) else ", ".join(where)),
                         Cell(meaning)])
    applies: dict[str, list[str]] = {text: [everywhere] for text in document.notes}
    for t, name in zip(tables, names):
        for text in t.notes:
            applies.setdefault(text, []).append(f"{name}: {t.title}")
    rows += [[Cell(f"Note {number}"), Cell("; ".join(applies[text])), Cell(text)]
             for text, number in note_numbers(document, tables).items()]
    grid = Grid("notes_table", ["Symbol or note", "Applies to", "Meaning"], rows)
    return Sheet("Notes", "Notes",
                 _stamped(document, "This worksheet contains one table: the symbols and notes used in this "
                                    "workbook, and the tables each applies to."), grid, [14, 30, 80])


def note_numbers(document: Document, tables: list[Table]) -> dict[str, int]:
    """Each note's number on the Notes sheet: the document's notes, then the tables', in order; a
    note several tables carry is one note (listed once, with every table it applies to)."""
    texts = [*document.notes, *(text for t in tables for text in t.notes)]
    return {text: number for number, text in enumerate(dict.fromkeys(texts), start=1)}


def _covers(document: Document) -> str:
    """What a table sheet's third line says it covers: the organisation and the period, with the
    snapshot date (staff in post and pay are counted on it, events over the period)."""
    start, end = document.period_start, document.period_end
    if start == end:
        return f"{document.organisation}, {long_date(end)}."
    return f"{document.organisation}, {long_date(start)} to {long_date(end)} (snapshot date {long_date(end)})."


def _grid_name(table: Table, used: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", table.id)[:200] or "table"
    if not re.match(r"^[A-Za-z_]", name):
        name = f"t_{name}"
    while name.lower() in used:
        name += "_1"
    used.add(name.lower())
    return name


def table_sheet(document: Document, table: Table, name: str, used: set[str], numbers: dict[str, int]) -> Sheet:
    """A1 the title, A2 a description naming the table's notes (``numbers``: each note's number on
    the Notes sheet), A3 the source (internal: the stamp), the table from row 4."""
    columns = table.visible_columns
    rows: list[list[Cell | None]] = [[table_cell(table, r, c.key) for c in columns] for r in range(len(table.data))]
    grid = Grid(_grid_name(table, used), [header_label(c) for c in columns], rows)
    third = NOT_FOR_PUBLICATION if document.not_for_publication else (
        f"Source: {table.source}" if table.source else _covers(document))
    own = sorted({numbers[text] for text in table.notes})
    verb = "applies" if len(own) == 1 else "apply"
    refer = f" {join_words(f'Note {n}' for n in own)} on the Notes worksheet {verb} to this table." if own else \
        " The Notes worksheet explains the symbols it uses." if table.shown_symbols() else ""
    lines = _lines(f"This worksheet contains one table.{refer}", third)
    return Sheet(name, table.title, lines, grid, _grid_widths(grid), source=table.id)


def chart_data_sheet(document: Document, rows: list[list[Any]]) -> Sheet:
    """Every plotted value: chart, series, category as labelled, value plotted (empty when not
    plotted) and the value as published."""
    grid = Grid("chart_data", ["Chart", "Series", "Category as labelled in the chart", "Value plotted",
                               "As published"],
                [[Cell(chart), Cell(series), Cell(label),
                  None if value is None else Cell(value, decimal_format(1 if unit == "percent" else 2)),
                  typed_text(shown) or Cell(shown, style="symbol")]
                 for chart, series, label, value, unit, shown in rows])
    stamp = NOT_FOR_PUBLICATION if document.not_for_publication else "See the Notes sheet for what the symbols mean."
    return Sheet(CHART_DATA, "Values plotted in the charts",
                 _lines("This worksheet contains one table: each chart's values, one series after another. Values "
                        "shown as [c] (withheld) or [x] (not calculable) are not plotted: their cell in the Value "
                        "plotted column is empty, and the chart shows the symbol instead.", stamp),
                 grid, [50, 30, 30, 14, 14])


def plan_workbook(document: Document, publication: Publication, fixed: datetime,
                  chart_rows: list[list[Any]] | None = None) -> WorkbookPlan:
    """The whole workbook; ``chart_rows`` (the values charts plot) adds the chart data sheet."""
    tables = document.tables()
    names = table_sheet_names(tables)
    used = {"table_of_contents", "notes_table", "chart_data"}
    numbers = note_numbers(document, tables)
    sheets = [table_sheet(document, t, n, used, numbers) for t, n in zip(tables, names)]
    entries = [("Notes", "Notes and symbols used in the tables")] + [(s.name, s.title) for s in sheets]
    if chart_rows:
        sheets.append(chart_data_sheet(document, chart_rows))
        entries.append((CHART_DATA, "The values plotted in the charts (withheld values are not plotted)"))
    period = f"{long_date(document.period_start)} to {long_date(document.period_end)}"
    properties = {
        "title": full_title(document), "subject": f"{document.organisation}: {period}",
        "author": document.organisation, "company": document.organisation,
        "comments": NOT_FOR_PUBLICATION if document.not_for_publication else "Published with disclosure control.",
        "category": "Not for publication" if document.not_for_publication else "Official publication",
    }
    keywords = ["equality", "workforce", document.report]
    return WorkbookPlan([cover_sheet(document, publication, tables), contents_sheet(document, entries),
                         notes_sheet(document, tables, names), *sheets], properties, keywords,
                        document.language, fixed, document.not_for_publication)
