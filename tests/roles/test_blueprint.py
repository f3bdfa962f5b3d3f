"""Unit tests for roles.blueprint, the pure-Python blueprint parser (no Django needed).

The expected names and weights come from roles/blueprints/README.md; the counts were
checked by reading section 19 of each file.
"""

from __future__ import annotations

import json
import time  # process_time: the parser's own CPU time, not the machine's load
from decimal import Decimal
from pathlib import Path

import pytest

from roles.blueprint import (
    MAX_BYTES,
    BlueprintError,
    ParsedBlueprint,
    ParsedDimension,
    ParsedExercise,
    decode_bytes,
    from_json,
    limits,
    parse_blueprint,
    slugify,
    suggest_stages,
)
from roles.blueprint.text import clean

BLUEPRINTS = Path(__file__).resolve().parents[2] / "roles" / "blueprints"

F000 = "000_07d9d084b1b621e0.txt"
F001 = "001_705bb18053cb3e59.txt"
F002 = "002_3f2a52a4941b636f.txt"
F003 = "003_2d4d99d7bf8c210a.txt"
F004 = "004_bdda5d6593af0dff.txt"

EXPECTED = {
    F000: {
        "title": "Senior AI Consultant",
        "slug": "senior-ai-consultant",
        "dimensions": [
            ("Problem framing & value", "20"),
            ("Applied ML competence", "20"),
            ("System design & MLOps", "20"),
            ("Responsible AI & governance", "15"),
            ("Stakeholder communication", "15"),
            ("Delivery leadership", "10"),
        ],
        "competency_areas": 7,
        "exercises": 3,
        "signals": {"strong": 6, "weak": 5, "red_flag": 5},
    },
    F001: {
        "title": "Senior AI Engineer",
        "slug": "senior-ai-engineer",
        "dimensions": [
            ("Production ML engineering", "20"),
            ("Software engineering", "15"),
            ("Evaluation & experimentation", "15"),
            ("MLOps & operations", "15"),
            ("Data proficiency", "10"),
            ("LLM engineering (if relevant)", "10"),
            ("Security & privacy awareness", "5"),
            ("Communication & collaboration", "10"),
        ],
        "competency_areas": 8,
        "exercises": 4,
        "signals": {"strong": 6, "weak": 5, "red_flag": 5},
    },
    F002: {
        "title": "Lead AI Engineer",
        "slug": "lead-ai-engineer",
        "dimensions": [
            ("Production AI system design", "20"),
            ("Software engineering quality", "15"),
            ("Evaluation & experimentation", "15"),
            ("MLOps & operational excellence", "15"),
            ("Modeling competence", "10"),
            ("Data engineering collaboration", "10"),
            ("Security/privacy/governance mindset", "5"),
            ("Leadership & influence", "10"),
        ],
        "competency_areas": 6,
        "exercises": 4,
        "signals": {"strong": 5, "weak": 4, "red_flag": 5},
    },
    F003: {
        "title": "Senior AI Architect",
        "slug": "senior-ai-architect",
        "dimensions": [
            ("AI/ML architecture breadth", "12.5"),
            ("LLM architecture depth", "12.5"),
            ("Production readiness", "12.5"),
            ("Security/privacy & responsible AI", "12.5"),
            ("Cost/performance engineering", "12.5"),
            ("Communication & documentation", "12.5"),
            ("Influence & leadership", "12.5"),
            ("Pragmatism & judgment", "12.5"),
        ],
        "competency_areas": 6,
        "exercises": 4,
        "signals": {"strong": 6, "weak": 5, "red_flag": 5},
    },
    F004: {
        "title": "Senior Applied AI Engineer",
        "slug": "senior-applied-ai-engineer",
        "dimensions": [
            ("Applied AI/ML fundamentals", "15"),
            ("Production engineering", "20"),
            ("MLOps & lifecycle", "20"),
            ("Data proficiency", "10"),
            ("System design (end-to-end)", "15"),
            ("LLM/RAG competence (if applicable)", "10"),
            ("Collaboration & communication", "5"),
            ("Senior behaviors (mentorship/leadership)", "5"),
        ],
        "competency_areas": 7,
        "exercises": 4,
        "signals": {"strong": 5, "weak": 4, "red_flag": 4},
    },
}
FILES = sorted(EXPECTED)


