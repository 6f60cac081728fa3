"""The format-neutral report structure, narrative rendering and templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from equality_reports.document import (
    CellRef,
    Chart,
    Column,
    Document,
    Figure,
    Paragraph,
    Table,
    format_value,
)
from equality_reports.errors import InputError
from equality_reports.narrative import WITHHELD_SENTENCE, chart_alt_text, figure_views, render_narrative
from equality_reports.templating import TextRenderer


def _doc() -> Document:
    return Document(report="demo", title="Demo", organisation="Org",
                    period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))


def _table() -> Table:
    data = pd.DataFrame({"group": ["White", "Ethnic minority"], "n": [40, 6],
                         "pct": [40 / 46 * 100, 6 / 46 * 100]})
    return Table("by_group", "Staff by group", [
        Column("group", "Group"), Column("n", "Staff", "count"),
        Column("pct", "Share (%)", "percent", derived_from=("n",))], data)


def test_figure_ids_must_be_dotted_lowercase_and_prefixed() -> None:
    with pytest.raises(ValueError, match="dotted lowercase"):
        Figure("Demo.Total", "x", 1)
    doc = _doc()
    with pytest.raises(ValueError, match="must start with 'demo.'"):
        doc.add_figure(Figure("other.staff.total", "x", 1))
    doc.add_figure(Figure("demo.staff.total", "Total", 5, "count"))
    with pytest.raises(ValueError, match="used twice"):
        doc.add_figure(Figure("demo.staff.total", "Total", 5, "count"))


def test_infinite_or_missing_value_is_not_calculable() -> None:
    fig = Figure("demo.x.ratio", "ratio", float("inf"), "ratio")
    assert fig.value is None and fig.note == "not calculable"
    assert fig.as_json() == {"label": "ratio", "value": None, "unit": "ratio", "numerator": None,
                             "denominator": None, "suppressed": False, "note": "not calculable"}


def test_suppressed_figure_hides_value_and_parts_in_json() -> None:
    fig = Figure("demo.x.pct", "pct", 12.5, "percent", numerator=3, denominator=24, suppressed=True)
    assert fig.as_json() == {"label": "pct", "value": None, "unit": "percent", "numerator": None,
                             "denominator": None, "suppressed": True}


def test_table_display_values_use_symbols() -> None:
    table = _table()
    table.data.loc[1, "pct"] = float("nan")
    table.suppressed.add((0, "n"))
    assert table.display_value(0, "n") == "[c]"
    assert table.display_value(1, "pct") == "[x]"
    assert table.display_value(1, "n") == 6
    assert table.row_position("Ethnic minority") == 1
    with pytest.raises(KeyError):
        table.row_position("Nobody")


def test_table_rejects_columns_missing_from_data() -> None:
    with pytest.raises(ValueError, match="lacks columns"):
        Table("t", "T", [Column("a", "A"), Column("b", "B", "count")], pd.DataFrame({"a": ["x"]}))


@pytest.mark.parametrize("value,kind,expected", [
    (1234, "count", "1,234"), (12.345, "percent", "12.3"), (1.5, "ratio", "1.50"),
    (2.0, "pp", "+2.0"), (-3.25, "pp", "-3.3"), (1584.55, "fte", "1,584.6"), (sum([0.55] + [1.0] * 1584), "fte", "1,584.6"),
    (0.125, "ratio", "0.13"), (None, "ratio", "[x]"), (float("nan"), "count", "[x]"),
    ("[c]", "count", "[c]"), (date(2026, 3, 31), "date", "31 March 2026"),
    # a value rounding to zero is 0, never "-0.0" (a gap of -0.01%)
    (-0.01, "percent", "0.0"), (-0.04, "pp", "0.0"), (-0.001, "ratio", "0.00"), (-0.04, "number", "0.0"),
    (21.149, "money", "£21.15"), (1234.5, "money", "£1,234.50"), (-2.5, "money", "-£2.50"), (-0.001, "money", "£0.00"),
])
def test_format_value(value: object, kind: str, expected: str) -> None:
    assert format_value(value, kind) == expected


def test_templates_see_the_symbols_of_cells_restating_withheld_figures(tmp_path: Path) -> None:
    """A summary cell restating a withheld figure shows [c] once resolved: a template placed before
    the table still sees [c] among the symbols shown."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "p.j2").write_text('{% if "[c]" in shown_symbols %}Some are withheld.{% endif %}')
    doc = _doc()
    summary = Table("summary", "Summary", [Column("measure", "Measure"), Column("value", "Value", from_figures=True)],
                    pd.DataFrame({"measure": ["Minority staff"], "value": ["demo.staff.minority"]}))
    doc.section("s", "S").add(Paragraph(template="demo/p.j2"), summary)
    doc.add_figure(Figure("demo.staff.minority", "m", 6, "count", suppressed=True))
    render_narrative(doc, TextRenderer(user_dir=tmp_path))
    assert doc.sections[0].blocks[0].text == "Some are withheld."


