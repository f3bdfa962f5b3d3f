"""Bad uploads, in one place: each is refused on the upload page with a message that
names the file, and nothing is stored. (tests/roles/test_import_view.py also covers an
empty file, a PNG renamed .txt, a file just over 2 MB and a ZIP archive through the same
page; these add the rest and check that a huge file is never kept.)"""

import gzip
import io
import zipfile

import pytest
from django.core.files.uploadhandler import (
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
from django.utils.html import escape

from hiring_site.uploads import CappedUploadHandler
from roles.models import Role, RoleRevision
from tests.roles import test_blueprint_fuzz as fuzz
from tests.roles.conftest import F002, blueprint_bytes
from tests.roles.test_import_view import upload

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def refused(response, message):
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="upload-error"' in body, body[:500]
    assert message in body
    assert not Role.objects.exists()
    assert not RoleRevision.objects.exists()


def _zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("blueprint.txt", blueprint_bytes(F002))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty.txt is empty."),
        ("blank.txt", b"   \n\n\t \n", "blank.txt"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4, "JPEG image"),
        ("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "scan.txt is a PDF"),
        ("blueprint.docx", _zip(), "ZIP archive"),
        ("blueprint.txt.gz", gzip.compress(blueprint_bytes(F002)), "blueprint.txt.gz"),
        ("random.txt", bytes(range(256)) * 64, "random.txt is a binary file"),
    ],
)
def test_a_file_that_is_not_a_text_blueprint_is_refused_by_name(
    recruiter_client, name, data, message
):
    refused(upload(recruiter_client, name, data), message)


def test_a_file_one_byte_over_the_limit_is_refused_with_its_size(recruiter_client):
    refused(
        upload(recruiter_client, "long.txt", b"x" * (2 * MB + 1)),
        "long.txt is 2.0 MB, over the 2 MB limit",
    )


def test_a_huge_file_is_refused_and_its_bytes_are_never_kept(recruiter_client, monkeypatch):
    kept = {"memory": 0, "disk": 0}

    def counting(kind, original):
        def receive(self, raw_data, start):
            if getattr(self, "activated", True):  # the memory handler keeps small bodies only
                kept[kind] += len(raw_data)
            return original(self, raw_data, start)

        return receive

    monkeypatch.setattr(
        MemoryFileUploadHandler,
        "receive_data_chunk",
        counting("memory", MemoryFileUploadHandler.receive_data_chunk),
    )
    monkeypatch.setattr(
        TemporaryFileUploadHandler,
        "receive_data_chunk",
        counting("disk", TemporaryFileUploadHandler.receive_data_chunk),
    )
    response = upload(recruiter_client, "huge.txt", b"a" * (40 * MB))
    refused(response, "huge.txt is 40.0 MB, over the 2 MB limit")
    # Past the limit the capped handler passes nothing on: at most the limit plus one
    # chunk was handed to the handlers that keep data.
    assert kept["memory"] + kept["disk"] <= 2 * MB + CappedUploadHandler.chunk_size


def test_a_blueprint_under_the_limit_still_goes_through_the_capped_handler(recruiter_client):
    response = upload(recruiter_client, "002.txt", blueprint_bytes(F002))
    assert response.status_code == 200
    assert 'data-testid="upload-error"' not in response.content.decode()
    assert response.context["dims"].total_form_count() > 0


# The parser's worst shapes at the upload limit (tests/roles/test_blueprint_fuzz.py times
# them all): each answers with the preview or a refusal naming the file, never a 500 or
# a worker killed for taking too long, and nothing is stored before a confirm.
CUT = (
    "worst.txt has no scorecard dimensions table in the part of section 19 that was read "
    "(section 19 is more than 1,500 lines long; only its first 1,500 lines were read)."
)


@pytest.mark.parametrize(
    ("piece", "where", "refusal"),
    [
        ("run of [", "after the scorecard", None),  # issue 13: once 20-30 s
        ("run of |", "before the table", None),  # once 4-5 s
        ("nested brackets", "among the signals", None),
        ("link openings", "among the signals", None),
        ("one line of words", "before the table", None),
        # The table is there, past the 1,500 lines of section 19 that are read.
        ("markdown headings", "before the table", CUT),
        ("fifty thousand short lines", "among the signals", CUT),
    ],
)
def test_a_worst_shape_file_answers_with_a_preview_or_a_refusal(
    recruiter_client, piece, where, refusal
):
    if where == "after the scorecard":
        name = fuzz.NAMES[0]
        at = fuzz.RAW[name].index(b"20) Final Role Scorecard Summary")
    else:
        name, marker = fuzz.WHERE[where]
        at = fuzz.line_after(name, marker)
    response = upload(recruiter_client, "worst.txt", fuzz.worst_shape(piece, name, at))
    if refusal:
        refused(response, refusal)
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="upload-error"' not in body
    parsed = response.context["parsed"]
    assert f"Preview: {escape(parsed.title)}" in body
    assert response.context["dims"].total_form_count() == len(parsed.dimensions) > 0
    for warning in parsed.warnings:
        assert escape(warning) in body
    if where == "after the scorecard":
        # The junk came after everything the app imports: the preview is the file's own.
        assert fuzz.dims(parsed) == fuzz.dims(fuzz.ORIGINAL[name])
        assert "A line of section 19 is longer than 5,000 characters" in body
    assert not Role.objects.exists()
    assert not RoleRevision.objects.exists()
