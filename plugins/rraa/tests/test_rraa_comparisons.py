"""Comparisons: relative rates with flags, the local population and last year."""

import pandas as pd
import pytest
from helpers_rraa import REPORT, P, build, dataset, rows, staff_frame, value

from equality_reports.document import Figure

STAFF = "A" * 10 + "H" * 5  # P000-P009 White, P010-P014 Asian
PROMOTIONS = pd.DataFrame({"person_id": ["P000", "P001", "P002", "P003", "P010", "P011", "P012", "P013", "P014"],
                           "promoted": [True, True, False, False, True, False, False, False, False]})


@pytest.fixture(scope="module")
def doc():
    bench = pd.DataFrame({"ethnicity": ["A", "H", "N", "Z"], "count": [600, 300, 100, 50]})
    return build(dataset(staff_frame(STAFF), promotions=PROMOTIONS, benchmark=bench))[0]


def test_relative_rates_hand_computed(doc):
    table = doc.table("relative_rates")
    got = rows(table, "w_num", "w_den", "m_num", "m_den", "white_rate", "minority_rate", "relative", "flag")
    # applied: White 4/10 = 40%, minority 5/5 = 100%, ratio 2.5
    assert got["Applied for promotion"] == pytest.approx(
        (4, 10, 5, 5, 40.0, 100.0, 2.5, "Yes, higher"))
    # promoted: White 2/4 = 50%, minority 1/5 = 20%, ratio 0.4
    assert got["Promoted"] == pytest.approx((2, 4, 1, 5, 50.0, 20.0, 0.4, "Yes, lower"))
    # shares: minority 5 of 9 promotion applicants against 5 of 15 staff; 1 of 3 promoted against 5 of 9
    shares = rows(doc.table("stage_shares"), "share_stage", "share_base")
    assert shares["Applied for promotion"] == pytest.approx((500 / 9, 100 / 3))
    assert shares["Promoted"] == pytest.approx((100 / 3, 500 / 9))
    assert doc.table("stage_shares").column("share_stage").derived_from == ("m_num", "w_num")
    assert all(table.column(k).hidden for k in ("w_num", "w_den", "m_num", "m_den"))
    assert table.column("relative").derived_from == ("m_num", "m_den", "w_num", "w_den")
    assert value(doc, "comparison.promoted.relative_rate") == pytest.approx(0.4)


def test_band_options_change_the_flag():
    doc, _ = build(dataset(staff_frame(STAFF), promotions=PROMOTIONS), band_low="0.3", band_high="3")
    flags = rows(doc.table("relative_rates"), "flag")
    assert flags["Promoted"] == ("No",) and flags["Applied for promotion"] == ("No",)


def test_zero_white_rate_is_not_calculable():
    promotions = pd.DataFrame({"person_id": ["P010"], "promoted": [True]})
    doc, _ = build(dataset(staff_frame(STAFF), promotions=promotions))
    assert rows(doc.table("relative_rates"), "relative", "flag")["Promoted"] == (None, "Not calculable")
    assert doc.figures[P + "comparison.promoted.relative_rate"].value is None


def test_an_nhs_body_is_told_these_rates_are_not_its_wres_figures():
    """A trust also publishes WRES indicator 2, White over BME appointment from shortlisting: the
    RRAA comparison (minority over White, from all applicants) says it measures differently; a
    council, with no WRES return, is not told about it."""
    from equality_reports.narrative import render_narrative
    from equality_reports.templating import TextRenderer

    def text(sector: str) -> str:
        ds = dataset(staff_frame(STAFF), promotions=PROMOTIONS)
        ds.sector = sector
        doc, _ = build(ds)
        render_narrative(doc, TextRenderer(report_dir=REPORT.template_dir))
        return " ".join(b.text for _, sec in doc.walk() if sec.id == "comparisons" for b in sec.blocks
                        if getattr(b, "text", None))

    said = "These rates are not the figures of the Workforce Race Equality Standard return"
    assert said in text("nhs") and "its indicator 2, for example, divides the rate at which White" in text("nhs")
    assert said not in text("local_government")


def test_benchmark_at_three_levels(doc):
    binary = rows(doc.table("benchmark_binary"), "staff", "staff_pct", "population", "population_pct", "difference")
    assert binary["White"] == pytest.approx((10, 200 / 3, 600, 60.0, 200 / 3 - 60))
    assert binary["Ethnic minority"] == pytest.approx((5, 100 / 3, 400, 40.0, 100 / 3 - 40))
    assert binary["All who declared"][:4] == pytest.approx((15, 100.0, 1000, 100.0))
    detailed = rows(doc.table("benchmark_detailed"), "staff", "population")
    assert detailed["Black: African"] == (0, 100) and "Not stated (declined to say)" not in detailed
    assert value(doc, "benchmark.minority_ethnic.pp_difference") == pytest.approx(100 / 3 - 40)
    assert value(doc, "benchmark.broad.asian.pp_difference") == pytest.approx(100 / 3 - 30)


