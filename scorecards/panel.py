"""The panel of one application: its submitted scorecards in, scoring.panel's result and
everything the panel page shows beside it out.

`load_panel` gathers it in a fixed number of queries whatever the number of interviewers
or dimensions; `panel_view` and `panel_payload` keep it (and the JSON) in the results
cache (hiring.results_cache) under the application's panel_version. The rules live in
scorecards/scoring.py only (scoring.conclude, which scoring.panel calls); the pipeline
(scorecards/pipeline.py) decides on many applications through the same scoring.conclude,
from aggregates the database adds up, and stores each headline; the chart's geometry is
in scorecards/chart.py.

Drafts never count: ratings and signals are read for submitted scorecards only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import F

from hiring import results_cache
from hiring.models import Application, Decision, Interview
from hiring_site.formatting import display_name
from roles.models import LEVEL_LABELS, Dimension, InterviewStage, RoleRevision, Signal
from scorecards import scoring
from scorecards.chart import Chart
from scorecards.models import Rating, Scorecard, SignalCheck

SUBMITTED = Scorecard.Status.SUBMITTED

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
    # refuse it, so it is left out here rather than break the page. Unordered: they are
    # looked up by card and dimension (the columns keep the cards' order).
    return Rating.objects.filter(
        scorecard__status=SUBMITTED,
        scorecard__interview__application_id__in=application_ids,
        dimension__revision_id=F("scorecard__interview__application__revision_id"),
    ).order_by()


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


def _cell(score: int | None, evidence: str, in_focus: bool) -> dict:
    """One interviewer's rating of one dimension, as the matrix shows it: a plain dict,
    which a template reads faster than an object's attributes (a panel has dozens)."""
    return {
        "score": score,
        "evidence": evidence,
        "in_focus": in_focus,
        "level": LEVEL_LABELS[score].lower() if score else "",
    }


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
    cells: list[dict]
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
    # Its interviews, each read with Interview.card_state (the one card-state rule) when
    # the page shows it, so "overdue" follows the clock, not the cached panel.
    waiting_on: list[Interview]


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
    def no_hire_label(self) -> str:
        """What the red flag veto and the minimum scores cap the recommendation at."""
        return scoring.RECOMMENDATION_LABELS[scoring.NO_HIRE]

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
    ratings = _group(
        _submitted_ratings([application.pk]).only("scorecard_id", "dimension_id", "score"),
        "scorecard_id",
    )
    checks = _group(_submitted_checks([application.pk]), "scorecard_id")
    inputs = [card_input for _, _, card_input in _submitted_cards(interviews, ratings, checks)]
    return scoring.panel(dimension_inputs(dimensions), inputs, policy)


def _submitted_cards(interviews, ratings, checks):
    """(interview, card, its ScorecardInput) for each interview with a submitted card, in
    the interviews' order. Drafts are dropped here, not in SQL: SQLite would start from
    the status index."""
    for interview in interviews:
        card = _scorecard_or_none(interview)
        if card is not None and card.status == SUBMITTED:
            yield interview, card, scorecard_input(card, ratings[card.pk], checks[card.pk])


def _revision_dimensions(revision_id: int) -> list[Dimension]:
    return list(Dimension.objects.filter(revision_id=revision_id).order_by("order", "id"))


def _revision_stages(revision_id: int) -> tuple[list[InterviewStage], dict[int, set[int]]]:
    """The revision's stages, and the ids of each one's focus dimensions (two queries;
    the pairs are read as plain ids: the panel needs no more of them)."""
    stages = list(InterviewStage.objects.filter(revision_id=revision_id).order_by("order", "id"))
    focus: dict[int, set[int]] = {stage.pk: set() for stage in stages}
    for stage_id, dimension_id in InterviewStage.focus_dimensions.through.objects.filter(
        interviewstage__revision_id=revision_id
    ).values_list("interviewstage_id", "dimension_id"):
        focus[stage_id].add(dimension_id)
    return stages, focus


def panel_interviews(application: Application) -> list[Interview]:
    """The application's interviews in column order, with interviewer, stage and
    scorecard: the panel's columns and gaps are built from them."""
    interviews = list(
        Interview.objects.filter(application=application)
        .select_related("interviewer", "stage", "scorecard")
        .order_by(*COLUMN_ORDER)
    )
    for interview in interviews:
        interview.application = application  # their card_state reads its status
    return interviews


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
    stages, focus = _revision_stages(revision.pk)
    interviews = panel_interviews(application)
    ratings = _group(_submitted_ratings([application.pk]), "scorecard_id")
    checks = _group(_submitted_checks([application.pk]), "scorecard_id")

    inputs = dimension_inputs(dimensions)
    cards, columns = [], []
    for interview, card, card_input in _submitted_cards(interviews, ratings, checks):
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
                _cell(
                    rating.score if rating else None,
                    rating.evidence if rating else "",
                    dimension.pk in focus.get(column.interview.stage_id, set()),
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
        gaps.append(StageGap(stage, assigned))
    return gaps
