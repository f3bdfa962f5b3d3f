"""The scoring of a role's applications is cached under what it depends on, each
application's panel_version among it (hiring.panel_data.load_summaries): the CSV
export and the pipeline.

Each test reads the export once so the cache is warm, changes a card through the path
users take (the scorecard's own methods, the admin), and checks the next export shows it.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.models import Application
from roles.models import RoleRevision, Signal
from scorecards.models import Rating, ScorecardContent, SignalCheck
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(hiring_manager):
    """Ada: Ivy submitted (Design 4, Talk 3, yes), Ian's card is a draft (Design 2).
    Bob: two submitted cards, 5s and 4s."""
    revision, (design, talk) = factories.revision_with_dimensions(
        [60, 40], names=["Design", "Talk"], role__slug="platform"
    )
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[design])
    red_flag = factories.SignalFactory(revision=revision, kind=Signal.Kind.RED_FLAG, text="Lied")
    ada = factories.ApplicationFactory(
        revision=revision, hiring_manager=hiring_manager, candidate__name="Ada Lovelace"
    )
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Ito")
    ian = factories.InterviewerFactory(first_name="Ian", last_name="Ng")
    submitted = factories.scorecard_with_ratings(
        factories.InterviewFactory(application=ada, stage=stage, interviewer=ivy),
        {design: 4, talk: 3},
    )
    draft = factories.scorecard_with_ratings(
        factories.InterviewFactory(application=ada, stage=stage, interviewer=ian),
        {design: 2},
        status="draft",
        recommendation="no",
    )
    bob = factories.ApplicationFactory(revision=revision, candidate__name="Bob Baker")
    for scores in ({design: 5, talk: 5}, {design: 4, talk: 4}):
        factories.scorecard_with_ratings(factories.InterviewFactory(application=bob), scores)
    return {
        "revision": revision,
        "design": design,
        "talk": talk,
        "red_flag": red_flag,
        "ada": ada,
        "ian": ian,
        "submitted": submitted,
        "draft": draft,
    }


def export(client, **params) -> dict[str, dict[str, str]]:
    response = client.get(reverse("hiring:export", args=["platform"]), params)
    assert response.status_code == 200
    return {row["candidate"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}


def ada(client) -> tuple[str, str, str, str, str]:
    row = export(client)["Ada Lovelace"]
    keys = ("submitted_scorecards", "weighted_score", "coverage", "recommendation", "red_flags")
    return tuple(row[key] for key in keys)


def test_a_warm_export_skips_the_scoring_queries(
    recruiter_client, loop, django_assert_max_num_queries
):
    url = reverse("hiring:export", args=["platform"])
    with CaptureQueriesContext(connection) as cold:
        first = recruiter_client.get(url).content
    # Neither the ratings nor the signal checks are read again.
    with django_assert_max_num_queries(len(cold.captured_queries) - 2):
        second = recruiter_client.get(url).content
    assert first == second
    assert export(recruiter_client)["Bob Baker"]["weighted_score"] == "4.50"


def test_a_card_submitted_after_the_export_was_cached_shows(recruiter_client, loop):
    assert ada(recruiter_client) == ("1", "3.60", "1.00", "insufficient_evidence", "0")
    draft = loop["draft"]
    draft.submit(
        ScorecardContent(ratings={loop["design"].pk: (2, "Struggled")}, recommendation="no"),
        draft.version,
        by=loop["ian"],
    )
    # Design (4 + 2) / 2 = 3 at 60, Talk 3 at 40.
    assert ada(recruiter_client) == ("2", "3.00", "1.00", "hire", "0")


def test_a_reopened_card_leaves_the_cached_export(recruiter_client, loop, recruiter):
    assert ada(recruiter_client)[0] == "1"
    loop["submitted"].reopen(recruiter, "Rate Talk again")
    assert ada(recruiter_client) == ("0", "", "0.00", "insufficient_evidence", "0")


def test_a_rating_changed_in_the_admin_shows_in_the_export(client, loop):
    admin = factories.RecruiterFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert ada(client)[1] == "3.60"
    rating = Rating.objects.get(scorecard=loop["submitted"], dimension=loop["design"])
    response = client.post(
        reverse("admin:scorecards_rating_change", args=[rating.pk]),
        {
            "scorecard": rating.scorecard_id,
            "dimension": rating.dimension_id,
            "score": 1,
            "evidence": "Corrected",
        },
    )
    assert response.status_code == 302
    # 1 * 0.6 + 3 * 0.4
    assert ada(client)[1] == "1.80"

    response = client.post(
        reverse("admin:scorecards_rating_delete", args=[rating.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    # Talk alone: 3.00 over 40% of the weight.
    assert ada(client)[1:3] == ("3.00", "0.40")


def test_a_red_flag_added_in_the_admin_shows_in_the_export(client, loop):
    admin = factories.RecruiterFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert ada(client)[4] == "0"
    response = client.post(
        reverse("admin:scorecards_signalcheck_add"),
        {"scorecard": loop["submitted"].pk, "signal": loop["red_flag"].pk, "note": "Seen"},
    )
    assert response.status_code == 302
    assert ada(client)[4] == "1"

    check = SignalCheck.objects.get()
    response = client.post(
        reverse("admin:scorecards_signalcheck_changelist"),
        {"action": "delete_selected", "_selected_action": [check.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert ada(client)[4] == "0"


def test_a_rating_moved_to_another_card_in_the_admin_shows(client, loop):
    admin = factories.RecruiterFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    bob = export(client)["Bob Baker"]
    assert (bob["weighted_score"], ada(client)[1]) == ("4.50", "3.60")
    rating = Rating.objects.get(scorecard=loop["submitted"], dimension=loop["talk"])
    other = Rating.objects.filter(dimension=loop["talk"], score=4).get()
    other.delete()
    response = client.post(
        reverse("admin:scorecards_rating_change", args=[rating.pk]),
        {"scorecard": other.scorecard_id, "dimension": rating.dimension_id, "score": 3},
    )
    assert response.status_code == 302
    rows = export(client)
    # Ada: Design 4 only. Bob: Design (5 + 4) / 2, Talk (5 + 3) / 2.
    assert rows["Ada Lovelace"]["weighted_score"] == "4.00"
    assert rows["Bob Baker"]["weighted_score"] == "4.30"


def test_changed_scoring_settings_show_with_a_warm_cache(recruiter_client, loop):
    assert export(recruiter_client)["Bob Baker"]["recommendation"] == "strong_hire"
    RoleRevision.objects.filter(pk=loop["revision"].pk).update(
        thresholds={"strong_hire": "4.6"}, min_coverage=Decimal("0.5")
    )
    assert export(recruiter_client)["Bob Baker"]["recommendation"] == "hire"


def test_a_draft_revision_is_scored_afresh_each_time(recruiter_client, loop):
    RoleRevision.objects.filter(pk=loop["revision"].pk).update(status=RoleRevision.Status.DRAFT)
    assert ada(recruiter_client)[1] == "3.60"
    # A change no stamp would see: a draft revision is never cached.
    Rating.objects.filter(scorecard=loop["submitted"], dimension=loop["design"]).update(score=1)
    assert ada(recruiter_client)[1] == "1.80"


def test_the_pipeline_sorted_by_score_shows_a_submitted_card(recruiter_client, loop):
    url = reverse("hiring:pipeline", args=["platform"])
    assert "3.60" in recruiter_client.get(url, {"sort": "-score"}).content.decode()
    draft = loop["draft"]
    draft.submit(
        ScorecardContent(ratings={loop["design"].pk: (2, "Struggled")}, recommendation="no"),
        draft.version,
        by=loop["ian"],
    )
    body = recruiter_client.get(url, {"sort": "-score"}).content.decode()
    assert "3.60" not in body and "3.00" in body


def test_a_stale_copy_of_the_application_saved_after_a_submit_keeps_the_new_scores(
    recruiter_client, loop
):
    """The decision view, the admin and others save whole Application rows; one read
    before a card was submitted must not set panel_version back to the state the cache
    holds old scoring for."""
    stale = Application.objects.get(pk=loop["ada"].pk)
    assert ada(recruiter_client)[0] == "1"
    draft = loop["draft"]
    draft.submit(
        ScorecardContent(ratings={loop["design"].pk: (2, "Slow")}, recommendation="no"),
        draft.version,
        by=loop["ian"],
    )
    stale.status = Application.Status.HIRED
    stale.save()
    assert Application.objects.get(pk=stale.pk).panel_version > stale.panel_version
    row = export(recruiter_client)["Ada Lovelace"]
    assert (row["submitted_scorecards"], row["status"]) == ("2", "hired")


def test_the_cached_export_shows_a_renamed_candidate_and_a_new_status(recruiter_client, loop):
    assert "Ada Lovelace" in export(recruiter_client)
    candidate = loop["ada"].candidate
    candidate.name = "Ada King"
    candidate.save()
    Application.objects.filter(pk=loop["ada"].pk).update(status=Application.Status.WITHDRAWN)
    rows = export(recruiter_client)
    assert "Ada Lovelace" not in rows
    assert rows["Ada King"]["status"] == "withdrawn"


def test_a_draft_next_revision_of_the_role_does_not_stop_the_cache(
    recruiter_client, loop, django_assert_max_num_queries
):
    """Editing a role makes a draft revision beside the published one the applications
    are on: their scoring is still kept."""
    factories.RoleRevisionFactory(
        role=loop["revision"].role, number=2, status=RoleRevision.Status.DRAFT
    )
    url = reverse("hiring:export", args=["platform"])
    with CaptureQueriesContext(connection) as cold:
        first = recruiter_client.get(url).content
    with django_assert_max_num_queries(len(cold.captured_queries) - 2):
        assert recruiter_client.get(url).content == first
