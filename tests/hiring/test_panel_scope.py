"""Who may open an application's panel and who decides on it: the rule on the model
(ApplicationQuerySet.panels_readable_by and panels_readable_q, Application.panel_readable_by
and decidable_by), and the panel page and the API answering the same users the same way."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from hiring.models import Application
from scorecards.models import Scorecard
from tests import factories
from tests.api.conftest import Caller
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db

USERS = ("recruiter", "manager", "other_manager", "interviewer", "anonymous")
# Who may open the panel, and who may decide, before the blindness rule.
READS = {"recruiter", "manager"}
DECIDES = {"manager"}


@pytest.fixture
def people():
    """The application (a loop with two interviews), its hiring manager, a hiring manager
    with an application of their own, a recruiter, one of its interviewers and an
    anonymous visitor; `mine` is the other manager's application."""
    loop = build_loop()
    other_manager = factories.HiringManagerFactory()
    mine = factories.ApplicationFactory(hiring_manager=other_manager)
    users = {
        "recruiter": factories.RecruiterFactory(),
        "manager": loop.application.hiring_manager,
        "other_manager": other_manager,
        "interviewer": loop.interview.interviewer,
        "anonymous": AnonymousUser(),
    }
    return loop, mine, users


@pytest.mark.parametrize("who", USERS)
def test_panels_readable_by_a_recruiter_all_a_hiring_manager_their_own(people, who):
    loop, mine, users = people
    readable = set(Application.objects.panels_readable_by(users[who]))
    expected = {
        "recruiter": {loop.application, mine},
        "manager": {loop.application},
        "other_manager": {mine},
        "interviewer": set(),
        "anonymous": set(),
    }[who]
    assert readable == expected


@pytest.mark.parametrize("who", USERS)
def test_the_row_and_the_queryset_give_the_same_answer(people, who):
    loop, _mine, users = people
    in_queryset = (
        Application.objects.panels_readable_by(users[who]).filter(pk=loop.application.pk).exists()
    )
    assert loop.application.panel_readable_by(users[who]) is in_queryset
    assert in_queryset is (who in READS)


@pytest.mark.parametrize("who", USERS)
def test_panels_readable_q_reaches_the_application_through_a_prefix(people, who):
    """As calibration reads it: on scorecards, through their interview."""
    loop, _mine, users = people
    card = factories.ScorecardFactory(interview=loop.interview)
    q = Application.objects.panels_readable_q(users[who], "interview__application__")
    assert Scorecard.objects.filter(q).filter(pk=card.pk).exists() is (who in READS)


@pytest.mark.parametrize("who", USERS)
def test_only_the_hiring_manager_decides(people, who):
    loop, _mine, users = people
    assert loop.application.decidable_by(users[who]) is (who in DECIDES)


def test_the_hiring_manager_who_also_interviews_may_open_the_panel_blindness_aside():
    """Scope first, blindness after: their own draft hides the results (results_visible_to),
    not the application, so the page can say whose card it waits for."""
    manager = factories.HiringManagerFactory()
    loop = build_loop(interviewer=manager, hiring_manager=manager)
    factories.ScorecardFactory(interview=loop.interview)
    application = loop.application
    assert application.panel_readable_by(manager) and application.decidable_by(manager)
    assert not application.results_visible_to(manager)


# --- the panel page and the API panel, side by side ----------------------------------------

# (page, API) for each user. Anonymous: the page sends to the login page, the API asks
# for a token. An interviewer's group uses neither (403). Out of scope: 404 in both.
PANEL = {
    "recruiter": (200, 200),
    "manager": (200, 200),
    "other_manager": (404, 404),
    "interviewer": (403, 403),
    "anonymous": (302, 401),
    # Their own card on it is a draft: in scope, hidden by blindness, in both.
    "manager_interviewing": (403, 403),
}


@pytest.mark.parametrize("who", PANEL)
def test_the_panel_page_and_the_api_panel_answer_the_same_users_alike(client, people, who):
    loop, _mine, users = people
    application = loop.application
    if who == "manager_interviewing":
        user = application.hiring_manager
        factories.ScorecardFactory(
            interview=factories.InterviewFactory(application=application, interviewer=user)
        )
    else:
        user = users[who]
    if user.is_authenticated:
        client.force_login(user)
    page = client.get(reverse("hiring:panel", args=[application.pk]))
    api = Caller(user if user.is_authenticated else None).get(
        reverse("api:panel", args=[application.pk])
    )
    assert (page.status_code, api.status_code) == PANEL[who]
    if page.status_code == 200:
        assert application.candidate.name in page.content.decode()
        assert api.json()["application"] == application.pk
    elif page.status_code == 404:
        assert application.candidate.name not in page.content.decode()
        assert api.json() == {"detail": "No such application."}


@pytest.mark.parametrize("name", ["hiring:panel", "hiring:panel_json", "api:panel"])
def test_an_id_that_does_not_exist_answers_as_one_out_of_scope(client, people, name):
    """Another manager's application and no application at all read alike, so that
    comparing the two cannot tell which ids exist."""
    loop, _mine, users = people
    other = users["other_manager"]
    missing = loop.application.pk + 10_000

    def answer(pk):
        url = reverse(name, args=[pk])
        if name.startswith("api:"):
            response = Caller(other).get(url)
            return response.status_code, response.json()
        client.force_login(other)
        response = client.get(url)
        return response.status_code, "No such application." in response.content.decode()

    assert answer(loop.application.pk) == answer(missing)
    assert answer(missing)[0] == 404
