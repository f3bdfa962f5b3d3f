"""The ORM side of the panel: submitted scorecards in, scoring.panel's result out.

`load_panel` gathers everything the panel page shows about one application and
`load_summaries` the scoring of many (the pipeline, its CSV), each in a fixed number of
queries whatever the number of interviewers, dimensions or applications. The rules
themselves live in scorecards/scoring.py only; this module builds its inputs and keeps
the ORM objects the page needs (evidence, stages, decisions) next to its result.

Drafts never leave the database here: ratings and signals are read for submitted
scorecards only.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum

from hiring.models import Application, Decision, Interview
from hiring_site.formatting import display_name, person_name
from roles.content import content_generation, revision_content
from roles.models import LEVEL_LABELS, Dimension, InterviewStage, Role, RoleRevision, Signal
from scorecards import scoring
from scorecards.models import Rating, Scorecard, SignalCheck

SUBMITTED = Scorecard.Status.SUBMITTED

RECOMMENDATION_LABELS = {
    scoring.STRONG_HIRE: "Strong hire",
    scoring.HIRE: "Hire",
    scoring.NO_HIRE: "No hire",
    scoring.STRONG_NO_HIRE: "Strong no hire",
    scoring.INSUFFICIENT_EVIDENCE: "Insufficient evidence",
}
# Sort order for the pipeline: best first, "not enough evidence yet" last.
RECOMMENDATION_RANK = {rec: rank for rank, rec in enumerate(scoring.PANEL_RECOMMENDATIONS)}
CARD_RECOMMENDATION_LABELS = dict(Scorecard.Recommendation.choices)


class PanelConfigError(Exception):
    """The role revision's scoring settings cannot be used (e.g. thresholds out of order)."""


def policy_for(revision: RoleRevision) -> scoring.Policy:
    try:
        return scoring.Policy(
            thresholds=revision.thresholds or {},
            red_flag_policy=revision.red_flag_policy,
            min_scorecards=revision.min_scorecards,
            min_coverage=revision.min_coverage,
        )
    except (TypeError, ValueError) as exc:
        raise PanelConfigError(
            f"The scoring settings of {revision.role.title} r{revision.number} are not "
            f"usable ({exc}). A recruiter needs to fix them on the role."
        ) from None


def dimension_inputs(dimensions: Iterable[Dimension]) -> list[scoring.DimensionInput]:
    return [
        scoring.DimensionInput(id=d.pk, name=d.name, weight=d.weight, min_score=d.min_score)
        for d in dimensions
    ]


def scorecard_input(
    card: Scorecard, ratings: Iterable[Rating], checks: Iterable[SignalCheck]
) -> scoring.ScorecardInput:
    red = [c for c in checks if c.signal.kind == Signal.Kind.RED_FLAG]
    return scoring.ScorecardInput(
        id=card.pk,
        interviewer=display_name(card.interview.interviewer),
        status=card.status,
        ratings={r.dimension_id: r.score for r in ratings},
        recommendation=card.recommendation or None,
        red_flags=tuple(c.signal.text for c in red),
        red_flag_notes=tuple(c.note for c in red),
        strong_signals=sum(1 for c in checks if c.signal.kind == Signal.Kind.STRONG),
        weak_signals=sum(1 for c in checks if c.signal.kind == Signal.Kind.WEAK),
    )


def _submitted_ratings(application_ids: Sequence[int]):
    # A rating for a dimension of another revision would be a data error; scoring would
    # refuse it, so it is left out here rather than break the page.
    return Rating.objects.filter(
        scorecard__status=SUBMITTED,
        scorecard__interview__application_id__in=application_ids,
        dimension__revision_id=F("scorecard__interview__application__revision_id"),
    ).order_by("scorecard_id", "dimension_id")


def _submitted_checks(application_ids: Sequence[int]):
    return (
        SignalCheck.objects.filter(
            scorecard__status=SUBMITTED,
            scorecard__interview__application_id__in=application_ids,
            signal__revision_id=F("scorecard__interview__application__revision_id"),
        )
        .select_related("signal")
        .order_by("scorecard_id", "signal__kind", "signal__order", "signal_id")
    )


def _group(rows, key: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


# --- one application, everything the page shows -------------------------------------


@dataclass
class Cell:
    """One interviewer's rating of one dimension."""

    score: int | None
    evidence: str
    in_focus: bool

    @property
    def state(self) -> str:
        if self.score is not None:
            return "rated"
        return "not_assessed" if self.in_focus else "outside_focus"

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.score, "") if self.score else ""


