"""The report on small hand-worked datasets: every statutory figure, the threshold, disclosure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gpg_helpers import build, docx_text, run_cli, values, write_dataset

from equality_reports import ReportContext, load_dataset
from equality_reports.document import Document
from equality_reports.narrative import render_narrative
from equality_reports.templating import TextRenderer
from equality_reports_gender_pay_gap import GenderPayGapReport

# Four men and seven women, one of them on reduced pay because of leave, and one non-binary person.
#   full-pay men   10, 20, 30, 40                -> mean 25, median 25
#   full-pay women 10, 10, 15, 20, 25, 30        -> mean 110/6 = 18.333.., median (15 + 20) / 2 = 17.5
#   mean gap (25 - 18.333..) / 25 = 26.667%, median gap (25 - 17.5) / 25 = 30.0%
#   bonus: men 200, 400 (mean and median 300); women 100, 100 (on leave), 400 (mean 200, median 100)
#   mean bonus gap (300 - 200) / 300 = 33.333%, median (300 - 100) / 300 = 66.667%
#   paid a bonus: men 2 of 4 = 50%, women 3 of 7 = 42.857% (all relevant employees, leave included)
#   quartiles of the 10 full-pay men and women (bands 3, 3, 2, 2):
#     10 M, 10 W, 10 W | 15 W, 20 M, 20 W | 25 W, 30 ? | 30 ?, 40 M
#   the two on 30 (a man and a woman) straddle the upper middle / upper boundary, one place each:
#   0.5 men each, so the man goes to the lower of the two (upper middle), the woman to the upper band
STAFF = pd.DataFrame({
    "person_id": ["M1", "M2", "M3", "M4", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "N1"],
    "sex": ["Male", "M", "Man", "Male", "Female", "F", "Woman", "Female", "Female", "Female", "Female", "Non-binary"],
    "hourly_pay": [10, 20, 30, 40, 10, 10, 15, 20, 25, 30, 5, 12],
    "bonus_pay": [200, 400, 0, "", 100, 0, 0, 0, 400, 0, 100, 0],
    "full_pay_relevant": ["Y", "Y", "Y", "Y", "Y", "Y", "Y", "Y", "Y", "Y", "N", "Y"],
})

EXPECTED = {
    "hourly.mean_gap_pct": 26.6667, "hourly.median_gap_pct": 30.0,
    "bonus.mean_gap_pct": 33.3333, "bonus.median_gap_pct": 66.6667,
    "bonus.men.pct": 50.0, "bonus.women.pct": 42.8571,
    "quartile.lower.men.pct": 33.3333, "quartile.lower.women.pct": 66.6667,
    "quartile.lower_middle.men.pct": 33.3333, "quartile.lower_middle.women.pct": 66.6667,
    "quartile.upper_middle.men.pct": 50.0, "quartile.upper_middle.women.pct": 50.0,
    "quartile.upper.men.pct": 50.0, "quartile.upper.women.pct": 50.0,
    "employees.count": 12, "excluded.count": 1, "reduced_pay.count": 1, "duty.applies": "no",
    "full_pay.count": 10,  # 4 men and 6 women on full pay (W7 on leave, N1 neither)
}


def test_every_measure_by_hand(tmp_path: Path) -> None:
    doc, _ = build(write_dataset(tmp_path / "d", STAFF))
    assert values(doc) == EXPECTED
    quartiles = doc.table("quartiles").data
    assert quartiles[["men", "women", "total"]].to_numpy().tolist() == [[1, 2, 3], [1, 2, 3], [1, 1, 2], [1, 1, 2]]
    gaps = doc.table("pay_gaps").data.set_index("measure")
    assert gaps.loc["Mean hourly pay", ["men", "women"]].tolist() == pytest.approx([25.0, 110 / 6])
    assert gaps.loc["Median bonus pay", ["men", "women"]].tolist() == [300.0, 100.0]


def test_publication_withholds_small_counts_and_the_averages_they_reveal(tmp_path: Path) -> None:
    doc, _ = build(write_dataset(tmp_path / "d", STAFF), audience="publication", threshold=10)
    published = values(doc)
    # every group has fewer than 10 people: their averages and gaps would reveal individuals' pay
    assert {k: published[k] for k in EXPECTED if k.endswith("_gap_pct")} == dict.fromkeys(
        ["hourly.mean_gap_pct", "hourly.median_gap_pct", "bonus.mean_gap_pct", "bonus.median_gap_pct"], "[c]")
    assert published["quartile.upper.women.pct"] == "[c]" and published["bonus.men.pct"] == "[c]"
    gaps = doc.table("pay_gaps")
    assert {(r, c) for r in range(4) for c in ("men", "women", "gap_pct")} <= gaps.suppressed
    assert published["employees.count"] == 12  # the size test itself is published
    assert published["excluded.count"] == "[c]"


def test_large_groups_publish_the_gaps_with_a_small_group_withheld(tmp_path: Path) -> None:
    # 300 people: 120 men on 20.00 and 180 women on 18.00 (all full pay) -> hourly gaps 10.0%.
    # Bonus: 40 men paid 1,000 and only 3 women paid 500: the bonus gaps would reveal those three
    # women's pay, so they are withheld, with the count of women paid a bonus; the men's count goes too
    # (with the two groups' total it would give the women's away), and the percentages with them.
    n_men, n_women = 120, 180
    staff = pd.DataFrame({
        "person_id": [f"P{i:04d}" for i in range(n_men + n_women)],
        "sex": ["Male"] * n_men + ["Female"] * n_women,
        "hourly_pay": [20.0] * n_men + [18.0] * n_women,
        "bonus_pay": [1000.0] * 40 + [0.0] * (n_men - 40) + [500.0] * 3 + [0.0] * (n_women - 3),
    })
    doc, _ = build(write_dataset(tmp_path / "d", staff), audience="publication")
    got = values(doc)
    assert got["duty.applies"] == "yes" and got["employees.count"] == 300
    assert got["hourly.mean_gap_pct"] == pytest.approx(10.0) and got["hourly.median_gap_pct"] == pytest.approx(10.0)
    assert got["bonus.mean_gap_pct"] == "[c]" and got["bonus.median_gap_pct"] == "[c]"
    assert got["bonus.men.pct"] == "[c]" and got["bonus.women.pct"] == "[c]"
    internal = values(build(tmp_path / "d")[0])
    assert internal["bonus.men.pct"] == pytest.approx(100 * 40 / 120, abs=1e-3)
    assert internal["bonus.mean_gap_pct"] == pytest.approx(50.0) and internal["bonus.women.pct"] == 1.6667
    # bands of 75: 75 women | 75 women | 30 women, 45 men | 75 men; everyone on one rate per sex
    assert doc.table("quartiles").data[["men", "women"]].to_numpy().tolist() == [[0, 75], [0, 75], [45, 30],
                                                                                 [75, 0]]
    assert got["quartile.upper_middle.men.pct"] == pytest.approx(60.0)


def test_ties_across_a_boundary_in_the_report(tmp_path: Path) -> None:
    # 8 people: 10 (W), six on 20 (3 men, 3 women), 30 (M); bands of 2 -> one man and one woman each
    staff = pd.DataFrame({"person_id": list("ABCDEFGH"), "sex": list("WMMMWWWM"),
                          "hourly_pay": [10, 20, 20, 20, 20, 20, 20, 30]})
    staff["sex"] = staff["sex"].map({"W": "Female", "M": "Male"})
    doc, _ = build(write_dataset(tmp_path / "d", staff))
    assert doc.table("quartiles").data[["men", "women"]].to_numpy().tolist() == [[1, 1]] * 4


def test_zero_bonus_payers(tmp_path: Path) -> None:
    staff = STAFF.assign(bonus_pay=0)
    doc, _ = build(write_dataset(tmp_path / "d", staff))
    got = values(doc)
    assert got["bonus.mean_gap_pct"] is None and got["bonus.median_gap_pct"] is None
    assert got["bonus.men.pct"] == 0.0 and got["bonus.women.pct"] == 0.0
    assert doc.figures["gender-pay-gap.bonus.mean_gap_pct"].note == "not calculable"


def test_no_men_and_mens_pay_of_zero_are_not_calculable(tmp_path: Path) -> None:
    women = STAFF[STAFF["sex"].isin(["Female", "F", "Woman"])]
    got = values(build(write_dataset(tmp_path / "a", women))[0])
    assert got["hourly.mean_gap_pct"] is None and got["quartile.lower.men.pct"] == 0.0
    unpaid_men = STAFF.assign(hourly_pay=np.where(STAFF["sex"].isin(["Male", "M", "Man"]), 0, STAFF["hourly_pay"]))
    got = values(build(write_dataset(tmp_path / "b", unpaid_men))[0])
    assert got["hourly.mean_gap_pct"] is None and got["hourly.median_gap_pct"] is None


def test_bank_workers_and_people_not_directly_employed(tmp_path: Path) -> None:
    staff = STAFF.assign(directly_employed=["Y"] * 11 + ["N"], bank=["N"] * 10 + ["Y", "N"])
    got = values(build(write_dataset(tmp_path / "d", staff))[0])
    assert got["employees.count"] == 11 and got["excluded.count"] == 0  # the agency worker is no employee
    got = values(build(tmp_path / "d", bank_workers="exclude")[0])
    assert got["employees.count"] == 10 and got["bonus.women.pct"] == pytest.approx(100 * 2 / 6, abs=1e-3)


def test_a_blank_hourly_rate_is_a_clear_problem(tmp_path: Path) -> None:
    staff = STAFF.astype({"hourly_pay": object})
    staff.loc[2, "hourly_pay"] = ""
    report = GenderPayGapReport()
    dataset = load_dataset(write_dataset(tmp_path / "d", staff))
    problems = report.check(ReportContext(report=report, dataset=dataset, options=report.parse_options({})))
    assert len(problems) == 1 and problems[0].file == "staff"  # the table: the engine names its file
    dataset.name_headings(problems)  # as validate and run do
    assert problems[0].column == "hourly_pay" and problems[0].value == "M3" and problems[0].file == "staff.csv"
    assert problems[0].row == 4  # the header, then M1, M2 and M3
    assert "full_pay_relevant" in (problems[0].fix or "")


def test_without_pay_data_run_all_skips_it_and_naming_it_fails_clearly(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path / "d", STAFF.drop(columns=["hourly_pay", "bonus_pay", "full_pay_relevant"]))
    report = GenderPayGapReport()
    assert report.missing_columns(load_dataset(folder)) == ["staff.hourly_pay"]
    named = run_cli("run", "gender-pay-gap", "--data", folder, "--out", tmp_path / "out")
    assert named.returncode == 2
    assert "needs the column(s) staff.hourly_pay" in named.stderr + named.stdout


def test_a_publication_under_250_says_the_duty_does_not_apply(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path / "d", STAFF)
    result = run_cli("run", "gender-pay-gap", "--data", folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    text = docx_text(tmp_path / "out" / "gender-pay-gap.docx")
    # 12 relevant employees: their number, with the shares of men and women paid a bonus, would
    # narrow the few men and women; the text says the duty does not apply without it
    assert "had fewer than 250 relevant employees on the snapshot date, so the duty does not apply" in text
    assert "published voluntarily" in text
    assert "The mean hourly pay gap is not shown, to protect individuals." in text
    assert "[c]" not in text.split("Notes")[0]  # prose never prints the tables' mark


def test_a_part_of_an_employer_gives_its_figures_without_claiming_the_duty(tmp_path: Path) -> None:
    """A council's social care services (``part_of`` in dataset.toml) with 250 or more relevant
    employees: the duty rests on the council, so the figures are not called its statutory ones."""
    staff = pd.concat([STAFF] * 25, ignore_index=True)
    staff["person_id"] = [f"P{i:04d}" for i in range(len(staff))]
    folder = write_dataset(tmp_path / "d", staff)
    toml = folder / "dataset.toml"
    toml.write_text('part_of = "Testshire Council"\n' + toml.read_text(encoding="utf-8").replace(
        'organisation = "Testshire Council"', 'organisation = "Testshire Council Social Care"'), encoding="utf-8")
    doc, _ = build(folder)
    assert len(staff) >= 250 and values(doc)["employees.count"] == len(staff)
    assert values(doc)["duty.applies"] == "no"
    result = run_cli("run", "gender-pay-gap", "--data", folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    text = docx_text(tmp_path / "out" / "gender-pay-gap.docx")
    assert ("Testshire Council Social Care is part of Testshire Council. The duty rests on Testshire Council as "
            "the employer") in text
    assert "are not Testshire Council's statutory figures" in text
    assert "so the duty applies" not in text


def test_band_sizes_do_not_give_away_the_people_left_out(tmp_path: Path) -> None:
    """A second attacker's case: 150 men, 150 women, 1 person recorded as neither, nobody on leave.
    The band percentages pinned the bands to 75 people each, so the 300 men and women beside the
    301 relevant employees gave the 1 away. The band sizes now restate the full-pay count, which
    the audit relates to the relevant employees: in a publication they are withheld together with
    every band percentage, or the relevant employees are."""
    import json
    import subprocess
    import sys

    staff = pd.DataFrame({
        "person_id": [f"P{i:03d}" for i in range(301)],
        "sex": ["Male"] * 150 + ["Female"] * 150 + ["Non-binary"],
        "hourly_pay": [10 + (i * 7) % 23 for i in range(300)] + [80.0],
        "bonus_pay": [0] * 301, "full_pay_relevant": ["Y"] * 301,
    })
    data = write_dataset(tmp_path / "d", staff)
    out = subprocess.run([sys.executable, "-m", "equality_reports", "run", "gender-pay-gap", "--format", "json",
                          "--data", str(data), "--out", str(tmp_path / "o")], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    published = json.loads((tmp_path / "o" / "gender-pay-gap.json").read_text())
    figures = published["figures"]
    relevant, full_pay = figures["gender-pay-gap.employees.count"], figures["gender-pay-gap.full_pay.count"]
    bands = published["tables"]["quartiles"]["rows"]
    assert figures["gender-pay-gap.excluded.count"]["suppressed"]
    if not full_pay["suppressed"]:  # then the relevant employees cannot be published beside it
        assert relevant["suppressed"]
    else:
        assert all(cell == "[c]" for row in bands for cell in row[1:])


def test_a_few_people_not_paid_a_bonus_are_protected_like_a_few_paid_one(tmp_path: Path) -> None:
    """A reviewer's attack: 160 men (a number the pay bands give), 159 paid a bonus: 99.4% would
    leave 1 man not paid one. The share is withheld, as it is when 1 to 9 are paid one."""
    n_men, n_women = 160, 150
    staff = pd.DataFrame({
        "person_id": [f"P{i}" for i in range(n_men + n_women)],
        "sex": ["Male"] * n_men + ["Female"] * n_women,
        "hourly_pay": [15 + (i % 13) for i in range(n_men + n_women)],
        "bonus_pay": [0 if i == 0 else 100 for i in range(n_men)] + [100] * n_women,
        "full_pay_relevant": ["Y"] * (n_men + n_women),
    })
    internal, _ = build(write_dataset(tmp_path / "d", staff))
    assert values(internal)["bonus.men.pct"] == pytest.approx(99.375)  # 159 of 160
    published = values(build(write_dataset(tmp_path / "e", staff), audience="publication")[0])
    assert published["bonus.men.pct"] == "[c]"
    employees = build(write_dataset(tmp_path / "f", staff), audience="publication")[0].table("employees")
    assert (0, "not_paid") in employees.suppressed  # the 1, withheld as a small count


def _key_findings(doc: Document, ctx: ReportContext) -> list[str]:
    render_narrative(doc, TextRenderer(None, ctx.report.template_dir))
    section = next(s for s in doc.sections if s.id == "key-findings")
    return [line.removeprefix("- ") for p in section.blocks for line in (p.text or "").splitlines() if line]


def test_key_findings_say_once_why_there_is_no_bonus_gap(tmp_path: Path) -> None:
    nobody = _key_findings(*build(write_dataset(tmp_path / "a", STAFF.assign(bonus_pay=0))))
    assert [f for f in nobody if "bonus" in f] == [
        "No relevant employee was paid a bonus in the 12 months to the snapshot date, so there is no bonus pay gap."]
    women_only = STAFF.assign(bonus_pay=np.where(STAFF["sex"].isin(["Male", "M", "Man"]), 0, 100))
    found = _key_findings(*build(write_dataset(tmp_path / "b", women_only)))
    assert [f for f in found if "cannot be calculated" in f] == [
        "The mean and median bonus pay gaps cannot be calculated: they need both men and women paid a bonus, "
        "and men's figures above 0."]
    assert "Share of men paid a bonus: 0.0%; share of women paid a bonus: 100.0%." in found


def test_key_findings_name_withheld_shares_in_a_sentence(tmp_path: Path) -> None:
    found = _key_findings(*build(write_dataset(tmp_path / "d", STAFF), audience="publication", threshold=10))
    assert ("The share of women in the upper quartile pay band and the share of women in the lower quartile pay "
            "band are not shown, to protect individuals.") in found
    assert not any(f.startswith("Not shown") or "[c]" in f for f in found)
