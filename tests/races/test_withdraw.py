"""A withdrawal and a decision at the same moment: the row lock queues them, and the
second reads what the first did and is refused, so the status is never one the other
would have refused to overwrite."""

import pytest
from django.core.exceptions import ValidationError

from hiring.models import Application
from tests import factories
from tests.races.concurrency import CriticalSection, needs_row_locks, run_concurrently

concurrently = pytest.mark.django_db(transaction=True)


@pytest.fixture
def application():
    return factories.ApplicationFactory()


def withdrawing(application):
    return lambda: Application.objects.get(pk=application.pk).withdraw(
        application.recruiter, "Accepted another offer."
    )


def deciding(application):
    return lambda: Application.objects.get(pk=application.pk).record_decision(
        "hire", "Strong panel.", by=application.hiring_manager
    )


@needs_row_locks
@concurrently
@pytest.mark.parametrize("first", ["withdraw", "decision"])
def test_a_withdrawal_racing_a_decision_one_wins_the_other_is_refused(application, first):
    writers = [withdrawing(application), deciding(application)]
    if first == "decision":
        writers.reverse()
    # Application.save runs in both after their locked read: the first stops there,
    # holding the lock, until the second is seen waiting for it.
    with CriticalSection(Application, "save") as section:
        outcomes = run_concurrently(*writers, section=section, in_order=True)
    assert section.other_waited and not section.both_inside
    winner, loser = outcomes
    assert winner.ok, winner
    assert isinstance(loser.error, ValidationError), loser
    application.refresh_from_db()
    if first == "withdraw":
        assert winner.value is True
        assert "withdrawn" in str(loser.error)
        assert application.status == Application.Status.WITHDRAWN
        assert not application.decisions.exists()
    else:
        assert "can no longer be withdrawn" in str(loser.error)
        assert application.status == Application.Status.HIRED
        assert application.decisions.count() == 1
        assert application.history.latest().status == Application.Status.HIRED
