"""Means across the reports of a run: the sums behind them must not give away anyone's pay.

A mean beside the number of people it averages is their sum. The auditor relates the sums of
every declared mean and gap of a run (equality_reports.sums); these tests check its rule on small
unit sets, and a crafted publication of the gender and ethnicity pay gaps end to end, where a
reader with the pay gap reports of one run recovered one woman's pay before.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers_cli import run_cli

from equality_reports.sums import Relation, exposures

HOURLY = ("hourly_pay", "2026-03-31")


def units(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.uint64)


def mean(key: str, people: np.ndarray, withheld: bool = False, universe: tuple[str, str] = HOURLY) -> Relation:
    return Relation(key, universe, (people,), None, withheld)


def gap(key: str, group: np.ndarray, reference: np.ndarray, value: float | None, withheld: bool = False) -> Relation:
    return Relation(key, HOURLY, (group, reference), value, withheld)


BLACK_WOMEN, WHITE_WOMAN, WHITE_MEN = units(0, 80), units(80, 1), units(100, 100)
WOMEN = np.concatenate([BLACK_WOMEN, WHITE_WOMAN])


def test_a_mean_over_one_more_person_gives_that_persons_pay_away() -> None:
    found = exposures([mean("women", WOMEN), mean("black", BLACK_WOMEN)], threshold=10)
    assert len(found) == 1
    assert found[0].people == 1 and found[0].withheld is None
    assert set(found[0].keys) == {"women", "black"}


def test_the_same_means_over_different_measures_or_years_are_not_related() -> None:
    bonus = ("bonus_pay", "2026-03-31")
    last_year = ("hourly_pay", "2025-03-31")
    assert exposures([mean("women", WOMEN), mean("black", BLACK_WOMEN, universe=bonus)], 10) == []
    assert exposures([mean("women", WOMEN), mean("black", BLACK_WOMEN, universe=last_year)], 10) == []


def test_groups_that_differ_by_the_threshold_or_more_are_safe() -> None:
    everyone = np.concatenate([WOMEN, WHITE_MEN])
    white = np.concatenate([WHITE_WOMAN, WHITE_MEN])
    # women and men, White and Black: four atoms, the smallest (1 White woman) is in no known combination
    relations = [mean("women", WOMEN), mean("men", WHITE_MEN), mean("white", white), mean("black", BLACK_WOMEN)]
    found = exposures(relations, 10)
    # Black = Black women, so women - Black = the White woman: caught
    assert [f.people for f in found] == [1]
    # with 10 White women the difference is ten people: their total may be known
    ten = units(80, 10)
    relations = [mean("women", np.concatenate([BLACK_WOMEN, ten])), mean("black", BLACK_WOMEN),
                 mean("everyone", everyone)]
    assert exposures(relations, 10) == []


def test_a_withheld_mean_that_follows_from_the_shown_ones_is_found() -> None:
    asian, black, mixed = units(0, 40), units(40, 40), units(80, 12)
    minority = np.concatenate([asian, black, mixed])
    relations = [mean("minority", minority), mean("asian", asian), mean("black", black),
                 mean("mixed", mixed, withheld=True)]
    found = exposures(relations, 10)
    assert [(f.withheld, set(f.keys)) for f in found] == [("mixed", {"minority", "asian", "black"})]
    # with the Black mean withheld too, the two are known only together (52 people)
    relations[2] = mean("black", black, withheld=True)
    assert exposures(relations, 10) == []


def test_a_gap_beside_a_shown_mean_gives_the_reference_mean() -> None:
    white, asian = units(0, 300), units(300, 60)
    relations = [mean("white", white, withheld=True), mean("asian", asian), gap("asian gap", asian, white, 5.0)]
    found = exposures(relations, 10)
    assert [f.withheld for f in found] == ["white"]
    # gaps alone give ratios of means, not the means
    relations[1] = mean("asian", asian, withheld=True)
    assert exposures(relations, 10) == []


def test_a_withheld_gap_that_follows_from_its_parts_gaps_is_found() -> None:
    white, indian, pakistani = units(0, 300), units(300, 30), units(330, 30)
    asian = np.concatenate([indian, pakistani])
    relations = [gap("indian", indian, white, 4.0), gap("pakistani", pakistani, white, 8.0),
                 gap("asian", asian, white, 6.0, withheld=True)]
    found = exposures(relations, 10)
    assert [f.withheld for f in found] == ["asian"]


def test_a_difference_between_two_small_groups_is_protected() -> None:
    a, b, big = units(0, 3), units(3, 4), units(10, 50)
    # (big + a) and (big + b) known: their difference is a's pay less b's, seven people in all
    found = exposures([mean("big and a", np.concatenate([big, a])), mean("big and b", np.concatenate([big, b]))], 10)
    assert [(f.people, set(f.keys)) for f in found] == [(7, {"big and a", "big and b"})]


# --- medians: no sums, linked only through the gaps between them -------------------------------------

def median(key: str, people: np.ndarray, withheld: bool = False, fixed: bool = False) -> Relation:
    return Relation(key, HOURLY, (people,), None, withheld, median=True, fixed=fixed)


def median_gap(key: str, group: np.ndarray, reference: np.ndarray, value: float | None,
               withheld: bool = False) -> Relation:
    return Relation(key, HOURLY, (group, reference), value, withheld, median=True)


WHITE, ASIAN, BLACK = units(0, 300), units(300, 60), units(360, 50)


def test_a_median_beside_its_gap_gives_the_withheld_reference_median() -> None:
    relations = [median("white", WHITE, withheld=True), median("asian", ASIAN), median("black", BLACK),
                 median_gap("asian gap", ASIAN, WHITE, 5.0), median_gap("black gap", BLACK, WHITE, 7.0)]
    found = exposures(relations, 10)
    assert [f.withheld for f in found] == ["white"]
    # the cut keeps the gaps (the headline figures) and withholds the medians in pounds
    assert set(found[0].cut) == {"asian", "black"}
    assert exposures([r for r in relations if r.key not in found[0].cut], 10) == []


def test_medians_and_their_gaps_alone_give_nothing_away() -> None:
    relations = [median("white", WHITE), median("asian", ASIAN), median_gap("asian gap", ASIAN, WHITE, 5.0),
                 median("black", BLACK, withheld=True), median_gap("black gap", BLACK, WHITE, None, withheld=True),
                 median_gap("white gap", WHITE, WHITE, 0.0)]  # a group's gap against itself says nothing
    assert exposures(relations, 10) == []


def test_the_median_of_fewer_than_threshold_people_is_protected() -> None:
    one = units(500, 1)
    relations = [median("white", WHITE), median_gap("one gap", one, WHITE, -60.0)]
    found = exposures(relations, 10)
    assert [(f.people, f.withheld, f.cut) for f in found] == [(1, None, ("one gap",))]


def test_a_withheld_gap_whose_medians_are_linked_by_other_gaps_is_found() -> None:
    relations = [median_gap("asian gap", ASIAN, WHITE, 5.0), median_gap("black gap", BLACK, WHITE, 7.0),
                 median_gap("black against asian", BLACK, ASIAN, None, withheld=True)]
    # its value is missing: nothing to protect but the ratio, which the two gaps give
    found = exposures(relations, 10)
    assert [f.withheld for f in found] == ["black against asian"]
    assert set(found[0].cut) == {"black gap"}


def test_a_median_published_before_is_never_chosen() -> None:
    relations = [median("white", WHITE, withheld=True), median("asian", ASIAN, fixed=True),
                 median_gap("asian gap", ASIAN, WHITE, 5.0)]
    found = exposures(relations, 10)
    assert [f.cut for f in found] == [("asian gap",)]


# --- end to end: the gender and ethnicity pay gaps in one publication --------------------------------

TOML = ('organisation = "Testshire Council"\nsector = "local_government"\n'
        "period_start = 2025-04-01\nperiod_end = 2026-03-31\n")


def crafted_staff() -> pd.DataFrame:
    """80 Black African women, 1 White British woman, and 140 White British men: the women's
    mean and the Black group's mean differ by that one woman."""
    rng = np.random.default_rng(7)
    n_black, n_men = 80, 140
    frame = pd.DataFrame({
        "ethnicity": ["Black or Black British - African"] * n_black + ["White - British"] * (1 + n_men),
        "sex": ["Female"] * (n_black + 1) + ["Male"] * n_men,
        "hourly_pay": np.round(np.concatenate([rng.uniform(12, 30, n_black), [47.11], rng.uniform(12, 30, n_men)]), 2),
    })
    frame.insert(0, "person_id", [f"P{i:04d}" for i in range(len(frame))])
    return frame


