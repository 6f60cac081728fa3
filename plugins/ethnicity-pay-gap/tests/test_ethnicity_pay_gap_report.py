"""The ethnicity-pay-gap report on small datasets whose every figure is worked out by hand."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from equality_reports import ReportContext, is_missing, load_dataset
from equality_reports_ethnicity_pay_gap import EthnicityPayGapReport
from equality_reports_ethnicity_pay_gap.report import large_enough

REPORT = EthnicityPayGapReport()
P = "ethnicity-pay-gap."
TOML = ('organisation = "Testshire Council"\nsector = "local_government"\n'
        "period_start = 2025-04-01\nperiod_end = 2026-03-31\n")

# code, hourly pay, bonus, full-pay relevant
PEOPLE = [
    ("A", 10, 100, "Y"), ("A", 12, 0, "Y"), ("A", 14, 0, "Y"), ("A", 20, 300, "Y"),  # White British
    ("A", 5, 200, "N"),                                # White British on leave: relevant, not full-pay relevant
    ("C", 11, 0, "Y"), ("C", 13, 50, "Y"),             # White: any other White background
    ("H", 7, 0, "Y"), ("H", 7, 0, "Y"), ("H", 10.5, 0, "Y"),  # Asian: Indian, nobody paid a bonus
    ("N", 20, 0, "Y"),                                 # Black African: one person
    ("Z", 30, 0, "Y"), ("Z", 40, 0, "Y"),              # not stated
]


def write(folder: Path, people=PEOPLE, pay: bool = True, bonus: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataset.toml").write_text(TOML, encoding="utf-8")
    frame = pd.DataFrame(people, columns=["ethnicity", "hourly_pay", "bonus_pay", "full_pay_relevant"])
    frame.insert(0, "person_id", [f"P{i:03d}" for i in range(len(frame))])
    if not bonus:
        frame = frame.drop(columns="bonus_pay")
    if not pay:
        frame = frame.drop(columns=["hourly_pay", "bonus_pay", "full_pay_relevant"], errors="ignore")
    frame.to_csv(folder / "staff.csv", index=False)
    return folder


def build(folder: Path, audience: str = "internal", **options: str):
    ds = load_dataset(folder)
    ctx = ReportContext(report=REPORT, dataset=ds, options=REPORT.parse_options(options), audience=audience)
    return REPORT.build(ctx), ctx


def table(doc, table_id):
    for _, section in doc.walk():
        for block in section.blocks:
            if getattr(block, "id", None) == table_id and hasattr(block, "data"):
                return block
    raise KeyError(table_id)


def rows(tbl, *columns):
    out = {}
    for i, label in enumerate(tbl.data[tbl.row_key]):
        out[str(label)] = tuple(None if is_missing(tbl.data.at[i, c]) else round(float(tbl.data.at[i, c]), 3)
                                for c in columns)
    return out


def fig(doc, fid):
    return doc.figures[P + fid].value


def test_hourly_gaps_against_white_british(tmp_path: Path) -> None:
    doc, _ = build(write(tmp_path / "d"), minimum_group="2")
    # reference White British, full-pay relevant: 10, 12, 14, 20 -> mean 14, median 13
    assert fig(doc, "reference.mean_hourly") == 14.0 and fig(doc, "reference.median_hourly") == 13.0
    binary = rows(table(doc, "epg_hourly_binary"), "staff", "mean_pay", "median_pay", "mean_gap", "median_gap")
    # White: 10 12 14 20 11 13 -> mean 80/6, median 12.5; gaps (14 - 13.333)/14, (13 - 12.5)/13
    assert binary["White"] == (6, 13.33, 12.5, 4.762, 3.846)
    # minority: 7 7 10.5 20 -> mean 11.125 (shown to the penny as every engine figure is rounded:
    # half to even, 11.12), median 8.75; gaps 2.875/14, 4.25/13
    assert binary["Ethnic minority"] == (4, 11.12, 8.75, 20.536, 32.692)
    broad = rows(table(doc, "epg_hourly_broad"), "staff", "mean_gap", "median_gap")
    # Asian (Indian): 7 7 10.5 -> mean 8.1667, median 7; but with the minority's mean (4 people) and
    # Black's count (1) published, Asian's mean would give away the one Black employee's pay
    # (4 x 11.125 - 3 x 8.1667 = 20): it is not shown
    assert broad["Asian or Asian British"] == (3, None, None)
    assert doc.figures[P + "hourly.broad.asian.mean_gap"].note.startswith("not shown, so that the pay of a smaller")
    # Black: one person, below the minimum of 2: counted, no pay figures
    assert broad["Black, Black British, Caribbean or African"] == (1, None, None)
    assert broad["Other ethnic group"] == (0, None, None)
    assert doc.figures[P + "hourly.broad.black.mean_gap"].note == "too few people to show"
    assert doc.figures[P + "hourly.binary.white.mean_gap"].note == ""  # shown: no note
    assert fig(doc, "hourly.binary.minority_ethnic.mean_gap") == pytest.approx(20.5357, abs=1e-3)


def test_bank_workers_option_and_people_not_directly_employed(tmp_path: Path) -> None:
    """Agency staff are never relevant employees; bank-only workers are unless bank_workers=exclude
    (the gender pay gap report's option, so a run of both counts the same people)."""
    folder = write(tmp_path / "d")
    staff = pd.read_csv(folder / "staff.csv")
    staff["directly_employed"] = ["Y"] * 11 + ["N", "Y"]  # P011 (not stated, 30) is an agency worker
    staff["bank"] = ["N", "Y"] + ["N"] * 11  # P001 (White British, 12) works on the bank only
    staff.to_csv(folder / "staff.csv", index=False)
    doc, _ = build(folder, minimum_group="2")
    assert fig(doc, "who.relevant") == 12 and fig(doc, "who.full_pay_relevant") == 11
    assert fig(doc, "reference.mean_hourly") == 14.0  # 10, 12, 14, 20
    note = table(doc, "epg_disclosure").notes[0]
    # the staff include a bank-only worker and the population keeps them: the reader is told
    assert note.startswith("Full-pay relevant employees are the staff in post on the snapshot date (directly employed "
                           "staff, bank-only workers included) who")
    doc, _ = build(folder, minimum_group="2", bank_workers="exclude")
    assert fig(doc, "who.relevant") == 11 and fig(doc, "who.full_pay_relevant") == 10
    assert fig(doc, "reference.mean_hourly") == 14.67  # 10, 14, 20: 14.666.. to the penny
    note = table(doc, "epg_disclosure").notes[0]
    assert "(directly employed staff, not bank-only workers) who" in note


def test_detailed_groups_below_the_minimum_are_combined_or_withheld(tmp_path: Path) -> None:
    doc, _ = build(write(tmp_path / "d"), minimum_group="3")
    detailed = rows(table(doc, "epg_hourly_detailed"), "staff", "mean_gap")
    assert detailed == {
        "White: English, Welsh, Scottish, Northern Irish or British": (4, 0.0),
        "White: any other White background": (2, None),     # alone in its row: named, still below 3
        # with minimum 3: Black (1) has no pay figures, so Asian's (3) would give it away beside the
        # minority's (4): Asian and its one detailed row are not shown either; White other (2) has none,
        # so broad White (and White in the binary table, the same people) would give it away beside
        # the reference White British: not shown
        "Asian: Indian": (3, None),
        "Black: African": (1, None),
    }
    small = [b for _, s in doc.walk() if s.id == "small-groups" for b in s.blocks][0].context
    assert small["folded"] == ["White: any other White background", "Black: African"]
    assert small["detailed"] == ["White: any other White background", "Black: African"]
    assert "Black, Black British, Caribbean or African" in small["broad"]
    assert sorted(small["protected"]) == ["Asian or Asian British", "Asian: Indian", "White"]
    binary = rows(table(doc, "epg_hourly_binary"), "staff", "mean_gap")
    assert binary == {"White": (6, None), "Ethnic minority": (4, 20.536)}
    # a group too small shows [x] (not available); one large enough whose pay would give a smaller
    # group's away shows [c] (confidential), as the notes say
    hourly = table(doc, "epg_hourly_detailed")
    shown = {label: hourly.display_value(i, "mean_gap") for i, label in enumerate(hourly.data["group"])}
    assert shown["Asian: Indian"] == "[c]" and shown["White: any other White background"] == "[x]"
    # the table shows both symbols: the narrative pass adds both meanings to its notes
    assert "including the pay of a group from which a smaller group's pay could be worked out" in \
        hourly.symbol_notes["[c]"] and "[x]" in hourly.symbol_notes


def test_a_combined_row_names_its_few_groups(tmp_path: Path) -> None:
    """White Irish (B) and White other (C), each below the minimum of 3, share a row named after
    both beside White British; a small group alone in its broad group keeps its own name."""
    people = [*PEOPLE, ("B", 15, 0, "Y"), ("F", 9, 0, "Y")]
    doc, _ = build(write(tmp_path / "d", people), minimum_group="3")
    labels = table(doc, "epg_hourly_detailed").data["group"].tolist()
    assert "White: Irish; any other White background (combined)" in labels
    assert "Mixed: White and Asian" in labels
    # Black Caribbean (M) shown beside Black African (N) and any other Black (P), too small: named,
    # the row's label would run past 60 characters, so it says "other groups combined", named as the
    # detailed rows beside it are ("Black: Caribbean"), not by the broad group's longer name
    people += [("M", 8, 0, "Y")] * 3 + [("P", 9, 0, "Y")]
    long_doc, _ = build(write(tmp_path / "e", people), minimum_group="3")
    assert "Black: other groups combined" in table(long_doc, "epg_hourly_detailed").data["group"].tolist()
    # one group too small alone keeps its place among its broad group's rows, not after them
    people = [*PEOPLE, ("C", 12, 0, "Y"), ("B", 15, 0, "Y")]
    labels = table(build(write(tmp_path / "f", people), minimum_group="3")[0], "epg_hourly_detailed").data["group"]
    white = [label for label in labels if label.startswith("White")]
    assert white == ["White: English, Welsh, Scottish, Northern Irish or British", "White: Irish",
                     "White: any other White background"]
    # a reader working a gap out from the pay shown is told why it can differ by 0.1
    assert "Gaps are worked out from unrounded pay" in table(doc, "epg_hourly_detailed").notes[0]


def test_unknown_ethnicity_is_the_non_disclosure_share_never_a_group(tmp_path: Path) -> None:
    doc, _ = build(write(tmp_path / "d"), minimum_group="2")
    who = rows(table(doc, "epg_disclosure"), "count", "pct")
    # 12 full-pay relevant employees (the one on leave is not), 2 not stated
    assert who["Not stated (declined to say)"] == (2, 16.667)
    assert who["All full-pay relevant employees"] == (12, 100.0)
    assert fig(doc, "who.not_recorded_pct") == pytest.approx(16.667, abs=1e-3)
    assert fig(doc, "who.relevant") == 13 and fig(doc, "who.full_pay_relevant") == 12
    # the not-stated people (paid 30 and 40) are in no group's gap
    assert "Not stated or not known" not in table(doc, "epg_hourly_binary").data["group"].tolist()


def test_bonus_measures_and_a_group_with_no_bonus_payers(tmp_path: Path) -> None:
    doc, _ = build(write(tmp_path / "d"), minimum_group="2")
    # White British relevant (5, the one on leave included): bonuses 100, 300, 200 -> 3 paid,
    # 60%, mean 200, median 200
    assert fig(doc, "reference.bonus_paid_pct") == 60.0
    bonus = rows(table(doc, "epg_bonus_broad"), "relevant", "paid", "paid_pct", "mean_gap", "median_gap")
    # White: 100 300 200 50 -> mean 162.5, median 150; gaps (200-162.5)/200, (200-150)/200
    assert bonus["White"] == (7, 4, 57.143, 18.75, 25.0)
    # Asian: 3 relevant, nobody paid a bonus: 0%, no bonus gap
    assert bonus["Asian or Asian British"] == (3, 0, 0.0, None, None)


def test_a_bonus_share_too_small_to_show_is_not_called_withheld(tmp_path: Path) -> None:
    """4 ethnic minority relevant employees, under a minimum group of 5, while White employees were
    paid bonuses: the text gives the reason the share is missing, never that it protects anyone."""
    from equality_reports.narrative import render_narrative
    from equality_reports.templating import TextRenderer

    doc, _ = build(write(tmp_path / "d"), minimum_group="5")
    render_narrative(doc, TextRenderer(report_dir=REPORT.template_dir))
    text = "\n".join(b.text for _, s in doc.walk() for b in s.blocks if getattr(b, "text", None))
    bonus = next(line for line in text.splitlines() if line.startswith("Bonus measures count"))
    assert "The share of White employees paid a bonus is 57.1%; of ethnic minority employees, not shown (too " \
           "few people to show)." in bonus
    assert "to protect" not in bonus


def test_nobody_in_the_reference_group_paid_a_bonus(tmp_path: Path) -> None:
    people = [(c, p, 0 if c == "A" else b, f) for c, p, b, f in PEOPLE]
    doc, _ = build(write(tmp_path / "d", people), minimum_group="2")
    assert fig(doc, "reference.bonus_paid_pct") == 0.0
    bonus = rows(table(doc, "epg_bonus_binary"), "paid", "mean_gap", "median_gap")
    assert bonus["White"] == (1, None, None)  # the White other person paid 50, but no reference bonus


def test_quarters_spread_people_on_one_rate_across_the_line(tmp_path: Path) -> None:
    doc, _ = build(write(tmp_path / "d"), minimum_group="2")
    quarters = table(doc, "epg_quarters_binary")
    # 12 full-pay relevant, quarters of 3, ranked: 7H 7H 10A | 10.5H 11C 12A | 13C 14A 20A,20N | 30Z 40Z
    # The two on 20 (White British and Black African) fill places 9 and 10, across the line between
    # the upper middle and upper quarters: one place each side; groups in order, minority first.
    got = rows(quarters, "white", "minority_ethnic", "unknown")
    assert got["Lower quarter"] == (1, 2, 0)
    assert got["Lower middle quarter"] == (2, 1, 0)
    assert got["Upper middle quarter"] == (2, 1, 0)
    assert got["Upper quarter"] == (1, 0, 2)
    assert [int(quarters.data.at[i, "total"]) for i in range(4)] == [3, 3, 3, 3]
    assert "All quarters" not in got  # no total row: the sizes sum to the full-pay relevant figure


def test_reference_white_when_too_few_white_british(tmp_path: Path) -> None:
    doc, _ = build(write(tmp_path / "d"), minimum_group="5")  # 4 White British < 5; White has 6
    assert doc.figures[P + "reference.mean_hourly"].label.startswith("Mean hourly pay of White employees")
    assert fig(doc, "reference.mean_hourly") == 13.33
    doc, _ = build(write(tmp_path / "e"), minimum_group="2", reference="asian")
    assert fig(doc, "reference.mean_hourly") == 8.17
    assert rows(table(doc, "epg_hourly_broad"), "mean_gap")["Asian or Asian British"] == (0.0,)


def test_reference_below_the_minimum_gives_no_gaps(tmp_path: Path) -> None:
    doc, ctx = build(write(tmp_path / "d"), minimum_group="4", reference="asian")  # 3 Asian
    assert fig(doc, "reference.mean_hourly") is None
    gaps = rows(table(doc, "epg_hourly_binary"), "mean_gap", "median_gap")
    assert gaps == {"White": (None, None), "Ethnic minority": (None, None)}
    assert doc.figures[P + "hourly.binary.white.mean_gap"].note == "the reference group has too few people to show"
    # what to do about it is for whoever runs the report (run-notes.md), never in the publication
    assert any("--option reference=" in note for note in ctx.operator_notes)


def test_a_shown_hourly_pay_never_narrows_how_many_of_a_group_were_on_leave(tmp_path: Path) -> None:
    """Showing a group's pay says it has at least minimum_group full-pay relevant employees; its
    relevant employees are published by other reports (staff in post), so a publication shows it
    only when they are at least minimum_group + threshold: the number on leave then keeps a range
    at least threshold wide, and a group not shown says only that one condition failed."""
    people = [("H", 10.0, 0, "Y")] * 12 + [("H", 10.0, 0, "N")] * 3 \
        + [("A", 12.0, 0, "Y")] * 30 + [("B", 11.0, 0, "Y")] * 25
    folder = write(tmp_path / "d", people)
    internal, _ = build(folder, "internal", minimum_group="10")
    published, ctx = build(folder, "publication", minimum_group="10")
    assert ctx.threshold == 10
    # Asian: 12 full pay of 15 relevant. Internal (no margin): 12 >= 10, shown. Publication: 15 < 10 + 10
    assert rows(table(internal, "epg_hourly_broad"), "mean_pay")["Asian or Asian British"] == (10.0,)
    assert rows(table(published, "epg_hourly_broad"), "mean_pay")["Asian or Asian British"] == (None,)
    note = published.figures[P + "hourly.broad.asian.mean_gap"].note
    assert note == "too few people to show"  # the same words as for a group under the minimum
    # White Irish: 25 full pay of 25 relevant, at least 10 + 10: shown in both
    detailed = rows(table(published, "epg_hourly_detailed"), "mean_pay")
    assert detailed["White: Irish"] == (11.0,)
    assert large_enough(10, 20, 10, 10) and not large_enough(10, 19, 10, 10) and not large_enough(9, 40, 10, 10)
    assert not large_enough(0, 40, 0, 10)
    # minimum_group below the threshold: a shown mean still says at least 10 had full pay (fewer are
    # withheld), so the margin counts from the threshold: 15 in post with 14 on full pay is too few
    assert not large_enough(14, 19, 5, 10) and large_enough(14, 20, 5, 10)


def test_check_reports_bad_options_and_missing_pay(tmp_path: Path) -> None:
    people = [*PEOPLE, ("A", None, 0, "Y")]
    ds = load_dataset(write(tmp_path / "d", people))
    ctx = ReportContext(report=REPORT, dataset=ds, options=REPORT.parse_options(
        {"reference": "purple", "minimum_group": "0"}))
    problems = REPORT.check(ctx)
    errors = [p for p in problems if p.severity == "error"]
    assert [p.message.split(":")[0] for p in errors] == ["reference=purple", "minimum_group=0 must be 1 or more"]
    [warning] = [p for p in problems if p.severity == "warning"]
    assert (warning.file, warning.row, warning.column, warning.value) == ("staff.csv", 15, "hourly_pay", "P013")
    assert "full_pay_relevant = no" in warning.fix


def test_check_asks_for_pay_only_of_relevant_employees(tmp_path: Path) -> None:
    """An agency worker (not directly employed) with no pay is no relevant employee: no warning
    (a checker saw 14 such warnings on an NHS extract); a blank of a directly employed one warns."""
    folder = write(tmp_path / "d", [*PEOPLE, ("A", None, 0, "Y"), ("H", None, 0, "Y")])
    staff = pd.read_csv(folder / "staff.csv")
    staff["directly_employed"] = ["Y"] * len(PEOPLE) + ["N", "Y"]
    staff.to_csv(folder / "staff.csv", index=False)
    ctx = ReportContext(report=REPORT, dataset=load_dataset(folder), options=REPORT.parse_options({}))
    [warning] = [p for p in REPORT.check(ctx) if p.severity == "warning"]
    assert warning.message.startswith("1 full-pay relevant employee(s) have no hourly pay")
    assert (warning.row, warning.value) == (16, "P014")


def test_without_pay_columns_the_report_is_skipped(tmp_path: Path) -> None:
    folder = write(tmp_path / "d", pay=False)
    ds = load_dataset(folder)
    assert REPORT.missing_columns(ds) == ["staff.hourly_pay"]
    assert REPORT.missing_columns(load_dataset(write(tmp_path / "e"))) == []


def test_without_bonus_pay_the_bonus_section_says_so(tmp_path: Path) -> None:
    doc, _ = build(write(tmp_path / "d", bonus=False), minimum_group="2")
    bonus = [s for _, s in doc.walk() if s.id == "bonus"][0]
    assert [b.template for b in bonus.blocks] == ["ethnicity-pay-gap/no_bonus.j2"]


def test_publication_withholds_small_counts_and_their_pay(tmp_path: Path) -> None:
    doc, ctx = build(write(tmp_path / "d"), audience="publication", minimum_group="2")
    ctx.protect(doc)
    hourly = table(doc, "epg_hourly_binary")
    # every count is below 10: withheld, and the pay figures with them; a group too small to show
    # by the published rule (fewer than 10 full-pay relevant employees, whatever the minimum) has
    # none to withhold: [x], as "Groups too small to show" lists it
    shown = {hourly.data.at[i, "group"]: hourly.display_value(i, "mean_gap") for i in range(len(hourly.data))}
    assert set(shown.values()) <= {"[c]", "[x]"}  # no pay figure of fewer than 10 people
    assert all(value == "[x]" for group, value in shown.items() if hourly.data.set_index("group").at[group, "mean_gap"]
               is None)


def _large(codes: dict[str, int], leave: dict[str, int]) -> list[tuple]:
    people = []
    for code, n in codes.items():
        people += [(code, 10 + (i % 7), 100 if i % 3 == 0 else 0, "Y") for i in range(n)]
        people += [(code, 10.0, 0, "N")] * leave.get(code, 0)
    return people


def test_share_paid_a_bonus_is_audited_as_giving_its_relevant_employees_away(tmp_path: Path) -> None:
    """60 Indian full-pay relevant and 3 on leave: the share paid a bonus (20 of 63) gives the 63
    away, and the pay quarters publish the 60 by group, so together they would show the 3. The
    relevant count is audited as published while its share is shown (``revealed_by``), so the
    joint pass withholds what it must; nothing decides it from the hidden number on leave alone."""
    from equality_reports.audit import audit, hidden_groups
    from equality_reports.joint import collect, protect

    doc, ctx = build(write(tmp_path / "d", _large({"A": 100, "H": 60}, {"A": 20, "H": 3})),
                     audience="publication")
    ctx.protect(doc)
    bonus = table(doc, "epg_bonus_broad")
    asian = bonus.data["group"].tolist().index("Asian or Asian British")
    cells, _ = collect({"epg": doc})
    revealed = [c for c in cells if c.key == ("epg", "epg_bonus_broad", asian, "relevant")]
    assert revealed and not revealed[0].withheld and revealed[0].value == 63  # its share is shown
    assert not audit(cells, 10).passed or hidden_groups(cells, 10)  # as published so far, the 3 follow
    outcome = protect({"epg": doc}, 10)
    assert outcome.audit.passed and not outcome.failures
    cells, _ = collect({"epg": doc})
    assert audit(cells, 10).passed and not hidden_groups(cells, 10)  # the 3 no longer follow
    internal, _ = build(write(tmp_path / "e", _large({"A": 100, "H": 60}, {"A": 20, "H": 3})))
    assert rows(table(internal, "epg_bonus_broad"), "paid_pct")["Asian or Asian British"] == (31.746,)  # 20/63


def test_a_size_the_means_weigh_is_audited_in_every_table_showing_the_same_people(tmp_path: Path) -> None:
    """White's mean stands in the White and ethnic minority table and again in the broad groups
    table; beside White British and other White means either copy weighs the parts. Every copy of
    each size is marked (``Table.revealed``), with a set of means for each choice of copies, so
    withholding one copy's size withholds its mean there and the audit still sees the other. The
    groups of a level together weigh everyone, whose mean the gender pay gap gives."""
    doc, _ = build(write(tmp_path / "d", _large({"A": 100, "C": 60, "H": 60}, {})))
    binary, broad, detailed = (table(doc, f"epg_hourly_{name}") for name in ("binary", "broad", "detailed"))
    white = broad.data["group"].tolist().index("White")
    other = detailed.data["group"].tolist().index("White: any other White background")
    sets = {frozenset(s) for s in broad.revealed[(white, "staff")]}
    assert sets == {frozenset(s) for s in binary.revealed[(0, "staff")]}
    within_white = {frozenset({("epg_hourly_binary", 0, "mean_pay"), ("epg_hourly_detailed", other, "mean_pay")}),
                    frozenset({("epg_hourly_broad", white, "mean_pay"), ("epg_hourly_detailed", other, "mean_pay")})}
    assert within_white <= sets and within_white <= {frozenset(s) for s in detailed.revealed[(other, "staff")]}
    # all full-pay employees' mean is known (the gender pay gap's): White and ethnic minority weigh it
    assert frozenset({("epg_hourly_binary", 0, "mean_pay"), ("epg_hourly_binary", 1, "mean_pay")}) in sets
    assert frozenset({("epg_hourly_binary", 0, "mean_pay"), ("epg_hourly_binary", 1, "mean_pay")}) in \
        {frozenset(s) for s in binary.revealed[(1, "staff")]}


def test_run_all_skips_without_pay_and_runs_with_it(tmp_path: Path) -> None:
    env = {**os.environ, "EQUALITY_REPORTS_LOAD_PLUGINS": "ethnicity-pay-gap,rraa-employment"}
    cmd = [sys.executable, "-m", "equality_reports", "run", "--all", "--format", "json"]
    out = subprocess.run([*cmd, "--data", str(write(tmp_path / "d", pay=False)), "--out", str(tmp_path / "o1")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "ethnicity-pay-gap: skipped (needs column(s) staff.hourly_pay with values)" in out.stdout
    big = _large({"A": 100, "H": 60, "Z": 12}, {"A": 20})
    out = subprocess.run([*cmd, "--data", str(write(tmp_path / "e", big)), "--out", str(tmp_path / "o2")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ethnicity-pay-gap: wrote ethnicity-pay-gap.json" in out.stdout
    figures = json.loads((tmp_path / "o2" / "ethnicity-pay-gap.json").read_text())["figures"]
    assert figures[P + "hourly.binary.minority_ethnic.mean_gap"]["unit"] == "percent"
    doc, _ = build(tmp_path / "e")  # internal: every figure (the publication withholds some: 12 not
    # recorded spread over four pay quarters are each 1 to 9 beside the RRAA report's 12)
    assert fig(doc, "who.not_recorded_pct") == pytest.approx(100 * 12 / 172)  # 12 of 172 full-pay relevant
    assert not math.isnan(fig(doc, "hourly.binary.minority_ethnic.mean_gap"))


def _run_with_rraa(data: Path, out: Path, formats: str) -> subprocess.CompletedProcess[str]:
    """``run ethnicity-pay-gap rraa-employment`` (a publication) on ``data``; it must succeed."""
    env = {**os.environ, "EQUALITY_REPORTS_LOAD_PLUGINS": "ethnicity-pay-gap,rraa-employment"}
    done = subprocess.run([sys.executable, "-m", "equality_reports", "run", "ethnicity-pay-gap", "rraa-employment",
                           "--format", formats, "--data", str(data), "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _host1(folder: Path) -> Path:
    """The reviewer's host1: 374 directly employed staff, 3 Black African on leave (not full-pay
    relevant), so the full-pay relevant total (371) beside the published relevant employees (374)
    would give the 3 away."""
    folder.mkdir(parents=True)
    (folder / "dataset.toml").write_text('organisation = "Hostile Council"\nsector = "other"\n'
                                         "period_start = 2025-04-01\nperiod_end = 2026-03-31\n")
    people: list[tuple[int, str, str]] = [(200, "White British", "Yes"), (12, "White Irish", "Yes"),
                                          (60, "Indian", "Yes"), (12, "Pakistani", "Yes"), (57, "African", "Yes"),
                                          (3, "African", "No"), (10, "Arab", "Yes"), (20, "", "Yes")]
    rows = [{"ethnicity": eth, "grade": "Grade 5", "sex": "Female", "disability": "No", "directly_employed": "Y",
             "hourly_pay": 12 + (len(rows_so_far) * 7.3) % 18, "full_pay_relevant": fpr, "start_date": "01/01/2020"}
            for rows_so_far in [[]] for n, eth, fpr in people for _ in range(n) if not rows_so_far.append(0)]
    frame = pd.DataFrame(rows)
    frame.insert(0, "person_id", [f"P{i:05d}" for i in range(len(frame))])
    frame.to_csv(folder / "staff.csv", index=False)
    return folder


def test_pay_quarter_sizes_do_not_pin_a_withheld_full_pay_relevant_total(tmp_path: Path) -> None:
    from equality_reports_ethnicity_pay_gap.measures import quarter_sizes
    out = _run_with_rraa(_host1(tmp_path / "d"), tmp_path / "o", "json,docx")
    # the text says in words that the withheld numbers are not shown (the engine did not have to)
    assert "printed a withheld figure" not in out.stdout
    from docx import Document as WordDocument
    text = "\n".join(p.text for p in WordDocument(str(tmp_path / "o" / "ethnicity-pay-gap.docx")).paragraphs)
    # pay withheld with a group's withheld size is explained beside the groups too small to show
    assert "is withheld to protect people counted in this or another table, its pay figures are withheld" in text
    published = json.loads((tmp_path / "o" / "ethnicity-pay-gap.json").read_text())
    figures = published["figures"]
    relevant = 374  # relevant employees in the data: published, or withheld by the joint pass
    assert figures[P + "who.relevant"]["value"] in (relevant, None)
    # one of the two totals 3 apart goes (the joint pass chooses which), and the text says so
    if not figures[P + "who.full_pay_relevant"]["suppressed"]:
        assert figures[P + "who.full_pay_relevant"]["value"] == relevant - 3
        assert figures[P + "who.relevant"]["suppressed"]
        assert "; their number is not shown, to protect individuals." in text
        rraa = json.loads((tmp_path / "o" / "rraa-employment.json").read_text())
        # the RRAA report's copy of the 374 too (or its whole table, left out for being mostly withheld)
        binary = rraa["tables"].get("staff_binary", {"rows": []})["rows"]
        all_staff = [row for row in binary if row[0] == "All staff"]
        assert all_staff[0][1] == "[c]" if all_staff else "staff_binary" not in rraa["tables"]
        return
    assert "leave; their number is not shown, to protect individuals" in text
    # left out when every number in it is withheld: it then publishes no size at all
    quarters = published["tables"].get("epg_quarters_binary", {"columns": [], "rows": []})
    sizes = [row[1] for row in quarters["rows"]]
    # every total a reader could hold true, from the quarter sizes (the documented rule) and the
    # shares of each quarter: none is narrowed below the whole range of the relevant employees
    consistent = [n for n in range(relevant + 1)
                  if all(s == "[c]" or s == int(quarter_sizes(n)[i]) for i, s in enumerate(sizes))]
    assert len(consistent) == relevant + 1
    # the sizes and every share (to one decimal they would pin the sizes) are withheld; a group's
    # count in a quarter may show where the audit finds it protected
    shares = [i for i, c in enumerate(quarters["columns"]) if c["kind"] == "percent"]
    assert all(row[1] == "[c]" and all(row[i] == "[c]" for i in shares) for row in quarters["rows"])


def test_a_group_just_above_the_minimum_does_not_give_away_its_people_on_leave(tmp_path: Path) -> None:
    """The reviewer's attack: 55 Mixed staff in post (published by the RRAA report), 51 of them on
    full pay. Showing Mixed pay, or saying it is withheld only to protect another group, would tell
    a reader that at least 50 had full pay, so that 0 to 5 were on leave."""
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "dataset.toml").write_text('organisation = "Hostile Council"\nsector = "other"\n'
                                         "period_start = 2025-04-01\nperiod_end = 2026-03-31\n")
    people = [(200, "White British", "Yes"), (51, "White and Black Caribbean", "Yes"),
              (4, "White and Black Caribbean", "No"), (80, "Indian", "Yes"), (20, "", "Yes")]
    frame = pd.DataFrame([{"ethnicity": eth, "grade": "Grade 5", "sex": "Female", "disability": "No",
                           "directly_employed": "Y", "hourly_pay": 12 + (i * 7.3) % 18, "full_pay_relevant": fpr,
                           "start_date": "01/01/2020"}
                          for i, (eth, fpr) in enumerate((eth, fpr) for n, eth, fpr in people for _ in range(n))])
    frame.insert(0, "person_id", [f"P{i:05d}" for i in range(len(frame))])
    frame.to_csv(folder / "staff.csv", index=False)
    _run_with_rraa(folder, tmp_path / "o", "json,docx")
    figures = json.loads((tmp_path / "o" / "ethnicity-pay-gap.json").read_text())["figures"]
    for key in ("mean_gap", "median_gap"):  # withheld, or said too small: never "large enough"
        mixed = figures[P + f"hourly.broad.mixed.{key}"]
        assert mixed["value"] is None
        assert mixed["suppressed"] or mixed["note"] == "too few people to show"
    from docx import Document as WordDocument
    text = "\n".join(p.text for p in WordDocument(str(tmp_path / "o" / "ethnicity-pay-gap.docx")).paragraphs)
    protected = [line for line in text.splitlines() if line.startswith("Groups large enough")]
    assert not any("Mixed" in line for line in protected)
    assert "at least 50 full-pay relevant employees and 60 relevant employees in all" in text


def test_means_of_a_group_and_its_parts_do_not_pin_how_many_of_a_part_were_on_leave(tmp_path: Path) -> None:
    """A reviewer's attack: with the minority ethnic mean and the means of its only two parts (Asian,
    Black) shown, the means weigh the parts' hidden full-pay counts; beside the staff in post the
    RRAA report publishes (70 Asian, 60 Black) and the size rule (each at least 50 on full pay),
    only one split fits: 9 Black staff on leave. Those full-pay counts are now audited as published
    while all three means are (``Table.revealed``), so the run withholds enough to leave it open."""
    import random

    rng = random.Random(7)
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "dataset.toml").write_text('organisation = "Test Body"\nsector = "other"\n'
                                         "period_start = 2025-04-01\nperiod_end = 2026-03-31\n")
    spec = [(110, "White British", "Female", "Y", (15, 30)), (90, "White British", "Male", "Y", (15, 30)),
            (70, "Indian", "Female", "Y", (15, 25)), (51, "Black African", "Female", "Y", (20, 35)),
            (9, "Black African", "Male", "N", (20, 20))]
    rows = []
    for n, eth, sex, fpr, pay in spec:  # the reviewer's generator: a pay, then a grade, for each person
        for _ in range(n):
            hourly = round(rng.uniform(*pay), 2) if pay[0] != pay[1] else pay[0]
            grade = rng.choice(["Grade 5", "Grade 6", "Grade 7", "Grade 8"])
            rows.append({"ethnicity": eth, "grade": grade, "sex": sex, "disability": "No", "directly_employed": "Y",
                         "hourly_pay": hourly, "full_pay_relevant": fpr, "bonus_pay": 0,
                         "start_date": "01/01/2015"})
    frame = pd.DataFrame(rows)
    frame.insert(0, "person_id", [f"E{i:05d}" for i in range(len(frame))])
    frame.to_csv(folder / "staff.csv", index=False)
    _run_with_rraa(folder, tmp_path / "o", "json")
    epg = json.loads((tmp_path / "o" / "ethnicity-pay-gap.json").read_text())["tables"]
    rraa = json.loads((tmp_path / "o" / "rraa-employment.json").read_text())["tables"]
    staff = {row[0]: row[1] for row in rraa.get("staff_broad", {"rows": []})["rows"]}  # left out: none published
    # a table whose every number is withheld is left out: its means are not published
    mean = {row[0]: row[1] for table in ("epg_hourly_broad", "epg_hourly_binary") if table in epg
            for row in epg[table]["rows"]}
    asian, black = "Asian or Asian British", "Black, Black British, Caribbean or African"
    published = [mean.get("Ethnic minority"), mean.get(asian), mean.get(black), staff.get(asian), staff.get(black)]
    if all(isinstance(v, (int, float)) for v in published):
        me, a_mean, b_mean, a_staff, b_staff = published
        fits = [(a, b) for a in range(a_staff - 49) for b in range(b_staff - 49)  # at least 50 on full pay
                if (a_mean - .005) * (a_staff - a) + (b_mean - .005) * (b_staff - b)
                <= (me + .005) * (a_staff - a + b_staff - b)
                and (a_mean + .005) * (a_staff - a) + (b_mean + .005) * (b_staff - b)
                >= (me - .005) * (a_staff - a + b_staff - b)]
        assert len(fits) > 1, fits  # never one split only


def test_the_reference_pay_figure_is_withheld_with_its_row(tmp_path: Path) -> None:
    from equality_reports.disclosure import apply_disclosure

    # the default reference, White British, is all of the White rows here (no other White group) and
    # has no detailed row of its own (the detailed table would repeat the broad one): those rows
    # restate its pay
    doc, _ = build(write(tmp_path / "d", _large({"A": 100, "H": 60}, {})), audience="publication")
    assert {(c.table, c.row) for c in doc.figures[P + "reference.mean_hourly"].cells} == {
        ("epg_hourly_binary", "White"), ("epg_hourly_broad", "White")}
    apply_disclosure(doc, 10)
    assert not doc.figures[P + "reference.mean_hourly"].suppressed
    broad = table(doc, "epg_hourly_broad")
    broad.suppressed.add((broad.data["group"].tolist().index("White"), "mean_pay"))
    apply_disclosure(doc, 10)
    assert doc.figures[P + "reference.mean_hourly"].suppressed
    assert not doc.figures[P + "reference.median_hourly"].suppressed  # its own cell is still shown


def test_a_combined_row_of_a_whole_broad_group_is_not_named_beside_it() -> None:
    """"Mixed or multiple ethnic groups: all groups combined" holds the same people as "Mixed or
    multiple ethnic groups": the list of groups whose pay is withheld names them once."""
    from equality_reports_ethnicity_pay_gap.report import _once

    assert _once(["Mixed or multiple ethnic groups", "White: any other White background",
                  "Mixed or multiple ethnic groups: all groups combined", "Other ethnic group: all groups combined",
                  "White: any other White background"]) == [
        "Mixed or multiple ethnic groups", "White: any other White background",
        "Other ethnic group: all groups combined"]
