"""The ORM side of the panel and the pipeline: submitted scorecards in, scoring.panel's
result out.

`load_panel` gathers everything the panel page shows about one application and
`load_summaries` the headline of many (the pipeline, its CSV), each in a fixed number of
queries whatever the number of interviewers, dimensions or applications, and each through
scoring.panel: the rules live in scorecards/scoring.py only. What they compute is kept in
the results cache (hiring.results_cache), one entry per application and panel_version.

Drafts never count: ratings and signals are read for submitted scorecards only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from django.db.models import F, FilteredRelation, Prefetch, Q

from hiring import results_cache
from hiring.models import Application, Decision, Interview
from hiring_site.formatting import display_name, person_name
from roles.models import LEVEL_LABELS, Dimension, InterviewStage, Role, RoleRevision, Signal
from scorecards import scoring
from scorecards.models import Rating, Scorecard, SignalCheck

SUBMITTED = Scorecard.Status.SUBMITTED

# Sort order for the pipeline: best first, "not enough evidence yet" last.
RECOMMENDATION_RANK = {rec: rank for rank, rec in enumerate(scoring.PANEL_RECOMMENDATIONS)}
CARD_RECOMMENDATION_LABELS = dict(Scorecard.Recommendation.choices)


class PanelConfigError(Exception):
    """The role revision's scoring settings cannot be used (e.g. thresholds out of order)."""


def policy_for(revision: RoleRevision) -> scoring.Policy:
    try:
        return revision.scoring_policy()
    except ValueError as exc:
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
    """What the panel page shows of an application's cards, the same for every viewer
    (the decision history and form are read and built per request, beside it)."""

    result: scoring.PanelResult
    columns: list[Column]
    rows: list[Row]
    stage_gaps: list[StageGap]
    strong_signals: list[Observation]
    weak_signals: list[Observation]
    policy: scoring.Policy

    @property
    def recommendation(self) -> str:
        return self.result.recommendation

    @property
    def recommendation_label(self) -> str:
        return scoring.RECOMMENDATION_LABELS[self.result.recommendation]

    @property
    def recommendation_style(self) -> str:
        return RECOMMENDATION_STYLES[self.result.recommendation]

    @property
    def red_flag_count(self) -> int:
        return len(self.result.red_flags)

    @property
    def capped(self) -> bool:
        """A gate moved the recommendation away from the band the score falls in."""
        return self.result.band is not None and self.result.band != self.result.recommendation

    @property
    def band_label(self) -> str:
        return scoring.RECOMMENDATION_LABELS.get(self.result.band, "")

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


# The order of the panel's columns; scoring keeps it in each dimension's list of scores.
COLUMN_ORDER = ("stage__order", "stage_id", "interviewer__last_name", "interviewer_id", "id")


def panel_view(application: Application) -> PanelView:
    """The panel of `application` (with revision__role selected), from the results
    cache or computed (load_panel). Raises PanelConfigError when the revision's scoring
    settings cannot be used."""
    return results_cache.per_application(
        "panel", [application], lambda missing: {application.pk: load_panel(application)}
    )[application.pk]


def panel_payload(application: Application) -> dict:
    """The panel as JSON (DESIGN.md), from the results cache or computed (panel_result)."""
    revision = application.revision
    return results_cache.per_application(
        "panel_json",
        [application],
        lambda missing: {
            application.pk: panel_result(application).to_json(
                application.pk, revision.role.slug, revision.number
            )
        },
    )[application.pk]


def panel_result(application: Application) -> scoring.PanelResult:
    """What the panel concludes, without the rest of the page (for its JSON): the same
    inputs as load_panel reads, in the same order, in four queries rather than seven.

    `application` comes with revision__role selected.
    """
    policy = policy_for(application.revision)
    dimensions = _revision_dimensions(application.revision_id)
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


def _revision_dimensions(revision_id: int) -> list[Dimension]:
    return list(Dimension.objects.filter(revision_id=revision_id).order_by("order", "id"))


