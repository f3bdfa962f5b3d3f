"""One validator for every role, however it arrives (roles/blueprint/limits.py).

A JSON import (the format export_role prints) that breaks a limit of the text parser or
of a database column is refused with one sentence, by the import_blueprint command and
by the upload page alike, and nothing is stored; a role at every limit opens in the
editor and saves; whatever the editor accepts exports and imports back unchanged.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from roles import services
from roles.models import Role, RoleRevision
from tests.roles.conftest import F001, blueprint_bytes
from tests.roles.test_import_view import upload

pytestmark = pytest.mark.django_db


def role_doc() -> dict:
    """A small, valid role export."""
    return {
        "format": "scorecards-role-export",
        "format_version": 1,
        "title": "Data Engineer",
        "slug": "data-engineer",
        "summary": "Builds pipelines.",
        "dimensions": [
            {"name": "SQL", "meets_bar": "Writes correct joins.", "weight": "60.00"},
            {"name": "Modelling", "meets_bar": "", "weight": "40.00"},
        ],
        "competency_areas": [{"name": "Data", "description": "Knows data."}],
        "exercises": [
            {
                "title": "Schema design",
                "duration_min": 45,
                "duration_max": 60,
                "prompt": "Design a schema.",
                "look_for": ["Keys"],
                "must_cover": [],
            }
        ],
        "signals": {"strong": ["Explains trade-offs"], "weak": [], "red_flag": []},
        "stages": [
            {
                "name": "Schema design",
                "duration_minutes": 60,
                "exercise_index": 0,
                "focus": ["SQL", "Modelling"],
            }
        ],
        "warnings": [],
    }


def _many_dimensions(n):
    def change(doc):
        weight = f"{100 / n:.2f}"
        doc["dimensions"] = [{"name": f"D{i}", "meets_bar": "", "weight": weight} for i in range(n)]
        doc["stages"][0]["focus"] = ["D0"]

    return change


def _set(path, value):
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _title_only(title):
    def change(doc):
        doc["title"] = title
        del doc["slug"]  # made from the title

    return change


def _dimension_name(name):
    def change(doc):
        doc["dimensions"][0]["name"] = name
        doc["stages"][0]["focus"] = [name]

    return change


def _stages(n):
    def change(doc):
        doc["stages"] = [
            {"name": f"S{i}", "duration_minutes": 30, "exercise_index": None, "focus": ["SQL"]}
            for i in range(n)
        ]

    return change


# (id, change to role_doc(), or raw bytes; what the refusal must say)
BAD = [
    ("nul-in-name", _set(("dimensions", 0, "name"), "S\x00QL"), "NUL character"),
    ("nul-in-meets-bar", _set(("dimensions", 1, "meets_bar"), "a\x00b"), "NUL character"),
    ("nul-in-warning", _set(("warnings",), ["careful\x00"]), "NUL character"),
    ("nul-in-anchor", _set(("dimensions", 0, "anchors"), ["", "\x00"]), "NUL character"),
    ("surrogate-in-title", _set(("title",), "Data \ud800 Engineer"), "lone surrogate"),
    ("surrogate-in-signal", _set(("signals", "weak"), ["\udfff"]), "lone surrogate"),
    ("digits-5000", b"5000", "a number 5000 digits long"),
    ("digits-4000", _set(("exercises", 0, "duration_max"), 10**3999), "a number 4000 digits"),
    ("negative-duration", _set(("exercises", 0, "duration_min"), -5), "from 1 to 1440 minutes"),
    ("zero-duration", _set(("exercises", 0, "duration_min"), 0), "from 1 to 1440 minutes"),
    ("huge-duration", _set(("exercises", 0, "duration_max"), 10**12), "from 1 to 1440 minutes"),
    ("min-over-max", _set(("exercises", 0, "duration_min"), 90), "longer at least"),
    ("negative-stage", _set(("stages", 0, "duration_minutes"), -30), "from 1 to 1440 minutes"),
    ("huge-stage", _set(("stages", 0, "duration_minutes"), 2**40), "from 1 to 1440 minutes"),
    ("long-slug", _set(("slug",), "s" * 121), "at most 120"),
    ("slug-from-title", _title_only("ﬃ" * 50), "at most 120"),
    ("long-title", _set(("title",), "T" * 201), "at most 200"),
    ("long-dimension", _dimension_name("D" * 201), "at most 200"),
    ("long-area", _set(("competency_areas", 0, "name"), "A" * 201), "at most 200"),
    ("long-exercise", _set(("exercises", 0, "title"), "E" * 256), "at most 255"),
    ("long-stage", _set(("stages", 0, "name"), "S" * 201), "at most 200"),
    ("51-dimensions", _many_dimensions(51), "51 dimensions; a role has at most 50"),
    ("5000-dimensions", _many_dimensions(5000), "5000 dimensions; a role has at most 50"),
    ("61-red-flags", _set(("signals", "red_flag"), [f"R{i}" for i in range(61)]), "at most 60"),
    ("61-areas", _set(("competency_areas",), [{"name": f"A{i}"} for i in range(61)]), "at most 60"),
    ("61-stages", _stages(61), "61 stages; a role has at most 60"),
    ("coverage-1e999999", _set(("settings",), {"min_coverage": "1e999999"}), "from 0 to 1"),
    ("weight-3-decimals", _set(("dimensions", 0, "weight"), "59.995"), "at most two decimals"),
    ("weight-tiny", _set(("dimensions", 0, "weight"), "1e-999999"), "at most two decimals"),
    ("empty-signal", _set(("signals", "strong"), ["  "]), "strong signal 1 is empty"),
    ("empty-area", _set(("competency_areas", 0, "name"), ""), "competency area 1 has no name"),
    ("empty-exercise", _set(("exercises", 0, "title"), " "), "exercise 1 has no title"),
    ("empty-stage", _set(("stages", 0, "name"), ""), "stage 1 has no name"),
]


def bad_bytes(change) -> bytes:
    doc = role_doc()
    if isinstance(change, bytes):  # a number too long for json.dumps: written by hand
        raw = json.dumps(doc).encode()
        return raw.replace(b'"duration_min": 45', b'"duration_min": ' + b"9" * int(change))
    change(doc)
    return json.dumps(doc).encode()


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_the_valid_document_imports_by_command_and_upload(tmp_path, recruiter_client):
    path = tmp_path / "role.json"
    path.write_bytes(json.dumps(role_doc()).encode())
    code, out, err = run("import_blueprint", str(path))
    assert (code, err) == (0, "")
    assert "Data Engineer (data-engineer) imported as revision 1" in out
    response = upload(recruiter_client, "other.json", json.dumps(role_doc()).encode() + b" ")
    assert response.status_code == 200 and "token" in response.context


@pytest.mark.parametrize(("change", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_json_import_is_refused_by_the_command_with_one_line(tmp_path, change, message):
    path = tmp_path / "role.json"
    path.write_bytes(bad_bytes(change))
    code, out, err = run("import_blueprint", str(path))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: role.json "), err
    assert message in lines[0]
    assert "Traceback" not in err
    assert not Role.objects.exists() and not RoleRevision.objects.exists()


@pytest.mark.parametrize(("change", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_json_upload_is_refused_on_the_page(recruiter_client, change, message):
    response = upload(recruiter_client, "role.json", bad_bytes(change))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="upload-error"' in body, body[:300]
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and errors[0].startswith("role.json ") and message in errors[0]
    assert "token" not in response.context
    assert not Role.objects.exists() and not RoleRevision.objects.exists()


# --- the text parser keeps the same limits -------------------------------------------


@pytest.mark.parametrize(("written", "minutes"), [("(48 hours)", "2880"), ("(0 minutes)", "0")])
def test_a_blueprint_duration_no_stage_can_have_is_left_empty_with_a_warning(written, minutes):
    data = blueprint_bytes(F001).replace(b"(90 minutes)", written.encode())
    (loaded,) = services.load_file(data, F001)
    exercise = loaded.parsed.exercises[0]
    assert exercise.title == "System design exercise"
    assert (exercise.duration_min, exercise.duration_max) == (None, None)
    assert (
        f'Exercise "System design exercise" lasts {minutes} min; a stage lasts 1 to 1440 '
        "minutes, so its duration was left empty." in loaded.parsed.warnings
    )
    # The editor can save what was imported: no duration it would refuse.
    revision = services.import_parsed(loaded.parsed, source_name=F001, source_sha256="").revision
    assert revision.stages.order_by("order").first().duration_minutes is None
