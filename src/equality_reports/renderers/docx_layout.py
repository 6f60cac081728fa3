"""Table layout for the Word output: column widths from the text, so that no word is ever broken.

A column is at least as wide as its longest word (header and cells, measured with the font's
metrics) plus the cell margins; lines wrap only at spaces. A table stays on the portrait page with
its short cells on one line ("Grade" over "1" reads as two values), set smaller if need be down to
:data:`COMFORT_FLOOR_PT`; else it goes on a landscape page, and if it is still too wide there its
font is made smaller, step by step, down to :data:`FLOOR_PT`.
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
#: left plus right cell margin of a table set smaller than the body text (72 twips each side): its
#: margins shrink with its text, so a column holds more of it
SMALL_CELL_MARGINS_PT = 7.2
#: room for borders, rounding and differences between word processors, in points
SLACK_PT = 3.0
#: smallest font size a table is shrunk to, in points
FLOOR_PT = 8.0
STEP_PT = 0.5
#: smallest font size a table that fits a portrait page is set in so that its short cells each
#: stay on one line, before it goes on a landscape page instead
COMFORT_FLOOR_PT = 10.0
#: smallest font size a table taller than a landscape page is set in to stay on one portrait page
TALL_FLOOR_PT = 9.0
#: most lines a header may take in a table set smaller to stay on the portrait page
HEADER_LINES = 4

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


@lru_cache(maxsize=65536)
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
    #: left plus right margin of each cell, in points
    margins_pt: float = CELL_MARGINS_PT


def cell_margins(size_pt: float, body_pt: float) -> float:
    """Left plus right cell margin of a table set in ``size_pt`` beside ``body_pt`` body text."""
    return CELL_MARGINS_PT if size_pt >= body_pt else SMALL_CELL_MARGINS_PT


def _column_needs(columns: list[list[tuple[str, bool]]], size_pt: float, family: str,
                  margins: float = CELL_MARGINS_PT) -> tuple[list[float], list[float]]:
    """Each column's narrowest width (its longest word) and its natural width (its longest text)."""
    extra = margins + SLACK_PT
    least = [longest_word(texts, size_pt, family) * 1.02 + extra for texts in columns]
    natural = [max((text_width(t, size_pt, b, family) for t, b in texts), default=0.0) + extra for texts in columns]
    return least, [max(a, b) for a, b in zip(least, natural)]


@lru_cache(maxsize=16384)
def _rooms(text: str, bold: bool, size_pt: float, family: str) -> tuple[float, ...]:
    """The narrowest text width ``text`` fits in one line, two lines, ... (as many as it takes set
    word by word), in points, found by halving to a tenth of a point."""
    longest = max((text_width(word, size_pt, bold, family) for word in text.split()), default=0.0)
    most = wrapped_lines(text, longest, size_pt, bold, family)
    rooms = []
    for lines in range(1, most):
        low, high = longest, text_width(text, size_pt, bold, family)
        while high - low > 0.1:
            mid = (low + high) / 2
            low, high = (low, mid) if wrapped_lines(text, mid, size_pt, bold, family) <= lines else (mid, high)
        rooms.append(high)
    return (*rooms, longest)