def test_the_local_population_figures_cite_their_source_or_ask_for_it(doc):
    """With benchmark_source the section and every comparison table name it; without it the tables
    say the figures came with the data and the operator is asked for the source (never the
    publication)."""
    bench = pd.DataFrame({"ethnicity": ["A", "H"], "count": [600, 300]})
    cited, ctx = build(dataset(staff_frame(STAFF), benchmark=bench),
                       benchmark_source="Census 2021 (ONS table TS021), usual residents of Testshire")
    tables = [cited.table(f"benchmark_{n}") for n in ("detailed", "broad", "binary")]
    assert {t.source for t in tables} == {"Staff in post from the organisation's records; local population from "
                                          "Census 2021 (ONS table TS021), usual residents of Testshire."}
    intro = next(p for _, sec in cited.walk() if sec.id == "population" for p in sec.blocks
                 if getattr(p, "template", "").endswith("/benchmark.j2"))
    assert intro.context["source"] == "Census 2021 (ONS table TS021), usual residents of Testshire"
    assert not [n for n in ctx.operator_notes if "benchmark_source" in n]
    bare, ctx = build(dataset(staff_frame(STAFF), benchmark=bench))
    assert bare.table("benchmark_binary").source.endswith("local population as supplied with them.")
    assert [n for n in ctx.operator_notes if "benchmark_source under [options]" in n]
    assert not [n for n in build(dataset(staff_frame(STAFF)))[1].operator_notes if "benchmark_source" in n]


def test_groups_the_staff_records_cannot_tell_apart_are_counted_with_their_code(doc):
    """NHS codes have no letter for Arab (S) or Roma and Gypsy or Irish Traveller (C): with none of
    them in the staff records, the population's are counted in the "any other" group of their
    letter, whose label says so, rather than shown against a workforce of 0."""
    bench = pd.DataFrame({"ethnicity": ["A", "C", "Roma", "Gypsy or Irish Traveller", "H", "Arab", "S"],
                          "count": [600, 40, 5, 3, 300, 20, 30]})
    folded = build(dataset(staff_frame(STAFF + "SC"), benchmark=bench))[0]
    detailed = rows(folded.table("benchmark_detailed"), "staff", "population")
    assert detailed["White: any other White background (including Gypsy or Irish Traveller and Roma)"] == (1, 48)
    assert detailed["Other ethnic group: any other ethnic group (including Arab)"] == (1, 50)
    assert not [label for label in detailed if label.startswith(("White: Roma", "Other ethnic group: Arab"))]
    # recorded Arab staff: Arab stands on its own, the other two are still folded
    staff = staff_frame(STAFF)
    staff.loc[len(staff)] = {**staff.iloc[0].to_dict(), "person_id": "P099", "ethnicity": "Arab"}
    apart = rows(build(dataset(staff, benchmark=bench))[0].table("benchmark_detailed"), "staff", "population")
    assert apart["Other ethnic group: Arab"] == (1, 20) and apart["Other ethnic group: any other ethnic group"] == (0, 30)


def test_previous_year_from_last_years_dataset():
    last = dataset(staff_frame("A" * 10 + "H" * 10))
    doc, _ = build(dataset(staff_frame(STAFF)), previous=last, audience="internal")
    got = rows(doc.table("previous_year"), "last", "this", "change")
    assert got["Ethnic minority staff (% of all staff)"] == pytest.approx((50.0, 100 / 3, 100 / 3 - 50))
    assert got["Declaration rate"] == pytest.approx((100.0, 100.0, 0.0))
    assert value(doc, "change.staff.minority_ethnic.pct") == pytest.approx(100 / 3 - 50)
    assert value(doc, "previous.staff.total") == 20


def test_previous_year_from_published_figures_keeps_withheld_figures_withheld():
    previous = {P + "staff.minority_ethnic.pct": Figure(P + "staff.minority_ethnic.pct", "x", 40.0, "percent",
                                                        numerator=12, denominator=30),
                P + "staff.white.pct": Figure(P + "staff.white.pct", "x", None, "percent", suppressed=True)}
    doc, _ = build(dataset(staff_frame(STAFF)), previous_figures=previous)
    table = doc.table("previous_year")
    got = rows(table, "last_num", "last", "this", "change")
    assert got["Ethnic minority staff (% of all staff)"] == pytest.approx((12, 40.0, 100 / 3, 100 / 3 - 40))
    row = table.row_position("White staff (% of all staff)")
    assert (row, "last") in table.suppressed and got["White staff (% of all staff)"][3] is None


def test_turnover_above_staff_in_post_still_gives_a_relative_rate():
    # 2 White staff, 1 minority member of staff; 1 White and 3 minority leavers (not in post any more)
    leavers = pd.DataFrame({"person_id": ["L1", "L2", "L3", "L4"], "ethnicity": ["A", "H", "H", "N"],
                            "leave_date": ["2025-06-01"] * 4, "voluntary": [True] * 4})
    doc, _ = build(dataset(staff_frame("AAH"), leavers=leavers), large_body="true")
    got = rows(doc.table("relative_rates"), "white_rate", "minority_rate", "relative")
    assert got["Left the organisation"] == pytest.approx((50.0, 300.0, 6.0))
    assert rows(doc.table("leavers"), "turnover_rate")["Ethnic minority"] == pytest.approx((300.0,))


def test_key_findings_rank_relative_rates_by_their_distance_on_the_ratio_scale():
    """Half the rate is as far from equal as twice it: 0.45 (1 / 2.22) ranks above 1.64."""
    from equality_reports_rraa.comparisons import _distance

    assert _distance(0.5) == pytest.approx(_distance(2.0))
    assert _distance(0.45) > _distance(1.64) > _distance(1.0) == 0
    assert _distance(0.0) == float("inf")  # nobody in the group at the stage: the furthest of all
