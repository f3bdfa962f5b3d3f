"""roles.services: importing parsed blueprints, exporting and re-importing, copying."""

import json
from decimal import Decimal

import pytest

from roles import services
from roles.blueprint import BlueprintError, parse_blueprint
from roles.models import (
    CompetencyArea,
    Dimension,
    Exercise,
    InterviewStage,
    Role,
    RoleRevision,
    Signal,
)
from tests import factories
from tests.roles.conftest import (
    F002,
    F003,
    FILES,
    README_DIMENSIONS,
    README_TITLES,
    blueprint_bytes,
    import_file,
    import_reviewed,
)

pytestmark = pytest.mark.django_db


def _dims(revision):
    return [(d.name, f"{d.weight.normalize():f}") for d in revision.dimensions.order_by("order")]


@pytest.mark.parametrize("name", FILES)
def test_import_stores_the_readme_dimensions_and_a_default_loop(name):
    result = import_file(name)
    revision = result.revision
    assert result.created
    assert revision.role.title == README_TITLES[name]
    assert revision.number == 1 and revision.status == RoleRevision.Status.DRAFT
    assert _dims(revision) == README_DIMENSIONS[name]
    assert revision.source_name == name
    assert revision.source_sha256 == services.sha256_of(blueprint_bytes(name))
    parsed = parse_blueprint(blueprint_bytes(name), name)
    assert revision.import_warnings == parsed.warnings
    # One stage per exercise, with its duration, focused on the parser's suggestion.
    stages = list(revision.stages.order_by("order").prefetch_related("focus_dimensions"))
    assert [s.name for s in stages] == [e.title for e in parsed.exercises]
    for stage, suggested in zip(stages, parsed.stages, strict=True):
        assert stage.duration_minutes == suggested.duration_minutes
        assert stage.exercise.title == parsed.exercises[suggested.exercise_index].title
        assert sorted(d.name for d in stage.focus_dimensions.all()) == sorted(suggested.focus)
    assert revision.competency_areas.count() == len(parsed.competency_areas)
    for kind in Signal.Kind.values:
        texts = list(
            revision.signals.filter(kind=kind).order_by("order").values_list("text", flat=True)
        )
        assert texts == parsed.signals[kind]
    exercise = revision.exercises.order_by("order").first()
    assert exercise.look_for == parsed.exercises[0].look_for


def test_file_003_without_weights_gets_equal_weights_and_says_so():
    revision = import_file(F003).revision
    assert {d.weight for d in revision.dimensions.all()} == {Decimal("12.50")}
    assert any("equal weights" in w for w in revision.import_warnings)


def test_importing_the_same_file_twice_creates_nothing_new():
    first = import_file(F002)
    counts = [m.objects.count() for m in (Role, RoleRevision, Dimension, InterviewStage, Signal)]
    second = import_file(F002)
    assert not second.created
    assert second.revision == first.revision
    assert [
        m.objects.count() for m in (Role, RoleRevision, Dimension, InterviewStage, Signal)
    ] == counts


def test_a_changed_file_for_an_existing_role_becomes_a_new_draft_revision():
    first = import_reviewed(F002, publish=True).revision
    changed = blueprint_bytes(F002).replace(b"Leadership & influence", b"Leadership & impact")
    result = services.import_parsed(
        parse_blueprint(changed, "lead-v2.txt"),
        source_name="lead-v2.txt",
        source_sha256=services.sha256_of(changed),
    )
    assert result.created
    assert result.revision.role == first.role
    assert result.revision.number == 2 and result.revision.is_draft
    assert "Leadership & impact" in [d.name for d in result.revision.dimensions.all()]
    first.refresh_from_db()
    assert first.status == RoleRevision.Status.PUBLISHED
    assert "Leadership & influence" in [d.name for d in first.dimensions.all()]


def test_import_with_publish_archives_the_previous_published_revision():
    first = import_reviewed(F002, publish=True).revision
    assert first.status == RoleRevision.Status.PUBLISHED and first.published_at
    changed = blueprint_bytes(F002) + b"\n"
    second = services.import_parsed(
        parse_blueprint(changed, "lead.txt"),
        source_name="lead.txt",
        source_sha256=services.sha256_of(changed),
        publish=True,
        dismissals=services.builtin_reviews()[F002],
    ).revision
    first.refresh_from_db()
    assert second.status == RoleRevision.Status.PUBLISHED
    assert first.status == RoleRevision.Status.ARCHIVED


