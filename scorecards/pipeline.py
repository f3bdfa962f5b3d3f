"""A role's pipeline and its CSV: the headline of each application (submitted cards,
weighted score, coverage, recommendation, red flags), a few fields of the verdict the
panel reaches (scoring.conclude, which scoring.panel calls too): the same rules, in one
place.

`load_summaries` asks the database for the aggregates of the submitted cards of the
applications the results cache (hiring.results_cache) lacks (scoring.Tallies: per
dimension the count, sum, lowest and highest rating; the cards, their red flags and
overall recommendations), in three queries whatever their number, and has
scoring.conclude decide on each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from hiring import results_cache
from hiring.models import Application
from hiring_site.formatting import person_name
from roles.models import Dimension, Role, RoleRevision, Signal
from scorecards import scoring
from scorecards.models import Rating, Scorecard
from scorecards.panel import SUBMITTED, PanelConfigError, policy_for

# Sort order for the pipeline: best first, "not enough evidence yet" last.
RECOMMENDATION_RANK = {rec: rank for rank, rec in enumerate(scoring.PANEL_RECOMMENDATIONS)}


@dataclass
class ApplicationRow:
    """An application as the pipeline and its CSV show it, read with values(): a list of
    hundreds would spend more on model instances than on everything else."""

    pk: int
    candidate: str
    email: str
    revision_id: int
    revision_number: int
    status: str
    hiring_manager: str
    created_at: datetime
    panel_version: int

    FIELDS = (
        "id",
        "candidate__name",
        "candidate__email",
        "revision_id",
        "revision__number",
        "status",
        "hiring_manager__username",
        "hiring_manager__first_name",
        "hiring_manager__last_name",
        "created_at",
        "panel_version",
    )

    @classmethod
    def from_queryset(cls, applications) -> list[ApplicationRow]:
        return [
            cls(
                pk=pk,
                candidate=candidate,
                email=email,
                revision_id=revision_id,
                revision_number=number,
                status=status,
                hiring_manager=person_name(first_name, last_name, username),
                created_at=created_at,
                panel_version=panel_version,
            )
            for (
                pk,
                candidate,
                email,
                revision_id,
                number,
                status,
                username,
                first_name,
                last_name,
                created_at,
                panel_version,
            ) in applications.values_list(*cls.FIELDS)
        ]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def opened(self) -> str:
        """The day the application was opened, in the current time zone (ISO 8601), as
        the page and the CSV show it."""
        return timezone.localdate(self.created_at).isoformat()


STATUS_LABELS = dict(Application.Status.choices)


@dataclass
class Summary:
    """What the pipeline and its CSV show of an application: a few fields of the
    verdict of scoring.conclude (`headline`), or why the role's scoring settings are
    unusable (`error`)."""

    application: ApplicationRow
    headline: Headline | None
    error: str = ""
    # The viewer may see it (scorecards.results_views.HiddenSummary is the other kind).
    hidden = False

    @property
    def result(self) -> Headline | None:
        return self.headline

    @property
    def submitted(self) -> int | None:
        return self.headline.submitted if self.headline else None

    @property
    def weighted_score(self) -> Fraction | None:
        return self.headline.weighted_score if self.headline else None

    @property
    def score_order(self) -> float | None:
        """What the list sorts by: the weighted score as the nearest float (a sort of
        hundreds compares thousands of times; Fractions compare slowly)."""
        score = self.headline.score if self.headline else None
        return None if score is None else score[0] / score[1]

    @property
    def weighted_score_display(self) -> str:
        return scoring.fmt(self.weighted_score)

    @property
    def coverage_display(self) -> str:
        return scoring.fmt(Fraction(*self.headline.coverage)) if self.headline else ""

    @property
    def recommendation(self) -> str:
        return self.headline.recommendation if self.headline else ""

    @property
    def recommendation_label(self) -> str:
        return scoring.RECOMMENDATION_LABELS.get(self.recommendation, "Scoring settings invalid")

    @property
    def red_flag_count(self) -> int:
        return self.headline.red_flags if self.headline else 0


class Headline(NamedTuple):
    """The fields of a scoring.PanelResult that a list shows, in plain integers and
    strings: the cache keeps it as a tuple, and a list reads hundreds of them."""

    submitted: int
    score: tuple[int, int] | None  # the weighted score's numerator and denominator
    coverage: tuple[int, int]
    recommendation: str
    red_flags: int

    @classmethod
    def of(cls, verdict: scoring.Verdict) -> Headline:
        score = verdict.weighted_score
        return cls(
            verdict.submitted,
            None if score is None else (score.numerator, score.denominator),
            (verdict.coverage.numerator, verdict.coverage.denominator),
            verdict.recommendation,
            verdict.red_flag_count,
        )

    @property
    def weighted_score(self) -> Fraction | None:
        return None if self.score is None else Fraction(*self.score)


def role_revisions(slug: str) -> tuple[Role | None, dict[int, RoleRevision]]:
    """The role of `slug` and its revisions' scoring settings, in one query; the role is
    None if there is no such role or it has no revision."""
    revisions = _read_revisions(RoleRevision.objects.filter(role__slug=slug))
    role = next(iter(revisions.values())).role if revisions else None
    return role, revisions


def load_summaries(
    applications: Sequence[ApplicationRow], revisions: dict[int, RoleRevision] | None = None
) -> list[Summary]:
    """The panel headline of each application, in their order: the verdict of
    scoring.conclude (the panel's own rules) for each, kept in the results cache
    (hiring.results_cache) under its panel_version.

    `revisions`: the applications' revisions with their scoring settings, as
    role_revisions reads them (read here, in one query, when not given). Three more
    queries when the cache lacks some of the applications (dimensions, the sums of their
    submitted ratings per dimension, their submitted cards and red flags), none otherwise.
    """
    if not applications:
        return []
    used = {a.revision_id for a in applications}
    if revisions is None:
        revisions = _read_revisions(RoleRevision.objects.filter(pk__in=used))
    revisions = {pk: revision for pk, revision in revisions.items() if pk in used}
    values = results_cache.per_application(
        "headline", applications, lambda missing: _score(missing, revisions)
    )
    summaries = []
    for application in applications:
        value = values[application.pk]
        if isinstance(value, str):
            summaries.append(Summary(application, None, value))
        else:
            summaries.append(Summary(application, Headline._make(value)))
    return summaries


def _read_revisions(queryset) -> dict[int, RoleRevision]:
    """The revisions of `queryset` with their scoring settings (nothing else of them is
    read) and their role's id, slug and title (its other fields deferred: read if ever
    used, never made up), in one query."""
    revisions, roles = {}, {}
    for row in queryset.values_list(*REVISION_FIELDS):
        revision = dict(zip(REVISION_FIELDS, row, strict=True))
        role_id = revision.pop("role_id")
        role_fields = [role_id, revision.pop("role__slug"), revision.pop("role__title")]
        role = roles.get(role_id) or roles.setdefault(
            role_id, Role.from_db(None, ["id", "slug", "title"], role_fields)
        )
        revisions[revision["id"]] = RoleRevision(role=role, **revision)
    return revisions


REVISION_FIELDS = (
    "id",
    "number",
    "status",
    "thresholds",
    "red_flag_policy",
    "min_scorecards",
    "min_coverage",
    "role_id",
    "role__slug",
    "role__title",
)


def _dimensions(revision_ids) -> dict[int, list[scoring.DimensionInput]]:
    """The scoring inputs of the revisions' dimensions, in order, in one query."""
    dimensions: dict[int, list[scoring.DimensionInput]] = defaultdict(list)
    for revision_id, dimension_id, weight, min_score, name in (
        Dimension.objects.filter(revision_id__in=revision_ids)
        .order_by("revision_id", "order", "id")
        .values_list("revision_id", "id", "weight", "min_score", "name")
    ):
        dimensions[revision_id].append(
            scoring.DimensionInput(id=dimension_id, name=name, weight=weight, min_score=min_score)
        )
    return dimensions


