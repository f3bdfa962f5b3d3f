"""Hand-computed checks of the panel scoring rules (DESIGN.md, "Scoring rules")."""

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from scorecards.scoring import (
    DimensionInput,
    DimensionTally,
    Policy,
    ScorecardInput,
    Tallies,
    band_for,
    conclude,
    fmt,
    panel,
    scorecard_score,
)

LETTERS = "ABCDEFGH"


def dims(*weights, min_scores=None, names=None):
    """Dimensions with ids 1..n, named A, B, C... unless names are given."""
    names = names or LETTERS
    min_scores = min_scores or {}
    return [
        DimensionInput(id=i, name=names[i - 1], weight=Decimal(str(w)), min_score=min_scores.get(i))
        for i, w in enumerate(weights, start=1)
    ]


def card(card_id, *ratings, status="submitted", recommendation=None, interviewer=None, **kw):
    """A scorecard whose ratings are given in dimension order (ids 1..n); None = not assessed."""
    return ScorecardInput(
        id=card_id,
        interviewer=interviewer or f"Interviewer {card_id}",
        status=status,
        ratings={i: r for i, r in enumerate(ratings, start=1)},
        recommendation=recommendation,
        **kw,
    )


LEAD_AI_ENGINEER = [
    ("Production AI system design", 20),
    ("Software engineering quality", 15),
    ("Evaluation & experimentation", 15),
    ("MLOps & operational excellence", 15),
    ("Modeling competence", 10),
    ("Data engineering collaboration", 10),
    ("Security/privacy/governance mindset", 5),
    ("Leadership & influence", 10),
]


def lead_panel():
    """Three cards; means 3.5, 3, 3.5, 4, 3, 3.5, 3.5, 3.5 -> 345 / 100 = 3.45."""
    dimensions = dims(*(w for _, w in LEAD_AI_ENGINEER), names=[n for n, _ in LEAD_AI_ENGINEER])
    cards = [
        card(1, 3, 3, 4, 4, 3, 3, 3, 4, recommendation="yes", interviewer="Ana"),
        card(2, 4, 3, 3, 4, None, 4, None, 3, recommendation="yes", interviewer="Ben"),
        card(3, None, 3, None, 4, 3, None, 4, None, recommendation="no", interviewer="Cy"),
    ]
    return panel(dimensions, cards)


# scorecard_score


def test_scorecard_score_weights_each_rating_by_its_dimension():
    # (75 * 4 + 25 * 2) / 100
    assert scorecard_score(dims(75, 25), {1: 4, 2: 2}) == Fraction(7, 2)


def test_scorecard_score_leaves_unassessed_dimensions_out_of_the_denominator():
    # (20 * 5 + 30 * 2) / (20 + 30) = 160 / 50
    assert scorecard_score(dims(20, 10, 30), {1: 5, 2: None, 3: 2}) == Fraction(16, 5)


def test_scorecard_score_is_none_when_nothing_is_rated():
    assert scorecard_score(dims(50, 50), {}) is None
    assert scorecard_score(dims(50, 50), {1: None, 2: None}) is None


@pytest.mark.parametrize("bad", [0, 6, -1, True, 3.0, "3"])
def test_scorecard_score_rejects_ratings_outside_one_to_five(bad):
    with pytest.raises(ValueError, match="outside 1-5"):
        scorecard_score(dims(50, 50), {1: bad})


def test_scorecard_score_rejects_ratings_for_unknown_dimensions():
    with pytest.raises(ValueError, match="unknown dimension id 9"):
        scorecard_score(dims(50, 50), {9: 3})


# panel: weights, coverage, drafts


def test_panel_weights_dimension_means_unequally():
    # means 4, 3, 1 -> (60 * 4 + 30 * 3 + 10 * 1) / 100 = 3.40
    result = panel(dims(60, 30, 10), [card(1, 5, 2, 1), card(2, 3, 4, 1)])
    assert result.weighted_score == Fraction(17, 5)
    assert [d.mean for d in result.dimensions] == [4, 3, 1]
    assert [fmt(d.contribution) for d in result.dimensions] == ["2.40", "0.90", "0.10"]
    assert result.coverage == 1
    assert result.band == result.recommendation == "hire"
    assert result.gates == []


