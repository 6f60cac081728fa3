"""HTML: one self-contained, accessible page per report (``<report>.html``, ``--format html``).

No external requests: the CSS is inline and charts are inline SVG with a title, a description and
their data table beside them. The page has ``lang``, a skip link, header/nav/main/footer
landmarks, a contents list, headings in order, tables with captions and header cells scoped to
their column or row, and a notes section explaining every symbol. Every text is escaped by
jinja2's autoescaping and links come only from :func:`link_target`. An internal run's page carries
the stamp in its title, at the top and in the footer. Identical input gives identical bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from equality_reports.document import Chart, Document, Paragraph, Table, long_date
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.charts import chart_series
from equality_reports.renderers.common import (
    NOT_FOR_PUBLICATION,
    NOT_FOR_PUBLICATION_DETAIL,
    blocks_of,
    cell_text,
    full_title,
    header_label,
    link_target,
    numeric_column,
    period_label,
    symbols_used,
    xml_safe,
)


@dataclass
class Cell:
    text: str
    numeric: bool = False
    header: bool = False
    href: str | None = None


@dataclass
class HtmlTable:
    id: str
    caption: str
    headers: list[Cell]
    rows: list[list[Cell]]
    total_row: bool = False
    notes: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class HtmlSection:
    id: str
    title: str
    level: int
    blocks: list[tuple[str, Any]]


class HtmlRenderer:
    format = "html"
    suffix = ".html"
    is_directory = False

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        target.write_text(page(xml_safe(document), settings), encoding="utf-8", newline="\n")


def page(document: Document, settings: RenderSettings) -> str:
    """The report as one HTML page."""
    from equality_reports.renderers.svg import chart_svg

    counters = {"table": 0, "figure": 0}
    sections = []
    for number, (depth, section) in enumerate(document.walk(), start=1):
        blocks: list[tuple[str, Any]] = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                blocks += _text_blocks(block.text or "")
            elif isinstance(block, Table):
                counters["table"] += 1
                blocks.append(("table", _table(block, f"table-{counters['table']}",
                                               f"Table {counters['table']}: {block.title}")))
            elif isinstance(block, Chart):
                counters["figure"] += 1
                key = f"figure-{counters['figure']}"
                caption = f"Figure {counters['figure']}: {block.title}"
                blocks.append(("figure", {"id": key, "caption": caption,
                                          "svg": Markup(chart_svg(document, block, key)),
                                          "data": _chart_data(document, block, f"{key}-data",
                                                              f"Data for figure {counters['figure']}: {block.title}")}))
        sections.append(HtmlSection(f"section-{number}", section.title, min(depth + 1, 6), blocks))
    template = _environment().get_template("report.html.j2")
    return template.render(
        document=document, sections=sections, contents=_contents(sections),
        summary=_text_blocks(document.summary), symbols=symbols_used(document), period=period_label(document),
        full_title=full_title(document),
        stamp=NOT_FOR_PUBLICATION if document.not_for_publication else "", stamp_detail=NOT_FOR_PUBLICATION_DETAIL,
        generator=settings.generator) + "\n"


def _contents(sections: list[HtmlSection]) -> list[tuple[HtmlSection, list[HtmlSection]]]:
    """Top-level sections, each with its subsections (the contents lists two levels)."""
    out: list[tuple[HtmlSection, list[HtmlSection]]] = []
    for section in sections:
        if section.level == 2:
            out.append((section, []))
        elif section.level == 3 and out:
            out[-1][1].append(section)
    return out


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["long_date"] = long_date
    return env


def _text_blocks(text: str) -> list[tuple[str, Any]]:
    """Narrative markup as ('p', text) and ('ul', [items]) blocks, consecutive bullets in one list."""
    out: list[tuple[str, Any]] = []
    for kind, content in blocks_of(text):
        if kind == "bullet":
            if out and out[-1][0] == "ul":
                out[-1][1].append(content)
            else:
                out.append(("ul", [content]))
        else:
            out.append(("p", content))
    return out


def _table(table: Table, key: str, caption: str) -> HtmlTable:
    cols = table.visible_columns
    row_header = cols[0].key if cols and cols[0].kind == "text" else None
    texts = [[cell_text(table, r, col) or "[z]" for r in range(len(table.data))] for col in cols]
    right = [numeric_column(table, col, column) for col, column in zip(cols, texts)]
    rows = []
    for r in range(len(table.data)):
        cells = []
        for i, col in enumerate(cols):
            href = link_target(table.data.at[r, col.link]) if col.link in table.data.columns else None
            cells.append(Cell(texts[i][r], right[i], col.key == row_header, href))
        rows.append(cells)
    headers = [Cell(header_label(col), right[i]) for i, col in enumerate(cols)]
    return HtmlTable(key, caption, headers, rows, table.total_row, list(table.notes), table.source or "")


def _chart_data(document: Document, chart: Chart, key: str, caption: str) -> HtmlTable:
    """The values a chart plots, as published, for the table beside it."""
    series = chart_series(document, chart)
    table = document.table(chart.table)
    suffix = " (%)" if chart.unit == "percent" else ""
    headers = [Cell(table.column(chart.category).label)]
    headers += [Cell(s.label + (suffix if "%" not in s.label else ""), True) for s in series]
    rows = [[Cell(point.category, header=True)] + [Cell(s.points[i].shown.removesuffix("%"), True) for s in series]
            for i, point in enumerate(series[0].points)] if series else []
    return HtmlTable(key, caption, headers, rows)


__all__ = ["HtmlRenderer", "page"]