def raw(name: str) -> bytes:
    return (BLUEPRINTS / name).read_bytes()


_CACHE: dict[str, ParsedBlueprint] = {}


def parsed(name: str) -> ParsedBlueprint:
    if name not in _CACHE:
        _CACHE[name] = parse_blueprint(raw(name), name)
    return _CACHE[name]


def all_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in all_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in all_strings(v)]
    return []


def exercise(bp: ParsedBlueprint, title_start: str) -> ParsedExercise:
    return next(e for e in bp.exercises if e.title.startswith(title_start))


# --------------------------------------------------------------------------------------
# The five real files
# --------------------------------------------------------------------------------------


def test_the_copied_files_are_all_here() -> None:
    assert sorted(p.name for p in BLUEPRINTS.glob("0*.txt")) == FILES
    assert (BLUEPRINTS / "README.md").is_file()


@pytest.mark.parametrize("name", FILES)
def test_title_and_slug(name: str) -> None:
    bp = parsed(name)
    assert bp.title == EXPECTED[name]["title"]
    assert bp.slug == EXPECTED[name]["slug"]
    assert bp.summary  # every file has a "Role purpose" row in section 20


@pytest.mark.parametrize("name", FILES)
def test_dimension_names_and_weights_match_the_readme(name: str) -> None:
    bp = parsed(name)
    got = [(d.name, d.weight) for d in bp.dimensions]
    want = [(n, Decimal(w)) for n, w in EXPECTED[name]["dimensions"]]
    assert got == want
    assert sum(d.weight for d in bp.dimensions) == 100
    assert all(d.meets_bar for d in bp.dimensions)


@pytest.mark.parametrize("name", FILES)
def test_counts_of_areas_exercises_and_signals(name: str) -> None:
    bp = parsed(name)
    assert len(bp.competency_areas) == EXPECTED[name]["competency_areas"]
    assert len(bp.exercises) == EXPECTED[name]["exercises"]
    assert {k: len(v) for k, v in bp.signals.items()} == EXPECTED[name]["signals"]
    assert all(a.name and a.description for a in bp.competency_areas)


def test_000_case_studies_and_lossy_mojibake() -> None:
    bp = parsed(F000)
    assert [e.title for e in bp.exercises] == [
        "Case Study A: Use case discovery + solution design",
        "Case Study B: Production incident scenario",
        "Case Study C: Vendor/tool selection",
    ]
    a = bp.exercises[0]
    assert (a.duration_min, a.duration_max) == (60, 90)
    assert a.look_for == [
        "Problem framing (users, workflow, objective)",
        "Success metrics (business + model)",
        "Data needs and readiness risks",
        "Proposed architecture (MVP → scale)",
        "Evaluation plan and rollout strategy",
        "Governance considerations",
    ]
    assert a.prompt.endswith("Ask the candidate to produce:")
    b = bp.exercises[1]
    assert (b.duration_min, b.duration_max) == (30, 45)
    assert b.prompt.startswith(
        "“Model performance dropped after a data pipeline change” or "
        "“LLM costs spiked unexpectedly.”"
    )
    assert bp.signals["strong"][3] == (
        "Communicates clearly to different audiences; can “zoom in” and “zoom out.”"
    )
    assert bp.competency_areas[0].name == "Problem framing and consulting craft"
    assert bp.dimensions[0].meets_bar == "Clear objectives, metrics, scope, and adoption plan"