def test_dimension_nobody_rated_lowers_coverage_and_has_no_contribution():
    # means 3.5 and 3 over rated weight 80: (175 + 90) / 80 = 3.3125; coverage 80 / 100
    result = panel(dims(50, 30, 20), [card(1, 4, 3, None), card(2, 3, 3)])
    assert result.weighted_score == Fraction(53, 16)
    assert result.coverage == Fraction(4, 5)
    unrated = result.dimensions[2]
    assert (unrated.scores, unrated.mean, unrated.contribution) == ([], None, None)
    assert [fmt(d.contribution) for d in result.dimensions[:2]] == ["2.19", "1.13"]
    assert result.missing_dimensions == ["C"]
    assert result.recommendation == "hire"
    assert result.explanation[:4] == [
        "A: weight 50, ratings 3, 4, mean 3.50, contributes 2.19",
        "B: weight 30, ratings 3, 3, mean 3.00, contributes 1.13",
        "C: weight 20, not assessed",
        "Weighted score 3.31 with coverage 0.80 falls in the Hire band (at least 3.00)",
    ]
    payload = result.to_json(application=1, role="r", revision=1)
    assert payload["dimensions"][2]["mean"] is None
    assert payload["dimensions"][2]["contribution"] is None


def test_single_scorecard_is_insufficient_evidence_by_default():
    result = panel(dims(50, 50), [card(1, 4, 4)])
    assert result.band == "strong_hire"
    assert result.recommendation == "insufficient_evidence"
    assert result.gates == ["insufficient_evidence"]
    assert result.explanation[-1] == (
        "Not enough evidence yet (1 submitted scorecard, at least 2 needed), "
        "so the recommendation is Insufficient evidence"
    )


def test_single_scorecard_suffices_when_the_revision_asks_for_one():
    result = panel(dims(50, 50), [card(1, 4, 4)], Policy(min_scorecards=1))
    assert result.recommendation == "strong_hire"


def test_drafts_never_count():
    cards = [
        card(1, 4, 4, recommendation="yes"),
        card(2, 2, 2, recommendation="yes"),
        card(
            3,
            1,
            1,
            status="draft",
            recommendation="strong_no",
            red_flags=("Fabricated metrics",),
        ),
    ]
    result = panel(dims(50, 50), cards)
    assert result.submitted == 2
    assert [d.scores for d in result.dimensions] == [[4, 2], [4, 2]]
    assert result.weighted_score == 3
    assert result.red_flags == []
    assert result.recommendation == "hire"
    # Span 2 to 4 is a disagreement; the draft's strong_no is not.
    assert result.disagreements == ["A: ratings span 2 to 4", "B: ratings span 2 to 4"]


def test_only_drafts_gives_no_score_and_insufficient_evidence():
    result = panel(dims(50, 50), [card(1, 4, 4, status="draft"), card(2, 4, 4, status="draft")])
    assert result.submitted == 0
    assert result.weighted_score is None
    assert result.band is None
    assert result.coverage == 0
    assert result.recommendation == "insufficient_evidence"
    assert result.explanation[2:] == [
        "No weighted score: no weighted dimension is rated on a submitted scorecard "
        "(coverage 0.00)",
        "Not enough evidence yet (0 submitted scorecards, at least 2 needed; coverage 0.00 "
        "is below the minimum 0.70; no weighted score; not assessed: A, B), "
        "so the recommendation is Insufficient evidence",
    ]
    assert result.to_json(1, "r", 1)["weighted_score"] is None


# red flags

FLAG = ("Fabricated metrics",)
NOTE = ("claimed 99% accuracy without an eval set",)


def flagged_hire_cards():
    # means 3 and 3.5 -> 3.25, band hire
    return [
        card(1, 3, 4, interviewer="Alice", red_flags=FLAG, red_flag_notes=NOTE),
        card(2, 3, 3, interviewer="Bob"),
    ]


