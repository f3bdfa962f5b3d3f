"""Calibration: how each interviewer rates and recommends, and how spread each dimension is.

For recruiters over every submitted scorecard; for a hiring manager over the submitted
scorecards on the applications they manage (the same scope as the panels they may see);
for either, none of an application whose results are hidden from them (a card of their
own there is not submitted: hiring.models.ApplicationQuerySet).
Aggregated in SQL, four queries whatever the number of cards. Dimensions are grouped
per role by name, across the role's revisions: the same name in two roles may be judged
against different anchors, so mixing them would blur the spread.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.core.exceptions import BadRequest
from django.db.models import Count, F, Max, Min, OuterRef, Q, StdDev, Subquery, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hiring.models import ApplicationQuerySet, Decision
from hiring_site.access import HIRING_MANAGER, RECRUITER, group_required, is_recruiter
from hiring_site.formatting import person_name
from hiring_site.params import choice_param
from roles.models import Role
from scorecards import reliability, scoring
from scorecards.chart import DotPlot
from scorecards.models import Rating, Scorecard

RECOMMENDATIONS = Scorecard.Recommendation
POSITIVE = sorted(scoring.POSITIVE_RECOMMENDATIONS)
NEGATIVE = sorted(scoring.NEGATIVE_RECOMMENDATIONS)
INTERVIEWER = "interview__interviewer"


@dataclass
class InterviewerRow:
    name: str
    cards: int
    ratings: int
    rating_total: int
    recommendations: list[tuple[str, int]]  # (label, count) in scale order
    decided: int
    agreed: int
    overall_mean: Fraction | None
    # The spread of their own ratings, and every rating on the panels they sat on
    # (the applications where they submitted a card here, their own ratings included).
    low: int | None = None
    high: int | None = None
    std_dev: float | None = None
    panels: int = 0
    panels_ratings: int = 0
    panels_total: int = 0

    @property
    def mean(self) -> Fraction | None:
        return Fraction(self.rating_total, self.ratings) if self.ratings else None

    @property
    def panels_mean(self) -> Fraction | None:
        if not self.panels_ratings:
            return None
        return Fraction(self.panels_total, self.panels_ratings)

    @property
    def mean_display(self) -> str:
        return scoring.fmt(self.mean)

    @property
    def difference_display(self) -> str:
        """Above or below everyone's mean: a first hint of a lenient or a harsh rater."""
        if self.mean is None or self.overall_mean is None:
            return ""
        difference = self.mean - self.overall_mean
        return ("+" if difference > 0 else "") + scoring.fmt(difference)

    @property
    def agreement_percent(self) -> int | None:
        if not self.decided:
            return None
        return int(Fraction(self.agreed * 100, self.decided) + Fraction(1, 2))


@dataclass
class DimensionRow:
    role: str
    name: str
    count: int
    total: int
    low: int
    high: int
    std_dev: float | None

    @property
    def mean_display(self) -> str:
        return scoring.fmt(Fraction(self.total, self.count))

    @property
    def std_dev_display(self) -> str:
        return "" if self.std_dev is None else scoring.fmt(str(round(self.std_dev, 6)))


def scope_of(user) -> Q:
    """Which submitted scorecards `user` may aggregate, as a filter on Scorecard: those
    of the applications whose results they may see (the blindness rule, so none where a
    card of their own is awaited) and whose panel they may open (panels_readable_q: a
    recruiter every one, a hiring manager their own, an interviewer none).
    The page, its JSON and the API's calibration figures (api.views) read this scope."""
    to_application = "interview__application__"
    visible = ApplicationQuerySet.results_visible_q(user, to_application)
    return visible & ApplicationQuerySet.panels_readable_q(user, to_application)