def _score(
    applications: Sequence[ApplicationRow], revisions: dict[int, RoleRevision]
) -> dict[int, tuple | str]:
    """Each application's Headline (as a tuple), or why its revision's scoring settings are
    unusable: scoring.conclude, the panel's own rules, on what the database adds up of
    each application's submitted cards (scoring.Tallies), in three queries.

    A list scores hundreds of applications, a few thousand ratings: the database sums
    them per dimension rather than handing each one over. Drafts are left out by the
    aggregates' filters, not by the WHERE clause: SQLite, without statistics, would start
    from the index on the scorecard status and read every submitted card there is.
    """
    revision_of = {a.pk: a.revision_id for a in applications}
    ids = list(revision_of)
    dimensions = _dimensions(revision_of.values())
    known = {revision_id: {d.id for d in dims} for revision_id, dims in dimensions.items()}

    # Per application and dimension: count, sum, lowest and highest of the submitted
    # ratings.
    submitted = Q(scorecard__status=SUBMITTED)
    rated: dict[int, dict[int, scoring.DimensionTally]] = defaultdict(dict)
    for application_id, dimension_id, count, total, low, high in (
        Rating.objects.filter(scorecard__interview__application_id__in=ids, score__isnull=False)
        .values_list("scorecard__interview__application_id", "dimension_id")
        .annotate(
            count=Count("pk", filter=submitted),
            total=Sum("score", filter=submitted),
            low=Min("score", filter=submitted),
            high=Max("score", filter=submitted),
        )
        .order_by()
    ):
        # A rating for a dimension of another revision would be a data error; scoring
        # would refuse it, so it is left out here rather than break the page.
        if count and dimension_id in known.get(revision_of[application_id], ()):
            rated[application_id][dimension_id] = scoring.DimensionTally(count, total, low, high)

    # Per application: its submitted cards and their red flags (signals of the
    # application's own revision only, as for the ratings). Not their overall
    # recommendations: they only tell the panel's disagreements, which a list omits.
    own = Q(status=SUBMITTED)
    red_flag = own & Q(
        signal_checks__signal__kind=Signal.Kind.RED_FLAG,
        signal_checks__signal__revision_id=F("interview__application__revision_id"),
    )
    tallies: dict[int, scoring.Tallies] = {}
    for application_id, cards, flags in (
        Scorecard.objects.filter(interview__application_id__in=ids)
        .values_list("interview__application_id")
        .annotate(
            cards=Count("pk", distinct=True, filter=own),
            red_flags=Count("signal_checks", filter=red_flag),
        )
        .order_by()
    ):
        tallies[application_id] = scoring.Tallies(cards, rated.get(application_id, {}), flags)

    policies: dict[int, scoring.Policy | str] = {}
    for revision_id, revision in revisions.items():
        try:
            policies[revision_id] = policy_for(revision)
        except PanelConfigError as exc:
            policies[revision_id] = str(exc)
    nothing = scoring.Tallies(submitted=0, dimensions={})
    results: dict[int, tuple | str] = {}
    for pk, revision_id in revision_of.items():
        policy = policies[revision_id]
        if isinstance(policy, str):
            results[pk] = policy
        else:
            verdict = scoring.conclude(
                dimensions.get(revision_id, []), tallies.get(pk, nothing), policy
            )
            results[pk] = tuple(Headline.of(verdict))
    return results