def test_red_flag_veto_caps_hire_at_no_hire():
    result = panel(dims(50, 50), flagged_hire_cards())
    assert result.band == "hire"
    assert result.recommendation == "no_hire"
    assert result.gates == ["red_flag_veto"]
    assert result.red_flags == [
        {"text": "Fabricated metrics", "interviewer": "Alice", "note": NOTE[0]}
    ]
    assert result.explanation[-1] == (
        'A red flag was observed ("Fabricated metrics" by Alice, '
        "note: claimed 99% accuracy without an eval set), "
        "so the recommendation is capped at No hire (the score alone gives Hire)"
    )


def test_red_flag_veto_caps_strong_hire_at_no_hire():
    cards = [card(1, 5, 5, red_flags=FLAG), card(2, 4, 4)]
    assert panel(dims(50, 50), cards).recommendation == "no_hire"


def test_red_flag_veto_leaves_strong_no_hire_alone():
    # means 1 and 1.5 -> 1.25
    result = panel(dims(50, 50), [card(1, 1, 2, red_flags=FLAG), card(2, 1, 1)])
    assert result.recommendation == "strong_no_hire"
    assert result.gates == ["red_flag_veto"]
    assert result.explanation[-1] == (
        'A red flag was observed ("Fabricated metrics" by Interviewer 1), which caps the '
        "recommendation at No hire; it stays Strong no hire, which is lower"
    )


def test_red_flag_on_a_no_hire_band_says_the_cap_in_words():
    # means 2 and 2.5 -> 2.25, band no_hire
    result = panel(
        dims(50, 50), [card(1, 2, 3, red_flags=FLAG, interviewer="Alice"), card(2, 2, 2)]
    )
    assert result.recommendation == "no_hire"
    assert result.explanation[-1] == (
        'A red flag was observed ("Fabricated metrics" by Alice), '
        "so the recommendation is capped at No hire"
    )


def test_red_flag_warn_keeps_the_band_and_shows_the_flag():
    result = panel(dims(50, 50), flagged_hire_cards(), Policy(red_flag_policy="warn"))
    assert result.recommendation == "hire"
    assert result.gates == ["red_flag_warn"]
    assert result.explanation[-1] == (
        'A red flag was observed ("Fabricated metrics" by Alice, '
        "note: claimed 99% accuracy without an eval set); the role's red flag policy only "
        "warns, so the recommendation is unchanged"
    )


def test_red_flags_are_listed_by_interviewer_then_text():
    cards = [
        card(1, 3, 3, interviewer="Zoe", red_flags=("Blames others",)),
        card(2, 3, 3, interviewer="Abe", red_flags=("Overclaims", "Dismisses privacy")),
    ]
    result = panel(dims(50, 50), cards)
    assert result.red_flags == [
        {"text": "Dismisses privacy", "interviewer": "Abe", "note": ""},
        {"text": "Overclaims", "interviewer": "Abe", "note": ""},
        {"text": "Blames others", "interviewer": "Zoe", "note": ""},
    ]
    assert result.explanation[-1] == (
        '3 red flags were observed ("Dismisses privacy" by Abe; "Overclaims" by Abe; '
        '"Blames others" by Zoe), so the recommendation is capped at No hire '
        "(the score alone gives Hire)"
    )


# bands and thresholds


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (5, "strong_hire"),
        (4, "strong_hire"),
        (Fraction(399, 100), "hire"),
        (3, "hire"),
        (Fraction(299, 100), "no_hire"),
        (2, "no_hire"),
        (Fraction(199, 100), "strong_no_hire"),
        (2 - Fraction(1, 10**9), "strong_no_hire"),
        (1, "strong_no_hire"),
        (Decimal("3.00"), "hire"),
    ],
)
def test_band_for_puts_a_score_on_a_threshold_in_the_band_above(score, band):
    assert band_for(score) == band


