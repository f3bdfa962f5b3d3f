"""Panel scoring: turns submitted scorecards into a weighted, explained hire recommendation.

The rules are those of DESIGN.md, "Scoring rules". This module is the only place they are
computed, in one function: `conclude` decides (weighted score, coverage, band, gates,
disagreement) on a panel's aggregates (`Tallies`: per dimension the count, sum, lowest and
highest of the submitted ratings; the submitted cards, red flags, overall
recommendations). `panel` adds its cards up into those and calls it, keeping each card's
detail beside the verdict for the panel page and its JSON; the pipeline and its CSV have
the database add the cards up and call `conclude` on the sums. It is pure
(standard library only, no Django, no ORM) so the rules can be tested without a database;
the scoring settings it applies, their defaults and their check, and the names and labels
of the recommendations come from roles/scoring_policy.py (pure too), which the revision's
model and editor use.

Numbers stay exact (integers and Fractions) until they are shown; `fmt` is the one place
that rounds. What people read (the explanation, the disagreements) speaks in the labels of
roles/scoring_policy.py, never in codes ("No hire", not "no_hire"); the codes stay in the
verdict, its gates and the JSON's keys and values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from types import MappingProxyType
from typing import Any, NamedTuple

from roles.scoring_policy import (
    BANDS,
    CARD_RECOMMENDATION_LABELS,
    CARD_RECOMMENDATIONS,
    DEFAULT_POLICY,
    DEFAULT_THRESHOLDS,
    HIRE,
    INSUFFICIENT_EVIDENCE,
    NO_HIRE,
    PANEL_RECOMMENDATIONS,
    RATING_MAX,
    RATING_MIN,
    RECOMMENDATION_LABELS,
    RED_FLAG_POLICIES,
    STRONG_HIRE,
    STRONG_NO_HIRE,
    VETO,
    WARN,
    Policy,
)
from roles.scoring_policy import to_decimal as _to_decimal
from roles.weights import format_percent

__all__ = [
    "BANDS",
    "CARD_RECOMMENDATIONS",
    "CARD_RECOMMENDATION_LABELS",
    "DEFAULT_POLICY",
    "DEFAULT_THRESHOLDS",
    "HIRE",
    "INSUFFICIENT_EVIDENCE",
    "NO_HIRE",
    "PANEL_RECOMMENDATIONS",
    "RATING_MAX",
    "RATING_MIN",
    "RECOMMENDATION_LABELS",
    "RED_FLAG_POLICIES",
    "STRONG_HIRE",
    "STRONG_NO_HIRE",
    "VETO",
    "WARN",
    "DimensionInput",
    "DimensionResult",
    "DimensionTally",
    "PanelResult",
    "Policy",
    "ScorecardInput",
    "Tallies",
    "Verdict",
    "band_for",
    "conclude",
    "fmt",
    "panel",
    "scorecard_score",
]

DRAFT = "draft"
SUBMITTED = "submitted"
STATUSES = (DRAFT, SUBMITTED)

NEGATIVE_RECOMMENDATIONS = frozenset({"strong_no", "no"})
POSITIVE_RECOMMENDATIONS = frozenset({"yes", "strong_yes"})

GATE_INSUFFICIENT_EVIDENCE = "insufficient_evidence"
GATE_RED_FLAG_VETO = "red_flag_veto"
GATE_RED_FLAG_WARN = "red_flag_warn"
GATE_BELOW_MINIMUM = "below_minimum"


@dataclass(frozen=True)
class DimensionInput:
    id: int
    name: str
    weight: Decimal
    min_score: int | None = None
    # The weight as an exact integer ratio, worked out once: a list decides hundreds of
    # panels on the same few dimensions.
    weight_ratio: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weight = _to_decimal(self.weight, f"weight of {self.name!r}")
        if weight < 0:
            raise ValueError(f"weight of {self.name!r} must not be negative")
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "weight_ratio", weight.as_integer_ratio())
        if self.min_score is not None and not _is_rating(self.min_score):
            raise ValueError(
                f"min_score of {self.name!r} must be {RATING_MIN}-{RATING_MAX}, "
                f"not {self.min_score!r}"
            )


@dataclass(frozen=True)
class ScorecardInput:
    """One scorecard, checked once here: panel() trusts what it was built with."""

    id: int
    interviewer: str
    status: str
    ratings: Mapping[int, int | None]
    recommendation: str | None = None
    red_flags: tuple[str, ...] = ()
    # Parallel to red_flags; may be left empty when no interviewer wrote notes.
    red_flag_notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"scorecard {self.id}: unknown status {self.status!r}")
        if self.recommendation is not None and self.recommendation not in CARD_RECOMMENDATIONS:
            raise ValueError(f"scorecard {self.id}: unknown recommendation {self.recommendation!r}")
        for dimension_id, score in self.ratings.items():
            # Forms already prevent these; a silent skip would hide a broken caller.
            if score is not None and (
                type(score) is not int or not RATING_MIN <= score <= RATING_MAX
            ):
                raise ValueError(
                    f"scorecard {self.id}: rating {score!r} for dimension {dimension_id} is "
                    f"outside {RATING_MIN}-{RATING_MAX}"
                )
        # Callers build these from querysets; lists would make the "frozen" card mutable.
        object.__setattr__(self, "ratings", MappingProxyType(dict(self.ratings)))
        if not isinstance(self.red_flags, tuple):
            object.__setattr__(self, "red_flags", tuple(self.red_flags))
        if not isinstance(self.red_flag_notes, tuple):
            object.__setattr__(self, "red_flag_notes", tuple(self.red_flag_notes))
        if len(self.red_flag_notes) > len(self.red_flags):
            raise ValueError(f"scorecard {self.id}: more red flag notes than red flags")

    def red_flag_observations(self) -> list[dict[str, str]]:
        notes = self.red_flag_notes + ("",) * (len(self.red_flags) - len(self.red_flag_notes))
        return [
            {"text": text, "interviewer": self.interviewer, "note": note}
            for text, note in zip(self.red_flags, notes, strict=True)
        ]


class DimensionTally(NamedTuple):
    """The submitted ratings of one dimension, aggregated: all the rules need of them.
    (A tuple: a list aggregates a few thousand, read straight from a GROUP BY.)"""

    count: int
    total: int
    low: int
    high: int


@dataclass(frozen=True)
class Tallies:
    """A panel's submitted cards, aggregated: what `conclude` decides from. `panel` adds
    them up from its cards; a list of many applications asks the database for them."""

    submitted: int
    # By dimension id; a dimension nobody rated is absent (or has a count of 0).
    dimensions: Mapping[int, DimensionTally]
    red_flags: int = 0
    # How many submitted cards gave each overall recommendation (CARD_RECOMMENDATIONS);
    # None when not read (a list, which shows no disagreements).
    votes: Mapping[str, int] | None = None


@dataclass(frozen=True)
class Verdict:
    """What `conclude` decides: the headline of a panel, its gates and why they fired."""

    submitted: int
    weighted_score: Fraction | None
    coverage: Fraction
    rated_weight: Fraction
    band: str | None
    recommendation: str
    gates: tuple[str, ...]
    red_flag_count: int
    below: tuple[int, ...]  # indices (in the dimensions' order) below their min_score
    disagreeing: tuple[int, ...]  # indices whose ratings span 2 points or more
    votes_split: bool | None  # overall recommendations on both sides (None: not known)
    few_cards: bool
    low_coverage: bool


@dataclass
class DimensionResult:
    id: int
    name: str
    weight: Decimal
    scores: list[int]
    mean: Fraction | None
    contribution: Fraction | None
    below_min: bool
    disagreement: bool
    min_score: int | None = None


class PanelResult:
    """What panel() concludes: `conclude`'s verdict on the submitted cards (the headline:
    submitted, weighted_score, coverage, band, recommendation, gates) with the per-card
    detail the panel page shows (red_flags, who observed them, each rating). The
    per-dimension detail, the disagreements and the explanation are worked out when first
    read."""

    def __init__(
        self,
        *,
        dimensions: Sequence[DimensionInput],
        scores: list[list[int]],
        tallies: Tallies,
        verdict: Verdict,
        policy: Policy,
        red_flags: list[dict[str, str]],
    ):
        self._dimensions = dimensions
        self._scores = scores
        self._tallies = tallies
        self._policy = policy
        self.verdict = verdict
        self.submitted = verdict.submitted
        self.weighted_score = verdict.weighted_score
        self.coverage = verdict.coverage
        self.band = verdict.band
        self.recommendation = verdict.recommendation
        self.red_flags = red_flags
        self.gates = list(verdict.gates)

    def __getstate__(self) -> dict[str, Any]:
        # Kept in a cache: the lazy parts are worked out first.
        for name in ("dimensions", "missing_dimensions", "disagreements", "explanation"):
            getattr(self, name)
        return dict(self.__dict__)

    @cached_property
    def dimensions(self) -> list[DimensionResult]:
        results = []
        rated_weight = self.verdict.rated_weight
        for index, (dimension, scores) in enumerate(
            zip(self._dimensions, self._scores, strict=True)
        ):
            mean = Fraction(sum(scores), len(scores)) if scores else None
            contribution = (
                Fraction(dimension.weight) * mean / rated_weight
                if mean is not None and rated_weight
                else None
            )
            results.append(
                DimensionResult(
                    id=dimension.id,
                    name=dimension.name,
                    weight=dimension.weight,
                    scores=scores,
                    mean=mean,
                    contribution=contribution,
                    below_min=index in self.verdict.below,
                    disagreement=index in self.verdict.disagreeing,
                    min_score=dimension.min_score,
                )
            )
        return results

    @cached_property
    def missing_dimensions(self) -> list[str]:
        return [
            d.name for d, scores in zip(self._dimensions, self._scores, strict=True) if not scores
        ]

    @cached_property
    def disagreements(self) -> list[str]:
        lines = [
            f"{r.name}: ratings span {min(r.scores)} to {max(r.scores)}"
            for r in self.dimensions
            if r.disagreement
        ]
        if self.verdict.votes_split:
            votes = self._tallies.votes
            counts = ", ".join(
                f"{votes[r]} {CARD_RECOMMENDATION_LABELS[r]}"
                for r in CARD_RECOMMENDATIONS
                if votes.get(r)
            )
            lines.append(f"Recommendations split: {counts}")
        return lines

    @cached_property
    def explanation(self) -> list[str]:
        policy = self._policy
        lines = [_dimension_line(r) for r in self.dimensions]
        lines.append(_band_line(self.weighted_score, self.coverage, self.band, policy))
        insufficient = GATE_INSUFFICIENT_EVIDENCE in self.gates
        # Gate 1 decides alone, but gates 2 and 3 are still checked and written down so
        # a reader sees what else stands against the candidate once more evidence arrives.
        if insufficient:
            reasons = []
            if self.verdict.few_cards:
                reasons.append(
                    f"{_plural(self.submitted, 'submitted scorecard')}, "
                    f"at least {policy.min_scorecards} needed"
                )
            if self.verdict.low_coverage:
                reasons.append(
                    f"coverage {fmt(self.coverage)} is below the minimum "
                    f"{_fmt_threshold(policy.min_coverage)}"
                )
            if self.weighted_score is None:
                reasons.append("no weighted score")
            if self.missing_dimensions:
                reasons.append(f"not assessed: {', '.join(self.missing_dimensions)}")
            lines.append(
                f"Not enough evidence yet ({'; '.join(reasons)}), so the recommendation is "
                f"{_label(INSUFFICIENT_EVIDENCE)}"
            )
        current = self.band
        if self.red_flags:
            flags = self.red_flags
            observed = (
                f"{_count(len(flags), 'A red flag was', 'red flags were')} observed "
                f"({_describe_flags(flags)})"
            )
            if policy.red_flag_policy == VETO:
                lines.append(f"{observed}, {_cap_outcome(current, insufficient)}")
                current = _cap_at_no_hire(current) if current else None
            else:
                lines.append(
                    f"{observed}; the role's red flag policy only warns, so the "
                    "recommendation is unchanged"
                )
        below = [r for r in self.dimensions if r.below_min]
        if below:
            details = ", ".join(
                f"{r.name} (mean {fmt(r.mean)}, minimum {r.min_score})" for r in below
            )
            which = _count(len(below), "A dimension is", "dimensions are")
            their = "its" if len(below) == 1 else "their"
            lines.append(
                f"{which} below {their} minimum: {details}, {_cap_outcome(current, insufficient)}"
            )
        return lines

    def to_json(self, application: int, role: str, revision: int) -> dict[str, Any]:
        """The `hiring:panel_json` payload of DESIGN.md, plus a few added keys: codes where
        a program reads them (recommendation, band, gates), and what a person reads beside
        them (recommendation_text, the explanation and disagreements in plain words)."""
        return {
            "application": application,
            "role": role,
            "revision": revision,
            "submitted": self.submitted,
            "weighted_score": _fmt_or_none(self.weighted_score),
            "coverage": fmt(self.coverage),
            "recommendation": self.recommendation,
            "recommendation_text": _label(self.recommendation),
            "dimensions": [
                {
                    "name": d.name,
                    "weight": fmt(d.weight),
                    "scores": list(d.scores),
                    "mean": _fmt_or_none(d.mean),
                    "contribution": _fmt_or_none(d.contribution),
                    "below_min": d.below_min,
                    "disagreement": d.disagreement,
                }
                for d in self.dimensions
            ],
            "red_flags": [dict(flag) for flag in self.red_flags],
            "disagreements": list(self.disagreements),
            "explanation": list(self.explanation),
            "band": self.band,
            "gates": list(self.gates),
            "missing_dimensions": list(self.missing_dimensions),
        }


def fmt(value: Fraction | Decimal | int | float | str | None) -> str:
    """Two-decimal display string, rounding half away from zero (ROUND_HALF_UP).

    None and "" give "" so templates can show a blank cell for "not assessed"; the JSON
    payload turns those into null itself. Rounding goes through Fraction so that a value
    such as 2.675 or 3.525 rounds up exactly, as a person computing by hand would.
    """
    if isinstance(value, Fraction):  # the common case: lists format hundreds of these
        exact = value
    elif value is None or value == "":
        return ""
    else:
        exact = Fraction(_to_decimal(value, "value"))
    # floor(|exact| * 100 + 1/2), in integers: lists format hundreds of these.
    numerator, denominator = abs(exact.numerator), exact.denominator
    rounded = (numerator * 200 + denominator) // (2 * denominator)
    sign = "-" if exact.numerator < 0 and rounded else ""
    return f"{sign}{rounded // 100}.{rounded % 100:02d}"


def _fmt_or_none(value: Fraction | Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def _is_rating(value: object) -> bool:
    return type(value) is int and RATING_MIN <= value <= RATING_MAX


def _check_dimensions(dimensions: Sequence[DimensionInput]) -> set[int]:
    known = {d.id for d in dimensions}
    if len(known) != len(dimensions):
        raise ValueError("dimension ids must be unique")
    return known


def _check_ratings_known(known: set[int], ratings: Mapping[int, int | None], card: str) -> None:
    if not ratings.keys() <= known:
        unknown = sorted(set(ratings) - known, key=repr)[0]
        raise ValueError(f"{card}: rating for unknown dimension id {unknown!r}")


def scorecard_score(
    dimensions: Sequence[DimensionInput], ratings: Mapping[int, int | None]
) -> Fraction | None:
    """One card's weighted score over the dimensions it rated.

    None when it rated none (or only dimensions weighted 0): there is nothing to average.
    """
    known = _check_dimensions(dimensions)
    _check_ratings_known(known, ratings, "scorecard")
    for dimension_id, score in ratings.items():
        if score is not None and not _is_rating(score):
            raise ValueError(
                f"scorecard: rating {score!r} for dimension {dimension_id} is outside "
                f"{RATING_MIN}-{RATING_MAX}"
            )
    # sum(w * r) / sum(w) in integers: the weights scaled to whole numbers alike.
    rated = [
        (d.weight_ratio, score) for d in dimensions if (score := ratings.get(d.id)) is not None
    ]
    scale = math.lcm(*(denominator for (_, denominator), _ in rated)) if rated else 1
    weights = [
        (numerator * (scale // denominator), score) for (numerator, denominator), score in rated
    ]
    total = sum(weight for weight, _ in weights)
    if not total:
        return None
    return Fraction(sum(weight * score for weight, score in weights), total)


def band_for(
    score: Fraction | Decimal | int, thresholds: Mapping[str, Any] = DEFAULT_THRESHOLDS
) -> str:
    """The band a panel weighted score falls in; a score on a threshold belongs above it."""
    exact = Fraction(score)
    limits, _ = Policy(thresholds=thresholds).ratios
    return _band(exact.numerator, exact.denominator, limits)


def _band(numerator: int, denominator: int, limits: tuple[tuple[str, tuple[int, int]], ...]) -> str:
    """The first band (best first) whose limit n / d the score numerator / denominator
    reaches, compared by cross-multiplying (the denominators are positive)."""
    for band, (n, d) in limits:
        if numerator * d >= n * denominator:
            return band
    return STRONG_NO_HIRE


def _fmt_threshold(threshold: Decimal) -> str:
    # A revision may set 3.005; showing it as "3.01" would misstate the rule.
    shown = fmt(threshold)
    return shown if Decimal(shown) == threshold else format(threshold.normalize(), "f")


def _band_rule(band: str, thresholds: Mapping[str, Decimal]) -> str:
    if band == STRONG_NO_HIRE:
        return f"below {_fmt_threshold(thresholds[NO_HIRE])}"
    return f"at least {_fmt_threshold(thresholds[band])}"


def _label(recommendation: str) -> str:
    """What people read for a panel recommendation (the code stays in the JSON)."""
    return RECOMMENDATION_LABELS[recommendation]


def _cap_at_no_hire(band: str) -> str:
    return band if BANDS.index(band) >= BANDS.index(NO_HIRE) else NO_HIRE


def _dimension_line(result: DimensionResult) -> str:
    head = f"{result.name}: weight {format_percent(result.weight)}"
    if result.mean is None:
        return f"{head}, not assessed"
    # Sorted so the explanation does not depend on the order the cards arrived in.
    ratings = ", ".join(str(s) for s in sorted(result.scores))
    line = f"{head}, ratings {ratings}, mean {fmt(result.mean)}"
    if result.contribution is None:
        return f"{line}, carries no weight"
    return f"{line}, contributes {fmt(result.contribution)}"


def _band_line(score: Fraction | None, coverage: Fraction, band: str | None, policy: Policy) -> str:
    if score is None or band is None:
        return (
            f"No weighted score: no weighted dimension is rated on a submitted scorecard "
            f"(coverage {fmt(coverage)})"
        )
    shown = fmt(score)
    # 1.995 shows as "2.00" yet lies below 2.00; say so rather than look self-contradictory.
    shown_exact = Fraction(Decimal(shown))
    if band_for(shown_exact, policy.thresholds) != band:
        limits = policy.thresholds.values()
        if shown_exact > score:
            crossed = min((t for t in limits if Fraction(t) > score), key=Fraction)
            shown += f" (rounded up from just below {_fmt_threshold(crossed)})"
        else:
            crossed = max((t for t in limits if Fraction(t) <= score), key=Fraction)
            shown += f" (rounded down from at least {_fmt_threshold(crossed)})"
    return (
        f"Weighted score {shown} with coverage {fmt(coverage)} falls in the {_label(band)} "
        f"band ({_band_rule(band, policy.thresholds)})"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _count(count: int, one: str, many: str) -> str:
    """ "A red flag was" for one, "3 red flags were" for more."""
    return one if count == 1 else f"{count} {many}"


def _describe_flags(flags: list[dict[str, str]]) -> str:
    parts = []
    for flag in flags:
        part = f'"{flag["text"]}" by {flag["interviewer"]}'
        if flag["note"]:
            part += f", note: {flag['note']}"
        parts.append(part)
    return "; ".join(parts)


def _cap_outcome(current: str | None, insufficient: bool) -> str:
    """What a gate that caps at No hire does to the recommendation, as the end of a
    sentence ("..., so the recommendation is capped at No hire")."""
    cap = _label(NO_HIRE)
    if insufficient or current is None:
        return f"which will cap the recommendation at {cap} once there is enough evidence"
    if current == NO_HIRE:
        return f"so the recommendation is capped at {cap}"
    if _cap_at_no_hire(current) == current:
        return f"which caps the recommendation at {cap}; it stays {_label(current)}, which is lower"
    return f"so the recommendation is capped at {cap} (the score alone gives {_label(current)})"


def conclude(
    dimensions: Sequence[DimensionInput], tallies: Tallies, policy: Policy = DEFAULT_POLICY
) -> Verdict:
    """The rules of DESIGN.md, "Scoring rules", applied to a panel's submitted cards as
    aggregates: weighted score, coverage, band, the gates in their order, disagreement.
    The one place they are computed: panel() adds its cards up and calls this, and a
    list of many applications calls it with aggregates the database worked out.

    In integer arithmetic where it can be: a list decides hundreds of panels.
    """
    # Weights as whole numbers in the same proportions (scaled by the lcm of their
    # denominators): every ratio below is unchanged, and stays in integers.
    scale = math.lcm(*(d.weight_ratio[1] for d in dimensions)) if dimensions else 1
    total_weight = rated_weight = 0
    common = 1  # the lcm of the rated dimensions' counts: a denominator of every mean
    rated: list[tuple[int, int, int]] = []  # (weight, total, count) of each rated dimension
    below, disagreeing = [], []
    found = 0
    for i, dimension in enumerate(dimensions):
        weight = dimension.weight_ratio[0] * (scale // dimension.weight_ratio[1])
        total_weight += weight
        tally = tallies.dimensions.get(dimension.id)
        if tally is None:
            continue
        found += 1
        count, total = tally.count, tally.total
        if not count:
            continue
        rated_weight += weight
        common = math.lcm(common, count)
        rated.append((weight, total, count))
        if dimension.min_score is not None and total < dimension.min_score * count:
            below.append(i)
        if tally.high - tally.low >= 2:
            disagreeing.append(i)
    if found != len(tallies.dimensions):
        _check_ratings_known(_check_dimensions(dimensions), tallies.dimensions, "tallies")
        raise ValueError("dimension ids must be unique")
    numerator = sum(weight * total * (common // count) for weight, total, count in rated)
    coverage = Fraction(rated_weight, total_weight) if total_weight else Fraction(0)
    limits, (least_covered, per) = policy.ratios
    # coverage < min_coverage, cross-multiplied (both denominators are positive).
    low_coverage = (
        rated_weight * per < least_covered * total_weight if total_weight else least_covered > 0
    )
    weighted_score = band = None
    if rated_weight:
        denominator = common * rated_weight
        weighted_score = Fraction(numerator, denominator)
        band = _band(numerator, denominator, limits)

    gates: list[str] = []
    few_cards = tallies.submitted < policy.min_scorecards
    insufficient = few_cards or low_coverage or weighted_score is None
    if insufficient:
        gates.append(GATE_INSUFFICIENT_EVIDENCE)
    recommendation = band
    if tallies.red_flags:
        if policy.red_flag_policy == VETO:
            gates.append(GATE_RED_FLAG_VETO)
            recommendation = _cap_at_no_hire(recommendation) if recommendation else None
        else:
            gates.append(GATE_RED_FLAG_WARN)
    if below:
        gates.append(GATE_BELOW_MINIMUM)
        recommendation = _cap_at_no_hire(recommendation) if recommendation else None

    voted = None if tallies.votes is None else {r for r, n in tallies.votes.items() if n}
    return Verdict(
        submitted=tallies.submitted,
        weighted_score=weighted_score,
        coverage=coverage,
        rated_weight=Fraction(rated_weight, scale),
        band=band,
        recommendation=INSUFFICIENT_EVIDENCE if insufficient else recommendation,
        gates=tuple(gates),
        red_flag_count=tallies.red_flags,
        below=tuple(below),
        disagreeing=tuple(disagreeing),
        votes_split=(
            None
            if voted is None
            else bool(voted & NEGATIVE_RECOMMENDATIONS and voted & POSITIVE_RECOMMENDATIONS)
        ),
        few_cards=few_cards,
        low_coverage=low_coverage,
    )


def panel(
    dimensions: Sequence[DimensionInput],
    scorecards: Sequence[ScorecardInput],
    policy: Policy = DEFAULT_POLICY,
) -> PanelResult:
    """Score a panel: only submitted cards count; drafts are work in progress.

    Adds the submitted cards up into Tallies, has `conclude` decide on them, and keeps
    each card's ratings and red flags beside its verdict for the panel's detail.
    """
    known = _check_dimensions(dimensions)
    index = {d.id: i for i, d in enumerate(dimensions)}
    scores: list[list[int]] = [[] for _ in dimensions]
    submitted = []
    for card in scorecards:
        _check_ratings_known(known, card.ratings, f"scorecard {card.id}")
        if card.status != SUBMITTED:
            continue
        submitted.append(card)
        for dimension_id, score in card.ratings.items():
            if score is not None:
                scores[index[dimension_id]].append(score)

    red_flags = sorted(
        (flag for card in submitted if card.red_flags for flag in card.red_flag_observations()),
        key=lambda flag: (flag["interviewer"], flag["text"], flag["note"]),
    )
    tallies = Tallies(
        submitted=len(submitted),
        dimensions={
            d.id: DimensionTally(len(s), sum(s), min(s), max(s))
            for d, s in zip(dimensions, scores, strict=True)
            if s
        },
        red_flags=len(red_flags),
        votes=Counter(card.recommendation for card in submitted if card.recommendation),
    )
    return PanelResult(
        dimensions=dimensions,
        scores=scores,
        tallies=tallies,
        verdict=conclude(dimensions, tallies, policy),
        policy=policy,
        red_flags=red_flags,
    )