def test_001_exercises_with_bare_dash_items() -> None:
    bp = parsed(F001)
    assert [e.title for e in bp.exercises] == [
        "System design exercise",
        "Hands-on coding exercise",
        "Debugging / incident scenario",
        "LLM/RAG mini-case (optional)",
    ]
    system, coding = bp.exercises[0], bp.exercises[1]
    assert (system.duration_min, system.duration_max) == (90, 90)
    assert (coding.duration_min, coding.duration_max) == (60, 120)
    assert coding.prompt.startswith("Implement a small inference service with input validation")
    # This file labels nothing as "look for"; everything is prompt text.
    assert all(e.look_for == [] for e in bp.exercises)
    assert bp.signals["strong"][0] == (
        "Describes concrete, production-grade systems they owned (not “team did it”)."
    )
    assert "“bureaucracy”" in bp.signals["red_flag"][2]


def test_002_look_for_items() -> None:
    bp = parsed(F002)
    system = exercise(bp, "System design case")
    assert (system.duration_min, system.duration_max) == (60, 90)
    assert system.look_for == [
        "clear architecture",
        "data flow",
        "evaluation plan",
        "failure modes",
        "pragmatic trade-offs",
    ]
    assert system.prompt.startswith("Design a real-time personalization service")
    coding = bp.exercises[1]
    assert coding.title == "Hands-on coding exercise (take-home or live)"
    assert (coding.duration_min, coding.duration_max) == (60, 120)
    assert coding.look_for == ["engineering hygiene", "structure", "tests", "error handling"]
    assert bp.signals["red_flag"][0] == (
        "Dismisses governance, privacy, and security as “someone else’s problem.”"
    )


def test_003_flattened_table_numbered_lists_and_no_weights() -> None:
    bp = parsed(F003)
    assert [e.title for e in bp.exercises] == [
        "Architecture case study: Enterprise AI Assistant (LLM + RAG)",
        "Evaluation design exercise",
        "Threat modeling workshop (short)",
        "System design deep dive",
    ]
    assert all(e.duration_min is None and e.duration_max is None for e in bp.exercises)
    case = bp.exercises[0]
    assert case.prompt == (
        "Design an internal assistant that answers questions from company documentation "
        "and ticket history."
    )
    assert len(case.must_cover) == 9
    assert case.must_cover[0] == "Data ingestion, access control, and redaction"
    assert bp.exercises[2].look_for == [
        "Prompt injection",
        "Data exfiltration",
        "Unauthorized access through retrieval",
        "Vendor risk and logging risks",
    ]
    by_name = {d.name: d.meets_bar for d in bp.dimensions}
    assert by_name["Security/privacy & responsible AI"] == (
        "Threat modeling, mitigations, practical compliance posture"
    )
    assert by_name["LLM architecture depth"] == (
        "Strong RAG + evaluation + security + reliability patterns"
    )
    assert all(d.weight == Decimal("12.50") for d in bp.dimensions)


def test_003_warns_about_equal_weights_and_unsure_splits() -> None:
    warnings = parsed(F003).warnings
    assert any("equal weights (12.5 each)" in w for w in warnings)
    assert any("Security/privacy & responsible AI" in w for w in warnings)


def test_004_reversible_mojibake_and_flattened_weights() -> None:
    bp = parsed(F004)
    coding = exercise(bp, "Take-home or live coding")
    assert (coding.duration_min, coding.duration_max) == (60, 120)
    assert coding.look_for == [
        "Input validation",
        "Basic tests",
        "Metrics instrumentation",
        "A simple model or stubbed model gateway",
        "A clear README/runbook",
    ]
    system = bp.exercises[0]
    assert (system.title, system.duration_min, system.duration_max) == (
        "System design case",
        60,
        90,
    )
    assert system.must_cover == [
        "data flow",
        "evaluation plan",
        "rollout",
        "monitoring",
        "incident response",
        "cost constraints",
    ]
    assert (bp.exercises[2].duration_min, bp.exercises[2].duration_max) == (45, 60)
    assert "Treats monitoring and incident response as someone else’s job." in bp.signals["weak"]
    assert "Dismisses governance/safety/privacy as “not engineering.”" in bp.signals["red_flag"]


