"""Does the interview predict the job? A role's hired people: their interview scores (the
weighted score, each dimension's panel mean) against their latest performance review.

Only applications whose results the viewer may see count (the blindness rule,
hiring.models.ApplicationQuerySet; for a hiring manager, those they manage), and only
submitted cards. The weighted score is the pipeline's stored headline (the panel's own
rules); the arithmetic is scorecards.reliability.pearson.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from django.db.models import OuterRef, Subquery
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hiring.models import Application, PerformanceReview
from hiring_site.access import HIRING_MANAGER, RECRUITER, group_required
from roles.models import Role
from scorecards import reliability, scoring
from scorecards.calibration import chosen_role, json_role
from scorecards.pipeline import ApplicationRow, dimension_means, load_summaries

WEIGHTED = "Weighted score"
RESTRICTION_OF_RANGE = (
    "Only hired people have performance reviews, so the interview's low scorers are "
    "missing (restriction of range): r understates how well the interview predicts."
)
TOO_FEW = "Too few reviews to conclude"
WHAT = "role with hires here"  # what ?role= names, for its 400


@dataclass
class Dot:
    x: float
    y: float
    r: float
    count: int
    score: str
    rating: int


@dataclass
class Scatter:
    """Geometry of a scatter plot of interview score (x, 1-5) against the latest review
    (y, 1-5); people at the same point share one dot, larger with their number. Numbers
    only: the markup is templates/scorecards/_validity_scatter.html."""

    dots: list[Dot]
    ticks: list[tuple[int, float, float]]  # (level, x, y)

    WIDTH = 260
    HEIGHT = 232
    LEFT = 36
    BOTTOM = 190
    TOP = 26
    RIGHT = 246
    AXIS_LABEL_Y = 226
    TITLE_Y = 12

    @classmethod
    def x_of(cls, value) -> float:
        return round(cls.LEFT + (float(value) - 1) * (cls.RIGHT - cls.LEFT) / 4, 1)

    @classmethod
    def y_of(cls, value) -> float:
        return round(cls.BOTTOM - (float(value) - 1) * (cls.BOTTOM - cls.TOP) / 4, 1)

    @classmethod
    def build(cls, points: list[tuple[Fraction, int]]) -> Scatter:
        together = Counter((scoring.fmt(x), x, y) for x, y in points)
        dots = [
            Dot(
                x=cls.x_of(x),
                y=cls.y_of(y),
                r=round(4 + 2 * (count - 1) ** 0.5, 1),
                count=count,
                score=label,
                rating=y,
            )
            for (label, x, y), count in sorted(together.items(), key=lambda item: item[0][1:])
        ]
        ticks = [(level, cls.x_of(level), cls.y_of(level)) for level in range(1, 6)]
        return cls(dots, ticks)


@dataclass
class Measure:
    name: str
    correlation: reliability.Correlation
    points: list[tuple[Fraction, int]] = field(repr=False)

    @cached_property
    def scatter(self) -> Scatter:
        return Scatter.build(self.points)


def _hired(user):
    """The hired applications whose results `user` may see; a hiring manager's own."""
    return (
        Application.objects.results_visible_to(user)
        .filter(status=Application.Status.HIRED)
        .panels_readable_by(user)
    )


def measures(user, role) -> tuple[list[Measure], int]:
    """Each measure's correlation with the latest review, and how many hired people
    with a review count. Three queries (six when headlines are out of date)."""
    newest = PerformanceReview.objects.filter(application=OuterRef("pk")).order_by(
        "-reviewed_on", "-id"
    )
    latest = dict(
        _hired(user)
        .filter(revision__role=role)
        .annotate(rating=Subquery(newest.values("rating")[:1]))
        .filter(rating__isnull=False)
        .values_list("pk", "rating")
    )
    if not latest:
        return [], 0
    rows = ApplicationRow.from_queryset(Application.objects.filter(pk__in=list(latest)))
    weighted = [
        (summary.weighted_score, latest[summary.application.pk])
        for summary in load_summaries(rows)
        if summary.weighted_score is not None
    ]
    result = [Measure(WEIGHTED, reliability.pearson(weighted), weighted)]
    names, means = dimension_means(list(latest))
    for name in names:
        points = [(means[pk, name], rating) for pk, rating in latest.items() if (pk, name) in means]
        result.append(Measure(name, reliability.pearson(points), points))
    return result, len(latest)


def _roles(user):
    """Roles with a hired person whose results the user may see, to choose from."""
    return list(
        Role.objects.filter(pk__in=_hired(user).values("revision__role"))
        .order_by("title", "pk")
        .only("slug", "title")
    )


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def validity(request):
    roles = _roles(request.user)
    role = chosen_role(request, roles, default="", what=WHAT)
    found, people = measures(request.user, role) if role else ([], 0)
    context = {
        "roles": roles,
        "role": role,
        "measures": found,
        "people": people,
        "restriction_of_range": RESTRICTION_OF_RANGE,
        "too_few": TOO_FEW,
        "few_outcomes": reliability.FEW_OUTCOMES,
    }
    return render(request, "scorecards/validity.html", context)


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def validity_json(request):
    role, error = json_role(request, _roles(request.user), what=WHAT)
    if error:
        return error
    found, people = measures(request.user, role)

    def number(value):
        return None if value is None else round(value, 6)

    return JsonResponse(
        {
            "role": role.slug,
            "title": role.title,
            "hired_with_review": people,
            "note": RESTRICTION_OF_RANGE,
            "measures": [
                {
                    "measure": measure.name,
                    "r": number(measure.correlation.r),
                    "n": measure.correlation.n,
                    "ci95_low": number(measure.correlation.low),
                    "ci95_high": number(measure.correlation.high),
                    "too_few": measure.correlation.too_few,
                    "reason": measure.correlation.reason,
                }
                for measure in found
            ],
        }
    )
