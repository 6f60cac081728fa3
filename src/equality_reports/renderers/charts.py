"""Chart images for the Word output (matplotlib, deterministic PNG), and what every chart plots.

Bars carry their values as labels and series are told apart by hatching as well as colour, so
colour is never the only carrier of meaning. A withheld value (``[c]``) or one that cannot be
calculated (``[x]``) is never plotted, not even as a zero-length bar: its position carries the
symbol as a label instead, and the chart's description says which values are withheld. The
Excel renderer uses :func:`chart_series` and :func:`chart_description` for its native charts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from equality_reports.document import NOT_AVAILABLE, SUPPRESSED, Chart, Document, format_value
from equality_reports.renderers.common import cell_value

# Okabe-Ito colour-blind safe palette
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")


@dataclass(frozen=True)
class ChartPoint:
    """One bar: ``value`` is None when nothing is plotted, and ``shown`` is the label it carries."""

    category: str
    value: float | None
    shown: str


@dataclass(frozen=True)
class ChartSeries:
    key: str
    label: str
    points: tuple[ChartPoint, ...]


def chart_series(document: Document, chart: Chart) -> list[ChartSeries]:
    """The chart's series as published: withheld and not calculable values have no value."""
    table = document.table(chart.table)
    categories = [str(v) for v in table.data[chart.category].tolist()]
    kind = "percent" if chart.unit == "percent" else "ratio"
    suffix = "%" if chart.unit == "percent" else ""
    out = []
    for key in chart.values:
        column = table.column(key)
        points = []
        for row, category in enumerate(categories):
            shown = cell_value(table, row, column)  # as published: rounded as in the table
            if isinstance(shown, str):  # [c], [x] or [z]
                points.append(ChartPoint(category, None, shown))
            else:
                points.append(ChartPoint(category, float(shown), format_value(shown, kind) + suffix))
        out.append(ChartSeries(key, column.label, tuple(points)))
    return out


def unplotted(document: Document, chart: Chart, symbol: str = SUPPRESSED) -> list[str]:
    """The bars shown as ``symbol`` (not plotted): 'category' or, with several series,
    'category (series)'."""
    series = chart_series(document, chart)
    return [p.category if len(series) == 1 else f"{p.category} ({s.label})"
            for s in series for p in s.points if p.value is None and p.shown == symbol]


def chart_description(document: Document, chart: Chart, limit: int | None = None) -> str:
    """The chart's alt text, ending with which values are withheld or not calculable (and so not
    plotted). With ``limit``, the alt text is shortened so that this ending is always kept."""
    from equality_reports.narrative import chart_alt_text

    text = chart.alt_text or chart_alt_text(document, chart)
    ending = []
    withheld = unplotted(document, chart, SUPPRESSED)
    if withheld:
        ending.append(f"Withheld to protect individuals, shown as {SUPPRESSED} and not plotted: "
                      f"{'; '.join(withheld)}.")
    missing = unplotted(document, chart, NOT_AVAILABLE)
    if missing:
        ending.append(f"Not calculable, shown as {NOT_AVAILABLE} and not plotted: {'; '.join(missing)}.")
    tail = " ".join(ending)
    full = f"{text} {tail}".strip()
    if not limit or len(full) <= limit:
        return full
    if len(tail) + 2 > limit:  # the list of withheld values alone is too long
        return tail[:limit - 1] + "…"
    if not tail:
        return text[:limit - 1] + "…"
    return f"{text[:limit - len(tail) - 2].rstrip()}… {tail}"


def chart_png(document: Document, chart: Chart) -> bytes:
    """The chart as PNG bytes (same input, same bytes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = chart_series(document, chart)
    categories = [p.category for p in series[0].points] if series else []
    stacked = chart.kind == "stacked"
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "equality-reports"})
    height = max(2.2, 0.42 * len(categories) * (1 if stacked else max(1, len(chart.values))) + 1.2)
    fig, ax = plt.subplots(figsize=(6.3, min(height, 8.5)), dpi=150)
    n = len(series)
    bar_h = 0.8 / (1 if stacked else n)
    left = [0.0] * len(categories)
    not_plotted: dict[int, list[str]] = {}  # stacked: row -> labels of the segments not drawn
    for j, s in enumerate(series):
        ys = [i + (0 if stacked else (j - (n - 1) / 2) * bar_h) for i in range(len(categories))]
        drawn = [i for i, p in enumerate(s.points) if p.value is not None]
        values = [v for v in (s.points[i].value for i in drawn) if v is not None]
        # only the values that are published as numbers become bars: nothing is drawn (or stored
        # in the image) for a withheld one, not even a bar of zero length
        bars = ax.barh([ys[i] for i in drawn], values, height=bar_h * 0.95,
                       left=[left[i] for i in drawn] if stacked else None,
                       color=PALETTE[j % len(PALETTE)], hatch=HATCHES[j % len(HATCHES)], edgecolor="white",
                       label=s.label)
        for bar, i in zip(bars, drawn):
            point = s.points[i]
            if stacked:
                if (point.value or 0) >= 6:
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, point.shown,
                            ha="center", va="center", fontsize=7, color="black",
                            bbox={"facecolor": "white", "alpha": 0.7, "pad": 0.5, "linewidth": 0})
            else:  # the value beyond the bar's end: left of a negative bar
                negative = (point.value or 0) < 0
                ax.text(bar.get_x() + bar.get_width(), bar.get_y() + bar.get_height() / 2,
                        point.shown + " " if negative else " " + point.shown,
                        ha="right" if negative else "left", va="center", fontsize=7.5)
        for i, point in enumerate(s.points):
            if point.value is not None:
                if stacked:
                    left[i] += point.value
            elif stacked:
                not_plotted.setdefault(i, []).append(point.shown if n == 1 else f"{s.label} {point.shown}")
            else:  # the symbol where the bar would start
                ax.text(0, ys[i], " " + point.shown, va="center", fontsize=7.5, fontweight="bold")
    for i, notes in sorted(not_plotted.items()):
        ax.text(left[i], i, " " + "; ".join(notes), va="center", fontsize=7.5, fontweight="bold")
    ax.set_yticks(range(len(categories)))
    ax.set_yticklabels(categories)
    ax.set_ylim(len(categories) - 0.4, -0.6)  # lowest category first clear of the axis and its labels
    ax.spines[["top", "right"]].set_visible(False)
    if chart.unit == "percent":
        ax.set_xlabel("Per cent")
        # ax.patches holds only the bars drawn above (Rectangles), typed as any Patch
        widths = [b.get_width() for b in ax.patches]  # type: ignore[attr-defined]
        top = max([*(left if stacked else [0]), *widths, 1.0])
        # a negative bar (a group paid more than the reference) gets room, and its label, left of 0
        bottom = min([0.0, *widths])
        low = bottom - max(0.25 * (top - bottom), 1.0) if bottom < 0 else 0
        ax.set_xlim(low, min(100, top * 1.2) if not stacked else 100)
        if low < 0:
            ax.axvline(0, color="black", linewidth=0.8)
    if n > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if chart.unit == "percent" else -0.08),
                  ncol=min(n, 3), frameon=False, fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


__all__ = ["SUPPRESSED", "ChartPoint", "ChartSeries", "chart_description", "chart_png", "chart_series", "unplotted"]
