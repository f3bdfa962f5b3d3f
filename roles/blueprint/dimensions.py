"""The scorecard dimensions table: pipe tables, flattened tables and bullet lists, with
their weights (see roles.weights for the rule they must meet)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from roles.blueprint.sections import is_section_end, subsection_kind
from roles.blueprint.text import SOURCE_LENGTH, clean, list_items, shorten
from roles.blueprint.types import CENT, ParsedDimension
from roles.weights import (
    MAX_WEIGHT,
    MIN_WEIGHT,
    WEIGHT_TOTAL,
    WeightTotal,
    format_percent,
    weight_in_range,
)

_WEIGHT_CELL = re.compile(
    r"^~?\s*(\d{1,3}(?:[.,]\d+)?|[.,]\d+)\s*(%|percent|pts?)?\s*(?:\(.*\))?$", re.I
)
_WEIGHT_TOKEN = re.compile(r"~?(\d{1,3}(?:\.\d+)?|\.\d+)(%)?")
_MAX_CELLS = 20
_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _parse_weight(cell: str) -> Decimal | None:
    match = _WEIGHT_CELL.match(clean(cell))
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
    # A scorecard row has three or four cells; past _MAX_CELLS the rest stays one cell,
    # so a line of two million "|" is not two million cells to clean.
    return [clean(cell) for cell in inner.split("|", _MAX_CELLS - 1)]


@dataclass
class _Row:
    name: str
    meets_bar: str
    weight: Decimal | None
    unsure: bool = False
    line: str = ""  # the table row as the file has it


def _pipe_table(lines: list[str]) -> tuple[list[_Row], bool] | None:
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("|")), None)
    if start is None:
        return None
    rows = []
    raw_lines: list[str] = []
    for line in lines[start:]:
        if not line.lstrip().startswith("|"):
            if rows:
                break
            continue
        if _SEPARATOR_ROW.match(line.strip()):
            continue
        rows.append(_pipe_cells(line))
        raw_lines.append(line)
    if not rows:
        return None
    header = [cell.lower() for cell in rows[0]]
    has_header = any(
        word in cell for cell in header for word in ("dimension", "weight", "looks like", "bar")
    )
    name_col, meets_col, weight_col = 0, 1, None
    if has_header:
        rows, raw_lines = rows[1:], raw_lines[1:]
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
    for cells, raw in zip(rows, raw_lines, strict=True):

        def cell(i: int | None, cells: list[str] = cells) -> str:
            return cells[i] if i is not None and i < len(cells) else ""

        name = cell(name_col)
        if not name:
            continue
        weight = _parse_weight(cell(weight_col)) if weight_col is not None else None
        out.append(_Row(name, cell(meets_col), weight, line=raw))
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
        lowered = clean(line).lower()
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
    header = clean(lines[start]).lower()
    header_has_weight = bool(re.search(r"\bweight", header))
    rows: list[_Row] = []
    saw_weight = False
    for raw in lines[start + 1 :]:
        if not raw.strip():
            if rows:
                break
            continue
        if subsection_kind(raw) or is_section_end(raw):
            break
        if "\t" in raw.strip() or re.search(r"\S {3,}\S", raw.strip()):
            cells = [c for c in re.split(r"\t| {3,}", raw.strip()) if c.strip()]
        else:
            cells = []
        text = clean(raw)
        weight = None
        if len(cells) >= 2:
            name = clean(cells[0])
            if len(cells) >= 3 or (header_has_weight and _parse_weight(cells[-1]) is not None):
                weight = _parse_weight(cells[-1])
                meets = clean(" ".join(cells[1:-1])) if len(cells) >= 3 else ""
            else:
                meets = clean(" ".join(cells[1:]))
            rows.append(_Row(name, meets, weight, line=raw))
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
        rows.append(_Row(name, meets, weight, unsure, raw))
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
    for item in list_items(lines):
        match = pattern.match(item)
        if match:
            weight = Decimal(match.group("w1") or match.group("w2"))
            name, meets = match.group("name").strip(), match.group("meets").strip()
            rows.append(_Row(name, meets, weight, line=item))
    return (rows, True) if rows else None


def parse_dimensions(
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
                f'"{shorten(row.meets_bar)}" begins (the table had no column separators).'
            )
    weights = [row.weight for row in rows]
    if not rows:
        return []
    if not has_weights or all(w is None for w in weights):
        equal = _equal_weights(len(rows))
        warnings.append(
            f"The scorecard table gives no weights, so all {len(rows)} dimensions were set "
            f"to equal weights ({format_percent(equal[-1])} each)."
        )
        return [_dimension(r, w) for r, w in zip(rows, equal, strict=True)]
    missing = [row.name for row in rows if row.weight is None]
    if missing:
        warnings.append(
            "No weight given for " + ", ".join(f'"{m}"' for m in missing) + "; set to 0."
        )
    values = [row.weight if row.weight is not None else Decimal(0) for row in rows]
    if all(v <= 1 for v in values) and sum(values) > 0:
        values = [v * WEIGHT_TOTAL for v in values]  # "0.2" style fractions
    # Stored with two decimals (the model field), so round here where we can warn.
    values = [v.quantize(CENT, rounding=ROUND_HALF_UP) for v in values]
    # A number past 100 is no percentage: read as none, as a missing weight is.
    beyond = [row.name for row, v in zip(rows, values, strict=True) if not weight_in_range(v)]
    if beyond:
        warnings.append(
            "The weight of "
            + ", ".join(f'"{name}"' for name in beyond)
            + f" is not a percentage from {format_percent(MIN_WEIGHT)} to "
            f"{format_percent(MAX_WEIGHT)}; set to 0."
        )
        values = [v if weight_in_range(v) else Decimal(0) for v in values]
    total = WeightTotal.of(values)
    if not total.ok:
        warnings.append(
            f"The dimension weights total {total}, not {total.target}; they were kept as "
            "given, adjust them before publishing."
        )
    return [_dimension(r, v) for r, v in zip(rows, values, strict=True)]


def _dimension(row: _Row, weight: Decimal) -> ParsedDimension:
    # Level 3's anchor is the meets-bar text; its source is the table row it came from.
    sources = ["", "", table_source(row.line) if row.meets_bar else "", "", ""]
    return ParsedDimension(row.name, row.meets_bar, weight, anchor_sources=sources)


def table_source(line: str) -> str:
    """Where a level 3 anchor came from: the scorecard table's row."""
    return f"Scorecard dimensions: {shorten(clean(line), SOURCE_LENGTH)}"


def _equal_weights(n: int) -> list[Decimal]:
    share = (WEIGHT_TOTAL / n).quantize(CENT, rounding=ROUND_HALF_UP)
    weights = [share] * n
    weights[0] += WEIGHT_TOTAL - share * n
    return weights
