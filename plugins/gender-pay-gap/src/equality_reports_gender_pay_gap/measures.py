"""The gender pay gap measures of SI 2017/353 Schedule 1, as pure functions of pay and sex.

Everything here is vectorised (numpy and pandas, no loop over people) and knows nothing of
documents or disclosure: :mod:`.report` publishes what these functions compute.

* :func:`gap`: (men's figure - women's figure) / men's figure x 100 (paragraphs 8 to 11), or None
  when it cannot be calculated (no men, no women, or a men's figure of 0).
* :func:`band_sizes` and :func:`quartile_bands`: the four quartile pay bands of paragraph 13, with
  people on the same hourly rate spread across the bands their rate spans so that men and women on
  that rate are in the same proportion in each (paragraph 13(2)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MEN, WOMEN = "male", "female"
SEXES = (MEN, WOMEN)
#: the quartile pay bands, lowest paid first (figure ids use these)
BANDS = ("lower", "lower_middle", "upper_middle", "upper")


def gap(men: float | None, women: float | None) -> float | None:
    """(men - women) / men x 100, unrounded; None when either figure is missing or men's is 0."""
    if men is None or women is None or _nan(men) or _nan(women) or men == 0:
        return None
    return (float(men) - float(women)) / float(men) * 100.0


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


def mean_median(values: pd.Series) -> tuple[float | None, float | None]:
    """The mean and median of ``values`` (None for no values)."""
    if values.empty:
        return None, None
    return float(values.mean()), float(values.median())


def band_sizes(n: int) -> np.ndarray:
    """How many of ``n`` people each quartile band holds, lowest first: n // 4 each, and the
    remainder (n mod 4, at most 3) one each to the lowest bands (lower, then lower middle, then
    upper middle). The sizes never differ by more than one: "as nearly as possible" equal."""
    return np.asarray([n // 4 + (i < n % 4) for i in range(4)], dtype=np.int64)


@dataclass(frozen=True)
class Quartiles:
    """Each person's band (0 lower to 3 upper, aligned with the input) and the counts per band."""

    band: pd.Series
    men: np.ndarray
    women: np.ndarray

    @property
    def sizes(self) -> np.ndarray:
        return self.men + self.women


def quartile_bands(rate: pd.Series, is_man: pd.Series, order: pd.Series | None = None) -> Quartiles:
    """Split people (``rate``: hourly rate; ``is_man``: True for a man, False for a woman) into the
    four quartile pay bands of paragraph 13.

    People are ranked by rate and the ranking cut into sections of :func:`band_sizes`. The people
    on one rate may straddle a cut: then, band by band, the number of men on that rate is the
    band's share of the rate's places times the rate's men, rounded by largest remainder (ties to
    the lower band) so that whole numbers add up, and women fill the rest of the band's places
    for that rate. Band sizes are exactly :func:`band_sizes`. Which man (or woman) on a rate goes
    to which band does not change any published figure; they are taken in ``order`` (default: as
    given), lowest band first.
    """
    n = len(rate)
    if n == 0:
        empty = np.zeros(4, dtype=np.int64)
        return Quartiles(pd.Series(np.empty(0, dtype=np.int64), index=rate.index), empty, empty.copy())
    values = rate.to_numpy(dtype=float)
    man = is_man.to_numpy(dtype=bool)
    tiebreak = np.arange(n) if order is None else order.to_numpy()
    ranked = np.lexsort((tiebreak, values))
    position_band = np.repeat(np.arange(4), band_sizes(n))
    groups = np.unique(values[ranked], return_inverse=True)[1].ravel()  # one group per distinct rate
    count = int(groups.max()) + 1
    places = np.zeros((count, 4), dtype=np.int64)  # places[g, b]: positions of rate g in band b
    np.add.at(places, (groups, position_band), 1)
    ranked_man = man[ranked]
    men_on_rate = np.bincount(groups, weights=ranked_man, minlength=count).astype(np.int64)
    size = places.sum(axis=1)
    exact = men_on_rate[:, None] * places  # men's share of each band, times size (whole numbers)
    men_in = exact // size[:, None]
    remainder = exact % size[:, None]
    short = men_on_rate - men_in.sum(axis=1)
    # largest remainders get the men left over; equal remainders go to the lower band first
    rank = np.argsort(np.argsort(-remainder, axis=1, kind="stable"), axis=1, kind="stable")
    men_in = men_in + (rank < short[:, None])
    women_in = places - men_in
    # the k-th man (woman) on a rate goes to the first band whose running total of men (women) passes k
    nth = pd.Series(np.zeros(n, dtype=np.int64)).groupby([groups, ranked_man]).cumcount().to_numpy()
    limits = np.where(ranked_man[:, None], np.cumsum(men_in, axis=1)[groups], np.cumsum(women_in, axis=1)[groups])
    ranked_band = (nth[:, None] >= limits).sum(axis=1)
    band = np.empty(n, dtype=np.int64)
    band[ranked] = ranked_band
    men = np.bincount(ranked_band[ranked_man], minlength=4).astype(np.int64)
    women = np.bincount(ranked_band[~ranked_man], minlength=4).astype(np.int64)
    return Quartiles(pd.Series(band, index=rate.index), men, women)
