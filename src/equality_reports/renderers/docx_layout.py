"""Table layout for the Word output: column widths from the text, so that no word is ever broken.

A column is at least as wide as its longest word (header and cells, measured with the font's
metrics) plus the cell margins; lines wrap only at spaces. A table whose narrowest layout is wider
than the portrait text width goes on a landscape page, and if it is still too wide its font is made
smaller, step by step, down to :data:`FLOOR_PT`. A table that fits the portrait page only with its
short cells split ("Grade" over "1") is set smaller, down to :data:`COMFORT_FLOOR_PT`, else on a
landscape page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from equality_reports.renderers import arial_widths

#: fonts with Arial's widths (metric-compatible), measured from the built-in table on every machine
ARIAL_LIKE = frozenset({"arial", "liberation sans", "arimo", "helvetica", "helvetica neue"})
#: widening applied to the Arial table for a font that cannot be found (never too narrow)
UNKNOWN_FONT_FACTOR = 1.25
#: left plus right cell margin of the tables (108 twips each side), in points
CELL_MARGINS_PT = 10.8
#: room for borders, rounding and differences between word processors, in points
SLACK_PT = 3.0
#: smallest font size a table is shrunk to, in points
FLOOR_PT = 8.0
STEP_PT = 0.5
#: smallest font size a table that fits a portrait page is set in so that its short cells each
#: stay on one line, before it goes on a landscape page instead
COMFORT_FLOOR_PT = 10.0

_WIDTHS = {False: dict(zip(arial_widths.CHARACTERS, arial_widths.REGULAR)),
           True: dict(zip(arial_widths.CHARACTERS, arial_widths.BOLD))}


@lru_cache(maxsize=8)
def _font_file(family: str, bold: bool):  # type: ignore[no-untyped-def]
    """A PIL font for a family other than Arial's, at 1000 px per em; None when not installed."""
    try:
        from matplotlib import font_manager
        from PIL import ImageFont

        path = font_manager.findfont(font_manager.FontProperties(family=family, weight="bold" if bold else "normal"),
                                     fallback_to_default=False)
        return ImageFont.truetype(path, 1000)
    except Exception:  # noqa: BLE001 - any failure means: measure with the widened Arial table
        return None


def text_width(text: str, size_pt: float, bold: bool = False, family: str = "Arial") -> float:
    """Width of ``text`` set on one line, in points."""
    if family.lower() not in ARIAL_LIKE:
        font = _font_file(family, bold)
        if font is not None:
            return font.getlength(text) * size_pt / 1000
    table = _WIDTHS[bold]
    thousandths = sum(table.get(ch, arial_widths.UNKNOWN) for ch in text)
    factor = 1.0 if family.lower() in ARIAL_LIKE else UNKNOWN_FONT_FACTOR
    return thousandths * factor * size_pt / 1000


def longest_word(texts: list[tuple[str, bool]], size_pt: float, family: str) -> float:
    """Width of the widest space-separated word of the texts (each with whether it is bold)."""
    return max((text_width(word, size_pt, bold, family) for text, bold in texts for word in text.split()), default=0.0)


def wrapped_lines(text: str, width_pt: float, size_pt: float, bold: bool, family: str) -> int:
    """How many lines ``text`` takes in ``width_pt`` when lines break only at spaces."""
    lines, used = 1, 0.0
    space = text_width(" ", size_pt, bold, family)
    for word in text.split():
        w = text_width(word, size_pt, bold, family)
        if used and used + space + w > width_pt:
            lines, used = lines + 1, w
        else:
            used = used + space + w if used else w
    return lines


@dataclass(frozen=True)
class TableLayout:
    """Where and how a table is set: column widths in points, font size and orientation."""

    widths: tuple[float, ...]
    size_pt: float
    landscape: bool


def _column_needs(columns: list[list[tuple[str, bool]]], size_pt: float,
                  family: str) -> tuple[list[float], list[float]]:
    """Each column's narrowest width (its longest word) and its natural width (its longest text)."""
    extra = CELL_MARGINS_PT + SLACK_PT
    least = [longest_word(texts, size_pt, family) * 1.02 + extra for texts in columns]
    natural = [max((text_width(t, size_pt, b, family) for t, b in texts), default=0.0) + extra for texts in columns]
    return least, [max(a, b) for a, b in zip(least, natural)]