@dataclass
class Observation:
    text: str
    interviewer: str
    note: str


@dataclass
class Column:
    """One submitted scorecard: a column of the matrix and a card under it."""

    scorecard: Scorecard
    interview: Interview
    interviewer: str
    score: Fraction | None
    strong: list[Observation] = field(default_factory=list)
    weak: list[Observation] = field(default_factory=list)
    red_flags: list[Observation] = field(default_factory=list)

    @property
    def stage(self) -> InterviewStage:
        return self.interview.stage

    @property
    def recommendation_label(self) -> str:
        return CARD_RECOMMENDATION_LABELS.get(self.scorecard.recommendation, "None given")

    @property
    def score_display(self) -> str:
        return scoring.fmt(self.score)

    @property
    def positive(self) -> bool | None:
        rec = self.scorecard.recommendation
        if rec in scoring.POSITIVE_RECOMMENDATIONS:
            return True
        if rec in scoring.NEGATIVE_RECOMMENDATIONS:
            return False
        return None


@dataclass
class Row:
    dimension: Dimension
    result: scoring.DimensionResult
    cells: list[Cell]
    focused_by_a_stage: bool

    @property
    def mean(self) -> str:
        return scoring.fmt(self.result.mean)

    @property
    def contribution(self) -> str:
        return scoring.fmt(self.result.contribution)

    @property
    def weight(self) -> str:
        return scoring.fmt(self.result.weight)


@dataclass
class StageGap:
    """A stage of the loop without a submitted scorecard, and why."""

    stage: InterviewStage
    waiting_on: list[tuple[str, str]]  # (interviewer, "draft" or "not started")


@dataclass
class ChartBar:
    name: str
    label: str  # shortened for the chart; `name` goes in its <title>
    mean: str
    assessed: bool
    y: int
    text_y: int
    width: int
    value_x: int
    meets_bar: bool


@dataclass
class Chart:
    """Geometry of the server-rendered SVG: panel mean per dimension against the bar (3)."""

    bars: list[ChartBar]
    width: int
    height: int
    plot_x: int
    plot_width: int
    bar_x: int
    ticks: list[tuple[int, int]]  # (level, x)
    axis_y: int
    tick_label_y: int

    LABEL_WIDTH = 210
    PLOT_WIDTH = 330
    ROW_HEIGHT = 28
    BAR_HEIGHT = 16
    TOP = 8
    MAX_LABEL = 30

    @classmethod
    def build(cls, rows: Sequence[Row]) -> Chart:
        plot_x = cls.LABEL_WIDTH
        scale = Fraction(cls.PLOT_WIDTH, scoring.RATING_MAX)
        bars = []
        for index, row in enumerate(rows):
            y = cls.TOP + index * cls.ROW_HEIGHT
            mean = row.result.mean
            width = int(mean * scale) if mean is not None else 0
            name = row.dimension.name
            label = name if len(name) <= cls.MAX_LABEL else name[: cls.MAX_LABEL - 1] + "…"
            bars.append(
                ChartBar(
                    name=name,
                    label=label,
                    mean=scoring.fmt(mean) if mean is not None else "not assessed",
                    assessed=mean is not None,
                    y=y + (cls.ROW_HEIGHT - cls.BAR_HEIGHT) // 2,
                    text_y=y + cls.ROW_HEIGHT // 2 + 4,
                    width=width,
                    value_x=plot_x + width + 6,
                    meets_bar=mean is not None and mean >= 3,
                )
            )
        axis_y = cls.TOP + len(rows) * cls.ROW_HEIGHT
        return cls(
            bars=bars,
            width=cls.LABEL_WIDTH + cls.PLOT_WIDTH + 90,
            height=axis_y + 24,
            plot_x=plot_x,
            plot_width=cls.PLOT_WIDTH,
            bar_x=plot_x + int(3 * scale),
            ticks=[(level, plot_x + int(level * scale)) for level in range(0, 6)],
            axis_y=axis_y,
            tick_label_y=axis_y + 16,
        )


# Bootstrap colour of each recommendation's badge; the label always says it in words.
RECOMMENDATION_STYLES = {
    scoring.STRONG_HIRE: "success",
    scoring.HIRE: "success",
    scoring.NO_HIRE: "danger",
    scoring.STRONG_NO_HIRE: "danger",
    scoring.INSUFFICIENT_EVIDENCE: "secondary",
}


