"""The API's endpoints do the pages' work with the pages' rules: what a call answers, and
what it stored (or, refused, did not)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Candidate, Decision, Interview
from roles.models import RoleRevision
from scorecards.models import Scorecard
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def later(days=7) -> str:
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0).isoformat()


# --- roles ------------------------------------------------------------------------------------


def test_roles_list_and_detail_with_dimensions_anchors_and_stages(api):
    loop = build_loop()
    recruiter = factories.RecruiterFactory()
    caller = api(recruiter)
    listed = caller.get(url("roles")).json()
    assert listed["count"] == 1
    role = listed["results"][0]
    assert role["slug"] == loop.revision.role.slug
    assert role["published_revision"] == loop.revision.number
    detail = caller.get(url("role", role["slug"])).json()
    assert detail["revision"]["number"] == loop.revision.number
    assert [d["name"] for d in detail["dimensions"]] == [d.name for d in loop.dimensions]
    anchors = detail["dimensions"][0]["anchors"]
    assert [a["level"] for a in anchors] == [1, 2, 3, 4, 5]
    assert anchors[2]["text"] == "Meets the bar for system design."
    assert anchors[4]["text"] == "Sets the standard in system design."
    assert [s["name"] for s in detail["stages"]] == ["System design case", "Values interview"]
    assert detail["stages"][0]["focus_dimensions"] == sorted(d.id for d in loop.focus)
    assert detail["stages"][0]["exercise"] == "Streaming pipeline case"


def test_an_interviewer_sees_only_their_roles_and_stages(api):
    loop = build_loop()
    interviewer = loop.interview.interviewer
    factories.RoleRevisionFactory(role__title="Another role")  # not theirs
    caller = api(interviewer)
    assert [r["slug"] for r in caller.get(url("roles")).json()["results"]] == [
        loop.revision.role.slug
    ]
    detail = caller.get(url("role", loop.revision.role.slug)).json()
    assert [s["name"] for s in detail["stages"]] == ["System design case"]
    other = factories.RoleRevisionFactory(role__title="Hidden role").role
    assert caller.get(url("role", other.slug)).status_code == 404


def test_export_then_import_makes_the_same_revision_once(api):
    loop = build_loop()
    caller = api(factories.RecruiterFactory())
    exported = caller.get(url("role_export", loop.revision.role.slug))
    assert exported.status_code == 200
    body = exported.json()
    assert body["slug"] == loop.revision.role.slug
    body["slug"] = "imported-copy"
    body["title"] = "Imported copy"
    first = caller.post(url("role_import"), body)
    assert first.status_code == 201, first.json()
    (made,) = first.json()["revisions"]
    assert made["role"] == "imported-copy" and made["created"] and made["status"] == "draft"
    revision = RoleRevision.objects.get(role__slug="imported-copy")
    assert list(revision.dimensions.values_list("name", flat=True)) == [
        d.name for d in loop.dimensions
    ]
    again = caller.post(url("role_import"), body)
    assert again.status_code == 200 and not again.json()["revisions"][0]["created"]
    assert RoleRevision.objects.filter(role__slug="imported-copy").count() == 1


def test_a_broken_import_is_refused_with_its_reason_and_stores_nothing(api):
    caller = api(factories.RecruiterFactory())
    refused = caller.post(url("role_import"), {"title": "No dimensions"})
    assert refused.status_code == 400
    assert "not a valid role export" in refused.json()["errors"]["body"][0]
    assert not RoleRevision.objects.exists()


def test_a_blueprint_text_imports_as_a_draft(api, settings):
    from pathlib import Path

    blueprint = sorted((Path(settings.BASE_DIR) / "roles" / "blueprints").glob("*.txt"))[0]
    caller = api(factories.RecruiterFactory())
    response = caller.client.post(
        url("role_import"),
        data=blueprint.read_bytes(),
        content_type="text/plain",
        **caller.headers,
    )
    assert response.status_code == 201, response.json()
    assert RoleRevision.objects.filter(status="draft").count() == 1


# --- candidates -------------------------------------------------------------------------------


def test_candidates_are_created_updated_and_refused_twice(api):
    caller = api(factories.RecruiterFactory())
    made = caller.post(url("candidates"), {"name": "Ada L", "email": "ada@example.org"})
    assert made.status_code == 201
    pk = made.json()["id"]
    twice = caller.post(url("candidates"), {"name": "Ada Again", "email": "ADA@example.org"})
    assert twice.status_code == 400
    assert "already uses this email" in twice.json()["errors"]["email"][0]
    changed = caller.patch(url("candidate", pk), {"source": "referral"})
    assert changed.status_code == 200
    candidate = Candidate.objects.get(pk=pk)
    assert (candidate.name, candidate.source) == ("Ada L", "referral")
    assert Candidate.objects.count() == 1


def test_candidates_filter_by_role_status_and_updated_since(api):
    loop = build_loop()
    factories.CandidateFactory(name="Nobody")
    caller = api(factories.RecruiterFactory())
    role = loop.revision.role.slug
    by_role = caller.get(url("candidates") + f"?role={role}").json()
    assert [c["name"] for c in by_role["results"]] == ["Grace Hopper"]
    assert caller.get(url("candidates") + "?status=hired").json()["count"] == 0
    assert caller.get(url("candidates") + "?status=nonsense").status_code == 400
    future = (timezone.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert caller.get(url("candidates"), data={"updated_since": future}).json()["count"] == 0
    assert caller.get(url("candidates") + "?updated_since=yesterday").status_code == 400


# --- applications -----------------------------------------------------------------------------


def test_an_application_is_opened_read_and_withdrawn(api):
    revision = factories.RoleRevisionFactory()
    manager = factories.HiringManagerFactory()
    candidate = factories.CandidateFactory()
    recruiter = factories.RecruiterFactory()
    caller = api(recruiter)
    made = caller.post(
        url("applications"),
        {"candidate": candidate.pk, "role": revision.role.slug, "hiring_manager": manager.pk},
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    again = caller.post(
        url("applications"),
        {"candidate": candidate.pk, "role": revision.role.slug, "hiring_manager": manager.pk},
    )
    assert again.status_code == 400 and "already has an active application" in str(again.json())
    assert caller.get(url("application", pk)).json()["interviews"] == []
    withdrawn = caller.post(url("application_withdraw", pk), {"reason": "Took another offer"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    application = Application.objects.get(pk=pk)
    assert application.status == "withdrawn"
    assert application.history.first().history_change_reason == "Took another offer"


def test_a_decided_application_cannot_be_withdrawn(api):
    application = factories.ApplicationFactory()
    application.record_decision("no_hire", "Not this time.", by=application.hiring_manager)
    refused = api(factories.RecruiterFactory()).post(url("application_withdraw", application.pk))
    assert refused.status_code == 409
    application.refresh_from_db()
    assert application.status == "rejected"


def test_a_hiring_manager_lists_only_their_applications(api):
    loop = build_loop()
    factories.ApplicationFactory(revision=loop.revision)  # another manager's
    caller = api(loop.application.hiring_manager)
    listed = caller.get(url("applications")).json()
    assert [a["id"] for a in listed["results"]] == [loop.application.pk]
    assert listed["results"][0]["cards_expected"] == 2


# --- interviews -------------------------------------------------------------------------------


def test_interviews_are_assigned_changed_and_removed_as_the_form_allows(api):
    loop = build_loop()
    newcomer = factories.InterviewerFactory()
    caller = api(factories.RecruiterFactory())
    body = {
        "application": loop.application.pk,
        "stage": loop.stage.pk,
        "interviewer": newcomer.pk,
        "scheduled_at": later(),
    }
    made = caller.post(url("interviews"), body)
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["card_state"] == "not_started"
    twice = caller.post(url("interviews"), body)
    assert twice.status_code == 400 and "already interviews" in str(twice.json())
    far = caller.post(url("interviews"), {**body, "scheduled_at": later(days=5 * 365)})
    assert far.status_code == 400 and "two years" in str(far.json())
    moved = caller.patch(url("interview", pk), {"stage": loop.other_stage.pk})
    assert moved.status_code == 200, moved.json()
    assert Interview.objects.get(pk=pk).stage == loop.other_stage
    assert caller.delete(url("interview", pk)).status_code == 204
    assert not Interview.objects.filter(pk=pk).exists()


def test_a_started_card_keeps_its_interview(api):
    loop = build_loop()
    factories.scorecard_with_ratings(loop.interview, {}, status=Scorecard.Status.DRAFT)
    caller = api(factories.RecruiterFactory())
    other = factories.InterviewerFactory()
    refused = caller.patch(url("interview", loop.interview.pk), {"interviewer": other.pk})
    assert refused.status_code == 409
    assert caller.delete(url("interview", loop.interview.pk)).status_code == 409
    loop.interview.refresh_from_db()
    assert loop.interview.interviewer != other
    moved = caller.patch(url("interview", loop.interview.pk), {"scheduled_at": later(3)})
    assert moved.status_code == 200


# --- scorecards -------------------------------------------------------------------------------


def _card_body(loop, version, **overrides):
    d = loop.dimensions
    body = {
        "version": version,
        "ratings": [
            {"dimension": d[0].id, "score": 5, "evidence": "Designed back-pressure."},
            {"dimension": d[1].id, "score": 3, "evidence": "Offline metrics only."},
        ],
        "signals": [{"signal": loop.red[0].id, "note": "Blamed the SRE team."}],
        "recommendation": "yes",
        "summary": "Strong designer.",
    }
    body.update(overrides)
    return body


def test_an_interviewer_saves_a_draft_then_submits_with_the_pages_rules(api):
    loop = build_loop()
    caller = api(loop.interview.interviewer)
    card_url = url("interview_scorecard", loop.interview.pk)
    empty = caller.get(card_url).json()
    assert empty["version"] == 0 and empty["status"] == "not_started"
    assert {d["id"] for d in empty["dimensions"] if d["focus"]} == {d.id for d in loop.focus}
    saved = caller.put(card_url, _card_body(loop, 0, recommendation=""))
    assert saved.status_code == 200, saved.json()
    assert saved.json()["version"] == 1 and saved.json()["status"] == "draft"
    stale = caller.put(card_url, _card_body(loop, 0))
    assert stale.status_code == 409
    # A submission without a recommendation is refused with the problem; nothing written.
    incomplete = caller.put(card_url, _card_body(loop, 1, recommendation="", submit=True))
    assert incomplete.status_code == 400
    assert "recommendation" in incomplete.json()["errors"]
    card = Scorecard.objects.get(interview=loop.interview)
    assert (card.version, card.status) == (1, "draft")
    submitted = caller.put(card_url, _card_body(loop, 1, submit=True))
    assert submitted.status_code == 200, submitted.json()
    card.refresh_from_db()
    assert card.status == "submitted" and card.recommendation == "yes"
    assert card.ratings.get(dimension=loop.dimensions[0]).evidence == "Designed back-pressure."
    assert caller.put(card_url, _card_body(loop, card.version)).status_code == 409


def test_a_card_naming_another_roles_dimension_is_refused(api):
    loop = build_loop()
    stranger = factories.DimensionFactory()
    caller = api(loop.interview.interviewer)
    body = _card_body(loop, 0)
    body["ratings"].append({"dimension": stranger.id, "score": 2, "evidence": ""})
    assert caller.put(url("interview_scorecard", loop.interview.pk), body).status_code == 400
    assert not Scorecard.objects.exists()


def test_nobody_fills_anothers_card(api):
    loop = build_loop()
    caller = api(loop.other_interview.interviewer)
    card_url = url("interview_scorecard", loop.interview.pk)
    assert caller.get(card_url).status_code == 404
    assert caller.put(card_url, _card_body(loop, 0)).status_code == 404
    assert not Scorecard.objects.exists()


def test_scorecards_follow_the_blindness_rule(api):
    loop = build_loop()
    mine = factories.scorecard_with_ratings(
        loop.interview, {loop.dimensions[0]: 3}, status=Scorecard.Status.DRAFT
    )
    theirs = factories.scorecard_with_ratings(loop.other_interview, {loop.dimensions[2]: 4})
    caller = api(loop.interview.interviewer)
    listed = caller.get(url("scorecards")).json()
    assert [c["id"] for c in listed["results"]] == [mine.pk]
    hidden = caller.get(url("scorecard", theirs.pk))
    assert hidden.status_code == 404
    assert "Submit your own scorecard first" in hidden.json()["detail"]
    mine.status = Scorecard.Status.SUBMITTED
    mine.save()
    listed = caller.get(url("scorecards")).json()
    assert {c["id"] for c in listed["results"]} == {mine.pk, theirs.pk}
    card = caller.get(url("scorecard", theirs.pk)).json()
    assert card["ratings"] == [
        {"dimension": loop.dimensions[2].id, "score": 4, "evidence": card["ratings"][0]["evidence"]}
    ]


def test_scorecards_filter_by_status_role_and_updated_since(api):
    loop = build_loop()
    factories.scorecard_with_ratings(loop.interview, {}, status=Scorecard.Status.DRAFT)
    factories.scorecard_with_ratings(loop.other_interview, {loop.dimensions[2]: 4})
    caller = api(factories.RecruiterFactory())
    assert caller.get(url("scorecards") + "?status=submitted").json()["count"] == 1
    assert caller.get(url("scorecards") + "?role=elsewhere").json()["count"] == 0
    assert caller.get(url("scorecards") + f"?role={loop.revision.role.slug}").json()["count"] == 2
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert caller.get(url("scorecards"), data={"updated_since": future}).json()["count"] == 0


# --- panel, decisions, calibration ------------------------------------------------------------


def _panel_ready():
    loop = build_loop()
    d = loop.dimensions
    factories.scorecard_with_ratings(loop.interview, {d[0]: 4, d[1]: 4}, recommendation="yes")
    factories.scorecard_with_ratings(loop.other_interview, {d[2]: 4}, recommendation="yes")
    return loop


def test_the_panel_is_the_pages_panel_json(api, client):
    loop = _panel_ready()
    manager = loop.application.hiring_manager
    client.force_login(manager)
    page = client.get(reverse("hiring:panel_json", args=[loop.application.pk])).json()
    assert api(manager).get(url("panel", loop.application.pk)).json() == page


def test_a_hiring_manager_who_interviews_waits_for_their_own_card(api):
    loop = _panel_ready()
    manager = loop.application.hiring_manager
    from django.contrib.auth.models import Group

    manager.groups.add(Group.objects.get(name="Interviewer"))
    factories.InterviewFactory(application=loop.application, stage=loop.stage, interviewer=manager)
    caller = api(manager)
    refused = caller.get(url("panel", loop.application.pk))
    assert refused.status_code == 403
    assert "Submit your own scorecard first" in refused.json()["detail"]
    hold = {"outcome": "hold", "rationale": "x"}
    decided = caller.post(url("decisions", loop.application.pk), hold)
    assert decided.status_code == 403
    assert not Decision.objects.exists()
    assert caller.get(url("scorecards")).json()["count"] == 0


def test_a_decision_against_the_recommendation_needs_the_acknowledgement(api):
    loop = _panel_ready()
    caller = api(loop.application.hiring_manager)
    decide = url("decisions", loop.application.pk)
    refused = caller.post(decide, {"outcome": "no_hire", "rationale": "Gut feeling."})
    assert refused.status_code == 400
    assert "goes against the computed recommendation" in refused.json()["errors"]["acknowledge"][0]
    assert not Decision.objects.exists()
    made = caller.post(
        decide, {"outcome": "no_hire", "rationale": "Gut feeling.", "acknowledge": True}
    )
    assert made.status_code == 201, made.json()
    assert made.json()["application_status"] == "rejected"
    # A decision based on having seen none, now that one exists: refused.
    stale = caller.post(decide, {"outcome": "hold", "rationale": "Wait."})
    assert stale.status_code == 409
    assert Decision.objects.count() == 1


def test_a_recruiter_reads_the_panel_but_does_not_decide(api):
    loop = _panel_ready()
    caller = api(factories.RecruiterFactory())
    assert caller.get(url("panel", loop.application.pk)).status_code == 200
    hold = {"outcome": "hold", "rationale": "x"}
    refused = caller.post(url("decisions", loop.application.pk), hold)
    assert refused.status_code == 403
    assert not Decision.objects.exists()


def test_calibration_is_the_pages_calibration_json(api, client):
    loop = _panel_ready()
    recruiter = factories.RecruiterFactory()
    client.force_login(recruiter)
    role = loop.revision.role.slug
    page = client.get(reverse("scorecards:calibration_json") + f"?role={role}").json()
    caller = api(recruiter)
    assert caller.get(url("calibration") + f"?role={role}").json() == page
    assert caller.get(url("calibration")).status_code == 400
    assert caller.get(url("calibration") + "?role=nope").status_code == 404


# --- lists cost a constant number of queries ---------------------------------------------------


@pytest.mark.parametrize(
    "name", ["roles", "candidates", "applications", "interviews", "scorecards"]
)
def test_lists_make_a_constant_number_of_queries(api, name, django_assert_max_num_queries):
    recruiter = factories.RecruiterFactory()
    caller = api(recruiter)
    caller.get(url(name))  # the token's first use is written once (last_used_at)
    counts = []
    for _ in range(2):
        for _ in range(3):
            loop = build_loop()
            factories.scorecard_with_ratings(loop.interview, {loop.dimensions[0]: 3})
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert caller.get(url(name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        caller.get(url(name))
