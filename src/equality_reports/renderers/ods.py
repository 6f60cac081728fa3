"""OpenDocument spreadsheet output (.ods), written with odfpy from the same plan as the Excel output.

Cover, contents (links to each sheet), notes and one table per sheet ``Table_N``: numbers and
dates are typed cells with number styles that show them as the Excel workbook does, ``[c]`` and
other text are string cells (an ODS string cell is never a formula). Printing: A4, fitted to the
page width, landscape for wide tables, the header row repeated on every page. Charts are not drawn
(the Word and Excel outputs have them), so there is no chart data sheet.

Internal workbooks carry the stamp in A2 of the cover and A3 of every other sheet, and in every
page's printed header and footer. The file is byte-identical for identical input: fixed dates in
the properties and in the zip entries, the ``mimetype`` entry first and stored.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from odf import dc, meta, number, style, table, teletype, text
from odf.element import Element
from odf.namespaces import nsdict
from odf.opendocument import OpenDocumentSpreadsheet

from equality_reports.document import Document
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.common import NOT_FOR_PUBLICATION, fixed_time, normalise_zip, xml_safe
from equality_reports.renderers.workbook import LINE_HEIGHT, Cell, Sheet, WorkbookPlan, plan_workbook

#: a column width unit (a digit's width in Excel) in centimetres
UNIT_CM = 0.19
_TEXT = {"title": {"fontweight": "bold", "fontsize": "15pt"}, "heading": {"fontweight": "bold", "fontsize": "12pt"},
         "stamp": {"fontweight": "bold", "color": "#9C0006"}, "header": {"fontweight": "bold"},
         "header_number": {"fontweight": "bold"}, "link": {"color": "#1F4E9E"}, "text": {}, "symbol": {}}
_FORMAT = re.compile(r'^(?P<plus>\+)?(?P<grouped>#,##)?0(?:\.(?P<decimals>0+))?(?:"(?P<unit>[^"]*)")?')
_DATE_PARTS = {"d": ("day", {}), "mmmm": ("month", {"textual": "true", "style": "long"}),
               "mmm": ("month", {"textual": "true"}), "mm": ("month", {"style": "long"}),
               "yyyy": ("year", {"style": "long"}), "dd": ("day", {"style": "long"})}


class OdsRenderer:
    format = "ods"
    suffix = ".ods"
    is_directory = False

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        document = xml_safe(document)
        plan = plan_workbook(document, settings.publication, fixed_time(document).replace(tzinfo=None))
        _fixed_namespaces()
        doc = OpenDocumentSpreadsheet()
        _properties(doc, plan)
        styles = _Styles(doc, plan.stamp)
        for sheet in plan.sheets:
            doc.spreadsheet.addElement(_sheet(sheet, styles))
        buffer = io.BytesIO()
        doc.write(buffer)
        target.write_bytes(buffer.getvalue())
        normalise_zip(target, fixed_time(document), stored=("mimetype",))


def _fixed_namespaces() -> None:
    """odfpy declares, in every file, the namespaces its process has met so far (one dict shared by
    all elements), so a file would depend on what was written before it: start from all of them."""
    Element.namespaces.clear()
    Element.namespaces.update({url: prefix for url, prefix in nsdict.items() if prefix != "xml"})


def _properties(doc: OpenDocumentSpreadsheet, plan: WorkbookPlan) -> None:
    when = plan.created.isoformat()
    props = plan.properties
    doc.meta.addElement(dc.Title(text=props["title"]))
    doc.meta.addElement(dc.Subject(text=props["subject"]))
    doc.meta.addElement(dc.Description(text=props["comments"]))
    doc.meta.addElement(dc.Language(text=plan.language))
    doc.meta.addElement(dc.Creator(text=props["author"]))
    doc.meta.addElement(meta.InitialCreator(text=props["author"]))
    doc.meta.addElement(meta.CreationDate(text=when))
    doc.meta.addElement(dc.Date(text=when))
    for keyword in plan.keywords:
        doc.meta.addElement(meta.Keyword(text=keyword))
    doc.meta.addElement(meta.UserDefined(name="Category", text=props["category"]))


class _Styles:
    """Automatic styles, made when first used: cells per (style, number format), columns, rows, pages."""

    def __init__(self, doc: OpenDocumentSpreadsheet, stamp: bool) -> None:
        self.doc = doc
        self.cells: dict[tuple[str, str | None, bool], style.Style] = {}
        self.numbers: dict[str, str] = {}
        self.columns: dict[float, style.Style] = {}
        self.rows: dict[int, style.Style] = {}
        self.tables = {orientation: self._page(orientation, stamp) for orientation in ("portrait", "landscape")}

    def _page(self, orientation: str, stamp: bool) -> style.Style:
        wide = orientation == "landscape"
        layout = style.PageLayout(name=f"page_{orientation}")
        layout.addElement(style.PageLayoutProperties(
            pagewidth="29.7cm" if wide else "21cm", pageheight="21cm" if wide else "29.7cm",
            printorientation=orientation, margin="1.5cm", scaletox="1", scaletoy="0"))
        self.doc.automaticstyles.addElement(layout)
        master = style.MasterPage(name=orientation.capitalize(), pagelayoutname=layout)
        if stamp:
            for part in (style.Header(), style.Footer()):
                part.addElement(text.P(text=NOT_FOR_PUBLICATION))
                master.addElement(part)
        self.doc.masterstyles.addElement(master)
        table_style = style.Style(name=f"table_{orientation}", family="table", masterpagename=master)
        self.doc.automaticstyles.addElement(table_style)
        return table_style

    def cell(self, kind: str, number_format: str | None = None, wrap: bool = False) -> style.Style:
        key = (kind, number_format, wrap)
        if key not in self.cells:
            extra = {"datastylename": self._number(number_format)} if number_format else {}
            made = style.Style(name=f"ce{len(self.cells) + 1}", family="table-cell", **extra)
            made.addElement(style.TextProperties(fontname="Arial", fontfamily="Arial", **_TEXT[kind]))
            made.addElement(style.TableCellProperties(
                verticalalign="top", **({"wrapoption": "wrap"} if wrap or kind.startswith("header") else {})))
            if kind in ("symbol", "header_number"):
                made.addElement(style.ParagraphProperties(textalign="end"))
            self.doc.automaticstyles.addElement(made)
            self.cells[key] = made
        return self.cells[key]

    def _number(self, code: str) -> str:
        """The data style for a number format code of the plan (Excel syntax)."""
        if code not in self.numbers:
            name = f"N{len(self.numbers) + 1}"
            match = _FORMAT.match(code)
            if match is None:
                self._date(name, code)
            else:
                self._number_style(name, match)
            self.numbers[code] = name
        return self.numbers[code]

    def _number_style(self, name: str, match: re.Match[str]) -> None:
        def make(style_name: str, sign: str) -> number.NumberStyle:
            made = number.NumberStyle(name=style_name)
            if sign:
                made.addElement(number.Text(text=sign))
            made.addElement(number.Number(decimalplaces=len(match["decimals"] or ""),
                                          minintegerdigits=1, grouping="true" if match["grouped"] else "false"))
            if match["unit"]:
                made.addElement(number.Text(text=match["unit"]))
            return made

        main = make(name, "")
        if match["plus"]:  # '+2.4': positive numbers show their sign
            positive = make(f"{name}P", "+")
            self.doc.automaticstyles.addElement(positive)
            main.addElement(style.Map(condition="value()>0", applystylename=positive.getAttribute("name")))
        self.doc.automaticstyles.addElement(main)

    def _date(self, name: str, code: str) -> None:
        made = number.DateStyle(name=name)
        for part in re.findall(r"d+|m+|y+|[^dmy]+", code):
            if part in _DATE_PARTS:
                element, attrs = _DATE_PARTS[part]
                made.addElement({"day": number.Day, "month": number.Month, "year": number.Year}[element](**attrs))
            else:
                made.addElement(number.Text(text=part))
        self.doc.automaticstyles.addElement(made)

    def column(self, width: float) -> style.Style:
        if width not in self.columns:
            made = style.Style(name=f"co{len(self.columns) + 1}", family="table-column")
            made.addElement(style.TableColumnProperties(columnwidth=f"{width * UNIT_CM:.2f}cm"))
            self.doc.automaticstyles.addElement(made)
            self.columns[width] = made
        return self.columns[width]

    def row(self, lines: int) -> style.Style:
        if lines not in self.rows:
            made = style.Style(name=f"ro{len(self.rows) + 1}", family="table-row")
            made.addElement(style.TableRowProperties(rowheight=f"{LINE_HEIGHT * lines * 1.05:.1f}pt",
                                                     useoptimalrowheight="false"))
            self.doc.automaticstyles.addElement(made)
            self.rows[lines] = made
        return self.rows[lines]


def _sheet(sheet: Sheet, styles: _Styles) -> table.Table:
    """Title, lines, the header row (repeated when printed) and the table's rows."""
    out = table.Table(name=sheet.name, stylename=styles.tables["landscape" if sheet.landscape else "portrait"])
    for width in sheet.widths:
        out.addElement(table.TableColumn(stylename=styles.column(width)))
    cover = sheet.table is None
    out.addElement(_row([Cell(sheet.title, style="text")], styles, 1, "title"))
    for line in sheet.lines:
        out.addElement(_row([line], styles, sheet.lines_of([line]) if cover else 1, wrap=cover))
    grid = sheet.table
    if grid is None:
        return out
    header = table.TableHeaderRows()
    kinds = ["header_number" if grid.numeric(i) else "header" for i in range(len(grid.header))]
    header_row = table.TableRow(stylename=styles.row(sheet.lines_of([Cell(h) for h in grid.header])))
    for heading, kind in zip(grid.header, kinds):
        header_row.addElement(_cell(Cell(heading), styles, kind))
    header.addElement(header_row)
    out.addElement(header)
    for cells in grid.rows:
        lines = sheet.lines_of(cells)
        out.addElement(_row(cells, styles, lines, wrap=lines > 1))
    return out


def _row(cells: list[Cell | None], styles: _Styles, lines: int, kind: str | None = None,
         wrap: bool = False) -> table.TableRow:
    row = table.TableRow(stylename=styles.row(lines))
    for cell in cells:
        row.addElement(table.TableCell() if cell is None else _cell(cell, styles, kind or cell.style, wrap))
    return row


def _cell(cell: Cell, styles: _Styles, kind: str, wrap: bool = False) -> table.TableCell:
    """A string, float or date cell; links as text:a (a sheet of the workbook as ``#Table_1.A1``)."""
    value = cell.value
    cell_style = styles.cell(kind, cell.number_format, wrap)
    if isinstance(value, str):
        out = table.TableCell(valuetype="string", stylename=cell_style)
        paragraph = text.P()
        if cell.link:
            href = f"#{cell.link[1:]}.A1" if cell.link.startswith("#") else cell.link
            paragraph.addElement(text.A(href=href, type="simple", text=value))
        else:
            teletype.addTextToElement(paragraph, value)
        out.addElement(paragraph)
        return out
    if hasattr(value, "isoformat"):
        return table.TableCell(valuetype="date", datevalue=value.isoformat(), stylename=cell_style)
    return table.TableCell(valuetype="float", value=value, stylename=cell_style)
