"""A role's pipeline and its CSV: the headline of each application (submitted cards,
weighted score, coverage, recommendation, red flags), a few fields of the verdict the
panel reaches (scoring.conclude, which scoring.panel calls too): the same rules, in one
place.

The headlines are stored beside the applications (scorecards.models.Headline) and read
with them. Where an application's stored headline is missing or out of date (its
panel_version moved on, or the scoring code changed: RULES), `load_summaries` asks the
database for the aggregates of those applications' submitted cards (scoring.Tallies:
per dimension the count, sum, lowest and highest rating; the cards, their red flags
and overall recommendations), in three queries whatever their number, has
scoring.conclude decide on each, and stores the result (with the disagreement, which
My applications shows). `migrate` recomputes what older scoring code stored
(refresh_headlines), so a deploy leaves no list to recompute.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from django.db import DatabaseError, transaction
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from hiring.models import Application, Decision
from hiring_site.formatting import person_name
from roles import scoring_policy
from roles.models import Dimension, Role, RoleRevision, Signal
from scorecards import chart, scoring
from scorecards.decision_form import goes_against
from scorecards.models import Headline as StoredHeadline
from scorecards.models import Rating, Scorecard
from scorecards.panel import SUBMITTED, PanelConfigError, policy_for

logger = logging.getLogger(__name__)

# The digest of the code that turns cards into a headline (the scoring rules, their
# defaults, and this module): a stored headline computed by other code is not used, and
# `migrate` recomputes it (refresh_headlines).
RULES = hashlib.sha256(
    b"".join(
        Path(module.__file__).read_bytes()
        for module in (scoring, scoring_policy, sys.modules[__name__])
    )
).hexdigest()[:16]

# The numbers of a stored headline, in the order ApplicationRow reads them.
STORED_FIELDS = (
    "submitted",
    "score_numerator",
    "score_denominator",
    "coverage_numerator",
    "coverage_denominator",
    "recommendation",
    "red_flags",
    "disagreeing",
    "votes_split",
)

STORED = len(STORED_FIELDS)

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
    # The outcome of its newest decision (Decision.Outcome), or None.
    decision: str | None
    # The stored headline (a Headline tuple), or the error of an unusable
    # revision; None where it is missing or out of date.
    stored: tuple | str | None = None

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
        "decision",
        "headline__panel_version",
        "headline__rules",
        "headline__error",
        *(f"headline__{name}" for name in STORED_FIELDS),
    )

    @classmethod
    def from_queryset(cls, applications) -> list[ApplicationRow]:
        return [row for row, _ in cls.read(applications.with_decision())]

    @classmethod
    def read(cls, applications, *extra: str) -> list[tuple[ApplicationRow, tuple]]:
        """Each of `applications` (annotated with_decision) as a row, with the values of
        the `extra` fields the caller reads with it, in the same query."""
        return [
            (
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
                    decision=decision,
                    stored=_current(panel_version, stored_version, rules, error, rest[:STORED]),
                ),
                tuple(rest[STORED:]),
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
                decision,
                stored_version,
                rules,
                error,
                *rest,
            ) in applications.values_list(*cls.FIELDS, *extra)
        ]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def decision_label(self) -> str:
        return DECISION_LABELS.get(self.decision, "") if self.decision else ""

    @property
    def opened(self) -> str:
        """The day the application was opened, in the current time zone (ISO 8601), as
        the page and the CSV show it."""
        return timezone.localdate(self.created_at).isoformat()


STATUS_LABELS = dict(Application.Status.choices)
DECISION_LABELS = dict(Decision.Outcome.choices)


def _current(panel_version, stored_version, rules, error, stored) -> tuple | str | None:
    """A stored headline as load_summaries uses it (a Headline tuple, or the error of an
    unusable revision), or None if there is none for this panel_version and RULES."""
    if stored_version != panel_version or rules != RULES:
        return None
    if error:
        return error
    submitted, numerator, denominator, coverage_numerator, coverage_denominator, *rest = stored
    score = None if numerator is None else (numerator, denominator)
    return (submitted, score, (coverage_numerator, coverage_denominator), *rest)


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

    @property
    def disagreeing(self) -> int:
        """How many dimensions' ratings span 2 points or more."""
        return self.headline.disagreeing if self.headline else 0

    @property
    def votes_split(self) -> bool:
        """Whether the overall recommendations fall on both sides (a no and a yes)."""
        return self.headline.votes_split if self.headline else False

    @property
    def against_recommendation(self) -> bool:
        """Whether the application's decision went against the recommendation the panel
        computes now (decision_form.goes_against, the rule the decision form applies)."""
        decision = self.application.decision
        return bool(decision and self.headline and goes_against(decision, self.recommendation))


