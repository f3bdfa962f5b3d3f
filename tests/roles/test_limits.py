"""One validator for every role, however it arrives (roles/blueprint/limits.py).

A JSON import (the format export_role prints) that breaks a limit of the text parser or
of a database column is refused with one sentence, by the import_blueprint command and
by the upload page alike, and nothing is stored; a role at every limit opens in the
editor and saves; whatever the editor accepts exports and imports back unchanged.
"""

import json
import os
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from roles import services
from roles.blueprint import BlueprintError, limits, parse_blueprint
from roles.models import Role, RoleRevision
from tests import factories
from tests.roles.conftest import F001, FILES, blueprint_bytes, editor_data
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
    (
        "min-over-max",
        _set(("exercises", 0, "duration_min"), 90),
        "takes at least 90 minutes but at most 60",
    ),
    ("negative-stage", _set(("stages", 0, "duration_minutes"), -30), "from 1 to 1440 minutes"),
    ("huge-stage", _set(("stages", 0, "duration_minutes"), 2**40), "from 1 to 1440 minutes"),
    ("long-slug", _set(("slug",), "s" * 121), "at most 120"),
    ("slug-from-title", _title_only("ﬃ" * 50), "at most 120"),
    ("long-title", _set(("title",), "T" * 201), "title of the role is 201 characters long"),
    ("long-dimension", _dimension_name("D" * 201), "name of dimension 1 is 201 characters"),
    ("long-area", _set(("competency_areas", 0, "name"), "A" * 201), "a name has at most 200"),
    ("long-exercise", _set(("exercises", 0, "title"), "E" * 256), "a title has at most 255"),
    ("long-stage", _set(("stages", 0, "name"), "S" * 201), "name of stage 1 is 201"),
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


def test_a_refusal_names_the_file_where_the_problem_is_and_the_limit(tmp_path):
    sentences = {
        "nul-in-name": "the text at dimensions → 1 → name contains a NUL character, which "
        "cannot be stored",
        "digits-5000": "it holds a number 5000 digits long; no number in a role has more than 30",
        "5000-dimensions": "it has 5000 dimensions; a role has at most 50",
        "huge-stage": 'stage "Schema design" lasts 1099511627776 minutes; durations run from '
        "1 to 1440 minutes",
    }
    changes = {b[0]: b[1] for b in BAD}
    for case, sentence in sentences.items():
        path = tmp_path / "role.json"
        path.write_bytes(bad_bytes(changes[case]))
        code, out, err = run("import_blueprint", str(path))
        assert (code, out, err) == (1, "", f"Error: role.json cannot be imported: {sentence}.\n")


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


# --- the editor: a role at every limit opens and saves; more is refused --------------


def largest_doc() -> dict:
    """A role at every limit: each stage focuses on every dimension, every text filled."""
    names = [f"Dimension {i}" for i in range(limits.MAX_DIMENSIONS)]
    weights = [2] * limits.MAX_DIMENSIONS
    return {
        "title": "Everything Engineer",
        "dimensions": [
            {
                "name": name,
                "meets_bar": f"Bar {i}",
                "weight": str(weight),
                "anchors": [f"Level {level}" for level in range(1, 6)],
                "min_score": 2,
            }
            for i, (name, weight) in enumerate(zip(names, weights, strict=True))
        ],
        "competency_areas": [
            {"name": f"Area {i}", "description": "About it"} for i in range(limits.MAX_ITEMS)
        ],
        "exercises": [
            {
                "title": f"Exercise {i}",
                "duration_min": 30,
                "duration_max": 45,
                "prompt": "Do it",
                "look_for": ["One", "Two"],
                "must_cover": ["Three"],
            }
            for i in range(limits.MAX_ITEMS)
        ],
        "signals": {
            kind: [f"{kind} {i}" for i in range(limits.MAX_ITEMS)]
            for kind in ("strong", "weak", "red_flag")
        },
        "stages": [
            {"name": f"Stage {i}", "duration_minutes": 45, "exercise_index": i, "focus": names}
            for i in range(limits.MAX_STAGES)
        ],
        "warnings": ["Check the loop."],
    }