def test_narrative_sees_only_published_figures(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "p.j2").write_text(
        "Minority staff: {{ figures['demo.staff.minority'].text }}; "
        "white: {{ figures['demo.staff.white'].text }}; ratio {{ figures['demo.r'].text }}; "
        "{{ who }}.\n\n- a bullet")
    doc = _doc()
    table = _table()
    doc.section("s", "S").add(Paragraph(template="demo/p.j2", context={"who": "all"}), table)
    doc.add_figure(Figure("demo.staff.minority", "m", 6, "count", suppressed=True))
    doc.add_figure(Figure("demo.staff.white", "w", 1240, "count"))
    doc.add_figure(Figure("demo.r", "r", None, "ratio"))
    render_narrative(doc, TextRenderer(user_dir=tmp_path))
    para = doc.sections[0].blocks[0]
    # a template that prints a withheld figure loses that sentence: narrative never prints [c]
    assert para.text == f"Minority staff: {WITHHELD_SENTENCE}\n\n- a bullet"
    assert figure_views(doc.figures)["demo.staff.minority"].value is None
    assert figure_views(doc.figures)["demo.staff.minority"].text == "[c]"  # as tables restate it


def test_a_chart_needs_two_published_bars(tmp_path: Path) -> None:
    doc = _doc()
    table = _table()
    doc.section("s", "S").add(table, Chart("c", "C", table.id, "group", ["n"]))
    assert doc.charts()[0].published_bars(table) == 2 and not doc.drop_sparse_charts()
    table.suppressed = {(1, "n")}
    assert doc.charts()[0].published_bars(table) == 1
    assert [c.id for c in doc.drop_sparse_charts()] == ["c"] and doc.charts() == []
    assert doc.tables() == [table]  # the table stands alone


def test_a_chart_needs_two_groups_with_a_published_bar() -> None:
    """Two bars of one group (its mean and median gap) beside withheld groups compare nothing."""
    doc = _doc()
    table = _table()
    table.data["m"] = [3, 4]
    table.columns.append(Column("m", "M", "count"))
    doc.section("s", "S").add(table, Chart("c", "C", table.id, "group", ["n", "m"]))
    assert doc.charts()[0].worth_drawing(table)
    table.suppressed = {(1, "n"), (1, "m")}
    assert doc.charts()[0].published_bars(table) == 2 and not doc.charts()[0].worth_drawing(table)


def test_a_chart_of_nothing_but_zeros_is_not_drawn() -> None:
    doc = _doc()
    table = _table()
    table.data["n"] = 0
    doc.section("s", "S").add(table, Chart("c", "C", table.id, "group", ["n"]))
    assert doc.charts()[0].published_bars(table) == 2 and not doc.charts()[0].worth_drawing(table)
    assert [c.id for c in doc.drop_sparse_charts()] == ["c"] and doc.tables() == [table]


def test_user_template_overrides_builtin_and_errors_are_clear(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "bad.j2").write_text("{{ figures['demo.none'].text }}")
    doc = _doc()
    doc.section("s", "S").add(Paragraph(template="demo/bad.j2"))
    with pytest.raises(InputError, match="demo/bad.j2"):
        render_narrative(doc, TextRenderer(user_dir=tmp_path))
    with pytest.raises(InputError, match="missing.j2"):
        TextRenderer(user_dir=tmp_path).render("demo/missing.j2")


