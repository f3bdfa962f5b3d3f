"""scoring.Summariser, the headline of many panels from rating sums: it must agree with
scoring.panel() on every panel, and refuse totals that cannot come from ratings."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecards.scoring import (
    DimensionInput,
    Policy,
    ScorecardInput,
    Summariser,
    panel,
)
from tests.scorecards.test_scoring_properties import panels, policies

thresholds = st.sampled_from(
    [
        {},
        {"strong_hire": Decimal("4.5"), "hire": Decimal("3.25"), "no_hire": Decimal("2.5")},
        {"strong_hire": Decimal("3.005"), "hire": Decimal("3.005"), "no_hire": Decimal("1")},
    ]
)


def totals_of(dimensions, cards):
    """What load_summaries reads from the database: sum and count per rated dimension."""
    totals = {}
    for card in cards:
        if card.status != "submitted":
            continue
        for d in dimensions:
            score = card.ratings.get(d.id)
            if score is not None:
                total, count = totals.get(d.id, (0, 0))
                totals[d.id] = (total + score, count + 1)
    return totals


@given(panels(), policies, thresholds)
def test_summary_agrees_with_the_panel(data, policy, limits):
    dimensions, cards = data
    policy = Policy(
        thresholds=limits,
        red_flag_policy=policy.red_flag_policy,
        min_scorecards=policy.min_scorecards,
        min_coverage=policy.min_coverage,
    )
    full = panel(dimensions, cards, policy)
    submitted = sum(1 for card in cards if card.status == "submitted")
    summary = Summariser(dimensions, policy)(
        totals_of(dimensions, cards), submitted, len(full.red_flags)
    )
    assert summary.submitted == full.submitted
    assert summary.weighted_score == full.weighted_score
    assert summary.coverage == full.coverage
    assert summary.band == full.band
    assert summary.recommendation == full.recommendation
    assert summary.red_flags == len(full.red_flags)


def test_hand_computed_summary():
    # Weights 12.5 and 87.5 scale to 1 and 7: means 3 (2 and 4) and 4.5 (4 and 5);
    # weighted (12.5 * 3 + 87.5 * 4.5) / 100 = 4.3125: strong hire, vetoed by a red flag.
    dimensions = [
        DimensionInput(id=1, name="A", weight=Decimal("12.5")),
        DimensionInput(id=2, name="B", weight=Decimal("87.5")),
    ]
    summarise = Summariser(dimensions)
    clean = summarise({1: (6, 2), 2: (9, 2)}, submitted=2)
    assert (clean.weighted_score, clean.coverage) == (Fraction(69, 16), 1)
    assert (clean.band, clean.recommendation) == ("strong_hire", "strong_hire")
    flagged = summarise({1: (6, 2), 2: (9, 2)}, submitted=2, red_flags=1)
    assert (flagged.band, flagged.recommendation, flagged.red_flags) == (
        "strong_hire",
        "no_hire",
        1,
    )
    thin = summarise({2: (5, 1)}, submitted=1)
    assert (thin.coverage, thin.recommendation) == (Fraction(7, 8), "insufficient_evidence")
    assert summarise({}, submitted=0).weighted_score is None


def test_summary_agrees_with_a_hand_built_panel_with_drafts():
    dimensions = [DimensionInput(id=1, name="A", weight=Decimal(50), min_score=3)]
    cards = [
        ScorecardInput(id=1, interviewer="Ana", status="submitted", ratings={1: 2}),
        ScorecardInput(id=2, interviewer="Ben", status="submitted", ratings={1: 3}),
        ScorecardInput(id=3, interviewer="Cy", status="draft", ratings={1: 5}),
    ]
    summary = Summariser(dimensions)(totals_of(dimensions, cards), submitted=2)
    assert summary.weighted_score == Fraction(5, 2) == panel(dimensions, cards).weighted_score
    assert summary.recommendation == "no_hire"  # band no_hire; below the minimum of 3 too


@pytest.mark.parametrize(
    "totals",
    [{9: (3, 1)}, {1: (3, 0)}, {1: (11, 2)}, {1: (1, 2)}],
    ids=["unknown dimension", "no ratings", "above 5", "below 1"],
)
def test_totals_no_ratings_could_give_are_refused(totals):
    summarise = Summariser([DimensionInput(id=1, name="A", weight=Decimal(100))])
    with pytest.raises(ValueError):
        summarise(totals, submitted=2)
