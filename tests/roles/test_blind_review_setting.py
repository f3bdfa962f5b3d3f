"""Blind review, a setting of a revision: set in the editor beside the scoring settings,
shown on the role page, carried by a new draft, by the JSON export and back by its
import; a JSON value that is not true or false is refused by name."""

import json

import pytest
from django.urls import reverse

from roles import services
from roles.blueprint import BlueprintError
from roles.models import RoleRevision
from tests.roles.conftest import editor_data

pytestmark = pytest.mark.django_db


def edit_url(revision):
    return reverse("roles:edit", args=[revision.role.slug, revision.number])


def test_the_editor_turns_blind_review_on_and_off(recruiter_client, lead_draft):
    page = recruiter_client.get(edit_url(lead_draft)).content.decode()
    assert 'name="settings-blind_review"' in page and "Blind review" in page
    data = editor_data(lead_draft)
    data["settings-blind_review"] = "on"
    assert recruiter_client.post(edit_url(lead_draft), data).status_code == 302
    lead_draft.refresh_from_db()
    assert lead_draft.blind_review is True
    role_page = recruiter_client.get(lead_draft.get_absolute_url()).content.decode()
    assert 'data-testid="blind-review"' in role_page
    # An unticked box (as a browser posts it: no key at all) turns it off again.
    data = editor_data(lead_draft)
    assert data["settings-blind_review"] == "on"
    del data["settings-blind_review"]
    recruiter_client.post(edit_url(lead_draft), data)
    lead_draft.refresh_from_db()
    assert lead_draft.blind_review is False


def test_export_and_import_carry_blind_review(lead_draft):
    RoleRevision.objects.filter(pk=lead_draft.pk).update(blind_review=True)
    lead_draft.refresh_from_db()
    exported = json.loads(services.export_json(lead_draft))
    assert exported["settings"]["blind_review"] is True
    (loaded,) = services.load_file(json.dumps(exported).encode(), "role.json")
    assert loaded.extras.blind_review is True
    imported = services.import_parsed(
        loaded.parsed, source_name="role.json", source_sha256="b" * 64, extras=loaded.extras
    ).revision
    assert imported.pk != lead_draft.pk and imported.blind_review is True
    # An export without the key (older files) imports without blind review.
    del exported["settings"]["blind_review"]
    (loaded,) = services.load_file(json.dumps(exported).encode(), "old.json")
    assert loaded.extras.blind_review is False


@pytest.mark.parametrize("value", ["yes", 1, None, []])
def test_a_blind_review_that_is_not_true_or_false_is_refused(lead_draft, value):
    exported = json.loads(services.export_json(lead_draft))
    exported["settings"]["blind_review"] = value
    with pytest.raises(BlueprintError, match='"blind_review" in "settings" must be true or false'):
        services.load_file(json.dumps(exported).encode(), "role.json")


def test_a_new_draft_keeps_blind_review(lead_draft):
    RoleRevision.objects.filter(pk=lead_draft.pk).update(blind_review=True)
    lead_draft.refresh_from_db()
    assert services.clone_revision(lead_draft, None).blind_review is True
