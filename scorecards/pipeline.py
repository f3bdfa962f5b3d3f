"""A role's pipeline and its CSV: the headline of each application (submitted cards,
weighted score, coverage, recommendation, red flags), a few fields of what scoring.panel
concludes on its submitted cards, the same rules as the panel's.

`load_summaries` reads the cards of the applications the results cache (hiring.results_cache)
lacks in three queries whatever their number, and scores each with scoring.panel.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import NamedTuple

from django.db.models import FilteredRelation, Q
from django.utils import timezone

from hiring import results_cache
from hiring.models import Application
from hiring_site.formatting import person_name
from roles.models import Dimension, Role, RoleRevision, Signal
from scorecards import scoring
from scorecards.models import Scorecard, SignalCheck
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
    """What the pipeline and its CSV show of an application: a few fields of what
    scoring.panel concludes (`headline`), or why the role's scoring settings are
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
    def of(cls, result: scoring.PanelResult) -> Headline:
        score = result.weighted_score
        return cls(
            result.submitted,
            None if score is None else (score.numerator, score.denominator),
            (result.coverage.numerator, result.coverage.denominator),
            result.recommendation,
            len(result.red_flags),
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
    """The panel headline of each application, in their order: scoring.panel's result
    for each, kept in the results cache (hiring.results_cache) under its panel_version.

    `revisions`: the applications' revisions with their scoring settings, as
    role_revisions reads them (read here, in one query, when not given). Three more
    queries when the cache lacks some of the applications (dimensions, ratings of their
    cards, red flags observed), none otherwise.
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
    unusable: scoring.panel on the submitted cards of each, in three queries.

    Plain rows (values_list), not model instances: a list scores hundreds of
    applications, a few thousand ratings. Drafts are dropped here, not in SQL: SQLite,
    without statistics, would start from the index on the scorecard status and read
    every submitted card there is.
    """
    revision_of = {a.pk: a.revision_id for a in applications}
    dimensions = _dimensions(revision_of.values())
    known = {revision_id: {d.id for d in dims} for revision_id, dims in dimensions.items()}

    # Each card with its ratings, one row per rated dimension (a card that rated none
    # still gives one row, so that it is counted).
    cards: dict[int, tuple[int, str | None, dict[int, int]]] = {}
    for application_id, card_id, status, recommendation, dimension_id, score in (
        Scorecard.objects.filter(interview__application_id__in=list(revision_of))
        .annotate(rated=FilteredRelation("ratings", condition=Q(ratings__score__isnull=False)))
        .values_list(
            "interview__application_id",
            "id",
            "status",
            "recommendation",
            "rated__dimension_id",
            "rated__score",
        )
        .order_by()
    ):
        if status != SUBMITTED:
            continue
        card = cards.get(card_id)
        if card is None:
            card = cards[card_id] = (application_id, recommendation or None, {})
        # A rating for a dimension of another revision would be a data error; scoring
        # would refuse it, so it is left out here rather than break the page.
        if dimension_id is not None and dimension_id in known.get(revision_of[application_id], ()):
            card[2][dimension_id] = score

    # The red flags observed on those cards (signals of the application's own revision
    # only, as for the ratings), with who observed them; read from the revisions' red
    # flags, which are few, rather than from every check of every card.
    flags: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for card_id, signal_revision, application_id, text, note, first, last, username in (
        SignalCheck.objects.filter(
            signal__revision_id__in=list(revisions),
            signal__kind=Signal.Kind.RED_FLAG,
            scorecard__interview__application_id__in=list(revision_of),
        )
        .values_list(
            "scorecard_id",
            "signal__revision_id",
            "scorecard__interview__application_id",
            "signal__text",
            "note",
            "scorecard__interview__interviewer__first_name",
            "scorecard__interview__interviewer__last_name",
            "scorecard__interview__interviewer__username",
        )
        .order_by("scorecard_id", "signal__order", "signal_id")
    ):
        if card_id in cards and signal_revision == revision_of[application_id]:  # submitted
            flags[card_id].append((text, note, person_name(first, last, username)))

    inputs: dict[int, list[scoring.ScorecardInput]] = defaultdict(list)
    for card_id, (application_id, recommendation, ratings) in cards.items():
        observed = flags.get(card_id, ())
        inputs[application_id].append(
            scoring.ScorecardInput(
                id=card_id,
                # Only the red flags name who observed them.
                interviewer=observed[0][2] if observed else "",
                status=SUBMITTED,
                ratings=ratings,
                recommendation=recommendation,
                red_flags=tuple(text for text, _, _ in observed),
                red_flag_notes=tuple(note for _, note, _ in observed),
            )
        )

    policies: dict[int, scoring.Policy | str] = {}
    for revision_id, revision in revisions.items():
        try:
            policies[revision_id] = policy_for(revision)
        except PanelConfigError as exc:
            policies[revision_id] = str(exc)
    results: dict[int, tuple | str] = {}
    for pk, revision_id in revision_of.items():
        policy = policies[revision_id]
        if isinstance(policy, str):
            results[pk] = policy
        else:
            result = scoring.panel(dimensions.get(revision_id, []), inputs.get(pk, []), policy)
            results[pk] = tuple(Headline.of(result))
    return results
