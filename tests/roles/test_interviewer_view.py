"""Interviewers view the roles they interview for, and only their stages of them
(DESIGN, "Who may do what": roles: view, "stages they interview for")."""

import pytest
from django.urls import reverse

from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(interviewer):
    return build_loop(interviewer)


def test_an_interviewer_sees_only_their_roles_and_stages(client, interviewer, loop):
    other_role = factories.RoleRevisionFactory(status="published").role
    client.force_login(interviewer)

    listing = client.get(reverse("roles:list")).content.decode()
    assert loop.revision.role.title in listing
    assert other_role.title not in listing
    assert 'href="/roles/import/"' not in listing

    page = client.get(loop.revision.role.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "The stages you interview for" in body
    assert loop.stage.name in body
    assert loop.other_stage.name not in body
    if loop.other_stage.exercise and loop.other_stage.exercise != loop.stage.exercise:
        assert loop.other_stage.exercise.title not in body
    assert "Revision history" not in body
    assert reverse("hiring:pipeline", args=[loop.revision.role.slug]) not in body
    assert [s.pk for s in page.context["stages"]] == [loop.stage.pk]

    assert client.get(other_role.get_absolute_url()).status_code == 404


def test_an_interviewer_cannot_open_a_revision_they_do_not_interview_on(client, interviewer, loop):
    draft = factories.RoleRevisionFactory(
        role=loop.revision.role, number=loop.revision.number + 1, status="draft"
    )
    client.force_login(interviewer)
    listing = client.get(reverse("roles:list")).content.decode()
    assert f"r{draft.number} draft" not in listing
    assert "Warnings" not in listing
    url = loop.revision.role.get_absolute_url()
    assert client.get(f"{url}?revision={draft.number}").status_code == 404
    assert client.get(f"{url}?revision={loop.revision.number}").status_code == 200


def test_an_interviewer_with_no_interviews_sees_an_empty_library(client, interviewer):
    factories.RoleRevisionFactory(status="published")
    client.force_login(interviewer)
    response = client.get(reverse("roles:list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "No interviews are assigned to you yet" in response.content.decode()


def test_hiring_managers_still_see_every_stage(manager_client, loop):
    body = manager_client.get(loop.revision.role.get_absolute_url()).content.decode()
    assert "Interview loop" in body
    assert loop.stage.name in body and loop.other_stage.name in body
