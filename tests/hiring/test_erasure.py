"""Erasing a candidate (hiring.erasure, Candidate.erase, the recruiter's confirmation
page): afterwards nothing anywhere in the database (every table of every installed
app, history, the admin's log and the sessions included) nor in the cache holds their
name, email, source or any text written about them, while their scores still count in
calibration and validity."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hiring import results_cache
from hiring.models import Application, AuditEntry, Candidate, OutboxEmail, PerformanceReview
from scorecards.calibration import dimension_rows, interviewer_rows
from scorecards.models import Headline, Scorecard, ScorecardContent
from scorecards.panel import panel_payload, panel_view
from scorecards.pipeline import refresh_headlines
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db

# Distinctive, so that finding one anywhere means it was not erased (the name has a
# letter outside ASCII: the admin's log keeps it escaped as JSON writes it).
NAME = "Quillon Vëxbridge-Tamsworth"
EMAIL = "quillon.vexbridge@zebrafinch-example.org"
SOURCE = "Grapevine Ovalfield referral"
DRAFT_EVIDENCE = "Sketched a zanzibar sharding of the ledger"
EVIDENCE = "Explained the quokka backpressure scheme"
OTHER_EVIDENCE = "Told a story about the marmalade incident"
SIGNAL_NOTE = "Dismissed the pelican privacy concern"
SUMMARY = "Overall a thoughtful tarragon engineer"
REOPEN_REASON = "Please expand the gazpacho evidence"
RATIONALE_HOLD = "Waiting for the xylophone reference"
RATIONALE_HIRE = "Hire: the walrus design won us over"
REVIEW_NOTE = "Ramped up on the periwinkle service"
REVIEW_NOTE_LATER = "Now leads the periwinkle rewrite"
WITHDRAW_REASON = "Took the kumquat offer instead"
SECRETS = (
    NAME,
    EMAIL,
    SOURCE,
    DRAFT_EVIDENCE,
    EVIDENCE,
    OTHER_EVIDENCE,
    SIGNAL_NOTE,
    SUMMARY,
    REOPEN_REASON,
    RATIONALE_HOLD,
    RATIONALE_HIRE,
    REVIEW_NOTE,
    REVIEW_NOTE_LATER,
    WITHDRAW_REASON,
)


def build_candidate():
    """A candidate with everything the app can keep about one: two applications (one
    hired, with a reviewed and resubmitted card, two decisions and two performance
    reviews' worth of notes; one withdrawn with a reason), the admin's log naming them,
    their panel in the results cache and their pipeline headline stored."""
    manager = factories.HiringManagerFactory()
    recruiter = factories.RecruiterFactory()
    loop = build_loop(hiring_manager=manager)
    candidate = loop.application.candidate
    candidate.name, candidate.email, candidate.source = NAME, EMAIL, SOURCE
    candidate.save()
    d, interviewer = loop.dimensions, loop.interview.interviewer

    card = Scorecard(interview=loop.interview, version=0)
    card.save_draft(ScorecardContent(ratings={d[0].id: (4, DRAFT_EVIDENCE)}), 0, by=interviewer)
    content = ScorecardContent(
        ratings={d[0].id: (5, EVIDENCE), d[1].id: (3, "")},
        signals={loop.red[0].id: SIGNAL_NOTE},
        recommendation="yes",
        summary=SUMMARY,
    )
    card.submit(content, card.version, by=interviewer)
    card.reopen(recruiter, REOPEN_REASON)
    card.submit(content, card.version, by=interviewer)
    factories.scorecard_with_ratings(
        loop.other_interview, {d[2]: 2}, evidence=OTHER_EVIDENCE, summary=SUMMARY
    )

    application = loop.application
    application.record_decision("hold", RATIONALE_HOLD, by=manager)
    application.record_decision("hire", RATIONALE_HIRE, by=manager)
    review = PerformanceReview.objects.create(
        application=application,
        rating=4,
        reviewed_on=timezone.localdate(),
        note=REVIEW_NOTE,
        recorded_by=manager,
    )
    review.note = REVIEW_NOTE_LATER
    review.save()

    withdrawn = factories.ApplicationFactory(candidate=candidate, revision=loop.revision)
    withdrawn.withdraw(recruiter, WITHDRAW_REASON)

    # What the admin logs: the candidate's own row, and a card whose name says whose.
    LogEntry.objects.log_actions(
        recruiter.pk, [candidate], CHANGE, change_message=[{"changed": {"fields": ["Source"]}}]
    )
    LogEntry.objects.log_actions(
        recruiter.pk,
        [card],
        CHANGE,
        change_message=[{"changed": {"name": "rating", "object": str(card), "fields": []}}],
    )
    panel_view(Application.objects.select_related("revision__role").get(pk=application.pk))
    panel_payload(Application.objects.select_related("revision__role").get(pk=application.pk))
    refresh_headlines()
    return candidate, loop, recruiter


def database_dump() -> str:
    """Every value of every row of every model of every installed app (auth, admin,
    sessions and the history tables included; sessions decoded), and `dumpdata` of
    everything."""
    parts = []
    for model in apps.get_models(include_auto_created=True):
        for row in model._base_manager.values_list():
            parts.append(" | ".join(str(value) for value in row))
    for session in Session.objects.all():
        parts.append(repr(session.get_decoded()))
    out = StringIO()
    call_command("dumpdata", stdout=out)
    parts.append(out.getvalue())
    return "\n".join(parts)


def cache_dump() -> bytes:
    """Everything the local-memory cache holds (pickles keep text as UTF-8)."""
    return b"\n".join(cache._cache.values())


def found(dump: str) -> list[str]:
    """The secrets in `dump`, as typed or as JSON escapes them, in any case."""
    haystack = dump.casefold()
    return [
        secret
        for secret in SECRETS
        if secret.casefold() in haystack or json.dumps(secret)[1:-1].casefold() in haystack
    ]


def numbers(client, role) -> tuple:
    """What calibration (its page's tables, its JSON) and validity (its JSON) say."""
    query = f"?role={role.slug}"
    calibration = client.get(reverse("scorecards:calibration_json") + query).json()
    validity = client.get(reverse("scorecards:validity_json") + query).json()
    return interviewer_rows(Q()), dimension_rows(Q()), calibration, validity


def test_after_an_erasure_no_table_or_cache_holds_the_candidate_and_the_scores_still_count(
    client, django_capture_on_commit_callbacks
):
    candidate, loop, recruiter = build_candidate()
    client.force_login(recruiter)
    # The set-up really stored every secret where the erasure must find it.
    assert sorted(found(database_dump())) == sorted(SECRETS)
    assert EVIDENCE.encode() in cache_dump()
    versions = Application.objects.get(pk=loop.application.pk).panel_version
    before = numbers(client, loop.revision.role)
    interviewers, dimensions, calibration, validity = before
    assert sorted(row.ratings for row in interviewers) == [1, 2]
    assert sum(row.count for row in dimensions) == 3
    assert calibration["dimensions"] and validity["hired_with_review"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("hiring:candidate_erase", args=[candidate.pk]),
            {"reason": f"{NAME} asked us by email ({EMAIL}) to erase their data"},
        )
    assert response.status_code == 302

    assert found(database_dump()) == []
    dump = cache_dump()
    assert [s for s in SECRETS if s.encode() in dump] == []
    assert all(
        cache.get(results_cache.key(name, loop.application, v)) is None
        for name in results_cache.NAMES
        for v in range(versions + 2)
    )
    # The numbers stay: calibration and validity read the same as before.
    assert numbers(client, loop.revision.role) == before


def test_what_stays_the_scores_without_identity_and_the_audit_entry(client, recruiter):
    candidate, loop, _ = build_candidate()
    card = loop.interview.scorecard
    ratings_before = sorted(card.ratings.values_list("dimension_id", "score"))
    assert candidate.erase(by=recruiter, reason=f"Request from {NAME} <{EMAIL}>") is True

    candidate.refresh_from_db()
    label = f"Erased candidate #{candidate.pk}"
    assert (candidate.name, candidate.source, str(candidate)) == (label, "", label)
    assert candidate.is_erased
    card.refresh_from_db()
    assert sorted(card.ratings.values_list("dimension_id", "score")) == ratings_before
    assert card.recommendation == "yes" and card.is_submitted
    # Text that was there says it was erased; text that was empty stays empty (a reopened
    # card stays reopened, a rating without evidence stays without).
    assert set(card.ratings.values_list("evidence", flat=True)) == {"[erased]", ""}
    assert card.summary == "[erased]"
    assert set(card.history.values_list("reopen_reason", flat=True)) == {"", "[erased]"}
    assert loop.application.decisions.count() == 2
    assert set(loop.application.decisions.values_list("rationale", flat=True)) == {"[erased]"}
    assert list(loop.application.performance_reviews.values_list("rating", flat=True)) == [4]
    assert Headline.objects.filter(application=loop.application).count() == 0

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.candidate_id) == ("erase", recruiter, candidate.pk)
    assert entry.reason == f"Request from {label} <{label}>"
    # Their log entries name the label now.
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {
        label,
        str(card),
    }
    assert label in str(card)


def test_erasing_twice_writes_nothing_more(recruiter):
    candidate, _, _ = build_candidate()
    assert candidate.erase(by=recruiter, reason="Asked by email") is True
    erased_at = Candidate.objects.get(pk=candidate.pk).erased_at
    assert candidate.erase(by=recruiter, reason="Asked again") is False
    assert Candidate.objects.get(pk=candidate.pk).erased_at == erased_at
    assert AuditEntry.objects.count() == 1


def test_the_erased_candidate_shows_as_erased_everywhere(recruiter_client, recruiter):
    candidate, loop, _ = build_candidate()
    candidate.erase(by=recruiter, reason="Asked by email")
    label = f"Erased candidate #{candidate.pk}"
    pages = [
        reverse("hiring:candidate", args=[candidate.pk]),
        reverse("hiring:candidates"),
        loop.application.get_absolute_url(),
        reverse("hiring:panel", args=[loop.application.pk]),
        reverse("hiring:pipeline", args=[loop.revision.role.slug]),
        reverse("hiring:candidate_export", args=[candidate.pk]),
    ]
    for url in pages:
        page = recruiter_client.get(url).content.decode()
        assert label in page, url
        assert found(page) == [], url
        assert "erased.invalid" not in page, url
    detail = recruiter_client.get(pages[0]).content.decode()
    assert reverse("hiring:candidate_erase", args=[candidate.pk]) not in detail
    assert reverse("hiring:candidate_edit", args=[candidate.pk]) not in detail


def test_an_erased_candidate_can_no_longer_be_edited_or_apply(recruiter_client, recruiter):
    candidate = factories.CandidateFactory(name=NAME, email=EMAIL)
    candidate.erase(by=recruiter, reason="Asked by email")
    for name in ("hiring:candidate_edit", "hiring:application_add"):
        response = recruiter_client.post(
            reverse(name, args=[candidate.pk]), {"name": NAME, "email": EMAIL}
        )
        assert response.status_code == 302
        assert response.url == reverse("hiring:candidate", args=[candidate.pk])
    candidate.refresh_from_db()
    assert candidate.name == f"Erased candidate #{candidate.pk}"
    assert not candidate.applications.exists()


# --- the confirmation page ---------------------------------------------------------------


def erase_url(candidate):
    return reverse("hiring:candidate_erase", args=[candidate.pk])


def test_the_candidate_page_links_to_the_confirmation_which_says_what_goes(recruiter_client):
    candidate = factories.CandidateFactory(name=NAME, email=EMAIL)
    detail = recruiter_client.get(reverse("hiring:candidate", args=[candidate.pk]))
    assert erase_url(candidate) in detail.content.decode()
    page = recruiter_client.get(erase_url(candidate)).content.decode()
    assert f"Erase {NAME}?" in page
    assert "cannot be undone" in page
    assert Candidate.objects.get(pk=candidate.pk).erased_at is None


def test_a_reason_is_required_and_what_was_typed_is_kept(recruiter_client):
    candidate = factories.CandidateFactory(name=NAME, email=EMAIL)
    response = recruiter_client.post(erase_url(candidate), {"reason": "   "})
    assert response.status_code == 422
    assert "Say why the candidate is erased" in response.content.decode()
    long = "x" * 501
    response = recruiter_client.post(erase_url(candidate), {"reason": long})
    assert response.status_code == 422
    assert long in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).name == NAME
    assert not AuditEntry.objects.exists()