def import_doc(doc) -> RoleRevision:
    raw = json.dumps(doc).encode()
    (loaded,) = services.load_file(raw, "role.json")
    return services.import_parsed(
        loaded.parsed,
        source_name="role.json",
        source_sha256=services.sha256_of(raw),
        extras=loaded.extras,
    ).revision


def edit_url(revision):
    return reverse("roles:edit", args=[revision.role.slug, revision.number])


def post_as_a_browser(client, url, data):
    """The form url-encoded, as a browser sends it (Django counts its fields)."""
    body = urlencode({"csrfmiddlewaretoken": "x", **data}, doseq=True)
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def field_count(data) -> int:
    return sum(len(v) if isinstance(v, list) else 1 for v in data.values())


def test_a_role_at_every_limit_opens_in_the_editor_and_saves(recruiter_client):
    revision = import_doc(largest_doc())
    url = edit_url(revision)
    page = recruiter_client.get(url)
    assert page.status_code == 200
    data = editor_data(revision)
    assert len(data["stages-59-focus_dimensions"]) == limits.MAX_DIMENSIONS
    # Saved as it is, with one change: everything stays, the change is stored.
    data["dimensions-0-name"] = "Renamed"
    response = post_as_a_browser(recruiter_client, url, dict(data, save="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert revision.dimensions.count() == limits.MAX_DIMENSIONS
    assert revision.dimensions.get(order=0).name == "Renamed"
    assert revision.stages.get(order=59).focus_dimensions.count() == limits.MAX_DIMENSIONS
    # The most a browser can send for it: every "Remove" and the warnings box ticked,
    # the CSRF token and a button. That is the bound settings allows, exactly.
    worst = dict(data, save="1")
    worst["settings-clear_warnings"] = "on"
    for key in [k for k in data if k.endswith("-ORDER")]:
        worst[key.replace("-ORDER", "-DELETE")] = "on"
    assert field_count(worst) + 1 == limits.EDITOR_MAX_FIELDS  # + the CSRF token
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= limits.EDITOR_MAX_FIELDS
    # Django takes that many: the live weight total reads the same post, and leaves
    # out every dimension, each ticked "Remove".
    response = post_as_a_browser(recruiter_client, reverse("roles:weight_total"), worst)
    assert response.status_code == 200 and "Weights total 0" in response.content.decode()
    # Every list is full: the page says so by each "Add" button.
    assert page.content.decode().count('data-row-limit="') == 7


def test_focus_checkboxes_show_what_a_stage_focuses_on_and_what_was_refused(recruiter_client):
    doc = role_doc()
    doc["stages"][0]["focus"] = ["Modelling"]
    revision = import_doc(doc)
    sql, modelling = revision.dimensions.order_by("order")
    body = recruiter_client.get(edit_url(revision)).content.decode()
    assert (
        f'<input type="checkbox" name="stages-0-focus_dimensions" value="{sql.pk}" '
        'class="form-check-input" id="id_stages-0-focus_dimensions_0"><label '
        'class="form-check-label small" for="id_stages-0-focus_dimensions_0">SQL</label>'
    ) in body
    assert (
        f'value="{modelling.pk}" class="form-check-input" '
        'id="id_stages-0-focus_dimensions_1" checked>'
    ) in body
    data = editor_data(revision)
    data["stages-0-focus_dimensions"] = [str(sql.pk), "999999"]  # not a dimension of it
    body = post_as_a_browser(recruiter_client, edit_url(revision), dict(data, save="1"))
    body = body.content.decode()
    assert (
        f'value="{sql.pk}" class="form-check-input is-invalid" aria-invalid="true" '
        'id="id_stages-0-focus_dimensions_0" checked>'
    ) in body
    assert list(revision.stages.get().focus_dimensions.all()) == [modelling]


def _full(prefix):
    """role_doc() with as many rows in `prefix` as a revision may hold."""
    doc = role_doc()
    if prefix == "dimensions":
        _many_dimensions(limits.MAX_DIMENSIONS)(doc)
    elif prefix == "stages":
        _stages(limits.MAX_STAGES)(doc)
    else:
        doc["signals"]["red_flag"] = [f"Flag {i}" for i in range(limits.MAX_ITEMS)]
    return doc


@pytest.mark.parametrize(
    ("prefix", "limit", "message"),
    [
        ("dimensions", limits.MAX_DIMENSIONS, "at most 50 dimensions"),
        ("signals_red_flag", limits.MAX_ITEMS, "at most 60 red flags"),
        ("stages", limits.MAX_STAGES, "at most 60 stages"),
    ],
)
def test_the_editor_refuses_a_row_past_the_limit(recruiter_client, prefix, limit, message):
    revision = import_doc(_full(prefix))
    before = services.export_revision(revision)
    data = editor_data(revision)
    data[f"{prefix}-TOTAL_FORMS"] = str(limit + 1)  # one row added in the browser
    extra = {"name": "New", "weight": "1", "text": "New", "ORDER": str(limit + 1)}
    for field, value in extra.items():
        data[f"{prefix}-{limit}-{field}"] = value
    response = post_as_a_browser(recruiter_client, edit_url(revision), dict(data, save="1"))
    assert response.status_code == 400
    body = response.content.decode()
    assert f"A revision holds {message}; remove one and save before adding another." in body
    assert services.export_revision(revision) == before
    # The page says the list is full and its "Add" button is off.
    body = recruiter_client.get(edit_url(revision)).content.decode()
    assert f'data-row-limit="{prefix}">A revision holds {message}.</p>' in body
    assert f'data-add-row="{prefix}" disabled>' in body
    # Without JavaScript, "Add" on a full list adds no row.
    data = editor_data(revision)
    response = post_as_a_browser(recruiter_client, edit_url(revision), dict(data, add=prefix))
    assert response.status_code == 200
    editor = response.context["editor"]
    assert [f.total_form_count() for f in editor.formsets if f.prefix == prefix] == [limit]
    assert services.export_revision(revision) == before


@pytest.mark.parametrize("frozen", [False, True], ids=["draft", "frozen"])
def test_an_edit_whose_export_would_not_import_back_is_not_saved(recruiter_client, frozen):
    revision = import_doc(role_doc())
    if frozen:  # the edit goes to a new draft, which must not be left behind either
        factories.ApplicationFactory(revision=revision)
    before = services.export_revision(revision)
    data = editor_data(revision)
    data["exercises-0-prompt"] = "x" * (limits.MAX_BYTES + 1)
    response = post_as_a_browser(recruiter_client, edit_url(revision), dict(data, save="1"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved. The export is 2.0 MB, over the 2 MB limit for a blueprint." in body
    assert 'value="Schema design"' in body  # the form is shown as it was posted
    assert services.export_revision(revision) == before
    assert RoleRevision.objects.count() == 1


# --- whatever the editor accepts exports and imports back unchanged -------------------

# Texts a browser can send: any character but halves of a UTF-16 pair; NUL, controls,
# line breaks and far planes included. Numbers: typed well, badly and absurdly.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
NUMBER = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.decimals(-1000, 1000, allow_nan=False, places=3).map(str),
    st.sampled_from(["", " ", "1e999999", "9" * 40, "0.001", "12.5", "NaN", "-0", "²"]),
)
FIELDS = {
    **{f"dimensions-0-{f}": TEXT for f in ("name", "meets_bar", "anchor_1", "anchor_3")},
    "dimensions-1-name": TEXT,
    "dimensions-0-weight": NUMBER,
    "dimensions-1-weight": NUMBER,
    "dimensions-0-min_score": st.sampled_from(["", "1", "3", "5", "6", "0", "x"]),
    "areas-0-name": TEXT,
    "areas-0-description": TEXT,
    "exercises-0-title": TEXT,
    # An export over the size an import reads is as easy to make as a long paste.
    "exercises-0-prompt": st.one_of(TEXT, st.just("x" * limits.MAX_BYTES)),
    "exercises-0-look_for_text": TEXT,
    "exercises-0-duration_min": NUMBER,
    "exercises-0-duration_max": NUMBER,
    "stages-0-name": TEXT,
    "stages-0-duration_minutes": NUMBER,
    "signals_strong-0-text": TEXT,
    "settings-min_scorecards": NUMBER,
    "settings-min_coverage_percent": NUMBER,
    "settings-strong_hire": NUMBER,
    "settings-hire": NUMBER,
    "settings-no_hire": NUMBER,
    "settings-red_flag_policy": st.sampled_from(["veto", "warn", "", "ignore"]),
}
EDITS = st.dictionaries(st.sampled_from(sorted(FIELDS)), st.just(None), max_size=8).flatmap(
    lambda keys: st.fixed_dictionaries({key: FIELDS[key] for key in keys})
)
# Weak signals added in the browser: a few, or about as many as a revision may hold.
NEW_ROWS = st.one_of(
    st.lists(TEXT, max_size=2),
    st.integers(limits.MAX_ITEMS - 1, limits.MAX_ITEMS + 1).map(
        lambda n: [f"Weak {i}" for i in range(n)]
    ),
)


def _comparable(data):
    data = dict(data)
    data.pop("revision")
    return data


@settings(
    max_examples=int(os.environ.get("EDITOR_ROUND_TRIP_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS, new_rows=NEW_ROWS)
def test_whatever_the_editor_saves_exports_and_imports_back_unchanged(
    recruiter_client, edits, new_rows
):
    with transaction.atomic():  # each example starts from the same draft
        revision = import_doc(role_doc())
        before = services.export_revision(revision)
        data = editor_data(revision)
        data.update(edits)
        data["signals_weak-TOTAL_FORMS"] = str(len(new_rows))
        for n, text in enumerate(new_rows):
            data[f"signals_weak-{n}-text"] = text
            data[f"signals_weak-{n}-ORDER"] = str(n + 1)
        response = post_as_a_browser(recruiter_client, edit_url(revision), dict(data, save="1"))
        event(f"answered {response.status_code}")
        if response.status_code == 302:
            saved = services.export_revision(revision)
            raw = services.export_json(revision).encode()
            (loaded,) = services.load_file(raw, "edited.json")
            again = services.import_parsed(
                loaded.parsed,
                source_name="edited.json",
                source_sha256=services.sha256_of(raw),
                extras=loaded.extras,
            ).revision
            assert again.number == 2
            assert _comparable(services.export_revision(again)) == _comparable(saved)
        else:  # refused: said why, and nothing changed
            assert response.status_code == 400
            assert services.export_revision(revision) == before
        transaction.set_rollback(True)


# Lines a scraped section 19 may carry: list markers, separators, durations, tables.
LINE = st.lists(
    st.sampled_from(
        [
            "- ",
            "* ",
            "• ",
            "1. ",
            ":",
            "::",
            " – ",
            "|",
            "**",
            "(",
            ")",
            "0",
            "48",
            " min",
            " hours",
            "Case study A",
            "Weight",
            "%",
            " ",
            "\t",
            "Look for:",
            "Must cover:",
        ]
    ),
    max_size=8,
).map("".join)


@settings(
    max_examples=int(os.environ.get("PARSER_LIMITS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(FILES),
    inserts=st.lists(st.tuples(st.integers(0, 150), LINE), min_size=1, max_size=6),
)
@example(name=FILES[0], inserts=[(1, ":")])  # an area with no name
@example(name=FILES[2], inserts=[(8, "Case study A (48 hours)")])  # no stage's length
def test_whatever_the_text_parser_reads_keeps_every_limit(name, inserts):
    lines = blueprint_bytes(name).decode("utf-8", "replace").split("\n")
    start = next(n for n, line in enumerate(lines) if "hiring evaluation criteria" in line.lower())
    for offset, line in inserts:
        lines.insert(min(start + 1 + offset, len(lines)), line)
    try:
        parsed = parse_blueprint("\n".join(lines).encode(), name)
    except BlueprintError:
        return
    limits.check_role(parsed)
