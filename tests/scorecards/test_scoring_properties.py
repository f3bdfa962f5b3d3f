"""Properties the panel scoring must keep for any panel, checked with hypothesis."""

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from scorecards.scoring import (
    CARD_RECOMMENDATIONS,
    DimensionInput,
    DimensionTally,
    Policy,
    ScorecardInput,
    Tallies,
    conclude,
    fmt,
    panel,
    scorecard_score,
)

weights = st.one_of(
    st.integers(min_value=0, max_value=40).map(Decimal),
    st.sampled_from([Decimal("12.5"), Decimal("0.5"), Decimal("33.33")]),
)
ratings = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
policies = st.builds(
    Policy,
    red_flag_policy=st.sampled_from(["veto", "warn"]),
    min_scorecards=st.integers(min_value=1, max_value=4),
    min_coverage=st.sampled_from([Decimal(0), Decimal("0.5"), Decimal("0.7"), Decimal(1)]),
)


@st.composite
def dimension_lists(draw):
    dimension_weights = draw(st.lists(weights, min_size=1, max_size=8))
    assume(sum(dimension_weights) > 0)
    return [
        DimensionInput(
            id=i,
            name=f"Dimension {i}",
            weight=w,
            min_score=draw(st.one_of(st.none(), st.integers(min_value=1, max_value=5))),
        )
        for i, w in enumerate(dimension_weights, start=1)
    ]


@st.composite
def panels(draw, min_cards=0):
    dimensions = draw(dimension_lists())
    count = draw(st.integers(min_value=min_cards, max_value=6))
    cards = []
    for card_id in range(1, count + 1):
        flags = draw(st.lists(st.sampled_from(["Overclaims", "Blames others"]), max_size=2))
        cards.append(
            ScorecardInput(
                id=card_id,
                interviewer=draw(st.sampled_from(["Ana", "Ben", "Cy"])),
                status=draw(st.sampled_from(["submitted", "submitted", "draft"])),
                ratings={d.id: draw(ratings) for d in dimensions},
                recommendation=draw(st.one_of(st.none(), st.sampled_from(CARD_RECOMMENDATIONS))),
                red_flags=tuple(flags),
                red_flag_notes=tuple(draw(st.sampled_from(["", "see notes"])) for _ in flags),
            )
        )
    return dimensions, cards


def submitted_ratings(dimensions, cards):
    return [
        card.ratings[d.id]
        for card in cards
        if card.status == "submitted"
        for d in dimensions
        if d.weight > 0 and card.ratings.get(d.id) is not None
    ]


@given(panels(), policies)
def test_weighted_score_lies_between_the_lowest_and_highest_rating(data, policy):
    dimensions, cards = data
    result = panel(dimensions, cards, policy)
    given_ratings = submitted_ratings(dimensions, cards)
    if not given_ratings:
        assert result.weighted_score is None
    else:
        assert min(given_ratings) <= result.weighted_score <= max(given_ratings)


@given(dimension_lists(), st.data())
def test_scorecard_score_lies_between_the_lowest_and_highest_rating(dimensions, data):
    card_ratings = {d.id: data.draw(ratings) for d in dimensions}
    score = scorecard_score(dimensions, card_ratings)
    weighed = [r for d in dimensions if d.weight > 0 and (r := card_ratings[d.id]) is not None]
    if not weighed:
        assert score is None
    else:
        assert min(weighed) <= score <= max(weighed)


@given(panels(min_cards=1), policies, st.data())
def test_raising_one_rating_never_lowers_the_weighted_score(data, policy, draw):
    dimensions, cards = data
    raisable = [
        (index, dimension_id)
        for index, card in enumerate(cards)
        for dimension_id, score in card.ratings.items()
        if score is not None and score < 5
    ]
    assume(raisable)
    index, dimension_id = draw.draw(st.sampled_from(raisable))
    before = cards[index]
    raised = ScorecardInput(
        id=before.id,
        interviewer=before.interviewer,
        status=before.status,
        ratings={**before.ratings, dimension_id: before.ratings[dimension_id] + 1},
        recommendation=before.recommendation,
        red_flags=before.red_flags,
        red_flag_notes=before.red_flag_notes,
    )
    old = panel(dimensions, cards, policy).weighted_score
    new = panel(dimensions, [*cards[:index], raised, *cards[index + 1 :]], policy).weighted_score
    assert (old is None) == (new is None)
    if old is not None:
        assert new >= old