@pytest.mark.parametrize("name", FILES)
def test_every_string_is_clean_unicode(name: str) -> None:
    strings = all_strings(parsed(name).to_json(name))
    bad = [s for s in strings if any(x in s for x in ("โ", "â€", "€", "\ufffd", "Ã", "Â"))]
    assert bad == []
    assert not any("\u0e00" <= ch <= "\u0e7f" for s in strings for ch in s)
    assert not any("**" in s or s != s.strip() for s in strings)


@pytest.mark.parametrize("name", [F000, F001, F004])
def test_decode_repairs_the_scorecard_header(name: str) -> None:
    text = decode_bytes(raw(name))
    assert "What “meets bar” looks like" in text
    assert "โ" not in text and "€" not in text


def test_decode_restores_durations_and_arrows() -> None:
    text = decode_bytes(raw(F000))
    assert "(60–90 minutes)" in text
    assert "(MVP → scale)" in text
    assert "IC: Lead AI Consultant → Principal AI Consultant" in text
    assert "it’s credible" in text
    assert "≥ 80% pass" in text
    text4 = decode_bytes(raw(F004))
    assert "(60–90 min)" in text4
    assert "“Invest in yourself — your confidence is always worth it.”" in text4


def test_decode_lossy_rules_on_a_small_sample() -> None:
    sample = "Itโs 60โ90 min; say โhelloโ (A โ B) and X โ Y โ Z\nโ a bullet, one โ dash"
    assert decode_bytes(sample.encode()) == (
        "It’s 60–90 min; say “hello” (A → B) and X → Y → Z\n– a bullet, one – dash"
    )


def test_decode_leaves_real_thai_alone() -> None:
    thai = "ภาษาไทยโดยทั่วไป ข้อความภาษาไทย โรงเรียน"
    assert decode_bytes(thai.encode()) == thai


@pytest.mark.parametrize("name", FILES)
def test_stages_cover_every_dimension(name: str) -> None:
    bp = parsed(name)
    assert len(bp.stages) == len(bp.exercises)
    dims = {d.name for d in bp.dimensions}
    focused = {f for s in bp.stages for f in s.focus}
    assert focused == dims
    for i, (stage, ex) in enumerate(zip(bp.stages, bp.exercises, strict=True)):
        assert stage.exercise_index == i
        assert stage.name == ex.title
        assert stage.duration_minutes == ex.duration_max
        assert 1 <= len(stage.focus) <= len(dims)


def test_stages_are_deterministic_and_sensible() -> None:
    again = parse_blueprint(raw(F002), F002)
    assert again == parsed(F002)
    by_name = {s.name: s.focus for s in again.stages}
    assert "Production AI system design" in by_name["System design case"]
    assert "Evaluation & experimentation" in by_name["Evaluation & error analysis exercise"]
    assert "LLM engineering (if relevant)" in {
        f for s in parsed(F001).stages if s.name.startswith("LLM/RAG") for f in s.focus
    }


def test_suggest_stages_without_exercises() -> None:
    dims = [ParsedDimension("A", "x", Decimal(50)), ParsedDimension("B", "y", Decimal(50))]
    stages, warnings = suggest_stages(dims, [])
    assert len(stages) == 1
    assert stages[0].name == "Structured interview"
    assert stages[0].focus == ["A", "B"]
    assert stages[0].exercise_index is None
    assert warnings