def test_a_double_submit_erases_once(recruiter_client):
    candidate = factories.CandidateFactory(name=NAME, email=EMAIL)
    first = recruiter_client.post(erase_url(candidate), {"reason": "Asked by email"})
    second = recruiter_client.post(erase_url(candidate), {"reason": "Asked by email"})
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("hiring:candidate", args=[candidate.pk])
    page = recruiter_client.get(second.url).content.decode()
    assert "already erased" in page
    assert AuditEntry.objects.filter(action="erase").count() == 1


def test_only_recruiters_erase(client):
    candidate = factories.CandidateFactory(name=NAME, email=EMAIL)
    for user in (factories.HiringManagerFactory(), factories.InterviewerFactory()):
        client.force_login(user)
        assert client.post(erase_url(candidate), {"reason": "x"}).status_code == 403
    assert Candidate.objects.get(pk=candidate.pk).name == NAME


def test_a_results_cache_entry_of_an_erased_panel_is_dropped(
    recruiter, django_capture_on_commit_callbacks
):
    candidate, loop, _ = build_candidate()
    application = Application.objects.get(pk=loop.application.pk)
    cache.set(results_cache.key("panel", application, 0), EVIDENCE)
    with django_capture_on_commit_callbacks(execute=True):
        candidate.erase(by=recruiter, reason="Asked by email")
    assert cache.get(results_cache.key("panel", application, 0)) is None
    assert cache.get(results_cache.key("panel", application)) is None


