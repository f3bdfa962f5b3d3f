"""Two cards of one application submitted at once: its cards_submitted counts both
(hiring.models.panel_changed locks the application before counting)."""

import pytest
from django.db import transaction

from hiring import models as hiring_models
from hiring.models import Application
from scorecards.models import Scorecard
from tests import factories
from tests.races.concurrency import CriticalSection, needs_row_locks, run_concurrently

pytestmark = [needs_row_locks, pytest.mark.django_db(transaction=True)]


def test_two_cards_submitted_at_once_are_both_counted():
    application = factories.ApplicationFactory()
    cards = [
        factories.ScorecardFactory(interview=factories.InterviewFactory(application=application))
        for _ in range(2)
    ]
    assert Application.objects.get(pk=application.pk).cards_expected == 2

    def submit(card):
        def writer():
            with transaction.atomic():
                card.status = Scorecard.Status.SUBMITTED
                card.save()

        return writer

    with CriticalSection(hiring_models, "count_cards") as section:
        outcomes = run_concurrently(submit(cards[0]), submit(cards[1]), section=section)
    assert all(o.ok for o in outcomes), outcomes
    # The second writer waited for the first one's lock, then counted its card too.
    assert section.other_waited and not section.both_inside
    row = Application.objects.get(pk=application.pk)
    assert (row.cards_expected, row.cards_submitted) == (2, 2)
