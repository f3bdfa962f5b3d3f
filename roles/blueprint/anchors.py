"""Anchors for every level of a dimension, proposed from the blueprint's own lines.

Level 3 is the scorecard table's "meets bar" text. The other levels come from the
material that describes behaviour above and below it, matched to each dimension as the
default loop matches exercises (roles.blueprint.loop.match_score):

  5  Exceptional      a "Strong performance" line of the soft-skills section (or a
                      strong candidate signal)
  4  Above bar        a "Shows up as" / "How it shows up" line (or a strong signal)
  2  Below bar        a weak candidate signal
  1  Well below bar   a red flag

Each anchor keeps its source ("Where: the line as the file has it"), so a recruiter can
see in the preview, and check in the editor, why it was proposed. Where no line of a kind
shares a word with a dimension, the least used line is proposed and a warning says so.

Linear in the text: the labelled lines are found with one regex scan (at most
_MAX_LABELLED lines are read), and matching is dimensions x lines, both bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from roles.blueprint.limits import ANCHOR_LEVELS, MAX_ITEMS
from roles.blueprint.loop import dimension_tokens, match_score, tokens
from roles.blueprint.sections import MAX_LINE_CHARS, lines_containing
from roles.blueprint.text import BULLET, SOURCE_LENGTH, clean, shorten
from roles.blueprint.types import ParsedDimension

# "– Shows up as: …", "How it shows up: …", "Strong performance: …", "Why it matters: …"
_LABEL = re.compile(
    r"(why it matters|shows up as|how it shows up|strong performance) ?:", re.IGNORECASE
)
_KIND = {
    "why it matters": "why",
    "shows up as": "shows",
    "how it shows up": "shows",
    "strong performance": "strong",
}
# A real file has about thirty labelled lines; past this many the rest is junk.
_MAX_LABELLED = 400
# A block's lines sit within a few lines of each other ("-" lines between them).
_BLOCK_GAP = 4
# An anchor is a sentence or two; longer material is cut.
ANCHOR_LENGTH = 1000
_TRAILING_MARKER = re.compile(r"\s+[-–•]$")

# Levels proposed here (index = level - 1), and what each is made of, for the warnings.
_PROPOSED = (1, 2, 4, 5)
_KIND_WORDS = {
    1: "red flag",
    2: "weak signal",
    4: "“Shows up as” line or strong signal",
    5: "“Strong performance” line or strong signal",
}
LEVEL_NAMES = {1: "Well below bar", 2: "Below bar", 4: "Above bar", 5: "Exceptional"}


@dataclass
class Behaviour:
    """One competency of the soft-skills section, with its labelled lines."""

    name: str
    why: str = ""
    shows: tuple[str, str] | None = None  # (text, line)
    strong: tuple[str, str] | None = None
    last_line: int = 0


@dataclass
class _Candidate:
    text: str
    source: str
    words: set[str]
    title: set[str] = field(default_factory=set)


def _anchor_text(text: str) -> str:
    text = _TRAILING_MARKER.sub("", text.strip()).strip(" -–")
    return shorten(text[:1].upper() + text[1:], ANCHOR_LENGTH)


def _source(where: str, line: str) -> str:
    # "Where: line"; a where never holds ": ", so the line is what follows the first one.
    return f"{where.replace(':', '')}: {shorten(clean(line), SOURCE_LENGTH)}"


def split_source(source: str) -> tuple[str, str]:
    """("Where", "the line") of a source as _source() writes it; ("", "") for none."""
    where, _, line = (source or "").partition(": ")
    return (where, line) if line else ("", where)


def _item_text(line: str) -> str:
    match = BULLET.match(line)
    return clean(match.group(4) if match else line)


def _name_before(text: str, offset: int) -> str:
    """The competency's name: the nearest line above `offset` with words in it."""
    end = offset - 1
    for _ in range(3):
        if end < 0:
            return ""
        start = text.rfind("\n", 0, end) + 1
        name = _item_text(text[start:end][:MAX_LINE_CHARS]).strip(" :-–")
        if name:
            return "" if _LABEL.search(name) else shorten(name, 120)
        end = start - 1
    return ""