@dataclass
class PanelView:
    application: Application
    result: scoring.PanelResult
    columns: list[Column]
    rows: list[Row]
    stage_gaps: list[StageGap]
    strong_signals: list[Observation]
    weak_signals: list[Observation]
    decisions: list[Decision]
    policy: scoring.Policy

    @property
    def recommendation_label(self) -> str:
        return RECOMMENDATION_LABELS[self.result.recommendation]

    @property
    def recommendation_style(self) -> str:
        return RECOMMENDATION_STYLES[self.result.recommendation]

    @property
    def capped(self) -> bool:
        """A gate moved the recommendation away from the band the score falls in."""
        return self.result.band is not None and self.result.band != self.result.recommendation

    @property
    def band_label(self) -> str:
        return RECOMMENDATION_LABELS.get(self.result.band, "")

    @property
    def weighted_score(self) -> str:
        return scoring.fmt(self.result.weighted_score)

    @property
    def coverage(self) -> str:
        return scoring.fmt(self.result.coverage)

    @property
    def coverage_percent(self) -> int:
        return int(self.result.coverage * 100 + Fraction(1, 2))

    @property
    def chart(self) -> Chart:
        return Chart.build(self.rows)

    @property
    def missing_dimensions(self) -> list[str]:
        return self.result.missing_dimensions

    @property
    def unfocused_dimensions(self) -> list[str]:
        return [row.dimension.name for row in self.rows if not row.focused_by_a_stage]

    def to_json(self) -> dict:
        revision = self.application.revision
        return self.result.to_json(self.application.pk, revision.role.slug, revision.number)


# The order of the panel's columns; scoring keeps it in each dimension's list of scores.
COLUMN_ORDER = ("stage__order", "stage_id", "interviewer__last_name", "interviewer_id", "id")


def panel_result(application: Application) -> scoring.PanelResult:
    """What the panel concludes, without the rest of the page (for its JSON): the same
    inputs as load_panel reads, in the same order, in four queries rather than seven.

    `application` comes with revision__role selected.
    """
    revision = application.revision
    policy = policy_for(revision)
    dimensions = revision_content(revision, "dimensions").dimensions
    interviews = panel_interviews(application)
    # Drafts are dropped here, not in SQL: SQLite would start from the status index.
    cards = [
        card
        for card in map(_scorecard_or_none, interviews)
        if card is not None and card.status == SUBMITTED
    ]
    ratings = _group(
        _submitted_ratings([application.pk]).only("scorecard_id", "dimension_id", "score"),
        "scorecard_id",
    )
    checks = _group(_submitted_checks([application.pk]), "scorecard_id")
    inputs = [scorecard_input(card, ratings[card.pk], checks[card.pk]) for card in cards]
    return scoring.panel(dimension_inputs(dimensions), inputs, policy)


def panel_interviews(application: Application) -> list[Interview]:
    """The application's interviews in column order, with interviewer, stage and
    scorecard: the panel's columns and gaps are built from them."""
    return list(
        Interview.objects.filter(application=application)
        .select_related("interviewer", "stage", "scorecard")
        .order_by(*COLUMN_ORDER)
    )


def panel_decisions(application: Application) -> list[Decision]:
    """The application's decisions, newest first."""
    return list(
        Decision.objects.filter(application=application)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    )


def panel_stamp(application: Application) -> str | None:
    """A digest of everything the panel computes and shows beyond the application's own
    row, or None when it cannot be cached (a draft revision's rows may change); no query.

    The revision's rows are frozen once it is not a draft, short of a data fix, which
    drops their cache and with it roles.content's generation; its scoring settings come
    with the application. The rest (interviews, scorecards, decisions, the names of the
    people on them) moves the application's panel_version on (hiring.models).
    """
    revision = application.revision
    if revision.is_draft:
        return None
    parts = [application.pk, application.panel_version, revision_stamp(revision)]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def revision_stamp(revision: RoleRevision) -> tuple:
    """What a score computed on `revision` depends on, of the revision itself: its
    status and scoring settings, and the generation of its cached rows (roles.content),
    which a data fix to its frozen dimensions or signals moves on."""
    thresholds = revision.thresholds
    if isinstance(thresholds, dict):
        thresholds = sorted(thresholds.items())
    return (
        revision.pk,
        revision.status,
        content_generation(revision),
        repr(thresholds),
        revision.red_flag_policy,
        revision.min_scorecards,
        str(revision.min_coverage),
    )


