"""The format-neutral report structure every plugin builds and every renderer reads.

A plugin returns a :class:`Document`: nested :class:`Section` objects holding blocks
(:class:`Paragraph`, :class:`Table`, :class:`Chart`) plus a flat register of named
:class:`Figure` values. Plugins never touch python-docx or xlsxwriter: the engine applies
disclosure control to the whole document and hands it to each renderer.

Conventions
-----------
* Percentages are stored on a 0-100 scale (``12.5`` means 12.5%).
* A missing value (``None``/NaN) in a percent, ratio or number column means
  "not calculable" and is shown as ``[x]``; a cell removed by disclosure control is
  shown as ``[c]``; a cell that does not apply is shown as ``[z]`` (see :data:`SYMBOLS`).
* Figure ids are dotted lowercase: ``<report>.<section>.<measure>``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pandas is imported lazily to keep the CLI fast
    import pandas as pd

ColumnKind = Literal["text", "count", "percent", "ratio", "number", "date"]
FigureUnit = Literal["count", "percent", "ratio", "pp", "fte", "flag", "number", "score", "money", "text"]
Audience = Literal["publication", "internal"]

SUPPRESSED = "[c]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"

#: Shorthand symbols used in tables, with the explanation printed in every notes table.
SYMBOLS: dict[str, str] = {
    SUPPRESSED: "confidential: withheld to protect individuals, because the number is below the "
    "disclosure threshold or could be used to work out a withheld number",
    NOT_AVAILABLE: "not available or not calculable: the data for it was not available, it cannot be "
    "worked out (for example, its denominator is zero), or its group is smaller than the report's "
    "minimum size for that figure (the table's notes give the size)",
    NOT_APPLICABLE: "not applicable",
}

_FIGURE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")


@dataclass(frozen=True)
class CellRef:
    """Points at one cell of a table: the table id, the row label and the column key."""

    table: str
    row: str
    column: str


@dataclass
class Column:
    """One column of a :class:`Table`.

    ``derived_from`` names the count columns of the same row a percent/ratio/number value
    was computed from: disclosure control withholds the derived value whenever one of
    them is withheld. ``hidden`` count columns are used for disclosure control but not shown.
    ``link`` names a (usually hidden) text column holding a URL or relative file path: renderers
    make this column's cell a hyperlink to it.
    ``from_figures`` marks a text column whose cells hold figure ids: after disclosure control
    each is replaced by that figure's published text (``[c]`` when withheld), so a table can
    restate headline figures from elsewhere in the document without leaking them (a cell holding
    a shorthand symbol, ``[x]`` for a measure with no figure, stays as it is).
    ``external`` marks a count column whose numbers come from outside the dataset's people (a
    census benchmark, survey results supplied as totals): they need no units. Every other count
    cell declares whom it counts (``Table.units``), or a publication withholds it.
    ``revealed_by`` names the shown column of the same row that gives a ``hidden`` count away (a
    percentage of it beside its shown numerator): the run-wide audit counts the hidden cell as
    published while that cell is shown, and withholding the hidden cell withholds it (list the
    hidden column in its ``derived_from``).
    ``divisors`` names the columns of ``derived_from`` a zero in which makes the value not
    calculable whatever the others hold (a rate's base; a ratio's denominator and the bases of
    both its rates): where such a zero is shown, every reader knows the value is not
    calculable, so the cell shows ``[x]`` even beside withheld counts.
    """

    key: str
    label: str
    kind: ColumnKind = "text"
    derived_from: tuple[str, ...] = ()
    hidden: bool = False
    decimals: int | None = None
    link: str | None = None
    from_figures: bool = False
    external: bool = False
    revealed_by: str | None = None
    divisors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.derived_from = tuple(self.derived_from)
        self.divisors = tuple(self.divisors)
        if not set(self.divisors) <= set(self.derived_from):
            raise ValueError(f"column {self.key!r} names divisors outside its derived_from")
        if self.decimals is None:
            self.decimals = {"count": 0, "percent": 1, "ratio": 2, "number": 1}.get(self.kind)


@dataclass(frozen=True)
class Mean:
    """What a shown mean is: the mean of ``measure`` (a staff column, such as ``"hourly_pay"``)
    over the people ``units`` counts (unit codes, as ``Table.units``). A reader who knows how many
    they are knows their sum: the disclosure auditor relates the sums behind every mean of a run
    (:mod:`equality_reports.sums`)."""

    measure: str
    units: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class Median:
    """What a shown median is: the median of ``measure`` over the people ``units`` counts. No
    sum: the auditor relates medians only through the gaps between them."""

    measure: str
    units: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class Gap:
    """What a shown gap is: (reference - group) / reference x 100, in %, between two means or
    two medians."""

    group: Mean | Median
    reference: Mean | Median


@dataclass
class Table:
    """A data table: a caption, typed columns and a DataFrame of rows.

    ``data`` holds one column per :class:`Column` key. ``row_key`` names the text column that
    labels rows (unique labels; used by :class:`CellRef`).

    Disclosure structure:

    * ``rows_additive``: the rows (other than a total row) partition one population, so each
      count column adds up to a total that is published or can be worked out.
    * ``total_row``: the last row is the total of the rows above it.
    * ``column_groups``: sets of count columns that partition a row's total, e.g.
      ``("white", "minority_ethnic", "unknown")`` beside a ``"total"`` column; the optional
      total column is named with ``column_totals``.
    * ``private_totals``: count columns whose total (down additive rows, with no total row) is
      not public knowledge, such as the number of people disciplined in the year. Disclosure
      control assumes a reader knows every other column's total; these it leaves to the joint
      audit, which protects the column against every total the run publishes.
    """

    id: str
    title: str
    columns: list[Column]
    data: pd.DataFrame
    row_key: str | None = None
    rows_additive: bool = True
    total_row: bool = False
    column_groups: list[tuple[str, ...]] = field(default_factory=list)
    column_totals: dict[tuple[str, ...], str] = field(default_factory=dict)
    private_totals: tuple[str, ...] = ()
    #: count columns splitting a row's people by group though not all of them (White and ethnic
    #: minority leavers by reason, without those whose group is not known): no line for secondary
    #: suppression, as their total is nowhere, but a row showing all of them in one group, beside
    #: shown zeros, has its zeros withheld as for a line (see disclosure, everyone in one group)
    partial_groups: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: sentences explaining a symbol ("[c]", "[x]", "[z]"): the narrative pass adds each to
    #: ``notes`` (in one note) only when the table as published shows its symbol
    symbol_notes: dict[str, str] = field(default_factory=dict)
    description: str = ""
    source: str = ""
    #: filled by disclosure control: (row position, column key) pairs withheld
    suppressed: set[tuple[int, str]] = field(default_factory=set)
    #: filled by disclosure control: cells withheld only to protect other cells
    secondary: set[tuple[int, str]] = field(default_factory=set)
    #: filled by disclosure control: zeros withheld so that no line shows everyone it counts in one
    #: group (a small board all White), and no rate's numerator shows that none of a withheld base
    #: had the outcome ("staff [c], received training 0"); a reader knows a withheld zero is 0
    #: only if it is shown elsewhere, so the joint pass never shows them as worked out
    grouped: set[tuple[int, str]] = field(default_factory=set)
    #: filled by the joint pass over the whole run (equality_reports.joint): cells withheld to
    #: protect cells of other tables or reports
    joint: set[tuple[int, str]] = field(default_factory=set)
    #: filled by the joint pass: larger counts a table's own rules withheld that a reader can work
    #: out exactly from everything the run publishes (see :func:`equality_reports.joint.protect`):
    #: shown, as withholding them protects nobody, unless the joint pass withholds them again
    released: set[tuple[int, str]] = field(default_factory=set)
    #: hidden count cells that shown cells of the same document give away all the same (the sizes
    #: of groups whose mean pay is shown beside their whole's: the means weigh them): cell -> sets
    #: of (table id, row position, column key); the run-wide audit counts the cell as published
    #: while every cell of one of its sets is shown, as for a column's ``Column.revealed_by``
    revealed: dict[tuple[int, str], list[tuple[tuple[str, int, str], ...]]] = field(default_factory=dict)
    #: cells that restate a figure of the same document: (row position, column key) -> figure id;
    #: disclosure control withholds such a cell whenever the figure is withheld (or missing)
    restates: dict[tuple[int, str], str] = field(default_factory=dict)
    #: cells restating a count cell of another table of the same document: (row position, column
    #: key) -> where (a comparison table's hidden counts); disclosure control withholds such a cell
    #: whenever its source is withheld, a zero too (counting nobody, a zero has no units to follow)
    copies: dict[tuple[int, str], CellRef] = field(default_factory=dict)
    #: the id of a table of the same document showing the same people in broader groups: when
    #: most of this table's counts would be withheld, a publication leaves it out and says so
    coarser: str = ""
    #: column keys whose counts disclosure control withholds first when a cell must go to protect
    #: a small count in its row or column: the reference group (White, non-disabled staff), so the
    #: group an indicator is about, and its share, stay shown
    spare: tuple[str, ...] = ()
    #: labels (``row_key`` values) of rows counting people whose office is public, a trust's board
    #: named on its website: their lines may show everyone in one group ("BME 0" beside a withheld
    #: White count is the WRES's indicator 9), which disclosure control otherwise prevents
    public_rows: tuple[str, ...] = ()
    #: cells that do not apply (a share of declared staff in the "not known" row): shown as ``[z]``
    not_applicable: set[tuple[int, str]] = field(default_factory=set)
    #: empty cells a report leaves empty by a rule it publishes (the pay of a group too small to
    #: show): ``[x]``, even where disclosure control withholds the cells around them (a cell
    #: holding a value is never shown this way)
    not_available: set[tuple[int, str]] = field(default_factory=set)
    #: filled by disclosure control: the cells a headline figure of the run is computed from
    #: (``Figure.headline``) and their copies, withheld last when a cell must go to protect another
    keep: set[tuple[int, str]] = field(default_factory=set)
    #: whom each count cell counts: (row position, column key) -> the unit codes counted
    #: (see equality_reports.measures.units); the disclosure auditor relates cells through them
    units: dict[tuple[int, str], Any] = field(default_factory=dict)
    #: whom a published percentage divides: (row position, column key) -> (numerator units,
    #: denominator units); the auditor bounds both counts by the rounded percentage
    shares: dict[tuple[int, str], tuple[Any, Any]] = field(default_factory=dict)
    #: cells that are means, medians or gaps between them, of the dataset's people: (row position,
    #: column key) -> :class:`Mean`, :class:`Median` or :class:`Gap`; the auditor relates them (a
    #: shown cell) and protects them (a withheld or empty one)
    averages: dict[tuple[int, str], Mean | Median | Gap] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.column_groups = [tuple(g) for g in self.column_groups]
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"table {self.id}: duplicate column keys {keys}")
        missing = [k for k in keys if k not in self.data.columns]
        if missing:
            raise ValueError(f"table {self.id}: data lacks columns {missing}")
        if self.row_key is None:
            text_cols = [c.key for c in self.columns if c.kind == "text"]
            self.row_key = text_cols[0] if text_cols else None
        self.data = self.data.reset_index(drop=True)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"table {self.id} has no column {key!r}")

    @property
    def visible_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.hidden]

    def row_position(self, label: str) -> int:
        if self.row_key is None:
            raise KeyError(f"table {self.id} has no row key")
        matches = [i for i, v in enumerate(self.data[self.row_key].tolist()) if str(v) == label]
        if not matches:
            raise KeyError(f"table {self.id} has no row {label!r}")
        return matches[0]

    def display_value(self, row: int, key: str) -> Any:
        """The value as published: ``[c]`` when withheld, ``[z]`` when it does not apply, ``[x]`` when
        not calculable."""
        value = self.data.at[row, key]
        if (row, key) in self.not_available and is_missing(value):
            return NOT_AVAILABLE
        if (row, key) in self.suppressed:
            return SUPPRESSED
        if (row, key) in self.not_applicable:
            return NOT_APPLICABLE
        if is_missing(value):
            return NOT_APPLICABLE if self.column(key).kind == "text" else NOT_AVAILABLE
        return value

    def shown_symbols(self) -> set[str]:
        """The shorthand symbols (``[c]``, ``[x]``, ``[z]``) the table shows."""
        return {value for column in self.visible_columns for row in range(len(self.data))
                if (value := self.display_value(row, column.key)) in SYMBOLS}


@dataclass
class Paragraph:
    """Narrative text from a jinja2 template (``template``) or given directly (``text``).

    Templates are rendered after disclosure control, with ``context`` plus ``figures`` (the
    document's figures as published) and ``document``. The rendered text uses a small markup:
    blank lines separate paragraphs and lines starting with ``- `` are bullet items.
    """

    template: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    #: ids of the tables the paragraph only describes ("Grades are listed from lowest to highest"):
    #: a publication leaving every one of them out leaves the paragraph out too
    describes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.template is None) == (self.text is None):
            raise ValueError("a Paragraph needs exactly one of template or text")


@dataclass
class Chart:
    """A chart drawn from columns of a table in the same document.

    ``kind`` is ``bar`` (horizontal bars, one series per value column) or ``stacked``
    (horizontal stacked bars; values should be percentages adding up to 100).
    ``alt_text`` may be left empty: the engine then writes one that states every plotted
    value, as published (withheld values are said to be withheld).
    """

    id: str
    title: str
    table: str
    category: str
    values: list[str]
    kind: Literal["bar", "stacked"] = "bar"
    unit: FigureUnit = "percent"
    alt_text: str = ""

    def published_values(self, table: Table) -> list[float]:
        """The chart's bars that have a value as published (not withheld, not missing)."""
        return [float(value) for row in range(len(table.data)) for key in self.values
                if not isinstance(value := table.display_value(row, key), str)]

    def published_bars(self, table: Table) -> int:
        """How many of the chart's bars have a value as published."""
        return len(self.published_values(table))

    def worth_drawing(self, table: Table) -> bool:
        """At least :data:`MIN_CHART_BARS` categories, and at least half of them, with every bar
        published (a category missing one of its series compares nothing), not all of them 0 (a
        chart of nothing but zeros draws no bar; its table says it)."""
        rows = [[table.display_value(row, key) for key in self.values] for row in range(len(table.data))]
        whole = [values for values in rows if not any(isinstance(v, str) for v in values)]
        return (len(whole) >= MIN_CHART_BARS and 2 * len(whole) >= len(rows)
                and any(v != 0 for values in whole for v in values))


#: the fewest categories with every bar published worth drawing: one group's bars among withheld
#: ones compare nothing
MIN_CHART_BARS = 2


Block = Paragraph | Table | Chart


@dataclass
class Section:
    """A headed part of the document; nesting depth gives the heading level. ``new_page`` starts
    a long top-level part (a chapter) on a new page in paged formats."""

    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    new_page: bool = False

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    def subsection(self, id: str, title: str) -> Section:
        child = Section(id=id, title=title)
        self.sections.append(child)
        return child


@dataclass
class Figure:
    """A named number, published in the JSON output and usable from narrative templates.

    ``value`` None with ``suppressed`` False means not calculable (``note`` says why).
    ``cells`` ties the figure to the table cells it restates or was computed from, so that
    disclosure control withholds it whenever one of them is withheld. A ``count`` figure that is
    no table's cell declares whom it counts in ``units`` (unit codes, as ``Table.units``), so the
    disclosure auditor relates it to every cell; ``external`` marks a count of things outside the
    dataset's people (evidence items, survey totals). A publication withholds a count figure with
    none of these (fail closed). A percentage figure of the dataset's people that restates no cell
    declares its ``share``.
    """

    id: str
    label: str
    value: float | int | str | None
    unit: FigureUnit = "number"
    numerator: float | int | None = None
    denominator: float | int | None = None
    cells: tuple[CellRef, ...] = ()
    note: str = ""
    suppressed: bool = False
    units: Any = field(default=None, repr=False, compare=False)
    external: bool = False
    #: whom a percentage figure that restates no table cell divides: (numerator units,
    #: denominator units); the auditor bounds both counts by the published rounding, as it does a
    #: table's ``shares``
    share: Any = field(default=None, repr=False, compare=False)
    #: a money figure that is a mean or median (or a percentage that is a gap) of the dataset's
    #: people and restates no cell declaring it, as a table's ``averages``
    average: Mean | Median | Gap | None = field(default=None, repr=False, compare=False)
    #: one of the few figures that sum the report up (see :meth:`Document.mark_headlines`): the
    #: evidence pack's appendix restates these
    headline: bool = False

    def __post_init__(self) -> None:
        if not _FIGURE_ID.match(self.id):
            raise ValueError(f"figure id {self.id!r} must be dotted lowercase, e.g. report.section.measure")
        self.cells = tuple(self.cells)
        if isinstance(self.value, float) and not math.isfinite(self.value):
            self.value = None
        if self.value is None and not self.note:
            self.note = "not calculable"

    @property
    def published_text(self) -> str:
        """The figure as published: ``[c]`` when withheld, "not calculable" when it has no value,
        else its value formatted for its unit (as narrative templates print it)."""
        return published_text(self.value, self.unit, self.suppressed)

    def as_json(self, publication: bool = False) -> dict[str, Any]:
        """The figure for the JSON output. A publication gives no numerator or denominator: they
        can be counts no table shows (a total withheld elsewhere); the tables show the counts
        that may be published."""
        hide = self.suppressed
        return {
            "label": self.label,
            # at the precision shown: more decimals of a share can give its counts away
            "value": None if hide else _json_number(_shown(self.value, self.unit)),
            "unit": self.unit,
            "numerator": None if hide or publication else _json_number(self.numerator),
            "denominator": None if hide or publication else _json_number(self.denominator),
            "suppressed": self.suppressed,
            **({"note": self.note} if self.note and not hide else {}),
            **({"headline": True} if self.headline else {}),
        }


@dataclass
class Document:
    """One report's content, independent of output format."""

    report: str
    title: str
    organisation: str
    period_start: date
    period_end: date
    subtitle: str = ""
    summary: str = ""
    language: str = "en-GB"
    audience: Audience = "publication"
    threshold: int = 10
    sections: list[Section] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: the sentences standing for the tables disclosure control left out (see
    #: :func:`~equality_reports.disclosure.leave_out_mostly_withheld`), for outputs that list tables
    left_out: list[str] = field(default_factory=list)

    def section(self, id: str, title: str, new_page: bool = False) -> Section:
        sec = Section(id=id, title=title, new_page=new_page)
        self.sections.append(sec)
        return sec

    def add_figure(self, figure: Figure) -> Figure:
        if figure.id in self.figures:
            raise ValueError(f"figure id {figure.id!r} used twice")
        if not figure.id.startswith(self.report + "."):
            raise ValueError(f"figure id {figure.id!r} must start with {self.report + '.'!r}")
        self.figures[figure.id] = figure
        return figure

    def mark_headlines(self, ids: Iterable[str | None]) -> None:
        """Mark the figures that sum this report up (other reports restate them: the evidence
        pack's appendix of workforce figures, in the order the figures were added). ``None`` entries
        (a measure with no figure) are skipped; an unknown id is an error."""
        for fid in ids:
            if fid is None:
                continue
            if fid not in self.figures:
                raise KeyError(f"no figure {fid!r} to mark as a headline")
            self.figures[fid].headline = True

    def walk(self) -> list[tuple[int, Section]]:
        """Every section with its depth (1 for top level), in document order."""
        out: list[tuple[int, Section]] = []

        def visit(sec: Section, depth: int) -> None:
            out.append((depth, sec))
            for child in sec.sections:
                visit(child, depth + 1)

        for sec in self.sections:
            visit(sec, 1)
        return out

    def tables(self) -> list[Table]:
        return [b for _, s in self.walk() for b in s.blocks if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for _, s in self.walk() for b in s.blocks if isinstance(b, Chart)]

    def drop_sparse_charts(self) -> list[Chart]:
        """Remove every chart not worth drawing (:meth:`Chart.worth_drawing`: fewer than
        :data:`MIN_CHART_BARS` published bars, or only zeros; its table stands alone); returns those
        removed. Run after disclosure control, before rendering."""
        dropped = []
        for _, section in self.walk():
            sparse = [b for b in section.blocks if isinstance(b, Chart) and not b.worth_drawing(self.table(b.table))]
            section.blocks = [b for b in section.blocks if not any(b is c for c in sparse)]
            dropped += sparse
        return dropped

    def table(self, table_id: str) -> Table:
        for t in self.tables():
            if t.id == table_id:
                return t
        raise KeyError(f"document {self.report} has no table {table_id!r}")

    @property
    def not_for_publication(self) -> bool:
        return self.audience == "internal"


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA/NaT."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return value.__class__.__name__ in {"NAType", "NaTType"}


#: decimals a figure is published to, by unit (counts are whole; text is as it is)
#: (``money`` is pounds and pence: to the penny, "£" in text; ``score`` a survey score given to two
#: decimals, such as the NHS Staff Survey engagement score out of 10)
FIGURE_DECIMALS = {"percent": 1, "pp": 1, "ratio": 2, "fte": 1, "number": 1, "score": 2, "money": 2}


def _shown(value: Any, unit: str) -> Any:
    decimals = FIGURE_DECIMALS.get(unit)
    if decimals is None or isinstance(value, bool) or not isinstance(value, (int, float)) or is_missing(value):
        return value
    return rounded(value, decimals)


def _json_number(value: Any) -> Any:
    if value is None or is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    return value


#: how each figure unit is formatted (format_value's kinds)
UNIT_KINDS = {"count": "count", "percent": "percent", "ratio": "ratio", "pp": "pp",
              "fte": "number", "number": "number", "score": "ratio", "money": "money", "flag": "count"}


def published_text(value: Any, unit: str, suppressed: bool) -> str:
    """A figure's published form: ``[c]`` when withheld, "not calculable" without a value."""
    if suppressed:
        return SUPPRESSED
    if value is None:
        return "not calculable"
    if isinstance(value, str):
        return value
    return format_value(value, UNIT_KINDS.get(unit, "number"))


def format_value(value: Any, kind: str, decimals: int | None = None) -> str:
    """Text form of a published value, as used in Word tables, CSV text and narrative."""
    if isinstance(value, str):
        return value
    if is_missing(value):
        return NOT_AVAILABLE
    if kind in ("count",):
        return f"{int(round(float(value))):,}"
    if kind in ("percent", "pp"):
        d = 1 if decimals is None else decimals
        shown = rounded(value, d)
        sign = "+" if kind == "pp" and shown > 0 else ""
        return f"{sign}{shown:,.{d}f}"
    if kind == "ratio":
        d = 2 if decimals is None else decimals
        return f"{rounded(value, d):,.{d}f}"
    if kind in ("number", "fte"):
        d = 1 if decimals is None else decimals
        return f"{rounded(value, d):,.{d}f}"
    if kind == "money":
        d = 2 if decimals is None else decimals
        shown = rounded(value, d)
        return f"{'-' if shown < 0 else ''}£{abs(shown):,.{d}f}"
    if isinstance(value, date):
        return long_date(value)
    return str(value)


def rounded(value: Any, decimals: int) -> float:
    """``value`` to ``decimals`` places as publications round, halves away from zero (a sum of FTE
    of 1,584.55 is 1,584.6, where binary floating point would give 1,584.5), and a value that
    rounds to zero as 0 (never "-0.0": a gap of -0.01% is shown as 0.0, not as a negative nothing)."""
    exact = Decimal(repr(round(float(value), 10)))  # the decimal the value stands for, float noise gone
    shown = float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    return 0.0 if shown == 0 else shown


def long_date(value: date) -> str:
    """A date as publications write it, "1 April 2025": the day unpadded, on every platform."""
    return f"{value.day} {value:%B %Y}"


def join_words(items: Iterable[Any]) -> str:
    """A list as a sentence writes it: 'a', 'a and b', 'a, b and c'."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