@pytest.mark.parametrize(
    ("rating", "band", "rule"),
    [
        (4, "strong_hire", "Strong hire band (at least 4.00)"),
        (3, "hire", "Hire band (at least 3.00)"),
        (2, "no_hire", "No hire band (at least 2.00)"),
    ],
)
def test_panel_score_exactly_on_a_threshold(rating, band, rule):
    result = panel(dims(100), [card(1, rating), card(2, rating)])
    assert result.recommendation == band
    assert result.explanation[-1] == (
        f"Weighted score {rating}.00 with coverage 1.00 falls in the {rule}"
    )


def test_panel_score_just_below_two_is_strong_no_hire():
    # (99 * 2 + 1 * 1) / 100 = 1.99
    result = panel(dims(99, 1), [card(1, 2, 1), card(2, 2, 1)])
    assert result.weighted_score == Fraction(199, 100)
    assert result.recommendation == "strong_no_hire"
    assert result.explanation[-1] == (
        "Weighted score 1.99 with coverage 1.00 falls in the Strong no hire band (below 2.00)"
    )


def test_explanation_says_when_display_rounding_crosses_a_threshold():
    # (199 * 2 + 1 * 1) / 200 = 1.995, shown as 2.00 yet below 2
    result = panel(dims(199, 1), [card(1, 2, 1), card(2, 2, 1)])
    assert result.recommendation == "strong_no_hire"
    assert result.to_json(1, "r", 1)["weighted_score"] == "2.00"
    assert result.explanation[-1] == (
        "Weighted score 2.00 (rounded up from just below 2.00) with coverage 1.00 "
        "falls in the Strong no hire band (below 2.00)"
    )


def test_revision_thresholds_accept_ints_strings_and_decimals():
    policy = Policy(thresholds={"strong_hire": "4.5", "hire": 3, "no_hire": Decimal("2.5")})
    assert policy.thresholds == {
        "strong_hire": Decimal("4.5"),
        "hire": Decimal(3),
        "no_hire": Decimal("2.5"),
    }
    result = panel(dims(50, 50), [card(1, 4, 5), card(2, 4, 4)], policy)  # 4.25
    assert result.recommendation == "hire"
    assert band_for(Fraction(9, 4), policy.thresholds) == "strong_no_hire"


def test_thresholds_a_revision_leaves_out_keep_their_defaults():
    assert Policy(thresholds={"hire": "3.5"}).thresholds == {
        "strong_hire": Decimal(4),
        "hire": Decimal("3.5"),
        "no_hire": Decimal(2),
    }


@pytest.mark.parametrize(
    "thresholds",
    [{"hire": 5}, {"no_hire": "3.5"}, {"maybe": 3}, {"hire": "three"}, {"hire": True}],
)
def test_thresholds_must_be_known_numbers_in_order(thresholds):
    with pytest.raises(ValueError):
        Policy(thresholds=thresholds)


# coverage gate


def test_coverage_exactly_at_the_minimum_passes():
    result = panel(dims(70, 30), [card(1, 3), card(2, 3)])
    assert result.coverage == Fraction(7, 10)
    assert result.recommendation == "hire"
    assert result.gates == []


def test_coverage_from_decimal_weights_is_exact():
    # 35.5 + 34.5 = 70 of 100; floats would not promise that
    result = panel(dims("35.5", "34.5", 30), [card(1, 3, 3), card(2, 3, 3)])
    assert result.coverage == Fraction(7, 10)
    assert result.recommendation == "hire"


def test_coverage_below_the_minimum_is_insufficient_and_names_the_gaps():
    result = panel(dims(69, 31), [card(1, 3), card(2, 3)])
    assert result.recommendation == "insufficient_evidence"
    assert result.missing_dimensions == ["B"]
    assert result.explanation[-1] == (
        "Not enough evidence yet (coverage 0.69 is below the minimum 0.70; not assessed: B), "
        "so the recommendation is Insufficient evidence"
    )