def _balanced(columns: list[list[tuple[str, bool]]], widths: list[float], available: float, size_pt: float,
              family: str, margins: float) -> list[float]:
    """``widths`` widened, within ``available``, where that makes the table shortest: step by step,
    the row whose tallest cells (a row is as high as its tallest) can each lose a line for the
    fewest points per line saved across the table, so a row label wrapping in every row, or the
    headers that make the header row tall, gain room before a column that would only lose a line
    where another cell is as tall."""
    extra = margins + SLACK_PT
    needs = [[[room * 1.02 + extra for room in _rooms(t, b, size_pt, family)] for t, b in texts] for texts in columns]
    rows = min((len(texts) for texts in columns), default=0)

    def lines(c: int, r: int, width: float) -> int:
        return next((k for k, need in enumerate(needs[c][r], 1) if need <= width + 1e-6), len(needs[c][r]))

    def heights(at: list[float]) -> list[int]:
        return [max(lines(c, r, at[c]) for c in range(len(columns))) for r in range(rows)]

    widths = list(widths)
    while (spare := available - sum(widths)) > 0.1:
        now = heights(widths)
        best: tuple[float, list[float]] | None = None
        for r in range(rows):
            if now[r] <= 1:
                continue
            wider = [max(w, needs[c][r][now[r] - 2]) if lines(c, r, w) >= now[r] else w
                     for c, w in enumerate(widths)]
            cost = sum(wider) - sum(widths)
            if 0 < cost <= spare:
                rate = (sum(now) - sum(heights(wider))) / cost
                if best is None or rate > best[0]:
                    best = (rate, wider)
        if best is None:
            break
        widths = best[1]
    return widths


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
#: a column whose every cell text is this short is a column of values (dates, grades, statuses),
#: whose short ones :data:`SHORT_TEXT` are kept on one line; in a column with longer texts, which
#: wraps anyway, keeping them whole would only squeeze the columns beside it
VALUE_TEXT = 20
#: a row label this short takes a few lines at most: two up to :data:`LABEL_TEXT` characters
#: ("Not stated or not known"), :data:`LONG_LABEL_LINES` beyond ("Black, Black British, Caribbean
#: or African"); more make rows taller than a landscape page would
PAIRED_LABEL_TEXT = 48
LONG_LABEL_LINES = 4
#: a row label this short (the first column's: "Lower middle quarter") is kept on one line too when
#: the table still fits: rows of one line each make a shorter table
LABEL_TEXT = 32


def _comfortable(columns: list[list[tuple[str, bool]]], least: list[float], size_pt: float,
                 family: str, margins: float) -> list[list[float]]:
    """Wider least widths that read better, each step wider than the last: every short cell text
    of a column of values (:data:`VALUE_TEXT`) on one line ("Grade 1" split reads as two values; a
    row label only if it holds a number, as "Ethnic minority" reads well on two lines) and
    other row labels on two to four lines at most
    (:data:`PAIRED_LABEL_TEXT`), then every row label of up to :data:`LABEL_TEXT` characters on
    one line (each row one line high), then every header on two lines at most. (A short header is
    not kept on one line for its own sake: beside headers on two or three lines it only squeezes
    them; the spare width goes where it makes the table shortest, :func:`_balanced`.)"""
    extra = margins + SLACK_PT

    def width(text: str, bold: bool, lines: int = 1) -> float:
        """The column width that sets ``text`` in ``lines`` lines at most."""
        rooms = _rooms(text, bold, size_pt, family)
        return rooms[min(lines, len(rooms)) - 1] * 1.02 + extra

    cells = [max([narrowest, *(width(t, b) for t, b in texts[1:] if len(t) <= SHORT_TEXT and (
                      _numbered(t) if not i else all(len(u) <= VALUE_TEXT for u, _ in texts[1:]))),
                  *(width(t, b, 2 if len(t) <= LABEL_TEXT else LONG_LABEL_LINES)
                    for t, b in texts[1:] if not i and len(t) <= PAIRED_LABEL_TEXT)])
             for i, (texts, narrowest) in enumerate(zip(columns, least))]
    labels = [max([w, *(width(t, b) for t, b in texts[1:] if len(t) <= LABEL_TEXT and not i)])
              for i, (texts, w) in enumerate(zip(columns, cells))]
    halves = [max([w, *(width(t, b, 2) for t, b in texts[:1])]) for texts, w in zip(columns, labels)]
    return [cells, labels, halves]


def _numbered(text: str) -> bool:
    """Whether a text holds a digit ("Grade 1", "Band 8a", "31 December 2025")."""
    return any(c.isdigit() for c in text)


