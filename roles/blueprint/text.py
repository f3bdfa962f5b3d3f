"""Decoding an upload to clean text (encodings, mojibake repair, control characters) and
the line-level helpers every section reader uses (bullets, headings, list items)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from roles.blueprint.types import BlueprintError

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

BULLET = re.compile(r"^(\s*)(?:([-•–—*·▪◦‣●○■□➢➤✓✔])(?=\s|$)|(\d{1,2})[.)](?=\s))\s*(.*)$")
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
SECTION = re.compile(r"^\s{0,3}(?:#{1,6}\s*)?(?:\*\*|__)?\s*(\d{1,2})\s*[).:]\s*(.*)$")
KNOWN_SECTIONS = re.compile(
    r"^(role summary|role mission|core responsibilities|day-to-day|key deliverables|"
    r"goals|kpis|technical skills|soft skills|tools|typical tech stack|stakeholders|"
    r"decision rights|required experience|career path|risks|role variants|"
    r"ai ?/ ?automation|hiring evaluation|final role scorecard)",
    re.IGNORECASE,
)


# A markdown link "[text](url)" keeps its text. Neither part may hold the bracket that
# starts another link, and the quantifiers are possessive, so no two attempts scan the
# same characters: linear even on megabytes of "[" or "[a](" (a backtracking pattern
# took seconds there).
_LINK = re.compile(r"\[([^\[\]\n]{1,200}+)\]\([^)\]\s]{1,500}+\)")


def clean(text: str) -> str:
    """Inline markdown and whitespace out of one piece of text."""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def heading_text(line: str) -> str:
    text = MD_HEADING.sub("", line)
    return clean(text).strip(" :*#")


@dataclass
class Line:
    indent: int
    marker: str  # "" for none, "#" for numbers, else the bullet character
    text: str


def _split_item(raw: str) -> Line:
    match = BULLET.match(raw)
    if match:
        indent, symbol, number, rest = match.groups()
        return Line(len(indent), symbol or "#", clean(rest))
    stripped = raw.lstrip()
    return Line(len(raw) - len(stripped), "", clean(stripped))


def item_lines(lines: list[str]) -> list[Line]:
    """Non-blank lines as items; a marker alone on its line takes the next line's text."""
    out: list[Line] = []
    pending: Line | None = None
    for raw in lines:
        if not raw.strip():
            continue
        item = _split_item(raw)
        if pending is not None:
            if item.marker:
                out.append(pending)  # an empty item; dropped later
            else:
                item = Line(pending.indent, pending.marker, item.text)
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


def list_items(lines: list[str]) -> list[str]:
    items = item_lines(lines)
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


def split_top_level(text: str, seps: str = ",;") -> list[str]:
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


def checklist_item(text: str) -> str:
    return text.strip().rstrip(",;").rstrip(".").strip()


# The longest an anchor's source line is kept (roles.blueprint.anchors).
SOURCE_LENGTH = 300


def shorten(text: str, size: int = 50) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"