def test_the_admin_shows_an_erased_candidate_read_only_and_the_audit_log(admin_client, recruiter):
    candidate = factories.CandidateFactory(name=NAME, email=EMAIL)
    candidate.erase(by=recruiter, reason="Asked by email")
    url = reverse("admin:hiring_candidate_change", args=[candidate.pk])
    admin_client.post(url, {"name": NAME, "email": EMAIL, "source": SOURCE})
    candidate.refresh_from_db()
    assert candidate.name == f"Erased candidate #{candidate.pk}"
    log = admin_client.get(reverse("admin:hiring_auditentry_changelist")).content.decode()
    assert "Asked by email" in log
    assert admin_client.get(reverse("admin:hiring_auditentry_add")).status_code == 403


# Every text column of the apps that keep candidates' data, and what an erasure does
# with it. A new one (an outbox's email body, a webhook's payload) fails the test below
# until it is put here, and, if it can hold anything about a candidate, redacted by
# hiring.erasure (hiring) or a candidate_erased receiver (the apps above).
ERASED = {
    "hiring.Candidate": {"name", "email", "source"},
    "hiring.HistoricalApplication": {"history_change_reason"},
    "hiring.Decision": {"rationale"},
    "hiring.HistoricalDecision": {"rationale", "history_change_reason"},
    "hiring.PerformanceReview": {"note"},
    "hiring.HistoricalPerformanceReview": {"note", "history_change_reason"},
    "hiring.OutboxEmail": {"subject", "text", "html", "calendar"},
    "scorecards.Scorecard": {"summary", "reopen_reason"},
    "scorecards.HistoricalScorecard": {"summary", "reopen_reason", "history_change_reason"},
    "scorecards.Rating": {"evidence"},
    "scorecards.HistoricalRating": {"evidence", "history_change_reason"},
    "scorecards.SignalCheck": {"note"},
    "scorecards.HistoricalSignalCheck": {"note", "history_change_reason"},
}
# Codes and settings: nothing written about a candidate.
NOT_ABOUT_THEM = {
    # The blind-review code: random, it says nothing about them (hiring.blind).
    "hiring.Application": {"status", "candidate_code"},
    "hiring.HistoricalApplication": {"status", "history_type", "candidate_code"},
    "hiring.Decision": {"outcome"},
    "hiring.HistoricalDecision": {"outcome", "history_type"},
    "hiring.HistoricalPerformanceReview": {"history_type"},
    # The reason is the recruiter's, with the candidate's name and email taken out.
    "hiring.AuditEntry": {"action", "reason"},
    "scorecards.Scorecard": {"status", "recommendation"},
    "scorecards.HistoricalScorecard": {"status", "recommendation", "history_type"},
    "scorecards.HistoricalRating": {"history_type"},
    "scorecards.HistoricalSignalCheck": {"history_type"},
    # Scoring codes and a revision's configuration error (deleted by an erasure anyway).
    "scorecards.Headline": {"rules", "error", "recommendation"},
    "hiring_site.Profile": {"time_zone", "sso_subject"},
    # People's accounts: a group changed, and an invitation's digest.
    "hiring_site.GroupChange": {"action", "group"},
    "hiring_site.Invitation": {"token_digest"},
    # The recipient (an interviewer, a hiring manager) and the mail server's answer.
    "hiring.OutboxEmail": {"kind", "to", "last_error"},
}