def run_pay_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str], staff: pd.DataFrame) -> dict[str, dict]:
    data = tmp_path / "data"
    data.mkdir()
    staff.to_csv(data / "staff.csv", index=False)
    (data / "dataset.toml").write_text(TOML, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(["run", "gender-pay-gap", "ethnicity-pay-gap", "--data", data, "--out", out, "--format", "json"],
                     capsys)
    assert result.code == 0, result.err
    return {name: json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
            for name in ("gender-pay-gap", "ethnicity-pay-gap")}


def shown_means(payload: dict, table: str, label_column: str, value_column: str) -> dict[str, float]:
    t = payload["tables"][table]
    keys = [c["key"] if isinstance(c, dict) else c for c in t["columns"]]
    out = {}
    for row in t["rows"]:
        record = dict(zip(keys, row))
        value = record.get(value_column)
        if isinstance(value, (int, float)):
            out[str(record[label_column])] = float(value)
    return out


def test_the_pay_reports_together_do_not_give_away_one_womans_pay(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff = crafted_staff()
    payloads = run_pay_reports(tmp_path, capsys, staff)
    gpg = payloads["gender-pay-gap"]["tables"]["pay_gaps"]
    keys = [c["key"] if isinstance(c, dict) else c for c in gpg["columns"]]
    hourly = dict(zip(keys, gpg["rows"][0]))
    women_mean = hourly["women"]
    black = {}
    for table in ("epg_hourly_broad", "epg_hourly_detailed", "epg_hourly_binary"):
        if table in payloads["ethnicity-pay-gap"]["tables"]:
            black.update(shown_means(payloads["ethnicity-pay-gap"], table, "group", "mean_pay"))
    black_means = [v for k, v in black.items() if k.startswith("Black") or k.startswith("Ethnic minority")]
    white_means = [v for k, v in black.items() if k.startswith("White")]
    # 81 x women's mean - 80 x Black mean, or 141 x White mean - 140 x men's mean, is the one
    # woman's pay: one mean of each pair is withheld
    assert not (isinstance(women_mean, (int, float)) and black_means), (women_mean, black)
    assert not (isinstance(hourly["men"], (int, float)) and white_means), (hourly["men"], black)
    # what gives nobody away is still published: the median hourly pay gap
    median = dict(zip(keys, gpg["rows"][1]))
    assert isinstance(median["gap_pct"], (int, float))


def test_run_json_records_the_means_audited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_pay_reports(tmp_path, capsys, crafted_staff())
    record = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    audit = record.get("audit") or record.get("disclosure_audit") or {}
    text = json.dumps(record)
    assert "means_and_gaps_audited" in text, audit


def test_a_withheld_reference_median_does_not_follow_from_the_median_gaps(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An attacker's case (tests/fixtures/pay_median_leak: 59 White British women, 1 White British
    non-binary person, 70 Asian Indian women, 150 Black African men): the means beside the women's
    mean gave away the non-binary person's pay, so the reference group's pay was withheld; the
    Black group's median beside its median gap then gave the reference median back (median /
    (1 - gap))."""
    data = Path(__file__).parent / "fixtures" / "pay_median_leak"
    out = tmp_path / "out"
    result = run_cli(["run", "--all", "--data", data, "--out", out, "--format", "json"], capsys)
    assert result.code == 0, result.err
    epg = json.loads((out / "ethnicity-pay-gap.json").read_text(encoding="utf-8"))
    reference = epg["figures"]["ethnicity-pay-gap.reference.median_hourly"]
    both = []
    for table in ("epg_hourly_binary", "epg_hourly_broad", "epg_hourly_detailed"):
        if table in epg["tables"]:
            medians = shown_means(epg, table, "group", "median_pay")
            gaps = shown_means(epg, table, "group", "median_gap")
            both += [(g, medians[g], gaps[g]) for g in medians if g in gaps and gaps[g] != 0]
    if reference["suppressed"]:  # withheld: no shown median beside its gap gives it back
        assert not both, both
    else:  # shown: the 60 White British employees' median, and every shown median and gap agree with it
        staff = pd.read_csv(data / "staff.csv")
        assert reference["value"] == round(staff.loc[staff["ethnicity"] == "White British", "hourly_pay"].median(), 2)
        assert both
        for group, median, gap in both:
            assert abs(median / (1 - gap / 100) - reference["value"]) < 0.01 * reference["value"], group
