"""Weights are written one way on every page that shows them (roles.weights.format_percent,
the `weight` template filter): 25 and 17.5, never 25.00 or 17.50. The panel's JSON and the
CSV keep their own contract (numbers with two decimals)."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roles.models import Dimension, RoleRevision
from tests.roles.conftest import F003, blueprint_bytes
from tests.scorecards.builders import build_loop
from tests.scorecards.test_detail import submitted_card

pytestmark = pytest.mark.django_db

WEIGHTS = [Decimal("25"), Decimal("17.5"), Decimal("40"), Decimal("17.5")]
# A weight with trailing zeros, as Decimal("17.50") or Decimal("25.00") prints.
PADDED = re.compile(r"\b(?:25|17|40)\.(?:00|50)\b")


@pytest.fixture
def loop(interviewer):
    loop = build_loop(interviewer)
    for dimension, weight in zip(loop.dimensions, WEIGHTS, strict=True):
        Dimension.objects.filter(pk=dimension.pk).update(weight=weight)
    return loop


def test_the_role_page_writes_weights_as_people_do(recruiter_client, loop):
    body = recruiter_client.get(loop.revision.get_absolute_url()).content.decode()
    assert '<td class="text-end">25</td>' in body and '<td class="text-end">17.5</td>' in body
    assert "weights total 100" in body
    assert not PADDED.search(body)


def test_the_editor_boxes_write_weights_as_people_do(recruiter_client, loop):
    RoleRevision.objects.filter(pk=loop.revision.pk).update(status="draft")
    loop.application.delete()
    url = reverse("roles:edit", args=[loop.revision.role.slug, loop.revision.number])
    body = recruiter_client.get(url).content.decode()
    assert body.count('value="17.5"') == 2 and 'value="25"' in body
    assert not PADDED.search(body)


def test_the_role_list_writes_the_total_as_people_do(recruiter_client, loop):
    Dimension.objects.filter(pk=loop.dimensions[0].pk).update(weight=Decimal("24.5"))
    body = recruiter_client.get(reverse("roles:list")).content.decode()
    assert "weights total 99.5, not 100" in body and "99.50" not in body


def test_the_panel_writes_weights_as_people_do_and_its_json_keeps_two_decimals(
    recruiter_client, loop
):
    submitted_card(loop)
    body = recruiter_client.get(reverse("hiring:panel", args=[loop.application.pk])).content
    body = body.decode()
    assert "(17.5%)" in body and "(25%)" in body  # the dimension × interviewer matrix
    assert "weight 17.5" in body  # the explanation
    assert not PADDED.search(body)
    data = recruiter_client.get(reverse("hiring:panel_json", args=[loop.application.pk])).json()
    assert [d["weight"] for d in data["dimensions"]] == ["25.00", "17.50", "40.00", "17.50"]


def test_the_import_preview_and_its_warning_write_weights_as_people_do(recruiter_client):
    upload = SimpleUploadedFile(F003, blueprint_bytes(F003), content_type="text/plain")
    body = recruiter_client.post(reverse("roles:import"), {"file": upload}).content.decode()
    assert "equal weights (12.5 each)" in body
    assert body.count('value="12.5"') == 8
    assert "12.50" not in body
