"""The default interview loop: one stage per exercise, focused on the dimensions it
assesses best."""

from __future__ import annotations

import re

from roles.blueprint.types import ParsedDimension, ParsedExercise, ParsedStage

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


def tokens(text: str) -> set[str]:
    """The stemmed content words of a text: what matching compares."""
    # The first 20,000 characters say what an exercise is about; a longer text is
    # pasted junk, and stemming each distinct word once keeps even that cheap.
    words = set(re.findall(r"[a-z0-9]+", text[:20_000].lower()))
    return {_stem(w) for w in words if w not in _STOPWORDS and len(w) > 1}


def dimension_tokens(dimension: ParsedDimension) -> tuple[set[str], set[str]]:
    """A dimension's name tokens, and those of its name and meets-bar text together."""
    return tokens(dimension.name), tokens(dimension.name + " " + dimension.meets_bar)


def match_score(
    dimension: tuple[set[str], set[str]], text: set[str], title: set[str] = frozenset()
) -> float:
    """How well a text (tokens; `title` its heading's) fits a dimension (dimension_tokens):
    shared words, the dimension's name counting thrice, over the dimension's length.
    The default loop ties exercises to dimensions with it, and anchors.py the blueprint's
    behaviour lines."""
    name_toks, all_toks = dimension
    score = len(all_toks & text) + 2 * len(name_toks & text) + 2 * len(name_toks & title)
    return score / (1 + 0.1 * len(all_toks))


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
    dim_tokens = [dimension_tokens(d) for d in dimensions]
    scores: list[list[float]] = []
    for exercise in exercises:
        title_tokens = tokens(exercise.title)
        text_tokens = tokens(
            " ".join([exercise.title, exercise.prompt, *exercise.look_for, *exercise.must_cover])
        )
        scores.append([match_score(dim, text_tokens, title_tokens) for dim in dim_tokens])
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