def test_min_coverage_comes_from_the_revision():
    result = panel(dims(69, 31), [card(1, 3), card(2, 3)], Policy(min_coverage="0.6"))
    assert result.recommendation == "hire"


# minimum score gate


def test_dimension_below_its_minimum_caps_at_no_hire():
    # A: mean 2.5 < 3; (50 * 2.5 + 50 * 5) / 100 = 3.75, band hire
    result = panel(dims(50, 50, min_scores={1: 3}), [card(1, 2, 5), card(2, 3, 5)])
    assert result.band == "hire"
    assert result.recommendation == "no_hire"
    assert [d.below_min for d in result.dimensions] == [True, False]
    assert result.gates == ["below_minimum"]
    assert result.explanation[-1] == (
        "A dimension is below its minimum: A (mean 2.50, minimum 3), "
        "so the recommendation is capped at No hire (the score alone gives Hire)"
    )


def test_two_dimensions_below_their_minimum_are_named_in_one_sentence():
    # A: mean 2 < 3, B: mean 3 < 4; C carries the score to (2 + 3 + 5 * 3) / 5 = 4 (band
    # strong hire); the red flag veto caps first, so the minimum finds No hire already.
    cards = [card(1, 2, 3, 5, red_flags=FLAG, interviewer="Alice"), card(2, 2, 3, 5)]
    result = panel(dims(20, 20, 60, min_scores={1: 3, 2: 4}), cards)
    assert result.band == "strong_hire"
    assert result.explanation[-2:] == [
        'A red flag was observed ("Fabricated metrics" by Alice), '
        "so the recommendation is capped at No hire (the score alone gives Strong hire)",
        "2 dimensions are below their minimum: A (mean 2.00, minimum 3), "
        "B (mean 3.00, minimum 4), so the recommendation is capped at No hire",
    ]


def test_dimension_exactly_at_its_minimum_passes():
    result = panel(dims(50, 50, min_scores={1: 3}), [card(1, 3, 5), card(2, 3, 5)])
    assert result.recommendation == "strong_hire"
    assert result.gates == []


def test_unassessed_dimension_is_not_below_its_minimum():
    result = panel(dims(80, 20, min_scores={2: 4}), [card(1, 4), card(2, 4)])
    assert result.dimensions[1].below_min is False
    assert result.recommendation == "strong_hire"


def test_insufficient_evidence_still_records_the_gates_that_would_fire():
    cards = [card(1, 2, 5, red_flags=FLAG, interviewer="Alice")]
    result = panel(dims(50, 50, min_scores={1: 3}), cards)
    assert result.recommendation == "insufficient_evidence"
    assert result.gates == ["insufficient_evidence", "red_flag_veto", "below_minimum"]
    assert result.explanation[-2:] == [
        'A red flag was observed ("Fabricated metrics" by Alice), '
        "which will cap the recommendation at No hire once there is enough evidence",
        "A dimension is below its minimum: A (mean 2.00, minimum 3), "
        "which will cap the recommendation at No hire once there is enough evidence",
    ]


# disagreement


def test_ratings_two_points_apart_are_a_disagreement():
    result = panel(dims(50, 50), [card(1, 2, 3), card(2, 4, 4), card(3, 3, 3)])
    assert [d.disagreement for d in result.dimensions] == [True, False]
    assert result.disagreements == ["A: ratings span 2 to 4"]


def test_disagreement_changes_nothing():
    agreeing = panel(dims(100), [card(1, 3), card(2, 3)])
    split = panel(
        dims(100),
        [card(1, 1, recommendation="strong_no"), card(2, 5, recommendation="strong_yes")],
    )
    assert split.weighted_score == agreeing.weighted_score == 3
    assert split.recommendation == agreeing.recommendation == "hire"
    assert split.gates == agreeing.gates == []
    assert split.disagreements == [
        "A: ratings span 1 to 5",
        "Recommendations split: 1 Strong no, 1 Strong yes",
    ]


