"""Role blueprint parser: turns an uploaded "Role Blueprint" text file into plain data.

A blueprint is a 20-section document scraped from the web; section 19 ("Hiring
Evaluation Criteria") holds what the app imports: competency areas, exercises, signals
and the weighted scorecard dimensions. Real files are messy (web junk, mojibake,
flattened tables, mixed list markers), so this module repairs what it can, reports
every guess as a warning, and refuses files that are not blueprints with one sentence.

Pure Python on purpose (no Django): the importer command, the upload preview and the
tests all call it, and the fuzz tests must be able to hammer it quickly.
"""

from __future__ import annotations

import bisect
import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

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

MAX_BYTES = 2 * 1024 * 1024
SIGNAL_KINDS = ("strong", "weak", "red_flag")
_HUNDRED = Decimal("100")
_CENT = Decimal("0.01")


class BlueprintError(Exception):
    """The file cannot be imported; the message is one sentence naming the file."""


@dataclass
class ParsedDimension:
    name: str
    meets_bar: str
    weight: Decimal  # percent, two decimals, e.g. Decimal("20.00"), Decimal("12.50")


@dataclass
class ParsedCompetencyArea:
    name: str
    description: str


@dataclass
class ParsedExercise:
    title: str
    duration_min: int | None
    duration_max: int | None
    prompt: str
    look_for: list[str] = field(default_factory=list)
    must_cover: list[str] = field(default_factory=list)


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
        return {
            "file": file,
            "title": self.title,
            "slug": self.slug,
            "summary": self.summary,
            "dimensions": [
                {"name": d.name, "meets_bar": d.meets_bar, "weight": _fmt_weight(d.weight)}
                for d in self.dimensions
            ],
            "competency_areas": [
                {"name": c.name, "description": c.description} for c in self.competency_areas
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
                for e in self.exercises
            ],
            "signals": {kind: list(self.signals.get(kind, [])) for kind in SIGNAL_KINDS},
            "stages": [
                {
                    "name": s.name,
                    "duration_minutes": s.duration_minutes,
                    "exercise_index": s.exercise_index,
                    "focus": list(s.focus),
                }
                for s in self.stages
            ],
            "warnings": list(self.warnings),
        }


def _fmt_weight(weight: Decimal) -> str:
    return str(weight.quantize(_CENT, rounding=ROUND_HALF_UP))


def slugify(text: str) -> str:
    # Accents fold to ASCII letters; any other symbol (dashes, slashes) separates words.
    decomposed = unicodedata.normalize("NFKD", text)
    spaced = "".join(ch if ch.isalnum() or unicodedata.combining(ch) else " " for ch in decomposed)
    ascii_text = spaced.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# --------------------------------------------------------------------------------------
# Decoding and mojibake repair
# --------------------------------------------------------------------------------------

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (e.g. a .docx); save it as plain text"),
    (b"%PDF", "a PDF; save it as plain text"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old Office document; save it as plain text"),
)


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    # cp1252 leaves five bytes undefined; keeping them as C1 controls lets the
    # mojibake repair still see e.g. the lost third byte of a "”".
    chunk = err.object[err.start : err.end]
    return bytes(chunk).decode("latin-1"), err.end


codecs.register_error("blueprint_latin1", _latin1_fallback)


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _raw_decode(data: bytes, filename: str) -> str:
    if not data.strip():
        raise BlueprintError(f"{filename} is empty.")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BlueprintError(f"{filename} is {what}, not a text blueprint.")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        utf16 = _looks_utf16(data)
        if utf16 is None:
            raise BlueprintError(f"{filename} is a binary file, not a text blueprint.")
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a few damaged bytes reads better as UTF-8 than as cp1252.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad
    if good > 0 and bad * 4 <= good:
        return lenient
    return data.decode("cp1252", errors="blueprint_latin1")


def _build_byte_map() -> dict[str, int]:
    # Mojibake we repair is UTF-8 bytes shown through a single-byte code page: cp1252
    # (the classic "â€™") or Windows-874 (Thai, "โ€™"), where the scraper filled the
    # bytes cp874 leaves undefined from cp1252. Map each such character back to its byte.
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        raw = bytes([byte])
        for codec in ("cp1252", "cp874"):
            try:
                table.setdefault(raw.decode(codec), byte)
            except UnicodeDecodeError:
                pass
        table.setdefault(raw.decode("latin-1"), byte)  # C1 controls from the fallback
    return table


_BYTE_OF = _build_byte_map()


def _chars_for(low: int, high: int) -> str:
    return "".join(re.escape(ch) for ch, byte in _BYTE_OF.items() if low <= byte <= high)


# A mojibake sequence is one UTF-8 lead (2-byte Latin C2-DF, or E2/EF for punctuation
# and the BOM) followed by its continuation bytes; matching only those keeps the scan
# linear and leaves lone accented letters ("café") alone.
_MOJI_SEQ = re.compile(
    f"[{_chars_for(0xC2, 0xDF)}][{_chars_for(0x80, 0xBF)}]"
    f"|[{_chars_for(0xE2, 0xE2)}{_chars_for(0xEF, 0xEF)}][{_chars_for(0x80, 0xBF)}]{{1,2}}"
)
_THAI = re.compile("[\u0e00-\u0e7f]")
_LATIN_LETTER = re.compile("[A-Za-z]")
_REPAIRED: dict[str, str] = {}


