"""Rates, percentages and relative likelihoods, shared by every report.

Every function returns ``None`` for "not calculable" (a zero or missing denominator, or a
comparison rate of zero), never infinity or NaN, so reports can say so in words. A small group
does not make a ratio not calculable: it is computed, with its (wide) confidence interval, and
carries a caution in words (issue 9, rule 7; publication suppression stays the job of
disclosure control).

Relative likelihood follows NHS England's WRES technical guidance: the rate of the first group
divided by the rate of the second, ``(a1/n1) / (a2/n2)``. Its confidence interval uses the usual
log method for a ratio of two proportions (Altman et al., *Statistics with Confidence*, 2000):
``exp(ln RR ± z * sqrt(1/a1 - 1/n1 + 1/a2 - 1/n2))``. The non-adverse range 0.80 to 1.25 is the
"four-fifths" band NHS England uses ("A fair experience for all", 2019); reports make it
configurable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

DEFAULT_BAND = (0.80, 1.25)


def _number(value: float | int | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def rate(numerator: float | int | None, denominator: float | int | None) -> float | None:
    """``numerator / denominator``; None when either is missing or the denominator is zero."""
    num, den = _number(numerator), _number(denominator)
    if num is None or den is None or den == 0:
        return None
    return num / den


def percentage(part: float | int | None, whole: float | int | None) -> float | None:
    """``part`` as a percentage (0-100) of ``whole``; None when ``whole`` is zero or missing."""
    value = rate(part, whole)
    return None if value is None else value * 100


def percentage_point_difference(a_pct: float | None, b_pct: float | None) -> float | None:
    """``a - b`` in percentage points; None when either side is not calculable."""
    a, b = _number(a_pct), _number(b_pct)
    if a is None or b is None:
        return None
    return a - b


def rolling_average(values: Iterable[float | None]) -> float | None:
    """Mean of the values; None when any of them is not calculable (or there are none).

    Not for relative likelihoods: a ratio over several years pools the counts instead (see
    :func:`pooled_relative_likelihood`), so that a small year does not weigh as much as a large one.
    """
    items = [_number(v) for v in values]
    if not items or any(v is None for v in items):
        return None
    return sum(items) / len(items)  # type: ignore[arg-type]


@dataclass(frozen=True)
class RelativeLikelihood:
    """The ratio of two groups' rates with its confidence interval and the counts behind it."""

    a1: float
    n1: float
    a2: float
    n2: float
    value: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    reason: str = ""
    #: words of caution when a group is smaller than the minimum group size (the value is still given)
    caution: str = ""

    @property
    def calculable(self) -> bool:
        return self.value is not None

    @property
    def small_group(self) -> bool:
        return bool(self.caution)

    @property
    def rate1(self) -> float | None:
        return rate(self.a1, self.n1)

    @property
    def rate2(self) -> float | None:
        return rate(self.a2, self.n2)


def relative_likelihood(a1: float | int, n1: float | int, a2: float | int, n2: float | int, *,
                        minimum_group: int = 10, confidence: float = 0.95) -> RelativeLikelihood:
    """Relative likelihood of group 1 compared with group 2: ``(a1/n1) / (a2/n2)``.

    ``a`` counts the people with the outcome and ``n`` the people who could have it (``a`` may be
    a fraction when it comes from a published percentage). Not calculable only when a group is
    empty or group 2 has no outcomes (division by zero). A group smaller than ``minimum_group``
    still gets its ratio and interval, with :attr:`RelativeLikelihood.caution` saying so. When
    group 1 has no outcomes the ratio is 0 but the interval is not calculable.
    """
    counts = [c for c in (_number(x) for x in (a1, n1, a2, n2)) if c is not None and c >= 0]
    if len(counts) != 4:
        raise ValueError(f"counts must be non-negative numbers, got {(a1, n1, a2, n2)}")
    fa1, fn1, fa2, fn2 = counts
    # an outcome count may exceed its group (leavers during a year against staff in post at its end)

    caution = ""
    if 0 < min(fn1, fn2) < minimum_group:
        caution = (f"a group has fewer than {minimum_group} people, so the ratio is uncertain (see its "
                   f"confidence interval) and can change a lot from one year to the next")

    def result(value: float | None, low: float | None = None, high: float | None = None,
               reason: str = "") -> RelativeLikelihood:
        return RelativeLikelihood(fa1, fn1, fa2, fn2, value, low, high, confidence, reason,
                                  caution if value is not None else "")

    if fn1 == 0 or fn2 == 0:
        return result(None, reason="one of the groups is empty")
    if fa2 == 0:
        return result(None, reason="no one in the comparison group had the outcome")
    value = (fa1 / fn1) / (fa2 / fn2)
    if fa1 == 0:
        return result(0.0, reason="no one in the first group had the outcome, so the "
                                  "confidence interval is not calculable")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    se = math.sqrt(max(1 / fa1 - 1 / fn1 + 1 / fa2 - 1 / fn2, 0.0))
    if se == 0:  # everyone in both groups had the outcome: an interval of no width claims certainty
        return result(value, reason="everyone in both groups had the outcome, so the confidence interval is "
                                    "not calculable")
    log_rr = math.log(value)
    return result(value, math.exp(log_rr - z * se), math.exp(log_rr + z * se))


