"""Import warnings: each is dismissed with a reason (WarningDismissal) before a revision
is published, on the role page's publish form or in the editor; interviewers never see
them."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from roles import services
from roles.models import RoleRevision, WarningDismissal, warning_key
from tests import factories
from tests.roles.conftest import F002, F003, editor_data, import_file
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db


def publish_url(revision):
    return reverse("roles:publish", args=[revision.role.slug, revision.number])


def reason_field(warning) -> str:
    return f"warnings-reason_{warning.key}"


def test_publishing_is_refused_while_a_warning_is_open(recruiter_client, lead_draft):
    first, *others = lead_draft.open_warnings()
    reasons = {reason_field(w): "Checked against the blueprint." for w in others[1:]}
    reasons[reason_field(first)] = "Checked: MLOps is in the case."
    response = recruiter_client.post(publish_url(lead_draft), reasons)
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft
    # The reasons given are kept; the warning left is still open and publishing says so.
    dismissed = set(lead_draft.warning_dismissals.values_list("key", flat=True))
    assert dismissed == {first.key} | {w.key for w in others[1:]}
    assert lead_draft.open_warnings() == [others[0]]
    page = recruiter_client.get(response.url, follow=True).content.decode()
    assert "Revision 1 cannot be published yet. 1 import warning is still open" in page


def test_publishing_with_a_reason_for_each_warning_stores_them_and_publishes(
    recruiter_client, recruiter, lead_draft
):
    page = recruiter_client.get(lead_draft.get_absolute_url()).content.decode()
    warnings = lead_draft.open_warnings()
    assert f"{len(warnings)} import warnings are open" in page
    for warning in warnings:  # each with its reason field, in the publish form
        assert escape(warning.text) in page
        assert f'name="{reason_field(warning)}"' in page
    assert page.count('form="publish-form"') == len(warnings) + 1  # fields and a button
    reasons = {reason_field(w): f"Reason {n}" for n, w in enumerate(warnings)}
    response = recruiter_client.post(publish_url(lead_draft), reasons)
    assert response.url == lead_draft.get_absolute_url()
    lead_draft.refresh_from_db()
    assert lead_draft.status == RoleRevision.Status.PUBLISHED
    stored = {d.key: d for d in WarningDismissal.objects.filter(revision=lead_draft)}
    for n, warning in enumerate(warnings):
        assert stored[warning.key].text == warning.text
        assert stored[warning.key].reason == f"Reason {n}"
        assert stored[warning.key].dismissed_by == recruiter
    page = recruiter_client.get(response.url).content.decode()
    assert f"{len(warnings)} import warnings dismissed" in page and "Reason 1" in page
    assert 'data-testid="open-warnings"' not in page


def test_a_blank_reason_dismisses_nothing(recruiter_client, lead_draft):
    reasons = {reason_field(w): "   " for w in lead_draft.open_warnings()}
    recruiter_client.post(publish_url(lead_draft), reasons)
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft and not lead_draft.warning_dismissals.exists()


def test_a_too_long_reason_is_refused_with_a_message(recruiter_client, lead_draft):
    warning = lead_draft.open_warnings()[0]
    response = recruiter_client.post(publish_url(lead_draft), {reason_field(warning): "x" * 1001})
    page = recruiter_client.get(response.url).content.decode()
    assert "Nothing was published or dismissed." in page and "at most 1000 characters" in page
    lead_draft.refresh_from_db()
    assert lead_draft.is_draft and not lead_draft.warning_dismissals.exists()


def test_a_dismissal_given_twice_keeps_the_first_reason(recruiter, lead_draft):
    warning = lead_draft.open_warnings()[0]
    assert lead_draft.dismiss_warnings({warning.key: "First"}, by=recruiter) == 1
    assert lead_draft.dismiss_warnings({warning.key: "Second"}, by=recruiter) == 0
    assert lead_draft.warning_dismissals.get().reason == "First"


def test_an_unknown_key_dismisses_nothing(recruiter, lead_draft):
    assert lead_draft.dismiss_warnings({warning_key("not a warning"): "Why"}, by=recruiter) == 0
    assert not lead_draft.warning_dismissals.exists()


def test_hiring_managers_read_open_warnings_without_a_form(manager_client, lead_draft):
    page = manager_client.get(lead_draft.get_absolute_url()).content.decode()
    assert f"{len(lead_draft.open_warnings())} import warnings are open" in page
    assert escape(lead_draft.open_warnings()[0].text) in page
    assert "warnings-reason_" not in page and 'form="publish-form"' not in page


def test_interviewers_never_see_warnings_open_or_dismissed(client, recruiter, interviewer):
    loop = build_loop(interviewer)
    revision = loop.revision
    RoleRevision.objects.filter(pk=revision.pk).update(
        import_warnings=["Open warning text", "Dismissed warning text"]
    )
    revision.refresh_from_db()
    revision.dismiss_warnings({warning_key("Dismissed warning text"): "A reason"}, by=recruiter)
    url = reverse("roles:detail", args=[revision.role.slug])
    client.force_login(recruiter)
    page = client.get(url).content.decode()
    assert "Open warning text" in page and "Dismissed warning text" in page
    assert "A reason" in page
    client.force_login(interviewer)
    page = client.get(url).content.decode()
    assert loop.stage.name in page  # their stage is shown
    for text in ("Open warning text", "Dismissed warning text", "A reason", "import warning"):
        assert text not in page
    page = client.get(reverse("roles:list")).content.decode()
    assert "warning" not in page


def test_the_role_list_counts_only_open_warnings(recruiter_client, recruiter, lead_draft):
    url = reverse("roles:list")
    warnings = lead_draft.open_warnings()
    assert f"{len(warnings)} open warnings" in recruiter_client.get(url).content.decode()
    lead_draft.dismiss_warnings({w.key: "Checked" for w in warnings[2:]}, by=recruiter)
    assert "2 open warnings" in recruiter_client.get(url).content.decode()
    lead_draft.dismiss_warnings({lead_draft.open_warnings()[0].key: "Checked"}, by=recruiter)
    assert "1 open warning<" in recruiter_client.get(url).content.decode()
    lead_draft.dismiss_warnings({lead_draft.open_warnings()[0].key: "Checked"}, by=recruiter)
    assert "open warning" not in recruiter_client.get(url).content.decode()


def test_editing_a_published_revision_keeps_its_dismissals(recruiter_client, recruiter):
    revision = import_file(F003).revision
    count = len(revision.open_warnings())
    revision.dismiss_warnings({w.key: "Checked" for w in revision.open_warnings()}, by=recruiter)
    revision.publish(by=recruiter)
    data = editor_data(revision)
    data["dimensions-0-name"] = "Architecture breadth"
    data["publish"] = "1"
    recruiter_client.post(reverse("roles:edit", args=[revision.role.slug, 1]), data)
    copy = RoleRevision.objects.get(number=2)
    assert copy.status == RoleRevision.Status.PUBLISHED
    assert copy.warning_dismissals.count() == count and copy.open_warnings() == []


def test_built_in_roles_show_their_blueprint_not_a_hashed_file_name(recruiter_client):
    services.import_builtin_roles(user=factories.RecruiterFactory())
    revision = RoleRevision.objects.get(role__title="Senior AI Architect")
    page = recruiter_client.get(revision.get_absolute_url()).content.decode()
    assert "from Built-in blueprint: Senior AI Architect" in page
    assert "003_2d4d99d7bf8c210a" not in page and ".txt" not in page
    # Its warnings were dismissed as the recruiter reviewed them, the equal weights too.
    assert f"{len(revision.import_warning_list())} import warnings dismissed" in page
    assert "Equal weights confirmed by the recruiter" in page


def test_an_uploaded_blueprint_keeps_the_name_it_was_uploaded_under(recruiter_client):
    revision = import_file(F002).revision  # as the upload page and the command store it
    page = recruiter_client.get(revision.get_absolute_url()).content.decode()
    assert f"from {F002}" in page
