"""Fuzz tests for roles.blueprint: damaged versions of the five real blueprints.

Whatever arrives, parse_blueprint either returns a coherent result or raises its own
BlueprintError naming the file, quickly. Anything else (a traceback, a hang, a result
that does not survive its own JSON round trip) is a bug.
"""

from __future__ import annotations

import json
import os
import re
import time  # process_time: the parser's own CPU time, not the machine's load
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roles.blueprint import (
    MAX_BYTES,
    SIGNAL_KINDS,
    BlueprintError,
    ParsedBlueprint,
    from_json,
    parse_blueprint,
)
from roles.blueprint.limits import check_role

BLUEPRINTS = Path(__file__).resolve().parents[2] / "roles" / "blueprints"
RAW = {p.name: p.read_bytes() for p in sorted(BLUEPRINTS.glob("0*.txt"))}
NAMES = sorted(RAW)
ORIGINAL = {name: parse_blueprint(data, name) for name, data in RAW.items()}

# BLUEPRINT_FUZZ_EXAMPLES=1000 for a deeper run; the default keeps the suite quick.
FUZZ = settings(
    max_examples=int(os.environ.get("BLUEPRINT_FUZZ_EXAMPLES", "60")),
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

JUNK = [
    b"Find Trusted Cardiac Hospitals\n"
    b"Compare heart hospitals by city \xe2\x80\x94 all in one place.\n",
    b"\n19) Hiring Evaluation Criteria\n",
    b"\n20) Final Role Scorecard Summary\n",
    b"| Dimension | What meets bar looks like | Weight |\n|---|---|---|\n",
    b"| broken | row\n",
    b"Scorecard dimensions\n",
    b"Strong candidate signals\n-\n-\n",
    "\u2022 \u0e42\u20ac\u0153 quoted \u0e42\u20ac \u0e42 60\u0e4290\n".encode(),
    b"\xef\xbb\xbf",
    b"\r\n\r\n",
    b"\x00\x00\x00",
    b"(60-90 minutes) (1 hour) (",
    b"  1. Case Study Z: x (5 min) \xe2\x80\x93 Look for: a, b, c\n",
    b"Role title \n| Role title | |\n",
    b"\xff\xfe\xfd",
]


def check(data: bytes | str, name: str = "fuzzed.txt") -> ParsedBlueprint | None:
    """Parse, and hold the result (or the refusal) to the parser's contract."""
    start = time.process_time()
    try:
        bp = parse_blueprint(data, name)
    except BlueprintError as exc:
        message = str(exc)
        assert name in message
        assert "\n" not in message
        return None
    finally:
        assert time.process_time() - start < 1.0
    assert bp.title and bp.slug
    assert bp.dimensions
    assert all(isinstance(d.weight, Decimal) and d.weight >= 0 for d in bp.dimensions)
    assert all(d.name for d in bp.dimensions)
    assert set(bp.signals) == set(SIGNAL_KINDS)
    assert {f for s in bp.stages for f in s.focus} == {d.name for d in bp.dimensions}
    assert all(isinstance(w, str) and w for w in bp.warnings)
    obj = json.loads(json.dumps(bp.to_json(name)))
    assert from_json(obj, name) == bp
    return bp


def dims(bp: ParsedBlueprint | None) -> list[tuple[str, Decimal]] | None:
    return None if bp is None else [(d.name, d.weight) for d in bp.dimensions]


names = st.sampled_from(NAMES)


@FUZZ
@given(names, st.data())
def test_truncations(name: str, data: st.DataObject) -> None:
    raw = RAW[name]
    cut = data.draw(st.integers(0, len(raw)))
    head = data.draw(st.booleans())
    check(raw[:cut] if head else raw[cut:])


@FUZZ
@given(
    names,
    st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=60),
)
def test_byte_flips(name: str, flips: list[tuple[int, int]]) -> None:
    raw = bytearray(RAW[name])
    for position, value in flips:
        raw[position % len(raw)] = value
    check(bytes(raw))


