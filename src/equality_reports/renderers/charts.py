"""Chart images for the Word output (matplotlib, deterministic PNG).

Bars carry their values as labels and series are told apart by hatching as well as colour, so
colour is never the only carrier of meaning; withheld values are shown as '[c]'.
"""

from __future__ import annotations

import io

from equality_reports.document import SUPPRESSED, Chart, Document, format_value

# Okabe-Ito colour-blind safe palette
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")


def chart_png(document: Document, chart: Chart) -> bytes:
    """The chart as PNG bytes (same input, same bytes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = document.table(chart.table)
    labels = {c.key: c.label for c in table.columns}
    categories = [str(v) for v in table.data[chart.category].tolist()]
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "equality-reports"})
    height = max(2.2, 0.42 * len(categories) * (1 if chart.kind == "stacked" else max(1, len(chart.values))) + 1.2)
    fig, ax = plt.subplots(figsize=(6.3, min(height, 8.5)), dpi=150)
    n = len(chart.values)
    bar_h = 0.8 / (1 if chart.kind == "stacked" else n)
    left = [0.0] * len(categories)
    suffix = "%" if chart.unit == "percent" else ""
    for j, key in enumerate(chart.values):
        values, notes = [], []
        for row in range(len(categories)):
            shown = table.display_value(row, key)
            if isinstance(shown, str):
                values.append(0.0)
                notes.append(shown)
            else:
                values.append(float(shown))
                notes.append(format_value(shown, "percent" if chart.unit == "percent" else "ratio") + suffix)
        ys = [i + (0 if chart.kind == "stacked" else (j - (n - 1) / 2) * bar_h) for i in range(len(categories))]
        bars = ax.barh(ys, values, height=bar_h * 0.95, left=left if chart.kind == "stacked" else None,
                       color=PALETTE[j % len(PALETTE)], hatch=HATCHES[j % len(HATCHES)], edgecolor="white",
                       label=labels[key])
        for bar, note, value in zip(bars, notes, values):
            x = bar.get_x() + bar.get_width()
            if chart.kind == "stacked":
                if value >= 6:
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, note,
                            ha="center", va="center", fontsize=7, color="black",
                            bbox={"facecolor": "white", "alpha": 0.7, "pad": 0.5, "linewidth": 0})
            else:
                ax.text(x, bar.get_y() + bar.get_height() / 2, " " + note, va="center", fontsize=7.5)
        if chart.kind == "stacked":
            left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(range(len(categories)))
    ax.set_yticklabels(categories)
    ax.invert_yaxis()
    ax.spines[["top", "right"]].set_visible(False)
    if chart.unit == "percent":
        ax.set_xlabel("Per cent")
        top = max([*(left if chart.kind == "stacked" else [0]), *[b.get_width() for b in ax.patches], 1.0])
        ax.set_xlim(0, min(100, top * 1.2) if chart.kind != "stacked" else 100)
    if n > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if chart.unit == "percent" else -0.08),
                  ncol=min(n, 3), frameon=False, fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


__all__ = ["SUPPRESSED", "chart_png"]
