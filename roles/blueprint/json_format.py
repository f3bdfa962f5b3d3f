"""Reading the JSON shape back into a ParsedBlueprint."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from roles.blueprint.loop import suggest_stages
from roles.blueprint.types import (
    _CENT,
    SIGNAL_KINDS,
    BlueprintError,
    ParsedBlueprint,
    ParsedCompetencyArea,
    ParsedDimension,
    ParsedExercise,
    ParsedStage,
    slugify,
)


def _need(condition: bool, filename: str, what: str) -> None:
    if not condition:
        raise BlueprintError(f"{filename} is not a valid role export: {what}.")


def _str_field(
    obj: dict[str, Any], key: str, filename: str, where: str, required: bool = True
) -> str:
    value = obj.get(key, None if required else "")
    _need(isinstance(value, str), filename, f'{where} "{key}" must be text')
    return value


def _int_or_none(value: Any, filename: str, where: str) -> int | None:
    _need(
        value is None or (isinstance(value, int) and not isinstance(value, bool)),
        filename,
        f"{where} must be a whole number or null",
    )
    return value


def _str_list(value: Any, filename: str, where: str) -> list[str]:
    _need(
        isinstance(value, list) and all(isinstance(x, str) for x in value),
        filename,
        f"{where} must be a list of texts",
    )
    return list(value)


def from_json(obj: dict[str, Any], filename: str = "export") -> ParsedBlueprint:
    """Rebuild a ParsedBlueprint from to_json() output, validating its shape."""
    _need(isinstance(obj, dict), filename, "the top level must be an object")
    title = _str_field(obj, "title", filename, "the role").strip()
    _need(bool(title), filename, "the role title is empty")
    slug = obj.get("slug") or slugify(title)
    _need(isinstance(slug, str) and bool(slugify(slug)), filename, '"slug" must be text')
    raw_dims = obj.get("dimensions")
    _need(
        isinstance(raw_dims, list) and bool(raw_dims),
        filename,
        '"dimensions" must be a non-empty list',
    )
    dimensions = []
    for n, raw in enumerate(raw_dims, 1):
        _need(isinstance(raw, dict), filename, f"dimension {n} must be an object")
        name = _str_field(raw, "name", filename, f"dimension {n}").strip()
        _need(bool(name), filename, f"dimension {n} has no name")
        weight_raw = raw.get("weight")
        _need(
            isinstance(weight_raw, (str, int, float)) and not isinstance(weight_raw, bool),
            filename,
            f'dimension "{name}" needs a numeric weight',
        )
        try:
            weight = Decimal(str(weight_raw).strip().rstrip("%"))
        except InvalidOperation:
            weight = Decimal("NaN")
        _need(
            weight.is_finite() and 0 <= weight <= 1000,
            filename,
            f'dimension "{name}" has an invalid weight "{weight_raw}"',
        )
        weight = weight.quantize(_CENT, rounding=ROUND_HALF_UP)
        dimensions.append(
            ParsedDimension(
                name,
                _str_field(raw, "meets_bar", filename, f"dimension {n}", required=False),
                weight,
            )
        )
    areas = []
    raw_areas = obj.get("competency_areas", [])
    _need(isinstance(raw_areas, list), filename, '"competency_areas" must be a list')
    for n, raw in enumerate(raw_areas, 1):
        _need(isinstance(raw, dict), filename, f"competency area {n} must be an object")
        areas.append(
            ParsedCompetencyArea(
                _str_field(raw, "name", filename, f"competency area {n}"),
                _str_field(raw, "description", filename, f"competency area {n}", required=False),
            )
        )
    exercises = []
    raw_exercises = obj.get("exercises", [])
    _need(isinstance(raw_exercises, list), filename, '"exercises" must be a list')
    for n, raw in enumerate(raw_exercises, 1):
        where = f"exercise {n}"
        _need(isinstance(raw, dict), filename, f"{where} must be an object")
        exercises.append(
            ParsedExercise(
                title=_str_field(raw, "title", filename, where),
                duration_min=_int_or_none(
                    raw.get("duration_min"), filename, f"{where} duration_min"
                ),
                duration_max=_int_or_none(
                    raw.get("duration_max"), filename, f"{where} duration_max"
                ),
                prompt=_str_field(raw, "prompt", filename, where, required=False),
                look_for=_str_list(raw.get("look_for", []), filename, f"{where} look_for"),
                must_cover=_str_list(raw.get("must_cover", []), filename, f"{where} must_cover"),
            )
        )
    raw_signals = obj.get("signals", {})
    _need(isinstance(raw_signals, dict), filename, '"signals" must be an object')
    unknown = set(raw_signals) - set(SIGNAL_KINDS)
    _need(not unknown, filename, f'"signals" has unknown kinds {sorted(unknown)}')
    signals = {
        k: _str_list(raw_signals.get(k, []), filename, f'signals "{k}"') for k in SIGNAL_KINDS
    }
    warnings = _str_list(obj.get("warnings", []), filename, '"warnings"')
    summary = obj.get("summary", "")
    _need(isinstance(summary, str), filename, '"summary" must be text')
    names = [d.name for d in dimensions]
    if "stages" in obj:
        raw_stages = obj["stages"]
        _need(isinstance(raw_stages, list), filename, '"stages" must be a list')
        stages = []
        for n, raw in enumerate(raw_stages, 1):
            where = f"stage {n}"
            _need(isinstance(raw, dict), filename, f"{where} must be an object")
            index = _int_or_none(raw.get("exercise_index"), filename, f"{where} exercise_index")
            _need(
                index is None or 0 <= index < len(exercises),
                filename,
                f"{where} points to an exercise that does not exist",
            )
            focus = _str_list(raw.get("focus", []), filename, f"{where} focus")
            _need(
                all(f in names for f in focus),
                filename,
                f"{where} focuses on a dimension that does not exist",
            )
            stages.append(
                ParsedStage(
                    name=_str_field(raw, "name", filename, where),
                    duration_minutes=_int_or_none(
                        raw.get("duration_minutes"), filename, f"{where} duration_minutes"
                    ),
                    exercise_index=index,
                    focus=focus,
                )
            )
    else:
        stages, stage_warnings = suggest_stages(dimensions, exercises)
        warnings.extend(stage_warnings)
    return ParsedBlueprint(
        title=title,
        slug=slugify(slug),
        dimensions=dimensions,
        competency_areas=areas,
        exercises=exercises,
        signals=signals,
        stages=stages,
        warnings=warnings,
        summary=summary,
    )
