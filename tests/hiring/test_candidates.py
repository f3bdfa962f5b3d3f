"""Candidates: list, add, edit, detail; one candidate per email, whatever its case."""

import pytest
from django.urls import reverse

from hiring.forms import CandidateForm
from hiring.models import Candidate
from hiring.views import _save_candidate
from hiring_site.formatting import moment
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


def test_list_links_to_each_candidate_and_their_applications(recruiter_client):
    application = factories.ApplicationFactory(
        candidate__name="Zed Shaw", revision__role__title="Search Engineer"
    )
    body = recruiter_client.get(reverse("hiring:candidates"), {"q": "zed"}).content.decode()
    assert reverse("hiring:candidate", args=[application.candidate.pk]) in body
    assert application.get_absolute_url() in body and "Search Engineer" in body


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
    def add(n):
        for application in factories.ApplicationFactory.create_batch(n):
            stage = factories.InterviewStageFactory(revision=application.revision)
            submitted = factories.InterviewFactory(application=application, stage=stage)
            factories.scorecard_with_ratings(submitted, {})
            factories.InterviewFactory(application=application, stage=stage)
            application.record_decision("hold", "Wait.", by=application.hiring_manager)
        factories.CandidateFactory.create_batch(n)  # no application yet

    add(2)
    with django_assert_max_num_queries(7) as small:
        recruiter_client.get(reverse("hiring:candidates"))
    most = len(small.captured_queries)
    add(12)
    for params in ({}, {"status": "active"}, {"q": "a", "status": "active"}):
        with django_assert_max_num_queries(most):
            body = recruiter_client.get(reverse("hiring:candidates"), params).content.decode()
        assert "1 of 2" in body and "Hold" in body


# --- the list: each candidate's applications, filtered by role and status -----------------


def candidate_rows(body) -> dict[str, str]:
    """Each candidate's rows (their <tbody>), by the candidate's name."""
    table = body.split('data-testid="candidates"')[1].split("</table>")[0]
    groups = table.split('<tbody data-testid="candidate">')[1:]
    return {group.split('">', 2)[2].split("</a>")[0]: group for group in groups}


def application_with_cards(role, name, *, submitted, pending, status="active", candidate=None):
    who = {"candidate": candidate} if candidate else {"candidate__name": name}
    application = factories.ApplicationFactory(revision=role, status=status, **who)
    stage = factories.InterviewStageFactory(revision=role)
    for _ in range(submitted):
        factories.scorecard_with_ratings(
            factories.InterviewFactory(application=application, stage=stage), {}
        )
    for _ in range(pending):
        factories.InterviewFactory(application=application, stage=stage)
    return application


@pytest.fixture
def roles():
    return (
        factories.RoleRevisionFactory(role__title="Data Engineer", role__slug="data-engineer"),
        factories.RoleRevisionFactory(role__title="Search Engineer", role__slug="search-engineer"),
    )


def test_list_shows_each_application_with_cards_status_decision_and_activity(
    recruiter_client, roles
):
    data, search = roles
    ada = application_with_cards(data, "Ada Able", submitted=1, pending=2)
    # The same candidate: both applications sit in one group of rows.
    decided = application_with_cards(search, "", submitted=2, pending=0, candidate=ada.candidate)
    decision, _ = decided.record_decision("hire", "Strong panel.", by=decided.hiring_manager)
    factories.CandidateFactory(name="Ben Blank")
    body = recruiter_client.get(reverse("hiring:candidates")).content.decode()
    rows = candidate_rows(body)
    assert set(rows) == {"Ada Able", "Ben Blank"}
    ada_rows = rows["Ada Able"]
    assert ada_rows.count("<tr>") == 2 and 'rowspan="2"' in ada_rows
    first, second = ada_rows.split("<tr>")[1:]  # newest application first
    assert "Search Engineer" in first and "2 of 2" in first
    assert "Hired" in first and ">Hire<" in first
    assert moment(decision.decided_at) in first  # the decision is the last activity
    assert "Data Engineer" in second and "1 of 3" in second and "Active" in second
    assert ">–<" in second  # no decision
    assert ada.get_absolute_url() in second
    assert "No application yet" in rows["Ben Blank"]


def test_a_draft_or_unstarted_card_is_not_submitted_and_a_saved_card_is_activity(
    recruiter_client, roles
):
    application = application_with_cards(roles[0], "Cy Cole", submitted=0, pending=1)
    interview = application.interviews.get()
    card = factories.scorecard_with_ratings(interview, {}, status="draft")
    body = recruiter_client.get(reverse("hiring:candidates")).content.decode()
    row = candidate_rows(body)["Cy Cole"]
    assert "0 of 1" in row
    card.refresh_from_db()
    assert moment(card.updated_at) in row


def test_list_filters_by_role_and_status(recruiter_client, roles):
    data, search = roles
    application_with_cards(data, "Ada Able", submitted=0, pending=0)
    application_with_cards(search, "Bea Bold", submitted=0, pending=0, status="hired")
    application_with_cards(search, "Cy Cole", submitted=0, pending=0)
    factories.CandidateFactory(name="Dee Done")
    url = reverse("hiring:candidates")
    by_role = candidate_rows(
        recruiter_client.get(url, {"role": "search-engineer"}).content.decode()
    )
    assert set(by_role) == {"Bea Bold", "Cy Cole"}
    by_status = candidate_rows(recruiter_client.get(url, {"status": "active"}).content.decode())
    assert set(by_status) == {"Ada Able", "Cy Cole"}
    both = recruiter_client.get(url, {"role": "search-engineer", "status": "hired"})
    body = both.content.decode()
    assert set(candidate_rows(body)) == {"Bea Bold"}
    assert '<option value="search-engineer" selected>' in body
    assert '<option value="hired" selected>' in body
    none = recruiter_client.get(url, {"role": "data-engineer", "status": "rejected"})
    assert "No candidate matches this search." in none.content.decode()


def test_a_filter_shows_only_the_matching_applications_of_a_candidate(recruiter_client, roles):
    data, search = roles
    ada = application_with_cards(data, "Ada Able", submitted=0, pending=0)
    other = factories.ApplicationFactory(revision=search, candidate=ada.candidate)
    body = recruiter_client.get(reverse("hiring:candidates"), {"role": "data-engineer"})
    row = candidate_rows(body.content.decode())["Ada Able"]
    assert ada.get_absolute_url() in row and other.get_absolute_url() not in row


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"role": "no-such-role"}, "is not a role"),
        ({"status": "open"}, "is not a status"),
        ({"role": "data-engineer\x00"}, "is not a role"),
    ],
)
def test_an_unknown_role_or_status_answers_400_saying_why(recruiter_client, roles, params, reason):
    response = recruiter_client.get(reverse("hiring:candidates"), params)
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_pages_keep_the_search_and_filters(recruiter_client, roles):
    for n in range(30):
        application_with_cards(roles[0], f"Person {n:02}", submitted=0, pending=0)
    application_with_cards(roles[1], "Zed Other", submitted=0, pending=0)
    url = reverse("hiring:candidates")
    body = recruiter_client.get(url, {"role": "data-engineer", "q": "person"}).content.decode()
    assert "Page 1 of 2" in body
    assert "?role=data-engineer&amp;q=person&amp;page=2" in body
    page2 = recruiter_client.get(url, {"role": "data-engineer", "q": "person", "page": 2})
    assert len(candidate_rows(page2.content.decode())) == 5
