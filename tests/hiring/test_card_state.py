"""One card-state rule (hiring.models.CardState): the database's `with_card_state` and the
model's `card_state` agree on every combination of card, application status and time."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from hiring.models import CARD_STATE_VALUES, Application, CardState, Interview, card_state_from
from scorecards.models import Scorecard
from tests import factories

pytestmark = pytest.mark.django_db

# "reopened": reopened just now; "reopened_late": more than a day ago.
CARDS = ("none", "draft", "submitted", "reopened", "reopened_late")
STATUSES = (Application.Status.ACTIVE, Application.Status.WITHDRAWN)
HOURS = (None, 5, -2, -30)  # unscheduled, upcoming, past but not due, past due


def make(card, status, hours):
    when = None if hours is None else timezone.now() + timedelta(hours=hours)
    interview = factories.InterviewFactory(scheduled_at=when, application__status=status)
    if card != "none":
        Scorecard.objects.create(
            interview=interview,
            status="submitted" if card == "submitted" else "draft",
            reopen_reason="More evidence" if card.startswith("reopened") else "",
            reopened_at=timezone.now() - timedelta(hours=30 if card == "reopened_late" else 1)
            if card.startswith("reopened")
            else None,
        )
    return interview


def expected(card, status, hours):
    if card == "submitted":
        return card
    if card.startswith("reopened"):
        # Due a day after its reopening, whenever the interview was.
        late = card == "reopened_late" and status == Application.Status.ACTIVE
        return "overdue" if late else "reopened"
    if status == Application.Status.ACTIVE and hours is not None and hours < -24:
        return "overdue"
    return "draft" if card == "draft" else "not_started"


def test_database_and_model_give_the_same_state_for_every_combination():
    made = {
        make(*combo).pk: expected(*combo) for combo in itertools.product(CARDS, STATUSES, HOURS)
    }
    from_database = dict(Interview.objects.with_card_state().values_list("pk", "card_state"))
    from_model = {
        i.pk: i.card_state for i in Interview.objects.select_related("application", "scorecard")
    }
    now = timezone.now()
    from_values = {  # as lists read with values() work it out (My interviews' To do)
        row["pk"]: card_state_from(row, now)
        for row in Interview.objects.values("pk", "scheduled_at", **CARD_STATE_VALUES)
    }
    assert from_database == made
    assert from_model == made
    assert from_values == made
    assert set(Interview.objects.overdue().values_list("pk", flat=True)) == {
        pk for pk, state in made.items() if state == CardState.OVERDUE
    }


def test_an_annotated_interview_keeps_the_state_the_database_read():
    interview = make("none", Application.Status.ACTIVE, -30)
    annotated = Interview.objects.with_card_state().get(pk=interview.pk)
    assert annotated.card_state == "overdue"
    assert annotated.get_card_state_display() == "Overdue"
