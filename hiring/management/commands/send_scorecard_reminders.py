"""`python manage.py send_scorecard_reminders`: email each interviewer whose scorecards
are overdue (not submitted 24 hours after the interview, or after a recruiter reopened
them: hiring.models.CardState), one reminder a day at most, unless they switched
reminders off on their profile.

Meant for cron every hour, even on several servers at once: an interviewer's overdue
interviews are locked while deciding, and the reminder is written to the outbox
(hiring.outbox) in the same transaction that records it on them
(Interview.reminder_sent_at), so it is sent exactly once; a failed send stays in the
outbox and is tried again. The command ends by sending what the outbox holds that is
due (`send_outbox`'s work), so cron may run this one alone.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from hiring import emails, outbox
from hiring.models import Interview

REMINDER_INTERVAL = timedelta(days=1)


class Command(BaseCommand):
    help = "Email interviewers about overdue scorecards (at most once a day each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show who would be reminded; send nothing."
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", "") or "http://localhost:8000",
            help="Address of the app, for the links in the emails (default: settings.SITE_URL "
            "or http://localhost:8000).",
        )

    def handle(self, *args, dry_run, base_url, **options):
        now = timezone.now()
        overdue = (
            Interview.objects.overdue(now)
            .select_related(
                "interviewer", "application__candidate", "application__revision__role", "stage"
            )
            .order_by("interviewer_id", "scheduled_at", "id")
        )
        by_interviewer = defaultdict(list)
        for interview in overdue:
            by_interviewer[interview.interviewer].append(interview)

        sent, recent, unwanted = 0, 0, 0
        for interviewer, interviews in by_interviewer.items():
            if not interviewer.is_active or not interviewer.email:
                self.stderr.write(
                    f"{interviewer.get_username()} has {len(interviews)} overdue scorecard(s) but "
                    "no email address (or is inactive): not reminded."
                )
                continue
            if not outbox.wants(interviewer, outbox.Kind.REMINDERS):
                unwanted += 1
                continue
            if dry_run:
                self.stdout.write(
                    f"Would remind {interviewer.email} of {len(interviews)} scorecard(s)."
                )
                continue
            if self._remind(interviewer, interviews, now, base_url):
                sent += 1
            else:
                recent += 1

        if dry_run:
            return
        message = f"Reminded {sent} interviewer(s); {recent} already reminded in the last 24 hours"
        if unwanted:
            message += f"; {unwanted} turned reminders off"
        self.stdout.write(message + ".")
        delivered, failed = outbox.deliver_due()
        if delivered or failed:
            self.stdout.write(f"Outbox: {delivered} email(s) sent, {len(failed)} failed.")
        for email in failed:
            self.stderr.write(
                f"Could not send to {email.to}: {email.last_error} (kept in the outbox, "
                "tried again by send_outbox)."
            )

    def _remind(self, interviewer, interviews, now, base_url) -> bool:
        ids = [interview.pk for interview in interviews]
        with transaction.atomic():
            # Locked in id order, so a run in parallel waits here, then sees this one's
            # reminder and sends nothing.
            list(Interview.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
            recently = Interview.objects.filter(
                interviewer=interviewer, reminder_sent_at__gt=now - REMINDER_INTERVAL
            )
            if recently.exists():
                return False
            # In the outbox, in this transaction: recorded and queued together, or neither.
            emails.scorecard_reminder(interviewer, interviews, base_url=base_url)
            Interview.objects.filter(pk__in=ids).update(reminder_sent_at=now)
        return True
