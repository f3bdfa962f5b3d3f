"""Candidates: list, add, edit, detail; one candidate per email, whatever its case."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.forms import CandidateForm
from hiring.models import Candidate
from hiring.views import _save_candidate
from tests import factories

pytestmark = pytest.mark.django_db


def test_recruiter_adds_a_candidate_and_lands_on_their_page(recruiter_client):
    response = recruiter_client.post(
        reverse("hiring:candidate_add"),
        {"name": "Ada Lovelace", "email": " ada@example.com ", "source": "referral"},
    )
    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.email) == ("Ada Lovelace", "ada@example.com")
    assert response.url == reverse("hiring:candidate", args=[candidate.pk])
    page = recruiter_client.get(response.url).content.decode()
    assert "Ada Lovelace added." in page and "Open an application" in page


def test_an_email_in_use_is_a_form_error_whatever_its_case(recruiter_client):
    ada = factories.CandidateFactory(name="Ada Lovelace", email="Ada@Example.com")
    response = recruiter_client.post(
        reverse("hiring:candidate_add"), {"name": "Ada L.", "email": "ada@EXAMPLE.com"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ada Lovelace already uses this email address." in body
    # "Open their page instead": the page to open is one click away.
    assert f'<a href="{reverse("hiring:candidate", args=[ada.pk])}">Open Ada Lovelace' in body
    assert "Constraint" not in body
    assert Candidate.objects.count() == 1


def test_editing_keeps_own_email_but_cannot_take_anothers(recruiter_client):
    ada = factories.CandidateFactory(name="Ada Lovelace", email="ada@example.com")
    factories.CandidateFactory(name="Alan Turing", email="alan@example.com")
    url = reverse("hiring:candidate_edit", args=[ada.pk])
    same = recruiter_client.post(url, {"name": "Ada King", "email": "ADA@example.com"})
    assert same.status_code == 302
    ada.refresh_from_db()
    assert (ada.name, ada.email) == ("Ada King", "ADA@example.com")
    clash = recruiter_client.post(url, {"name": "Ada King", "email": "Alan@example.com"})
    assert "Alan Turing already uses this email address." in clash.content.decode()
    ada.refresh_from_db()
    assert ada.email == "ADA@example.com"


def test_an_email_taken_between_validation_and_save_is_a_form_error_too():
    form = CandidateForm({"name": "Grace", "email": "grace@example.com"})
    assert form.is_valid()
    Candidate.objects.create(name="Someone faster", email="GRACE@example.com")
    assert _save_candidate(None, form) is None
    assert form.errors["email"] == ["Another candidate already uses this email address."]
    assert Candidate.objects.count() == 1


def test_invalid_input_is_shown_next_to_the_fields(recruiter_client):
    response = recruiter_client.post(reverse("hiring:candidate_add"), {"name": "", "email": "no"})
    body = response.content.decode()
    assert "This field is required." in body and "Enter a valid email address." in body
    assert not Candidate.objects.exists()


def test_candidate_page_lists_applications(recruiter_client):
    application = factories.ApplicationFactory(revision__role__title="Search Engineer")
    page = recruiter_client.get(reverse("hiring:candidate", args=[application.candidate.pk]))
    body = page.content.decode()
    assert application.candidate.name in body and "Search Engineer" in body
    assert application.get_absolute_url() in body


def test_list_links_to_each_candidate_and_counts_applications(recruiter_client):
    application = factories.ApplicationFactory(candidate__name="Zed Shaw")
    body = recruiter_client.get(reverse("hiring:candidates"), {"q": "zed"}).content.decode()
    assert reverse("hiring:candidate", args=[application.candidate.pk]) in body
    assert '<td class="text-end">1</td>' in body
    added = timezone.localtime(application.candidate.created_at).date().isoformat()
    assert f">{added}</td>" in body


@pytest.mark.parametrize(
    "name",
    ["hiring:candidates", "hiring:candidate_add", "hiring:candidate", "hiring:candidate_edit"],
)
def test_candidate_pages_are_for_recruiters_only(client, name):
    candidate = factories.CandidateFactory()
    args = [] if name in ("hiring:candidates", "hiring:candidate_add") else [candidate.pk]
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (
        factories.HiringManagerFactory(),
        factories.InterviewerFactory(),
        factories.UserFactory(),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "X", "email": "x@example.com"}).status_code == 403
    assert Candidate.objects.count() == 1


def test_wrong_methods_and_missing_candidates(recruiter_client):
    assert recruiter_client.post(reverse("hiring:candidates")).status_code == 405
    assert recruiter_client.delete(reverse("hiring:candidate_add")).status_code == 405
    candidate = factories.CandidateFactory()
    assert (
        recruiter_client.post(reverse("hiring:candidate", args=[candidate.pk])).status_code == 405
    )
    assert recruiter_client.get(reverse("hiring:candidate", args=[99999])).status_code == 404
    assert recruiter_client.get(reverse("hiring:candidate_edit", args=[99999])).status_code == 404


def test_candidate_list_makes_constant_queries(recruiter_client, django_assert_max_num_queries):
    factories.ApplicationFactory.create_batch(2)
    with django_assert_max_num_queries(6) as small:
        recruiter_client.get(reverse("hiring:candidates"))
    factories.ApplicationFactory.create_batch(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        recruiter_client.get(reverse("hiring:candidates"))
