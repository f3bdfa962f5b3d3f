"""The panel's shared sections and its JSON are cached per state of the application's
interviews and scorecards (hiring.panel_views._panel_page, hiring.panel_data.panel_stamp).

Each test opens the panel once so the cache is warm, changes what the panel shows
through the path users take, and checks the next page shows the change.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.models import Decision
from hiring_site.access import INTERVIEWER
from scorecards.models import Rating, ScorecardContent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(hiring_manager):
    """Two stages; Ivy submitted hers (Design 4), Ian's card is a draft (Design 2)."""
    revision, (design, talk) = factories.revision_with_dimensions(
        [60, 40], names=["Design", "Talk"]
    )
    first = factories.InterviewStageFactory(
        revision=revision, order=0, name="Case", focus_dimensions=[design, talk]
    )
    second = factories.InterviewStageFactory(
        revision=revision, order=1, name="Pairing", focus_dimensions=[design]
    )
    application = factories.ApplicationFactory(
        revision=revision, hiring_manager=hiring_manager, candidate__name="Ada Lovelace"
    )
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Ito")
    ian = factories.InterviewerFactory(first_name="Ian", last_name="Ng")
    submitted = factories.scorecard_with_ratings(
        factories.InterviewFactory(application=application, stage=first, interviewer=ivy),
        {design: 4, talk: 3},
        recommendation="yes",
        evidence="Drew the queues first",
    )
    draft = factories.scorecard_with_ratings(
        factories.InterviewFactory(application=application, stage=second, interviewer=ian),
        {design: 2},
        status="draft",
        recommendation="no",
        evidence="Struggled with the tests",
    )
    return {
        "application": application,
        "design": design,
        "talk": talk,
        "stage": second,
        "ivy": ivy,
        "ian": ian,
        "submitted": submitted,
        "draft": draft,
    }


