"""Turns a disclosure-controlled Document's paragraph templates and charts into final text.

Runs after disclosure control, so templates only ever see figures as published: a withheld
figure's ``value`` is None and its ``text`` is ``[c]``. Narrative never prints ``[c]`` (tables
do): templates say in words that a figure is not shown, and a sentence a template still writes
with ``[c]`` is replaced by :data:`WITHHELD_SENTENCE` (the run's notes for the operator name the
template). Charts with fewer than two published bars are left out here, so their tables stand
alone (:meth:`~equality_reports.document.Document.drop_sparse_charts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from equality_reports.document import (
    SUPPRESSED,
    SYMBOLS,
    UNIT_KINDS,
    Chart,
    Document,
    Figure,
    Paragraph,
    Table,
    format_value,
    is_missing,
    published_text,
)
from equality_reports.templating import TextRenderer


@dataclass(frozen=True)
class FigureView:
    """A figure as a template sees it after disclosure control."""

    id: str
    label: str
    unit: str
    value: Any
    suppressed: bool
    note: str

    @property
    def text(self) -> str:
        """The published form: ``[c]`` when withheld, "not calculable" when there is no value."""
        return published_text(self.value, self.unit, self.suppressed)

    def __str__(self) -> str:
        return self.text


class _Figures(dict):
    """Mapping id -> FigureView whose missing keys fail with the id in the message."""

    def __missing__(self, key: str) -> FigureView:
        raise KeyError(f"no figure {key!r} in this report")


def figure_views(figures: dict[str, Figure]) -> dict[str, FigureView]:
    views = _Figures()
    for fid, fig in figures.items():
        value = None if fig.suppressed else fig.value
        views[fid] = FigureView(fid, fig.label, fig.unit, value, fig.suppressed, fig.note)
    return views


#: what replaces a sentence of narrative that would print a withheld figure as [c]
WITHHELD_SENTENCE = "A figure here is not shown, to protect individuals."
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z\[])")


def render_narrative(document: Document, text: TextRenderer) -> list[str]:
    """Fill ``Paragraph.text`` from templates and ``Chart.alt_text`` where empty, in place, and
    leave out charts with fewer than two published bars. Returns notes for the operator (templates
    whose sentences printed ``[c]``)."""
    views = figure_views(document.figures)
    document.drop_sparse_charts()
    shown_tables = frozenset(t.id for t in document.tables())  # a table left out is not among them
    shown_charts = frozenset(c.id for c in document.charts())  # nor a chart too sparse to draw
    tables = document.tables()
    for table in tables:  # first: a cell restating a withheld figure shows [c] only once resolved
        _resolve_figure_cells(table, views)
    # the shorthand symbols ("[c]", "[x]", "[z]") the tables show: a sentence explaining one needs it shown
    shown_symbols = frozenset(symbol for table in tables for symbol in table.shown_symbols())
    notes: list[str] = []
    for _, section in document.walk():
        for block in section.blocks:
            if isinstance(block, Table):
                _explain_symbols_shown(block)
            elif isinstance(block, Paragraph) and block.template is not None:
                rendered = text.render(block.template, **block.context, figures=views, document=document,
                                       shown_tables=shown_tables, shown_charts=shown_charts,
                                       shown_symbols=shown_symbols)
                block.text = without_withheld_marks(rendered)
                if block.text != rendered:
                    notes.append(f"template {block.template} printed a withheld figure as {SUPPRESSED}; "
                                 f"the sentence was replaced by \"{WITHHELD_SENTENCE}\" Say in words that "
                                 f"the figure is not shown (a withheld figure has suppressed true).")
                block.template = None
            elif isinstance(block, Chart) and not block.alt_text:
                block.alt_text = chart_alt_text(document, block)
    return notes


def without_withheld_marks(text: str) -> str:
    """``text`` with every sentence or list item holding ``[c]`` replaced by :data:`WITHHELD_SENTENCE`."""
    if SUPPRESSED not in text:
        return text
    lines = []
    for line in text.split("\n"):
        bullet = "- " if line.startswith("- ") else ""
        sentences = _SENTENCE_END.split(line[len(bullet):])
        kept: list[str] = []
        for sentence in sentences:
            sentence = WITHHELD_SENTENCE if SUPPRESSED in sentence else sentence
            if not (kept and kept[-1] == sentence == WITHHELD_SENTENCE):  # one for a run of them
                kept.append(sentence)
        lines.append(bullet + " ".join(kept))
    return "\n".join(lines)


#: what a figure restated in a table cell carries after its number (a difference in points is
#: signed, its unit in the row's or column's label: "+3.3", not "+3.3 percentage points")
_UNIT_SUFFIX = {"percent": "%"}


def _resolve_figure_cells(table: Table, views: dict[str, FigureView]) -> None:
    """Replace figure ids in ``from_figures`` columns by the figures' published text."""
    for column in table.columns:
        if not column.from_figures:
            continue
        texts: list[str | None] = []
        for row, fid in enumerate(table.data[column.key].tolist()):
            if is_missing(fid) or fid == "":
                texts.append(None)
                continue
            if fid in SYMBOLS:  # a symbol ("[x]": no figure) stays
                texts.append(fid)
                continue
            view = views[str(fid)]
            if view.suppressed:
                table.suppressed.add((row, column.key))
                texts.append(SUPPRESSED)
            elif view.value is None:
                texts.append("not calculable")
            else:
                texts.append(view.text + ("" if isinstance(view.value, str) else _UNIT_SUFFIX.get(view.unit, "")))
        table.data[column.key] = texts
        column.from_figures = False


def _explain_symbols_shown(table: Table) -> None:
    """Add the table's ``symbol_notes`` for the symbols it shows, as one note."""
    if not table.symbol_notes:
        return
    shown = table.shown_symbols()
    said = [sentence for symbol, sentence in table.symbol_notes.items() if symbol in shown]
    if said:
        table.notes.append(" ".join(said))
    table.symbol_notes = {}


def chart_alt_text(document: Document, chart: Chart) -> str:
    """A description that states every plotted value as published."""
    table = document.table(chart.table)
    kind = UNIT_KINDS.get(chart.unit, "number")
    suffix = "%" if chart.unit == "percent" else ""
    # a value says its own unit ("32.8%"): a label's "(%)" or "(% of the band)" would say it twice
    labels = {c.key: re.sub(r"\s*\(%[^)]*\)$", "", c.label) if suffix else c.label for c in table.columns}
    parts = []
    for row in range(len(table.data)):
        category = str(table.data.at[row, chart.category])
        values = []
        for key in chart.values:
            shown = table.display_value(row, key)
            if shown == SUPPRESSED:
                text = "withheld"
            elif isinstance(shown, str) or is_missing(shown):
                text = "not calculable"
            else:
                text = format_value(shown, kind) + suffix
            values.append(f"{labels[key]} {text}" if len(chart.values) > 1 else text)
        parts.append(f"{category}: {', '.join(values)}")
    kind_text = "Stacked bar chart" if chart.kind == "stacked" else "Bar chart"
    return f"{kind_text}: {chart.title}. " + "; ".join(parts) + "."