def interviewer_rows(scope: Q) -> list[InterviewerRow]:
    cards = Scorecard.objects.submitted().filter(scope)
    newest_outcome = Subquery(
        Decision.objects.filter(application=OuterRef("interview__application"))
        .order_by("-decided_at", "-id")
        .values("outcome")[:1]
    )
    by_interviewer = (
        cards.alias(final=newest_outcome)
        .values(
            INTERVIEWER,
            f"{INTERVIEWER}__username",
            f"{INTERVIEWER}__first_name",
            f"{INTERVIEWER}__last_name",
        )
        .annotate(
            cards=Count("pk"),
            **{
                f"rec_{value}": Count("pk", filter=Q(recommendation=value))
                for value in RECOMMENDATIONS.values
            },
            # Hold is neither a yes nor a no, so only hire and no hire count as decided.
            decided=Count(
                "pk",
                filter=Q(final__in=[Decision.Outcome.HIRE, Decision.Outcome.NO_HIRE])
                & Q(recommendation__in=POSITIVE + NEGATIVE),
            ),
            agreed=Count(
                "pk",
                filter=Q(final=Decision.Outcome.HIRE, recommendation__in=POSITIVE)
                | Q(final=Decision.Outcome.NO_HIRE, recommendation__in=NEGATIVE),
            ),
        )
        .order_by()
    )
    # Ratings in their own query: joining them above would multiply the card counts.
    rated = Rating.objects.filter(scorecard__in=cards.values("pk"), score__isnull=False)
    ratings = {
        row["interviewer"]: row
        for row in rated.values(interviewer=F(f"scorecard__{INTERVIEWER}"))
        .annotate(
            n=Count("pk"),
            total=Sum("score"),
            low=Min("score"),
            high=Max("score"),
            std=StdDev("score"),
        )
        .order_by()
    }
    panels = _panels_sat_on(rated)
    rating_count = sum(row["n"] for row in ratings.values())
    overall = (
        Fraction(sum(row["total"] for row in ratings.values()), rating_count)
        if rating_count
        else None
    )
    rows = []
    for row in by_interviewer:
        first, last = row[f"{INTERVIEWER}__first_name"], row[f"{INTERVIEWER}__last_name"]
        name = f"{first} {last}".strip() or row[f"{INTERVIEWER}__username"]
        rated = ratings.get(row[INTERVIEWER], {"n": 0, "total": 0})
        sat_on = panels.get(row[INTERVIEWER], (0, 0, 0))
        rows.append(
            InterviewerRow(
                name=name,
                cards=row["cards"],
                ratings=rated["n"],
                rating_total=rated["total"] or 0,
                recommendations=[
                    (label, row[f"rec_{value}"]) for value, label in RECOMMENDATIONS.choices
                ],
                decided=row["decided"],
                agreed=row["agreed"],
                overall_mean=overall,
                low=rated.get("low"),
                high=rated.get("high"),
                std_dev=rated.get("std"),
                panels=sat_on[0],
                panels_ratings=sat_on[1],
                panels_total=sat_on[2],
            )
        )
    rows.sort(key=lambda r: r.name.casefold())
    return rows


def _panels_sat_on(rated) -> dict[int, tuple[int, int, int]]:
    """Per interviewer, the panels they sat on among `rated`'s (the ratings in scope):
    (how many, their ratings' count, their ratings' sum), everyone's ratings on them
    counted. One query, a row per interviewer and application."""
    by_pair = (
        rated.values_list("scorecard__interview__application", f"scorecard__{INTERVIEWER}")
        .annotate(n=Count("pk"), total=Sum("score"))
        .order_by()
    )
    per_panel: dict[int, list[int]] = {}
    sat_on: dict[int, set[int]] = {}
    for application, interviewer, n, total in by_pair:
        panel = per_panel.setdefault(application, [0, 0])
        panel[0] += n
        panel[1] += total
        sat_on.setdefault(interviewer, set()).add(application)
    return {
        interviewer: (
            len(applications),
            sum(per_panel[a][0] for a in applications),
            sum(per_panel[a][1] for a in applications),
        )
        for interviewer, applications in sat_on.items()
    }


def dimension_rows(scope: Q) -> list[DimensionRow]:
    ratings = (
        Rating.objects.filter(
            scorecard__in=Scorecard.objects.submitted().filter(scope).values("pk"),
            score__isnull=False,
        )
        .values("dimension__revision__role__title", "dimension__name")
        .annotate(
            count=Count("pk"),
            total=Sum("score"),
            low=Min("score"),
            high=Max("score"),
            # Population standard deviation: the spread of the ratings actually given.
            std_dev=StdDev("score"),
        )
        .order_by("dimension__revision__role__title", "dimension__name")
    )
    return [
        DimensionRow(
            role=row["dimension__revision__role__title"],
            name=row["dimension__name"],
            count=row["count"],
            total=row["total"],
            low=row["low"],
            high=row["high"],
            std_dev=row["std_dev"],
        )
        for row in ratings
    ]


@dataclass
class DimensionAgreement:
    revision: int
    name: str
    alpha: reliability.Alpha


@dataclass
class InterviewerLeniency:
    name: str
    leniency: reliability.Leniency

    @property
    def display(self) -> str:
        mean = self.leniency.mean
        return ("+" if mean > 0 else "") + scoring.fmt(mean)


@dataclass
class Agreement:
    """How far the interviewers of one role agree: alpha per revision and dimension,
    one alpha over every dimension of the role, and each interviewer's leniency."""

    role: Role
    dimensions: list[DimensionAgreement]
    overall: reliability.Alpha
    interviewers: list[InterviewerLeniency]


def agreement_roles(scope: Q):
    """The roles with submitted cards in scope, to choose one from."""
    rated = (
        Scorecard.objects.submitted().filter(scope).values("interview__application__revision__role")
    )
    return Role.objects.filter(pk__in=rated).order_by("title", "pk").only("slug", "title")