def _share(least: list[float], natural: list[float], available: float) -> tuple[float, ...]:
    """Fill ``available``: every column its least width, then the rest towards the natural widths
    (in proportion to what each lacks), and any remainder in proportion to the natural widths."""
    spare = available - sum(least)
    if spare <= 0:
        return tuple(least)
    lacking = [n - m for m, n in zip(least, natural)]
    wanted = sum(lacking)
    if wanted >= spare:
        return tuple(m + spare * lack / wanted for m, lack in zip(least, lacking))
    rest = spare - wanted
    return tuple(n + rest * n / sum(natural) for n in natural)


#: a cell text this short is kept on one line when the table fits so ("Grade 1", "In progress",
#: "31 December 2025"): split, it reads as two values
SHORT_TEXT = 16
#: a row label this short (the first column's: "Lower middle quarter") is kept on one line too when
#: the table still fits, after its short headers: rows of one line each make a shorter table
LABEL_TEXT = 32


def _comfortable(columns: list[list[tuple[str, bool]]], least: list[float], size_pt: float,
                 family: str) -> list[list[float]]:
    """Wider least widths that read better, each step wider than the last: every short cell text
    on one line ("Grade 1" split reads as two values), then every short header too, then every row
    label of up to :data:`LABEL_TEXT` characters (each row one line high), then every header on two
    lines at most."""
    extra = CELL_MARGINS_PT + SLACK_PT

    def width(text: str, bold: bool) -> float:
        return text_width(text, size_pt, bold, family) * 1.02 + extra

    cells = [max([narrowest, *(width(t, b) for t, b in texts[1:] if len(t) <= SHORT_TEXT)])
             for texts, narrowest in zip(columns, least)]
    headers = [max([w, *(width(t, b) for t, b in texts[:1] if len(t) <= SHORT_TEXT)])
               for texts, w in zip(columns, cells)]
    labels = [max([w, *(width(t, b) for t, b in texts[1:] if len(t) <= LABEL_TEXT and not i)])
              for i, (texts, w) in enumerate(zip(columns, headers))]
    halves = [max([w, *(width(t, b) / 2 * 1.1 for t, b in texts[:1])]) for texts, w in zip(columns, labels)]
    return [cells, headers, labels, halves]


def _fitted(columns: list[list[tuple[str, bool]]], size_pt: float, family: str, available: float,
            landscape: bool) -> TableLayout | None:
    """The layout in ``size_pt`` with the most :func:`_comfortable` widths that fit ``available``,
    or None when not even every short cell fits on one line."""
    least, natural = _column_needs(columns, size_pt, family)
    fitting = [widths for widths in _comfortable(columns, least, size_pt, family) if sum(widths) <= available]
    if not fitting:
        return None
    return TableLayout(_share(fitting[-1], [max(a, b) for a, b in zip(fitting[-1], natural)], available), size_pt,
                       landscape)


def plan_table(columns: list[list[tuple[str, bool]]], size_pt: float, family: str,
               portrait_pt: float, landscape_pt: float) -> TableLayout:
    """The layout of a table whose columns hold the given texts (header first, each with bold):
    on a portrait page if its words fit there, each column kept :func:`_comfortable` where that
    fits too."""
    least, natural = _column_needs(columns, size_pt, family)
    if sum(least) <= portrait_pt:
        # short cells on one line ("Grade" over "1" reads as two values): in this font, else a
        # slightly smaller one, else on a landscape page; only then with short cells split
        size = size_pt
        while size >= COMFORT_FLOOR_PT:
            fitted = _fitted(columns, size, family, portrait_pt, False)
            if fitted is not None:
                return fitted
            size -= STEP_PT
        return _fitted(columns, size_pt, family, landscape_pt, True) or \
            TableLayout(_share(least, natural, portrait_pt), size_pt, False)
    size = size_pt
    while sum(least) > landscape_pt and size - STEP_PT >= FLOOR_PT:
        size -= STEP_PT
        least, natural = _column_needs(columns, size, family)
    return _fitted(columns, size, family, landscape_pt, True) or TableLayout(_share(least, natural, landscape_pt),
                                                                             size, True)