def tallied(dimensions, cards, *, votes=True):
    """The aggregates a database would return for these cards, added up here by hand:
    per dimension count, sum, lowest and highest of the submitted ratings."""
    submitted = [card for card in cards if card.status == "submitted"]
    per_dimension = {}
    for dimension in dimensions:
        scores = [s for card in submitted if (s := card.ratings.get(dimension.id)) is not None]
        if scores:
            per_dimension[dimension.id] = DimensionTally(
                len(scores), sum(scores), min(scores), max(scores)
            )
    return Tallies(
        submitted=len(submitted),
        dimensions=per_dimension,
        red_flags=sum(len(card.red_flags) for card in submitted),
        votes={r: sum(card.recommendation == r for card in submitted) for r in CARD_RECOMMENDATIONS}
        if votes
        else None,
    )


@given(panels(), policies)
def test_the_verdict_from_aggregates_is_the_verdict_from_the_cards(data, policy):
    """One scoring engine: the pipeline decides on what the database adds up
    (scoring.conclude on Tallies), the panel on its cards (scoring.panel); both reach
    the same verdict, gates and disagreements included."""
    dimensions, cards = data
    result = panel(dimensions, cards, policy)
    verdict = conclude(dimensions, tallied(dimensions, cards), policy)
    assert verdict == result.verdict
    assert (
        verdict.submitted,
        verdict.weighted_score,
        verdict.coverage,
        verdict.band,
        verdict.recommendation,
        list(verdict.gates),
        verdict.red_flag_count,
    ) == (
        result.submitted,
        result.weighted_score,
        result.coverage,
        result.band,
        result.recommendation,
        result.gates,
        len(result.red_flags),
    )
    # A list reads no overall recommendations: everything else stays the same.
    headline = conclude(dimensions, tallied(dimensions, cards, votes=False), policy)
    assert headline.votes_split is None
    assert {**vars(headline), "votes_split": verdict.votes_split} == vars(verdict)


def order_free(payload):
    """The JSON payload with each dimension's scores sorted: the one order-sensitive part."""
    for dimension in payload["dimensions"]:
        dimension["scores"] = sorted(dimension["scores"])
    return payload


@given(panels(), policies, st.data())
def test_reordering_scorecards_changes_nothing(data, policy, draw):
    dimensions, cards = data
    shuffled = draw.draw(st.permutations(cards))
    original = panel(dimensions, cards, policy)
    reordered = panel(dimensions, shuffled, policy)
    assert reordered.weighted_score == original.weighted_score
    assert [d.mean for d in reordered.dimensions] == [d.mean for d in original.dimensions]
    assert order_free(reordered.to_json(1, "r", 1)) == order_free(original.to_json(1, "r", 1))


@given(panels(), policies)
def test_coverage_lies_between_zero_and_one(data, policy):
    dimensions, cards = data
    result = panel(dimensions, cards, policy)
    assert 0 <= result.coverage <= 1
    if result.coverage < Fraction(policy.min_coverage):
        assert result.recommendation == "insufficient_evidence"


@given(panels(), policies)
def test_recommendation_is_never_better_than_the_band(data, policy):
    dimensions, cards = data
    result = panel(dimensions, cards, policy)
    order = ["strong_hire", "hire", "no_hire", "strong_no_hire"]
    if result.recommendation != "insufficient_evidence":
        assert order.index(result.recommendation) >= order.index(result.band)
        if result.gates:
            assert result.recommendation in ("no_hire", "strong_no_hire") or result.gates == [
                "red_flag_warn"
            ]
        else:
            assert result.recommendation == result.band


@given(panels(), policies)
def test_panel_json_is_plain_json(data, policy):
    dimensions, cards = data
    payload = panel(dimensions, cards, policy).to_json(1, "r", 1)
    assert json.loads(json.dumps(payload)) == payload


# A code of the scoring (no_hire, strong_no, insufficient_evidence, red_flag_veto, ...), or
# a policy's name, where a person reads a sentence.
CODE = re.compile(r"\b\w*_\w*\b|\b(?:veto|warn)\b")


@given(panels(), policies)
def test_what_people_read_speaks_in_words_not_codes(data, policy):
    dimensions, cards = data
    result = panel(dimensions, cards, policy)
    for line in [*result.explanation, *result.disagreements]:
        assert not CODE.search(line), line
    # The codes stay where programs read them.
    payload = result.to_json(1, "r", 1)
    assert payload["recommendation"] == result.recommendation
    assert payload["gates"] == result.gates


@given(st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=4))
def test_fmt_matches_decimal_round_half_up(value):
    expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if expected == 0:
        expected = abs(expected)  # "-0.00" helps no reader
    assert fmt(value) == f"{expected:.2f}"
