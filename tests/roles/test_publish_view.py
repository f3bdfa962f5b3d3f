"""roles:publish, roles:weight_total and roles:export: the small recruiter-only endpoints."""

import json

import pytest
from django.urls import reverse

from roles import services
from roles.models import RoleRevision
from tests import factories
from tests.roles.conftest import F002, editor_data, import_reviewed

pytestmark = pytest.mark.django_db


def publish_url(revision):
    return reverse("roles:publish", args=[revision.role.slug, revision.number])


def export_url(revision):
    return reverse("roles:export", args=[revision.role.slug, revision.number])


TOTAL_URL = reverse("roles:weight_total")


# --- publish ---------------------------------------------------------------------------


def test_publish_is_post_only(recruiter_client, lead_draft):
    assert recruiter_client.get(publish_url(lead_draft)).status_code == 405
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft


def test_anonymous_publish_is_sent_to_login(client, lead_draft):
    response = client.post(publish_url(lead_draft))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft


@pytest.mark.parametrize("who", ["manager_client", "interviewer_client"])
def test_only_recruiters_may_publish(request, who, lead_draft):
    assert request.getfixturevalue(who).post(publish_url(lead_draft)).status_code == 403
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft


def test_unknown_revision_is_404(recruiter_client):
    assert recruiter_client.post(reverse("roles:publish", args=["x", 1])).status_code == 404


def test_publishing_archives_the_old_revision_and_says_so(recruiter_client, recruiter):
    old = import_reviewed(F002, publish=True).revision
    application = factories.ApplicationFactory(revision=old)
    draft = services.clone_revision(old, recruiter)
    response = recruiter_client.post(publish_url(draft))
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    old.refresh_from_db()
    application.refresh_from_db()
    assert draft.status == "published" and draft.published_by == recruiter
    assert old.status == "archived" and application.revision == old
    page = recruiter_client.get(response.url).content.decode()
    assert "Published revision 2 of Lead AI Engineer. Revision 1 is archived" in page


def test_publishing_an_unready_draft_is_refused_with_the_reasons(recruiter_client, lead_draft):
    dimension = lead_draft.dimensions.order_by("order").first()
    dimension.weight = 1
    dimension.save()
    response = recruiter_client.post(publish_url(lead_draft))
    assert response.url == reverse("roles:edit", args=[lead_draft.role.slug, 1])
    page = recruiter_client.get(response.url).content.decode()
    assert "Revision 1 cannot be published yet. The dimension weights total 81, not 100." in page
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft


def test_the_second_recruiter_publishing_the_same_draft_gets_a_clear_message(
    recruiter_client, client
):
    lead_draft = import_reviewed(F002).revision
    other = factories.RecruiterFactory(first_name="Olga", last_name="Other")
    client.force_login(other)
    client.post(publish_url(lead_draft))
    response = recruiter_client.post(publish_url(lead_draft))
    assert response.url == lead_draft.get_absolute_url()
    page = recruiter_client.get(response.url).content.decode()
    assert "Revision 1 was already published by Olga Other at" in page
    assert RoleRevision.objects.get().published_by == other


# --- live weight total -----------------------------------------------------------------


def test_weight_total_is_post_only_and_recruiter_only(
    client, recruiter, hiring_manager, interviewer
):
    response = client.post(TOTAL_URL, {})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(recruiter)
    assert client.get(TOTAL_URL).status_code == 405
    assert client.post(TOTAL_URL, {}).status_code == 200
    for user in (hiring_manager, interviewer):
        client.force_login(user)
        assert client.post(TOTAL_URL, {}).status_code == 403


def _weights(*values, deleted=()):
    data = {"dimensions-TOTAL_FORMS": str(len(values))}
    for n, value in enumerate(values):
        data[f"dimensions-{n}-weight"] = value
        if n in deleted:
            data[f"dimensions-{n}-DELETE"] = "on"
    return data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_weights("60", "40"), "Weights total 100</span>"),
        (_weights("50", "37.5"), "Must be 100 to publish (12.5 to go)."),
        (_weights("80", "40"), "Must be 100 to publish (20 too many)."),
        (_weights("60", "40", "20", deleted=[2]), "Weights total 100</span>"),
        (_weights("60", "", "40"), "Weights total 100</span>"),
        (_weights("60", "forty"), "Some weights are not numbers from 0 to 100."),
        (_weights("60", "-5"), "Some weights are not numbers from 0 to 100."),
        ({"dimensions-TOTAL_FORMS": "lots"}, "Weights total 0</span>"),
    ],
)
def test_weight_total_fragment_follows_what_is_typed(recruiter_client, data, expected):
    response = recruiter_client.post(TOTAL_URL, data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="weight-total"')
    assert "<html" not in body
    assert expected in body


def test_weight_total_reads_the_edit_form_as_posted(recruiter_client, lead_draft):
    data = editor_data(lead_draft)
    data["dimensions-0-weight"] = "27.5"
    body = recruiter_client.post(TOTAL_URL, data).content.decode()
    assert "Weights total 107.5" in body and "7.5 too many" in body


# --- export ----------------------------------------------------------------------------


def test_export_downloads_json_that_imports_back(recruiter_client, lead_published):
    response = recruiter_client.get(export_url(lead_published))
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="lead-ai-engineer-r1.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data == services.export_revision(lead_published)


@pytest.mark.parametrize("who", ["manager_client", "interviewer_client"])
def test_only_recruiters_may_export(request, who, lead_published):
    assert request.getfixturevalue(who).get(export_url(lead_published)).status_code == 403


def test_export_is_get_only(recruiter_client, lead_published):
    assert recruiter_client.post(export_url(lead_published)).status_code == 405