def load_panel(application: Application, decisions: list[Decision] | None = None) -> PanelView:
    """Everything the panel shows; `application` comes with revision__role selected.

    Seven queries whatever the size of the panel: dimensions, stages, their focus
    dimensions, interviews (with interviewer, stage and scorecard), submitted ratings,
    submitted signal checks, decisions; the first three come from the cache once the
    revision is not a draft (roles.content), and the caller may pass the decisions it
    has read already.
    """
    revision = application.revision
    policy = policy_for(revision)
    content = revision_content(revision, "dimensions", "stages")
    dimensions, stages = content.dimensions, content.stages
    focus = {stage.pk: {d.pk for d in stage.focus_dimensions.all()} for stage in stages}
    interviews = panel_interviews(application)
    ratings = _group(_submitted_ratings([application.pk]), "scorecard_id")
    checks = _group(_submitted_checks([application.pk]), "scorecard_id")
    if decisions is None:
        decisions = panel_decisions(application)

    inputs = dimension_inputs(dimensions)
    cards, columns = [], []
    for interview in interviews:
        card = _scorecard_or_none(interview)
        if card is None or card.status != SUBMITTED:
            continue
        card_input = scorecard_input(card, ratings[card.pk], checks[card.pk])
        cards.append(card_input)
        column = Column(
            scorecard=card,
            interview=interview,
            interviewer=card_input.interviewer,
            score=scoring.scorecard_score(inputs, card_input.ratings),
        )
        observed = {
            Signal.Kind.STRONG: column.strong,
            Signal.Kind.WEAK: column.weak,
            Signal.Kind.RED_FLAG: column.red_flags,
        }
        for check in checks[card.pk]:
            observed[check.signal.kind].append(
                Observation(check.signal.text, column.interviewer, check.note)
            )
        columns.append(column)

    result = scoring.panel(inputs, cards, policy)

    rows = []
    focused_anywhere = set().union(*focus.values()) if focus else set()
    rating_at = {
        (r.scorecard_id, r.dimension_id): r
        for card_ratings in ratings.values()
        for r in card_ratings
    }
    for dimension, dimension_result in zip(dimensions, result.dimensions, strict=True):
        cells = []
        for column in columns:
            rating = rating_at.get((column.scorecard.pk, dimension.pk))
            cells.append(
                Cell(
                    score=rating.score if rating else None,
                    evidence=rating.evidence if rating else "",
                    in_focus=dimension.pk in focus.get(column.interview.stage_id, set()),
                )
            )
        rows.append(Row(dimension, dimension_result, cells, dimension.pk in focused_anywhere))

    return PanelView(
        application=application,
        result=result,
        columns=columns,
        rows=rows,
        stage_gaps=_stage_gaps(stages, interviews),
        strong_signals=[o for c in columns for o in c.strong],
        weak_signals=[o for c in columns for o in c.weak],
        decisions=decisions,
        policy=policy,
    )


def _scorecard_or_none(interview: Interview) -> Scorecard | None:
    try:
        return interview.scorecard
    except Scorecard.DoesNotExist:
        return None


def _stage_gaps(
    stages: Sequence[InterviewStage], interviews: Sequence[Interview]
) -> list[StageGap]:
    by_stage = _group(interviews, "stage_id")
    gaps = []
    for stage in stages:
        assigned = by_stage.get(stage.pk, [])
        cards = [_scorecard_or_none(i) for i in assigned]
        if any(card is not None and card.status == SUBMITTED for card in cards):
            continue
        waiting = [
            (display_name(i.interviewer), "draft" if card is not None else "not started")
            for i, card in zip(assigned, cards, strict=True)
        ]
        gaps.append(StageGap(stage, waiting))
    return gaps


# --- many applications, the scoring only ---------------------------------------------


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


STATUS_LABELS = dict(Application.Status.choices)


