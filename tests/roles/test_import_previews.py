"""Import previews are kept server-side (roles.models.ImportPreview), not in the session:
the session row stays small however large the upload, a preview is its owner's only,
it expires, a recruiter has at most MAX_OPEN_PREVIEWS open, its data is bounded, and
`clear_import_previews` deletes the expired ones. Confirm and cancel end it."""

import json
import random
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from roles import models as role_models
from roles.models import (
    MAX_OPEN_PREVIEWS,
    PREVIEW_LIFETIME,
    ImportPreview,
    Role,
    RoleRevision,
    json_size,
)
from tests.factories import RecruiterFactory
from tests.roles.conftest import F002, F003, blueprint_bytes
from tests.roles.test_import_view import confirm_data, gone
from tests.roles.test_limits import role_doc

pytestmark = pytest.mark.django_db
URL = reverse("roles:import")


def upload(client, name, data):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def big_export(size: int, title: str = "Data Engineer") -> bytes:
    """A valid role export of about `size` bytes: a long summary of random words, which
    the session's compression cannot shrink much (as real text)."""
    doc = role_doc()
    doc["title"] = title
    doc.pop("slug")
    letters = random.Random(size).choices("abcdefghijklmnopqrstuvwxyz     ", k=size)
    doc["summary"] = "Builds pipelines. " + "".join(letters)
    return json.dumps(doc).encode()


@pytest.fixture
def other_client():
    """Another recruiter, in a browser of their own (recruiter_client is `client`)."""
    other = Client()
    other.force_login(RecruiterFactory())
    return other


def session_bytes(client) -> int:
    """The size of the client's session as the database stores it."""
    return len(Session.objects.get(session_key=client.session.session_key).session_data)


def age(preview_or_queryset, by=PREVIEW_LIFETIME):
    queryset = preview_or_queryset
    if isinstance(preview_or_queryset, ImportPreview):
        queryset = ImportPreview.objects.filter(pk=preview_or_queryset.pk)
    queryset.update(created_at=F("created_at") - by)


# --- the session stays small -------------------------------------------------------------


def test_three_previews_of_a_large_file_leave_the_session_small(recruiter_client):
    data = big_export(1_800_000)
    assert 1_700_000 < len(data) < 2 * 1024 * 1024
    before = session_bytes(recruiter_client)
    tokens = []
    for n in range(3):
        response = upload(recruiter_client, f"large-{n}.json", data + b" " * n)
        assert response.status_code == 200, response.content[:300]
        assert "Preview: Data Engineer" in response.content.decode()
        tokens.append(response.context["token"])
    # Before ImportPreview, this row held the three previews: 5.4 MB, read by every page.
    assert session_bytes(recruiter_client) < 2048
    assert session_bytes(recruiter_client) <= before + 200
    previews = ImportPreview.objects.order_by("created_at")
    assert [p.token for p in previews] == tokens
    assert all(1_700_000 < p.size == json_size(p.data) for p in previews)
    # Each still confirms, from the database.
    response = recruiter_client.post(URL, confirm_data(response))
    assert RoleRevision.objects.get().role.summary.startswith("Builds pipelines. ")
    assert response.url == RoleRevision.objects.get().get_absolute_url()


def test_the_import_page_drops_previews_an_older_release_kept_in_the_session(recruiter_client):
    session = recruiter_client.session
    session["role_import_previews"] = {"abc": {"data": json.loads(big_export(50_000))}}
    session["role_imports_confirmed"] = {"abc": 1}
    session.save()
    assert session_bytes(recruiter_client) > 30_000
    assert recruiter_client.get(URL).status_code == 200
    assert session_bytes(recruiter_client) < 2048
    assert "role_import_previews" not in recruiter_client.session
    assert "_auth_user_id" in recruiter_client.session  # still logged in


# --- per user, bounded, expiring ---------------------------------------------------------


