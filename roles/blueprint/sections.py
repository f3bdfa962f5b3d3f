"""Finding section 19 ("Hiring Evaluation Criteria") and splitting it into its parts."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from roles.blueprint.text import BULLET, KNOWN_SECTIONS, MD_HEADING, SECTION, heading_text

# A file may hold many candidate headings; past this many the search stops.
_MAX_HEADINGS = 200


def section_number(line: str) -> tuple[int, str] | None:
    match = SECTION.match(line)
    if not match:
        return None
    title = heading_text(match.group(2))
    if not title or len(title) > 90 or title.endswith("."):
        return None
    return int(match.group(1)), title


_PLAIN_SECTION = re.compile(r"(?:\*\*|__)?(\d{1,2}) *[).:] *(?:\*\*|__)? *(.{0,120})")


def is_section_end(line: str) -> bool:
    if line[:1].isspace():
        # Indented lines are list items, never section headings (markdown allows
        # up to three spaces before "#", handled below).
        if not line.lstrip(" ")[:1] == "#" or len(line) - len(line.lstrip(" ")) > 3:
            return False
    elif line[:1] != "#":
        match = _PLAIN_SECTION.match(line)
        if match:
            # Fast path: a file may hold a hundred thousand numbered junk lines.
            number, rest = int(match.group(1)), match.group(2).strip()
            if number == 19 or len(rest) > 90 or not rest or rest.endswith("."):
                return False
            return number >= 20 or bool(KNOWN_SECTIONS.match(rest))
    markdown = bool(MD_HEADING.match(line))
    found = section_number(line)
    if found:
        number, title = found
        if number == 19:
            return False
        if markdown:
            return True
        if line[:1].isspace():
            return False  # an indented numbered list item, not a section heading
        return number >= 20 or bool(KNOWN_SECTIONS.match(title))
    text = heading_text(line).lower()
    if markdown:
        return bool(KNOWN_SECTIONS.match(text)) and "hiring evaluation" not in text
    return text == "final role scorecard summary"


# Lines that could be a section heading. Files may hold a million junk lines, so the
# scans below search the text with regexes instead of looping over every line.
_HEADING_CANDIDATE = re.compile(
    r"^(?: {0,3}#{1,6} |(?:\*\*|__)?\d{1,2} *[).:]| {0,3}(?:\*\*|__)? *(?:final role|"
    r"hiring evaluation))",
    re.I | re.M,
)
_HIRING = re.compile("hiring evaluation criteria", re.I)


def lines_containing(text: str, needle: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(offset, line) for every line in which needle matches, each line once."""
    line_end = -1
    for match in needle.finditer(text):
        if match.start() <= line_end:
            continue  # another hit on the line just yielded
        start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        if line_end < 0:
            line_end = len(text)
        yield start, text[start:line_end]


def _line_at(text: str, offset: int) -> str:
    end = text.find("\n", offset)
    return text[offset : end if end >= 0 else len(text)]


# A real section 19 is under a hundred lines and 5,000 characters, none of them longer
# than 700. The reader reads at most these many lines and characters of one (a huge one
# is pasted junk, and reading all of it would blow the time budget), so the search for
# where a section ends never looks further either.
MAX_SECTION_LINES = 1500
MAX_SECTION_CHARS = 100_000
MAX_LINE_CHARS = 5_000
# From the start of a heading line: the heading and the MAX_SECTION_LINES + 1 lines
# after it (a boundary on the last of them still leaves MAX_SECTION_LINES to read).
_WINDOW = re.compile(rf"(?:[^\n]*\n){{0,{MAX_SECTION_LINES + 2}}}")


def _section_end(text: str, offset: int, limit: int, headings: set[int]) -> int | None:
    """Offset of the first line after the heading at offset that ends its section,
    looking no further than limit."""
    for match in _HEADING_CANDIDATE.finditer(text, offset + 1, limit):
        found = match.start()
        if found in headings:
            return found
        line = _line_at(text, found)
        # Another "Hiring Evaluation Criteria" heading (one past the cap) also ends it.
        if is_section_end(line) or (len(line) <= 120 and _HIRING.search(line)):
            return found
    return None