def find_behaviours(text: str) -> list[Behaviour]:
    """The soft-skills competencies: each named block of "Why it matters", "Shows up as"
    and "Strong performance" lines, wherever they are in the file."""
    blocks: list[Behaviour] = []
    line_no, counted_to = 0, 0
    for seen, (offset, line) in enumerate(lines_containing(text, _LABEL)):
        if seen == _MAX_LABELLED:
            break
        line_no += text.count("\n", counted_to, offset)
        counted_to = offset
        item = _item_text(line[:MAX_LINE_CHARS])
        match = _LABEL.match(item)
        if not match:
            continue  # the words in the middle of a sentence, not a label
        kind = _KIND[match.group(1).lower()]
        content = item[match.end() :].strip()
        block = blocks[-1] if blocks else None
        if (
            block is None
            or kind == "why"
            or line_no - block.last_line > _BLOCK_GAP
            or getattr(block, kind) is not None
        ):
            if len(blocks) == MAX_ITEMS:
                break
            block = Behaviour(_name_before(text, offset))
            blocks.append(block)
        block.last_line = line_no
        if kind == "why":
            block.why = content
        elif content:
            setattr(block, kind, (content, line))
    return [b for b in blocks if b.shows or b.strong]


def _pools(
    behaviours: list[Behaviour], signals: dict[str, list[str]]
) -> dict[int, list[_Candidate]]:
    strong = [
        _Candidate(_anchor_text(s), _source("Strong candidate signals", s), tokens(s))
        for s in signals.get("strong", [])
    ]
    pools: dict[int, list[_Candidate]] = {
        1: [
            _Candidate(_anchor_text(s), _source("Red flags", s), tokens(s))
            for s in signals.get("red_flag", [])
        ],
        2: [
            _Candidate(_anchor_text(s), _source("Weak candidate signals", s), tokens(s))
            for s in signals.get("weak", [])
        ],
        4: [],
        5: [],
    }
    for b in behaviours:
        words = tokens(" ".join([b.name, b.why, *(x[0] for x in (b.shows, b.strong) if x)]))
        title = tokens(b.name)
        where = f"Behaviour “{b.name}”" if b.name else "Behaviours"
        for level, found in ((4, b.shows), (5, b.strong)):
            if found:
                text, line = found
                pools[level].append(
                    _Candidate(_anchor_text(text), _source(where, line), words, title)
                )
    pools[4] += strong
    pools[5] += strong
    return {level: [c for c in pool if c.text] for level, pool in pools.items()}


def _assign(
    pool: list[_Candidate], dims: list[tuple[set[str], set[str]]], taken: list[set[str]]
) -> list[tuple[int | None, bool]]:
    """For each dimension, the index of its line in `pool` (None: nothing left) and
    whether it was a guess. The best matches go first, each line to one dimension while
    one fits well enough; a dimension no line matches gets the least used one."""
    allowed = [[c.text.lower() not in taken[d] for c in pool] for d in range(len(dims))]
    scores = [
        [match_score(dim, c.words, c.title) if allowed[d][n] else 0.0 for n, c in enumerate(pool)]
        for d, dim in enumerate(dims)
    ]
    chosen: list[int | None] = [None] * len(dims)
    used = [0] * len(pool)
    pairs = sorted(
        (
            (-score, d, n)
            for d, row in enumerate(scores)
            for n, score in enumerate(row)
            if score > 0
        ),
    )
    best = [max(row, default=0.0) for row in scores]
    for score, d, n in pairs:
        # A line goes to one dimension while it fits that one nearly as well as its best;
        # past that, sharing its best line reads better than a poor line of its own.
        if chosen[d] is None and not used[n] and -score >= 0.6 * best[d]:
            chosen[d], used[n] = n, 1
    for d, row in enumerate(scores):
        if chosen[d] is None and any(score > 0 for score in row):
            n = max(range(len(pool)), key=lambda n, row=row: (row[n], -used[n], -n))
            chosen[d] = n
            used[n] += 1
    result: list[tuple[int | None, bool]] = []
    for d in range(len(dims)):
        if chosen[d] is not None:
            result.append((chosen[d], False))
            continue
        free = [n for n in range(len(pool)) if allowed[d][n]]
        if not free:
            result.append((None, False))
            continue
        n = min(free, key=lambda n: (used[n], n))
        used[n] += 1
        result.append((n, True))
    return result


