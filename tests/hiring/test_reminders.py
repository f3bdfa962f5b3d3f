"""`send_scorecard_reminders`: one email a day at most per interviewer with overdue cards."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from hiring.models import Interview, OutboxEmail
from hiring_site.models import Profile
from scorecards.models import Scorecard, ScorecardContent
from tests import factories

pytestmark = pytest.mark.django_db


def overdue_for(interviewer, name="Ada Lovelace", hours=-30):
    return factories.InterviewFactory(
        interviewer=interviewer,
        scheduled_at=timezone.now() + timedelta(hours=hours),
        application__candidate__name=name,
        stage__name="Pairing",
    )


def run(*args):
    call_command("send_scorecard_reminders", *args)


def test_one_email_per_interviewer_listing_each_overdue_card(interviewer, capsys):
    first = overdue_for(interviewer, "Ada Lovelace")
    overdue_for(interviewer, "Grace Hopper", hours=-50)
    overdue_for(interviewer, "Not yet due", hours=-10)
    other = factories.InterviewerFactory()
    overdue_for(other, "Alan Turing")
    run("--base-url", "https://scorecards.example.com")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([interviewer.email, other.email])
    email = next(m for m in mail.outbox if m.to == [interviewer.email])
    assert email.subject == "2 scorecards overdue"
    assert "Ada Lovelace" in email.body and "Grace Hopper" in email.body
    assert "Not yet due" not in email.body
    assert f"https://scorecards.example.com/scorecards/interviews/{first.pk}/" in email.body
    assert "Reminded 2 interviewer(s)" in capsys.readouterr().out


def test_running_again_within_a_day_sends_nothing_and_after_a_day_sends_again(interviewer):
    overdue_for(interviewer)
    run()
    run()
    assert len(mail.outbox) == 1
    overdue_for(interviewer, "Someone new")  # a new overdue card does not add a 2nd email
    run()
    assert len(mail.outbox) == 1
    Interview.objects.update(reminder_sent_at=timezone.now() - timedelta(hours=25))
    run()
    assert len(mail.outbox) == 2
    assert "Someone new" in mail.outbox[1].body


def test_submitted_and_just_reopened_cards_are_not_reminded_a_day_after_reopening_they_are(
    interviewer,
):
    interview = overdue_for(interviewer)
    card = Scorecard.objects.create(interview=interview, version=0)
    card.submit(ScorecardContent(recommendation="no"), 0, interviewer)

    def reminders():  # (the hiring manager was told the panel is ready)
        return [m for m in mail.outbox if m.to == [interviewer.email]]

    run()
    assert reminders() == []
    card.reopen(factories.RecruiterFactory(), "Add evidence")
    run()
    assert reminders() == []
    # The interviewer's day runs from the reopening (hiring.models.CardState).
    Scorecard.objects.filter(pk=card.pk).update(reopened_at=timezone.now() - timedelta(hours=25))
    run()
    assert len(reminders()) == 1 and "Ada Lovelace" in reminders()[0].body
    assert "after a\nrecruiter reopened them" in reminders()[0].body


def test_a_failed_send_is_kept_in_the_outbox_and_sent_by_the_next_run(interviewer, capsys):
    overdue_for(interviewer)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("SMTP down"),
    ):
        run()
    assert "SMTP down" in capsys.readouterr().err
    # Recorded with the email queued: the next run within the day queues no second one.
    assert Interview.objects.filter(reminder_sent_at__isnull=False).exists()
    email = OutboxEmail.objects.get()
    assert email.sent_at is None and email.attempts == 1 and "SMTP down" in email.last_error
    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    run()
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().sent_at is not None


def test_an_interviewer_who_turned_reminders_off_gets_none(interviewer, capsys):
    overdue_for(interviewer)
    Profile.objects.create(user=interviewer, email_reminders=False)
    run()
    assert mail.outbox == [] and not OutboxEmail.objects.exists()
    assert "1 turned reminders off" in capsys.readouterr().out
    assert not Interview.objects.filter(reminder_sent_at__isnull=False).exists()


def test_interviewers_without_email_are_reported_not_crashed_on(capsys):
    interviewer = factories.InterviewerFactory(email="")
    overdue_for(interviewer)
    run()
    assert mail.outbox == []
    assert "no email address" in capsys.readouterr().err


def test_dry_run_sends_and_records_nothing(interviewer, capsys):
    overdue_for(interviewer)
    run("--dry-run")
    assert mail.outbox == []
    assert not Interview.objects.filter(reminder_sent_at__isnull=False).exists()
    assert f"Would remind {interviewer.email}" in capsys.readouterr().out
