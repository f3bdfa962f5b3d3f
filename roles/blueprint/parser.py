"""The entry point: parse_blueprint() reads a whole file with the modules beside it."""

from __future__ import annotations

from typing import TypeVar

from roles.blueprint.anchors import find_behaviours, propose_anchors
from roles.blueprint.competency import parse_competency_areas
from roles.blueprint.dimensions import parse_dimensions
from roles.blueprint.exercises import parse_exercises
from roles.blueprint.limits import MAX_DIMENSIONS, MAX_ITEMS, MAX_MINUTES, MIN_MINUTES
from roles.blueprint.loop import suggest_stages
from roles.blueprint.sections import find_section19, read_section, split_subsections
from roles.blueprint.text import decode_bytes, list_items
from roles.blueprint.title import parse_summary, parse_title
from roles.blueprint.types import (
    MAX_BYTES,
    SIGNAL_KINDS,
    BlueprintError,
    ParsedBlueprint,
    ParsedDimension,
    ParsedExercise,
    slugify,
)


def parse_blueprint(data: bytes | str, filename: str = "blueprint") -> ParsedBlueprint:
    """Parse a blueprint file; raises BlueprintError (and nothing else) when it cannot."""
    try:
        return _parse(data, filename)
    except BlueprintError:
        raise
    except (RecursionError, MemoryError):
        raise BlueprintError(f"{filename} could not be read as a role blueprint.") from None
    except Exception as exc:  # noqa: BLE001 - the contract is "BlueprintError only"
        raise BlueprintError(
            f"{filename} could not be read as a role blueprint ({type(exc).__name__})."
        ) from exc


def _parse(data: bytes | str, filename: str) -> ParsedBlueprint:
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_BYTES:
        raise BlueprintError(
            f"{filename} is {size / 1024 / 1024:.1f} MB, over the 2 MB limit for a blueprint."
        )
    text = decode_bytes(data, filename)
    lines = text.split("\n")
    ranges = find_section19(text, lines)
    if not ranges:
        raise BlueprintError(
            f'{filename} has no section 19 "Hiring Evaluation Criteria", '
            "so it is not a role blueprint."
        )
    warnings: list[str] = []
    chosen: tuple[dict[str, list[str]], list[ParsedDimension], list[str]] | None = None
    left_out = ""  # why part of a section 19 was not read, if it was not
    for start, end in ranges:
        attempt_warnings: list[str] = []
        body = read_section(lines, start, end, attempt_warnings)
        if attempt_warnings and not left_out:
            left_out = attempt_warnings[0]
        parts = split_subsections(body)
        competency_lines = parts.get("competency", [])
        known = [a.name for a in parse_competency_areas(competency_lines, [])]
        table_lines = parts.get("dimensions") or body
        dims = parse_dimensions(table_lines, known, attempt_warnings)
        if dims:
            chosen = (parts, dims, attempt_warnings)
            break
    if chosen is None and left_out:
        # The table may well be there, past what the reader reads: say so.
        raise BlueprintError(
            f"{filename} has no scorecard dimensions table in the part of section 19 that "
            f"was read ({left_out[0].lower()}{left_out[1:].rstrip('.')})."
        )
    if chosen is None:
        raise BlueprintError(
            f"{filename} has a section 19 but no scorecard dimensions table "
            "(Dimension | what meets bar looks like | Weight)."
        )
    parts, dimensions, dim_warnings = chosen
    if len(dimensions) > MAX_DIMENSIONS:
        raise BlueprintError(
            f"{filename} has {len(dimensions)} scorecard dimensions, more than the "
            f"{MAX_DIMENSIONS} a scorecard can use, so its table was probably misread."
        )
    title = parse_title(text, warnings)
    if not title:
        raise BlueprintError(
            f'{filename} names no role: neither its first line nor a "Role title" row '
            "in section 20 gives the title."
        )
    slug = slugify(title)
    if not slug:
        raise BlueprintError(f'{filename} has a role title ("{title}") with no usable letters.')
    labels = {
        "strong": "strong candidate signals",
        "weak": "weak candidate signals",
        "red_flag": "red flags",
    }
    warnings.extend(dim_warnings)
    # A stray ":" line is no area; a role's areas all have names (limits.check_role).
    areas = [a for a in parse_competency_areas(parts.get("competency", []), warnings) if a.name]
    competency_areas = _capped(areas, "competency areas", warnings)
    exercises = _capped(
        parse_exercises(parts.get("exercises", []), warnings), "exercises", warnings
    )
    for exercise in exercises:
        _keep_durations_in_range(exercise, warnings)
    signals = {
        kind: _capped(list_items(parts.get(kind, [])), labels[kind], warnings)
        for kind in SIGNAL_KINDS
    }
    if not competency_areas:
        warnings.append('No competency areas ("What to assess in interviews") were found.')
    if not exercises:
        warnings.append("No practical exercises or case studies were found.")
    for kind in SIGNAL_KINDS:
        if not signals[kind]:
            warnings.append(f"No {labels[kind]} were found in section 19.")
    stages, stage_warnings = suggest_stages(dimensions, exercises)
    warnings.extend(stage_warnings)
    propose_anchors(dimensions, find_behaviours(text), signals, warnings)
    return ParsedBlueprint(
        title=title,
        slug=slug,
        dimensions=dimensions,
        competency_areas=competency_areas,
        exercises=exercises,
        signals=signals,
        stages=stages,
        warnings=warnings,
        summary=parse_summary(text),
    )


_T = TypeVar("_T")


def _capped(items: list[_T], label: str, warnings: list[str]) -> list[_T]:
    if len(items) <= MAX_ITEMS:
        return items
    warnings.append(f"Found {len(items)} {label}; only the first {MAX_ITEMS} were kept.")
    return items[:MAX_ITEMS]


def _keep_durations_in_range(exercise: ParsedExercise, warnings: list[str]) -> None:
    # "(0 min)" or "(48 hours)" is no length an interview stage can have (limits.py):
    # the duration is left for the recruiter to give rather than the file refused.
    low, high = exercise.duration_min, exercise.duration_max
    if all(m is None or MIN_MINUTES <= m <= MAX_MINUTES for m in (low, high)):
        return
    exercise.duration_min = exercise.duration_max = None
    given = f"{low}–{high}" if low != high else f"{low}"
    warnings.append(
        f'Exercise "{exercise.title}" lasts {given} min; a stage lasts {MIN_MINUTES} to '
        f"{MAX_MINUTES} minutes, so its duration was left empty."
    )
