"""A role revision's scoring settings: the recommendations they speak of (the panel's and
each card's, with the one label people read for each), their defaults, and the one check
of them.

The revision's fields take their defaults from here, its clean() and the editor's form
check with `Policy`, and scorecards.scoring applies the Policy it gets. Pure (standard
library only), so the scoring stays free of Django and roles depends on nothing to its
right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

RATING_MIN = 1
RATING_MAX = 5

STRONG_HIRE = "strong_hire"
HIRE = "hire"
NO_HIRE = "no_hire"
STRONG_NO_HIRE = "strong_no_hire"
INSUFFICIENT_EVIDENCE = "insufficient_evidence"
# Best first; a band is found by walking this order, and the gates cap by position in it.
BANDS = (STRONG_HIRE, HIRE, NO_HIRE, STRONG_NO_HIRE)
PANEL_RECOMMENDATIONS = (*BANDS, INSUFFICIENT_EVIDENCE)
# What pages call each panel recommendation; the CSV and the JSON carry the codes.
RECOMMENDATION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        STRONG_HIRE: "Strong hire",
        HIRE: "Hire",
        NO_HIRE: "No hire",
        STRONG_NO_HIRE: "Strong no hire",
        INSUFFICIENT_EVIDENCE: "Insufficient evidence",
    }
)

# An interviewer's overall recommendation on a card, the four-point scale with no
# neutral, worst first; scorecards.models.Scorecard.Recommendation is built from these.
STRONG_NO = "strong_no"
NO = "no"
YES = "yes"
STRONG_YES = "strong_yes"
CARD_RECOMMENDATIONS = (STRONG_NO, NO, YES, STRONG_YES)
CARD_RECOMMENDATION_LABELS: Mapping[str, str] = MappingProxyType(
    {STRONG_NO: "Strong no", NO: "No", YES: "Yes", STRONG_YES: "Strong yes"}
)

VETO = "veto"
WARN = "warn"
RED_FLAG_POLICIES = (VETO, WARN)

# The lowest score of each band but the last; a revision may store only those it changes.
DEFAULT_THRESHOLDS: Mapping[str, Decimal] = MappingProxyType(
    {STRONG_HIRE: Decimal(4), HIRE: Decimal(3), NO_HIRE: Decimal(2)}
)
DEFAULT_RED_FLAG_POLICY = VETO
DEFAULT_MIN_SCORECARDS = 2
DEFAULT_MIN_COVERAGE = Decimal("0.70")
MAX_MIN_SCORECARDS = 50


def to_decimal(value: Any, what: str) -> Decimal:
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


def normalise_thresholds(thresholds: Mapping[str, Any] | None) -> Mapping[str, Decimal]:
    """The three thresholds as Decimals, defaults filled in; ValueError if they are not
    numbers on the rating scale going down from strong hire to no hire."""
    thresholds = thresholds or {}
    if not isinstance(thresholds, Mapping):
        raise ValueError("thresholds must map strong_hire, hire and no_hire to numbers")
    unknown = set(thresholds) - set(DEFAULT_THRESHOLDS)
    if unknown:
        raise ValueError(f"unknown threshold(s): {', '.join(sorted(unknown))}")
    merged = {
        band: to_decimal(thresholds.get(band, default), f"the {band} threshold")
        for band, default in DEFAULT_THRESHOLDS.items()
    }
    for band, value in merged.items():
        if not RATING_MIN <= value <= RATING_MAX:
            label = RECOMMENDATION_LABELS[band].lower()
            raise ValueError(
                f"the {label} threshold must lie between {RATING_MIN} and {RATING_MAX}"
            )
    if not merged[STRONG_HIRE] >= merged[HIRE] >= merged[NO_HIRE]:
        raise ValueError("thresholds must go down: strong hire ≥ hire ≥ no hire")
    return MappingProxyType(merged)


@dataclass(frozen=True)
class Policy:
    """A revision's scoring settings, checked: building one is the validation."""

    thresholds: Mapping[str, Decimal] = field(default_factory=lambda: DEFAULT_THRESHOLDS)
    red_flag_policy: str = DEFAULT_RED_FLAG_POLICY
    min_scorecards: int = DEFAULT_MIN_SCORECARDS
    min_coverage: Decimal = DEFAULT_MIN_COVERAGE

    def __post_init__(self) -> None:
        object.__setattr__(self, "thresholds", normalise_thresholds(self.thresholds))
        if self.red_flag_policy not in RED_FLAG_POLICIES:
            raise ValueError(
                f"the red flag policy must be veto or warn, not {self.red_flag_policy!r}"
            )
        if isinstance(self.min_scorecards, bool) or not isinstance(self.min_scorecards, int):
            raise ValueError(
                f"the minimum of submitted scorecards must be a whole number, "
                f"not {self.min_scorecards!r}"
            )
        if not 1 <= self.min_scorecards <= MAX_MIN_SCORECARDS:
            raise ValueError(
                f"the minimum of submitted scorecards must lie between 1 and {MAX_MIN_SCORECARDS}"
            )
        min_coverage = to_decimal(self.min_coverage, "the minimum coverage")
        if not 0 <= min_coverage <= 1:
            raise ValueError("the minimum coverage must lie between 0 and 1")
        object.__setattr__(self, "min_coverage", min_coverage)
        # The same limits as exact (numerator, denominator) pairs, best band first: the
        # scoring compares hundreds of panels with them by cross-multiplying.
        object.__setattr__(
            self,
            "ratios",
            (
                tuple(
                    (band, self.thresholds[band].as_integer_ratio())
                    for band in (STRONG_HIRE, HIRE, NO_HIRE)
                ),
                min_coverage.as_integer_ratio(),
            ),
        )

    def __reduce__(self):
        # The thresholds' read-only view does not pickle; the values do.
        return (
            type(self),
            (dict(self.thresholds), self.red_flag_policy, self.min_scorecards, self.min_coverage),
        )


DEFAULT_POLICY = Policy()
