"""The one rule for a scorecard's dimension weights: they are percentages from 0 to 100
and must total WEIGHT_TOTAL for a revision to be published.

The parser's warning, the import preview, the editor's live total (its htmx endpoint),
the role list and page, and publishing all ask this module. Pure: no Django imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

WEIGHT_TOTAL = Decimal("100")
# Each weight's bounds (a weight is a share of WEIGHT_TOTAL).
MIN_WEIGHT = Decimal("0")
MAX_WEIGHT = WEIGHT_TOTAL


def format_percent(value: Decimal) -> str:
    """A weight or weight total as people write it: 100, 87.5, 12.25."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def weights_total_ok(total: Decimal) -> bool:
    return total == WEIGHT_TOTAL


def weight_in_range(weight: Decimal) -> bool:
    return weight.is_finite() and MIN_WEIGHT <= weight <= MAX_WEIGHT


@dataclass(frozen=True)
class WeightTotal:
    """A total of dimension weights and what pages say of it; `invalid` when some of the
    weights it was made from were not numbers in range (they are left out)."""

    total: Decimal
    invalid: bool = False

    @classmethod
    def of(cls, weights: Iterable[Decimal]) -> WeightTotal:
        return cls(sum(weights, Decimal(0)))

    @property
    def ok(self) -> bool:
        return not self.invalid and weights_total_ok(self.total)

    @property
    def target(self) -> str:
        return format_percent(WEIGHT_TOTAL)

    @property
    def display(self) -> str:
        return format_percent(self.total)

    @property
    def gap(self) -> str:
        return format_percent(abs(WEIGHT_TOTAL - self.total))

    @property
    def over(self) -> bool:
        return self.total > WEIGHT_TOTAL

    def __str__(self) -> str:
        return self.display
