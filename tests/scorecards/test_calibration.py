"""Calibration: per-interviewer and per-dimension numbers checked by hand; scope; queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from hiring.models import Decision
from scorecards.models import Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


def card(application, stage, interviewer, scores, recommendation, status="submitted"):
    return factories.scorecard_with_ratings(
        factories.InterviewFactory(application=application, stage=stage, interviewer=interviewer),
        scores,
        recommendation=recommendation,
        status=status,
    )


def decide(application, outcome, minutes_ago=0):
    decision = factories.DecisionFactory(application=application, outcome=outcome)
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=decision.decided_at - timedelta(minutes=minutes_ago)
    )


@pytest.fixture
def people(hiring_manager):
    """Ivy and Ian interview on two roles; see each test for the numbers by hand."""
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Ito")
    ian = factories.InterviewerFactory(first_name="Ian", last_name="Ng")
    r1, (design, comms) = factories.revision_with_dimensions(
        [50, 50], names=["Design", "Comms"], role__title="Role One", role__slug="role-one"
    )
    r2, (design2,) = factories.revision_with_dimensions(
        [100], names=["Design"], role__title="Role Two", role__slug="role-two"
    )
    s1 = factories.InterviewStageFactory(revision=r1, focus_dimensions=[design, comms])
    s2 = factories.InterviewStageFactory(revision=r2, focus_dimensions=[design2])

    app1 = factories.ApplicationFactory(revision=r1, hiring_manager=hiring_manager)
    card(app1, s1, ivy, {design: 4, comms: 3}, "yes")
    card(app1, s1, ian, {design: 2, comms: None}, "no")
    decide(app1, "no_hire", minutes_ago=60)
    decide(app1, "hire")  # the newest decision counts: hire

    app2 = factories.ApplicationFactory(revision=r1, hiring_manager=hiring_manager)
    card(app2, s1, ivy, {design: 5, comms: 5}, "strong_yes")
    card(app2, s1, ian, {design: 1, comms: 1}, "strong_no", status=Scorecard.Status.DRAFT)
    decide(app2, "no_hire")

    app3 = factories.ApplicationFactory(revision=r2)  # another hiring manager's
    card(app3, s2, ian, {design2: 3}, "strong_no")
    decide(app3, "hold")

    app4 = factories.ApplicationFactory(revision=r2)
    card(app4, s2, ivy, {design2: 4}, "yes")  # no decision yet
    return ivy, ian


def row(body, table, *needles):
    """The text of the one table row containing every needle."""
    section = body.split(f'data-testid="{table}"')[1].split("</table>")[0]
    found = [r for r in section.split("<tr>") if all(n in r for n in needles)]
    assert len(found) == 1, (needles, found)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found[0])).strip()


def test_recruiter_sees_every_interviewers_numbers(recruiter_client, people):
    body = recruiter_client.get(reverse("scorecards:calibration")).content.decode()
    # Ivy: 3 cards (the draft is Ian's); ratings 4, 3, 5, 5, 4 = 21 / 5 = 4.20; all ratings
    # here 26 / 7 = 3.714..., so Ivy is +0.49. Recommendations: 0 strong no, 0 no, 2 yes,
    # 1 strong yes. Agreement: app1 yes vs hire agrees, app2 strong yes vs no hire does
    # not, app4 undecided: 1 of 2.
    assert row(body, "calibration-interviewers", "Ivy Ito") == (
        "Ivy Ito 3 4.20 (+0.49) 0 0 2 1 1 of 2 (50%)"
    )
    # Ian: 2 cards; ratings 2, 3 = 2.50, -1.21; app1 no vs hire disagrees, app3 hold
    # is neither: 0 of 1.
    assert row(body, "calibration-interviewers", "Ian Ng") == (
        "Ian Ng 2 2.50 (-1.21) 1 1 0 0 0 of 1 (0%)"
    )


def test_dimension_spread_per_role(recruiter_client, people):
    body = recruiter_client.get(reverse("scorecards:calibration")).content.decode()
    # Role One Design: 4, 2, 5: mean 3.67, population std dev sqrt(14/9) = 1.247...
    assert row(body, "calibration-dimensions", "Role One", ">Design<") == (
        "Role One Design 3 3.67 2 5 1.25"
    )
    assert row(body, "calibration-dimensions", "Comms") == "Role One Comms 2 4.00 3 5 1.00"
    assert row(body, "calibration-dimensions", "Role Two") == "Role Two Design 2 3.50 3 4 0.50"


def test_hiring_manager_sees_only_cards_on_their_applications(manager_client, people):
    body = manager_client.get(reverse("scorecards:calibration")).content.decode()
    assert "on the applications you manage" in body
    # Ivy on app1 and app2: 4, 3, 5, 5 = 4.25; all ratings 4, 3, 2, 5, 5 = 19 / 5 = 3.80.
    assert row(body, "calibration-interviewers", "Ivy Ito") == (
        "Ivy Ito 2 4.25 (+0.45) 0 0 1 1 1 of 2 (50%)"
    )
    assert row(body, "calibration-interviewers", "Ian Ng") == (
        "Ian Ng 1 2.00 (-1.80) 0 1 0 0 0 of 1 (0%)"
    )
    assert "Role Two" not in body


def test_calibration_with_nothing_submitted(recruiter_client):
    body = recruiter_client.get(reverse("scorecards:calibration")).content.decode()
    assert "No submitted scorecards yet." in body and "No ratings yet." in body


def test_calibration_access(client, people):
    url = reverse("scorecards:calibration")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (factories.InterviewerFactory(), factories.UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(factories.RecruiterFactory())
    assert client.post(url).status_code == 405
    assert client.get(url).status_code == 200


def test_calibration_in_the_navigation_for_recruiters_and_hiring_managers(client):
    for factory, shown in (
        (factories.RecruiterFactory, True),
        (factories.HiringManagerFactory, True),
        (factories.InterviewerFactory, False),
    ):
        client.force_login(factory())
        body = client.get(reverse("home"), follow=True).content.decode()
        assert (f'href="{reverse("scorecards:calibration")}"' in body) is shown


def test_calibration_queries_do_not_grow(recruiter_client, django_assert_max_num_queries):
    def build(applications, interviewers):
        revision, dims = factories.revision_with_dimensions([25, 25, 50])
        stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=dims)
        people = [factories.InterviewerFactory() for _ in range(interviewers)]
        for n in range(applications):
            application = factories.ApplicationFactory(revision=revision)
            for person in people:
                card(application, stage, person, {d: (n % 5) + 1 for d in dims}, "yes")
            decide(application, "hire")

    build(1, 2)
    with django_assert_max_num_queries(8) as small:
        recruiter_client.get(reverse("scorecards:calibration"))
    build(5, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = recruiter_client.get(reverse("scorecards:calibration")).content.decode()
    assert body.count('<th scope="row">') == 8 + 3 + 3  # interviewers + 2 roles' dimensions