def test_a_preview_is_its_owners_only(recruiter_client, other_client):
    client = other_client
    mine = upload(recruiter_client, F002, blueprint_bytes(F002))
    theirs = upload(client, F003, blueprint_bytes(F003))
    # Each confirms their own, not the other's (a 404 that says why, nothing saved).
    gone(client.post(URL, confirm_data(mine)), "There is no such import preview of yours")
    gone(
        recruiter_client.post(URL, confirm_data(theirs)), "There is no such import preview of yours"
    )
    assert not Role.objects.exists()
    assert recruiter_client.post(URL, confirm_data(mine)).status_code == 302
    assert client.post(URL, confirm_data(theirs)).status_code == 302
    assert RoleRevision.objects.get(source_name=F003).created_by_id == int(
        client.session["_auth_user_id"]
    )


def test_a_recruiter_has_at_most_five_open_previews_the_oldest_goes(recruiter_client, other_client):
    someone_elses = upload(other_client, F002, blueprint_bytes(F002))
    previews = [
        upload(recruiter_client, f"v{n}.txt", blueprint_bytes(F002) + b"\n" * n)
        for n in range(MAX_OPEN_PREVIEWS + 2)
    ]
    kept = [r.context["token"] for r in previews[-MAX_OPEN_PREVIEWS:]]
    mine = ImportPreview.objects.exclude(token=someone_elses.context["token"])
    assert sorted(mine.values_list("token", flat=True)) == sorted(kept)
    assert ImportPreview.objects.filter(token=someone_elses.context["token"]).exists()
    # The dropped ones say so; the kept ones still import.
    gone(recruiter_client.post(URL, confirm_data(previews[0])), "replaced by newer previews")
    response = recruiter_client.post(URL, confirm_data(previews[2]))
    assert response.status_code == 302
    assert RoleRevision.objects.get().source_name == "v2.txt"


def test_a_confirmed_preview_does_not_count_as_open(recruiter_client):
    first = upload(recruiter_client, F002, blueprint_bytes(F002))
    recruiter_client.post(URL, confirm_data(first))
    for n in range(MAX_OPEN_PREVIEWS):
        upload(recruiter_client, f"v{n}.txt", blueprint_bytes(F003) + b"\n" * n)
    # Its second submit still lands on the revision it made.
    again = recruiter_client.post(URL, confirm_data(first))
    assert again.url == RoleRevision.objects.get().get_absolute_url()
    assert ImportPreview.objects.open().count() == MAX_OPEN_PREVIEWS


def test_an_expired_preview_is_refused_and_cleared_by_the_next_upload(
    recruiter_client, other_client
):
    client = other_client
    old = upload(recruiter_client, F002, blueprint_bytes(F002))
    upload(client, F003, blueprint_bytes(F003))
    almost = upload(recruiter_client, "almost.txt", blueprint_bytes(F002) + b"\n")
    age(ImportPreview.objects.exclude(token=almost.context["token"]))
    age(ImportPreview.objects.filter(token=almost.context["token"]), PREVIEW_LIFETIME / 2)
    assert ImportPreview.objects.count() == 3
    gone(recruiter_client.post(URL, confirm_data(old)), "This import preview expired")
    # The next upload, by anyone, deletes every expired preview.
    fresh = upload(client, "fresh.txt", blueprint_bytes(F003) + b"\n")
    assert set(ImportPreview.objects.values_list("token", flat=True)) == {
        almost.context["token"],
        fresh.context["token"],
    }
    gone(recruiter_client.post(URL, confirm_data(old)), "There is no such import preview of yours")
    assert not Role.objects.exists()


def test_what_a_preview_may_hold_is_bounded(recruiter_client, monkeypatch):
    data = big_export(200_000)
    monkeypatch.setattr(role_models, "MAX_PREVIEW_BYTES", 100_000)
    response = upload(recruiter_client, "wordy.json", data)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        "wordy.json reads as 0.2 MB of role data, over the 0.1 MB a preview may hold; shorten "
        "its longest texts."
    ]
    assert 'data-testid="upload-error"' in response.content.decode()
    assert not ImportPreview.objects.exists() and not Role.objects.exists()


# --- confirm, cancel, and their second submits ---------------------------------------