def test_publish_that_is_refused_leaves_a_draft_and_says_why():
    parsed = parse_blueprint(blueprint_bytes(F002), F002)
    parsed.dimensions[0].weight = Decimal("5")
    result = services.import_parsed(parsed, source_name=F002, source_sha256="x" * 64, publish=True)
    assert result.created and result.revision.is_draft
    assert "weights total 85, not 100" in result.publish_error


def test_reimporting_a_draft_with_publish_publishes_it():
    draft = import_file(F002).revision
    assert import_file(F002, publish=True).publish_error  # its warnings are open
    again = import_reviewed(F002, publish=True)
    assert not again.created
    draft.refresh_from_db()
    assert draft.status == RoleRevision.Status.PUBLISHED


@pytest.mark.parametrize("name", FILES)
def test_import_takes_a_fixed_number_of_queries_and_a_repeat_one(
    name, django_assert_max_num_queries
):
    # Bulk inserts: the count does not grow with dimensions, exercises or signals.
    # 33: three of them record the recruiter's dismissals of the warnings and check them.
    with django_assert_max_num_queries(33):
        assert import_reviewed(name, publish=True).revision.status == "published"
    with django_assert_max_num_queries(1):
        assert not import_reviewed(name, publish=True).created


def test_weights_out_of_range_or_duplicate_names_are_refused():
    parsed = parse_blueprint(blueprint_bytes(F002), F002)
    parsed.dimensions[0].weight = Decimal("150")
    with pytest.raises(BlueprintError, match="weights are percentages from 0 to 100"):
        services.import_parsed(parsed, source_name=F002, source_sha256="")
    parsed.dimensions[0].weight = Decimal("20")
    parsed.dimensions[1].name = parsed.dimensions[0].name.upper()
    with pytest.raises(BlueprintError, match="two dimensions are called"):
        services.import_parsed(parsed, source_name=F002, source_sha256="")
    assert not Role.objects.exists()


def test_texts_longer_than_their_column_are_refused_not_cut():
    # Cutting would change an export on its way back in, and a cut slug could name
    # another role; roles.blueprint.limits says how long each may be.
    parsed = parse_blueprint(blueprint_bytes(F002), F002)
    parsed.exercises[0].title = "A very long exercise title " * 20
    with pytest.raises(
        BlueprintError, match="the title of exercise 1 is 540 characters long; a title"
    ):
        services.import_parsed(parsed, source_name=F002, source_sha256="")
    assert not Role.objects.exists()


def _customise(revision):
    """Edits a recruiter may make after import, all of which an export must carry."""
    dims = list(revision.dimensions.order_by("order"))
    dims[0].anchors = ["Lost", "Shaky", "", "Strong", "Outstanding"]
    dims[0].min_score = 3
    dims[0].save()
    dims[1].weight = Decimal("14.5")
    dims[2].weight = Decimal("15.5")
    dims[1].save()
    dims[2].save()
    stage = revision.stages.order_by("order").first()
    stage.focus_dimensions.set(dims[5:7])
    stage.exercise = None
    stage.save()
    revision.red_flag_policy = RoleRevision.RedFlagPolicy.WARN
    revision.min_scorecards = 3
    revision.min_coverage = Decimal("0.85")
    revision.thresholds = {"strong_hire": "4.2", "hire": "3.1", "no_hire": "2"}
    revision.save()


def _comparable(data):
    data = dict(data)
    data.pop("revision")
    return data


