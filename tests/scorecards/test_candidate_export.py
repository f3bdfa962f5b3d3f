"""A candidate's data, downloaded for them: JSON and a printable page holding everything
stored about them (applications, interviews, cards with ratings and evidence, decisions,
reviews, history), with a file name and no-store, recorded in the audit log; what the
blindness rule hides from the recruiter stays out."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import AuditEntry
from scorecards.models import Scorecard
from tests import factories
from tests.hiring.test_erasure import (
    DRAFT_EVIDENCE,
    EVIDENCE,
    NAME,
    OTHER_EVIDENCE,
    RATIONALE_HIRE,
    REOPEN_REASON,
    REVIEW_NOTE,
    SECRETS,
    WITHDRAW_REASON,
    build_candidate,
)

pytestmark = pytest.mark.django_db


def urls(candidate):
    return (
        reverse("hiring:candidate_export_json", args=[candidate.pk]),
        reverse("hiring:candidate_export", args=[candidate.pk]),
    )


def test_the_json_holds_everything_stored_about_the_candidate(recruiter_client):
    candidate, loop, _ = build_candidate()
    response = recruiter_client.get(urls(candidate)[0])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="candidate-{candidate.pk}-{stamp}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    text = json.dumps(data, ensure_ascii=False)
    assert [s for s in SECRETS if s not in text] == []

    assert data["candidate"]["name"] == NAME
    hired, withdrawn = data["applications"]
    assert (hired["status"], withdrawn["status"]) == ("hired", "withdrawn")
    assert [h["reason"] for h in withdrawn["history"]][-1] == WITHDRAW_REASON
    assert [d["rationale"] for d in hired["decisions"]][0] == RATIONALE_HIRE
    assert len(hired["decisions"][0]["history"]) == 1
    review = hired["performance_reviews"][0]
    assert review["rating"] == 4 and [h["note"] for h in review["history"]][0] == REVIEW_NOTE
    card = hired["interviews"][0]["scorecard"]
    assert card["status"] == "submitted"
    assert {(r["dimension"], r["score"], r["evidence"]) for r in card["ratings"]} == {
        (loop.dimensions[0].name, 5, EVIDENCE),
        (loop.dimensions[1].name, 3, ""),
    }
    assert [h["evidence"] for h in card["ratings_history"]][0] == DRAFT_EVIDENCE
    assert REOPEN_REASON in [h["reopen_reason"] for h in card["history"]]
    assert card["signals"][0]["kind"] == "Red flag"
    other = hired["interviews"][1]["scorecard"]
    assert other["ratings"][0]["evidence"] == OTHER_EVIDENCE


def test_the_printable_page_holds_the_same(recruiter_client):
    candidate, _, _ = build_candidate()
    response = recruiter_client.get(urls(candidate)[1])
    assert response.status_code == 200
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'inline; filename="candidate-{candidate.pk}-{stamp}.html"'
    )
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f"Everything stored about {NAME}" in page
    assert [s for s in SECRETS if s not in page] == []
    # Its own document, to print: no navigation, no script.
    assert "<script" not in page and "navbar" not in page


def test_each_download_is_in_the_audit_log(recruiter_client, recruiter):
    candidate = factories.CandidateFactory(name=NAME)
    for url in urls(candidate):
        recruiter_client.get(url)
    entries = AuditEntry.objects.filter(candidate_id=candidate.pk)
    assert [(e.action, e.actor) for e in entries] == [("export", recruiter)] * 2
    data = recruiter_client.get(urls(candidate)[0]).json()
    assert [e["action"] for e in data["audit"]] == ["export", "export"]


def test_a_recruiter_interviewing_with_a_card_pending_sees_only_their_own(client):
    candidate, loop, _ = build_candidate()
    recruiter = factories.RecruiterFactory()
    own = factories.InterviewFactory(
        application=loop.application, stage=loop.stage, interviewer=recruiter
    )
    factories.scorecard_with_ratings(
        own,
        {loop.dimensions[0]: 2},
        status=Scorecard.Status.DRAFT,
        recommendation="",
        evidence="My own draft notes",
    )
    client.force_login(recruiter)
    data = client.get(urls(candidate)[0]).json()
    hired = data["applications"][0]
    assert hired["results_hidden"] is True
    assert hired["decisions"] == [] and hired["performance_reviews"] == []
    text = json.dumps(data, ensure_ascii=False)
    assert EVIDENCE not in text and RATIONALE_HIRE not in text
    assert "My own draft notes" in text
    page = client.get(urls(candidate)[1]).content.decode()
    assert EVIDENCE not in page and "My own draft notes" in page
    assert "hidden from you until your own card" in page


def test_after_an_erasure_the_export_holds_nothing_of_them(recruiter_client, recruiter):
    candidate, _, _ = build_candidate()
    candidate.erase(by=recruiter, reason="Asked by email")
    data = recruiter_client.get(urls(candidate)[0]).json()
    assert data["candidate"]["name"] == f"Erased candidate #{candidate.pk}"
    assert data["candidate"]["email"] == ""
    text = json.dumps(data, ensure_ascii=False) + recruiter_client.get(
        urls(candidate)[1]
    ).content.decode("utf-8")
    assert [s for s in SECRETS if s in text] == []
    assert data["audit"][0]["reason"] == "Asked by email"


def test_a_missing_candidate_is_a_404(recruiter_client):
    response = recruiter_client.get(reverse("hiring:candidate_export_json", args=[987654]))
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()
