"""Panel scoring: turns submitted scorecards into a weighted, explained hire recommendation.

The rules are those of DESIGN.md, "Scoring rules". This module is the only place they are
computed; it is pure (standard library only, no Django, no ORM) so views, exports and
commands all agree, and so the rules can be tested without a database.

Numbers stay exact (Fraction) until they are shown; `fmt` is the one place that rounds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import Any

RATING_MIN = 1
RATING_MAX = 5

DRAFT = "draft"
SUBMITTED = "submitted"
STATUSES = (DRAFT, SUBMITTED)

CARD_RECOMMENDATIONS = ("strong_no", "no", "yes", "strong_yes")
NEGATIVE_RECOMMENDATIONS = frozenset({"strong_no", "no"})
POSITIVE_RECOMMENDATIONS = frozenset({"yes", "strong_yes"})

STRONG_HIRE = "strong_hire"
HIRE = "hire"
NO_HIRE = "no_hire"
STRONG_NO_HIRE = "strong_no_hire"
INSUFFICIENT_EVIDENCE = "insufficient_evidence"
# Best first; band_for walks this order, and the gates cap by position in it.
BANDS = (STRONG_HIRE, HIRE, NO_HIRE, STRONG_NO_HIRE)
PANEL_RECOMMENDATIONS = (*BANDS, INSUFFICIENT_EVIDENCE)

VETO = "veto"
WARN = "warn"
RED_FLAG_POLICIES = (VETO, WARN)

GATE_INSUFFICIENT_EVIDENCE = "insufficient_evidence"
GATE_RED_FLAG_VETO = "red_flag_veto"
GATE_RED_FLAG_WARN = "red_flag_warn"
GATE_BELOW_MINIMUM = "below_minimum"

DEFAULT_THRESHOLDS: Mapping[str, Decimal] = MappingProxyType(
    {STRONG_HIRE: Decimal(4), HIRE: Decimal(3), NO_HIRE: Decimal(2)}
)


def _to_decimal(value: Any, what: str) -> Decimal:
    """Exact Decimal from what models, forms and JSON hand over (Decimal, int, str, float)."""
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if isinstance(value, float):
        # JSON fields give floats; their shortest repr is what the user typed (0.7, not
        # 0.6999999999999999555910790149937).
        value = repr(value)
    try:
        result = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{what} must be a number, not {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return result


def _normalise_thresholds(thresholds: Mapping[str, Any]) -> Mapping[str, Decimal]:
    # A revision may store only the thresholds it changes; the rest keep their defaults.
    unknown = set(thresholds) - set(DEFAULT_THRESHOLDS)
    if unknown:
        raise ValueError(f"unknown threshold(s): {', '.join(sorted(unknown))}")
    merged = {
        band: _to_decimal(thresholds.get(band, default), f"threshold {band}")
        for band, default in DEFAULT_THRESHOLDS.items()
    }
    if not merged[STRONG_HIRE] >= merged[HIRE] >= merged[NO_HIRE]:
        raise ValueError("thresholds must satisfy strong_hire >= hire >= no_hire")
    return MappingProxyType(merged)


@dataclass(frozen=True)
class DimensionInput:
    id: int
    name: str
    weight: Decimal
    min_score: int | None = None

    def __post_init__(self) -> None:
        weight = _to_decimal(self.weight, f"weight of {self.name!r}")
        if weight < 0:
            raise ValueError(f"weight of {self.name!r} must not be negative")
        object.__setattr__(self, "weight", weight)
        if self.min_score is not None and not _is_rating(self.min_score):
            raise ValueError(
                f"min_score of {self.name!r} must be {RATING_MIN}-{RATING_MAX}, "
                f"not {self.min_score!r}"
            )


@dataclass(frozen=True)
class ScorecardInput:
    id: int
    interviewer: str
    status: str
    ratings: Mapping[int, int | None]
    recommendation: str | None = None
    red_flags: tuple[str, ...] = ()
    # Parallel to red_flags; may be left empty when no interviewer wrote notes.
    red_flag_notes: tuple[str, ...] = ()
    strong_signals: int = 0
    weak_signals: int = 0

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"scorecard {self.id}: unknown status {self.status!r}")
        if self.recommendation is not None and self.recommendation not in CARD_RECOMMENDATIONS:
            raise ValueError(f"scorecard {self.id}: unknown recommendation {self.recommendation!r}")
        # Callers build these from querysets; lists would make the "frozen" card mutable.
        object.__setattr__(self, "ratings", MappingProxyType(dict(self.ratings)))
        object.__setattr__(self, "red_flags", tuple(self.red_flags))
        object.__setattr__(self, "red_flag_notes", tuple(self.red_flag_notes))
        if len(self.red_flag_notes) > len(self.red_flags):
            raise ValueError(f"scorecard {self.id}: more red flag notes than red flags")

    def red_flag_observations(self) -> list[dict[str, str]]:
        notes = self.red_flag_notes + ("",) * (len(self.red_flags) - len(self.red_flag_notes))
        return [
            {"text": text, "interviewer": self.interviewer, "note": note}
            for text, note in zip(self.red_flags, notes, strict=True)
        ]


@dataclass(frozen=True)
class Policy:
    thresholds: Mapping[str, Decimal] = field(default_factory=lambda: DEFAULT_THRESHOLDS)
    red_flag_policy: str = VETO
    min_scorecards: int = 2
    min_coverage: Decimal = Decimal("0.7")

    def __post_init__(self) -> None:
        object.__setattr__(self, "thresholds", _normalise_thresholds(self.thresholds))
        if self.red_flag_policy not in RED_FLAG_POLICIES:
            raise ValueError(f"unknown red flag policy {self.red_flag_policy!r}")
        if isinstance(self.min_scorecards, bool) or not isinstance(self.min_scorecards, int):
            raise ValueError(f"min_scorecards must be an integer, not {self.min_scorecards!r}")
        if self.min_scorecards < 0:
            raise ValueError("min_scorecards must not be negative")
        min_coverage = _to_decimal(self.min_coverage, "min_coverage")
        if not 0 <= min_coverage <= 1:
            raise ValueError("min_coverage must lie between 0 and 1")
        object.__setattr__(self, "min_coverage", min_coverage)


DEFAULT_POLICY = Policy()


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


@dataclass
class PanelResult:
    submitted: int
    weighted_score: Fraction | None
    coverage: Fraction
    band: str | None
    recommendation: str
    dimensions: list[DimensionResult]
    red_flags: list[dict[str, str]]
    disagreements: list[str]
    explanation: list[str]
    gates: list[str]
    missing_dimensions: list[str]

    def to_json(self, application: int, role: str, revision: int) -> dict[str, Any]:
        """The `hiring:panel_json` payload of DESIGN.md, plus a few added keys."""
        return {
            "application": application,
            "role": role,
            "revision": revision,
            "submitted": self.submitted,
            "weighted_score": _fmt_or_none(self.weighted_score),
            "coverage": fmt(self.coverage),
            "recommendation": self.recommendation,
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


def _fmt_weight(weight: Decimal) -> str:
    # Weights are percentages people typed: "20" and "12.5" read better than "20.00".
    if weight == weight.to_integral_value():
        return str(int(weight))
    return format(weight.normalize(), "f")


def _is_rating(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and RATING_MIN <= value <= RATING_MAX
    )


def _validate_ratings(
    dimensions: Sequence[DimensionInput], ratings: Mapping[int, int | None], card: str
) -> None:
    # Forms already prevent these; a silent skip here would hide a broken caller.
    known = {d.id for d in dimensions}
    for dimension_id, score in ratings.items():
        if dimension_id not in known:
            raise ValueError(f"{card}: rating for unknown dimension id {dimension_id!r}")
        if score is not None and not _is_rating(score):
            raise ValueError(
                f"{card}: rating {score!r} for dimension {dimension_id} is outside "
                f"{RATING_MIN}-{RATING_MAX}"
            )


def _validate_dimensions(dimensions: Sequence[DimensionInput]) -> None:
    ids = [d.id for d in dimensions]
    if len(ids) != len(set(ids)):
        raise ValueError("dimension ids must be unique")


def _weighted_mean(pairs: Sequence[tuple[Decimal, Fraction]]) -> Fraction | None:
    """sum(w * x) / sum(w), or None when nothing carries weight."""
    total = sum((Fraction(w) for w, _ in pairs), Fraction(0))
    if not total:
        return None
    return sum((Fraction(w) * x for w, x in pairs), Fraction(0)) / total


def scorecard_score(
    dimensions: Sequence[DimensionInput], ratings: Mapping[int, int | None]
) -> Fraction | None:
    """One card's weighted score over the dimensions it rated.

    None when it rated none (or only dimensions weighted 0): there is nothing to average.
    """
    _validate_dimensions(dimensions)
    _validate_ratings(dimensions, ratings, "scorecard")
    return _weighted_mean(
        [(d.weight, Fraction(ratings[d.id])) for d in dimensions if ratings.get(d.id) is not None]
    )


def band_for(
    score: Fraction | Decimal | int, thresholds: Mapping[str, Any] = DEFAULT_THRESHOLDS
) -> str:
    """The band a panel weighted score falls in; a score on a threshold belongs above it."""
    limits = _normalise_thresholds(thresholds)
    exact = Fraction(score)
    for band in (STRONG_HIRE, HIRE, NO_HIRE):
        if exact >= Fraction(limits[band]):
            return band
    return STRONG_NO_HIRE


def _fmt_threshold(threshold: Decimal) -> str:
    # A revision may set 3.005; showing it as "3.01" would misstate the rule.
    shown = fmt(threshold)
    return shown if Decimal(shown) == threshold else format(threshold.normalize(), "f")


def _band_rule(band: str, thresholds: Mapping[str, Decimal]) -> str:
    if band == STRONG_NO_HIRE:
        return f"{STRONG_NO_HIRE} < {_fmt_threshold(thresholds[NO_HIRE])}"
    return f"{band} >= {_fmt_threshold(thresholds[band])}"


def _cap_at_no_hire(band: str) -> str:
    return band if BANDS.index(band) >= BANDS.index(NO_HIRE) else NO_HIRE


def _dimension_line(result: DimensionResult) -> str:
    head = f"{result.name}: weight {_fmt_weight(result.weight)}"
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
        f"Weighted score {shown} with coverage {fmt(coverage)} falls in band {band} "
        f"({_band_rule(band, policy.thresholds)})"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _describe_flags(flags: list[dict[str, str]]) -> str:
    parts = []
    for flag in flags:
        part = f'"{flag["text"]}" observed by {flag["interviewer"]}'
        if flag["note"]:
            part += f" (note: {flag['note']})"
        parts.append(part)
    return "; ".join(parts)


def panel(
    dimensions: Sequence[DimensionInput],
    scorecards: Sequence[ScorecardInput],
    policy: Policy = DEFAULT_POLICY,
) -> PanelResult:
    """Score a panel: only submitted cards count; drafts are work in progress."""
    _validate_dimensions(dimensions)
    for card in scorecards:
        _validate_ratings(dimensions, card.ratings, f"scorecard {card.id}")
    submitted = [card for card in scorecards if card.status == SUBMITTED]

    rated: list[tuple[DimensionInput, list[int]]] = []
    for dimension in dimensions:
        scores = [
            score for card in submitted if (score := card.ratings.get(dimension.id)) is not None
        ]
        rated.append((dimension, scores))

    rated_weight = sum((Fraction(d.weight) for d, scores in rated if scores), Fraction(0))
    total_weight = sum((Fraction(d.weight) for d in dimensions), Fraction(0))
    coverage = rated_weight / total_weight if total_weight else Fraction(0)

    results: list[DimensionResult] = []
    for dimension, scores in rated:
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
                below_min=(
                    dimension.min_score is not None
                    and mean is not None
                    and mean < dimension.min_score
                ),
                disagreement=bool(scores) and max(scores) - min(scores) >= 2,
                min_score=dimension.min_score,
            )
        )

    weighted_score = _weighted_mean([(r.weight, r.mean) for r in results if r.mean is not None])
    band = band_for(weighted_score, policy.thresholds) if weighted_score is not None else None
    missing = [r.name for r in results if r.mean is None]

    red_flags = sorted(
        (flag for card in submitted for flag in card.red_flag_observations()),
        key=lambda flag: (flag["interviewer"], flag["text"], flag["note"]),
    )

    disagreements = [
        f"{r.name}: ratings span {min(r.scores)} to {max(r.scores)}"
        for r in results
        if r.disagreement
    ]
    votes = Counter(card.recommendation for card in submitted if card.recommendation)
    if votes.keys() & NEGATIVE_RECOMMENDATIONS and votes.keys() & POSITIVE_RECOMMENDATIONS:
        counts = ", ".join(f"{votes[r]} {r}" for r in CARD_RECOMMENDATIONS if votes[r])
        disagreements.append(f"Overall recommendations split: {counts}")

    explanation = [_dimension_line(r) for r in results]
    explanation.append(_band_line(weighted_score, coverage, band, policy))
    gates: list[str] = []

    # Gate 1 decides alone, but gates 2 and 3 are still checked and written down so a
    # reader sees what else stands against the candidate once more evidence arrives.
    reasons = []
    if len(submitted) < policy.min_scorecards:
        reasons.append(
            f"{_plural(len(submitted), 'submitted scorecard')}, "
            f"at least {policy.min_scorecards} needed"
        )
    if coverage < Fraction(policy.min_coverage):
        reasons.append(
            f"coverage {fmt(coverage)} is below the minimum {_fmt_threshold(policy.min_coverage)}"
        )
    if weighted_score is None:
        reasons.append("no weighted score")
    insufficient = bool(reasons)
    if insufficient:
        if missing:
            reasons.append(f"not assessed: {', '.join(missing)}")
        gates.append(GATE_INSUFFICIENT_EVIDENCE)
        explanation.append(
            f"Insufficient evidence: {'; '.join(reasons)}; recommendation {INSUFFICIENT_EVIDENCE}"
        )

    recommendation = band
    if red_flags:
        observed = f"{_plural(len(red_flags), 'red flag')}: {_describe_flags(red_flags)}"
        if policy.red_flag_policy == VETO:
            gates.append(GATE_RED_FLAG_VETO)
            outcome = _cap_outcome(recommendation, insufficient)
            explanation.append(f"Red flag veto: {observed}; {outcome}")
            recommendation = _cap_at_no_hire(recommendation) if recommendation else None
        else:
            gates.append(GATE_RED_FLAG_WARN)
            explanation.append(f"Red flag warning: {observed}; band unchanged")

    below = [r for r in results if r.below_min]
    if below:
        gates.append(GATE_BELOW_MINIMUM)
        details = ", ".join(
            f"{r.name} mean {fmt(r.mean)} is below its minimum {r.min_score}" for r in below
        )
        outcome = _cap_outcome(recommendation, insufficient)
        explanation.append(f"Below minimum: {details}; {outcome}")
        recommendation = _cap_at_no_hire(recommendation) if recommendation else None

    return PanelResult(
        submitted=len(submitted),
        weighted_score=weighted_score,
        coverage=coverage,
        band=band,
        recommendation=INSUFFICIENT_EVIDENCE if insufficient else recommendation,
        dimensions=results,
        red_flags=red_flags,
        disagreements=disagreements,
        explanation=explanation,
        gates=gates,
        missing_dimensions=missing,
    )


def _cap_outcome(current: str | None, insufficient: bool) -> str:
    if insufficient or current is None:
        return f"would cap the recommendation at {NO_HIRE}"
    if _cap_at_no_hire(current) == current:
        return f"{current} is already at or below {NO_HIRE}"
    return f"recommendation capped at {NO_HIRE} (band was {current})"


# --- the headline only, for lists of many applications --------------------------------


@dataclass(frozen=True)
class PanelSummary:
    """What panel() concludes, without the per-dimension detail and the explanation: what
    a list of many applications (the pipeline, its CSV) shows of each."""

    submitted: int
    weighted_score: Fraction | None
    coverage: Fraction
    band: str | None
    recommendation: str
    red_flags: int


class Summariser:
    """panel()'s headline for many applications of one revision, from the sum and the
    count of each dimension's submitted ratings rather than from the cards themselves.

    The same rules as panel() (tests check that the two agree on any panel), in integer
    arithmetic: the weights are scaled once to whole numbers, so an application costs a
    handful of integer sums and a single Fraction, which lets a list score hundreds.
    """

    def __init__(self, dimensions: Sequence[DimensionInput], policy: Policy = DEFAULT_POLICY):
        _validate_dimensions(dimensions)
        weights = [Fraction(d.weight) for d in dimensions]
        scale = 1
        for weight in weights:
            scale = math.lcm(scale, weight.denominator)
        # Whole-number weights in the same proportions; every ratio below is unchanged.
        self._weights = {d.id: int(w * scale) for d, w in zip(dimensions, weights, strict=True)}
        self._min_scores = {d.id: d.min_score for d in dimensions if d.min_score is not None}
        self._total_weight = sum(self._weights.values())
        self._policy = policy
        # Limits as (numerator, denominator): compared by cross-multiplying, not as Fractions.
        coverage = Fraction(policy.min_coverage)
        self._min_coverage = (coverage.numerator, coverage.denominator)
        self._thresholds = [
            (band, limit.numerator, limit.denominator)
            for band, limit in (
                (band, Fraction(policy.thresholds[band])) for band in (STRONG_HIRE, HIRE, NO_HIRE)
            )
        ]

    def __call__(
        self, totals: Mapping[int, tuple[int, int]], submitted: int, red_flags: int = 0
    ) -> PanelSummary:
        """`totals`: dimension id -> (sum, count) of its ratings on submitted cards, for
        the dimensions rated at least once; `submitted`: the number of submitted cards;
        `red_flags`: the red flags observed on them."""
        rated_weight = 0
        numerator = 0
        common = 1  # a common denominator of the means: the lcm of the counts
        below_min = False
        for dimension_id, (total, count) in totals.items():
            if dimension_id not in self._weights:
                raise ValueError(f"totals for unknown dimension id {dimension_id!r}")
            if count <= 0 or not RATING_MIN * count <= total <= RATING_MAX * count:
                raise ValueError(f"dimension {dimension_id}: impossible ratings {total}/{count}")
            common = math.lcm(common, count)
            minimum = self._min_scores.get(dimension_id)
            if minimum is not None and total < minimum * count:
                below_min = True
        for dimension_id, (total, count) in totals.items():
            weight = self._weights[dimension_id]
            rated_weight += weight
            numerator += weight * total * (common // count)
        # coverage = rated_weight / total_weight (0 without any weight), and the weighted
        # score = numerator / denominator, over the rated dimensions.
        total_weight = self._total_weight
        coverage = Fraction(rated_weight, total_weight) if total_weight else Fraction(0)
        low_numerator, low_denominator = self._min_coverage
        low_coverage = (
            rated_weight * low_denominator < low_numerator * total_weight
            if total_weight
            else low_numerator > 0
        )
        weighted_score = band = None
        if rated_weight:
            denominator = common * rated_weight
            weighted_score = Fraction(numerator, denominator)
            band = next(
                (
                    name
                    for name, limit_numerator, limit_denominator in self._thresholds
                    if numerator * limit_denominator >= limit_numerator * denominator
                ),
                STRONG_NO_HIRE,
            )
        insufficient = (
            submitted < self._policy.min_scorecards or low_coverage or weighted_score is None
        )
        recommendation = band
        if red_flags and self._policy.red_flag_policy == VETO and recommendation:
            recommendation = _cap_at_no_hire(recommendation)
        if below_min and recommendation:
            recommendation = _cap_at_no_hire(recommendation)
        return PanelSummary(
            submitted=submitted,
            weighted_score=weighted_score,
            coverage=coverage,
            band=band,
            recommendation=INSUFFICIENT_EVIDENCE if insufficient else recommendation,
            red_flags=red_flags,
        )