def test_template_sandbox_blocks_attribute_escape(tmp_path: Path) -> None:
    (tmp_path / "evil.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(Exception) as info:
        TextRenderer(user_dir=tmp_path).render("evil.j2")
    assert "unsafe" in str(info.value).lower() or "access" in str(info.value).lower()


@pytest.mark.parametrize("text", ["{{ 'x'|center(6000000000) }}", "{{ 'x'|indent(6000000000) }}",
                                  "{{ '%6000000000s'|format('x') }}", "{{ '%6000000000s' % 'x' }}",
                                  "{{ '{:6000000000}'.format('x') }}", "{{ '{:6000000000}'.format_map({}) }}"])
def test_template_sandbox_refuses_huge_field_widths(tmp_path: Path, text: str) -> None:
    (tmp_path / "wide.j2").write_text(text)
    with pytest.raises(InputError, match="more than a template may write"):
        TextRenderer(user_dir=tmp_path).render("wide.j2")


def test_template_sandbox_keeps_ordinary_widths(tmp_path: Path) -> None:
    (tmp_path / "ok.j2").write_text("{{ 'x'|center(5) }}|{{ '%3d' % 7 }}|{{ '{:>3}'.format('z') }}|{{ 7 % 3 }}")
    assert TextRenderer(user_dir=tmp_path).render("ok.j2") == "x  |  7|  z|1"


def test_chart_alt_text_states_published_values() -> None:
    doc = _doc()
    table = _table()
    table.suppressed.update({(1, "n"), (1, "pct")})
    chart = Chart("c", "Workforce profile", table="by_group", category="group", values=["pct"])
    doc.section("s", "S").add(table, chart)
    assert chart_alt_text(doc, chart) == (
        "Bar chart: Workforce profile. White: 87.0%; Ethnic minority: withheld.")


def test_chart_alt_text_gives_each_value_its_unit_once() -> None:
    """Two series of percentages: each value carries its "%", so the series' labels lose their
    "(% of the band)" (a reviewer heard "Men (% of the band) 32.8%")."""
    doc = _doc()
    data = pd.DataFrame({"band": ["Lower", "Upper"], "men": [28.9, 36.5], "women": [71.1, 63.5]})
    table = Table("bands", "Bands", [Column("band", "Band"), Column("men", "Men (% of the band)", "number"),
                                     Column("women", "Women (%)", "number")], data, rows_additive=False)
    chart = Chart("c", "Men and women in each band", table="bands", category="band", values=["men", "women"],
                  unit="percent")
    doc.section("s", "S").add(table, chart)
    assert chart_alt_text(doc, chart) == ("Bar chart: Men and women in each band. Lower: Men 28.9%, Women 71.1%; "
                                          "Upper: Men 36.5%, Women 63.5%.")


def test_cellref_and_walk_order() -> None:
    doc = _doc()
    top = doc.section("a", "A")
    top.subsection("a1", "A1").subsection("a11", "A11")
    doc.section("b", "B")
    assert [(d, s.id) for d, s in doc.walk()] == [(1, "a"), (2, "a1"), (3, "a11"), (1, "b")]
    assert CellRef("t", "r", "c") == CellRef("t", "r", "c")


def test_figure_cells_in_tables_show_published_text() -> None:
    doc = _doc()
    data = pd.DataFrame({"n": ["1", "2", "3", "4"],
                         "value": ["demo.a.ratio", "demo.b.pct", "demo.c.ratio", None]})
    table = Table("summary", "Summary", [Column("n", "Indicator"),
                                          Column("value", "This year", from_figures=True)], data)
    doc.section("s", "S").add(table)
    doc.add_figure(Figure("demo.a.ratio", "a", 1.234, "ratio"))
    doc.add_figure(Figure("demo.b.pct", "b", 12.25, "percent", suppressed=True))
    doc.add_figure(Figure("demo.c.ratio", "c", None, "ratio"))
    render_narrative(doc, TextRenderer())
    assert [table.display_value(i, "value") for i in range(4)] == ["1.23", "[c]", "not calculable", "[z]"]
    assert table.suppressed == {(1, "value")}


def test_dates_are_written_portably() -> None:
    """"1 April 2025" everywhere, without strftime's ``%-d`` (glibc only: Windows raises ValueError)."""
    from datetime import date
    from pathlib import Path

    from equality_reports import long_date

    assert long_date(date(2025, 4, 1)) == "1 April 2025" and long_date(date(2026, 3, 31)) == "31 March 2026"
    root = Path(__file__).resolve().parents[1]
    sources = [p for folder in ("src", "plugins") for p in (root / folder).rglob("*")
               if p.suffix in (".py", ".j2")]
    assert len(sources) > 50
    assert [str(p) for p in sources if "%-d" in p.read_text(encoding="utf-8")] == []


def test_money_figures_are_published_to_the_penny() -> None:
    fig = Figure("demo.pay.mean", "Mean hourly pay (£)", 21.1512, "money")
    assert fig.as_json(publication=True)["value"] == 21.15
    assert fig.published_text == "£21.15"
    assert Figure("demo.gap", "Gap (%)", -0.001, "percent").as_json()["value"] == 0.0
    assert str(Figure("demo.gap", "Gap (%)", -0.001, "percent").as_json()["value"]) == "0.0"


def test_a_chart_needs_half_its_groups_whole() -> None:
    """Two whole groups of five draw a chart of mostly [c]; a group missing one of its series
    (its senior share withheld beside its overall share) compares nothing."""
    doc = _doc()
    table = Table("t", "T", [Column("group", "Group"), Column("n", "N", "count"), Column("m", "M", "count")],
                  pd.DataFrame({"group": list("abcde"), "n": [20, 30, 40, 50, 60], "m": [21, 31, 41, 51, 61]}))
    doc.section("s", "S").add(table, Chart("c", "C", table.id, "group", ["n", "m"]))
    chart = doc.charts()[0]
    table.suppressed = {(2, "n"), (3, "n"), (4, "n")}
    assert not chart.worth_drawing(table)  # 2 of 5 groups whole
    table.suppressed = {(3, "n"), (4, "m")}
    assert chart.worth_drawing(table)  # 3 of 5
    table.suppressed = {(0, "m"), (1, "m"), (2, "m")}
    assert not chart.worth_drawing(table)  # every group has a bar, but only 2 have both


@pytest.mark.parametrize(("label", "inside"), [("Minority ethnic", "minority ethnic"), ("Ethnic minority", "ethnic minority"),
                                               ("BME", "BME"), ("White", "White"), ("Black", "Black"),
                                               ("Non-disabled", "non-disabled"), ("Other ethnic group", "other ethnic group")])
def test_a_group_label_inside_a_sentence_keeps_only_the_capitals_of_names(label: str, inside: str,
                                                                         tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("Compared with {{ label | in_sentence }} staff.", encoding="utf-8")
    assert TextRenderer(user_dir=tmp_path).render("t.j2", label=label) == f"Compared with {inside} staff."


@pytest.mark.parametrize(("count", "said"), [(0, "zero actions"), (1, "one action"), (4, "four actions"),
                                             (9, "nine actions"), (10, "10 actions"), (1234, "1,234 actions")])
def test_small_whole_numbers_are_written_in_words_in_running_text(count: int, said: str, tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("{{ n | words }} action{{ '' if n == 1 else 's' }}", encoding="utf-8")
    assert TextRenderer(user_dir=tmp_path).render("t.j2", n=count) == said


@pytest.mark.parametrize(("value", "ci", "said"), [
    (1.10, (0.90, 1.30), "Within the range."),
    (1.50, (0.95, 2.40), "Above the range, but the confidence interval includes 1, so the difference could be chance: "
                         "it is worth watching."),
    (1.50, (1.20, 1.90), "Above the range, and the confidence interval does not include 1, so the difference is "
                         "unlikely to be chance: it is worth looking into."),
    (0.50, (None, None), "Below the range: the difference is worth looking into."),
])
def test_a_relative_likelihood_is_read_against_its_range_and_confidence_interval(
        value: float, ci: tuple[float | None, float | None], said: str, tmp_path: Path) -> None:
    """The `reading` filter: the band's words, then, outside 0.80-1.25, whether the 95% interval
    includes 1, or excludes it; an interval not calculable is not spoken of."""
    from types import SimpleNamespace as F

    band = "within the range" if 0.8 <= value <= 1.25 else "above the range" if value > 1.25 else "below the range"
    (tmp_path / "t.j2").write_text("{{ rl | reading(lo, hi, band, 0.8, 1.25) }}", encoding="utf-8")
    assert TextRenderer(user_dir=tmp_path).render("t.j2", rl=F(value=value), lo=F(value=ci[0]), hi=F(value=ci[1]),
                                                  band=F(value=band)) == said


def test_a_tables_symbol_notes_explain_only_the_symbols_it_shows() -> None:
    symbols = {"[c]": "[c] marks a withheld figure.", "[x]": "[x] marks a figure not available."}
    shown, withheld = _table(), _table()
    shown.symbol_notes = withheld.symbol_notes = dict(symbols)
    withheld.id = "withheld"
    withheld.suppressed = {(1, "n"), (1, "pct")}
    doc = _doc()
    doc.section("s", "Section").add(shown, withheld)
    render_narrative(doc, TextRenderer())
    assert shown.notes == []  # no symbol in it: nothing to explain
    assert withheld.notes == ["[c] marks a withheld figure."]
    withheld.data.loc[0, "pct"] = None  # not calculable as well: both, in one note
    withheld.notes, withheld.symbol_notes = [], dict(symbols)
    render_narrative(doc, TextRenderer())
    assert withheld.notes == ["[c] marks a withheld figure. [x] marks a figure not available."]


def test_a_columns_divisors_must_be_among_what_it_is_derived_from() -> None:
    with pytest.raises(ValueError, match="names divisors outside its derived_from"):
        Column("rate", "Rate", "percent", derived_from=("appointed", "shortlisted"), divisors=("applied",))
    assert Column("rate", "Rate", "percent", derived_from=("appointed", "shortlisted"),
                  divisors=["shortlisted"]).divisors == ("shortlisted",)
