"""Opening an application: a published revision, pinned; a hiring manager from the group."""

import pytest
from django.urls import reverse

from hiring.models import Application
from roles.models import RoleRevision
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(db):
    return factories.CandidateFactory(name="Ada Lovelace")


def apply_url(candidate):
    return reverse("hiring:application_add", args=[candidate.pk])


def test_recruiter_opens_an_application_for_a_published_revision(
    recruiter_client, recruiter, candidate
):
    revision = factories.RoleRevisionFactory(role__title="Search Engineer")
    manager = factories.HiringManagerFactory(first_name="Hank", last_name="Manager")
    form_page = recruiter_client.get(apply_url(candidate)).content.decode()
    assert f"Search Engineer (revision {revision.number})" in form_page
    # The hiring manager is typed and searched for, not chosen from a list of everyone.
    assert 'type="text" name="hiring_manager"' in form_page and "Hank Manager" not in form_page
    response = recruiter_client.post(
        apply_url(candidate), {"revision": revision.pk, "hiring_manager": manager.pk}
    )
    application = Application.objects.get()
    assert response.url == application.get_absolute_url()
    assert (application.candidate, application.revision, application.hiring_manager) == (
        candidate,
        revision,
        manager,
    )
    assert application.recruiter == recruiter and application.status == "active"
    page = recruiter_client.get(response.url).content.decode()
    assert "Now assign the interviewers." in page


def test_the_revision_stays_pinned_when_the_role_gets_a_new_one(recruiter_client, candidate):
    first = factories.RoleRevisionFactory(role__title="Search Engineer")
    factories.DimensionFactory(revision=first, name="Relevance tuning")
    manager = factories.HiringManagerFactory()
    recruiter_client.post(
        apply_url(candidate), {"revision": first.pk, "hiring_manager": manager.pk}
    )
    newer = factories.RoleRevisionFactory(role=first.role, number=first.number + 1)
    factories.DimensionFactory(revision=newer, name="Query understanding")
    application = Application.objects.get()
    assert application.revision == first
    page = recruiter_client.get(application.get_absolute_url()).content.decode()
    assert f"(r{first.number})" in page


def test_draft_revisions_and_non_managers_are_refused(recruiter_client, candidate):
    draft = factories.RoleRevisionFactory(status=RoleRevision.Status.DRAFT)
    published = factories.RoleRevisionFactory()
    interviewer = factories.InterviewerFactory()
    manager = factories.HiringManagerFactory()
    page = recruiter_client.get(apply_url(candidate)).content.decode()
    assert f'value="{draft.pk}"' not in page
    bad_revision = recruiter_client.post(
        apply_url(candidate), {"revision": draft.pk, "hiring_manager": manager.pk}
    )
    assert "Select a valid choice" in bad_revision.content.decode()
    bad_manager = recruiter_client.post(
        apply_url(candidate), {"revision": published.pk, "hiring_manager": interviewer.pk}
    )
    assert "That person is not an active hiring manager" in bad_manager.content.decode()
    assert not Application.objects.exists()


def test_a_second_active_application_for_the_same_role_is_refused(recruiter_client, candidate):
    existing = factories.ApplicationFactory(candidate=candidate)
    newer = factories.RoleRevisionFactory(role=existing.revision.role, number=99)
    response = recruiter_client.post(
        apply_url(candidate),
        {"revision": newer.pk, "hiring_manager": existing.hiring_manager.pk},
    )
    assert "already has an active application for" in response.content.decode()
    assert Application.objects.count() == 1
    Application.objects.update(status=Application.Status.REJECTED)
    recruiter_client.post(
        apply_url(candidate),
        {"revision": newer.pk, "hiring_manager": existing.hiring_manager.pk},
    )
    assert Application.objects.count() == 2


def test_no_published_role_says_so(recruiter_client, candidate):
    page = recruiter_client.get(apply_url(candidate)).content.decode()
    assert "No role is published yet." in page


def test_only_recruiters_open_applications(client, candidate):
    revision = factories.RoleRevisionFactory()
    manager = factories.HiringManagerFactory()
    data = {"revision": revision.pk, "hiring_manager": manager.pk}
    response = client.post(apply_url(candidate), data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (manager, factories.InterviewerFactory(), factories.UserFactory()):
        client.force_login(user)
        assert client.get(apply_url(candidate)).status_code == 403
        assert client.post(apply_url(candidate), data).status_code == 403
    assert not Application.objects.exists()


def test_wrong_method_and_unknown_candidate(recruiter_client, candidate):
    assert recruiter_client.put(apply_url(candidate)).status_code == 405
    missing = reverse("hiring:application_add", args=[999999])
    assert recruiter_client.get(missing).status_code == 404
