"""Anchors at every level, proposed from the blueprint (roles.blueprint.anchors): each of
the five built-in roles ships five distinct anchors per dimension, each traceable to the
line of its blueprint it came from; the JSON shape and export_role carry them."""

import json
import re
from pathlib import Path

import pytest

from roles import services
from roles.blueprint import decode_bytes, parse_blueprint
from roles.blueprint.anchors import find_behaviours, split_source
from roles.models import LEVEL_LABELS, Dimension, RoleRevision
from tests import factories

BLUEPRINTS = Path(__file__).resolve().parents[2] / "roles" / "blueprints"
FILES = sorted(BLUEPRINTS.glob("0*.txt"))


def _flat(text: str) -> str:
    # Sources are cleaned lines: markdown and runs of spaces out, as clean() does.
    return re.sub(r"\s+", " ", text.replace("**", "").replace("`", ""))


@pytest.mark.django_db
def test_every_built_in_dimension_has_five_distinct_anchors_each_from_a_blueprint_line():
    services.import_builtin_roles(user=factories.RecruiterFactory())
    revisions = list(RoleRevision.objects.published())
    assert len(revisions) == 5
    texts = {
        services.builtin_source_name(parse_blueprint(p.read_bytes(), p.name).title): _flat(
            decode_bytes(p.read_bytes(), p.name)
        )
        for p in FILES
    }
    dimensions = list(Dimension.objects.filter(revision__in=revisions).select_related("revision"))
    assert len(dimensions) == 38
    for d in dimensions:
        anchors = [d.anchor(level) for level in range(1, 6)]
        assert len(set(anchors)) == 5, (d.name, anchors)
        assert not set(anchors) & set(LEVEL_LABELS.values()), (d.name, anchors)
        text = texts[d.revision.source_name]
        for level, anchor in enumerate(anchors, 1):
            where, line = split_source(d.anchor_source(level))
            assert where and line, (d.name, level)
            # The line is the blueprint's, and the anchor is what that line says.
            assert _flat(line.rstrip("…")) in text, (d.name, level, line)
            assert anchor.rstrip(".…")[1:40] in line, (d.name, level, anchor, line)
        assert d.anchor_source(3).startswith("Scorecard dimensions: ")
        assert d.anchor_source(2).startswith("Weak candidate signals: ")
        assert d.anchor_source(1).startswith("Red flags: ")


def test_the_soft_skills_blocks_of_every_built_in_blueprint_are_read():
    for path in FILES:
        behaviours = find_behaviours(decode_bytes(path.read_bytes(), path.name))
        assert len(behaviours) >= 8, path.name
        assert all(b.name and b.shows and b.strong for b in behaviours), path.name


def test_a_dimension_no_line_matches_gets_a_guess_and_a_warning():
    text = (
        "Role\n19) Hiring Evaluation Criteria\nStrong candidate signals\n- Ships measured wins.\n"
        "Weak candidate signals\n- Vague about metrics.\nRed flags\n- Blames others.\n"
        "Scorecard dimensions\n| Dimension | What meets bar looks like | Weight |\n|---|---|---|\n"
        "| Metrics | Picks measured targets | 50% |\n| Kayaking | Paddles well | 50% |\n"
        "20) Final Role Scorecard Summary\n| Role title | Analyst |\n"
    )
    bp = parse_blueprint(text, "t.txt")
    metrics, kayaking = bp.dimensions
    assert metrics.anchors == [
        "Blames others.",
        "Vague about metrics.",
        "",
        "",
        "Ships measured wins.",
    ]
    assert metrics.anchor_sources[1] == "Weak candidate signals: Vague about metrics."
    # Nothing speaks of kayaking: the lines are proposed anyway, and the warning says so.
    assert kayaking.anchors[0] == "Blames others."
    assert any('levels 1, 2 and 5 anchors of "Kayaking" are guesses' in w for w in bp.warnings)
    # "Blames others." shares no word with Metrics either: a guess, said so.
    assert 'The level 1 anchor of "Metrics" is a guess' in " ".join(bp.warnings)
    # One strong signal cannot be both level 4 and level 5 of one dimension.
    assert metrics.anchors[3] == ""
    assert any('level 4 anchor of "Metrics" keeps its generic label' in w for w in bp.warnings)


@pytest.mark.django_db
def test_export_and_json_import_carry_the_anchors_and_their_sources(tmp_path):
    path = FILES[2]
    first = services.import_parsed(
        parse_blueprint(path.read_bytes(), path.name),
        source_name=path.name,
        source_sha256=services.sha256_of(path.read_bytes()),
    ).revision
    dim = first.dimensions.order_by("order").first()
    dim.anchors = ["Typed 1", dim.anchors[1], "", dim.anchors[3], "Typed 5"]
    dim.anchor_sources = [
        "",
        dim.anchor_sources[1],
        dim.anchor_sources[2],
        dim.anchor_sources[3],
        "",
    ]
    dim.save()
    exported = services.export_revision(first)
    row = exported["dimensions"][0]
    assert row["anchors"] == dim.anchors and row["anchor_sources"] == dim.anchor_sources
    data = json.dumps(exported).encode()
    (loaded,) = services.load_file(data, "export.json")
    again = services.import_parsed(
        loaded.parsed, source_name="export.json", source_sha256="x" * 64, extras=loaded.extras
    ).revision
    assert again.pk != first.pk
    for a, b in zip(
        first.dimensions.order_by("order"), again.dimensions.order_by("order"), strict=True
    ):
        assert (a.anchors, a.anchor_sources) == (b.anchors, b.anchor_sources)
    # And the round trip is exact: the second export is the first, but for the revision.
    second = services.export_revision(again)
    assert {k: v for k, v in second.items() if k != "revision"} == {
        k: v for k, v in exported.items() if k != "revision"
    }


def test_json_refuses_more_than_five_anchor_sources():
    from roles.blueprint import BlueprintError

    bad = {"title": "X", "dimensions": [{"name": "A", "weight": "100", "anchor_sources": [""] * 6}]}
    with pytest.raises(BlueprintError, match="at most five anchor source texts"):
        services.load_file(json.dumps(bad).encode(), "x.json")