def test_recommendations_on_both_sides_are_a_disagreement():
    cards = [
        card(1, 3, recommendation="yes"),
        card(2, 3, recommendation="no"),
        card(3, 3, recommendation="yes"),
        card(4, 3),
    ]
    assert panel(dims(100), cards).disagreements == ["Recommendations split: 1 No, 2 Yes"]


def test_recommendations_on_one_side_are_not_a_disagreement():
    cards = [card(1, 3, recommendation="yes"), card(2, 3, recommendation="strong_yes")]
    assert panel(dims(100), cards).disagreements == []
    cards = [card(1, 3, recommendation="no"), card(2, 3, recommendation="strong_no")]
    assert panel(dims(100), cards).disagreements == []


# explanation and JSON, one full case


def test_explanation_of_a_full_panel():
    result = lead_panel()
    assert result.explanation == [
        "Production AI system design: weight 20, ratings 3, 4, mean 3.50, contributes 0.70",
        "Software engineering quality: weight 15, ratings 3, 3, 3, mean 3.00, contributes 0.45",
        "Evaluation & experimentation: weight 15, ratings 3, 4, mean 3.50, contributes 0.53",
        "MLOps & operational excellence: weight 15, ratings 4, 4, 4, mean 4.00, contributes 0.60",
        "Modeling competence: weight 10, ratings 3, 3, mean 3.00, contributes 0.30",
        "Data engineering collaboration: weight 10, ratings 3, 4, mean 3.50, contributes 0.35",
        "Security/privacy/governance mindset: weight 5, ratings 3, 4, mean 3.50, contributes 0.18",
        "Leadership & influence: weight 10, ratings 3, 4, mean 3.50, contributes 0.35",
        "Weighted score 3.45 with coverage 1.00 falls in the Hire band (at least 3.00)",
    ]


def test_panel_json_has_the_designed_shape_and_two_decimal_strings():
    payload = lead_panel().to_json(application=1, role="lead-ai-engineer", revision=1)
    expected_dimensions = [
        ("Production AI system design", "20.00", [3, 4], "3.50", "0.70"),
        ("Software engineering quality", "15.00", [3, 3, 3], "3.00", "0.45"),
        ("Evaluation & experimentation", "15.00", [4, 3], "3.50", "0.53"),
        ("MLOps & operational excellence", "15.00", [4, 4, 4], "4.00", "0.60"),
        ("Modeling competence", "10.00", [3, 3], "3.00", "0.30"),
        ("Data engineering collaboration", "10.00", [3, 4], "3.50", "0.35"),
        ("Security/privacy/governance mindset", "5.00", [3, 4], "3.50", "0.18"),
        ("Leadership & influence", "10.00", [4, 3], "3.50", "0.35"),
    ]
    assert payload == {
        "application": 1,
        "role": "lead-ai-engineer",
        "revision": 1,
        "submitted": 3,
        "weighted_score": "3.45",
        "coverage": "1.00",
        "recommendation": "hire",
        "recommendation_text": "Hire",
        "dimensions": [
            {
                "name": name,
                "weight": weight,
                "scores": scores,
                "mean": mean,
                "contribution": contribution,
                "below_min": False,
                "disagreement": False,
            }
            for name, weight, scores, mean, contribution in expected_dimensions
        ],
        "red_flags": [],
        "disagreements": ["Recommendations split: 1 No, 2 Yes"],
        "explanation": lead_panel().explanation,
        "band": "hire",
        "gates": [],
        "missing_dimensions": [],
    }
    assert json.loads(json.dumps(payload)) == payload


def test_panel_json_lists_red_flags_with_text_and_interviewer():
    payload = panel(dims(50, 50), flagged_hire_cards()).to_json(7, "r", 2)
    assert payload["red_flags"] == [
        {"text": "Fabricated metrics", "interviewer": "Alice", "note": NOTE[0]}
    ]
    assert payload["recommendation"] == "no_hire"


# the five built-in roles