def test_every_text_column_that_may_hold_a_candidates_data_is_erased():
    found_columns = {}
    for label in ("hiring", "scorecards", "hiring_site"):
        for model in apps.get_app_config(label).get_models():
            names = {
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
            }
            if names:
                found_columns[model._meta.label] = names
    classified = {
        label: ERASED.get(label, set()) | NOT_ABOUT_THEM.get(label, set())
        for label in ERASED.keys() | NOT_ABOUT_THEM.keys()
    }
    assert found_columns == classified


def test_the_emails_naming_them_are_scrubbed_sent_or_waiting(recruiter):
    candidate = factories.CandidateFactory(name="Zoë O'Hara", email="zoe.ohara@example.org")
    other = OutboxEmail.objects.create(
        kind=OutboxEmail.Kind.REMINDERS,
        to="x@example.com",
        subject="Reminder",
        text="Bo",
        html="Bo",
    )
    about = OutboxEmail.objects.create(
        kind=OutboxEmail.Kind.ASSIGNMENTS,
        to="interviewer@example.com",
        subject="Interview with Zoë O'Hara",
        text="Candidate: Zoë O'Hara <zoe.ohara@example.org>",
        html="<p>Candidate: Zo&#235; O&#x27;Hara</p><p>Zoë O&#x27;Hara</p>",
        calendar="SUMMARY:Interview with Zoë O'Hara",
    )
    candidate.erase(by=recruiter, reason="Asked by email")
    about.refresh_from_db()
    label = f"Erased candidate #{candidate.pk}"
    assert about.subject == f"Interview with {label}"
    assert about.text == f"Candidate: {label} <{label}>"
    assert about.html.endswith(f"<p>{label}</p>") and about.calendar.endswith(label)
    other.refresh_from_db()
    assert (other.subject, other.text) == ("Reminder", "Bo")