def pooled_relative_likelihood(years: Iterable[tuple[float, float, float, float]], *, minimum_group: int = 10,
                               confidence: float = 0.95) -> RelativeLikelihood:
    """The relative likelihood of several years pooled: each group's outcomes summed over the years,
    over its summed group sizes; ``years`` holds ``(a1, n1, a2, n2)`` per year.

    This is how a two-year rolling average of a relative likelihood is taken (issue 9, rule 6):
    never the mean of the yearly ratios.
    """
    a1 = n1 = a2 = n2 = 0.0
    for y1, m1, y2, m2 in years:
        a1, n1, a2, n2 = a1 + y1, n1 + m1, a2 + y2, n2 + m2
    return relative_likelihood(a1, n1, a2, n2, minimum_group=minimum_group, confidence=confidence)


def in_band(value: float | None, low: float = DEFAULT_BAND[0], high: float = DEFAULT_BAND[1]) -> bool | None:
    """True when ``low <= value <= high``; None when the value is not calculable."""
    number = _number(value)
    if number is None:
        return None
    return low <= number <= high


def band_wording(value: float | None, low: float = DEFAULT_BAND[0], high: float = DEFAULT_BAND[1]) -> str:
    """Plain words for where a relative likelihood sits against the non-adverse range."""
    inside = in_band(value, low, high)
    if inside is None:
        return "not calculable"
    if inside:
        return f"within the non-adverse range ({low:.2f} to {high:.2f})"
    side = "above" if float(value) > high else "below"  # type: ignore[arg-type]
    return f"outside the non-adverse range ({side} {high if side == 'above' else low:.2f})"


def _times(value: float) -> str:
    return f"{value:.2f}"


def reading(rl: RelativeLikelihood, subject: str, comparator: str, outcome: str) -> str:
    """A plain-English sentence for a relative likelihood.

    ``reading(rl, "White applicants", "BME applicants", "appointed from shortlisting")`` gives
    "White applicants were 1.50 times as likely to be appointed from shortlisting as BME
    applicants."
    """
    if rl.value is None:
        return (f"The relative likelihood of {subject} being {outcome} compared with {comparator} "
                f"is not calculable because {rl.reason}.")
    caution = f" Caution: {rl.caution}." if rl.caution else ""
    if rl.value == 0:
        return f"None of the {subject} were {outcome}, so they were less likely than {comparator}.{caution}"
    return f"{subject} were {_times(rl.value)} times as likely to be {outcome} as {comparator}.{caution}"


def small_group_caution(rl: RelativeLikelihood, small: list[str], minimum: int, people: str,
                        detail: str = "") -> str:
    """Words of caution for a ratio computed from a group smaller than ``minimum`` ("" when none):
    a small group's ratio is still given, with its confidence interval; only a zero denominator
    or a zero comparison rate makes it not calculable. ``detail`` follows ``people`` in brackets."""
    if rl.value is None or not small:
        return ""
    groups = " and ".join(small)
    which = f" ({detail})" if detail else ""
    return (f"the {groups} group{'s have' if len(small) > 1 else ' has'} fewer than {minimum} {people}{which}, "
            "so this ratio is uncertain (see its confidence interval) and can change a lot from one year to the "
            "next")