BUILT_IN_ROLES = {
    # means 4, 3.5, 3, 3.5, 3, 4.5 -> (80 + 70 + 60 + 52.5 + 45 + 45) / 100 = 3.525
    "senior-ai-consultant": (
        (20, 20, 20, 15, 15, 10),
        [(4, 3, 3, 4, 3, 5), (4, 4, 3, 3, 3, 4)],
        Fraction(141, 40),
        "3.53",
        "1.00",
        "hire",
    ),
    # means 3.5, 4, 2.5, 3.5, 3, 2, 4.5, 4 -> 332.5 / 100 = 3.325
    "senior-ai-engineer": (
        (20, 15, 15, 15, 10, 10, 5, 10),
        [(3, 4, 3, 4, 3, 2, 5, 4), (4, 4, 2, 3, 3, None, 4, 4)],
        Fraction(133, 40),
        "3.33",
        "1.00",
        "hire",
    ),
    # means 3.5, 3, 3.5, 4, 3, 3.5, 3.5, 3.5 -> 345 / 100 = 3.45
    "lead-ai-engineer": (
        (20, 15, 15, 15, 10, 10, 5, 10),
        [
            (3, 3, 4, 4, 3, 3, 3, 4),
            (4, 3, 3, 4, None, 4, None, 3),
            (None, 3, None, 4, 3, None, 4, None),
        ],
        Fraction(69, 20),
        "3.45",
        "1.00",
        "hire",
    ),
    # means sum to 32.5 -> 12.5 * 32.5 / 100 = 4.0625
    "senior-ai-architect": (
        ("12.5",) * 8,
        [(4, 4, 5, 4, 3, 4, 4, 5), (4, 5, 4, 4, 4, 4, 3, 4)],
        Fraction(65, 16),
        "4.06",
        "1.00",
        "strong_hire",
    ),
    # LLM/RAG (10) unrated; means 2, 2.5, 2.5, 2.5, 2, -, 2.5, 2.5 -> 210 / 90
    "senior-applied-ai-engineer": (
        (15, 20, 20, 10, 15, 10, 5, 5),
        [(2, 3, 2, 3, 2, None, 3, 2), (2, 2, 3, 2, 2, None, 2, 3)],
        Fraction(7, 3),
        "2.33",
        "0.90",
        "no_hire",
    ),
}


@pytest.mark.parametrize("role", BUILT_IN_ROLES)
def test_built_in_role_weighted_score(role):
    weights, ratings, score, shown, coverage, recommendation = BUILT_IN_ROLES[role]
    assert sum(Decimal(str(w)) for w in weights) == 100
    cards = [card(i, *r) for i, r in enumerate(ratings, start=1)]
    result = panel(dims(*weights), cards)
    assert result.weighted_score == score
    payload = result.to_json(1, role, 1)
    assert (payload["weighted_score"], payload["coverage"]) == (shown, coverage)
    assert result.recommendation == recommendation


def test_equal_weights_show_without_trailing_zeros():
    weights, ratings, *_ = BUILT_IN_ROLES["senior-ai-architect"]
    result = panel(dims(*weights), [card(i, *r) for i, r in enumerate(ratings, start=1)])
    assert result.explanation[0] == "A: weight 12.5, ratings 4, 4, mean 4.00, contributes 0.50"
    assert result.to_json(1, "r", 1)["dimensions"][0]["weight"] == "12.50"


# fmt


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(7, 2), "3.50"),
        (Fraction(141, 40), "3.53"),  # 3.525 rounds half up
        (Decimal("2.675"), "2.68"),  # a float would give 2.67
        (Fraction(2, 3), "0.67"),
        (Fraction(1, 3), "0.33"),
        (0, "0.00"),
        (5, "5.00"),
        (Decimal("100"), "100.00"),
        ("3.456", "3.46"),
        (0.7, "0.70"),
        (Fraction(-1, 200), "-0.01"),
        (Fraction(-1, 1000), "0.00"),
        (None, ""),
        ("", ""),
    ],
)
def test_fmt_rounds_half_up_to_two_places(value, shown):
    assert fmt(value) == shown