def _repair_seq(match: re.Match[str]) -> str:
    seq = match.group(0)
    fixed = _REPAIRED.get(seq)
    if fixed is None:
        raw = bytes(_BYTE_OF[ch] for ch in seq)
        try:
            fixed = raw.decode("utf-8")
        except UnicodeDecodeError:
            if raw[:2] == b"\xe2\x80":
                # E2 80 9D is "”"; 0x9D has no character in either code page, so the
                # scraper dropped it and left a dangling two-character prefix.
                fixed = "\u201d" + seq[2:]
            else:
                fixed = seq
        if len(_REPAIRED) < 4096:
            _REPAIRED[seq] = fixed
    return fixed


_APOSTROPHE_TAIL = re.compile(r"(?:s|t|re|ll|ve|d|m)(?![A-Za-z])")


def _lossy_line(line: str) -> str:
    """Restore one line where every "–", "→", "“", "”", "’" became a lone "โ"."""
    line = line.replace("โฅ", "≥").replace("โค", "≤")
    if "โ" not in line:
        return line
    if line.count("โ") > 2000:
        return line.replace("โ", "–")  # junk, not prose; context rules would be slow
    lead = len(line) - len(line.lstrip())
    spaced = line.count(" โ ")
    chars = list(line)
    quote_open = False
    for match in re.finditer("โ", line):
        i = match.start()
        prev = line[i - 1] if i > 0 else ""
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if prev.isdigit() and nxt.isdigit():
            chars[i] = "–"
        elif prev.isalnum() and nxt.isalpha():
            chars[i] = "’" if _APOSTROPHE_TAIL.match(line, i + 1) else "—"
        elif (prev == "" or prev.isspace()) and nxt == " ":
            if i <= lead:
                chars[i] = "–"  # used as a list bullet
            elif spaced >= 2 or _inside_short_parens(line, i):
                chars[i] = "→"  # "A โ B โ C" flows and "(MVP โ scale)" read as arrows
            else:
                chars[i] = "–"
        else:
            opens = (prev == "" or prev.isspace() or prev in "([{/–—-:") and not (
                nxt == "" or nxt.isspace()
            )
            closes = (nxt == "" or nxt.isspace() or nxt in ".,;:!?)]}") and not (
                prev == "" or prev.isspace()
            )
            if opens and not closes:
                chars[i], quote_open = "“", True
            elif closes and not opens:
                chars[i], quote_open = "”", False
            else:
                chars[i] = "”" if quote_open else "“"
                quote_open = not quote_open
    return "".join(chars)


def _inside_short_parens(line: str, i: int) -> bool:
    left = line.rfind("(", 0, i)
    right = line.find(")", i)
    if left < 0 or right < 0 or ")" in line[left:i] or "(" in line[i:right]:
        return False
    return len(line[left + 1 : right].split()) <= 6


def _repair_mojibake(text: str) -> str:
    thai = _THAI.findall(text)
    if not thai and "â" not in text and "Ã" not in text and "Â" not in text:
        return text
    # "โ" (the byte E2) and "ฅ"/"ค" (the tails of "≥"/"≤") are what mojibake leaves;
    # many other Thai letters mean the text really is Thai, so leave it alone.
    other_thai = sum(1 for ch in thai if ch not in "โฅค")
    if other_thai > 10 and other_thai > 0.02 * len(_LATIN_LETTER.findall(text)):
        return text
    text = _MOJI_SEQ.sub(_repair_seq, text)
    if "โ" in text:
        # Memoised per line: pasted junk repeats the same line thousands of times.
        done: dict[str, str] = {}

        def lossy(match: re.Match[str]) -> str:
            line = match.group(0)
            fixed = done.get(line)
            if fixed is None:
                fixed = done[line] = _lossy_line(line)
            return fixed

        text = _LINE_WITH_THO.sub(lossy, text)
    return text


_LINE_WITH_THO = re.compile("^[^\nโ]*โ[^\n]*", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, filename: str = "blueprint") -> str:
    """Bytes of any encoding we meet in practice -> clean text with "\\n" line ends.

    Handles BOMs, UTF-8, UTF-16 (with or without BOM), Windows-1252, CRLF, and both
    kinds of mojibake. Raises BlueprintError for empty or binary input.
    """
    if isinstance(data, str):
        text = data
    else:
        text = _raw_decode(bytes(data), filename)
    return _normalise_text(text, filename)


