"""Disclosure control on the built document, narrative rendered from published figures, actions."""

import pandas as pd
import pytest
from helpers_rraa import REPORT, P, build, dataset, staff_frame

from equality_reports import ReportContext
from equality_reports.disclosure import apply_disclosure
from equality_reports.narrative import render_narrative
from equality_reports.templating import TextRenderer

STAFF = "A" * 40 + "H" * 12 + "N" * 3 + "Z" * 2  # White 40, minority 15 (Black 3), unknown 2


def published(doc):
    apply_disclosure(doc, 10)
    render_narrative(doc, TextRenderer(report_dir=REPORT.template_dir))
    return doc


def text_of(doc, section_id):
    sec = next(s for _, s in doc.walk() if s.id == section_id)
    return "\n".join(b.text for b in sec.blocks if getattr(b, "text", None))


@pytest.fixture(scope="module")
def doc():
    return published(build(dataset(staff_frame(STAFF, fte=1.0)))[0])


def test_small_cells_are_withheld_with_their_percentages(doc):
    table = doc.table("staff_binary")
    unknown = table.row_position("Not stated or not known")
    assert table.display_value(unknown, "count") == "[c]"
    assert table.display_value(unknown, "pct_all") == "[c]"
    # a second cell in the count column is withheld so the total cannot give the first away
    assert len([r for r, k in table.suppressed if k == "count"]) >= 2
    broad = doc.table("staff_broad")
    assert broad.display_value(broad.row_position("Black, Black British, Caribbean or African"), "count") == "[c]"


def test_figures_tied_to_withheld_cells_are_withheld(doc):
    assert doc.figures[P + "staff.unknown.count"].suppressed
    assert doc.figures[P + "staff.declaration_rate"].suppressed
    assert not doc.figures[P + "staff.total"].suppressed


def test_narrative_says_in_words_that_a_figure_is_withheld_and_never_the_number(doc):
    summary = text_of(doc, "key-findings")
    assert ("We employed 57 staff; the share who told us their ethnic group (the declaration rate) is not "
            "shown, to protect individuals.") in summary
    assert "96.5" not in summary and "[c]" not in summary  # the withheld declaration rate (55/57)
    assert ("The declaration rate, the share of staff whose ethnic group is recorded, is not shown, to protect "
            "individuals.") in text_of(doc, "data-quality")


def test_every_template_renders_for_a_full_dataset():
    staff = staff_frame("A" * 30 + "H" * 20 + "Z" * 5, fte=0.5, grade=["G1", "G2", "G3"] * 18 + ["G3"])
    apps = pd.DataFrame({"application_id": range(80), "ethnicity": ["A"] * 40 + ["H"] * 40,
                         "shortlisted": [True, False] * 40, "appointed": [True, False, False, False] * 20})
    actions = pd.DataFrame({"action": ["Raise declaration", "Review shortlisting"], "who": ["HR", None],
                            "by_when": ["2026-09-30", None]})
    doc = published(build(dataset(staff, applications=apps, actions=actions), large_body="false")[0])
    paragraphs = [b for _, s in doc.walk() for b in s.blocks if hasattr(b, "template")]
    assert paragraphs and all(p.text and p.template is None for p in paragraphs)
    assert all(c.alt_text.startswith("Bar chart:") for c in doc.charts())
    assert "White: 54.5%" in next(c for c in doc.charts() if c.id == "workforce_profile").alt_text
    assert "25.0% of ethnic minority applicants were appointed, against 25.0% of White applicants" in \
        text_of(doc, "key-findings")
    assert "below the 150 full-time equivalent threshold" in text_of(doc, "key-findings")
    actions_table = doc.table("actions")
    assert actions_table.data["by_when"].tolist() == ["30 September 2026", "Not stated"]
    assert actions_table.data["who"].tolist() == ["HR", "Not stated"]


def test_an_unfinished_action_past_its_date_says_so():
    """The plan is published with the report: an action due before the snapshot date and not
    complete is marked, as the evidence pack marks it overdue."""
    staff = staff_frame("A" * 30 + "H" * 20)
    actions = pd.DataFrame({"action": ["Raise declaration", "Review shortlisting", "Train panels", "Audit pay"],
                            "who": ["HR"] * 4, "by_when": ["2025-12-31", "2026-09-30", "2025-06-30", "2025-11-30"],
                            "status": ["In progress", "Not started", "Complete", None]})
    doc = published(build(dataset(staff, actions=actions), large_body="false")[0])
    table = doc.table("actions")
    assert table.title == "Our action plan"
    assert table.data["status"].tolist() == ["In progress, past its date", "Not started", "Complete",
                                             "Not stated, past its date"]


def test_intro_cites_the_statutory_instruments(doc):
    intro = text_of(doc, "about")
    for citation in ("SI 2001/3458", "SI 2017/353", "WSI 2011/1064", "Article 5"):
        assert citation in intro


def test_check_rejects_bad_options_and_unknown_senior_grades():
    ds = dataset(staff_frame("AH", grade=["G1", "G2"]))
    problems = REPORT.check(ReportContext(REPORT, ds, REPORT.parse_options({"band_low": "1.2", "senior_grades": "G1,G9"})))
    messages = [p.message for p in problems if p.severity == "error"]
    assert any("band_low" in m for m in messages) and any("G9" in m for m in messages)
    assert REPORT.check(ReportContext(REPORT, ds, REPORT.parse_options({"senior_grades": "G2"}))) == []


def test_plugin_registers_the_report_through_its_entry_point():
    from importlib.metadata import entry_points

    import equality_reports_rraa

    (ep,) = [e for e in entry_points(group="equality_reports") if e.name == "rraa-employment"]
    assert ep.load() is equality_reports_rraa
    registered = []
    equality_reports_rraa.register_reports(registered.append)
    assert [r.name for r in registered] == ["rraa-employment"]


def test_comparison_tables_keep_withheld_what_their_source_tables_withhold():
    # appointed: White 10 of 30, minority 3 of 20. The 3 is withheld, and with it another cell of
    # the column, not the White 10 behind the headline White appointment rate. The relative-rate
    # table restates both counts: the minority rate and the relative rate go.
    apps = pd.DataFrame({"application_id": range(50), "ethnicity": ["A"] * 30 + ["H"] * 20,
                         "shortlisted": [True] * 50, "appointed": [True] * 10 + [False] * 20 + [True] * 3 + [False] * 17})
    doc = published(build(dataset(staff_frame("A" * 30 + "H" * 20), applications=apps))[0])
    source = doc.table("applications_binary")
    assert source.display_value(source.row_position("White"), "appointed") == 10
    assert source.display_value(source.row_position("Ethnic minority"), "appointed") == "[c]"
    rates = doc.table("relative_rates")
    row = rates.row_position("Appointed")
    assert round(rates.display_value(row, "white_rate"), 1) == 33.3
    assert rates.display_value(row, "minority_rate") == "[c]"
    assert rates.display_value(row, "relative") == "[c]"
    shares = doc.table("stage_shares")
    assert shares.display_value(shares.row_position("Appointed"), "share_stage") == "[c]"
    # the shortlisting row restates unwithheld counts and stays published
    assert rates.display_value(rates.row_position("Shortlisted"), "white_rate") == 100.0


def test_internal_audience_withholds_nothing():
    doc, _ = build(dataset(staff_frame(STAFF, fte=1.0)), audience="internal")
    assert all(not t.suppressed for t in doc.tables())