def _fitted(columns: list[list[tuple[str, bool]]], size_pt: float, family: str, available: float,
            landscape: bool, margins: float = CELL_MARGINS_PT) -> TableLayout | None:
    """The layout in ``size_pt`` with the most :func:`_comfortable` widths that fit ``available``,
    or None when not even every short cell fits on one line."""
    least, natural = _column_needs(columns, size_pt, family, margins)
    fitting = [widths for widths in _comfortable(columns, least, size_pt, family, margins) if sum(widths) <= available]
    if not fitting:
        return None
    # the most comfortable widths, unless a less comfortable step makes the table much shorter (headers
    # kept to two lines over three narrow value columns squeezed a summary's measures to ten lines each)
    # (steps often give the same widths: each is balanced once, ranked as its most comfortable step)
    steps = list({tuple(widths): i for i, widths in enumerate(fitting)}.items())
    balanced = [_balanced(columns, list(widths), available, size_pt, family, margins) for widths, _ in steps]
    lines = [_table_lines(columns, widths, size_pt, family, margins) for widths in balanced]
    best = min(range(len(steps)), key=lambda i: (lines[i] > min(lines) * SHORTER_BY, -steps[i][1]))
    widths = balanced[best]
    return TableLayout(_share(widths, [max(a, b) for a, b in zip(widths, natural)], available), size_pt, landscape,
                       margins)


#: a less comfortable layout (see :func:`_comfortable`) is taken only when the table it sets is at
#: least this much shorter than the most comfortable one's, in lines
SHORTER_BY = 1.2


def _table_lines(columns: list[list[tuple[str, bool]]], widths: list[float], size_pt: float, family: str,
                 margins: float) -> int:
    """How many lines high the table is with ``widths``: each row (the header's too) as high as its
    tallest cell."""
    extra = margins + SLACK_PT
    rows = min((len(texts) for texts in columns), default=0)
    return sum(max(wrapped_lines(columns[c][r][0], width - extra, size_pt, columns[c][r][1], family)
                   for c, width in enumerate(widths)) for r in range(rows))


def _header_lines(columns: list[list[tuple[str, bool]]], layout: TableLayout, family: str) -> int:
    """How many lines the tallest header takes in ``layout``."""
    extra = layout.margins_pt + SLACK_PT
    return max((wrapped_lines(t, w - extra, layout.size_pt, b, family) for (t, b), w in
                zip((texts[0] for texts in columns), layout.widths)), default=1)


def plan_table(columns: list[list[tuple[str, bool]]], size_pt: float, family: str,
               portrait_pt: float, landscape_pt: float, floor_pt: float = COMFORT_FLOOR_PT) -> TableLayout:
    """The layout of a table whose columns hold the given texts (header first, each with bold):
    on a portrait page, each column kept :func:`_comfortable`, in this font else one a little
    smaller down to ``floor_pt`` (a table on a page turned sideways, often alone there, reads
    worse than one set a point or two smaller; its cell margins shrink with it, see
    :func:`cell_margins`); a table whose words only fit the portrait page in a smaller font goes
    there only with its headers in :data:`HEADER_LINES` lines at most. Else on a landscape page,
    smaller still if its words need it."""
    least, natural = _column_needs(columns, size_pt, family)
    fits = sum(least) <= portrait_pt
    size = size_pt
    while size >= floor_pt:
        fitted = _fitted(columns, size, family, portrait_pt, False, cell_margins(size, size_pt))
        if fitted is not None and (fits or _header_lines(columns, fitted, family) <= HEADER_LINES):
            return fitted
        size -= STEP_PT
    if fits:  # only with short cells split ("Grade" over "1"): sideways instead
        return _fitted(columns, size_pt, family, landscape_pt, True) or \
            TableLayout(_share(least, natural, portrait_pt), size_pt, False)
    size = size_pt
    while sum(least) > landscape_pt and size - STEP_PT >= FLOOR_PT:
        size -= STEP_PT
        least, natural = _column_needs(columns, size, family, cell_margins(size, size_pt))
    margins = cell_margins(size, size_pt)
    return _fitted(columns, size, family, landscape_pt, True, margins) or \
        TableLayout(_share(least, natural, landscape_pt), size, True, margins)
