"""Competency areas ("What to assess in interviews")."""

from __future__ import annotations

import re

from roles.blueprint.text import _list_items, _shorten
from roles.blueprint.types import ParsedCompetencyArea

_NAME_SEP = re.compile(r"\s+[–—-]\s+|:\s+")


def _competency_areas(lines: list[str], warnings: list[str]) -> list[ParsedCompetencyArea]:
    areas = []
    for item in _list_items(lines):
        match = _NAME_SEP.search(item)
        if match and 0 < match.start() <= 90:
            name, description = item[: match.start()], item[match.end() :]
        elif len(item) > 90:
            # A name must stay short enough to be one; keep the full text as the
            # description so nothing is lost, and let the recruiter rename it.
            name, description = _shorten(item, 80), item
            warnings.append(
                f'Competency area "{_shorten(item)}" has no clear name; '
                "its start was used as the name."
            )
        else:
            name, description = item, ""
        areas.append(ParsedCompetencyArea(name.strip().rstrip(":"), description.strip()))
    return areas