def _levels_text(levels: list[int]) -> str:
    if len(levels) == 1:
        return f"level {levels[0]}"
    return "levels " + ", ".join(str(x) for x in levels[:-1]) + f" and {levels[-1]}"


def propose_anchors(
    dimensions: list[ParsedDimension],
    behaviours: list[Behaviour],
    signals: dict[str, list[str]],
    warnings: list[str],
) -> None:
    """Fill each dimension's anchors and anchor_sources for levels 1, 2, 4 and 5 (level 3
    stays its meets-bar text) and warn where a proposal is a guess or there is none."""
    if not dimensions:
        return
    pools = _pools(behaviours, signals)
    dims = [dimension_tokens(d) for d in dimensions]
    anchors = [[""] * ANCHOR_LEVELS for _ in dimensions]
    sources = [(list(d.anchor_sources) + [""] * ANCHOR_LEVELS)[:ANCHOR_LEVELS] for d in dimensions]
    taken = [{d.meets_bar.strip().lower()} for d in dimensions]
    guesses: list[list[int]] = [[] for _ in dimensions]
    unfilled: list[list[int]] = [[] for _ in dimensions]
    missing: list[int] = []
    for level in (5, 4, 2, 1):  # 5 before 4: both may draw on the strong signals
        pool = pools[level]
        if not pool:
            missing.append(level)
            continue
        for d, (n, guessed) in enumerate(_assign(pool, dims, taken)):
            if n is None:
                unfilled[d].append(level)
                continue
            anchors[d][level - 1] = pool[n].text
            sources[d][level - 1] = pool[n].source
            taken[d].add(pool[n].text.lower())
            if guessed:
                guesses[d].append(level)
    for d, dimension in enumerate(dimensions):
        dimension.anchors = anchors[d]
        dimension.anchor_sources = sources[d]
        levels = sorted(guesses[d])
        if levels:
            kinds = " or ".join(dict.fromkeys(_KIND_WORDS[x] for x in levels))
            warnings.append(
                f"The {_levels_text(levels)} anchor{'s' if len(levels) > 1 else ''} of "
                f'"{dimension.name}" {"are guesses" if len(levels) > 1 else "is a guess"}: '
                f"no {kinds} of the blueprint shares a word with it; check "
                f"{'them' if len(levels) > 1 else 'it'} in the editor."
            )
        levels = sorted(unfilled[d])
        if levels:
            warnings.append(
                f"The {_levels_text(levels)} anchor{'s' if len(levels) > 1 else ''} of "
                f'"{dimension.name}" {"keep their" if len(levels) > 1 else "keeps its"} generic '
                "label: every line that could describe "
                f"{'them' if len(levels) > 1 else 'it'} is another level's anchor already; "
                "write it in the editor."
            )
    if missing:
        labels = ", ".join(f"{x} ({LEVEL_NAMES[x]})" for x in sorted(missing))
        wanted = " or ".join(_KIND_WORDS[x] for x in sorted(missing))
        warnings.append(
            f"The blueprint has no {wanted} to describe level{'s' if len(missing) > 1 else ''} "
            f"{labels}, so those levels keep their generic labels; write their anchors in "
            "the editor."
        )