def test_suggest_stages_warns_about_unmatched_dimensions() -> None:
    dims = [
        ParsedDimension("Kubernetes operations", "Runs clusters", Decimal(50)),
        ParsedDimension("Watercolour painting", "Paints landscapes", Decimal(50)),
    ]
    ex = [ParsedExercise("Cluster outage", 30, 45, "Kubernetes cluster operations drill", [], [])]
    stages, warnings = suggest_stages(dims, ex)
    assert stages[0].focus == ["Kubernetes operations", "Watercolour painting"]
    assert any("Watercolour painting" in w for w in warnings)


@pytest.mark.parametrize("name", FILES)
def test_parse_is_fast(name: str) -> None:
    data = raw(name)
    best = min(_timed(lambda: parse_blueprint(data, name)) for _ in range(3))
    assert best < 0.05


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    fn()
    return time.process_time() - start


# --------------------------------------------------------------------------------------
# Re-encodings of real files
# --------------------------------------------------------------------------------------


def _dims(bp: ParsedBlueprint) -> list[tuple[str, Decimal]]:
    return [(d.name, d.weight) for d in bp.dimensions]


def test_utf8_with_bom() -> None:
    bp = parse_blueprint(b"\xef\xbb\xbf" + raw(F002), "bom.txt")
    assert _dims(bp) == _dims(parsed(F002))
    assert bp.title == "Lead AI Engineer"


def test_cp1252_of_the_clean_file() -> None:
    text = raw(F002).decode("utf-8")
    data = text.encode("cp1252", errors="replace")  # "→" and "≥" have no cp1252 byte
    bp = parse_blueprint(data, "cp1252.txt")
    assert _dims(bp) == _dims(parsed(F002))
    assert bp.signals == parsed(F002).signals
    assert bp.exercises[0].duration_max == 90


def test_crlf() -> None:
    for name in (F000, F003):
        bp = parse_blueprint(raw(name).replace(b"\n", b"\r\n"), "crlf.txt")
        assert bp == parsed(name)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16(encoding: str) -> None:
    data = raw(F004).decode("utf-8").encode(encoding)
    bp = parse_blueprint(data, "utf16.txt")
    assert _dims(bp) == _dims(parsed(F004))
    assert bp.exercises == parsed(F004).exercises


def test_str_input_equals_bytes_input() -> None:
    assert parse_blueprint(raw(F001).decode("utf-8"), F001) == parsed(F001)


def test_classic_cp1252_mojibake_is_repaired() -> None:
    # UTF-8 read as Windows-1252 and saved again as UTF-8: "’" became "â€™".
    text = raw(F002).decode("utf-8")
    moji = text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    bp = parse_blueprint(moji, "moji.txt")
    assert _dims(bp) == _dims(parsed(F002))
    assert bp.exercises[0].duration_min == 60
    assert not any("â€" in s for s in all_strings(bp.to_json()))


# --------------------------------------------------------------------------------------
# Hand-made blueprints: markdown, weight formats
# --------------------------------------------------------------------------------------

MARKDOWN = """\
# Staff Data Scientist: Role Blueprint

## 1) Role Summary
The **Staff Data Scientist** turns messy questions into measured decisions.

## 19) Hiring Evaluation Criteria

### What to assess in interviews
1. **Experimentation** – Designs sound A/B tests and reads them honestly.
2. **Modeling judgment** – Picks the simplest model that works.

### Practical exercises or case studies
- **Experiment review (45–60 minutes):** Review a flawed A/B test readout.
  - Look for: spotting peeking, power analysis, guardrail metrics
- **Modeling case (1 hour):** Build a churn baseline.
  - Must cover:
    - Leakage checks
    - Calibration

### Strong candidate signals
- Explains trade-offs plainly.
- Quantifies uncertainty.

### Weak candidate signals
- Chases leaderboard metrics.

### Red flags
- Fabricates results.

### Scorecard dimensions
| **Dimension** | What "meets bar" looks like | Weight |
|:---|:---|---:|
| **Experimentation** | Valid designs, honest reads | {w1} |
| Modeling judgment | Simple, calibrated models | {w2} |
| Communication | Clear write-ups | {w3} |

## 20) Final Role Scorecard Summary
| Category | Summary |
|---|---|
| Role title | Staff Data Scientist |
| Role purpose | Turn questions into measured decisions. |
"""


