"""The one JSON shape of a role: what `import_blueprint --format json` prints, what the
import preview keeps, what `export_role` and the page's "Export JSON" write, and what
every JSON import reads back. to_json() is its only writer and loads() and read() its
only reader, so the field names and their checks live here and nowhere else; what a role
may hold (how many of each thing, how long, which characters) is roles.blueprint.limits,
which the text parser and the editor keep as well.

A document is one object (a file may hold a list of them):
  format, format_version   FORMAT and FORMAT_VERSION (optional when read)
  file, title, slug, summary
  dimensions               [{name, meets_bar, weight ("12.50"), anchors?, anchor_sources?,
                            min_score?}]: anchors are five texts, one per level ("" keeps
                            the level's default; level 3's is meets_bar), anchor_sources
                            five "Where: blueprint line" texts ("" where none)
  competency_areas         [{name, description}]
  exercises                [{title, duration_min, duration_max, prompt, look_for, must_cover}]
  signals                  {strong: [], weak: [], red_flag: []}
  stages                   [{name, duration_minutes, exercise_index, focus: [dimension names]}]
                           (optional when read: the default loop is suggested)
  warnings                 [texts]
  settings                 the revision's scoring settings (optional; the caller checks
                           their values against the scoring rules, which live with the models)
                           and blind_review (true or false, optional: false)
  revision                 {number, status, source_name} of an export (informative)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from roles.blueprint import limits
from roles.blueprint.limits import ANCHOR_LEVELS
from roles.blueprint.loop import suggest_stages
from roles.blueprint.types import (
    SIGNAL_KINDS,
    BlueprintError,
    ParsedBlueprint,
    ParsedCompetencyArea,
    ParsedDimension,
    ParsedExercise,
    ParsedStage,
    fmt_weight,
    slugify,
)

FORMAT = "scorecards-role-export"
FORMAT_VERSION = 1


class NotJson(BlueprintError):
    """The bytes are not JSON at all (a text blueprint may still be)."""


@dataclass
class JsonRole:
    """One role read from the JSON shape: the parser's data and what an export adds."""

    parsed: ParsedBlueprint
    min_scores: list[int | None] = field(default_factory=list)  # per dimension
    settings: dict[str, Any] = field(default_factory=dict)  # as given, {} when absent


