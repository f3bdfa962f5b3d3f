"""`python manage.py send_scorecard_reminders`: email each interviewer whose scorecards
are overdue (not submitted 24 hours after the interview, or after a recruiter reopened
them: hiring.models.CardState), one reminder a day at most.

Meant for cron every hour, even on several servers at once: an interviewer's overdue
interviews are locked while deciding, and a reminder is recorded on them
(Interview.reminder_sent_at) only once the email went out, so a failed send is simply
tried again on the next run.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hiring.blind import candidate_label
from hiring.models import Interview
from hiring_site.formatting import moment

REMINDER_INTERVAL = timedelta(days=1)


def reminder_email(interviewer, interviews, base_url: str) -> tuple[str, str]:
    count = len(interviews)
    subject = f"{count} scorecard{'s' if count != 1 else ''} overdue"
    name = interviewer.first_name or interviewer.get_username()
    lines = [
        f"Hello {name},",
        "",
        "These scorecards are still open more than a day after the interview (or after a",
        "recruiter reopened them). Notes fade fast; please fill them in while you still",
        "remember:",
        "",
    ]
    for interview in interviews:
        when = moment(interview.scheduled_at)
        url = base_url.rstrip("/") + reverse("scorecards:fill", args=[interview.pk])
        application = interview.application
        lines.append(
            # Under blind review the interviewer reads the code here too (hiring.blind).
            f"- {candidate_label(application, interviewer)}, {application.revision.role.title}:"
            f" {interview.stage.name} (interview {when})"
        )
        lines.append(f"  {url}")
    lines += ["", "Thank you!", "", "You get at most one of these emails a day."]
    return subject, "\n".join(lines)


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

        sent, recent, failed = 0, 0, []
        for interviewer, interviews in by_interviewer.items():
            if not interviewer.is_active or not interviewer.email:
                self.stderr.write(
                    f"{interviewer.get_username()} has {len(interviews)} overdue scorecard(s) but "
                    "no email address (or is inactive): not reminded."
                )
                continue
            if dry_run:
                self.stdout.write(
                    f"Would remind {interviewer.email} of {len(interviews)} scorecard(s)."
                )
                continue
            try:
                if self._remind(interviewer, interviews, now, base_url):
                    sent += 1
                else:
                    recent += 1
            except Exception as exc:  # one bad address must not stop the rest
                failed.append(f"{interviewer.email}: {exc}")

        if not dry_run:
            self.stdout.write(
                f"Reminded {sent} interviewer(s); {recent} already reminded in the last 24 hours."
            )
        if failed:
            raise CommandError(
                "Could not send to " + "; ".join(failed) + " (will try again next run)."
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
            subject, body = reminder_email(interviewer, interviews, base_url)
            # Inside the transaction: if sending fails, the reminder is not recorded.
            send_mail(subject, body, None, [interviewer.email])
            Interview.objects.filter(pk__in=ids).update(reminder_sent_at=now)
        return True
