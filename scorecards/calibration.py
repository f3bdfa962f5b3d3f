"""Calibration: how each interviewer rates and recommends, and how spread each dimension is.

For recruiters over every submitted scorecard; for a hiring manager over the submitted
scorecards on the applications they manage (the same scope as the panels they may see);
for either, none of an application whose results are hidden from them (a card of their
own there is not submitted: hiring.models.ApplicationQuerySet).
Aggregated in SQL, three queries whatever the number of cards. Dimensions are grouped
per role by name, across the role's revisions: the same name in two roles may be judged
against different anchors, so mixing them would blur the spread.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, Max, Min, OuterRef, Q, StdDev, Subquery, Sum
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hiring.models import ApplicationQuerySet, Decision
from hiring_site.access import HIRING_MANAGER, RECRUITER, group_required, is_recruiter
from scorecards import scoring
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

    @property
    def mean(self) -> Fraction | None:
        return Fraction(self.rating_total, self.ratings) if self.ratings else None

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


def _scope(request) -> Q:
    """Which submitted scorecards the user may aggregate, as a filter on Scorecard: those
    of the applications whose results they may see (the blindness rule, so none where a
    card of their own is awaited), and of those a hiring manager's own applications."""
    visible = ApplicationQuerySet.results_visible_q(request.user, "interview__application__")
    if is_recruiter(request.user):
        return visible
    return visible & Q(interview__application__hiring_manager=request.user)


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
    ratings = {
        row["interviewer"]: row
        for row in Rating.objects.filter(scorecard__in=cards.values("pk"), score__isnull=False)
        .values(interviewer=F(f"scorecard__{INTERVIEWER}"))
        .annotate(n=Count("pk"), total=Sum("score"))
        .order_by()
    }
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
            )
        )
    rows.sort(key=lambda r: r.name.casefold())
    return rows


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


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def calibration(request):
    scope = _scope(request)
    context = {
        "interviewers": interviewer_rows(scope),
        "dimensions": dimension_rows(scope),
        "recommendation_labels": RECOMMENDATIONS.labels,
        "sees_all": is_recruiter(request.user),
    }
    return render(request, "scorecards/calibration.html", context)