@dataclass
class Summary:
    """What the pipeline shows per application; `result` is None when the role's scoring
    settings are unusable (`error` says why)."""

    application: ApplicationRow
    result: scoring.PanelSummary | None
    error: str = ""

    @property
    def submitted(self) -> int | None:
        return self.result.submitted if self.result else None

    @property
    def weighted_score(self) -> Fraction | None:
        return self.result.weighted_score if self.result else None

    @property
    def weighted_score_display(self) -> str:
        return scoring.fmt(self.weighted_score)

    @property
    def coverage_display(self) -> str:
        return scoring.fmt(self.result.coverage) if self.result else ""

    @property
    def recommendation(self) -> str:
        return self.result.recommendation if self.result else ""

    @property
    def recommendation_label(self) -> str:
        return RECOMMENDATION_LABELS.get(self.recommendation, "Scoring settings invalid")

    @property
    def red_flag_count(self) -> int:
        return self.result.red_flags if self.result else 0


# Bump when the shape of a cached entry changes, so a shared cache never serves the old one.
SUMMARIES_VERSION = 1
SUMMARIES_TIMEOUT = 10 * 60


def role_revisions(slug: str) -> tuple[Role | None, dict[int, RoleRevision]]:
    """The role of `slug` and its revisions' scoring settings, in one query; the role is
    None if there is no such role or it has no revision."""
    revisions = _read_revisions(RoleRevision.objects.filter(role__slug=slug))
    role = next(iter(revisions.values())).role if revisions else None
    return role, revisions


def summaries_key(applications: Sequence[ApplicationRow], revisions=None) -> str | None:
    """What load_summaries caches these applications' scoring under, for a page that
    caches what it makes of them; None when it is not cached. One query, none when
    given `revisions` (role_revisions)."""
    return _summaries_key(applications, _used_revisions(applications, revisions))


def _used_revisions(applications, revisions=None) -> dict[int, RoleRevision]:
    used = {a.revision_id for a in applications}
    if revisions is None:
        return _revisions(used)
    return {pk: revision for pk, revision in revisions.items() if pk in used}


def load_summaries(
    applications: Sequence[ApplicationRow], within=None, revisions=None
) -> list[Summary]:
    """The panel headline of each application, in their order.

    `within`, the queryset the rows were read from, if given, selects them in SQL (as a
    subquery; a list of hundreds of ids costs more to build than the rest of a query).

    One query (the revisions' scoring settings; none when given them, as
    role_revisions reads them) when the cache holds the scoring of exactly these
    applications as they are, three more otherwise (never cached for a draft
    revision). The cache key carries what the scoring depends on (_summaries_key), so
    a change, in any process, is a new key rather than an invalidation.
    """
    if not applications:
        return []
    revision_of = {a.pk: a.revision_id for a in applications}
    ids = list(revision_of) if within is None else within.values("pk")
    revisions = _used_revisions(applications, revisions)
    key = _summaries_key(applications, revisions)
    cached = cache.get(key) if key else None
    if cached is not None:
        results = {pk: _decode_summary(value) for pk, value in cached.items()}
    else:
        dimensions = _dimensions(revisions)
        results = _score(revision_of, revisions, dimensions, ids)
        if key and not any(isinstance(r, str) for r in results.values()):
            encoded = {pk: _encode_summary(result) for pk, result in results.items()}
            cache.set(key, encoded, SUMMARIES_TIMEOUT)
    summaries = []
    for application in applications:
        result = results[application.pk]
        if isinstance(result, str):
            summaries.append(Summary(application, None, result))
        else:
            summaries.append(Summary(application, result))
    return summaries


def _revisions(revision_ids: set[int]) -> dict[int, RoleRevision]:
    """The revisions' scoring settings, with their role (for PanelConfigError)."""
    return _read_revisions(RoleRevision.objects.filter(pk__in=revision_ids))


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


def _dimensions(revisions: dict[int, RoleRevision]) -> dict[int, list[scoring.DimensionInput]]:
    """The scoring inputs of the revisions' dimensions, in order, in one query."""
    dimensions: dict[int, list[scoring.DimensionInput]] = defaultdict(list)
    for revision_id, dimension_id, weight, min_score, name in (
        Dimension.objects.filter(revision_id__in=revisions)
        .order_by("revision_id", "order", "id")
        .values_list("revision_id", "id", "weight", "min_score", "name")
    ):
        dimensions[revision_id].append(
            scoring.DimensionInput(id=dimension_id, name=name, weight=weight, min_score=min_score)
        )
    return dimensions


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


