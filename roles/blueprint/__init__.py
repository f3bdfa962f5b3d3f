"""Role blueprint parser: turns an uploaded "Role Blueprint" text file into plain data.

A blueprint is a 20-section document scraped from the web; section 19 ("Hiring
Evaluation Criteria") holds what the app imports: competency areas, exercises, signals
and the weighted scorecard dimensions. Real files are messy (web junk, mojibake,
flattened tables, mixed list markers), so this package repairs what it can, reports
every guess as a warning, and refuses files that are not blueprints with one sentence.

Pure Python on purpose (no Django): the importer command, the upload preview and the
tests all call it, and the fuzz tests must be able to hammer it quickly.

Its modules, in reading order: types (what it returns), text (decoding and line
helpers), sections, dimensions, competency, exercises, title, loop (the default
interview loop), parser (parse_blueprint), json_format (the JSON shape).
"""

from roles.blueprint.json_format import from_json
from roles.blueprint.loop import suggest_stages
from roles.blueprint.parser import parse_blueprint
from roles.blueprint.text import decode_bytes
from roles.blueprint.types import (
    MAX_BYTES,
    SIGNAL_KINDS,
    BlueprintError,
    ParsedBlueprint,
    ParsedCompetencyArea,
    ParsedDimension,
    ParsedExercise,
    ParsedStage,
    slugify,
)

__all__ = [
    "MAX_BYTES",
    "SIGNAL_KINDS",
    "BlueprintError",
    "ParsedBlueprint",
    "ParsedCompetencyArea",
    "ParsedDimension",
    "ParsedExercise",
    "ParsedStage",
    "decode_bytes",
    "from_json",
    "parse_blueprint",
    "slugify",
    "suggest_stages",
]