def test_export_then_import_gives_an_identical_revision():
    original = import_file(F002, publish=True).revision
    _customise(original)
    exported = services.export_revision(original)
    raw = json.dumps(exported).encode()
    (loaded,) = services.load_file(raw, "lead.json")
    result = services.import_parsed(
        loaded.parsed,
        source_name="lead.json",
        source_sha256=services.sha256_of(raw),
        extras=loaded.extras,
    )
    assert result.created and result.revision.number == 2
    assert _comparable(services.export_revision(result.revision)) == _comparable(exported)
    dim = result.revision.dimensions.order_by("order").first()
    assert dim.anchor(1) == "Lost" and dim.anchor(3) == dim.meets_bar and dim.min_score == 3
    assert result.revision.red_flag_policy == "warn"
    assert result.revision.min_coverage == Decimal("0.85")


def test_export_into_an_empty_database_recreates_the_role():
    original = import_file(F003).revision
    _customise(original)
    exported = services.export_revision(original)
    Role.objects.all().delete()
    (loaded,) = services.load_file(json.dumps(exported).encode(), "architect.json")
    revision = services.import_parsed(
        loaded.parsed, source_name="architect.json", source_sha256="", extras=loaded.extras
    ).revision
    assert revision.number == 1
    assert revision.role.summary == exported["summary"]
    assert _comparable(services.export_revision(revision)) == _comparable(exported)


def test_the_dry_run_json_of_a_blueprint_imports_back():
    parsed = parse_blueprint(blueprint_bytes(F002), F002)
    raw = json.dumps([parsed.to_json(F002)]).encode()
    (loaded,) = services.load_file(raw, "dry-run.json")
    assert [d.name for d in loaded.parsed.dimensions] == [d.name for d in parsed.dimensions]
    assert loaded.parsed.stages == parsed.stages


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "is not valid JSON"),
        (b"[]", "holds no role"),
        (b'{"title": "X"}', '"dimensions" must be a non-empty list'),
        (
            b'{"title": "X", "dimensions": [{"name": "A", "weight": "100", "anchors": [1]}]}',
            "at most five anchor texts",
        ),
        (
            b'{"title": "X", "dimensions": [{"name": "A", "weight": "100", "min_score": 7}]}',
            "min_score from 1 to 5",
        ),
        (
            b'{"title": "X", "dimensions": [{"name": "A", "weight": "100"}],'
            b' "settings": {"red_flag_policy": "ignore"}}',
            "red flag policy must be veto or warn",
        ),
        (
            b'{"title": "X", "dimensions": [{"name": "A", "weight": "100"}],'
            b' "settings": {"thresholds": {"strong_hire": "2", "hire": "3", "no_hire": "1"}}}',
            "thresholds must go down",
        ),
    ],
)
def test_bad_exports_are_refused_with_one_sentence(payload, message):
    with pytest.raises(BlueprintError, match=message) as info:
        services.load_file(payload, "role.json")
    assert str(info.value).startswith("role.json")


def test_clone_copies_everything_and_leaves_the_original_alone():
    original = import_reviewed(F002, publish=True).revision
    _customise(original)
    recruiter = factories.RecruiterFactory()
    pk_map = {}
    copy = services.clone_revision(original, recruiter, pk_map)
    assert copy.number == 2 and copy.is_draft and copy.based_on == original
    assert copy.created_by == recruiter and copy.source_sha256 == ""
    assert _comparable(services.export_revision(copy)) == _comparable(
        services.export_revision(original)
    )
    assert set(pk_map["dimensions"]) == set(original.dimensions.values_list("pk", flat=True))
    assert set(pk_map["dimensions"].values()) == set(copy.dimensions.values_list("pk", flat=True))
    assert set(pk_map["stages"].values()) == set(copy.stages.values_list("pk", flat=True))
    original.refresh_from_db()
    assert original.status == RoleRevision.Status.PUBLISHED
    assert CompetencyArea.objects.filter(revision=copy).count() == (
        original.competency_areas.count()
    )
    assert Exercise.objects.filter(revision=copy).count() == original.exercises.count()
    # The same warnings, dismissed with the same reasons: the copy publishes as it is.
    assert copy.import_warnings == original.import_warnings
    assert copy.open_warnings() == []
    assert list(copy.warning_dismissals.values_list("key", "reason", "dismissed_at")) == list(
        original.warning_dismissals.values_list("key", "reason", "dismissed_at")
    )