def _normalise_text(text: str, filename: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not text.strip():
        raise BlueprintError(f"{filename} is empty.")
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(8, len(text) // 200):
        raise BlueprintError(f"{filename} is a binary file, not a text blueprint.")
    text = _CONTROL.sub("", text)
    text = _repair_mojibake(text)
    text = re.sub("[\x80-\x9f]", "", text)  # C1 controls left over from cp1252 gaps
    # Web pages carry no-break and zero-width spaces that would defeat the regexes.
    text = re.sub("[\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = re.sub("[\u200b-\u200d\u2060]", "", text).replace("\t", "    ")
    # Bounded whitespace runs keep every regex below linear on hostile input.
    return re.sub(" {17,}", " " * 16, text)


# --------------------------------------------------------------------------------------
# Line-level helpers
# --------------------------------------------------------------------------------------

_BULLET = re.compile(r"^(\s*)(?:([-•–—*·▪◦‣●○■□➢➤✓✔])(?=\s|$)|(\d{1,2})[.)](?=\s))\s*(.*)$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_SECTION = re.compile(r"^\s{0,3}(?:#{1,6}\s*)?(?:\*\*|__)?\s*(\d{1,2})\s*[).:]\s*(.*)$")
_KNOWN_SECTIONS = re.compile(
    r"^(role summary|role mission|core responsibilities|day-to-day|key deliverables|"
    r"goals|kpis|technical skills|soft skills|tools|typical tech stack|stakeholders|"
    r"decision rights|required experience|career path|risks|role variants|"
    r"ai ?/ ?automation|hiring evaluation|final role scorecard)",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    """Inline markdown and whitespace out of one piece of text."""
    text = re.sub(r"\[([^\]\n]{1,200})\]\([^)\s]{1,500}\)", r"\1", text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def _heading_text(line: str) -> str:
    text = _MD_HEADING.sub("", line)
    return _clean(text).strip(" :*#")


@dataclass
class _Line:
    indent: int
    marker: str  # "" for none, "#" for numbers, else the bullet character
    text: str


def _split_item(raw: str) -> _Line:
    match = _BULLET.match(raw)
    if match:
        indent, symbol, number, rest = match.groups()
        return _Line(len(indent), symbol or "#", _clean(rest))
    stripped = raw.lstrip()
    return _Line(len(raw) - len(stripped), "", _clean(stripped))


def _item_lines(lines: list[str]) -> list[_Line]:
    """Non-blank lines as items; a marker alone on its line takes the next line's text."""
    out: list[_Line] = []
    pending: _Line | None = None
    for raw in lines:
        if not raw.strip():
            continue
        item = _split_item(raw)
        if pending is not None:
            if item.marker:
                out.append(pending)  # an empty item; dropped later
            else:
                item = _Line(pending.indent, pending.marker, item.text)
            pending = None
        if item.marker and not item.text:
            pending = item
            continue
        out.append(item)
    if pending is not None:
        out.append(pending)
    return [item for item in out if item.text]


def _strip_trailing_marker(text: str) -> str:
    # Scraped lists sometimes glue the next item's "-" onto the end of a line.
    return re.sub(r"\s+[-–•]$", "", text).strip()


def _list_items(lines: list[str]) -> list[str]:
    items = _item_lines(lines)
    if not items:
        return []
    if not any(item.marker for item in items):
        return [_strip_trailing_marker(item.text) for item in items]
    out: list[str] = []
    for item in items:
        if item.marker or not out:
            out.append(item.text)
        else:
            out[-1] = f"{out[-1]} {item.text}"
    return [t for t in (_strip_trailing_marker(x) for x in out) if t]


def _split_top_level(text: str, seps: str = ",;") -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        if ch in seps and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    out = []
    for part in parts:
        part = re.sub(r"^\s*(?:and|or)\s+", "", part.strip()).strip(" .")
        if part:
            out.append(part)
    return out


def _checklist_item(text: str) -> str:
    return text.strip().rstrip(",;").rstrip(".").strip()


# --------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------


def _section_number(line: str) -> tuple[int, str] | None:
    match = _SECTION.match(line)
    if not match:
        return None
    title = _heading_text(match.group(2))
    if not title or len(title) > 90 or title.endswith("."):
        return None
    return int(match.group(1)), title


_PLAIN_SECTION = re.compile(r"(?:\*\*|__)?(\d{1,2}) *[).:] *(?:\*\*|__)? *(.{0,120})")


def _is_section_end(line: str) -> bool:
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
            return number >= 20 or bool(_KNOWN_SECTIONS.match(rest))
    markdown = bool(_MD_HEADING.match(line))
    found = _section_number(line)
    if found:
        number, title = found
        if number == 19:
            return False
        if markdown:
            return True
        if line[:1].isspace():
            return False  # an indented numbered list item, not a section heading
        return number >= 20 or bool(_KNOWN_SECTIONS.match(title))
    text = _heading_text(line).lower()
    if markdown:
        return bool(_KNOWN_SECTIONS.match(text)) and "hiring evaluation" not in text
    return text == "final role scorecard summary"


# Lines that could be a section heading. Files may hold a million junk lines, so the
# scans below search the text with regexes instead of looping over every line.
_HEADING_CANDIDATE = re.compile(
    r"^(?: {0,3}#{1,6} |(?:\*\*|__)?\d{1,2} *[).:]| {0,3}(?:\*\*|__)? *(?:final role|"
    r"hiring evaluation))",
    re.I | re.M,
)
_HIRING = re.compile("hiring evaluation criteria", re.I)


def _lines_containing(text: str, needle: re.Pattern[str]) -> Iterator[tuple[int, str]]:
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


def _find_section19(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges that look like section 19, best first (at most five)."""
    starts: list[tuple[int, int]] = []  # (preference, offset of the heading line)
    for seen, (offset, line) in enumerate(_lines_containing(text, _HIRING)):
        if seen == _MAX_HEADINGS:
            break  # a real file names the section once or twice; the rest is junk
        if len(line) > 120:
            continue
        found = _section_number(line)
        if (found and "hiring evaluation criteria" in found[1].lower()) or (
            _heading_text(line).lower() == "hiring evaluation criteria"
        ):
            starts.append((0 if found and found[0] == 19 else 1, offset))
    if not starts:
        return []
    # One forward pass from the first heading collects the section boundaries, and
    # stops at the first boundary past the last heading: the rest is never read.
    heading_offsets = {offset for _, offset in starts}
    last_heading = max(heading_offsets)
    boundaries = sorted(heading_offsets)
    for match in _HEADING_CANDIDATE.finditer(text, boundaries[0]):
        offset = match.start()
        if offset in heading_offsets:
            continue
        line = _line_at(text, offset)
        # Another "Hiring Evaluation Criteria" heading (one past the cap) also ends it.
        if _is_section_end(line) or (len(line) <= 120 and _HIRING.search(line)):
            boundaries.append(offset)
            if offset > last_heading:
                break
    boundaries.sort()
    ranges = []
    for _, offset in sorted(starts):
        after = bisect.bisect_right(boundaries, offset)
        end_offset = boundaries[after] if after < len(boundaries) else len(text)
        body_start = text.find("\n", offset, end_offset)
        if body_start < 0 or not text[body_start:end_offset].strip():
            continue  # an empty section, e.g. a line in a table of contents
        start = text.count("\n", 0, offset)
        end = text.count("\n", 0, end_offset) if after < len(boundaries) else len(lines)
        ranges.append((start + 1, end))
        if len(ranges) == 5:
            break
    return ranges


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


def _subsection_kind(line: str) -> str | None:
    if not line.strip() or _BULLET.match(line) or line.lstrip().startswith("|"):
        return None
    text = _heading_text(line)
    if len(text) > 90 or text.endswith("."):
        return None
    lowered = text.lower()
    if lowered.startswith("dimension ") and "looks like" in lowered:
        return None  # a flattened table header, not a heading
    for kind, pattern in _SUBSECTIONS:
        if pattern.match(lowered):
            return kind
    return None


def _split_subsections(lines: list[str]) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        kind = _subsection_kind(line)
        if kind is not None and kind not in parts:
            current = kind
            parts[current] = []
            continue
        if current is not None:
            parts[current].append(line)
    return parts


# --------------------------------------------------------------------------------------
# Dimensions table
# --------------------------------------------------------------------------------------

_WEIGHT_CELL = re.compile(
    r"^~?\s*(\d{1,3}(?:[.,]\d+)?|[.,]\d+)\s*(%|percent|pts?)?\s*(?:\(.*\))?$", re.I
)
_WEIGHT_TOKEN = re.compile(r"~?(\d{1,3}(?:\.\d+)?|\.\d+)(%)?")
_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _parse_weight(cell: str) -> Decimal | None:
    match = _WEIGHT_CELL.match(_clean(cell))
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [_clean(cell) for cell in inner.split("|")]


@dataclass
class _Row:
    name: str
    meets_bar: str
    weight: Decimal | None
    unsure: bool = False


def _pipe_table(lines: list[str]) -> tuple[list[_Row], bool] | None:
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("|")), None)
    if start is None:
        return None
    rows = []
    for line in lines[start:]:
        if not line.lstrip().startswith("|"):
            if rows:
                break
            continue
        if _SEPARATOR_ROW.match(line.strip()):
            continue
        rows.append(_pipe_cells(line))
    if not rows:
        return None
    header = [cell.lower() for cell in rows[0]]
    has_header = any(
        word in cell for cell in header for word in ("dimension", "weight", "looks like", "bar")
    )
    name_col, meets_col, weight_col = 0, 1, None
    if has_header:
        rows = rows[1:]
        name_col = next((i for i, c in enumerate(header) if "dimension" in c), 0)
        weight_col = next((i for i, c in enumerate(header) if "weight" in c or "%" in c), None)
        meets_col = next(
            (
                i
                for i, c in enumerate(header)
                if i not in (name_col, weight_col)
                and ("meets" in c or "looks like" in c or "bar" in c or "excellent" in c)
            ),
            next((i for i in range(len(header)) if i not in (name_col, weight_col)), 1),
        )
    elif rows and len(rows[0]) >= 3 and _parse_weight(rows[0][-1]) is not None:
        weight_col = len(rows[0]) - 1
    out = []
    for cells in rows:

        def cell(i: int | None, cells: list[str] = cells) -> str:
            return cells[i] if i is not None and i < len(cells) else ""

        name = cell(name_col)
        if not name:
            continue
        weight = _parse_weight(cell(weight_col)) if weight_col is not None else None
        out.append(_Row(name, cell(meets_col), weight))
    return (out, weight_col is not None) if out else None


def _is_title_word(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return (
        bool(letters)
        and letters[0].isupper()
        and sum(ch.isupper() for ch in letters) == 1
        and word[0].isalpha()
    )


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return bool(letters) and word[0].isalpha() and sum(ch.isupper() for ch in letters) >= 2


def _split_name_meets(text: str, known_names: list[str]) -> tuple[str, str, bool]:
    """Split a flattened "Name Meets-bar text" row; returns (name, meets_bar, unsure).

    Names are short and sentence-case ("Security/privacy & responsible AI"); the
    meets-bar text starts with a capitalised word. Acronyms are ambiguous (they occur
    in both), and names never contain commas, so the split is before the first comma.
    """
    words = text.split()
    if len(words) < 2:
        return text, "", True
    lowered_known = {k.lower(): k for k in known_names}
    for k in range(min(len(words) - 1, 12), 0, -1):
        if " ".join(words[:k]).lower() in lowered_known:
            return " ".join(words[:k]), " ".join(words[k:]), False
    limit = next((i for i, w in enumerate(words) if "," in w or ";" in w), len(words) - 1)
    candidates: list[int] = []
    depth = 0
    for k, word in enumerate(words):
        if k > limit:
            break
        if k >= 1 and depth == 0 and (_is_title_word(word) or _is_acronym(word)):
            previous = words[k - 1].lower()
            if previous not in {"&", "and", "of", "for", "the", "a", "an", "with", "/", "to"}:
                candidates.append(k)
        depth += word.count("(") - word.count(")")
        depth = max(depth, 0)
    if not candidates:
        k = min(3, len(words) - 1)
        return " ".join(words[:k]), " ".join(words[k:]), True
    titles = [k for k in candidates if _is_title_word(words[k])]
    if titles:
        chosen = titles[0]
        # An acronym split before it ("responsible AI Threat") was also possible.
        unsure = any(1 < k < chosen for k in candidates)
    else:
        chosen = (
            candidates[-1]
            if len(candidates) > 1 and words[candidates[-1]].endswith(",")
            else candidates[0]
        )
        unsure = not words[chosen].endswith((",", ";")) or len(candidates) > 1
    if chosen == 1 and len(words) > 3:
        unsure = True
    return " ".join(words[:chosen]), " ".join(words[chosen:]), unsure


def _flat_table(lines: list[str], known_names: list[str]) -> tuple[list[_Row], bool] | None:
    start = None
    for i, line in enumerate(lines):
        lowered = _clean(line).lower()
        if re.match(r"^(dimension|criteria|competency)\b", lowered) and (
            "looks like" in lowered
            or "weight" in lowered
            or "meets" in lowered
            or "bar" in lowered
            or "excellent" in lowered
            or len(lowered.split()) <= 6
        ):
            start = i
            break
    if start is None:
        return None
    header = _clean(lines[start]).lower()
    header_has_weight = bool(re.search(r"\bweight", header))
    rows: list[_Row] = []
    saw_weight = False
    for raw in lines[start + 1 :]:
        if not raw.strip():
            if rows:
                break
            continue
        if _subsection_kind(raw) or _is_section_end(raw):
            break
        if "\t" in raw.strip() or re.search(r"\S {3,}\S", raw.strip()):
            cells = [c for c in re.split(r"\t| {3,}", raw.strip()) if c.strip()]
        else:
            cells = []
        text = _clean(raw)
        weight = None
        if len(cells) >= 2:
            name = _clean(cells[0])
            if len(cells) >= 3 or (header_has_weight and _parse_weight(cells[-1]) is not None):
                weight = _parse_weight(cells[-1])
                meets = _clean(" ".join(cells[1:-1])) if len(cells) >= 3 else ""
            else:
                meets = _clean(" ".join(cells[1:]))
            rows.append(_Row(name, meets, weight))
            saw_weight = saw_weight or weight is not None
            continue
        head, _, last = text.rpartition(" ")
        if last == "%" and head:  # "20 %"
            head, _, number = head.rpartition(" ")
            last = number + "%"
        match = _WEIGHT_TOKEN.fullmatch(last)
        if head and match and (match.group(2) or header_has_weight):
            weight = Decimal(match.group(1))
            text = head.strip()
            saw_weight = True
        name, meets, unsure = _split_name_meets(text, known_names)
        rows.append(_Row(name, meets, weight, unsure))
    if not rows:
        return None
    return rows, header_has_weight or saw_weight


def _bullet_dimensions(lines: list[str]) -> tuple[list[_Row], bool] | None:
    # Last resort: "- Name (20%): meets bar" or "- Name – 20% – meets bar".
    rows = []
    pattern = re.compile(
        r"^(?P<name>[^:–—(]{2,60}?)\s*(?:\((?P<w1>\d{1,3}(?:\.\d+)?)\s*%\)|[–—-]\s*"
        r"(?P<w2>\d{1,3}(?:\.\d+)?)\s*%)\s*[:–—-]?\s*(?P<meets>.*)$"
    )
    for item in _list_items(lines):
        match = pattern.match(item)
        if match:
            weight = Decimal(match.group("w1") or match.group("w2"))
            rows.append(_Row(match.group("name").strip(), match.group("meets").strip(), weight))
    return (rows, True) if rows else None


def _dimensions(
    lines: list[str], known_names: list[str], warnings: list[str]
) -> list[ParsedDimension]:
    found = _pipe_table(lines) or _flat_table(lines, known_names) or _bullet_dimensions(lines)
    if not found:
        return []
    rows, has_weights = found
    rows = [row for row in rows if row.name and len(row.name) <= 120]
    names_seen: set[str] = set()
    unique = []
    repeated: list[str] = []
    for row in rows:
        key = row.name.lower()
        if key in names_seen:
            if row.name not in repeated:
                repeated.append(row.name)
            continue
        names_seen.add(key)
        unique.append(row)
    rows = unique
    if repeated:
        shown = ", ".join(f'"{name}"' for name in repeated[:5])
        more = f" and {len(repeated) - 5} more" if len(repeated) > 5 else ""
        warnings.append(f"Dimension {shown}{more} appears more than once; only the first is kept.")
    for row in rows:
        if row.unsure:
            warnings.append(
                f'Check where the dimension name "{row.name}" ends and its description '
                f'"{_shorten(row.meets_bar)}" begins (the table had no column separators).'
            )
    weights = [row.weight for row in rows]
    if not rows:
        return []
    if not has_weights or all(w is None for w in weights):
        equal = _equal_weights(len(rows))
        warnings.append(
            f"The scorecard table gives no weights, so all {len(rows)} dimensions were set "
            f"to equal weights ({_fmt_weight(equal[-1])} each)."
        )
        return [ParsedDimension(r.name, r.meets_bar, w) for r, w in zip(rows, equal, strict=True)]
    missing = [row.name for row in rows if row.weight is None]
    if missing:
        warnings.append(
            "No weight given for " + ", ".join(f'"{m}"' for m in missing) + "; set to 0."
        )
    values = [row.weight if row.weight is not None else Decimal(0) for row in rows]
    if all(v <= 1 for v in values) and sum(values) > 0:
        values = [v * _HUNDRED for v in values]  # "0.2" style fractions
    # Stored with two decimals (the model field), so round here where we can warn.
    values = [v.quantize(_CENT, rounding=ROUND_HALF_UP) for v in values]
    total = sum(values, Decimal(0))
    if total != _HUNDRED:
        warnings.append(
            f"The dimension weights total {_fmt_total(total)}, not 100; they were kept as "
            "given, adjust them before publishing."
        )
    return [ParsedDimension(r.name, r.meets_bar, v) for r, v in zip(rows, values, strict=True)]


def _fmt_total(total: Decimal) -> str:
    text = _fmt_weight(total)
    return text[:-3] if text.endswith(".00") else text


def _equal_weights(n: int) -> list[Decimal]:
    share = (_HUNDRED / n).quantize(_CENT, rounding=ROUND_HALF_UP)
    weights = [share] * n
    weights[0] += _HUNDRED - share * n
    return weights


def _shorten(text: str, size: int = 50) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------
# Competency areas, signals
# --------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------
# Exercises
# --------------------------------------------------------------------------------------

_DURATION_IN_PARENS = re.compile(r"\(([^()]{0,60})\)")
_DURATION = re.compile(
    r"(\d{1,3})\s*(?:(?:[–—-]|to)\s*(\d{1,3})\s*)?(min(?:ute)?s?|hours?|hrs?|h)\b", re.I
)
_CASE_HEAD = re.compile(
    r"^(?:case study|case|exercise|scenario|task|round)\s+[A-Z0-9]{1,3}\s*[:.)]\s", re.I
)
_SEGMENT_SEP = re.compile(r"\s+[–—]\s+|\s+-\s+")
_LOOK_FOR = re.compile(
    r"^(?:look(?:ing)?[ -]for|what to look for|look-fors|signals to look for|"
    r"what good looks like)\s*:\s*(.*)$",
    re.I,
)
_MUST_COVER = re.compile(
    r"^(?:must (?:cover|include|address)|should (?:cover|include)|key areas to cover)"
    r"\s*:\s*(.*)$",
    re.I,
)
_INLINE_MUST = re.compile(r"(?:^|[.!?]\s+)Must (?:include|cover|address)\s+([^.]+)", re.I)
_PROMPT_LABEL = re.compile(r"^(?:prompt|scenario|task)\s*:\s*(.*)$", re.I)


def _duration(text: str) -> tuple[int | None, int | None, re.Match[str] | None]:
    for paren in _DURATION_IN_PARENS.finditer(text):
        match = _DURATION.search(paren.group(1))
        if match:
            low, high, unit = match.groups()
            factor = 60 if unit.lower().startswith("h") else 1
            low_v = int(low) * factor
            high_v = int(high) * factor if high else low_v
            if high_v < low_v:
                low_v, high_v = high_v, low_v
            return low_v, high_v, paren
    return None, None, None


def _has_duration(text: str) -> bool:
    return _duration(text)[2] is not None


def _split_head(text: str) -> tuple[str, int | None, int | None, list[str]]:
    """An exercise's first line -> title, durations, and the inline remainder segments."""
    low, high, paren = _duration(text)
    if paren is not None:
        before = text[: paren.start()].strip()
        after = text[paren.end() :].strip()
        # Keep qualifiers like "take-home or live" with the title, drop the minutes.
        inner = _DURATION.sub("", paren.group(1))
        inner = re.sub(r"\s*,\s*$|^\s*,\s*", "", inner).strip(" ,;")
        title = f"{before} ({inner})" if inner else before
        rest_segments = [s for s in _SEGMENT_SEP.split(after.lstrip(":–—- ").strip()) if s]
        if not before:
            title = after.split(":")[0] if after else ""
        return title.strip(" :–—-"), low, high, rest_segments
    segments = [s for s in _SEGMENT_SEP.split(text) if s.strip()]
    if not segments:
        return text.strip(), None, None, []
    return segments[0].strip(" :"), None, None, segments[1:]


def _exercise_heads(items: list[_Line]) -> list[int]:
    markers = [item for item in items if item.marker]
    any_duration = any(_has_duration(item.text) for item in items)
    top_indent = min((item.indent for item in markers), default=0)
    top_kind = next(
        ("#" if item.marker == "#" else "*" for item in markers if item.indent == top_indent), None
    )
    heads = []
    for i, item in enumerate(items):
        kind = "#" if item.marker == "#" else "*"
        if _CASE_HEAD.match(item.text):
            heads.append(i)
        elif item.marker and item.indent == top_indent:
            if (
                _has_duration(item.text)
                or (not any_duration and kind == top_kind)
                or (kind == "#" and top_kind == "#")
            ):
                heads.append(i)
        elif (
            not item.marker
            and _has_duration(item.text)
            and len(item.text) < 160
            and (item.text.rstrip().endswith((":", ")")) or not heads)
        ):
            heads.append(i)
    return heads


def _exercise(head: _Line, body: list[_Line]) -> ParsedExercise:
    title, low, high, segments = _split_head(head.text)
    prompt: list[str] = []
    look_for: list[str] = []
    must_cover: list[str] = []
    mode = "prompt"
    pieces: list[tuple[bool, str]] = [(False, s) for s in segments]
    for item in body:
        parts = [s for s in _SEGMENT_SEP.split(item.text) if s.strip()]
        pieces.extend((bool(item.marker) and n == 0, s) for n, s in enumerate(parts))
    for is_bullet, raw in pieces:
        text = raw.strip()
        if not text:
            continue
        if match := _LOOK_FOR.match(text):
            mode = "look_for"
            look_for.extend(_split_top_level(match.group(1)))
            continue
        if match := _MUST_COVER.match(text):
            mode = "must_cover"
            must_cover.extend(_split_top_level(match.group(1)))
            continue
        if match := _PROMPT_LABEL.match(text):
            mode = "prompt"
            prompt.append(match.group(1))
            continue
        if is_bullet and mode in ("look_for", "must_cover"):
            target = look_for if mode == "look_for" else must_cover
            target.append(_checklist_item(text))
            continue
        if is_bullet and prompt and prompt[-1].endswith(":"):
            # "Ask the candidate to produce:" + bullets: what the answer should contain.
            mode = "look_for"
            look_for.append(_checklist_item(text))
            continue
        mode = "prompt"
        prompt.append(text)
    prompt_text = "\n".join(_unquote(p) for p in prompt if p)
    for match in _INLINE_MUST.finditer(prompt_text):
        must_cover.extend(_split_top_level(match.group(1)))
    return ParsedExercise(
        title=title,
        duration_min=low,
        duration_max=high,
        prompt=prompt_text,
        look_for=[x for x in look_for if x],
        must_cover=[x for x in must_cover if x],
    )


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) > 2 and text[0] in '“"' and text[-1] in '”"' and text.count("“") <= 1:
        return text[1:-1].strip()
    return text


def _exercises(lines: list[str], warnings: list[str]) -> list[ParsedExercise]:
    items = _item_lines(lines)
    heads = _exercise_heads(items)
    exercises = []
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(items)
        exercise = _exercise(items[start], items[start + 1 : end])
        if not exercise.title:
            continue
        if len(exercise.title) > 100:
            warnings.append(
                f'Exercise "{_shorten(exercise.title)}" has no clear title; '
                "check where its title ends."
            )
            if len(exercise.title) > 120:
                # Titles become stage names; keep them short and the full text in the prompt.
                exercise.prompt = "\n".join(x for x in (exercise.title, exercise.prompt) if x)
                exercise.title = _shorten(exercise.title, 120)
        exercises.append(exercise)
    return exercises


# --------------------------------------------------------------------------------------
# Title and summary
# --------------------------------------------------------------------------------------

# Whole-text multiline searches: a per-line loop is too slow on a 2 MB junk file.
_ROLE_TITLE_ROW = re.compile(r" *(?:\| *)?(?:\*\*)?role title(?:\*\*)? *(?:\||:| ) *(.+)", re.I)
_PURPOSE_ROW = re.compile(r" *(?:\| *)?(?:\*\*)?role purpose(?:\*\*)? *(?:\||:| ) *(.+)", re.I)
_BLUEPRINT_LINE = re.compile(r"^ *(?:#+ *)?([^\n]{3,80}?) *[:–—-] *role blueprint\b", re.I | re.M)
_SECTION_ONE = re.compile(r" {0,3}(?:#{1,6} *)?(?:\*\*)? *1 *[).:] *(?:\*\*)? *role summary", re.I)


def _first_row_value(pattern: re.Pattern[str], label: str, text: str) -> str:
    for _, line in _lines_containing(text, re.compile(re.escape(label), re.I)):
        match = pattern.match(line)
        if match:
            value = _clean(match.group(1)).strip("| ")
            if value:
                return value
    return ""


def _title(text: str, warnings: list[str]) -> str:
    from_table = _first_row_value(_ROLE_TITLE_ROW, "role title", text)
    match = _BLUEPRINT_LINE.search(text, 0, 40_000)
    from_heading = _clean(match.group(1)) if match else ""
    first = next((line for line in text[:10_000].split("\n") if line.strip()), "")
    if not from_heading and _MD_HEADING.match(first) and not _section_number(first):
        from_heading = _heading_text(first)[:120]
    if not from_table and not from_heading and not _section_number(first):
        # A plain first line is only trusted when nothing better names the role.
        plain = _heading_text(first)
        if 0 < len(plain) <= 80 and not plain.endswith("."):
            from_heading = plain
    if from_table and from_heading and from_table.lower() != from_heading.lower():
        warnings.append(
            f'The first line names the role "{from_heading}" but section 20 says '
            f'"{from_table}"; "{from_table}" was used.'
        )
    title = from_table or from_heading
    return title[:120].strip()


def _summary(text: str) -> str:
    purpose = _first_row_value(_PURPOSE_ROW, "role purpose", text)
    if purpose:
        return _shorten(purpose, 600)
    for offset, line in _lines_containing(text, re.compile("role summary", re.I)):
        if _SECTION_ONE.match(line):
            for following in text[offset : offset + 20_000].split("\n")[1:6]:
                cleaned = _clean(following)
                if len(cleaned) > 40 and not _BULLET.match(following):
                    return _shorten(cleaned, 600)
    return ""


# --------------------------------------------------------------------------------------
# Default interview loop
# --------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    """a about above after again all also an and any are as at be been being both but by
    can could do does each e g eg etc for from had has have how i if in into is it its
    like looks may more most must no not of on or other our out over per should so such
    than that the their them then there these they this those through to under up use
    used using vs was we were what when where which while who will with within without
    would you your candidate candidates meets bar clear clearly good strong ask design""".split()
)


def _stem(word: str) -> str:
    # Crude suffix stripping, repeated so "experimentation" and "experiment" meet.
    for _ in range(3):
        for suffix in _SUFFIXES:
            if len(word) - len(suffix) >= 4 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ities",
    "ity",
    "ings",
    "ing",
    "ness",
    "ies",
    "ate",
    "ed",
    "es",
    "s",
    "al",
    "ic",
    "ive",
    "e",
    "y",
)


def _tokens(text: str) -> set[str]:
    # The first 20,000 characters say what an exercise is about; a longer text is
    # pasted junk, and stemming each distinct word once keeps even that cheap.
    words = set(re.findall(r"[a-z0-9]+", text[:20_000].lower()))
    return {_stem(w) for w in words if w not in _STOPWORDS and len(w) > 1}


def suggest_stages(
    dimensions: list[ParsedDimension], exercises: list[ParsedExercise]
) -> tuple[list[ParsedStage], list[str]]:
    """One stage per exercise, focused on the dimensions its text matches best."""
    warnings: list[str] = []
    if not dimensions:
        return [], warnings
    names = [d.name for d in dimensions]
    if not exercises:
        warnings.append(
            'No exercises were found, so the default loop is one "Structured interview" '
            "stage covering every dimension."
        )
        return [ParsedStage("Structured interview", 60, None, names)], warnings
    dim_name_tokens = [_tokens(d.name) for d in dimensions]
    dim_tokens = [_tokens(d.name + " " + d.meets_bar) for d in dimensions]
    scores: list[list[float]] = []
    for exercise in exercises:
        title_tokens = _tokens(exercise.title)
        text_tokens = _tokens(
            " ".join([exercise.title, exercise.prompt, *exercise.look_for, *exercise.must_cover])
        )
        row = []
        for name_toks, all_toks in zip(dim_name_tokens, dim_tokens, strict=True):
            score = len(all_toks & text_tokens) + 2 * len(name_toks & text_tokens)
            score += 2 * len(name_toks & title_tokens)
            row.append(score / (1 + 0.1 * len(all_toks)))
        scores.append(row)
    focus: list[list[int]] = []
    for row in scores:
        ranked = sorted(range(len(row)), key=lambda d, row=row: (-row[d], d))
        best = row[ranked[0]]
        picked = [d for d in ranked[:3] if row[d] > 0 and row[d] >= 0.6 * best]
        focus.append(picked)
    covered = {d for picked in focus for d in picked}
    for d in range(len(dimensions)):
        if d in covered:
            continue
        column = [scores[e][d] for e in range(len(exercises))]
        best_exercise = max(range(len(exercises)), key=lambda e: (column[e], -e))
        if column[best_exercise] <= 0:
            # No evidence either way: spread such dimensions over the least loaded
            # stages (longest first) instead of piling them onto one interview.
            best_exercise = min(
                range(len(exercises)),
                key=lambda e: (
                    len(focus[e]),
                    -(exercises[e].duration_max or exercises[e].duration_min or 0),
                    e,
                ),
            )
            warnings.append(
                f'Dimension "{names[d]}" matched no exercise; it was added to stage '
                f'"{exercises[best_exercise].title}" (change it if another stage fits better).'
            )
        focus[best_exercise].append(d)
    for e, picked in enumerate(focus):
        if not picked:
            column_best = max(range(len(dimensions)), key=lambda d, e=e: (scores[e][d], -d))
            picked.append(column_best)
            warnings.append(
                f'Stage "{exercises[e].title}" matched no dimension clearly; it focuses on '
                f'"{names[column_best]}" for now.'
            )
    stages = []
    for e, exercise in enumerate(exercises):
        duration = (
            exercise.duration_max if exercise.duration_max is not None else exercise.duration_min
        )
        ordered = [names[d] for d in sorted(set(focus[e]))]
        stages.append(ParsedStage(exercise.title, duration, e, ordered))
    return stages, warnings


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


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
    ranges = _find_section19(text, lines)
    if not ranges:
        raise BlueprintError(
            f'{filename} has no section 19 "Hiring Evaluation Criteria", '
            "so it is not a role blueprint."
        )
    warnings: list[str] = []
    chosen: tuple[dict[str, list[str]], list[ParsedDimension], list[str]] | None = None
    for start, end in ranges:
        attempt_warnings: list[str] = []
        if end - start > _MAX_SECTION_LINES:
            # A real section 19 is under a hundred lines; a huge one is pasted junk,
            # and reading all of it would blow the time budget.
            attempt_warnings.append(
                f"Section 19 is {end - start} lines long; only its first "
                f"{_MAX_SECTION_LINES} lines were read."
            )
            end = start + _MAX_SECTION_LINES
        body = lines[start:end]
        parts = _split_subsections(body)
        competency_lines = parts.get("competency", [])
        known = [a.name for a in _competency_areas(competency_lines, [])]
        table_lines = parts.get("dimensions") or body
        dims = _dimensions(table_lines, known, attempt_warnings)
        if dims:
            chosen = (parts, dims, attempt_warnings)
            break
    if chosen is None:
        raise BlueprintError(
            f"{filename} has a section 19 but no scorecard dimensions table "
            "(Dimension | what meets bar looks like | Weight)."
        )
    parts, dimensions, dim_warnings = chosen
    if len(dimensions) > _MAX_DIMENSIONS:
        raise BlueprintError(
            f"{filename} has {len(dimensions)} scorecard dimensions, more than the "
            f"{_MAX_DIMENSIONS} a scorecard can use, so its table was probably misread."
        )
    title = _title(text, warnings)
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
    areas = _competency_areas(parts.get("competency", []), warnings)
    competency_areas = _capped(areas, "competency areas", warnings)
    exercises = _capped(_exercises(parts.get("exercises", []), warnings), "exercises", warnings)
    signals = {
        kind: _capped(_list_items(parts.get(kind, [])), labels[kind], warnings)
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
    return ParsedBlueprint(
        title=title,
        slug=slug,
        dimensions=dimensions,
        competency_areas=competency_areas,
        exercises=exercises,
        signals=signals,
        stages=stages,
        warnings=warnings,
        summary=_summary(text),
    )


_MAX_SECTION_LINES = 1500
_MAX_HEADINGS = 200
_MAX_DIMENSIONS = 50
_MAX_ITEMS = 60

_T = TypeVar("_T")


def _capped(items: list[_T], label: str, warnings: list[str]) -> list[_T]:
    if len(items) <= _MAX_ITEMS:
        return items
    warnings.append(f"Found {len(items)} {label}; only the first {_MAX_ITEMS} were kept.")
    return items[:_MAX_ITEMS]


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