def to_json(
    parsed: ParsedBlueprint,
    file: str = "",
    *,
    min_scores: list[int | None] | None = None,
    settings: dict[str, Any] | None = None,
    revision: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`parsed` as the JSON shape (its dimensions' anchors and their sources included);
    min_scores (per dimension), settings and revision are what an export of a stored
    revision adds."""
    dimensions = []
    for n, d in enumerate(parsed.dimensions):
        row: dict[str, Any] = {
            "name": d.name,
            "meets_bar": d.meets_bar,
            "weight": fmt_weight(d.weight),
        }
        if d.anchors or d.anchor_sources:
            row["anchors"] = list(d.anchors)
            row["anchor_sources"] = list(d.anchor_sources)
        if min_scores is not None:
            row["min_score"] = min_scores[n] if n < len(min_scores) else None
        dimensions.append(row)
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "file": file,
        "title": parsed.title,
        "slug": parsed.slug,
        "summary": parsed.summary,
        "dimensions": dimensions,
        "competency_areas": [
            {"name": c.name, "description": c.description} for c in parsed.competency_areas
        ],
        "exercises": [
            {
                "title": e.title,
                "duration_min": e.duration_min,
                "duration_max": e.duration_max,
                "prompt": e.prompt,
                "look_for": list(e.look_for),
                "must_cover": list(e.must_cover),
            }
            for e in parsed.exercises
        ],
        "signals": {kind: list(parsed.signals.get(kind, [])) for kind in SIGNAL_KINDS},
        "stages": [
            {
                "name": s.name,
                "duration_minutes": s.duration_minutes,
                "exercise_index": s.exercise_index,
                "focus": list(s.focus),
            }
            for s in parsed.stages
        ],
        "warnings": list(parsed.warnings),
    }
    if settings is not None:
        data["settings"] = settings
    if revision is not None:
        data["revision"] = revision
    return data


def loads(data: bytes, filename: str = "export") -> Any:
    """The JSON value in a file's bytes. NotJson when they are not JSON; BlueprintError
    when they are but hold what no role has (a number thousands of digits long, NaN)."""
    try:
        return json.loads(
            data.decode("utf-8-sig"),
            parse_int=_whole_number,
            parse_float=_fraction,
            parse_constant=_not_a_number,
        )
    except UnicodeDecodeError:
        raise NotJson(f"{filename} is not UTF-8 text, so it is not a role export.") from None
    except json.JSONDecodeError as exc:
        raise NotJson(
            f"{filename} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise BlueprintError(f"{filename} is nested too deeply to be a role export.") from None
    except limits.LimitError as exc:
        raise BlueprintError(f"{filename} cannot be imported: {exc}.") from None


def _whole_number(text: str) -> int:
    limits.check_number_text(text)
    return int(text)


def _fraction(text: str) -> float:
    limits.check_number_text(text)
    return float(text)


def _not_a_number(text: str) -> Any:
    raise limits.LimitError(f"it holds {text}, which is not a number a role can use")


def read(obj: Any, filename: str = "export") -> JsonRole:
    """One role from the JSON shape, every field checked; BlueprintError (one sentence
    naming the file) when something is wrong."""
    with _limits(filename):
        limits.check_all_texts(obj)
    parsed = from_json(obj, filename)
    role = JsonRole(parsed, min_scores=[None for _ in parsed.dimensions])
    for n, raw in enumerate(obj["dimensions"]):
        where = f'dimension "{parsed.dimensions[n].name}"'
        min_score = raw.get("min_score")
        _need(
            min_score is None
            or (
                isinstance(min_score, int)
                and not isinstance(min_score, bool)
                and 1 <= min_score <= ANCHOR_LEVELS
            ),
            filename,
            f"{where} needs a min_score from 1 to 5, or null",
        )
        role.min_scores[n] = min_score
    settings = obj.get("settings", {})
    _need(isinstance(settings, dict), filename, '"settings" must be an object')
    _need(
        isinstance(settings.get("blind_review", False), bool),
        filename,
        '"blind_review" in "settings" must be true or false',
    )
    role.settings = settings
    return role


def _need(condition: bool, filename: str, what: str) -> None:
    if not condition:
        raise BlueprintError(f"{filename} is not a valid role export: {what}.")


def _str_field(
    obj: dict[str, Any], key: str, filename: str, where: str, required: bool = True
) -> str:
    value = obj.get(key, None if required else "")
    _need(isinstance(value, str), filename, f'{where} "{key}" must be text')
    return value


def _anchor_texts(raw: dict[str, Any], key: str, filename: str, name: str) -> list[str]:
    texts = raw.get(key, [])
    _need(
        isinstance(texts, list)
        and len(texts) <= ANCHOR_LEVELS
        and all(isinstance(a, str) for a in texts),
        filename,
        f'dimension "{name}" needs at most five {key.replace("_", " ")[:-1]} texts',
    )
    return list(texts)


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
    """Rebuild a ParsedBlueprint from to_json() output, validating its shape and every
    limit of a role (roles.blueprint.limits; read() checks what an export adds as well)."""
    _need(isinstance(obj, dict), filename, "the top level must be an object")
    _need(
        obj.get("format", FORMAT) == FORMAT,
        filename,
        f'"format" must be "{FORMAT}"',
    )
    version = obj.get("format_version", FORMAT_VERSION)
    _need(
        isinstance(version, int) and not isinstance(version, bool) and version <= FORMAT_VERSION,
        filename,
        f'"format_version" must be a whole number up to {FORMAT_VERSION}',
    )
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
    raw_areas = obj.get("competency_areas", [])
    _need(isinstance(raw_areas, list), filename, '"competency_areas" must be a list')
    raw_exercises = obj.get("exercises", [])
    _need(isinstance(raw_exercises, list), filename, '"exercises" must be a list')
    raw_signals = obj.get("signals", {})
    _need(isinstance(raw_signals, dict), filename, '"signals" must be an object')
    unknown = set(raw_signals) - set(SIGNAL_KINDS)
    _need(not unknown, filename, f'"signals" has unknown kinds {sorted(unknown)}')
    raw_stages = obj.get("stages", [])
    _need(isinstance(raw_stages, list), filename, '"stages" must be a list')
    # Counted before anything is built: a file of 5,000 dimensions is refused at once.
    with _limits(filename):
        limits.check_counts(
            dimensions=len(raw_dims),
            areas=len(raw_areas),
            exercises=len(raw_exercises),
            signals={k: len(v) if isinstance(v, list) else 0 for k, v in raw_signals.items()},
            stages=len(raw_stages),
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
            weight.is_finite(),
            filename,
            f'dimension "{name}" has an invalid weight "{str(weight_raw)[:20]}"',
        )
        dimensions.append(
            ParsedDimension(
                name,
                _str_field(raw, "meets_bar", filename, f"dimension {n}", required=False),
                weight,
                anchors=_anchor_texts(raw, "anchors", filename, name),
                anchor_sources=_anchor_texts(raw, "anchor_sources", filename, name),
            )
        )
    areas = []
    for n, raw in enumerate(raw_areas, 1):
        _need(isinstance(raw, dict), filename, f"competency area {n} must be an object")
        areas.append(
            ParsedCompetencyArea(
                _str_field(raw, "name", filename, f"competency area {n}"),
                _str_field(raw, "description", filename, f"competency area {n}", required=False),
            )
        )
    exercises = []
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
    signals = {
        k: _str_list(raw_signals.get(k, []), filename, f'signals "{k}"') for k in SIGNAL_KINDS
    }
    warnings = _str_list(obj.get("warnings", []), filename, '"warnings"')
    summary = obj.get("summary", "")
    _need(isinstance(summary, str), filename, '"summary" must be text')
    names = [d.name for d in dimensions]
    if "stages" in obj:
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
    parsed = ParsedBlueprint(
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
    with _limits(filename):
        limits.check_role(parsed)
    return parsed


@contextmanager
def _limits(filename: str) -> Iterator[None]:
    """A broken limit as the one sentence a BlueprintError carries."""
    try:
        yield
    except limits.LimitError as exc:
        raise BlueprintError(f"{filename} cannot be imported: {exc}.") from None