@FUZZ
@given(
    names,
    st.sampled_from(
        ["cp1252", "cp874", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"]
    ),
    st.sampled_from(["replace", "ignore"]),
)
def test_reencodings(name: str, encoding: str, errors: str) -> None:
    data = RAW[name].decode("utf-8").encode(encoding, errors=errors)
    bp = check(data)
    # Dimension names and weights are plain ASCII, so every encoding keeps them.
    assert dims(bp) == dims(ORIGINAL[name])
    if encoding.startswith("utf"):
        assert bp == ORIGINAL[name]


@FUZZ
@given(
    names,
    st.integers(0, 10**9),
    st.one_of(
        st.sampled_from(JUNK),
        st.binary(max_size=3000),
        st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    ),
    st.integers(1, 20),
)
def test_inserted_junk(name: str, position: int, junk: bytes, times: int) -> None:
    raw = RAW[name]
    at = position % (len(raw) + 1)
    check(raw[:at] + junk * times + raw[at:])


def sections(raw: bytes) -> list[bytes]:
    starts = [m.start() for m in re.finditer(rb"(?m)^\d{1,2}\) ", raw)]
    bounds = [0, *starts, len(raw)]
    return [raw[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


@FUZZ
@given(names, st.data())
def test_shuffled_sections(name: str, data: st.DataObject) -> None:
    parts = sections(RAW[name])
    order = data.draw(st.permutations(range(len(parts))))
    # A chunk may lack its final newline once moved; keep lines apart.
    shuffled = b"".join(parts[i] if parts[i].endswith(b"\n") else parts[i] + b"\n" for i in order)
    bp = check(shuffled)
    assert bp is not None
    original = ORIGINAL[name]
    assert dims(bp) == dims(original)
    assert bp.title == original.title
    assert bp.signals == original.signals
    assert bp.exercises == original.exercises


@FUZZ
@given(names, st.data())
def test_dropped_and_duplicated_lines(name: str, data: st.DataObject) -> None:
    lines = RAW[name].split(b"\n")
    edits = data.draw(st.lists(st.tuples(st.integers(0, 10**9), st.booleans()), max_size=40))
    for position, duplicate in edits:
        i = position % len(lines)
        if duplicate:
            lines.insert(i, lines[i])
        else:
            del lines[i]
        if not lines:
            lines = [b""]
    check(b"\n".join(lines))


@FUZZ
@given(st.binary(max_size=5000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.text(max_size=3000))
def test_random_text(text: str) -> None:
    check(text)


def _pad_to_limit(raw: bytes, junk: bytes, where: str) -> bytes:
    room = MAX_BYTES - len(raw) - 64
    filler = (junk * (room // len(junk) + 1))[:room]
    filler = filler.decode("utf-8", "ignore").encode("utf-8")  # no split characters
    if where == "start":
        return filler + raw
    if where == "end":
        return raw + filler
    at = raw.index(b"Strong candidate signals")
    return raw[:at] + filler + raw[at:]


def test_two_megabyte_junk_padded_files_parse_or_refuse_within_a_second() -> None:
    junks = [
        b"Find Trusted Cardiac Hospitals near you. Compare options in one place.\n",
        "\u0e42 x \u0e42 y \u0e42\u20ac\u0153z\u0e42\u20ac\n".encode(),
        b"| a | b | 20% |\n",
        b"  1. Numbered (5 min) - item: text\n    - sub\n",
        b"-\n",
        b" " * 64 + b"x\n",
        b"x" * 1000,
        b"\n19) Hiring Evaluation Criteria\n",
        b"((((| Role title (60-90 minutes) ",
        bytes(range(32, 256)),
    ]
    for n, junk in enumerate(junks):
        for m, where in enumerate(("start", "middle", "end")):
            name = NAMES[(n + m) % len(NAMES)]
            data = _pad_to_limit(RAW[name], junk, where)
            assert len(data) <= MAX_BYTES
            elapsed = _timed(data)
            if elapsed >= 1.0:  # one retry: a busy CI machine is not a parser bug
                elapsed = _timed(data)
            assert elapsed < 1.0, (name, junk[:20], where, elapsed)


def _timed(data: bytes) -> float:
    start = time.process_time()
    try:
        parse_blueprint(data, "padded.txt")
    except BlueprintError:
        pass
    return time.process_time() - start


def test_padding_at_the_ends_keeps_the_parse() -> None:
    for name in (NAMES[0], NAMES[3]):
        data = _pad_to_limit(RAW[name], b"Explore Hospitals\nSubscribe\n", "end")
        assert dims(parse_blueprint(data, name)) == dims(ORIGINAL[name])


# --- The worst shapes, at the upload limit -----------------------------------------------
# Runs of one character and repeated short pieces, each filling a file to MAX_BYTES:
# what once made one upload cost 5-30 s of CPU (a backtracking link pattern on "[", a
# cell per "|", a look at every one of 190,000 headings, each long line cleaned several
# times). tests/roles/test_uploads.py sends some of them through the upload page.

PUNCTUATION = "[](){}<>|*_`#-:.,;~%!?\"'\\/=+^&@$"
PIECES = {
    **{f"run of {ch}": ch.encode() for ch in PUNCTUATION},
    "run of spaces": b" ",
    "run of tabs": b"\t",
    "nested brackets": None,  # "[[[[...]]]]": half of the room each
    "nested parentheses": None,
    "link openings": b"[a](",
    "image openings": b"![",
    "empty links": b"[](",
    "pipes in table rows": b"| a | b | 20% |\n",
    "empty table rows": b"|\n",
    "separator rows": b"|---|---|---|\n",
    "one line of words": b"word ",
    "one line of title-case words": b"Word AI ",
    "dashes between words": b"- ",
    "em dashes between words": " \u2014 ".encode(),
    "numbered items in one line": b"1. ",
    "durations in one line": b"(5 min) ",
    "look-for lists": b"Look for: a, ",
    "must-include lists": b"Must include x, ",
    "fifty thousand short lines": b"a short line of forty characters, or so\n",
    "a million tiny lines": b"x\n",
    "blank lines": b"\n",
    "bullet lines": b"- x\n",
    "markdown headings": b"## Heading\n",
    "section headings": b"# 1) Role Summary\n",
    "numbered headings": b"7) Tools\n",
    "hiring headings": b"19) Hiring Evaluation Criteria\n",
    "scorecard headings": b"Scorecard dimensions\n",
    "whole sections 19": b"19) Hiring Evaluation Criteria\nScorecard dimensions\n| a | b | 20% |\n",
    "flattened table rows": b"Name  what meets the bar  20%\n",
    "bullet dimensions": b"- Name (20%): meets bar\n",
    "case studies": b"Case Study A: x (60 min)\n",
    "empty role title rows": b"| Role title | |\n",
    "empty role purpose rows": b"| Role purpose | |\n",
    "role summary headings": b"1) Role Summary\n",
    "tabs and CRLF": b"\t|\t\r\n",
    "CRLF": b"\r\n",
    "lone CR": b"\r",
    "lossy mojibake": "x \u0e42 y \u0e42\n".encode(),
    "mojibake": "\u00e2\u20ac\u2122".encode(),
    "no-break spaces": "\u00a0".encode(),
    "zero-width spaces": "\u200b".encode(),
}
WHERE = {
    # In a file with a pipe table, before that table (a line of "[" here once took 13 s);
    # in a file whose table has no pipes, among the signals, so the table is read after
    # the junk.
    "before the table": (NAMES[0], "Scorecard dimensions"),
    "among the signals": (NAMES[3], "Strong candidate signals"),
}


def line_after(name: str, marker: str) -> int:
    raw = RAW[name]
    return raw.index(b"\n", raw.index(marker.encode())) + 1


def worst_shape(piece: str, name: str, at: int) -> bytes:
    """The file `name` with `piece` repeated at offset `at` to fill it to the upload
    limit."""
    raw = RAW[name]
    room = MAX_BYTES - len(raw) - 1
    unit = PIECES[piece]
    if unit is None:
        opening, closing = ("[", "]") if "brackets" in piece else ("(", ")")
        filler = (opening * (room // 2) + closing * (room - room // 2)).encode()
    else:
        filler = (unit * (room // len(unit) + 1))[:room]
    return raw[:at] + filler + b"\n" + raw[at:]


def parse_within_a_second(data: bytes, name: str = "worst.txt") -> ParsedBlueprint | None:
    """The parser's contract, timed with one retry: a busy machine is not a parser bug."""
    for _ in range(2):
        start = time.process_time()
        result = check_untimed(data, name)
        elapsed = time.process_time() - start
        if elapsed < 1.0:
            return result
    raise AssertionError(f"{elapsed:.2f} s of CPU")


def check_untimed(data: bytes, name: str) -> ParsedBlueprint | None:
    try:
        bp = parse_blueprint(data, name)
    except BlueprintError as exc:
        assert name in str(exc) and "\n" not in str(exc)
        return None
    assert bp.title and bp.slug and bp.dimensions
    assert all(d.name and d.weight >= 0 for d in bp.dimensions)
    assert {f for s in bp.stages for f in s.focus} == {d.name for d in bp.dimensions}
    assert all(isinstance(w, str) and w and "\n" not in w for w in bp.warnings)
    check_role(bp)  # what the upload page would store next
    return bp


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("piece", PIECES)
def test_every_worst_shape_at_the_upload_limit_parses_or_refuses_within_a_second(piece, where):
    name, marker = WHERE[where]
    data = worst_shape(piece, name, line_after(name, marker))
    assert MAX_BYTES - 8 <= len(data) <= MAX_BYTES
    parse_within_a_second(data)


@pytest.mark.parametrize("piece", ["run of [", "run of |", "nested brackets", "link openings"])
def test_two_megabytes_in_one_line_after_the_scorecard_leave_the_scorecard_alone(piece):
    # Issue 13: a scorecard section followed by 2 MB of "[" took 20-30 s.
    name = NAMES[0]
    data = worst_shape(piece, name, RAW[name].index(b"20) Final Role Scorecard Summary"))
    bp = parse_within_a_second(data)
    assert bp is not None
    assert dims(bp) == dims(ORIGINAL[name])
    assert bp.signals == ORIGINAL[name].signals
    assert bp.exercises == ORIGINAL[name].exercises
    assert "A line of section 19 is longer than 5,000 characters" in " ".join(bp.warnings)


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


_UNITS = st.one_of(
    st.sampled_from(PUNCTUATION + " \t\n\r").map(str.encode),
    st.sampled_from([unit for unit in PIECES.values() if unit]),
    st.integers(1, 5000).map(_nested),
    st.text(PUNCTUATION + "a1 \t\n|#([", min_size=1, max_size=40).map(str.encode),
)
_ROOM = MAX_BYTES - max(len(raw) for raw in RAW.values()) - 2
WORST = settings(
    max_examples=int(os.environ.get("BLUEPRINT_WORST_EXAMPLES", "15")),
    deadline=None,  # timed below in CPU seconds, which a loaded machine does not inflate
    suppress_health_check=[HealthCheck.too_slow],
)


@WORST
@given(
    names,
    st.integers(0, 10**9),
    st.lists(_UNITS, min_size=1, max_size=3),
    st.one_of(st.sampled_from([_ROOM, _ROOM // 2, 100_000]), st.integers(1, _ROOM)),
    st.booleans(),
)
def test_worst_shapes_anywhere_parse_or_refuse_within_a_second(
    name: str, position: int, units: list[bytes], size: int, one_line: bool
) -> None:
    # A long run of one or a few repeated pieces (punctuation, nested brackets, pipes,
    # headings...) of up to the whole upload limit, anywhere in a real file; as one
    # line, or with the newlines the pieces carry.
    unit = b"".join(units)
    if one_line:
        unit = unit.replace(b"\n", b" ").replace(b"\r", b" ")
    filler = (unit * (size // len(unit) + 1))[:size]
    raw = RAW[name]
    at = position % (len(raw) + 1)
    data = raw[:at] + filler + raw[at:]
    assert len(data) <= MAX_BYTES
    parse_within_a_second(data)


@pytest.mark.parametrize(
    "heading", [b"19) Hiring Evaluation Criteria\n", b"Hiring Evaluation Criteria\n"]
)
@pytest.mark.parametrize("at_start", [True, False])
def test_many_section_19_headings_before_one_long_line(heading: bytes, at_start: bool) -> None:
    # Each heading's section could run on for 1,500 lines: finding where each ends must
    # not read the long line after them once per heading.
    raw = RAW[NAMES[0]]
    junk = heading * 200
    junk += b"x" * (MAX_BYTES - len(raw) - len(junk))
    bp = parse_within_a_second(junk + raw if at_start else raw + junk)
    assert (bp is None) == at_start  # the first ones found are junk, or the file's own
    if bp is not None:
        assert dims(bp) == dims(ORIGINAL[NAMES[0]])
