"""`hiring:panel_json` against numbers worked out by hand.

Two checks: literal numbers computed on paper for a handful of applications built here,
and an independent re-computation of DESIGN.md's rules straight from the database
(`by_hand`, which shares no code with scorecards/scoring.py) run over every application,
including the demo data (`manage.py demo`).
"""

import io
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.urls import reverse

from hiring.models import Application
from roles.models import RoleRevision, Signal
from scorecards.models import Rating, Scorecard, SignalCheck
from tests import factories

pytestmark = pytest.mark.django_db


def two_places(value: Fraction | None) -> str | None:
    if value is None:
        return None
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def name(user) -> str:
    return user.get_full_name() or user.username


def by_hand(application: Application) -> dict:
    """DESIGN.md's scoring rules, written out plainly from the stored rows."""
    revision = application.revision
    dimensions = list(revision.dimensions.order_by("order", "id"))
    cards = Scorecard.objects.filter(
        interview__application=application, status=Scorecard.Status.SUBMITTED
    )
    scores = {d.pk: [] for d in dimensions}
    for rating in Rating.objects.filter(scorecard__in=cards, score__isnull=False):
        scores[rating.dimension_id].append(rating.score)

    total_weight = sum(Fraction(d.weight) for d in dimensions)
    rated = [d for d in dimensions if scores[d.pk]]
    rated_weight = sum(Fraction(d.weight) for d in rated)
    mean = {d.pk: Fraction(sum(scores[d.pk]), len(scores[d.pk])) for d in rated}
    weighted = (
        sum(Fraction(d.weight) * mean[d.pk] for d in rated) / rated_weight if rated_weight else None
    )
    coverage = rated_weight / total_weight if total_weight else Fraction(0)

    limits = {"strong_hire": 4, "hire": 3, "no_hire": 2} | dict(revision.thresholds or {})
    band = None
    if weighted is not None:
        band = "strong_no_hire"
        for candidate_band in ("no_hire", "hire", "strong_hire"):
            if weighted >= Fraction(Decimal(str(limits[candidate_band]))):
                band = candidate_band
    red_flags = [
        {"text": c.signal.text, "interviewer": name(c.scorecard.interview.interviewer)}
        for c in SignalCheck.objects.filter(
            scorecard__in=cards, signal__kind=Signal.Kind.RED_FLAG
        ).select_related("signal", "scorecard__interview__interviewer")
    ]
    recommendation = band
    capped = (red_flags and revision.red_flag_policy == "veto") or any(
        d.min_score is not None and d.pk in mean and mean[d.pk] < d.min_score for d in dimensions
    )
    if capped and recommendation in ("strong_hire", "hire"):
        recommendation = "no_hire"
    if (
        cards.count() < revision.min_scorecards
        or coverage < Fraction(revision.min_coverage)
        or weighted is None
    ):
        recommendation = "insufficient_evidence"
    return {
        "application": application.pk,
        "role": revision.role.slug,
        "revision": revision.number,
        "submitted": cards.count(),
        "weighted_score": two_places(weighted),
        "coverage": two_places(coverage),
        "recommendation": recommendation,
        "dimensions": [
            {
                "name": d.name,
                "weight": two_places(Fraction(d.weight)),
                "scores": sorted(scores[d.pk]),
                "mean": two_places(mean.get(d.pk)),
                "contribution": two_places(
                    Fraction(d.weight) * mean[d.pk] / rated_weight if d.pk in mean else None
                ),
            }
            for d in dimensions
        ],
        "red_flags": sorted(red_flags, key=lambda f: (f["interviewer"], f["text"])),
        "disagreements": [d.name for d in rated if max(scores[d.pk]) - min(scores[d.pk]) >= 2],
    }


def served(client, application) -> dict:
    """The JSON the app serves, reduced to the keys `by_hand` computes."""
    response = client.get(reverse("hiring:panel_json", args=[application.pk]))
    assert response.status_code == 200, response.content
    data = response.json()
    return {
        **{key: data[key] for key in ("application", "role", "revision", "submitted")},
        **{key: data[key] for key in ("weighted_score", "coverage", "recommendation")},
        "dimensions": [
            {
                "name": d["name"],
                "weight": d["weight"],
                "scores": sorted(d["scores"]),
                "mean": d["mean"],
                "contribution": d["contribution"],
            }
            for d in data["dimensions"]
        ],
        "red_flags": sorted(
            ({"text": f["text"], "interviewer": f["interviewer"]} for f in data["red_flags"]),
            key=lambda f: (f["interviewer"], f["text"]),
        ),
        "disagreements": [
            line.split(": ratings span")[0]
            for line in data["disagreements"]
            if ": ratings span" in line
        ],
    }


def application_with_cards(weights, cards, *, min_scores=None, drafts=(), **revision_fields):
    """cards: (recommendation, [score per dimension], [red flag texts]) per submitted card."""
    revision, dims = factories.revision_with_dimensions(
        weights, min_scores=min_scores, **revision_fields
    )
    application = factories.ApplicationFactory(revision=revision)
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=dims)
    for status, specs in ((Scorecard.Status.SUBMITTED, cards), (Scorecard.Status.DRAFT, drafts)):
        for recommendation, scores, flags in specs:
            interview = factories.InterviewFactory(application=application, stage=stage)
            signals = [
                factories.SignalFactory(revision=revision, kind=Signal.Kind.RED_FLAG, text=text)
                for text in flags
            ]
            factories.scorecard_with_ratings(
                interview,
                dict(zip(dims, scores, strict=True)),
                status=status,
                recommendation=recommendation,
                signals=signals,
            )
    return application


