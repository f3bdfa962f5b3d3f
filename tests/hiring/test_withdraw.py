"""Withdrawing an application: a recruiter's act, confirmed on its own page, kept in the
application's history; refused once a hire or no-hire decision closed it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, CardState, Interview
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    """An open application with a submitted card and an overdue interview without one."""
    application = factories.ApplicationFactory(candidate__name="Wanda Withers")
    done = factories.InterviewFactory(
        application=application, stage__name="Pairing", scheduled_at=timezone.now()
    )
    factories.scorecard_with_ratings(done, {})
    factories.InterviewFactory(
        application=application,
        stage__name="System design",
        interviewer__first_name="Olga",
        interviewer__last_name="Open",
        scheduled_at=timezone.now() - timedelta(hours=30),
    )
    return application


def withdraw_url(application):
    return reverse("hiring:application_withdraw", args=[application.pk])


def status_of(application):
    return Application.objects.values_list("status", flat=True).get(pk=application.pk)


def test_the_application_page_offers_withdraw_to_recruiters_only(
    recruiter_client, client, application
):
    page = recruiter_client.get(application.get_absolute_url()).content.decode()
    assert withdraw_url(application) in page
    client.force_login(application.hiring_manager)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Withdraw" not in page


def test_confirmation_page_says_which_cards_are_no_longer_expected(recruiter_client, application):
    response = recruiter_client.get(withdraw_url(application))
    page = response.content.decode()
    assert "Withdraw Wanda Withers from" in page
    assert "System design with Olga Open" in page
    assert "Pairing with" not in page  # its card is in: nothing is awaited
    assert status_of(application) == Application.Status.ACTIVE  # a GET changes nothing


def test_withdraw_is_stored_with_who_and_why_in_the_history(
    recruiter, recruiter_client, application
):
    response = recruiter_client.post(
        withdraw_url(application), {"reason": "  Accepted another offer. "}, follow=True
    )
    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    page = response.content.decode()
    assert "Wanda Withers has withdrawn." in page
    assert "Status: Withdrawn" in page
    assert "Withdraw…" not in page  # nothing more to withdraw
    assert status_of(application) == Application.Status.WITHDRAWN
    record = application.history.latest()
    assert record.status == Application.Status.WITHDRAWN
    assert record.history_user == recruiter
    assert record.history_change_reason == "Accepted another offer."


def test_the_reason_is_optional(recruiter, application):
    assert application.withdraw(recruiter) is True
    assert application.status == Application.Status.WITHDRAWN
    assert application.history.latest().history_change_reason == "Withdrawn"


def test_a_reason_too_long_for_the_history_is_refused_and_nothing_changes(
    recruiter_client, application
):
    response = recruiter_client.post(withdraw_url(application), {"reason": "x" * 101})
    assert response.status_code == 422
    assert "Ensure this value has at most 100 characters" in response.content.decode()
    assert 'value="' + "x" * 101 in response.content.decode()  # the typed text is kept
    assert status_of(application) == Application.Status.ACTIVE
    with pytest.raises(ValidationError, match="100 characters"):
        application.withdraw(application.recruiter, "y" * 101)
    assert status_of(application) == Application.Status.ACTIVE


def test_a_double_submit_withdraws_once(recruiter_client, application):
    recruiter_client.post(withdraw_url(application), {"reason": "Moved abroad."})
    count = application.history.count()
    response = recruiter_client.post(withdraw_url(application), {"reason": "Moved abroad."})
    assert response.url == application.get_absolute_url()
    page = recruiter_client.get(response.url).content.decode()
    assert "This application was already withdrawn." in page
    assert application.history.count() == count
    assert application.withdraw(application.recruiter, "Again") is False
    assert application.history.count() == count


@pytest.mark.parametrize(
    ("outcome", "status"), [("hire", "hired"), ("no_hire", "rejected")], ids=["hired", "rejected"]
)
def test_a_decided_application_cannot_be_withdrawn(recruiter_client, application, outcome, status):
    application.record_decision(outcome, "Panel was clear.", by=application.hiring_manager)
    count = application.history.count()
    for request in (
        lambda: recruiter_client.get(withdraw_url(application)),
        lambda: recruiter_client.post(withdraw_url(application), {"reason": "Changed their mind."}),
    ):
        response = request()
        assert response.url == application.get_absolute_url()
        page = recruiter_client.get(response.url).content.decode()
        assert "A decision closed this application" in page
    assert status_of(application) == status
    assert application.history.count() == count
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        application.withdraw(application.recruiter)
    assert status_of(application) == status


def test_after_a_hold_the_candidate_may_still_withdraw(recruiter, application):
    application.record_decision("hold", "Waiting for references.", by=application.hiring_manager)
    assert application.withdraw(recruiter, "Took another offer.") is True
    assert status_of(application) == Application.Status.WITHDRAWN
    # ...and then no decision is taken on it any more.
    with pytest.raises(ValidationError, match="withdrawn"):
        application.record_decision("hire", "Too late.", by=application.hiring_manager)


def test_withdraw_answers_404_for_an_unknown_application(recruiter_client):
    response = recruiter_client.get(reverse("hiring:application_withdraw", args=[999999]))
    assert response.status_code == 404


def test_open_interviews_stay_but_no_card_is_expected_any_more(recruiter, application):
    """The loop is kept (what was written stays), but its cards are not awaited: never
    overdue, no reminder, and the loop no longer changes."""
    waiting = application.interviews.get(scorecard__isnull=True)
    assert Interview.objects.overdue().filter(pk=waiting.pk).exists()
    application.withdraw(recruiter, "Accepted another offer.")
    assert application.interviews.count() == 2
    state = Interview.objects.with_card_state().get(pk=waiting.pk).card_state
    assert state == CardState.NOT_STARTED
    assert not Interview.objects.overdue().exists()
    call_command("send_scorecard_reminders", "--base-url", "https://example.com")
    assert mail.outbox == []


def test_my_interviews_no_longer_lists_a_withdrawn_card_to_do(client, application, recruiter):
    waiting = application.interviews.get(scorecard__isnull=True)
    client.force_login(waiting.interviewer)
    before = client.get(reverse("hiring:my_interviews")).content.decode()
    to_do = before.split('data-testid="interviews-todo"')[1].split("</table>")[0]
    assert "Wanda Withers" in to_do and "Overdue" in to_do
    application.withdraw(recruiter)
    after = client.get(reverse("hiring:my_interviews")).content.decode()
    assert "Wanda Withers" not in after.split('data-testid="interviews-done"')[0]


def test_the_panel_says_the_candidate_withdrew(client, application, recruiter):
    application.withdraw(recruiter)
    client.force_login(application.hiring_manager)
    page = client.get(reverse("hiring:panel", args=[application.pk])).content.decode()
    assert "The candidate has withdrawn; no decision can be recorded." in page