def test_a_blueprint_that_starts_with_a_bracket_is_still_read_as_text():
    data = b"[Skip to content]\n" + blueprint_bytes(F002)
    (loaded,) = services.load_file(data, "lead.txt")
    assert loaded.parsed.title == "Lead AI Engineer" and loaded.extras is None
    with pytest.raises(BlueprintError, match="lead.json is not valid JSON"):
        services.load_file(data, "lead.json")
    with pytest.raises(BlueprintError, match="lead.txt is not valid JSON"):
        services.load_file(data, "lead.txt", as_json=True)


def test_builtin_roles_import_published_once():
    recruiter = factories.RecruiterFactory()
    first = services.import_builtin_roles(user=recruiter)
    assert [r.revision.role.title for r in first] == [README_TITLES[name] for name in FILES]
    assert all(r.created and r.publish_error is None for r in first)
    assert RoleRevision.objects.published().count() == 5
    # Each says which blueprint it came from, not the file's hashed name.
    assert [r.revision.source_name for r in first] == [
        f"Built-in blueprint: {README_TITLES[name]}" for name in FILES
    ]
    second = services.import_builtin_roles()
    assert not any(r.created for r in second)
    assert RoleRevision.objects.count() == 5


# --- one JSON shape for export and import (roles.blueprint.json_format) -------------


def _content(revision):
    """Everything an import stores of a revision, without ids, numbers or dates."""
    data = services.export_revision(revision)
    data.pop("revision")
    return data


def test_every_built_in_role_exported_into_an_empty_database_imports_back_identical():
    exported = [services.export_revision(r.revision) for r in services.import_builtin_roles()]
    Role.objects.all().delete()
    raw = json.dumps(exported).encode()
    loaded = services.load_file(raw, "library.json")
    assert len(loaded) == 5
    for item, original in zip(loaded, exported, strict=True):
        result = services.import_parsed(
            item.parsed, source_name="library.json", source_sha256="", extras=item.extras
        )
        assert result.created
        original = dict(original)
        assert original.pop("revision")["status"] == "published"
        assert _content(result.revision) == original


def test_export_names_its_format_and_an_import_refuses_another():
    data = services.export_revision(import_file(F002).revision)
    assert (data["format"], data["format_version"]) == ("scorecards-role-export", 1)
    assert parse_blueprint(blueprint_bytes(F002), F002).to_json()["format"] == data["format"]
    for key, value, message in (
        ("format", "something-else", '"format" must be "scorecards-role-export"'),
        ("format_version", 2, '"format_version" must be a whole number up to 1'),
    ):
        broken = dict(data, **{key: value})
        with pytest.raises(BlueprintError, match=message):
            services.load_file(json.dumps(broken).encode(), "odd.json")


def test_a_loaded_export_writes_the_same_json_it_was_read_from():
    original = import_file(F003).revision
    _customise(original)
    exported = services.export_revision(original)
    exported.pop("revision")
    (loaded,) = services.load_file(json.dumps(exported).encode(), "architect.json")
    assert loaded.to_json("") == exported


def test_every_warning_of_the_built_in_roles_is_dismissed_by_the_recruiter_with_a_reason():
    reviews = services.builtin_reviews()
    assert sorted(reviews) == FILES
    recruiter = factories.RecruiterFactory()
    for result, name in zip(services.import_builtin_roles(user=recruiter), FILES, strict=True):
        revision = result.revision
        assert revision.import_warnings, name  # each file has something to check
        assert revision.open_warnings() == []
        dismissals = {d.text: d for d in revision.warning_dismissals.all()}
        # Every warning the parser gives has its reason, and no reason is left over.
        assert sorted(dismissals) == sorted(revision.import_warnings) == sorted(reviews[name])
        for text, dismissal in dismissals.items():
            assert dismissal.reason == reviews[name][text]
            assert dismissal.dismissed_by == recruiter and dismissal.dismissed_at
    architect = RoleRevision.objects.get(role__title="Senior AI Architect")
    equal = architect.warning_dismissals.get(text__contains="equal weights")
    assert equal.reason.startswith("Equal weights confirmed by the recruiter")
    assert set(architect.dimensions.values_list("weight", flat=True)) == {Decimal("12.5")}
