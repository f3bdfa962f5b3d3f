"""The limits every role keeps, however it arrives: a text blueprint, a JSON export, an
edit. One module, so the text parser, the JSON reader, the database columns (the models
take their lengths from here), the editor's forms and the request limit in settings all
speak of the same numbers, and check_role() is the one check of a whole role that the
import command, the upload page and the editor's save all run.

Pure Python, like the rest of the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from roles.weights import MAX_WEIGHT, MIN_WEIGHT, weight_in_range

if TYPE_CHECKING:
    from roles.blueprint.types import ParsedBlueprint

# A blueprint file or role export: its bytes, as uploaded or as export_role prints them.
MAX_BYTES = 2 * 1024 * 1024
# Weights are kept to the cent of a percent: at most two decimals.
CENT = Decimal("0.01")

# What a role holds. The text parser refuses more dimensions (a table of more is misread)
# and keeps only the first MAX_ITEMS of the rest; a JSON export with more is refused.
MAX_DIMENSIONS = 50
MAX_ITEMS = 60  # competency areas, exercises, and the signals of each kind
MAX_STAGES = MAX_ITEMS  # the default loop has one stage per exercise
ANCHOR_LEVELS = 5  # anchor texts per dimension, one per level of the rating scale

# The database columns' lengths (roles/models.py uses these).
TITLE_LENGTH = 200  # a role's title
SLUG_LENGTH = 120
NAME_LENGTH = 200  # a dimension's, a competency area's or a stage's name
EXERCISE_TITLE_LENGTH = 255
SOURCE_NAME_LENGTH = 255  # the file a revision was imported from

# An exercise's or a stage's length, in minutes: up to a day.
MIN_MINUTES = 1
MAX_MINUTES = 24 * 60

# A number in a JSON export is a weight, a duration or a setting: a few digits. Longer
# ones are refused while the file is read (Python would not even convert 4,300 digits).
MAX_NUMBER_CHARS = 30

# The editor (roles.forms.RevisionEditor) posts a whole revision as one form. Per row, the
# fields it sends: a dimension's id, name, weight, knock-out, meets-bar, five anchors,
# position and "Remove"; an area's id, name, description, position, "Remove"; an
# exercise's id, title, two durations, prompt, two lists, position, "Remove"; a stage's
# id, name, minutes, exercise, position, "Remove" and one per ticked focus dimension; a
# signal's id, text, position, "Remove".
EDITOR_FIELDS_PER_ROW = {
    "dimensions": 12,
    "areas": 5,
    "exercises": 9,
    "stages": 6 + MAX_DIMENSIONS,
    "signals": 4,
}
# Besides the rows: the settings form (7 fields), the management forms of the seven
# lists (4 each), the CSRF token and the button pressed.
EDITOR_OTHER_FIELDS = 7 + 7 * 4 + 2
# The most fields an editor at these limits posts. settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
# is this bound, so a role the editor can show can always be saved (Django's default of
# 1,000 is passed by 50 dimensions, 75 signals and 10 stages);
# tests/roles/test_limits.py posts the largest editor there is.
EDITOR_MAX_FIELDS = (
    MAX_DIMENSIONS * EDITOR_FIELDS_PER_ROW["dimensions"]
    + MAX_ITEMS * EDITOR_FIELDS_PER_ROW["areas"]
    + MAX_ITEMS * EDITOR_FIELDS_PER_ROW["exercises"]
    + MAX_STAGES * EDITOR_FIELDS_PER_ROW["stages"]
    + 3 * MAX_ITEMS * EDITOR_FIELDS_PER_ROW["signals"]
    + EDITOR_OTHER_FIELDS
)

SIGNAL_LABELS = {"strong": "strong signal", "weak": "weak signal", "red_flag": "red flag"}

# What no database column can store: NUL, and halves of a UTF-16 pair (JSON's "\ud800").
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class LimitError(ValueError):
    """A role breaks a limit; the message says which, in words for the recruiter
    (lower-case, no full stop: callers put it in a sentence naming the file)."""


def check_text(value: str, where: str) -> None:
    """Text that a database column can store."""
    match = _UNSTORABLE.search(value)
    if match is None:
        return
    char = match.group()
    what = "a NUL character" if char == "\x00" else f"a lone surrogate (\\u{ord(char):04x})"
    raise LimitError(f"{where} contains {what}, which cannot be stored")


def check_all_texts(obj: Any) -> None:
    """Every text in a JSON value (keys too), however deep; says where the bad one is,
    e.g. "dimensions → 2 → name"."""
    stack: list[tuple[Any, str]] = [(obj, "")]
    while stack:
        value, path = stack.pop()
        where = f"the text at {path}" if path else "the file"
        if isinstance(value, str):
            check_text(value, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                check_text(str(key), f"a key in {path or 'the file'}")
                stack.append((item, f"{path} → {key}" if path else str(key)))
        elif isinstance(value, list):
            stack.extend(
                (item, f"{path} → {n}" if path else str(n)) for n, item in enumerate(value, 1)
            )


def check_number_text(text: str) -> None:
    """A number as a JSON file writes it: a few digits, not thousands."""
    if len(text) > MAX_NUMBER_CHARS:
        digits = sum(ch.isdigit() for ch in text)
        raise LimitError(
            f"it holds a number {digits} digits long; no number in a role has more "
            f"than {MAX_NUMBER_CHARS}"
        )


def check_count(count: int, what: str, limit: int) -> None:
    if count > limit:
        raise LimitError(f"it has {count} {what}; a role has at most {limit}")


def check_counts(
    *, dimensions: int, areas: int, exercises: int, signals: dict[str, int], stages: int
) -> None:
    """How many things a role holds; cheap, so readers call it before any work per item."""
    check_count(dimensions, "dimensions", MAX_DIMENSIONS)
    check_count(areas, "competency areas", MAX_ITEMS)
    check_count(exercises, "exercises", MAX_ITEMS)
    for kind, count in signals.items():
        check_count(count, f"{SIGNAL_LABELS.get(kind, kind)}s", MAX_ITEMS)
    check_count(stages, "stages", MAX_STAGES)


def check_name(value: str, where: str, limit: int, noun: str = "name") -> None:
    """A name or title: not blank, and no longer than its column."""
    check_text(value, f"the {noun} of {where}")
    if not value.strip():
        raise LimitError(f"{where} has no {noun}")
    if len(value) > limit:
        raise LimitError(
            f"the {noun} of {where} is {len(value)} characters long; a {noun} has at most {limit}"
        )


def check_minutes(value: int | None, where: str) -> None:
    if value is not None and not MIN_MINUTES <= value <= MAX_MINUTES:
        raise LimitError(
            f"{where} lasts {_number(value)} minutes; durations run from {MIN_MINUTES} to "
            f"{MAX_MINUTES} minutes"
        )


def check_weight(weight: Decimal, where: str) -> None:
    if not weight_in_range(weight):
        raise LimitError(
            f"{where} has weight {_number(weight)}; weights are percentages from {MIN_WEIGHT} "
            f"to {MAX_WEIGHT}"
        )
    if weight != weight.quantize(CENT):  # in range, so quantize cannot overflow
        raise LimitError(f"{where} has weight {_number(weight)}; use at most two decimals")


def duplicate_name(names: Iterable[str]) -> str | None:
    """The first name given twice (case and surrounding spaces aside), or None."""
    seen: set[str] = set()
    for name in names:
        key = name.strip().lower()
        if key and key in seen:
            return name.strip()
        seen.add(key)
    return None


def check_role(parsed: ParsedBlueprint) -> None:
    """Every limit of a role that the parser or the JSON reader produced: what the
    database can store and what the editor can show and save again. LimitError says
    what is wrong."""
    check_counts(
        dimensions=len(parsed.dimensions),
        areas=len(parsed.competency_areas),
        exercises=len(parsed.exercises),
        signals={kind: len(texts) for kind, texts in parsed.signals.items()},
        stages=len(parsed.stages),
    )
    check_name(parsed.title, "the role", TITLE_LENGTH, "title")
    if not parsed.slug:
        raise LimitError("its title has no letters or digits to make a slug from")
    if len(parsed.slug) > SLUG_LENGTH:
        raise LimitError(
            f'its slug "{parsed.slug[:40]}…" is {len(parsed.slug)} characters long; a slug '
            f"has at most {SLUG_LENGTH}"
        )
    check_text(parsed.summary, "the summary")
    if not parsed.dimensions:
        raise LimitError("it has no scorecard dimensions")
    for n, dim in enumerate(parsed.dimensions, 1):
        check_name(dim.name, f"dimension {n}", NAME_LENGTH)
        where = f'dimension "{dim.name.strip()}"'
        check_weight(dim.weight, where)
        check_text(dim.meets_bar, f"{where} (what meets the bar)")
    twice = duplicate_name(d.name for d in parsed.dimensions)
    if twice is not None:
        raise LimitError(f'two dimensions are called "{twice}"')
    for n, area in enumerate(parsed.competency_areas, 1):
        check_name(area.name, f"competency area {n}", NAME_LENGTH)
        check_text(area.description, f"competency area {n}")
    for n, exercise in enumerate(parsed.exercises, 1):
        check_name(exercise.title, f"exercise {n}", EXERCISE_TITLE_LENGTH, "title")
        where = f'exercise "{_short(exercise.title)}"'
        check_minutes(exercise.duration_min, where)
        check_minutes(exercise.duration_max, where)
        low, high = exercise.duration_min, exercise.duration_max
        if low is not None and high is not None and low > high:
            raise LimitError(f"{where} takes at least {low} minutes but at most {high}")
        for text in (exercise.prompt, *exercise.look_for, *exercise.must_cover):
            check_text(text, where)
    for kind, texts in parsed.signals.items():
        label = SIGNAL_LABELS.get(kind, kind)
        for n, text in enumerate(texts, 1):
            check_text(text, f"{label} {n}")
            if not text.strip():
                raise LimitError(f"{label} {n} is empty")
    for n, stage in enumerate(parsed.stages, 1):
        check_name(stage.name, f"stage {n}", NAME_LENGTH)
        check_minutes(stage.duration_minutes, f'stage "{_short(stage.name)}"')
    for text in parsed.warnings:
        check_text(text, "a warning")


def _short(text: str, size: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _number(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 20 else f"{text[:8]}…({len(text)} characters)"