def page(client, application) -> str:
    response = client.get(reverse("hiring:panel", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def as_json(client, application) -> dict:
    response = client.get(reverse("hiring:panel_json", args=[application.pk]))
    assert response.status_code == 200
    return response.json()


def test_a_warm_panel_reads_three_queries_fewer(
    manager_client, panel, django_assert_max_num_queries
):
    url = reverse("hiring:panel", args=[panel["application"].pk])
    with CaptureQueriesContext(connection) as cold:
        first = manager_client.get(url).content.decode()
    with django_assert_max_num_queries(len(cold.captured_queries) - 3):
        second = manager_client.get(url).content.decode()
    # The cached sections come back as they were rendered, not escaped a second time.
    assert second.count('class="rating-value"') == first.count('class="rating-value"') == 2
    assert "&lt;section" not in second
    # Byte for byte the same page, but for the CSRF token masked afresh on each request.
    token = re.compile(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", second) == token.sub("", first)


def test_a_warm_panel_json_reads_three_queries_fewer(
    manager_client, panel, django_assert_max_num_queries
):
    url = reverse("hiring:panel_json", args=[panel["application"].pk])
    with CaptureQueriesContext(connection) as cold:
        first = manager_client.get(url).json()
    with django_assert_max_num_queries(len(cold.captured_queries) - 3):
        second = manager_client.get(url).json()
    assert first == second and second["submitted"] == 1


def test_a_card_submitted_after_the_panel_was_cached_shows(manager_client, panel):
    application, design = panel["application"], panel["design"]
    assert "Ian Ng<br>" not in page(manager_client, application)
    assert as_json(manager_client, application)["submitted"] == 1

    draft = panel["draft"]
    draft.submit(
        ScorecardContent(ratings={design.pk: (2, "Struggled with the tests")}, recommendation="no"),
        draft.version,
        by=panel["ian"],
    )

    body = page(manager_client, application)
    assert "Ian Ng<br>" in body and "Struggled with the tests" in body
    assert as_json(manager_client, application)["submitted"] == 2


def test_a_reopened_card_leaves_the_cached_panel(manager_client, panel, recruiter):
    application = panel["application"]
    assert "Drew the queues first" in page(manager_client, application)
    assert as_json(manager_client, application)["submitted"] == 1

    panel["submitted"].reopen(recruiter, "Rate Talk again")

    body = page(manager_client, application)
    assert "Drew the queues first" not in body
    assert "No scorecard has been submitted yet" in body
    assert as_json(manager_client, application)["submitted"] == 0


def test_a_rating_changed_in_the_admin_shows(client, panel):
    application = panel["application"]
    admin = factories.RecruiterFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert 'rating-4"' in page(client, application)
    assert as_json(client, application)["weighted_score"] == "3.60"

    rating = Rating.objects.get(scorecard=panel["submitted"], dimension=panel["design"])
    response = client.post(
        reverse("admin:scorecards_rating_change", args=[rating.pk]),
        {
            "scorecard": rating.scorecard_id,
            "dimension": rating.dimension_id,
            "score": 1,
            "evidence": "Corrected: no design at all",
        },
    )
    assert response.status_code == 302

    body = page(client, application)
    assert 'rating-1"' in body and "Corrected: no design at all" in body
    assert as_json(client, application)["weighted_score"] == "1.80"


def test_a_renamed_interviewer_shows(manager_client, panel):
    application = panel["application"]
    assert "Ivy Ito<br>" in page(manager_client, application)
    ivy = panel["ivy"]
    ivy.last_name = "Ito-Park"
    ivy.save()
    assert "Ivy Ito-Park<br>" in page(manager_client, application)


def test_a_new_interview_shows_among_the_gaps(manager_client, panel):
    application = panel["application"]
    assert "Nora New" not in page(manager_client, application)
    nora = factories.InterviewerFactory(first_name="Nora", last_name="New")
    nora.groups.add(Group.objects.get(name=INTERVIEWER))
    factories.InterviewFactory(application=application, stage=panel["stage"], interviewer=nora)
    assert "Nora New" in page(manager_client, application)


def test_a_decision_recorded_elsewhere_shows_with_a_warm_cache(
    manager_client, panel, hiring_manager
):
    application = panel["application"]
    assert "No decision recorded yet" in page(manager_client, application)
    application.record_decision(
        Decision.Outcome.HOLD, "Waiting for the last card", by=hiring_manager
    )
    body = page(manager_client, application)
    assert "Waiting for the last card" in body
    assert "No decision recorded yet" not in body


def test_a_data_fix_to_the_frozen_revision_shows(manager_client, panel):
    """A published revision's rows change only through a data fix from a shell; its
    cached content is dropped then (roles.content), and the panel with it."""
    application, design = panel["application"], panel["design"]
    assert "Design <span" in page(manager_client, application)
    design.name = "Systems design"
    design.save()
    assert "Systems design <span" in page(manager_client, application)


def test_changed_scoring_settings_of_the_revision_show(manager_client, panel):
    application = panel["application"]
    assert as_json(manager_client, application)["recommendation"] == "insufficient_evidence"
    assert "Insufficient evidence" in page(manager_client, application)
    revision = application.revision
    revision.min_scorecards = 1
    revision.min_coverage = 0
    revision.save()
    assert as_json(manager_client, application)["recommendation"] == "hire"
    assert "Insufficient evidence" not in page(manager_client, application)


def test_a_renamed_decider_shows_in_the_cached_history(manager_client, panel, hiring_manager):
    application = panel["application"]
    application.record_decision(Decision.Outcome.HOLD, "Waiting", by=hiring_manager)
    hiring_manager.first_name, hiring_manager.last_name = "Hana", "Moro"
    hiring_manager.save(update_fields=["last_login"])  # a login: no name changed
    page(manager_client, application)
    hiring_manager.save()
    assert "<td>Hana Moro</td>" in page(manager_client, application)


def test_a_removed_interview_leaves_the_cached_gaps(manager_client, panel):
    application = panel["application"]
    nora = factories.InterviewerFactory(first_name="Nora", last_name="New")
    interview = factories.InterviewFactory(
        application=application, stage=panel["stage"], interviewer=nora
    )
    assert "Nora New" in page(manager_client, application)
    interview.delete()
    assert "Nora New" not in page(manager_client, application)
