"""Hand-computed checks of the shared statistics."""

from __future__ import annotations

import math

import pytest

from equality_reports import stats


def test_rate_and_percentage_handle_zero_and_missing() -> None:
    assert stats.rate(3, 4) == 0.75
    assert stats.percentage(1, 8) == 12.5
    assert stats.rate(3, 0) is None
    assert stats.percentage(0, 0) is None
    assert stats.rate(None, 5) is None
    assert stats.rate(1, float("nan")) is None


def test_percentage_point_difference() -> None:
    assert stats.percentage_point_difference(12.5, 20.0) == -7.5
    assert stats.percentage_point_difference(None, 3.0) is None


def test_rolling_average() -> None:
    assert stats.rolling_average([1.2, 1.6]) == pytest.approx(1.4)
    assert stats.rolling_average([1.2, None]) is None
    assert stats.rolling_average([]) is None


def test_relative_likelihood_and_log_confidence_interval() -> None:
    rl = stats.relative_likelihood(30, 100, 10, 100)
    assert rl.value == pytest.approx(3.0)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 10 - 1 / 100)
    assert rl.ci_low == pytest.approx(math.exp(math.log(3) - 1.959963985 * se))
    assert rl.ci_high == pytest.approx(math.exp(math.log(3) + 1.959963985 * se))
    assert rl.ci_low == pytest.approx(1.5508, abs=1e-4)
    assert rl.ci_high == pytest.approx(5.8033, abs=1e-4)
    assert rl.rate1 == 0.3 and rl.rate2 == 0.1 and rl.calculable


def test_worked_example_from_domain_notes() -> None:
    # 46.99% vs 14.65% gives 3.21 ("3.2 times")
    rl = stats.relative_likelihood(4699, 10000, 1465, 10000)
    assert round(rl.value, 2) == 3.21


@pytest.mark.parametrize("counts,reason", [
    ((0, 0, 5, 50), "empty"),
    ((5, 50, 0, 0), "empty"),
    ((5, 50, 0, 40), "comparison group"),
    ((3, 9, 0, 5), "comparison group"),
])
def test_not_calculable_cases(counts: tuple[int, int, int, int], reason: str) -> None:
    rl = stats.relative_likelihood(*counts)
    assert rl.value is None and rl.ci_low is None and rl.ci_high is None
    assert reason in rl.reason
    assert "not calculable" in stats.reading(rl, "White staff", "BME staff", "appointed")


def test_zero_outcomes_in_first_group_gives_zero_without_interval() -> None:
    rl = stats.relative_likelihood(0, 40, 5, 50)
    assert rl.value == 0.0 and rl.ci_low is None and rl.ci_high is None
    assert "confidence interval is not calculable" in rl.reason


def test_small_group_is_calculated_with_a_caution() -> None:
    # issue 9 rule 7: a group below the minimum size still gets its ratio and interval, with a caution
    rl = stats.relative_likelihood(3, 9, 5, 50)
    assert rl.value == pytest.approx((3 / 9) / 0.1)
    se = math.sqrt(1 / 3 - 1 / 9 + 1 / 5 - 1 / 50)
    assert rl.ci_low == pytest.approx(rl.value * math.exp(-1.959963985 * se))
    assert rl.ci_high == pytest.approx(rl.value * math.exp(1.959963985 * se))
    assert rl.small_group and "fewer than 10" in rl.caution and rl.reason == ""
    assert "Caution: a group has fewer than 10 people" in stats.reading(rl, "White staff", "BME staff", "appointed")
    assert not stats.relative_likelihood(30, 100, 10, 100).small_group


def test_minimum_group_is_configurable() -> None:
    rl = stats.relative_likelihood(3, 9, 5, 50, minimum_group=5)
    assert rl.value == pytest.approx((3 / 9) / 0.1)
    assert not rl.small_group


def test_invalid_counts_raise_but_rates_above_one_are_allowed() -> None:
    with pytest.raises(ValueError):
        stats.relative_likelihood(-1, 10, 1, 10)
    # 12 leavers in a year from a group of 10 in post at the end: a rate above 1 is still a rate
    rl = stats.relative_likelihood(12, 10, 5, 10)
    assert rl.value == pytest.approx(2.4) and rl.ci_low is not None


def test_band_and_wording() -> None:
    assert stats.in_band(0.80) is True and stats.in_band(1.25) is True
    assert stats.in_band(1.26) is False and stats.in_band(0.79) is False
    assert stats.in_band(None) is None
    assert stats.band_wording(1.5) == "outside the non-adverse range (above 1.25)"
    assert stats.band_wording(0.5, 0.9, 1.1) == "outside the non-adverse range (below 0.90)"
    assert stats.band_wording(1.0).startswith("within")


def test_reading_sentence() -> None:
    rl = stats.relative_likelihood(30, 100, 20, 100)
    assert stats.reading(rl, "White applicants", "BME applicants", "appointed from shortlisting") == (
        "White applicants were 1.50 times as likely to be appointed from shortlisting as BME applicants.")


def test_no_interval_when_everyone_in_both_groups_had_the_outcome() -> None:
    """10 of 10 White and 5 of 5 BME shortlisted applicants appointed: the log-method standard
    error is 0, and an interval "1.0 to 1.0" would claim certainty the numbers cannot give."""
    rl = stats.relative_likelihood(10, 10, 5, 5)
    assert rl.value == 1.0 and rl.ci_low is None and rl.ci_high is None
    assert "not calculable" in rl.reason
