"""Charts as inline SVG for the HTML output: horizontal bars labelled with their published values.

The SVG is an image (``role="img"``) named by its ``<title>`` and described by its ``<desc>`` (the
same alt text the Word chart has); the page puts the chart's data table beside it. Bars carry their
values as labels (stacked bars: in the data table) and series after the first are
hatched as well as coloured, so colour never carries meaning alone; a withheld (``[c]``) or not
calculable (``[x]``) value is never drawn: its place carries the symbol. Every text is escaped.
"""

from __future__ import annotations

from html import escape

from equality_reports.document import Chart, Document
from equality_reports.renderers.charts import PALETTE, ChartSeries, chart_description, chart_series

WIDTH = 640
LABEL_H = 18  # the category's label, above its bars
BAR_H = 16
GAP = 10
VALUE_ROOM = 70  # room right of the longest bar for its label


def chart_svg(document: Document, chart: Chart, key: str) -> str:
    """The chart as an SVG element; ``key`` makes its element ids unique in the page."""
    series = chart_series(document, chart)
    stacked = chart.kind == "stacked"
    categories = [p.category for p in series[0].points] if series else []
    bars_per_row = 1 if stacked else len(series)
    row_h = LABEL_H + bars_per_row * BAR_H + GAP
    legend_h = 24 if len(series) > 1 else 0
    height = len(categories) * row_h + legend_h + 4
    scale = (WIDTH - VALUE_ROOM) / _top(series, stacked, chart.unit)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" aria-labelledby="{key}-title {key}-desc" class="chart">',
             f'<title id="{key}-title">{escape(chart.title)}</title>',
             f'<desc id="{key}-desc">{escape(chart_description(document, chart))}</desc>',
             "<defs>" + "".join(_pattern(key, j) for j in range(1, len(series))) + "</defs>"]
    for i, category in enumerate(categories):
        top = i * row_h
        parts.append(f'<text x="0" y="{top + 13}" class="category">{escape(category)}</text>')
        left = 0.0
        missing = []
        for j, s in enumerate(series):
            point = s.points[i]
            y = top + LABEL_H + (0 if stacked else j * BAR_H)
            if point.value is None:
                missing.append(point.shown if len(series) == 1 else f"{s.label} {point.shown}")
                if not stacked:
                    parts.append(_label(0, y, point.shown, bold=True))
                continue
            width = max(point.value, 0.0) * scale
            parts.append(f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{BAR_H - 2}" '
                         f'fill="{_fill(key, j)}"/>')
            if stacked:
                left += width
            else:
                parts.append(_label(width + 3, y, point.shown))
        if stacked and missing:
            parts.append(_label(min(left, WIDTH - VALUE_ROOM) + 3, top + LABEL_H, "; ".join(missing), bold=True))
    if legend_h:
        y = len(categories) * row_h + 4
        x = 0
        for j, s in enumerate(series):
            parts.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{_fill(key, j)}"/>')
            parts.append(f'<text x="{x + 18}" y="{y + 12}" class="value">{escape(s.label)}</text>')
            x += 24 + 7 * len(s.label)
    parts.append("</svg>")
    return "".join(parts)


def _top(series: list[ChartSeries], stacked: bool, unit: str) -> float:
    """The value at the right-hand end of the axis."""
    if stacked:
        return 100.0
    values = [p.value for s in series for p in s.points if p.value is not None]
    top = max([*values, 1e-9])
    return min(100.0, top * 1.05) if unit == "percent" and top <= 100 else top * 1.05


def _fill(key: str, j: int) -> str:
    return PALETTE[0] if j == 0 else f"url(#{key}-p{j})"


def _pattern(key: str, j: int) -> str:
    """Series ``j`` (after the first): its colour, hatched with white lines."""
    colour = PALETTE[j % len(PALETTE)]
    angle = (45, -45, 0, 90, 30, -30)[(j - 1) % 6]
    return (f'<pattern id="{key}-p{j}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate({angle})"><rect width="6" height="6" fill="{colour}"/>'
            f'<rect width="2" height="6" fill="#ffffff"/></pattern>')


def _label(x: float, y: int, text: str, bold: bool = False) -> str:
    style = ' font-weight="bold"' if bold else ""
    return f'<text x="{x:.1f}" y="{y + 11}" class="value"{style}>{escape(text)}</text>'
