"""The last two cards of an application submitted at once: the hiring manager is told the
panel is ready exactly once (each submission locks the application's row and counts its
cards again, hiring.models.panel_changed, before asking whether the panel is ready: the
second waits for the first and then counts its card). Real concurrent connections
(PostgreSQL)."""

import pytest

from hiring import models as hiring_models
from hiring.models import OutboxEmail
from scorecards.models import Scorecard, ScorecardContent
from tests import factories
from tests.races.concurrency import CriticalSection, needs_row_locks, run_concurrently


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_last_cards_submitted_at_once_tell_the_hiring_manager_once():
    application = factories.ApplicationFactory()
    cards = [
        Scorecard.objects.create(
            interview=factories.InterviewFactory(application=application), version=0
        )
        for _ in range(2)
    ]

    def submit(card):
        return lambda: Scorecard.objects.get(pk=card.pk).submit(
            ScorecardContent(recommendation="yes"), 0, card.interview.interviewer
        )

    with CriticalSection(hiring_models, "count_cards") as section:
        outcomes = run_concurrently(submit(cards[0]), submit(cards[1]), section=section)
    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    assert Scorecard.objects.filter(status="submitted").count() == 2
    told = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.PANEL_READY)
    assert list(told.values_list("to", flat=True)) == [application.hiring_manager.email]
