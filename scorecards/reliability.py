"""How far interviewers agree, and how far the interview predicts the job: pure arithmetic.

Krippendorff's alpha with the interval metric, each interviewer's leniency against the
other interviewers of the same candidates, and Pearson's r with a confidence interval.
Nothing here reads the database: callers pass what they aggregated under the blindness
rule (only submitted cards the viewer may see), so the rule stays where it lives.

Alpha is computed exactly (fractions) from per-unit sums, so a caller may add the
ratings up in SQL: a unit is one candidate on one dimension, and only its count, total
and total of squares matter. With n pairable values over all units, m_u values in unit u:

    alpha = 1 - (n - 1) * sum_u (m_u * S2_u - S_u**2) / (m_u - 1)  /  (n * S2 - S**2)

which is Krippendorff's 1 - D_o / D_e with the squared difference as the metric, the
coincidence matrix summed out (Krippendorff 2011, "Computing Krippendorff's alpha").
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

# Krippendorff's lowest acceptable figure for tentative conclusions; below it the raters
# do not share an understanding of what they rate.
ACCEPTABLE_ALPHA = Fraction(667, 1000)
# Pearson's r is not worth reading on fewer outcomes than this.
FEW_OUTCOMES = 10
Z_95 = 1.959963984540054  # the normal distribution's 97.5th percentile


@dataclass(frozen=True)
class Unit:
    """One candidate on one dimension: how many ratings, their total and squares total."""

    count: int
    total: int
    squares: int

    @classmethod
    def of(cls, values: Iterable[int]) -> "Unit":
        values = list(values)
        return cls(len(values), sum(values), sum(v * v for v in values))


@dataclass(frozen=True)
class Alpha:
    """Alpha over the units with at least two ratings, or why there is none."""

    value: Fraction | None
    units: int  # candidates (per dimension) rated by two interviewers or more
    ratings: int  # the ratings in those units
    reason: str = ""  # why value is None

    @property
    def acceptable(self) -> bool | None:
        return None if self.value is None else self.value >= ACCEPTABLE_ALPHA

    @property
    def display(self) -> str:
        """Three decimals, as alpha is usually written (.849 is 0.849)."""
        return "" if self.value is None else f"{float(self.value):.3f}"


def interval_alpha(units: Iterable[Unit]) -> Alpha:
    pairable = [unit for unit in units if unit.count >= 2]
    n = sum(unit.count for unit in pairable)
    if not pairable:
        return Alpha(None, 0, 0, "no candidate was rated by two interviewers on it")
    total = sum(unit.total for unit in pairable)
    squares = sum(unit.squares for unit in pairable)
    expected = n * squares - total * total  # n(n-1)/2 times D_e
    if expected == 0:
        return Alpha(None, len(pairable), n, "every rating is the same, so agreement is moot")
    observed = sum(
        Fraction(unit.count * unit.squares - unit.total * unit.total, unit.count - 1)
        for unit in pairable
    )
    return Alpha(1 - (n - 1) * observed / expected, len(pairable), n)


@dataclass(frozen=True)
class Leniency:
    """How much higher (positive) or lower an interviewer rates than the other
    interviewers of the same candidate on the same dimension, on average, over n ratings."""

    mean: Fraction
    n: int


def leniency(ratings: Iterable[tuple[Hashable, Hashable, int]]) -> dict[Hashable, Leniency]:
    """ratings: (interviewer, unit, value), a unit being one candidate on one dimension.

    Each rating is compared with the mean of the other ratings of its unit, so an
    interviewer who happens to see strong candidates is not called lenient; ratings
    alone in their unit do not count. An interviewer with two ratings in one unit (two
    interviews of one candidate) has each compared with all the others, their own
    included.
    """
    by_unit = defaultdict(list)
    for interviewer, unit, value in ratings:
        by_unit[unit].append((interviewer, value))
    sums = defaultdict(Fraction)
    counts = defaultdict(int)
    for given in by_unit.values():
        m = len(given)
        if m < 2:
            continue
        total = sum(value for _, value in given)
        for interviewer, value in given:
            sums[interviewer] += value - Fraction(total - value, m - 1)
            counts[interviewer] += 1
    return {who: Leniency(sums[who] / counts[who], counts[who]) for who in counts}


@dataclass(frozen=True)
class Correlation:
    """Pearson's r between interview scores and later performance, with its 95%
    confidence interval by Fisher's z (none under four pairs or at |r| = 1)."""

    r: float | None
    n: int
    low: float | None = None
    high: float | None = None
    reason: str = ""

    @property
    def too_few(self) -> bool:
        return self.n < FEW_OUTCOMES


def pearson(pairs: Iterable[tuple[Fraction | int | float, Fraction | int | float]]) -> Correlation:
    pairs = [(Fraction(x), Fraction(y)) for x, y in pairs]
    n = len(pairs)
    if n < 2:
        return Correlation(None, n, reason="fewer than two people with both figures")
    mean_x = sum(x for x, _ in pairs) / n
    mean_y = sum(y for _, y in pairs) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    sxx = sum((x - mean_x) ** 2 for x, _ in pairs)
    syy = sum((y - mean_y) ** 2 for _, y in pairs)
    if not sxx or not syy:
        return Correlation(None, n, reason="one of the two figures is the same for everyone")
    r = float(sxy) / math.sqrt(float(sxx) * float(syy))
    r = max(-1.0, min(1.0, r))
    if n < 4 or abs(r) == 1.0:
        return Correlation(r, n)
    z, spread = math.atanh(r), Z_95 / math.sqrt(n - 3)
    return Correlation(r, n, math.tanh(z - spread), math.tanh(z + spread))