def _revision_stages(revision_id: int) -> list[InterviewStage]:
    """The revision's stages with their focus dimensions (two queries)."""
    return list(
        InterviewStage.objects.filter(revision_id=revision_id)
        .order_by("order", "id")
        .prefetch_related(
            Prefetch("focus_dimensions", queryset=Dimension.objects.order_by("order", "id"))
        )
    )


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


def load_panel(application: Application) -> PanelView:
    """Everything the panel shows of the application's cards; `application` comes with
    revision__role selected.

    Six queries whatever the size of the panel: dimensions, stages, their focus
    dimensions, interviews (with interviewer, stage and scorecard), submitted ratings,
    submitted signal checks.
    """
    revision = application.revision
    policy = policy_for(revision)
    dimensions = _revision_dimensions(revision.pk)
    stages = _revision_stages(revision.pk)
    focus = {stage.pk: {d.pk for d in stage.focus_dimensions.all()} for stage in stages}
    interviews = panel_interviews(application)
    ratings = _group(_submitted_ratings([application.pk]), "scorecard_id")
    checks = _group(_submitted_checks([application.pk]), "scorecard_id")

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
        result=result,
        columns=columns,
        rows=rows,
        stage_gaps=_stage_gaps(stages, interviews),
        strong_signals=[o for c in columns for o in c.strong],
        weak_signals=[o for c in columns for o in c.weak],
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
    """What the pipeline and its CSV show of an application: a few fields of what
    scoring.panel concludes (`headline`), or why the role's scoring settings are
    unusable (`error`)."""

    application: ApplicationRow
    headline: Headline | None
    error: str = ""

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
    def weighted_score_display(self) -> str:
        return scoring.fmt(self.weighted_score)

    @property
    def coverage_display(self) -> str:
        return scoring.fmt(self.headline.coverage) if self.headline else ""

    @property
    def recommendation(self) -> str:
        return self.headline.recommendation if self.headline else ""

    @property
    def recommendation_label(self) -> str:
        return scoring.RECOMMENDATION_LABELS.get(self.recommendation, "Scoring settings invalid")

    @property
    def red_flag_count(self) -> int:
        return self.headline.red_flags if self.headline else 0


@dataclass(frozen=True)
class Headline:
    """The fields of a scoring.PanelResult that a list shows."""

    submitted: int
    weighted_score: Fraction | None
    coverage: Fraction
    recommendation: str
    red_flags: int

    @classmethod
    def of(cls, result: scoring.PanelResult) -> Headline:
        return cls(
            result.submitted,
            result.weighted_score,
            result.coverage,
            result.recommendation,
            len(result.red_flags),
        )

    def encode(self) -> tuple:
        # Plain integers and strings: they unpickle several times faster than Fractions,
        # and a list reads hundreds of them.
        score = self.weighted_score
        return (
            self.submitted,
            None if score is None else (score.numerator, score.denominator),
            (self.coverage.numerator, self.coverage.denominator),
            self.recommendation,
            self.red_flags,
        )

    @classmethod
    def decode(cls, value: tuple) -> Headline:
        submitted, score, coverage, recommendation, red_flags = value
        return cls(
            submitted,
            None if score is None else Fraction(*score),
            Fraction(*coverage),
            recommendation,
            red_flags,
        )


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
            summaries.append(Summary(application, Headline.decode(value)))
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
    """Each application's encoded Headline, or why its revision's scoring settings are
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
    # only, as for the ratings), with who observed them.
    flags: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for card_id, text, note, first, last, username in (
        SignalCheck.objects.filter(
            scorecard__interview__application_id__in=list(revision_of),
            signal__kind=Signal.Kind.RED_FLAG,
            signal__revision_id=F("scorecard__interview__application__revision_id"),
        )
        .values_list(
            "scorecard_id",
            "signal__text",
            "note",
            "scorecard__interview__interviewer__first_name",
            "scorecard__interview__interviewer__last_name",
            "scorecard__interview__interviewer__username",
        )
        .order_by("scorecard_id", "signal__order", "signal_id")
    ):
        if card_id in cards:  # submitted
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
            results[pk] = Headline.of(result).encode()
    return results
