"""Practical exercises and case studies: title, duration, prompt, look-for and
must-cover lists."""

from __future__ import annotations

import re

from roles.blueprint.text import Line, checklist_item, item_lines, shorten, split_top_level
from roles.blueprint.types import ParsedExercise

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


def _exercise_heads(items: list[Line]) -> list[int]:
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


def _exercise(head: Line, body: list[Line]) -> ParsedExercise:
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
            look_for.extend(split_top_level(match.group(1)))
            continue
        if match := _MUST_COVER.match(text):
            mode = "must_cover"
            must_cover.extend(split_top_level(match.group(1)))
            continue
        if match := _PROMPT_LABEL.match(text):
            mode = "prompt"
            prompt.append(match.group(1))
            continue
        if is_bullet and mode in ("look_for", "must_cover"):
            target = look_for if mode == "look_for" else must_cover
            target.append(checklist_item(text))
            continue
        if is_bullet and prompt and prompt[-1].endswith(":"):
            # "Ask the candidate to produce:" + bullets: what the answer should contain.
            mode = "look_for"
            look_for.append(checklist_item(text))
            continue
        mode = "prompt"
        prompt.append(text)
    prompt_text = "\n".join(_unquote(p) for p in prompt if p)
    for match in _INLINE_MUST.finditer(prompt_text):
        must_cover.extend(split_top_level(match.group(1)))
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


def parse_exercises(lines: list[str], warnings: list[str]) -> list[ParsedExercise]:
    items = item_lines(lines)
    heads = _exercise_heads(items)
    exercises = []
    for n, start in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(items)
        exercise = _exercise(items[start], items[start + 1 : end])
        if not exercise.title:
            continue
        if len(exercise.title) > 100:
            warnings.append(
                f'Exercise "{shorten(exercise.title)}" has no clear title; '
                "check where its title ends."
            )
            if len(exercise.title) > 120:
                # Titles become stage names; keep them short and the full text in the prompt.
                exercise.prompt = "\n".join(x for x in (exercise.title, exercise.prompt) if x)
                exercise.title = shorten(exercise.title, 120)
        exercises.append(exercise)
    return exercises