def test_a_double_confirm_makes_one_role_and_both_land_on_it(recruiter_client):
    preview = upload(recruiter_client, F003, blueprint_bytes(F003))
    data = confirm_data(preview, **{"dimensions-0-name": "Breadth"})
    first = recruiter_client.post(URL, data)
    # Back, then submit again (the page still has the form and its token).
    second = recruiter_client.post(URL, {**data, "dimensions-0-name": "Changed my mind"})
    revision = RoleRevision.objects.get()
    assert first.url == second.url == revision.get_absolute_url()
    assert revision.dimensions.order_by("order").first().name == "Breadth"
    assert "This import was already confirmed: it is revision 1 of Senior AI Architect" in (
        recruiter_client.get(second.url).content.decode()
    )


def test_cancel_deletes_the_preview_and_saves_nothing(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    assert 'name="cancel"' in preview.content.decode()
    response = recruiter_client.post(URL, confirm_data(preview, cancel="1"))
    assert response.status_code == 302 and response.url == URL
    page = recruiter_client.get(URL).content.decode()
    assert f"Import of {F002} cancelled; nothing was saved." in page
    assert not ImportPreview.objects.exists() and not Role.objects.exists()
    # A confirm from a stale tab, after the cancel: the page says why, nothing is saved.
    gone(recruiter_client.post(URL, confirm_data(preview)), "it was cancelled")
    # A second cancel is no error either.
    again = recruiter_client.post(URL, confirm_data(preview, cancel="1"))
    assert again.url == URL
    assert "That preview was already gone" in recruiter_client.get(URL).content.decode()
    assert not Role.objects.exists()


def test_cancel_after_confirm_keeps_the_role_and_says_where_it_is(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    recruiter_client.post(URL, confirm_data(preview))
    response = recruiter_client.post(URL, confirm_data(preview, cancel="1"))
    revision = RoleRevision.objects.get()
    assert response.url == revision.get_absolute_url()
    assert (
        "This import was already confirmed" in recruiter_client.get(response.url).content.decode()
    )


def test_a_confirmed_preview_whose_revision_was_deleted_says_so(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    recruiter_client.post(URL, confirm_data(preview))
    Role.objects.all().delete()
    gone(recruiter_client.post(URL, confirm_data(preview)), "has since been deleted")
    assert not Role.objects.exists()


def test_a_preview_whose_stored_data_no_longer_reads_is_refused_cleanly(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    ImportPreview.objects.update(data={"format": "something else"})
    gone(recruiter_client.post(URL, confirm_data(preview)), "could not be read back")
    assert not Role.objects.exists()


# --- clean-up ------------------------------------------------------------------------


def test_clear_import_previews_deletes_the_expired_ones_only(recruiter_client):
    confirmed = upload(recruiter_client, F002, blueprint_bytes(F002))
    recruiter_client.post(URL, confirm_data(confirmed))
    upload(recruiter_client, "open.txt", blueprint_bytes(F003))
    age(ImportPreview.objects.all())
    fresh = upload(recruiter_client, "fresh.txt", blueprint_bytes(F003) + b"\n")
    # The upload cleared them already; age them again, as if nobody had imported since.
    assert ImportPreview.objects.count() == 1
    upload(recruiter_client, "old.txt", blueprint_bytes(F003) + b"\n\n")
    age(ImportPreview.objects.exclude(token=fresh.context["token"]))
    out = StringIO()
    call_command("clear_import_previews", stdout=out)
    assert out.getvalue() == "Deleted 1 expired import preview.\n"
    assert list(ImportPreview.objects.values_list("token", flat=True)) == [fresh.context["token"]]
    out = StringIO()
    call_command("clear_import_previews", stdout=out)
    assert out.getvalue() == "Deleted 0 expired import previews.\n"
    assert RoleRevision.objects.count() == 1  # a confirmed preview's revision stays


def test_clear_import_previews_deletes_confirmed_ones_once_expired(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    recruiter_client.post(URL, confirm_data(preview))
    age(ImportPreview.objects.all())
    out = StringIO()
    call_command("clear_import_previews", stdout=out)
    assert out.getvalue() == "Deleted 1 expired import preview.\n"
    assert not ImportPreview.objects.exists() and RoleRevision.objects.count() == 1
