"""A recruiter changing or removing an interview at the moment its interviewer's first
autosave arrives: the card is never started on an interview given to someone else or
removed, and a started card stays with its author. Both take the interview's row lock
first (hiring.models.InterviewQuerySet.locked), so they queue, whichever comes first,
and the one that comes second is told why it was refused. Real concurrent connections
(PostgreSQL); the sequential form of each loser's case is in tests/hiring/test_loop.py
and tests/scorecards/test_fill.py."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import hiring.models
from hiring.models import Interview
from scorecards.models import Scorecard
from tests import factories
from tests.races.concurrency import CriticalSection, needs_row_locks, run_concurrently
from tests.scorecards.builders import build_loop

concurrently = pytest.mark.django_db(transaction=True)

GONE_AUTOSAVE = "Not saved: this interview is not on your list any more"
STARTED = "Ivy Interviewer has started the scorecard for this interview"


@pytest.fixture
def loop():
    return build_loop(factories.InterviewerFactory(first_name="Ivy", last_name="Interviewer"))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def first_autosave(loop):
    """The interviewer's tab, opened before any card existed, autosaves for the first time."""
    client = logged_in(loop.interview.interviewer)
    url = reverse("scorecards:fill", args=[loop.interview.pk])
    assert client.get(url).status_code == 200
    d = loop.dimensions[0]
    data = {"version": "0", f"score_{d.id}": "4", f"evidence_{d.id}": "Typed by Ivy"}
    return lambda: client.post(url, data, HTTP_HX_REQUEST="true")


def reassignment(loop, new_interviewer):
    """The recruiter's change form, opened before any card existed, posted with another
    interviewer."""
    client = logged_in(factories.RecruiterFactory())
    url = reverse("hiring:interview_edit", args=[loop.interview.pk])
    assert 'name="interviewer"' in client.get(url).content.decode()
    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"stage": loop.stage.pk, "interviewer": new_interviewer.pk, "scheduled_at": when}
    return lambda: client.post(url, data)


def removal(loop):
    client = logged_in(factories.RecruiterFactory())
    url = reverse("hiring:interview_delete", args=[loop.interview.pk])
    return lambda: client.post(url, follow=True)


def race(first, second, *, first_is_autosave):
    """Run `first` and `second`; `first` is held inside its locked transaction (the
    autosave writing the card, the recruiter's change moving the panel on) until
    `second` is seen waiting for a lock."""
    owner, attribute = (
        (Scorecard, "_write") if first_is_autosave else (hiring.models, "panel_changed")
    )
    with CriticalSection(owner, attribute) as section:
        outcomes = run_concurrently(first, second, section=section, in_order=True)
    assert all(o.ok for o in outcomes), outcomes  # no 500, no deadlock
    # The second really queued behind the first's lock on the interview.
    assert section.other_waited and not section.both_inside
    return [o.value for o in outcomes]


@needs_row_locks
@concurrently
def test_a_reassignment_before_the_first_autosave_leaves_no_card_to_the_new_interviewer(loop):
    new = factories.InterviewerFactory()
    changed, autosaved = race(
        reassignment(loop, new), first_autosave(loop), first_is_autosave=False
    )

    assert changed.status_code == 302
    assert autosaved.status_code == 404
    assert GONE_AUTOSAVE in autosaved.content.decode()
    # Nothing of Ivy's was written, so nothing of hers reaches the new interviewer.
    assert Interview.objects.get(pk=loop.interview.pk).interviewer == new
    assert not Scorecard.objects.exists()


@needs_row_locks
@concurrently
def test_a_reassignment_after_the_first_autosave_is_refused_and_the_card_stays(loop):
    ivy = loop.interview.interviewer
    autosaved, changed = race(
        first_autosave(loop),
        reassignment(loop, factories.InterviewerFactory()),
        first_is_autosave=True,
    )

    assert autosaved.status_code == 200 and "Saved" in autosaved.content.decode()
    assert changed.status_code == 409
    body = changed.content.decode()
    assert STARTED in body and "Nothing was changed." in body
    assert "assign them to that stage as well" in body
    interview = Interview.objects.get(pk=loop.interview.pk)
    assert interview.interviewer == ivy and interview.stage == loop.stage
    card = Scorecard.objects.get(interview=interview)
    assert card.ratings.get().evidence == "Typed by Ivy"


@needs_row_locks
@concurrently
def test_a_removal_before_the_first_autosave_answers_the_autosave_clearly(loop):
    removed, autosaved = race(removal(loop), first_autosave(loop), first_is_autosave=False)

    assert "no longer interviews for System design case" in removed.content.decode()
    assert autosaved.status_code == 404  # a clear message, not a 500
    assert GONE_AUTOSAVE in autosaved.content.decode()
    assert not Interview.objects.filter(pk=loop.interview.pk).exists()
    assert not Scorecard.objects.exists()


@needs_row_locks
@concurrently
def test_a_removal_after_the_first_autosave_is_refused_and_the_card_stays(loop):
    autosaved, removed = race(first_autosave(loop), removal(loop), first_is_autosave=True)

    assert autosaved.status_code == 200
    body = removed.content.decode()
    assert STARTED in body and "Nothing was removed." in body
    card = Scorecard.objects.get(interview=loop.interview)
    assert card.ratings.get().evidence == "Typed by Ivy"