def markdown(w1: str = "50%", w2: str = "30%", w3: str = "20%") -> bytes:
    return MARKDOWN.format(w1=w1, w2=w2, w3=w3).encode("utf-8")


def test_markdown_blueprint() -> None:
    bp = parse_blueprint(markdown(), "md.md")
    assert bp.title == "Staff Data Scientist"
    assert bp.slug == "staff-data-scientist"
    assert _dims(bp) == [
        ("Experimentation", Decimal(50)),
        ("Modeling judgment", Decimal(30)),
        ("Communication", Decimal(20)),
    ]
    assert bp.dimensions[0].meets_bar == "Valid designs, honest reads"
    assert [(a.name, a.description) for a in bp.competency_areas] == [
        ("Experimentation", "Designs sound A/B tests and reads them honestly."),
        ("Modeling judgment", "Picks the simplest model that works."),
    ]
    review, case = bp.exercises
    assert (review.title, review.duration_min, review.duration_max) == ("Experiment review", 45, 60)
    assert review.look_for == ["spotting peeking", "power analysis", "guardrail metrics"]
    assert (case.title, case.duration_min, case.duration_max) == ("Modeling case", 60, 60)
    assert case.must_cover == ["Leakage checks", "Calibration"]
    assert {k: len(v) for k, v in bp.signals.items()} == {"strong": 2, "weak": 1, "red_flag": 1}
    assert bp.summary == "Turn questions into measured decisions."
    # The default loop had to guess (no exercise mentions communication), and so did the
    # anchors of the dimensions no signal speaks of; the file has no soft-skills section.
    assert "Communication" in bp.warnings[0] and "matched no exercise" in bp.warnings[0]
    assert all("anchor" in w for w in bp.warnings[1:])
    assert bp.dimensions[0].anchors[4] == "Explains trade-offs plainly."
    assert [s.focus for s in bp.stages] == [
        ["Experimentation", "Communication"],
        ["Modeling judgment"],
    ]


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        (("50%", "30%", "20%"), (50, 30, 20)),
        (("50", "30", "20"), (50, 30, 20)),
        (("0.5", "0.3", "0.2"), (50, 30, 20)),
        (("12.5%", "37.5%", "50 %"), (12.5, 37.5, 50)),
    ],
)
def test_weight_formats(weights: tuple[str, str, str], expected: tuple[float, ...]) -> None:
    bp = parse_blueprint(markdown(*weights), "w.md")
    assert [d.weight for d in bp.dimensions] == [Decimal(str(x)) for x in expected]
    assert not any("total" in w for w in bp.warnings)


def test_weights_not_totalling_100_are_kept_with_a_warning() -> None:
    bp = parse_blueprint(markdown("40%", "30%", "20%"), "w90.md")
    assert [d.weight for d in bp.dimensions] == [Decimal(40), Decimal(30), Decimal(20)]
    assert any("total 90" in w for w in bp.warnings)


def test_missing_weight_column_gives_equal_weights_with_remainder_on_first() -> None:
    rows = "\n".join(f"| Dimension {i} | Meets bar {i} |" for i in range(1, 7))
    text = (
        "Tester: Role Blueprint\n19) Hiring Evaluation Criteria\nScorecard dimensions\n"
        f"| Dimension | What meets bar looks like |\n|---|---|\n{rows}\n"
    )
    bp = parse_blueprint(text, "six.txt")
    weights = [d.weight for d in bp.dimensions]
    assert weights == [Decimal("16.65")] + [Decimal("16.67")] * 5
    assert sum(weights) == 100
    assert any("equal weights" in w for w in bp.warnings)
    assert bp.to_json()["dimensions"][0]["weight"] == "16.65"


