"""The role's title and summary."""

from __future__ import annotations

import re
from itertools import islice

from roles.blueprint.sections import lines_containing, section_number
from roles.blueprint.text import BULLET, MD_HEADING, clean, heading_text, shorten

# Whole-text multiline searches: a per-line loop is too slow on a 2 MB junk file.
_ROLE_TITLE_ROW = re.compile(r" *(?:\| *)?(?:\*\*)?role title(?:\*\*)? *(?:\||:| ) *(.+)", re.I)
_PURPOSE_ROW = re.compile(r" *(?:\| *)?(?:\*\*)?role purpose(?:\*\*)? *(?:\||:| ) *(.+)", re.I)
_BLUEPRINT_LINE = re.compile(r"^ *(?:#+ *)?([^\n]{3,80}?) *[:–—-] *role blueprint\b", re.I | re.M)
_SECTION_ONE = re.compile(r" {0,3}(?:#{1,6} *)?(?:\*\*)? *1 *[).:] *(?:\*\*)? *role summary", re.I)
# A file names its role title, purpose and summary once or twice; past this many lines
# that mention one (pasted junk: a hundred thousand empty "| Role title | |" rows) the
# search stops.
_MAX_MENTIONS = 200


def _mentions(text: str, label: str) -> islice[tuple[int, str]]:
    return islice(lines_containing(text, re.compile(re.escape(label), re.I)), _MAX_MENTIONS)


def _first_row_value(pattern: re.Pattern[str], label: str, text: str) -> str:
    for _, line in _mentions(text, label):
        match = pattern.match(line)
        if match:
            value = clean(match.group(1)).strip("| ")
            if value:
                return value
    return ""


def parse_title(text: str, warnings: list[str]) -> str:
    from_table = _first_row_value(_ROLE_TITLE_ROW, "role title", text)
    match = _BLUEPRINT_LINE.search(text, 0, 40_000)
    from_heading = clean(match.group(1)) if match else ""
    first = next((line for line in text[:10_000].split("\n") if line.strip()), "")
    if not from_heading and MD_HEADING.match(first) and not section_number(first):
        from_heading = heading_text(first)[:120]
    if not from_table and not from_heading and not section_number(first):
        # A plain first line is only trusted when nothing better names the role.
        plain = heading_text(first)
        if 0 < len(plain) <= 80 and not plain.endswith("."):
            from_heading = plain
    if from_table and from_heading and from_table.lower() != from_heading.lower():
        warnings.append(
            f'The first line names the role "{from_heading}" but section 20 says '
            f'"{from_table}"; "{from_table}" was used.'
        )
    title = from_table or from_heading
    return title[:120].strip()


def parse_summary(text: str) -> str:
    purpose = _first_row_value(_PURPOSE_ROW, "role purpose", text)
    if purpose:
        return shorten(purpose, 600)
    for offset, line in _mentions(text, "role summary"):
        if _SECTION_ONE.match(line):
            for following in text[offset : offset + 20_000].split("\n")[1:6]:
                cleaned = clean(following)
                if len(cleaned) > 40 and not BULLET.match(following):
                    return shorten(cleaned, 600)
    return ""
