"""The pure measures, against hand-worked numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equality_reports_gender_pay_gap.measures import band_sizes, gap, mean_median, quartile_bands


def test_gap_is_men_minus_women_over_men() -> None:
    assert gap(25.0, 18.0) == pytest.approx(28.0)  # (25 - 18) / 25 x 100
    assert gap(20.0, 22.0) == pytest.approx(-10.0)  # women paid more: a negative gap
    assert gap(10.0, 10.0) == 0.0


@pytest.mark.parametrize("men, women", [(0.0, 5.0), (None, 5.0), (5.0, None), (float("nan"), 1.0), (0, 0)])
def test_gap_not_calculable_rather_than_infinite(men, women) -> None:  # type: ignore[no-untyped-def]
    assert gap(men, women) is None


def test_mean_and_median() -> None:
    assert mean_median(pd.Series([10.0, 10, 15, 20, 25, 30])) == (pytest.approx(110 / 6), 17.5)
    assert mean_median(pd.Series([], dtype=float)) == (None, None)


@pytest.mark.parametrize("n, sizes", [(0, [0, 0, 0, 0]), (3, [1, 1, 1, 0]), (5, [2, 1, 1, 1]), (7, [2, 2, 2, 1]),
                                      (8, [2, 2, 2, 2]), (10, [3, 3, 2, 2]), (1671, [418, 418, 418, 417])])
def test_band_sizes_as_equal_as_possible_remainder_to_the_lowest_bands(n: int, sizes: list[int]) -> None:
    assert band_sizes(n).tolist() == sizes


def test_quartiles_without_ties() -> None:
    rate = pd.Series([5.0, 1, 2, 3, 4, 6, 7, 8])
    man = pd.Series([True, False, False, True, True, False, True, True])
    q = quartile_bands(rate, man)
    # ranked: 1W 2W | 3M 4M | 5M 6W | 7M 8M
    assert q.band.tolist() == [2, 0, 0, 1, 1, 2, 3, 3]
    assert q.men.tolist() == [0, 2, 1, 2] and q.women.tolist() == [2, 0, 1, 0]


def test_tie_across_one_boundary_is_spread_by_sex() -> None:
    # ten people, bands of 3, 3, 2, 2. Ranked: 8 (M), 9 (W), six on 10 (3 men, 3 women), 12 (W), 13 (M).
    # The rate 10 has 1 place in the lower band, 3 in the lower middle, 2 in the upper middle.
    # Men on 10 per band: 3 x 1/6 = 0.5, 3 x 3/6 = 1.5, 3 x 2/6 = 1 -> whole numbers 0, 1, 1 and the one
    # man left goes to the largest remainder (0.5 and 0.5 tie: the lower band) -> 1, 1, 1; women 0, 2, 1.
    rate = pd.Series([8.0, 9, 10, 10, 10, 10, 10, 10, 12, 13])
    man = pd.Series([True, False, True, True, True, False, False, False, False, True])
    q = quartile_bands(rate, man)
    assert q.sizes.tolist() == [3, 3, 2, 2]
    assert q.men.tolist() == [2, 1, 1, 1]
    assert q.women.tolist() == [1, 2, 1, 1]
    assert q.band.tolist() == [0, 0, 0, 1, 2, 1, 1, 2, 3, 3]


def test_tie_across_three_boundaries_keeps_each_bands_mix() -> None:
    # eight people, bands of 2: 10 (W), six on 20 (3 men, 3 women), 30 (M). The rate 20 has places
    # 1, 2, 2, 1; men 0.5, 1, 1, 0.5 -> 0, 1, 1, 0 and the one left to the lower band; women 0, 1, 1, 1.
    rate = pd.Series([20.0, 20, 20, 20, 20, 20, 10, 30])
    man = pd.Series([True, True, True, False, False, False, False, True])
    q = quartile_bands(rate, man)
    assert q.men.tolist() == [1, 1, 1, 1]
    assert q.women.tolist() == [1, 1, 1, 1]


def test_everyone_on_one_rate_is_spread_evenly() -> None:
    # 12 people on one rate, 4 men: each band of 3 gets 4 x 3/12 = 1 man and 2 women
    q = quartile_bands(pd.Series([15.0] * 12), pd.Series([True] * 4 + [False] * 8))
    assert q.men.tolist() == [1, 1, 1, 1] and q.women.tolist() == [2, 2, 2, 2]


def test_quartiles_of_nobody() -> None:
    q = quartile_bands(pd.Series([], dtype=float), pd.Series([], dtype=bool))
    assert q.men.tolist() == [0, 0, 0, 0] and q.band.empty


def test_random_pay_keeps_band_sizes_and_each_rates_men() -> None:
    rng = np.random.default_rng(5)
    for n in (1, 2, 9, 50, 333):
        rate = pd.Series(rng.choice([10.0, 11, 12, 13.5], n))
        man = pd.Series(rng.random(n) < 0.4)
        q = quartile_bands(rate, man)
        assert q.sizes.tolist() == band_sizes(n).tolist()
        assert int(q.men.sum()) == int(man.sum())
        # nobody is placed below someone on a lower rate
        frame = pd.DataFrame({"rate": rate, "band": q.band})
        assert (frame.groupby("band")["rate"].max().diff().dropna() >= 0).all()
        # men on each rate keep their number, band by band as the rule allows (within one of exact shares)
        for value in rate.unique():
            on = rate == value
            places = np.bincount(q.band[on], minlength=4)
            men = np.bincount(q.band[on & man], minlength=4)
            exact = man[on].sum() * places / on.sum()
            assert np.all(np.abs(men - exact) < 1)