def find_section19(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges that look like section 19, best first (at most five).

    A range is cut MAX_SECTION_LINES + 1 lines after its start when no section ends
    before: the reader reads no more of it anyway, and the search for its end stays
    short however many heading-like lines follow (thousands in some pasted junk)."""
    starts: list[tuple[int, int]] = []  # (preference, offset of the heading line)
    for seen, (offset, line) in enumerate(lines_containing(text, _HIRING)):
        if seen == _MAX_HEADINGS:
            break  # a real file names the section once or twice; the rest is junk
        if len(line) > 120:
            continue
        found = section_number(line)
        if (found and "hiring evaluation criteria" in found[1].lower()) or (
            heading_text(line).lower() == "hiring evaluation criteria"
        ):
            starts.append((0 if found and found[0] == 19 else 1, offset))
    headings = sorted({offset for _, offset in starts})
    heading_set = set(headings)
    ranges = []
    for _, offset in sorted(starts):
        # Each heading ends the section before it, whether or not it looks like one.
        after = bisect.bisect_right(headings, offset)
        next_heading = headings[after] if after < len(headings) else len(text)
        # The window ends MAX_SECTION_LINES + 1 lines after the heading, or at the next
        # heading or the end of the text if they come first (found without reading on).
        window = _WINDOW.match(text, offset, next_heading).end()
        if text.count("\n", offset, window) < MAX_SECTION_LINES + 2:
            window = next_heading
        end_offset = _section_end(text, offset, window, heading_set)
        if end_offset is None and window == next_heading:
            end_offset = next_heading
        if end_offset is not None:
            body_start = text.find("\n", offset, end_offset)
            if body_start < 0 or not text[body_start:end_offset].strip():
                continue  # an empty section, e.g. a line in a table of contents
        start = text.count("\n", 0, offset)
        if end_offset is None:
            # No end within the window: a longer section than the reader reads.
            end = start + 1 + MAX_SECTION_LINES + 1
        else:
            end = text.count("\n", 0, end_offset) if end_offset < len(text) else len(lines)
        ranges.append((start + 1, end))
        if len(ranges) == 5:
            break
    return ranges


def read_section(lines: list[str], start: int, end: int, warnings: list[str]) -> list[str]:
    """The lines start:end of a section as the reader reads them: at most
    MAX_SECTION_LINES lines of at most MAX_LINE_CHARS characters, MAX_SECTION_CHARS in
    all. Whatever is left out is said in warnings. Every later step reads each line a
    few times, so this bound is what keeps them all quick on any upload."""
    if end - start > MAX_SECTION_LINES:
        warnings.append(
            f"Section 19 is more than {MAX_SECTION_LINES:,} lines long; only its first "
            f"{MAX_SECTION_LINES:,} lines were read."
        )
        end = start + MAX_SECTION_LINES
    body: list[str] = []
    room = MAX_SECTION_CHARS
    long_lines = 0
    for line in lines[start:end]:
        if len(line) > MAX_LINE_CHARS:
            long_lines += 1
            line = line[:MAX_LINE_CHARS]
        if len(line) > room:
            warnings.append(
                f"Section 19 is longer than {MAX_SECTION_CHARS:,} characters; only its "
                f"first {MAX_SECTION_CHARS:,} were read."
            )
            break
        body.append(line)
        room -= len(line) + 1
    if long_lines:
        some = "A line" if long_lines == 1 else f"{long_lines:,} lines"
        warnings.append(
            f"{some} of section 19 {'is' if long_lines == 1 else 'are'} longer than "
            f"{MAX_LINE_CHARS:,} characters; only the first {MAX_LINE_CHARS:,} characters "
            f"of {'it' if long_lines == 1 else 'each'} were read."
        )
    return body


_SUBSECTIONS = (
    ("dimensions", re.compile(r"^(scorecard|scoring rubric|evaluation dimensions|dimensions\b)")),
    ("competency", re.compile(r"^(what to assess|competenc|key competenc|interview focus)")),
    (
        "exercises",
        re.compile(
            r"^(practical exercises?|exercises?\b|case stud(y|ies)\b(?!\s*\w\s*:)"
            r"|work samples?|interview exercises)"
        ),
    ),
    ("strong", re.compile(r"^(strong (candidate )?signals|green flags|positive signals)")),
    ("weak", re.compile(r"^(weak (candidate )?signals|negative signals|yellow flags)")),
    ("red_flag", re.compile(r"^red[ -]flags?\b")),
)


def subsection_kind(line: str) -> str | None:
    if not line.strip() or BULLET.match(line) or line.lstrip().startswith("|"):
        return None
    text = heading_text(line)
    if len(text) > 90 or text.endswith("."):
        return None
    lowered = text.lower()
    if lowered.startswith("dimension ") and "looks like" in lowered:
        return None  # a flattened table header, not a heading
    for kind, pattern in _SUBSECTIONS:
        if pattern.match(lowered):
            return kind
    return None


def split_subsections(lines: list[str]) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        kind = subsection_kind(line)
        if kind is not None and kind not in parts:
            current = kind
            parts[current] = []
            continue
        if current is not None:
            parts[current].append(line)
    return parts