def _summaries_key(applications, revisions) -> str | None:
    """The cache key of these applications' scoring, or None when it cannot be cached.

    The scoring depends on each application's revision (its scoring settings, read
    here, and its dimensions and signals, frozen once it is not a draft; a data fix to
    them changes roles.content's generation) and on its submitted scorecards, which
    move its panel_version on whenever they change (hiring.models.panel_changed).
    """
    parts: list = [SUMMARIES_VERSION]
    for pk in sorted(revisions):
        if revisions[pk].is_draft:
            return None
        parts.append(revision_stamp(revisions[pk]))
    parts.extend((a.pk, a.revision_id, a.panel_version) for a in applications)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"hiring:summaries:{digest}"


def _encode_summary(result: scoring.PanelSummary) -> tuple:
    # Plain integers and strings: they unpickle several times faster than Fractions.
    score = result.weighted_score
    return (
        result.submitted,
        None if score is None else score.numerator,
        None if score is None else score.denominator,
        result.coverage.numerator,
        result.coverage.denominator,
        result.band,
        result.recommendation,
        result.red_flags,
    )


def _decode_summary(value: tuple) -> scoring.PanelSummary:
    submitted, numerator, denominator, covered, weight, band, recommendation, flags = value
    return scoring.PanelSummary(
        submitted=submitted,
        weighted_score=None if numerator is None else Fraction(numerator, denominator),
        coverage=Fraction(covered, weight),
        band=band,
        recommendation=recommendation,
        red_flags=flags,
    )


def _score(
    revision_of: dict[int, int],
    revisions: dict[int, RoleRevision],
    dimensions: dict[int, list[scoring.DimensionInput]],
    ids,
) -> dict[int, scoring.PanelSummary | str]:
    """Each application's summary, or why its revision's scoring settings are unusable;
    two queries.

    The database sums each dimension's ratings per application (scoring.Summariser
    needs no more), so hundreds of applications cost a few thousand rows summed in SQL
    and a few integer sums each in Python. Drafts are left out by the aggregates' own
    FILTER, not by a WHERE clause: SQLite, without statistics, would then start from the
    index on the scorecard status and read every submitted card there is.
    """
    known = {revision_id: {d.id for d in dims} for revision_id, dims in dimensions.items()}

    totals: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    on_submitted = Q(scorecard__status=SUBMITTED)
    for application_id, dimension_id, total, count in (
        Rating.objects.filter(scorecard__interview__application_id__in=ids, score__isnull=False)
        .values_list("scorecard__interview__application_id", "dimension_id")
        .annotate(
            total=Sum("score", filter=on_submitted), count=Count("score", filter=on_submitted)
        )
        .order_by()
    ):
        # A rating for a dimension of another revision would be a data error; scoring
        # would refuse it, so it is left out here rather than break the page.
        # `within` may have gained an application since the rows were read: skipped.
        if count and dimension_id in known.get(revision_of.get(application_id), ()):
            totals[application_id][dimension_id] = (total, count)
    # Each card with the red flags observed on it (signals of the application's own
    # revision only, as for the ratings): one row per card and status, counted.
    submitted: dict[int, int] = defaultdict(int)
    red_flags: dict[int, int] = defaultdict(int)
    for application_id, status, cards, flags in (
        Scorecard.objects.filter(interview__application_id__in=ids)
        .values_list("interview__application_id", "status")
        .annotate(
            cards=Count("pk", distinct=True),
            flags=Count(
                "signal_checks",
                filter=Q(
                    signal_checks__signal__kind=Signal.Kind.RED_FLAG,
                    signal_checks__signal__revision_id=F("interview__application__revision_id"),
                ),
            ),
        )
        .order_by()
    ):
        if status == SUBMITTED:
            submitted[application_id] += cards
            red_flags[application_id] += flags

    summarisers: dict[int, scoring.Summariser | PanelConfigError] = {}
    for revision_id, revision in revisions.items():
        try:
            summarisers[revision_id] = scoring.Summariser(
                dimensions.get(revision_id, []), policy_for(revision)
            )
        except PanelConfigError as exc:
            summarisers[revision_id] = exc
    results: dict[int, scoring.PanelSummary | str] = {}
    for pk, revision_id in revision_of.items():
        summarise = summarisers[revision_id]
        if isinstance(summarise, PanelConfigError):
            results[pk] = str(summarise)
        else:
            results[pk] = summarise(totals.get(pk, {}), submitted.get(pk, 0), red_flags.get(pk, 0))
    return results
