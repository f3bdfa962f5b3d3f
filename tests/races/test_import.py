"""Two submits of one import preview at once (a double click, two tabs): one role is
imported, the preview's row lock makes the second wait, then find it confirmed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from roles import services
from roles.models import ImportPreview, Role, RoleRevision
from tests import factories
from tests.races.concurrency import CriticalSection, needs_row_locks, run_concurrently
from tests.roles.conftest import F003, blueprint_bytes
from tests.roles.test_import_view import confirm_data

URL = reverse("roles:import")


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_confirms_of_one_preview_at_once_import_it_once():
    recruiter = factories.RecruiterFactory()
    tabs = []
    for _ in range(2):
        tab = Client()
        tab.force_login(recruiter)
        tabs.append(tab)
    preview = tabs[0].post(URL, {"file": SimpleUploadedFile(F003, blueprint_bytes(F003))})
    data = confirm_data(preview)
    with CriticalSection(services, "import_parsed") as section:
        outcomes = run_concurrently(*(lambda t=t: t.post(URL, data) for t in tabs), section=section)

    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    revision = RoleRevision.objects.get()
    assert Role.objects.count() == 1
    assert [o.value.status_code for o in outcomes] == [302, 302]
    assert {o.value.url for o in outcomes} == {revision.get_absolute_url()}
    pages = [t.get(revision.get_absolute_url()).content.decode() for t in tabs]
    imported = [p for p in pages if "Imported Senior AI Architect as revision 1" in p]
    again = [p for p in pages if "This import was already confirmed" in p]
    assert (len(imported), len(again)) == (1, 1)
    assert ImportPreview.objects.get().revision == revision
