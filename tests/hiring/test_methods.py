"""Every page of the loop and scorecard issue answers 405 to a method it does not take,
and sends anonymous visitors to the login page, whatever the method."""

import pytest
from django.urls import reverse

from scorecards.models import Scorecard
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db

# url name, what the pk is, methods it takes
VIEWS = [
    ("hiring:candidates", None, {"get"}),
    ("hiring:candidate_add", None, {"get", "post"}),
    ("hiring:candidate", "candidate", {"get"}),
    ("hiring:candidate_edit", "candidate", {"get", "post"}),
    ("hiring:application_add", "candidate", {"get", "post"}),
    ("hiring:application_detail", "application", {"get"}),
    ("hiring:interview_add", "application", {"get", "post"}),
    ("hiring:interview_edit", "interview", {"get", "post"}),
    ("hiring:interview_delete", "interview", {"post"}),
    ("hiring:my_applications", None, {"get"}),
    ("hiring:my_interviews", None, {"get"}),
    ("scorecards:fill", "interview", {"get", "post"}),
    ("scorecards:detail", "card", {"get"}),
    ("scorecards:reopen", "card", {"post"}),
]
METHODS = ["get", "post", "put", "patch", "delete"]


@pytest.fixture
def objects(db):
    loop = build_loop()
    card = Scorecard.objects.create(interview=loop.interview, status="submitted")
    return {
        "candidate": loop.application.candidate,
        "application": loop.application,
        "interview": loop.interview,
        "card": card,
        "loop": loop,
    }


def url_for(name, kind, objects):
    return reverse(name, args=[objects[kind].pk] if kind else [])


@pytest.mark.parametrize(("name", "kind", "allowed"), VIEWS)
def test_methods_not_taken_answer_405(client, objects, name, kind, allowed):
    loop = objects["loop"]
    # A user who may use the page, so that only the method is wrong.
    user = factories.UserFactory(groups=["Recruiter", "Hiring manager", "Interviewer"])
    if name == "scorecards:fill":
        user = loop.interview.interviewer
    elif name == "hiring:my_applications":
        user = loop.application.hiring_manager
    client.force_login(user)
    url = url_for(name, kind, objects)
    for method in METHODS:
        if method not in allowed:
            assert getattr(client, method)(url).status_code == 405, (name, method)


@pytest.mark.parametrize(("name", "kind", "allowed"), VIEWS)
def test_anonymous_visitors_are_sent_to_log_in(client, objects, name, kind, allowed):
    url = url_for(name, kind, objects)
    for method in sorted(allowed):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (name, method)
        assert response.url.startswith(reverse("login"))
