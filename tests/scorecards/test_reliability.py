"""Krippendorff's alpha, leniency and Pearson's r (scorecards/reliability.py): against hand
computations and against independent implementations (the `krippendorff` package, numpy)."""

import math
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecards.reliability import (
    Unit,
    interval_alpha,
    leniency,
    pearson,
)

# Krippendorff's own example (4 coders x 12 units, "." missing): interval alpha .849.
KRIPPENDORFF_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def units_of(coders):
    """Units (columns) of a coders x units table, missing values left out."""
    return [Unit.of(v for v in column if v is not None) for column in zip(*coders, strict=True)]


def package_alpha(coders):
    data = np.array([[np.nan if v is None else v for v in row] for row in coders], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="interval")


def test_krippendorffs_own_example():
    alpha = interval_alpha(units_of(KRIPPENDORFF_EXAMPLE))
    assert round(float(alpha.value), 3) == 0.849
    assert float(alpha.value) == pytest.approx(package_alpha(KRIPPENDORFF_EXAMPLE), abs=1e-12)
    # Unit 12 has one value: not pairable, so 11 units and 40 of the 41 values count.
    assert (alpha.units, alpha.ratings) == (11, 40)
    assert alpha.acceptable


def test_by_hand_two_raters_two_candidates():
    # (1, 2) and (4, 5): n = 4, sum 12, squares 46, so n*S2 - S^2 = 40; each unit
    # contributes (2*S2_u - S_u^2)/(2-1) = 1; alpha = 1 - 3 * 2 / 40 = 17/20.
    alpha = interval_alpha([Unit.of([1, 2]), Unit.of([4, 5])])
    assert alpha.value == Fraction(17, 20)
    assert float(alpha.value) == pytest.approx(package_alpha([[1, 4], [2, 5]]))


def test_perfect_agreement_is_one_and_systematic_disagreement_is_negative():
    assert interval_alpha([Unit.of([2, 2]), Unit.of([4, 4, 4])]).value == 1
    disagreement = interval_alpha([Unit.of([1, 5]), Unit.of([5, 1])])
    assert disagreement.value < 0
    assert not disagreement.acceptable


def test_missing_ratings_one_rater_and_all_equal():
    # A candidate seen by one interviewer tells nothing about agreement.
    with_single = interval_alpha([Unit.of([1, 2]), Unit.of([4, 5]), Unit.of([3])])
    assert with_single.value == Fraction(17, 20)
    assert (with_single.units, with_single.ratings) == (2, 4)

    one_rater = interval_alpha([Unit.of([3]), Unit.of([5])])
    assert one_rater.value is None
    assert "two interviewers" in one_rater.reason
    assert one_rater.acceptable is None

    assert interval_alpha([]).value is None

    all_equal = interval_alpha([Unit.of([3, 3]), Unit.of([3, 3, 3])])
    assert all_equal.value is None
    assert all_equal.units == 2
    assert "same" in all_equal.reason
    with pytest.raises(ValueError):  # the package refuses it too
        package_alpha([[3, 3], [3, 3], [None, 3]])


tables = st.integers(2, 5).flatmap(
    lambda coders: st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=coders, max_size=coders),
        min_size=1,
        max_size=15,
    )
)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_matches_the_krippendorff_package(columns):
    coders = [list(row) for row in zip(*columns, strict=True)]
    alpha = interval_alpha(units_of(coders))
    pairable = [c for c in columns if sum(v is not None for v in c) >= 2]
    values = {v for c in pairable for v in c if v is not None}
    if alpha.value is None:
        assert not pairable or len(values) == 1
        return
    assert float(alpha.value) == pytest.approx(package_alpha(coders), abs=1e-9)


def test_leniency_by_hand():
    ratings = [
        ("ann", "c1", 4),
        ("bob", "c1", 2),
        ("ann", "c2", 3),
        ("bob", "c2", 3),
        ("cy", "c2", 3),
        ("cy", "c3", 5),  # alone on c3: does not count
    ]
    result = leniency(ratings)
    assert (result["ann"].mean, result["ann"].n) == (1, 2)
    assert (result["bob"].mean, result["bob"].n) == (-1, 2)
    assert (result["cy"].mean, result["cy"].n) == (0, 1)


def test_leniency_is_against_the_same_candidates_not_everyones_mean():
    # Ann only sees strong candidates and rates them as her colleagues do: not lenient,
    # although her mean (5) is far above everyone's (3.5).
    ratings = [("ann", f"strong{i}", 5) for i in range(3)]
    ratings += [("bob", f"strong{i}", 5) for i in range(3)]
    ratings += [("bob", f"weak{i}", 1) for i in range(2)]
    ratings += [("cy", f"weak{i}", 2) for i in range(2)]
    result = leniency(ratings)
    assert result["ann"].mean == 0
    assert result["cy"].mean == 1
    assert result["bob"].n == 5
    assert result["bob"].mean == Fraction(-2, 5)


def test_leniency_with_three_raters_compares_with_the_others_mean():
    result = leniency([("a", "u", 5), ("b", "u", 2), ("c", "u", 2)])
    assert result["a"].mean == 3
    assert result["b"].mean == Fraction(-3, 2)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(1, 5)).map(lambda p: (Fraction(p[0]), p[1])),
        min_size=2,
        max_size=40,
    )
)
def test_pearson_matches_numpy(pairs):
    result = pearson(pairs)
    xs = [float(x) for x, _ in pairs]
    ys = [float(y) for _, y in pairs]
    if len(set(xs)) == 1 or len(set(ys)) == 1:
        assert result.r is None
        return
    assert result.r == pytest.approx(np.corrcoef(xs, ys)[0, 1], abs=1e-9)
    assert result.n == len(pairs)


def test_fisher_interval_by_hand_and_small_samples():
    # r = .5 over 28 people: z = atanh(.5) = .5493, standard error 1/5, so
    # tanh(.5493 -/+ 1.96 * .2) = (.156, .736).
    xs = list(range(28))
    rng = np.random.default_rng(7)
    noise = rng.normal(size=28)
    ys = [
        float(v) for v in 0.5 * (np.array(xs) - np.mean(xs)) / np.std(xs) + math.sqrt(0.75) * noise
    ]
    result = pearson(zip(xs, ys, strict=True))
    z, spread = math.atanh(result.r), 1.959963984540054 / 5
    assert result.low == pytest.approx(math.tanh(z - spread))
    assert result.high == pytest.approx(math.tanh(z + spread))
    assert result.low < result.r < result.high
    assert not result.too_few

    few = pearson([(1, 2), (2, 3), (3, 5)])
    assert few.too_few and few.low is None and few.r is not None
    assert pearson([(1, 2)]).r is None
    assert pearson([(1, 2), (2, 2), (3, 2)]).reason
