"""The pay measures, checked against numbers worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from equality_reports_ethnicity_pay_gap.measures import (
    QUARTERS,
    pay_by_group,
    pay_gap,
    quarter_sizes,
    quartile_bands,
    quartile_shares,
)


def test_gap_is_the_difference_as_a_share_of_the_reference() -> None:
    assert pay_gap(20.0, 15.0) == 25.0          # (20 - 15) / 20
    assert pay_gap(10.0, 12.0) == pytest.approx(-20.0)  # paid more: negative
    assert pay_gap(12.5, 12.5) == 0.0


@pytest.mark.parametrize("reference, value", [(0.0, 5.0), (None, 5.0), (10.0, None), (math.nan, 1.0),
                                              (10.0, math.inf)])
def test_gap_not_calculable_never_infinite(reference, value) -> None:
    assert pay_gap(reference, value) is None


def test_pay_by_group_mean_median_and_empty_groups() -> None:
    values = pd.Series([10.0, 20.0, 60.0, None, 5.0])
    group = pd.Series(["a", "a", "a", "a", "b"])
    out = pay_by_group(values, group, ["a", "b", "c"])
    assert out.loc["a"].tolist() == [3, 30.0, 20.0]  # mean (10+20+60)/3, median 20; the blank is left out
    assert out.loc["b"].tolist() == [1, 5.0, 5.0]
    assert out.at["c", "n"] == 0 and math.isnan(out.at["c", "mean"])


@pytest.mark.parametrize("n, sizes", [(8, [2, 2, 2, 2]), (5, [2, 1, 1, 1]), (7, [2, 2, 2, 1]), (3, [1, 1, 1, 0]),
                                      (0, [0, 0, 0, 0])])
def test_quarters_as_equal_as_possible_lowest_take_the_extra(n, sizes) -> None:
    assert quarter_sizes(n).tolist() == sizes


def test_distinct_rates_cut_in_order() -> None:
    rate = pd.Series([1, 2, 3, 4, 5, 6, 7, 8], dtype=float)
    group = pd.Series(list("AABBAABB"))
    assert quartile_bands(rate, group).tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    shares = quartile_shares(rate, group)
    assert shares.index.tolist() == list(QUARTERS)
    assert shares["A"].tolist() == [2, 0, 2, 0] and shares["B"].tolist() == [0, 2, 0, 2]


def test_people_on_one_rate_across_a_boundary_are_spread_in_proportion() -> None:
    # 12 people, quarters of 3. Six people on 20.00 fill places 4-9, across the line between the
    # lower middle and upper middle quarters: 4 of group A and 2 of B. Each quarter takes 3 of them,
    # and in proportion: 2 A and 1 B each (not 3 A in one and 1 A + 2 B in the other, as sorting
    # by group would give).
    rate = pd.Series([10, 11, 12] + [20] * 6 + [30, 31, 32], dtype=float)
    group = pd.Series(list("BBB") + list("AAAABB") + list("AAA"))
    shares = quartile_shares(rate, group)
    assert shares.to_dict("list") == {"A": [0, 2, 2, 3], "B": [3, 1, 1, 0]}


def test_tie_spread_with_a_group_that_cannot_split_evenly() -> None:
    # 8 people, quarters of 2. Rate 20 (A, A, B) fills places 2-4: one place in the lower quarter,
    # two in the lower middle. A's share of the lower quarter's place is 2/3, B's 1/3: A gets it
    # (nearest whole numbers 1 A, 0 B; then 1 A and 1 B above). Rate 30 (B, B, B, A) fills the upper
    # two quarters: A is 1 of 4, so 0.5 of a person in each; the tie goes to the upper middle
    # quarter (groups in order: A before B).
    rate = pd.Series([10, 20, 20, 20, 30, 30, 30, 30], dtype=float)
    group = pd.Series(list("AAAB") + list("BBBA"))
    bands = quartile_bands(rate, group)
    assert bands.tolist() == [0, 0, 1, 1, 2, 3, 3, 2]
    assert quartile_shares(rate, group).to_dict("list") == {"A": [2, 1, 1, 0], "B": [0, 1, 1, 2]}


def test_everyone_on_one_rate_is_shared_evenly() -> None:
    rate = pd.Series([9.5] * 8)
    group = pd.Series(list("AAAABBBB"))
    assert quartile_shares(rate, group).to_dict("list") == {"A": [1, 1, 1, 1], "B": [1, 1, 1, 1]}


def test_subgroups_are_spread_within_their_group() -> None:
    # 8 people on one rate: White (w) and minority (m) 4 each; the minority are 2 Asian, 2 Black.
    # Each pair of quarters (4 places) gets 2 White and 2 minority, and the minority in the lower
    # half are one Asian and one Black, not both Asian.
    rate = pd.Series([15.0] * 8)
    group = pd.Series(["w", "w", "w", "w", "m", "m", "m", "m"])
    within = pd.Series(["white"] * 4 + ["asian", "asian", "black", "black"])
    bands = quartile_bands(rate, group, within)
    lower = bands < 2
    assert int((lower & (group == "w")).sum()) == 2
    assert sorted(within[lower & (group == "m")]) == ["asian", "black"]


def test_missing_rates_get_no_quarter_and_index_is_kept() -> None:
    rate = pd.Series([4.0, None, 1.0, 2.0, 3.0], index=[10, 11, 12, 13, 14])
    group = pd.Series(list("ABABA"), index=rate.index)
    bands = quartile_bands(rate, group)
    assert bands.index.tolist() == [10, 11, 12, 13, 14]
    assert math.isnan(bands[11]) and bands.drop(11).tolist() == [3, 0, 1, 2]
    assert int(quartile_shares(rate, group).to_numpy().sum()) == 4


def test_shares_of_a_large_tie_stay_within_one_person_of_proportion() -> None:
    # 101 people on a rate with 3 groups of 50, 30 and 21: every quarter's count of each group is
    # within one person of its proportional share.
    rate = pd.Series([7.0] * 101)
    group = pd.Series(["a"] * 50 + ["b"] * 30 + ["c"] * 21)
    shares = quartile_shares(rate, group)
    sizes = quarter_sizes(101)
    for g, m in {"a": 50, "b": 30, "c": 21}.items():
        assert (abs(shares[g].to_numpy() - m * sizes / 101) < 1).all()
    assert shares.sum(axis=1).tolist() == sizes.tolist()


def test_a_lone_hidden_mean_is_protected_by_another() -> None:
    """A whole (10 people) = parts A (6) + B (3) + C (1): C's mean is not shown, so with the whole's
    mean and the sizes published, A's and B's would give it away: the smaller, B, goes too; then
    nothing is alone. With only one other part, the reference, the whole goes instead."""
    from equality_reports_ethnicity_pay_gap.report import hide_determined

    whole, a, b, c = ("l", "whole"), ("p", "a"), ("p", "b"), ("p", "c")
    size = {whole: 10, a: 6, b: 3, c: 1}
    assert hide_determined([(whole, [a, b, c])], {c}, size, set()) == {b, c}
    assert hide_determined([(whole, [a, c])], {c}, {whole: 7, a: 6, c: 1}, {a}) == {whole, c}
    # an empty part adds nothing: nothing to protect
    assert hide_determined([(whole, [a, c])], set(), {whole: 6, a: 6, c: 0}, set()) == set()
