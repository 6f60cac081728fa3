"""A blank input workbook for HR colleagues: a sheet per table, notes, drop-down lists."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from equality_reports.classification import ETHNICITY, Classifier
from equality_reports.errors import InputError
from equality_reports.intake.contract import Contract, default_contract

_CODES = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"]
_LIST_ROWS = 5000


def write_template(folder: Path, tables: list[str] | None = None, contract: Contract | None = None) -> Path:
    """Write ``equality-data-template.xlsx`` into ``folder`` with a sheet per table of ``contract``
    (default: the installed plugins') or of ``tables``, and return its path."""
    contract = contract or default_contract()
    names = list(dict.fromkeys(tables or contract.tables))
    unknown = [t for t in names if t not in contract]
    if unknown:
        raise InputError(f"unknown table(s) {', '.join(unknown)}; tables are {', '.join(contract.tables)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "equality-data-template.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": "equality-reports input template", "author": "equality-reports"})
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    notes = wb.add_worksheet("Notes")
    notes.write_string(0, 0, "How to fill in this workbook", wb.add_format({"bold": True, "font_size": 14}))
    notes.write_string(1, 0, "Fill one sheet per table, one row per person or event, keeping the header row. "
                             "Columns marked * are required. Delete sheets you do not need. Save and run "
                             "`equality-reports validate` on the file.")
    notes.write_row(3, 0, ["Table", "Column", "Required", "What to enter"], bold)
    row = 4
    for name in names:
        spec = contract[name]
        for col in spec.columns:
            notes.write_row(row, 0, [name, col.name, "yes" if col.required else "no",
                                     col.help + (f" ({', '.join(col.choices)})" if col.choices else "")], wrap)
            row += 1
    notes.set_column(0, 1, 22)
    notes.set_column(2, 2, 10)
    notes.set_column(3, 3, 90)
    for name in names:
        spec = contract[name]
        ws = wb.add_worksheet(name)
        for i, col in enumerate(spec.columns):
            ws.write_string(0, i, col.name + (" *" if col.required else ""), bold)
            ws.set_column(i, i, max(14, len(col.name) + 4))
            if col.help:
                ws.write_comment(0, i, col.help)
            choices = None
            if col.type == "bool":
                choices = ["Y", "N"]
            elif col.type == "choice":
                choices = list(col.choices)
            elif col.classification == ETHNICITY:
                choices = _CODES
            elif col.classification:
                choices = list(Classifier(contract.schemes_for(col.classification), col.classification)
                               .categories().values())
            if choices:
                ws.data_validation(1, i, _LIST_ROWS, i, {
                    "validate": "list", "source": choices, "error_type": "warning",
                    "input_title": col.name, "input_message": col.help[:250]})
        ws.freeze_panes(1, 0)
    wb.close()
    return path