class Headline(NamedTuple):
    """The fields of a scoring.PanelResult that a list shows, in plain integers and
    strings: a list reads hundreds of them."""

    submitted: int
    score: tuple[int, int] | None  # the weighted score's numerator and denominator
    coverage: tuple[int, int]
    recommendation: str
    red_flags: int
    disagreeing: int  # how many dimensions' ratings span 2 points or more
    votes_split: bool  # overall recommendations on both sides

    @classmethod
    def of(cls, verdict: scoring.Verdict) -> Headline:
        score = verdict.weighted_score
        return cls(
            verdict.submitted,
            None if score is None else (score.numerator, score.denominator),
            (verdict.coverage.numerator, verdict.coverage.denominator),
            verdict.recommendation,
            verdict.red_flag_count,
            len(verdict.disagreeing),
            bool(verdict.votes_split),
        )

    @property
    def weighted_score(self) -> Fraction | None:
        return None if self.score is None else Fraction(*self.score)


def load_summaries(
    applications: Sequence[ApplicationRow], revisions: dict[int, RoleRevision] | None = None
) -> list[Summary]:
    """The panel headline of each application, in their order: its stored headline
    (scorecards.models.Headline), or, where that is missing or out of date, the verdict
    of scoring.conclude (the panel's own rules), which is then stored.

    `revisions`: the applications' revisions with their scoring settings, as
    _read_revisions reads them (read here, in one query, when needed and not given). Three
    more queries and a write when some headlines are out of date, none otherwise.
    """
    stale = [a for a in applications if a.stored is None]
    computed = {}
    if stale:
        used = {a.revision_id for a in stale}
        if revisions is None:
            revisions = _read_revisions(RoleRevision.objects.filter(pk__in=used))
        revisions = {pk: revision for pk, revision in revisions.items() if pk in used}
        computed = _score(stale, revisions)
        _store(stale, computed)
    summaries = []
    for application in applications:
        value = computed[application.pk] if application.stored is None else application.stored
        if isinstance(value, str):
            summaries.append(Summary(application, None, value))
        else:
            summaries.append(Summary(application, Headline._make(value)))
    return summaries


class Distribution(NamedTuple):
    """The pipeline's histogram: per bin (scorecards.chart.SCORE_BIN_EDGES) how many of
    the listed applications have their weighted score in it, how many have none (no
    rating submitted, or scoring settings unusable), and how many have their results
    hidden from the viewer (not counted in either)."""

    counts: list[int]
    unscored: int
    hidden: int

    @property
    def total(self) -> int:
        """Every application listed."""
        return sum(self.counts) + self.unscored + self.hidden


def score_distribution(
    applications, revisions: dict[int, RoleRevision] | None = None
) -> Distribution:
    """The Distribution of `applications` (a queryset annotated with results_hidden,
    ApplicationQuerySet.with_results_hidden). The database counts the stored headlines
    per bin (stored with each, chart.score_bin) in one query. Headlines missing or out
    of date of those the viewer sees are computed and stored as load_summaries does (a
    few more queries, whatever their number) and binned by chart.score_bin."""
    current = _current_headline()
    # Its bin as stored with the headline (null: no score, nothing rated or unusable
    # settings), or STALE where the headline is missing or out of date.
    group = Case(
        When(current, then=F("headline__score_bin")),
        default=Value(STALE),
        output_field=IntegerField(),
    )
    counts, unscored, hidden, stale = [0] * len(chart.SCORE_BIN_EDGES), 0, 0, 0
    for is_hidden, bin_index, count in (
        applications.order_by()
        .annotate(bin=group)
        .values_list("results_hidden", "bin")
        .annotate(n=Count("pk"))
    ):
        if is_hidden:
            hidden += count
        elif bin_index == STALE:
            stale = count
        elif bin_index is None:
            unscored += count
        else:
            counts[bin_index] += count
    if stale:
        seen = applications.filter(results_hidden=False)
        stored = store_current_headlines(seen, revisions)
        more, none = chart.bin_counts([s.weighted_score for s in stored])
        counts = [a + b for a, b in zip(counts, more, strict=True)]
        unscored += none
    return Distribution(counts, unscored, hidden)


