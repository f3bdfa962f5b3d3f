"""Scorecard state changes: save_draft, submit, reopen, the version lock and history."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from hiring.models import Interview
from scorecards.models import (
    IncompleteScorecard,
    InterviewGone,
    Rating,
    Scorecard,
    ScorecardContent,
    ScorecardReadOnly,
    StaleScorecard,
)
from tests import factories
from tests.scorecards.builders import build_loop


@pytest.fixture
def loop(db):
    return build_loop()


def new_card(loop):
    return Scorecard.objects.create(interview=loop.interview, version=0)


def complete(loop, **changes) -> ScorecardContent:
    d = loop.dimensions
    content = ScorecardContent(
        ratings={d[0].id: (4, "Good."), d[1].id: (5, "Great.")},
        signals={loop.red[0].id: "Blamed the SRE team."},
        recommendation="yes",
        summary="Fine.",
    )
    for name, value in changes.items():
        setattr(content, name, value)
    return content


@pytest.mark.django_db
def test_save_draft_increments_the_version_and_refuses_an_old_one(loop):
    card = new_card(loop)
    user = loop.interview.interviewer
    card.save_draft(complete(loop), 0, user)
    assert card.version == 1
    other_tab = Scorecard.objects.get(pk=card.pk)
    card.save_draft(complete(loop, summary="Newer"), 1, user)
    with pytest.raises(StaleScorecard) as refused:
        other_tab.save_draft(complete(loop, summary="Older"), 1, user)
    assert refused.value.current.version == 2
    card.refresh_from_db()
    assert (card.summary, card.version) == ("Newer", 2)


@pytest.mark.django_db
def test_only_changed_rows_are_written_so_history_shows_real_edits(loop):
    card = new_card(loop)
    user = loop.interview.interviewer
    card.save_draft(complete(loop), 0, user)
    ratings_history = Rating.history.filter(scorecard_id=card.pk).count()
    card_history = card.history.count()
    card.save_draft(complete(loop), 1, user)  # same content: only the version moves
    assert Rating.history.filter(scorecard_id=card.pk).count() == ratings_history
    assert card.history.count() == card_history
    assert card.version == 2
    d = loop.dimensions
    card.save_draft(complete(loop, ratings={d[0].id: (3, "Changed.")}), 2, user)
    # One rating changed, the other (no longer given) deleted.
    assert Rating.history.filter(scorecard_id=card.pk).count() == ratings_history + 2
    assert card.ratings.get().score == 3
    assert Rating.history.filter(scorecard_id=card.pk).latest().history_user == user


@pytest.mark.django_db
def test_submit_refuses_incomplete_content_and_writes_nothing(loop):
    card = new_card(loop)
    user = loop.interview.interviewer
    d = loop.dimensions
    content = ScorecardContent(
        ratings={d[0].id: (1, ""), d[2].id: (None, "Evidence only")},
        signals={loop.red[0].id: ""},
    )
    with pytest.raises(IncompleteScorecard) as refused:
        card.submit(content, 0, user)
    assert refused.value.problems == {
        ("score", d[1].id): "Rate this focus dimension before submitting.",
        ("evidence", d[0].id): "A rating of 1 needs written evidence: what did you observe?",
        ("note", loop.red[0].id): "Describe what you observed for this red flag.",
        ("recommendation", None): "Choose an overall recommendation.",
    }
    card.refresh_from_db()
    assert (card.status, card.version, card.ratings.count()) == ("draft", 0, 0)


@pytest.mark.django_db
def test_submit_then_any_change_is_refused(loop):
    card = new_card(loop)
    user = loop.interview.interviewer
    card.submit(complete(loop), 0, user)
    assert (card.status, card.version) == ("submitted", 1)
    assert card.submitted_at is not None
    with pytest.raises(ScorecardReadOnly):
        card.save_draft(complete(loop, summary="Later"), 1, user)
    with pytest.raises(ScorecardReadOnly):
        card.submit(complete(loop), 1, user)
    assert card.matches(complete(loop)) and not card.matches(complete(loop, summary="x"))


@pytest.mark.django_db
def test_foreign_ids_are_refused_by_the_model_too(loop):
    card = new_card(loop)
    foreign = build_loop().dimensions[0]
    with pytest.raises(ValueError, match="not on this card's role revision"):
        card.save_draft(ScorecardContent(ratings={foreign.id: (3, "")}), 0, None)
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_a_card_is_started_only_on_an_interview_still_its_interviewers(loop):
    ivy = loop.interview.interviewer
    content = ScorecardContent(summary="Typed by Ivy")
    # The interview was given to someone else after Ivy's page loaded it.
    seen_by_ivy = Interview.objects.get(pk=loop.interview.pk)
    Interview.objects.filter(pk=loop.interview.pk).update(
        interviewer=factories.InterviewerFactory()
    )
    for write in ("save_draft", "submit"):
        with pytest.raises(InterviewGone):
            getattr(Scorecard(interview=seen_by_ivy, version=0), write)(content, 0, ivy)
    # ... or removed from the loop (whoever writes).
    Interview.objects.filter(pk=loop.interview.pk).delete()
    for by in (ivy, None):
        with pytest.raises(InterviewGone):
            Scorecard(interview=seen_by_ivy, version=0).save_draft(content, 0, by)
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_the_first_save_creates_the_card(loop):
    ivy = loop.interview.interviewer
    card = Scorecard(interview=loop.interview, version=0)
    card.save_draft(ScorecardContent(summary="First"), 0, ivy)
    assert card.pk == Scorecard.objects.get(interview=loop.interview).pk
    assert (card.version, card.summary) == (1, "First")


@pytest.mark.django_db
def test_reopen_keeps_the_submission_in_history(loop):
    card = new_card(loop)
    user = loop.interview.interviewer
    recruiter = factories.RecruiterFactory()
    card.submit(complete(loop), 0, user)
    with pytest.raises(ValidationError):
        card.reopen(recruiter, "  ")
    assert card.reopen(recruiter, "Please add more evidence.") is True
    assert card.reopen(recruiter, "Please add more evidence.") is False  # double post
    assert (card.status, card.version, card.submitted_at) == ("draft", 2, None)
    d = loop.dimensions
    card.save_draft(complete(loop, ratings={d[0].id: (2, "Re-thought"), d[1].id: (3, "")}), 2, user)
    card.submit(complete(loop, ratings={d[0].id: (2, "Re-thought"), d[1].id: (3, "")}), 3, user)
    first, reopened, second = card.events()
    assert (first.kind, reopened.kind, second.kind) == ("submitted", "reopened", "submitted")
    assert first.ratings == {d[0].id: (4, "Good."), d[1].id: (5, "Great.")}
    assert second.ratings == {d[0].id: (2, "Re-thought"), d[1].id: (3, "")}
    assert first.signals == {loop.red[0].id: "Blamed the SRE team."}
    assert (reopened.reason, reopened.by) == ("Please add more evidence.", recruiter)
    assert first.by == user and first.recommendation_label == "Yes"


@pytest.mark.django_db
def test_card_state_of_an_interview(loop):
    interview = Interview.objects.select_related("application", "scorecard").get(
        pk=loop.interview.pk
    )
    assert interview.card_state in {"not_started", "overdue"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_the_same_version_cannot_both_win():
    loop = build_loop()
    card = Scorecard.objects.create(interview=loop.interview, version=3)
    user = loop.interview.interviewer
    barrier = threading.Barrier(4)
    outcomes = []

    def save(n):
        try:
            mine = Scorecard.objects.get(pk=card.pk)
            barrier.wait()
            mine.save_draft(ScorecardContent(summary=f"tab {n}"), 3, user)
            outcomes.append("saved")
        except StaleScorecard:
            outcomes.append("stale")
        except Exception as exc:  # noqa: BLE001 - report what went wrong in the thread
            outcomes.append(repr(exc))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    card.refresh_from_db()
    assert outcomes.count("saved") == 1, outcomes
    # PostgreSQL queues the others on the row lock, then they find the version moved on.
    # SQLite's in-memory test database refuses them at once ("table is locked") instead
    # of waiting; either way they wrote nothing.
    refused = {"stale"} if connection.vendor != "sqlite" else {"stale", LOCKED}
    assert set(outcomes) - {"saved"} <= refused, outcomes
    assert card.version == 4 and card.summary.startswith("tab ")


LOCKED = "OperationalError('database table is locked')"


@pytest.mark.django_db
def test_the_version_compare_and_increment_holds_even_without_the_row_lock(loop, monkeypatch):
    """If the lock did nothing and two saves read the same version, the conditional
    UPDATE still lets only the first move the card on."""
    card = new_card(loop)
    user = loop.interview.interviewer
    card.save_draft(ScorecardContent(summary="one"), 0, user)
    read_before_the_other_save = Scorecard.objects.get(pk=card.pk)  # version 1
    card.save_draft(ScorecardContent(summary="two"), 1, user)  # version 2

    class NoLock:
        def get(self, **kwargs):
            return read_before_the_other_save

    monkeypatch.setattr(Scorecard.objects, "select_for_update", lambda **kwargs: NoLock())
    with pytest.raises(StaleScorecard):
        read_before_the_other_save.save_draft(ScorecardContent(summary="three"), 1, user)
    monkeypatch.undo()
    card.refresh_from_db()
    assert (card.summary, card.version) == ("two", 2)