@pytest.fixture
def applications():
    return {
        # Means 4, 2.5, 4; weighted (160 + 75 + 120) / 100 = 3.55; the draft's 1s ignored.
        "hire": application_with_cards(
            [40, 30, 30],
            [("yes", [4, 3, None], []), ("no", [3, 2, 4], []), ("strong_yes", [5, None, 4], [])],
            drafts=[("strong_no", [1, 1, 1], ["Draft flag"])],
        ),
        # Means 5 and 4; weighted 4.5 strong hire, but a red flag vetoes it to no hire.
        "veto": application_with_cards(
            [50, 50], [("strong_yes", [5, 4], []), ("yes", [5, 4], ["Blames others"])]
        ),
        # Only one card (two needed); coverage 60 / 100 = 0.60.
        "one_card": application_with_cards([60, 40], [("yes", [3, None], [])]),
        # Means 4.5 and 2; weighted (315 + 60) / 100 = 3.75 hire; 2 < minimum 3 caps it.
        "below_minimum": application_with_cards(
            [70, 30], [("yes", [5, 2], []), ("yes", [4, 2], [])], min_scores={1: 3}
        ),
        # Means 3.5, 3, 3.5; weighted (87.5 + 75 + 175) / 100 = 3.375, shown 3.38;
        # policy warn: the red flag changes nothing.
        "warn": application_with_cards(
            [25, 25, 50],
            [("yes", [3, 3, 3], []), ("no", [4, 3, 4], ["Rude to the interviewer"])],
            red_flag_policy=RoleRevision.RedFlagPolicy.WARN,
        ),
        # Coverage 40 / 100 = 0.40 below 0.70, though two cards: insufficient evidence.
        "low_coverage": application_with_cards(
            [40, 30, 30], [("yes", [4, None, None], []), ("yes", [2, None, None], [])]
        ),
        # Means 1.5 and 2; weighted (75 + 100) / 100 = 1.75 below 2: strong no hire.
        "strong_no": application_with_cards(
            [50, 50], [("strong_no", [1, 2], []), ("no", [2, 2], [])]
        ),
    }


HAND_COMPUTED = {
    "hire": (3, "3.55", "1.00", "hire", [("4.00", "1.60"), ("2.50", "0.75"), ("4.00", "1.20")]),
    "veto": (2, "4.50", "1.00", "no_hire", [("5.00", "2.50"), ("4.00", "2.00")]),
    "one_card": (1, "3.00", "0.60", "insufficient_evidence", [("3.00", "3.00"), (None, None)]),
    "below_minimum": (2, "3.75", "1.00", "no_hire", [("4.50", "3.15"), ("2.00", "0.60")]),
    "warn": (
        2,
        "3.38",
        "1.00",
        "hire",
        [("3.50", "0.88"), ("3.00", "0.75"), ("3.50", "1.75")],
    ),
    "low_coverage": (
        2,
        "3.00",
        "0.40",
        "insufficient_evidence",
        [("3.00", "3.00"), (None, None), (None, None)],
    ),
    "strong_no": (2, "1.75", "1.00", "strong_no_hire", [("1.50", "0.75"), ("2.00", "1.00")]),
}


@pytest.mark.parametrize("name", sorted(HAND_COMPUTED))
def test_panel_json_matches_numbers_computed_on_paper(recruiter_client, applications, name):
    application = applications[name]
    data = recruiter_client.get(reverse("hiring:panel_json", args=[application.pk])).json()
    submitted, score, coverage, recommendation, dimensions = HAND_COMPUTED[name]
    assert data["application"] == application.pk
    assert data["role"] == application.revision.role.slug
    assert data["revision"] == application.revision.number
    assert (data["submitted"], data["weighted_score"], data["coverage"]) == (
        submitted,
        score,
        coverage,
    )
    assert data["recommendation"] == recommendation
    assert [(d["mean"], d["contribution"]) for d in data["dimensions"]] == dimensions
    assert all(d["weight"].endswith(".00") for d in data["dimensions"])


def test_panel_json_details_of_the_hand_computed_cases(recruiter_client, applications):
    def get(name):
        url = reverse("hiring:panel_json", args=[applications[name].pk])
        return recruiter_client.get(url).json()

    hire = get("hire")
    assert [sorted(d["scores"]) for d in hire["dimensions"]] == [[3, 4, 5], [2, 3], [4, 4]]
    assert hire["red_flags"] == []  # the draft's red flag does not count
    assert hire["disagreements"][0].endswith(": ratings span 3 to 5")
    assert hire["disagreements"][1] == "Recommendations split: 1 No, 1 Yes, 1 Strong yes"
    veto = get("veto")
    assert [f["text"] for f in veto["red_flags"]] == ["Blames others"]
    assert veto["band"] == "strong_hire" and veto["gates"] == ["red_flag_veto"]
    assert get("one_card")["missing_dimensions"] == [
        applications["one_card"].revision.dimensions.order_by("order")[1].name
    ]
    assert get("below_minimum")["dimensions"][1]["below_min"] is True
    warn = get("warn")
    assert warn["gates"] == ["red_flag_warn"] and warn["recommendation"] == "hire"
    assert get("low_coverage")["gates"] == ["insufficient_evidence"]


def test_panel_json_matches_the_rules_recomputed_for_every_application(
    recruiter_client, applications
):
    assert Application.objects.count() == len(applications)
    for application in Application.objects.select_related("revision__role"):
        assert served(recruiter_client, application) == by_hand(application), application


def test_panel_json_matches_the_rules_for_the_demo_data(client):
    call_command("demo", no_serve=True, stdout=io.StringIO())
    applications = list(Application.objects.select_related("revision__role"))
    if not applications:
        pytest.skip("the demo data has no applications yet")
    client.force_login(factories.RecruiterFactory())
    for application in applications:
        assert served(client, application) == by_hand(application), application