def test_a_weight_past_100_is_read_as_none_and_said() -> None:
    # Found by the property test of limits: "480%" was kept as a weight no role may hold.
    text = (
        "Platform Engineer: Role Blueprint\n19) Hiring Evaluation Criteria\n"
        "Scorecard dimensions\n| Dimension | Meets bar | Weight |\n|---|---|---|\n"
        "| Reliability | Keeps things up | 480% |\n| Automation | Scripts the toil | 40% |\n"
    )
    bp = parse_blueprint(text, "p.txt")
    assert [d.weight for d in bp.dimensions] == [Decimal(0), Decimal(40)]
    assert 'The weight of "Reliability" is not a percentage from 0 to 100; set to 0.' in bp.warnings
    limits.check_role(bp)


def test_title_from_first_line_and_warnings_for_missing_parts() -> None:
    text = (
        "Platform Engineer: Role Blueprint\n19) Hiring Evaluation Criteria\n"
        "Scorecard dimensions\n| Dimension | Meets bar | Weight |\n|---|---|---|\n"
        "| Reliability | Keeps things up | 60% |\n| Automation | Scripts the toil | 40% |\n"
    )
    bp = parse_blueprint(text, "p.txt")
    assert bp.title == "Platform Engineer"
    assert bp.exercises == []
    assert [s.name for s in bp.stages] == ["Structured interview"]
    assert any("exercises" in w for w in bp.warnings)
    assert any("red flags" in w for w in bp.warnings)


# --------------------------------------------------------------------------------------
# Broken inputs
# --------------------------------------------------------------------------------------


def _refused(data: bytes | str, filename: str = "bad-file.txt") -> str:
    with pytest.raises(BlueprintError) as info:
        parse_blueprint(data, filename)
    message = str(info.value)
    assert filename in message
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith(".")
    return message


def test_empty_files_are_refused() -> None:
    assert "empty" in _refused(b"")
    assert "empty" in _refused(b"  \n\r\n\t ")
    assert "empty" in _refused("")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"PK\x03\x04" + bytes(100),
        b"%PDF-1.7\n...",
        b"19) Hiring Evaluation Criteria\x00\x00\x01\x02binary" * 20,
        bytes(range(256)) * 40,
    ],
)
def test_binary_files_are_refused(data: bytes) -> None:
    message = _refused(data)
    assert "binary" in message or "image" in message or "ZIP" in message or "PDF" in message


def test_too_large_files_are_refused() -> None:
    data = raw(F002) + b"x" * (MAX_BYTES + 1 - len(raw(F002)))
    assert "2 MB" in _refused(data, "huge.txt")


def test_text_without_section_19_is_refused() -> None:
    text = raw(F002).decode("utf-8").replace("Hiring Evaluation Criteria", "Hiring notes")
    assert "section 19" in _refused(text.encode(), "no19.txt")
    assert "section 19" in _refused(b"Just a shopping list\n- eggs\n- milk\n", "list.txt")


def test_section_19_without_dimensions_is_refused() -> None:
    text = raw(F002).decode("utf-8")
    start = text.index("Scorecard dimensions")
    end = text.index("20) Final Role Scorecard Summary")
    message = _refused((text[:start] + text[end:]).encode(), "nodims.txt")
    assert "dimensions" in message


def test_blueprint_without_any_title_is_refused() -> None:
    text = (
        "1) Role Summary\nSomething.\n19) Hiring Evaluation Criteria\nScorecard dimensions\n"
        "| Dimension | Meets bar | Weight |\n|---|---|---|\n| A | x | 100% |\n"
    )
    assert "title" in _refused(text, "untitled.txt")


def test_decode_bytes_refuses_binary_with_the_filename() -> None:
    with pytest.raises(BlueprintError, match="pic.png"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "pic.png")


