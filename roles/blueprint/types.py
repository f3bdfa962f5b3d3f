"""The parser's output: plain dataclasses, the one exception it raises, and slugify."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# The file size limit is also read from here, as the parser always has.
from roles.blueprint.limits import CENT
from roles.blueprint.limits import MAX_BYTES as MAX_BYTES

SIGNAL_KINDS = ("strong", "weak", "red_flag")


class BlueprintError(Exception):
    """The file cannot be imported; the message is one sentence naming the file."""


@dataclass
class ParsedDimension:
    name: str
    meets_bar: str
    weight: Decimal  # percent, two decimals, e.g. Decimal("20.00"), Decimal("12.50")
    # One text per level 1-5 ("" where the level keeps its default: level 3 is meets_bar),
    # and where each came from: "Where: the blueprint line" ("" for none, e.g. typed in
    # the editor). Empty lists when nothing was proposed (roles.blueprint.anchors).
    anchors: list[str] = field(default_factory=list)
    anchor_sources: list[str] = field(default_factory=list)


@dataclass
class ParsedCompetencyArea:
    name: str
    description: str


def duration_text(duration_min: int | None, duration_max: int | None) -> str:
    """How an exercise's duration reads: "60–90 min", "45 min" or "" (none given)."""
    if duration_min and duration_max and duration_min != duration_max:
        return f"{duration_min}–{duration_max} min"
    minutes = duration_max or duration_min
    return f"{minutes} min" if minutes else ""


@dataclass
class ParsedExercise:
    title: str
    duration_min: int | None
    duration_max: int | None
    prompt: str
    look_for: list[str] = field(default_factory=list)
    must_cover: list[str] = field(default_factory=list)

    @property
    def duration_display(self) -> str:
        return duration_text(self.duration_min, self.duration_max)


@dataclass
class ParsedStage:
    name: str
    duration_minutes: int | None
    exercise_index: int | None
    focus: list[str] = field(default_factory=list)  # dimension names


@dataclass
class ParsedBlueprint:
    title: str
    slug: str
    dimensions: list[ParsedDimension]
    competency_areas: list[ParsedCompetencyArea]
    exercises: list[ParsedExercise]
    signals: dict[str, list[str]]
    stages: list[ParsedStage]
    warnings: list[str]
    summary: str = ""

    def to_json(self, file: str = "") -> dict[str, Any]:
        """This blueprint in the JSON shape (roles.blueprint.json_format)."""
        from roles.blueprint.json_format import to_json  # imports this module

        return to_json(self, file)


def fmt_weight(weight: Decimal) -> str:
    return str(weight.quantize(CENT, rounding=ROUND_HALF_UP))


def slugify(text: str) -> str:
    # Accents fold to ASCII letters; any other symbol (dashes, slashes) separates words.
    decomposed = unicodedata.normalize("NFKD", text)
    spaced = "".join(ch if ch.isalnum() or unicodedata.combining(ch) else " " for ch in decomposed)
    ascii_text = spaced.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