STALE = -1


def _current_headline() -> Q:
    """Applications whose stored headline is current: computed at their panel_version by
    the scoring code of now (RULES); _current() is the same test on a row already read."""
    return Q(headline__rules=RULES, headline__panel_version=F("panel_version"))


# --- the order of the list ---------------------------------------------------------------

STATUS_ORDER = {value: rank for rank, value in enumerate(Application.Status.values)}
DECISION_ORDER = {value: rank for rank, value in enumerate(Decision.Outcome.values)}


def _ranked(field: str, ranks: dict[str, int], when: Q | None = None) -> Case:
    """The rank of `field`'s value in `ranks` (only where `when` holds), else NULL."""
    return Case(
        *(
            When(Q(**{field: value}) & (when or Q()), then=Value(rank))
            for value, rank in ranks.items()
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def _computed() -> Q:
    """Rows whose headline was computed (the role's settings usable): what the scored
    columns sort by. The list stores every out-of-date headline of those the viewer sees
    before it sorts (score_distribution for the page, store_current_headlines for the
    CSV), so each sorts by what its cards say now."""
    return Q(headline__error="")


def _score():
    """The weighted score of a row with one, as the nearest float, else NULL: a headline
    without a score (nothing rated, or the settings unusable: _computed) stores none."""
    return Cast(F("headline__score_numerator"), FloatField()) / F("headline__score_denominator")


# What each column sorts by, built when asked (a Case is a tree of objects to build).
SORT_VALUES = {
    # Lower-cased as Python's str.lower() would for the alphabet; the database's own for
    # other letters (SQLite leaves them as they are).
    "candidate": lambda: Lower("candidate__name"),
    "status": lambda: _ranked("status", STATUS_ORDER),
    "submitted": lambda: Case(When(_computed(), then=F("headline__submitted")), default=None),
    "score": _score,
    "recommendation": lambda: _ranked("headline__recommendation", RECOMMENDATION_RANK, _computed()),
    "red_flags": lambda: Case(When(_computed(), then=F("headline__red_flags")), default=None),
    "decision": lambda: _ranked("decision", DECISION_ORDER),
    "opened": lambda: F("created_at"),
}
# The columns the list sorts by (`?sort=` takes one, "-" before it for the other way).
SORT_KEYS = tuple(SORT_VALUES)
# Those whose values come from the cards: a row whose results the viewer may not see
# yet is not placed by them.
SCORED_SORTS = frozenset({"submitted", "score", "recommendation", "red_flags"})


def ordered(applications, sort: str):
    """`applications` in the pipeline's order for `sort` (a SORT_KEYS key, "-" first for
    the other direction), as the page and its CSV list them: by the column's value, rows
    with nothing to sort by yet last either way (no headline computed, scoring settings
    unusable, no decision), and for a column of the scoring the rows whose results the
    viewer may not see after them; ties newest first whatever the direction.
    `applications` come annotated with results_hidden
    (ApplicationQuerySet.with_results_hidden); the decision column reads their decision
    (with_decision), added here unless they come with it. The database sorts, so a page
    reads only its own rows."""
    key = sort.lstrip("-")
    if key == "decision" and "decision" not in applications.query.annotations:
        applications = applications.with_decision()
    value = SORT_VALUES[key]()
    direction = value.desc(nulls_last=True) if sort.startswith("-") else value.asc(nulls_last=True)
    hidden_last = (F("results_hidden").asc(),) if key in SCORED_SORTS else ()
    return applications.order_by(*hidden_last, direction, "-created_at", "-pk")


def store_current_headlines(applications, revisions: dict[int, RoleRevision] | None = None):
    """Compute and store the headlines of those of `applications` (a queryset) whose
    stored one is missing or out of date (load_summaries); their Summaries. One query
    when none is."""
    rows = ApplicationRow.from_queryset(applications.exclude(_current_headline()).order_by())
    return load_summaries(rows, revisions) if rows else []


def _store(applications: Sequence[ApplicationRow], computed: dict[int, tuple | str]) -> None:
    """Store the headlines just computed, each with the panel_version it was computed at
    (read before its cards were: a card that changed since moved the version on, so
    what is stored here is recomputed rather than trusted)."""
    rows = []
    for application in applications:
        value = computed[application.pk]
        row = StoredHeadline(
            application_id=application.pk, panel_version=application.panel_version, rules=RULES
        )
        if isinstance(value, str):
            row.error = value
        else:
            headline = Headline._make(value)
            row.submitted, row.recommendation, row.red_flags = (
                headline.submitted,
                headline.recommendation,
                headline.red_flags,
            )
            row.disagreeing, row.votes_split = headline.disagreeing, headline.votes_split
            row.score_numerator, row.score_denominator = headline.score or (None, None)
            row.coverage_numerator, row.coverage_denominator = headline.coverage
            score = headline.weighted_score
            row.score_bin = None if score is None else chart.score_bin(score)
        rows.append(row)
    try:
        with transaction.atomic():
            StoredHeadline.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["application"],
                update_fields=["panel_version", "rules", "error", "score_bin", *STORED_FIELDS],
            )
    except DatabaseError:
        # A list that cannot store (SQLite busy with another writer, say) still shows
        # what it computed; the next view stores it.
        logger.warning("could not store %d pipeline headlines", len(rows), exc_info=True)


def refresh_headlines(applications=None, batch: int = 1000) -> int:
    """Compute and store the headline of every application (or of `applications`, a
    queryset) whose stored one is missing or out of date; `migrate` calls it so that a
    deploy whose scoring code changed leaves no list to recompute. Returns how many."""
    queryset = Application.objects.all() if applications is None else applications
    stale = queryset.exclude(headline__rules=RULES, headline__panel_version=F("panel_version"))
    done, last = 0, 0
    while True:
        rows = ApplicationRow.from_queryset(stale.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return done
        last = rows[-1].pk
        load_summaries(rows)
        done += sum(row.stored is None for row in rows)


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

    # Per application: its submitted cards, their red flags (signals of the
    # application's own revision only, as for the ratings) and how many gave each overall
    # recommendation (the disagreement of the votes).
    own = Q(status=SUBMITTED)
    votes = {
        f"votes_{value}": Count("pk", distinct=True, filter=own & Q(recommendation=value))
        for value in scoring.CARD_RECOMMENDATIONS
    }
    red_flag = own & Q(
        signal_checks__signal__kind=Signal.Kind.RED_FLAG,
        signal_checks__signal__revision_id=F("interview__application__revision_id"),
    )
    tallies: dict[int, scoring.Tallies] = {}
    for application_id, cards, flags, *counts in (
        Scorecard.objects.filter(interview__application_id__in=ids)
        .values_list("interview__application_id")
        .annotate(
            cards=Count("pk", distinct=True, filter=own),
            red_flags=Count("signal_checks", filter=red_flag),
            **votes,
        )
        .order_by()
    ):
        tallies[application_id] = scoring.Tallies(
            cards,
            rated.get(application_id, {}),
            flags,
            dict(zip(scoring.CARD_RECOMMENDATIONS, counts, strict=True)),
        )

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


def dimension_means(applications) -> tuple[list[str], dict[tuple[int, str], Fraction]]:
    """The dimension names rated on `applications`' submitted cards (in their order on
    the role, across its revisions), and each application's panel mean per name, keyed
    (application pk, name): one query. The debrief and the validity page read it."""
    rows = (
        Rating.objects.filter(
            scorecard__in=Scorecard.objects.submitted().filter(
                interview__application__in=applications
            ),
            score__isnull=False,
        )
        .values("scorecard__interview__application", "dimension__name")
        .annotate(total=Sum("score"), n=Count("pk"), order=Min("dimension__order"))
        .order_by()
    )
    means, order = {}, {}
    for row in rows:
        name = row["dimension__name"]
        means[(row["scorecard__interview__application"], name)] = Fraction(row["total"], row["n"])
        order[name] = min(order.get(name, row["order"]), row["order"])
    return sorted(order, key=lambda name: (order[name], name.casefold())), means