def test_fmt_rejects_what_is_not_a_number():
    with pytest.raises(ValueError):
        fmt("n/a")


# inputs the forms already prevent


def test_duplicate_dimension_ids_are_rejected():
    twins = [DimensionInput(1, "A", Decimal(50)), DimensionInput(1, "B", Decimal(50))]
    with pytest.raises(ValueError, match="unique"):
        panel(twins, [])


def test_panel_rejects_bad_ratings_even_on_drafts():
    with pytest.raises(ValueError, match="scorecard 1"):
        panel(dims(50, 50), [card(1, 6, 3, status="draft")])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": "reopened"},
        {"recommendation": "maybe"},
        {"red_flags": (), "red_flag_notes": ("orphan note",)},
    ],
)
def test_scorecard_input_rejects_unknown_values(kwargs):
    base = {"id": 1, "interviewer": "A", "status": "submitted", "ratings": {}}
    with pytest.raises(ValueError):
        ScorecardInput(**{**base, **kwargs})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"red_flag_policy": "ignore"},
        {"min_coverage": "1.5"},
        {"min_coverage": -1},
        {"min_scorecards": -1},
        {"min_scorecards": 0},
        {"min_scorecards": 51},
        {"min_scorecards": "2"},
        {"thresholds": {"strong_hire": 6}},
        {"thresholds": {"no_hire": "0.5"}},
        {"thresholds": ["4", "3", "2"]},
    ],
)
def test_policy_rejects_unknown_values(kwargs):
    with pytest.raises(ValueError):
        Policy(**kwargs)


@pytest.mark.parametrize("kwargs", [{"weight": -1}, {"weight": "x"}, {"min_score": 6}])
def test_dimension_input_rejects_bad_values(kwargs):
    with pytest.raises(ValueError):
        DimensionInput(**{"id": 1, "name": "A", "weight": Decimal(10), **kwargs})


def test_inputs_convert_lists_and_plain_numbers():
    dimension = DimensionInput(1, "A", 20)  # type: ignore[arg-type]
    assert dimension.weight == Decimal(20)
    scorecard = ScorecardInput(1, "A", "submitted", {1: 3}, red_flags=["x"])  # type: ignore[arg-type]
    assert scorecard.red_flags == ("x",)
    assert Policy(min_coverage=0.7).min_coverage == Decimal("0.7")  # type: ignore[arg-type]


# conclude: the rules on aggregates (what the pipeline hands it from the database)


def test_conclude_decides_on_sums_as_by_hand():
    # A: 3 ratings summing to 11 (mean 11/3), B: 2 summing to 5 (mean 5/2), C unrated.
    tallies = Tallies(
        submitted=3,
        dimensions={1: DimensionTally(3, 11, 3, 4), 2: DimensionTally(2, 5, 1, 4)},
        red_flags=1,
    )
    verdict = conclude(dims(50, 25, 25, min_scores={2: 3}), tallies, Policy())
    # (50 * 11/3 + 25 * 5/2) / 75 = (1100/6 + 375/6) / 75 = 59/18; coverage 75/100.
    assert verdict.weighted_score == Fraction(59, 18)
    assert verdict.coverage == Fraction(3, 4)
    assert (verdict.band, verdict.recommendation) == ("hire", "no_hire")
    assert verdict.gates == ("red_flag_veto", "below_minimum")
    assert (verdict.below, verdict.disagreeing, verdict.votes_split) == ((1,), (1,), None)


def test_conclude_with_nothing_rated_is_insufficient_evidence():
    verdict = conclude(dims(50, 50), Tallies(submitted=2, dimensions={}), Policy())
    assert (verdict.weighted_score, verdict.coverage, verdict.band) == (None, 0, None)
    assert verdict.recommendation == "insufficient_evidence"


def test_conclude_refuses_sums_for_an_unknown_dimension():
    with pytest.raises(ValueError, match="unknown dimension id 9"):
        conclude(dims(50, 50), Tallies(submitted=1, dimensions={9: DimensionTally(1, 3, 3, 3)}))
