"""The role library list and role page: what recruiters and hiring managers see."""

import pytest
from django.urls import reverse

from roles.models import Signal
from tests import factories

pytestmark = pytest.mark.django_db


def make_role(title="Lead AI Engineer", dimensions=3):
    revision = factories.RoleRevisionFactory(
        role__title=title, role__slug=title.lower().replace(" ", "-")
    )
    weights = [40, 30, 30] + [0] * (dimensions - 3)
    dims = [factories.DimensionFactory(revision=revision, weight=w) for w in weights]
    factories.InterviewStageFactory(revision=revision, focus_dimensions=dims[:1])
    factories.SignalFactory(revision=revision, kind=Signal.Kind.RED_FLAG, text="Blames others")
    return revision


def test_role_list_shows_counts_and_weight_total(recruiter_client):
    revision = make_role()
    body = recruiter_client.get(reverse("roles:list")).content.decode()
    assert "Lead AI Engineer" in body
    assert '<td class="text-end">3</td>' in body  # dimensions
    assert '<td class="text-end">100</td>' in body  # weight total
    assert f"r{revision.number} published" in body


def test_role_list_queries_do_not_grow_with_roles(recruiter_client, django_assert_max_num_queries):
    for n in range(3):
        make_role(f"Role {n}")
    with django_assert_max_num_queries(6) as small:
        recruiter_client.get(reverse("roles:list"))
    for n in range(3, 12):
        make_role(f"Role {n}", dimensions=8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        recruiter_client.get(reverse("roles:list"))


def test_role_page_shows_scorecard_loop_and_signals(manager_client):
    revision = make_role()
    body = manager_client.get(reverse("roles:detail", args=[revision.role.slug])).content.decode()
    assert "Blames others" in body
    assert "Stage" in body and "Focus:" in body
    assert revision.dimensions.first().name in body


def test_unknown_role_and_revision_answer_404(recruiter_client):
    revision = make_role()
    assert recruiter_client.get(reverse("roles:detail", args=["nope"])).status_code == 404
    url = reverse("roles:detail", args=[revision.role.slug])
    assert recruiter_client.get(url + "?revision=99").status_code == 404
    assert recruiter_client.get(url + "?revision=abc").status_code == 404


def test_interviewer_may_not_browse_the_role_library(interviewer_client):
    assert interviewer_client.get(reverse("roles:list")).status_code == 403