# --------------------------------------------------------------------------------------
# JSON shape and round trip
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_to_json_from_json_round_trip(name: str) -> None:
    bp = parsed(name)
    obj = json.loads(json.dumps(bp.to_json(name)))
    assert from_json(obj, name) == bp
    assert from_json(obj, name).to_json(name) == obj


def test_to_json_shape() -> None:
    obj = parsed(F003).to_json(F003)
    assert set(obj) >= {
        "file",
        "title",
        "slug",
        "dimensions",
        "competency_areas",
        "exercises",
        "signals",
        "warnings",
    }
    assert obj["file"] == F003
    first = obj["dimensions"][0]
    assert {k: first[k] for k in ("name", "meets_bar", "weight")} == {
        "name": "AI/ML architecture breadth",
        "meets_bar": "End-to-end design with lifecycle, ops, governance",
        "weight": "12.50",
    }
    # The proposed anchors, one per level (level 3 is the meets-bar text), and their lines.
    assert len(first["anchors"]) == len(first["anchor_sources"]) == 5
    assert first["anchors"][2] == "" and all(first["anchors"][n] for n in (0, 1, 3, 4))
    assert first["anchor_sources"][2].startswith("Scorecard dimensions: AI/ML architecture")
    assert set(obj["signals"]) == {"strong", "weak", "red_flag"}
    assert set(obj["exercises"][0]) == {
        "title",
        "duration_min",
        "duration_max",
        "prompt",
        "look_for",
        "must_cover",
    }
    assert parsed(F000).to_json()["dimensions"][0]["weight"] == "20.00"


def test_from_json_without_stages_suggests_them() -> None:
    obj = parsed(F002).to_json()
    del obj["stages"]
    bp = from_json(obj)
    assert bp.stages == parsed(F002).stages


@pytest.mark.parametrize(
    "mutate",
    [
        lambda o: o.clear(),
        lambda o: o.update(title=""),
        lambda o: o.update(dimensions=[]),
        lambda o: o.update(dimensions="nope"),
        lambda o: o["dimensions"][0].update(weight="heavy"),
        lambda o: o["dimensions"][0].update(weight=-5),
        lambda o: o["dimensions"][0].pop("name"),
        lambda o: o["exercises"][0].update(duration_min="sixty"),
        lambda o: o["exercises"][0].update(look_for="not a list"),
        lambda o: o["signals"].update(green=["x"]),
        lambda o: o["stages"][0].update(focus=["No such dimension"]),
        lambda o: o["stages"][0].update(exercise_index=99),
    ],
)
def test_from_json_rejects_bad_shapes(mutate) -> None:  # type: ignore[no-untyped-def]
    obj = json.loads(json.dumps(parsed(F002).to_json()))
    mutate(obj)
    with pytest.raises(BlueprintError, match="export.json"):
        from_json(obj, "export.json")


def test_from_json_rejects_non_objects() -> None:
    with pytest.raises(BlueprintError, match="x.json"):
        from_json([], "x.json")  # type: ignore[arg-type]


def test_slugify() -> None:
    assert slugify("Lead AI Engineer") == "lead-ai-engineer"
    assert slugify("  Café / ML—Ops  ") == "cafe-ml-ops"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("See [the guide](https://example.com/guide) first", "See the guide first"),
        ("[a](http://x/(y)) and **bold** `code`", "a) and bold code"),
        # The bracket nearest the link opens its text, as in CommonMark.
        ("[a [b](u) c", "[a b c"),
        ("[[a]](b)", "[[a]](b)"),
        ("[a](b c)", "[a](b c)"),  # no spaces in a URL
        ("[a]\n(b)", "[a] (b)"),
    ],
)
def test_clean_keeps_the_text_of_markdown_links(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned


@pytest.mark.parametrize("junk", ["[" * 2_000_000, "[a](" * 500_000, "](" * 1_000_000])
def test_clean_is_linear_on_brackets(junk: str) -> None:
    start = time.process_time()
    assert clean(junk) == junk
    assert time.process_time() - start < 0.5
