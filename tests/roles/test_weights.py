"""roles/weights.py: the one rule for dimension weights, and every place that applies it
(the parser's warning, publishing, the live total of the editor, the role list and page)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from roles.blueprint import parse_blueprint
from roles.models import RoleRevision
from roles.weights import WEIGHT_TOTAL, WeightTotal, weight_in_range, weights_total_ok
from tests import factories
from tests.roles.conftest import F002, blueprint_bytes


def test_the_total_must_be_exactly_one_hundred():
    assert WEIGHT_TOTAL == Decimal("100")
    assert weights_total_ok(Decimal("100.00"))
    assert not weights_total_ok(Decimal("99.99")) and not weights_total_ok(Decimal("100.01"))


def test_a_weight_is_a_finite_percentage():
    assert [weight_in_range(Decimal(x)) for x in ("0", "12.5", "100", "-0.01", "100.01")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert not weight_in_range(Decimal("NaN")) and not weight_in_range(Decimal("Infinity"))


@pytest.mark.parametrize(
    "weights, ok, display, gap, over",
    [
        (["60", "40"], True, "100", "0", False),
        (["60", "39.5"], False, "99.5", "0.5", False),
        (["60", "40.25", "0.5"], False, "100.75", "0.75", True),
        ([], False, "0", "100", False),
    ],
)
def test_weight_total_says_how_far_from_the_target(weights, ok, display, gap, over):
    total = WeightTotal.of(Decimal(w) for w in weights)
    assert (total.ok, str(total), total.gap, total.over, total.target) == (
        ok,
        display,
        gap,
        over,
        "100",
    )


def test_an_invalid_total_is_never_ok():
    assert not WeightTotal(Decimal("100"), invalid=True).ok


@pytest.mark.django_db
def test_every_place_applies_the_same_rule_to_a_total_of_99_5(recruiter_client):
    text = blueprint_bytes(F002).decode("utf-8").replace("| 20% |", "| 19.5% |", 1)
    assert "19.5%" in text
    parsed = parse_blueprint(text, F002)
    assert "The dimension weights total 99.5, not 100;" in " ".join(parsed.warnings)

    revision = factories.RoleRevisionFactory(status=RoleRevision.Status.DRAFT)
    factories.DimensionFactory(revision=revision, weight=Decimal("60"))
    factories.DimensionFactory(revision=revision, weight=Decimal("39.5"))
    assert "The dimension weights total 99.5, not 100." in revision.publish_problems()

    live = recruiter_client.post(
        reverse("roles:weight_total"),
        {"dimensions-TOTAL_FORMS": "2", "dimensions-0-weight": "60", "dimensions-1-weight": "39.5"},
    ).content.decode()
    assert "Weights total 99.5" in live and "Must be 100 to publish (0.5 to go)." in live

    listing = recruiter_client.get(reverse("roles:list")).content.decode()
    assert "weights total 99.5, not 100" in listing
    page = recruiter_client.get(revision.get_absolute_url()).content.decode()
    assert '(weights total 99.5, <span class="text-danger">must be 100</span>)' in page
