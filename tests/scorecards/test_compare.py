"""Comparing the candidates of a role: panel means per dimension by hand, sorting, the
blindness rule, scope and constant queries."""

import re

import pytest
from django.urls import reverse

from scorecards.models import Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


def card(application, stage, interviewer, scores, **kwargs):
    return factories.scorecard_with_ratings(
        factories.InterviewFactory(application=application, stage=stage, interviewer=interviewer),
        scores,
        **kwargs,
    )


@pytest.fixture
def debrief(hiring_manager):
    revision, (design, comms) = factories.revision_with_dimensions(
        [60, 40], names=["Design", "Comms"], role__title="Debrief Role", role__slug="debrief"
    )
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[design, comms])
    ivy, ian = factories.InterviewerFactory(), factories.InterviewerFactory()
    people = {}
    # Ada: Design 4 and 5 (4.50), Comms 3 and 2 (2.50): 0.6*4.5 + 0.4*2.5 = 3.70.
    # Bob: Design 2, Comms 5 (one card): 0.6*2 + 0.4*5 = 3.20.
    # Cy: Design 3 and 3, Comms unrated: 3.00 on Design only.
    for name, cards in (
        ("Ada Alpha", [(ivy, {design: 4, comms: 3}), (ian, {design: 5, comms: 2})]),
        ("Bob Beta", [(ivy, {design: 2, comms: 5})]),
        ("Cy Gamma", [(ivy, {design: 3, comms: None}), (ian, {design: 3, comms: None})]),
    ):
        application = factories.ApplicationFactory(
            revision=revision, hiring_manager=hiring_manager, candidate__name=name
        )
        for who, scores in cards:
            card(application, stage, who, scores)
        people[name] = application
    return people, stage


def rows(body):
    table = body.split('data-testid="compare"')[1].split("</tbody>")[0].split("<tbody>")[1]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in table.split("</tr>")
        if "<th" in row
    ]


def url(**query):
    base = reverse("hiring:compare", args=["debrief"])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_means_and_headline_by_hand_best_score_first(recruiter_client, debrief):
    body = recruiter_client.get(url()).content.decode()
    assert rows(body) == [
        "Ada Alpha Active 3.70 1.00 Hire 0 4.50 2.50",
        "Bob Beta Active 3.20 1.00 Insufficient evidence 0 2.00 5.00",
        "Cy Gamma Active 3.00 0.60 Insufficient evidence 0 3.00",
    ]


def test_sorting_by_a_dimension_and_by_name(recruiter_client, debrief):
    by_comms = rows(recruiter_client.get(url(sort="-d2")).content.decode())
    assert [r.split(" Active")[0] for r in by_comms] == ["Bob Beta", "Ada Alpha", "Cy Gamma"]
    ascending = rows(recruiter_client.get(url(sort="d1")).content.decode())
    assert [r.split(" Active")[0] for r in ascending] == ["Bob Beta", "Cy Gamma", "Ada Alpha"]
    by_name = rows(recruiter_client.get(url(sort="-name")).content.decode())
    assert [r.split(" Active")[0] for r in by_name] == ["Cy Gamma", "Bob Beta", "Ada Alpha"]


@pytest.mark.parametrize("query", [{"sort": "d3"}, {"sort": "score;"}, {"status": "x"}])
def test_odd_parameters_are_refused(recruiter_client, debrief, query):
    assert recruiter_client.get(url(**query)).status_code == 400


def test_blind_manager_sees_only_what_they_may(client, hiring_manager, debrief):
    people, stage = debrief
    card(people["Ada Alpha"], stage, hiring_manager, {}, status=Scorecard.Status.DRAFT)
    client.force_login(hiring_manager)
    body = client.get(url()).content.decode()
    assert "Ada Alpha" not in body
    assert "2 candidates; 1 more hidden until your own card is submitted" in re.sub(
        r"\s+", " ", body
    )
    # Another hiring manager manages none of these applications.
    client.force_login(factories.HiringManagerFactory())
    body = client.get(url()).content.decode()
    assert 'data-testid="compare-empty"' in body and "Bob Beta" not in body
    client.force_login(factories.InterviewerFactory())
    assert client.get(url()).status_code == 403


def test_the_pipeline_links_it(recruiter_client, debrief):
    body = recruiter_client.get(reverse("hiring:pipeline", args=["debrief"])).content.decode()
    assert f'href="{url()}"' in body


def test_queries_do_not_grow(recruiter_client, debrief, django_assert_max_num_queries):
    people, stage = debrief
    recruiter_client.get(url())  # headlines stored
    with django_assert_max_num_queries(12) as small:
        recruiter_client.get(url())
    queries = len(small.captured_queries)
    revision = stage.revision
    for _ in range(12):
        application = factories.ApplicationFactory(revision=revision)
        card(application, stage, factories.InterviewerFactory(), {})
    recruiter_client.get(url())
    with django_assert_max_num_queries(queries):
        body = recruiter_client.get(url()).content.decode()
    assert len(rows(body)) == 15
