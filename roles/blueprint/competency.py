"""Competency areas ("What to assess in interviews")."""

from __future__ import annotations

import re

from roles.blueprint.text import list_items, shorten
from roles.blueprint.types import ParsedCompetencyArea

_NAME_SEP = re.compile(r"\s+[–—-]\s+|:\s+")


def parse_competency_areas(lines: list[str], warnings: list[str]) -> list[ParsedCompetencyArea]:
    areas = []
    for item in list_items(lines):
        match = _NAME_SEP.search(item)
        if match and 0 < match.start() <= 90:
            name, description = item[: match.start()], item[match.end() :]
        elif len(item) > 90:
            # A name must stay short enough to be one; keep the full text as the
            # description so nothing is lost, and let the recruiter rename it.
            name, description = shorten(item, 80), item
            warnings.append(
                f'Competency area "{shorten(item)}" has no clear name; '
                "its start was used as the name."
            )
        else:
            name, description = item, ""
        areas.append(ParsedCompetencyArea(name.strip().rstrip(":"), description.strip()))
    return areas
