"""An application's cards_expected and cards_submitted follow every change of its loop
and cards (hiring.models.panel_changed), whichever way the change is made."""

import pytest

from hiring.models import Application, count_cards
from scorecards.models import Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


def counts(application):
    row = Application.objects.values_list("cards_expected", "cards_submitted").get(
        pk=application.pk
    )
    return tuple(row)


def test_counts_follow_interviews_and_cards():
    application = factories.ApplicationFactory()
    assert counts(application) == (0, 0)
    first = factories.InterviewFactory(application=application)
    second = factories.InterviewFactory(application=application)
    assert counts(application) == (2, 0)
    card = factories.ScorecardFactory(interview=first)
    assert counts(application) == (2, 0)  # a draft is not submitted
    card.status = Scorecard.Status.SUBMITTED
    card.save()
    assert counts(application) == (2, 1)
    factories.ScorecardFactory(interview=second, status=Scorecard.Status.SUBMITTED)
    assert counts(application) == (2, 2)
    assert Application.objects.filter(Application.objects.ready_to_decide_q()).get() == application
    card.reopen(by=None, reason="Evidence missing for one rating")
    assert counts(application) == (2, 1)
    assert not Application.objects.filter(Application.objects.ready_to_decide_q()).exists()
    second.delete()
    assert counts(application) == (1, 0)


def test_a_save_of_the_application_never_sets_the_counts_back():
    interview = factories.InterviewFactory()
    stale = Application.objects.get(pk=interview.application_id)
    factories.ScorecardFactory(interview=interview, status=Scorecard.Status.SUBMITTED)
    stale.status = Application.Status.ACTIVE
    stale.save()  # a copy read before the card was submitted
    assert counts(stale) == (1, 1)


def test_count_cards_repairs_rows_loaded_without_signals():
    interview = factories.InterviewFactory()
    factories.ScorecardFactory(interview=interview, status=Scorecard.Status.SUBMITTED)
    Application.objects.update(cards_expected=0, cards_submitted=0)
    assert count_cards(Application.objects.all()) == 1
    assert counts(interview.application) == (1, 1)
