"""roles:import: upload a blueprint, review and correct the preview, confirm."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils.html import escape

from roles import services
from roles.models import PREVIEW_LIFETIME, ImportPreview, Role, RoleRevision
from tests.factories import RecruiterFactory
from tests.roles.conftest import F002, F003, blueprint_bytes, import_file

pytestmark = pytest.mark.django_db
URL = reverse("roles:import")


def upload(client, name, data):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def confirm_data(response, **changes):
    data = dict(response.context["dims"].management_form.initial)
    data = {f"dimensions-{k}": v for k, v in data.items()}
    for n, form in enumerate(response.context["dims"].forms):
        for field in ("name", "weight", "meets_bar"):
            data[f"dimensions-{n}-{field}"] = form.initial[field]
    data["token"] = response.context["token"]
    data.update(changes)
    return data


# --- who may -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["manager_client", "interviewer_client"])
def test_only_recruiters_may_import(request, who):
    client = request.getfixturevalue(who)
    assert client.get(URL).status_code == 403
    assert upload(client, F002, blueprint_bytes(F002)).status_code == 403
    assert not Role.objects.exists()


def test_wrong_method_is_405(recruiter_client):
    assert recruiter_client.put(URL).status_code == 405
    assert recruiter_client.delete(URL).status_code == 405


def test_upload_page_has_a_labelled_file_field(recruiter_client):
    body = recruiter_client.get(URL).content.decode()
    assert '<label class="form-label" for="id_file">Blueprint file</label>' in body
    assert 'enctype="multipart/form-data"' in body and "csrfmiddlewaretoken" in body


# --- upload and preview ----------------------------------------------------------------


def test_preview_shows_everything_parsed_and_every_warning_and_saves_nothing(recruiter_client):
    response = upload(recruiter_client, F003, blueprint_bytes(F003))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Preview: Senior AI Architect" in body
    for warning in response.context["parsed"].warnings:
        assert escape(warning) in body
    assert 'value="Security/privacy &amp; responsible AI"' in body
    # Weights as every page writes them (roles.weights.format_percent), in the boxes too.
    assert 'value="12.5"' in body and 'value="12.50"' not in body
    assert "Threat modeling workshop (short)" in body  # exercises and stages
    assert "Red flags" in body and "Strong signals" in body
    assert 'id="weight-total"' in body and "Weights total 100" in body
    # Rows the parser was unsure about are highlighted.
    dims = response.context["parsed"].dimensions
    flagged = [
        d for d in dims if any(f'"{d.name}"' in w for w in response.context["parsed"].warnings)
    ]
    assert 2 < len(flagged) < len(dims)  # the two splits, and the anchors guessed
    assert body.count('class="table-warning"') == len(flagged)
    # Each dimension's anchors, proposed with the blueprint line each came from.
    assert 'data-testid="proposed-anchors"' in body
    for d in dims:
        for text, source in zip(d.anchors, d.anchor_sources, strict=True):
            assert escape(text) in body and escape(source.partition(": ")[2]) in body
    assert not Role.objects.exists()
    preview = ImportPreview.objects.get()
    assert preview.token == response.context["token"] and preview.source_name == F003
    assert preview.data == response.context["parsed"].to_json(F003)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty.txt is empty."),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "photo.txt is a PNG image"),
        ("notes.txt", b"Just some notes.\n", "has no section 19"),
        ("big.txt", b"a" * (2 * 1024 * 1024 + 10), "big.txt is 2.0 MB, over the 2 MB limit"),
        ("bad.json", b'{"title": "X"', "bad.json is not valid JSON"),
    ],
)
def test_bad_files_are_refused_with_a_message_on_the_page(recruiter_client, name, data, message):
    response = upload(recruiter_client, name, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'data-testid="upload-error"' in body
    assert not Role.objects.exists()


def test_a_zip_archive_is_refused(recruiter_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("blueprint.txt", blueprint_bytes(F002))
    response = upload(recruiter_client, "blueprint.zip", buffer.getvalue())
    assert "blueprint.zip is a ZIP archive" in response.content.decode()
    assert not Role.objects.exists()


def test_no_file_chosen_says_so(recruiter_client):
    response = recruiter_client.post(URL, {})
    assert "Choose a blueprint file to upload." in response.content.decode()


def test_a_file_imported_before_is_not_previewed_again(recruiter_client):
    revision = import_file(F002).revision
    response = upload(recruiter_client, "copy.txt", blueprint_bytes(F002))
    assert response.status_code == 302 and response.url == revision.get_absolute_url()
    page = recruiter_client.get(response.url).content.decode()
    assert "copy.txt was already imported as revision 1 of Lead AI Engineer" in page


def test_preview_of_a_changed_file_names_the_existing_role_and_next_revision(recruiter_client):
    import_file(F002)
    response = upload(recruiter_client, "lead-v2.txt", blueprint_bytes(F002) + b"\n")
    assert "becomes <strong>revision 2 (draft)</strong> of the existing role" in (
        response.content.decode()
    )


# --- confirm ---------------------------------------------------------------------------


def test_confirm_creates_a_draft_with_the_corrections(recruiter_client, recruiter):
    preview = upload(recruiter_client, F003, blueprint_bytes(F003))
    data = confirm_data(
        preview,
        **{
            "dimensions-3-name": "Security, privacy & responsible AI",
            "dimensions-3-meets_bar": "Threat models that hold up.",
            "dimensions-0-weight": "20",
            "dimensions-1-weight": "5",
        },
    )
    response = recruiter_client.post(URL, data)
    revision = RoleRevision.objects.get()
    assert response.status_code == 302 and response.url == revision.get_absolute_url()
    assert revision.is_draft and revision.created_by == recruiter
    assert revision.source_name == F003
    assert revision.source_sha256 == services.sha256_of(blueprint_bytes(F003))
    dims = list(revision.dimensions.order_by("order"))
    assert dims[3].name == "Security, privacy & responsible AI"
    assert dims[3].meets_bar == "Threat models that hold up."
    assert [str(d.weight) for d in dims[:2]] == ["20.00", "5.00"]
    # The default loop follows the rename.
    threat = revision.stages.get(name="Threat modeling workshop (short)")
    assert "Security, privacy & responsible AI" in [d.name for d in threat.focus_dimensions.all()]
    page = recruiter_client.get(response.url).content.decode()
    assert "Imported Senior AI Architect as revision 1 (draft)" in page
    # The preview keeps no data, only the revision it became (for a second submit).
    preview = ImportPreview.objects.get()
    assert (preview.data, preview.size, preview.revision) == ({}, 0, revision)


def test_invalid_corrections_show_the_preview_again_and_save_nothing(recruiter_client):
    preview = upload(recruiter_client, F003, blueprint_bytes(F003))
    data = confirm_data(
        preview,
        **{
            "dimensions-0-weight": "120",
            "dimensions-1-name": "",
            "dimensions-2-name": "LLM architecture depth",
        },
    )
    data["dimensions-2-name"] = data["dimensions-1-name"] = "LLM architecture depth"
    response = recruiter_client.post(URL, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ensure this value is less than or equal to 100." in body
    assert "Two dimensions are called “LLM architecture depth”" in body
    assert not Role.objects.exists()
    # The preview is still there: fixing the values imports.
    data["dimensions-0-weight"] = "12.5"
    data["dimensions-2-name"] = "LLM depth"
    assert recruiter_client.post(URL, data).status_code == 302
    assert Role.objects.count() == 1


def test_a_replayed_confirm_creates_no_duplicate(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    data = confirm_data(preview)
    first = recruiter_client.post(URL, data)
    second = recruiter_client.post(URL, data)
    revision = RoleRevision.objects.get()
    assert first.url == second.url == revision.get_absolute_url()
    page = recruiter_client.get(second.url).content.decode()
    assert "This import was already confirmed" in page


def gone(response, reason):
    """The page for a preview token that leads nowhere: a 404 saying why, with the way
    back to the upload page."""
    assert response.status_code == 404
    body = response.content.decode()
    assert reason in body
    assert f'href="{URL}">Upload a blueprint</a>' in body
    return body


def test_a_forged_token_gets_a_clear_message(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    for token in ("forged", "x" * 43, "\x00", preview.context["token"] + "a"):
        response = recruiter_client.post(URL, confirm_data(preview, token=token))
        gone(response, "There is no such import preview of yours")
    assert not Role.objects.exists()
    assert ImportPreview.objects.count() == 1  # the real one is still there


def test_a_stale_preview_gets_a_clear_message(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    ImportPreview.objects.update(created_at=F("created_at") - PREVIEW_LIFETIME)
    response = recruiter_client.post(URL, confirm_data(preview))
    gone(response, "This import preview expired: previews are kept for 24 hours.")
    assert not Role.objects.exists()


def test_another_users_preview_token_does_not_work(recruiter_client, client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    data = confirm_data(preview)
    client.force_login(RecruiterFactory())
    gone(client.post(URL, data), "There is no such import preview of yours")
    # Nor may they cancel it: to them, it is not there.
    cancel = client.post(URL, {**data, "cancel": "1"})
    assert cancel.status_code == 302 and cancel.url == URL
    assert "That preview was already gone" in client.get(URL).content.decode()
    assert not Role.objects.exists()
    assert ImportPreview.objects.filter(token=data["token"]).exists()  # not cancelled either


def test_a_tampered_row_count_is_refused(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    data = confirm_data(preview, **{"dimensions-TOTAL_FORMS": "3"})
    response = recruiter_client.post(URL, data)
    assert response.status_code == 400
    assert "does not match the uploaded file" in response.content.decode()
    assert not Role.objects.exists()


def test_the_same_file_confirmed_from_two_previews_is_imported_once(recruiter_client):
    first = upload(recruiter_client, F002, blueprint_bytes(F002))
    second = upload(recruiter_client, F002, blueprint_bytes(F002))
    recruiter_client.post(URL, confirm_data(first))
    response = recruiter_client.post(URL, confirm_data(second))
    assert RoleRevision.objects.count() == 1
    assert "already imported as revision 1" in recruiter_client.get(response.url).content.decode()


def test_an_exported_role_uploads_and_keeps_its_anchors(recruiter_client):
    revision = import_file(F002, publish=True).revision
    dim = revision.dimensions.order_by("order").first()
    dim.anchors = ["Poor", "Weak", "", "Good", "Great"]
    dim.min_score = 2
    dim.save()
    exported = json.dumps(services.export_revision(revision)).encode()
    preview = upload(recruiter_client, "lead.json", exported)
    assert preview.status_code == 200
    recruiter_client.post(URL, confirm_data(preview))
    copy = RoleRevision.objects.get(number=2)
    first = copy.dimensions.order_by("order").first()
    assert first.anchor(5) == "Great" and first.min_score == 2


def test_a_confirm_without_the_row_data_is_refused_without_error(recruiter_client):
    preview = upload(recruiter_client, F002, blueprint_bytes(F002))
    response = recruiter_client.post(URL, {"token": preview.context["token"]})
    assert response.status_code == 400
    assert not Role.objects.exists()
