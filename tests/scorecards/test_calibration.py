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
    # Interviewers, again in the dot plot's table, then 2 roles' dimensions.
    assert body.count('<th scope="row">') == 8 + 8 + 3 + 3
    assert body.count('data-testid="dot-mean"') == 8


# --- Agreement (Krippendorff's alpha) and leniency, per role: ?role=SLUG -------------


def agreement_page(client, slug):
    url = reverse("scorecards:calibration") + f"?role={slug}"
    return client.get(url).content.decode()


def test_agreement_of_a_role_by_hand(recruiter_client, people):
    body = agreement_page(recruiter_client, "role-one")
    # Role One, Design: only app1 has two submitted ratings (Ivy 4, Ian 2; Ian's card on
    # app2 is a draft). One unit (4, 2): n = 2, n*S2 - S^2 = 2*20 - 36 = 4, and the unit
    # contributes the same 4, so alpha = 1 - (2 - 1) * 4 / 4 = 0.
    assert row(body, "agreement-dimensions", ">Design<").split(" ", 1)[1] == (
        "Design 1 2 0.000 The interviewers do not agree on what this dimension is: "
        "revisit its anchors."
    )
    # Comms: Ian left it unrated on app1, so no candidate has two ratings.
    assert row(body, "agreement-dimensions", "Comms").split(" ", 1)[1] == (
        "Comms 0 0 – No figure: no candidate was rated by two interviewers on it."
    )
    # Leniency: Ivy's 4 against Ian's 2 is +2, and Ian -2; one rating compared each.
    assert row(body, "agreement-leniency", "Ivy Ito") == "Ivy Ito +2.00 1"
    assert row(body, "agreement-leniency", "Ian Ng") == "Ian Ng -2.00 1"
    assert 'value="role-one" selected' in body


def test_agreement_acceptable_and_pooled_over_dimensions(recruiter_client):
    revision, (design, comms) = factories.revision_with_dimensions(
        [50, 50], names=["Design", "Comms"], role__title="Agreeing", role__slug="agreeing"
    )
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[design, comms])
    ann = factories.InterviewerFactory(first_name="Ann", last_name="A")
    bob = factories.InterviewerFactory(first_name="Bob", last_name="B")
    for ann_scores, bob_scores in (((1, 1), (2, 5)), ((4, 1), (5, 5))):
        application = factories.ApplicationFactory(revision=revision)
        card(application, stage, ann, dict(zip((design, comms), ann_scores, strict=True)), "yes")
        card(application, stage, bob, dict(zip((design, comms), bob_scores, strict=True)), "yes")
    body = agreement_page(recruiter_client, "agreeing")
    # Design: units (1, 2) and (4, 5): alpha = 17/20 (worked in test_reliability).
    assert row(body, "agreement-dimensions", ">Design<").split(" ", 1)[1] == (
        "Design 2 4 0.850 Agreement is acceptable."
    )
    # Comms: (1, 5) and (1, 5): n = 4, S = 12, S2 = 52, n*S2 - S^2 = 64; each unit gives
    # 2*26 - 36 = 16, so alpha = 1 - 3 * 32 / 64 = -0.5.
    assert row(body, "agreement-dimensions", "Comms").split(" ", 1)[1] == (
        "Comms 2 4 -0.500 The interviewers do not agree on what this dimension is: "
        "revisit its anchors."
    )
    # Pooled: the four units (1,2) (4,5) (1,5) (1,5): n = 8, S = 24, S2 = 98,
    # n*S2 - S^2 = 208; units give 1 + 1 + 16 + 16 = 34; alpha = 1 - 7 * 34 / 208 = -0.144.
    overall = re.sub(
        r"\s+", " ", body.split('data-testid="agreement-overall">')[1].split("</p>")[0]
    )
    assert "alpha -0.144 over 4 candidate ratings by dimension (8 ratings)" in overall
    assert "do not agree on what these dimensions mean" in overall
    # Bob rates higher than Ann: (1 + 1 + 4 + 4) / 4 = +2.50 over 4 ratings.
    assert row(body, "agreement-leniency", "Bob B") == "Bob B +2.50 4"
    assert row(body, "agreement-leniency", "Ann A") == "Ann A -2.50 4"


def test_agreement_follows_the_blindness_rule(client, hiring_manager, people):
    # The hiring manager also interviews app1 of Role One and has not submitted: app1's
    # cards leave their figures, so no candidate of Role One has two ratings left.
    application = Decision.objects.get(outcome="hire").application
    stage = application.revision.stages.first()
    card(application, stage, hiring_manager, {}, "", status=Scorecard.Status.DRAFT)
    client.force_login(hiring_manager)
    body = agreement_page(client, "role-one")
    assert "No figure: no candidate was rated by two interviewers on it." in body
    assert "Ivy Ito" not in body.split('id="agreement-heading"')[1]
    # A role with no cards in the viewer's scope cannot be chosen.
    assert client.get(reverse("scorecards:calibration") + "?role=role-two").status_code == 400


@pytest.mark.parametrize("value", ["nope", "role-one'--", "²", "a" * 300])
def test_agreement_refuses_an_unknown_role(recruiter_client, people, value):
    response = recruiter_client.get(reverse("scorecards:calibration"), {"role": value})
    assert response.status_code == 400
    assert "is not a role with scorecards here" in response.content.decode()


def test_agreement_queries_do_not_grow(recruiter_client, django_assert_max_num_queries):
    revision, dims = factories.revision_with_dimensions([25, 25, 50], role__slug="sized")
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=dims)

    def build(applications, interviewers):
        people = [factories.InterviewerFactory() for _ in range(interviewers)]
        for n in range(applications):
            application = factories.ApplicationFactory(revision=revision)
            for i, person in enumerate(people):
                card(application, stage, person, {d: (n + i) % 5 + 1 for d in dims}, "yes")

    url = reverse("scorecards:calibration") + "?role=sized"
    build(1, 2)
    with django_assert_max_num_queries(11) as small:
        recruiter_client.get(url)
    build(6, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = recruiter_client.get(url).content.decode()
    assert body.split('data-testid="agreement-leniency"')[1].count('<th scope="row">') == 7


def test_agreement_as_json(client, recruiter_client, hiring_manager, people):
    url = reverse("scorecards:calibration_json")
    data = recruiter_client.get(url, {"role": "role-one"}).json()
    assert data["role"] == "role-one" and data["title"] == "Role One"
    assert data["overall"] == {
        "alpha": 0.0,
        "applications": 1,
        "ratings": 2,
        "acceptable": False,
        "reason": "",
    }
    by_name = {row["dimension"]: row for row in data["dimensions"]}
    assert by_name["Design"]["alpha"] == 0.0
    assert by_name["Comms"]["alpha"] is None
    assert by_name["Comms"]["reason"] == "no candidate was rated by two interviewers on it"
    assert data["interviewers"] == [
        {"interviewer": "Ian Ng", "leniency": -2.0, "n": 1},
        {"interviewer": "Ivy Ito", "leniency": 2.0, "n": 1},
    ]
    assert recruiter_client.get(url).status_code == 400
    assert "error" in recruiter_client.get(url, {"role": "nope"}).json()
    # Role Two's applications are another hiring manager's: not in this one's scope.
    client.force_login(hiring_manager)
    assert client.get(url, {"role": "role-two"}).status_code == 404
    assert client.get(url, {"role": "role-one"}).json()["overall"]["ratings"] == 2