def agreement(scope: Q, role: Role) -> Agreement:
    """Two queries whatever the number of cards: the role's ratings in scope, then the
    names of their interviewers. A unit is one candidate (application) on one dimension."""
    ratings = list(
        Rating.objects.filter(
            scorecard__in=Scorecard.objects.submitted()
            .filter(scope, interview__application__revision__role=role)
            .values("pk"),
            score__isnull=False,
        )
        .values_list(
            f"scorecard__{INTERVIEWER}",
            "scorecard__interview__application",
            "dimension",
            "dimension__revision__number",
            "dimension__order",
            "dimension__name",
            "score",
        )
        .order_by()
    )
    units: dict[tuple[int, int], list[int]] = {}
    dimensions: dict[int, tuple[int, int, str]] = {}
    for _, application, dimension, revision, order, name, score in ratings:
        units.setdefault((dimension, application), []).append(score)
        dimensions[dimension] = (revision, order, name)
    per_dimension: dict[int, list[reliability.Unit]] = {}
    for (dimension, _), scores in units.items():
        per_dimension.setdefault(dimension, []).append(reliability.Unit.of(scores))
    rows = [
        DimensionAgreement(revision, name, reliability.interval_alpha(per_dimension[dimension]))
        for dimension, (revision, order, name) in sorted(
            dimensions.items(), key=lambda item: (-item[1][0], item[1][1], item[0])
        )
    ]
    overall = reliability.interval_alpha(reliability.Unit.of(scores) for scores in units.values())
    lenient = reliability.leniency(
        (interviewer, (dimension, application), score)
        for interviewer, application, dimension, *_, score in ratings
    )
    people = (
        get_user_model()
        .objects.filter(pk__in=lenient)
        .values_list("pk", "first_name", "last_name", "username")
    )
    interviewers = [
        InterviewerLeniency(person_name(first, last, username), lenient[pk])
        for pk, first, last, username in people
    ]
    interviewers.sort(key=lambda row: row.name.casefold())
    return Agreement(role, rows, overall, interviewers)


def chosen_role(request, roles, *, default, what="role with scorecards here"):
    """The one of `roles` that ?role= names (a slug), None for `default` "" left out;
    any other value answers 400 (hiring_site.params.choice_param)."""
    slugs = [role.slug for role in roles]
    chosen = choice_param(request, "role", slugs, default=default, what=what)
    return next((role for role in roles if role.slug == chosen), None)


def json_role(request, roles, *, what="role with scorecards here"):
    """(the role ?role= names, None) for a JSON view, or (None, the error as JSON): 400
    without a role, 404 for one outside `roles` (not a role, or none the user may see)."""
    if not request.GET.get("role"):
        return None, JsonResponse({"error": "Say which role: ?role=SLUG."}, status=400)
    try:
        return chosen_role(request, roles, default=None, what=what), None
    except BadRequest as exc:
        return None, JsonResponse({"error": str(exc)}, status=404)


def _alpha_json(alpha: reliability.Alpha) -> dict:
    return {
        "alpha": None if alpha.value is None else round(float(alpha.value), 6),
        "applications": alpha.units,
        "ratings": alpha.ratings,
        "acceptable": alpha.acceptable,
        "reason": alpha.reason,
    }


def agreement_json(figures: Agreement, role: Role) -> dict:
    """The agreement figures of `role` as JSON: calibration_json's body and the API's."""
    return {
        "role": role.slug,
        "title": role.title,
        "overall": _alpha_json(figures.overall),
        "dimensions": [
            {"revision": row.revision, "dimension": row.name, **_alpha_json(row.alpha)}
            for row in figures.dimensions
        ],
        "interviewers": [
            {
                "interviewer": row.name,
                "leniency": round(float(row.leniency.mean), 6),
                "n": row.leniency.n,
            }
            for row in figures.interviewers
        ],
    }


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def calibration_json(request):
    """The agreement figures of one role (?role=SLUG, required) as JSON, in the page's
    scope: alpha per revision and dimension and over the role, and leniency per
    interviewer with the number of ratings compared."""
    scope = scope_of(request.user)
    roles = list(agreement_roles(scope))
    role, error = json_role(request, roles)
    if error:
        return error
    return JsonResponse(agreement_json(agreement(scope, role), role))


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def calibration(request):
    scope = scope_of(request.user)
    roles = list(agreement_roles(scope))
    role = chosen_role(request, roles, default="")
    interviewers = interviewer_rows(scope)
    context = {
        "interviewers": interviewers,
        "plot": DotPlot.build([row for row in interviewers if row.ratings]),
        "dimensions": dimension_rows(scope),
        "recommendation_labels": RECOMMENDATIONS.labels,
        "sees_all": is_recruiter(request.user),
        "roles": roles,
        "agreement": agreement(scope, role) if role else None,
        "acceptable_alpha_display": f"{float(reliability.ACCEPTABLE_ALPHA):.3f}",
    }
    return render(request, "scorecards/calibration.html", context)
