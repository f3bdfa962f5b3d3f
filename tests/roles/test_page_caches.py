"""The role list and role page cache what they render, under keys that change with it:
the list's rows are cached under the rows themselves, the role page's content sections
under the revision (non-drafts only, roles.content). Each change shows at once, and no
viewer sees what another was shown."""

import re

import pytest
from django.urls import reverse

from roles.models import Dimension, Role, RoleRevision
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db


def _rows(body: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", body.split("<tbody>")[1], re.S)


def test_role_list_shows_every_change_at_once(recruiter_client):
    """Changes made with update() send no signal: only the key can notice them."""
    revision = factories.RoleRevisionFactory(status="draft", role__title="Alpha role")
    dimension = factories.DimensionFactory(revision=revision, weight=40)
    url = reverse("roles:list")
    body = recruiter_client.get(url).content.decode()
    assert '<span class="text-danger fw-semibold">40</span>' in body
    assert _rows(recruiter_client.get(url).content.decode()) == _rows(body)  # from the cache

    Dimension.objects.filter(pk=dimension.pk).update(weight=100)
    body = recruiter_client.get(url).content.decode()
    assert '<td class="text-end">100</td>' in body
    Role.objects.filter(pk=revision.role_id).update(title="Beta role")
    RoleRevision.objects.filter(pk=revision.pk).update(
        status=RoleRevision.Status.PUBLISHED, import_warnings=["Check the weights"]
    )
    body = recruiter_client.get(url).content.decode()
    assert "Beta role" in body and "Alpha role" not in body
    assert f"r{revision.number} published" in body
    assert "1 warning" in body
    factories.RoleRevisionFactory(role__title="Gamma role")
    assert len(_rows(recruiter_client.get(url).content.decode())) == 2


def test_role_list_rows_cached_for_a_recruiter_are_not_shown_to_an_interviewer(
    client, recruiter, interviewer
):
    loop = build_loop(interviewer)
    RoleRevision.objects.filter(pk=loop.revision.pk).update(import_warnings=["Odd weights"])
    url = reverse("roles:list")
    client.force_login(recruiter)
    assert "1 warning" in client.get(url).content.decode()
    client.force_login(interviewer)
    (row,) = _rows(client.get(url).content.decode())
    assert loop.revision.role.title in row
    assert "warning" not in row and row.count("<td") == 5


def test_role_page_shows_a_saved_row_of_a_published_revision_at_once(recruiter_client):
    loop = build_loop()
    url = reverse("roles:detail", args=[loop.revision.role.slug])
    assert "System design" in recruiter_client.get(url).content.decode()
    dimension = loop.dimensions[0]
    dimension.name = "Systems thinking"
    dimension.save()
    loop.other_stage.focus_dimensions.add(loop.dimensions[3])
    body = recruiter_client.get(url).content.decode()
    assert "Systems thinking" in body and "System design<" not in body
    assert body.count("Security mindset</span>") == 1  # the new focus of the other stage


def test_role_page_keeps_the_revisions_own_fields_out_of_the_cache(recruiter_client):
    """The admin may still change a published revision's settings."""
    loop = build_loop()
    url = reverse("roles:detail", args=[loop.revision.role.slug])
    assert "needs 2 submitted scorecards" in recruiter_client.get(url).content.decode()
    RoleRevision.objects.filter(pk=loop.revision.pk).update(min_scorecards=3)
    assert "needs 3 submitted scorecards" in recruiter_client.get(url).content.decode()


def test_role_page_of_a_draft_is_never_cached(recruiter_client):
    revision = factories.RoleRevisionFactory(status="draft")
    dimension = factories.DimensionFactory(revision=revision, name="First name")
    url = reverse("roles:detail", args=[revision.role.slug])
    assert "First name" in recruiter_client.get(url).content.decode()
    Dimension.objects.filter(pk=dimension.pk).update(name="Second name")  # no signal
    assert "Second name" in recruiter_client.get(url).content.decode()


def test_role_page_cached_for_a_recruiter_is_not_shown_to_an_interviewer(
    client, recruiter, interviewer
):
    loop = build_loop(interviewer)
    url = reverse("roles:detail", args=[loop.revision.role.slug])
    client.force_login(recruiter)
    body = client.get(url).content.decode()
    assert loop.stage.name in body and loop.other_stage.name in body
    client.force_login(interviewer)
    body = client.get(url).content.decode()
    assert loop.stage.name in body and loop.other_stage.name not in body
    client.force_login(recruiter)
    assert loop.other_stage.name in client.get(url).content.decode()
