"""`python manage.py send_outbox`: send the emails waiting in the outbox (hiring.outbox):
those whose attempt right after their request failed, once their wait is over. Meant
for cron every few minutes; several at once never send an email twice (each claims a
row before sending it). Exits 0 when a send fails: the email stays in the outbox with
its error and is tried again later, each wait longer, up to six hours."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from hiring import outbox
from hiring.models import OutboxEmail


class Command(BaseCommand):
    help = "Send the emails waiting in the outbox whose time has come (run it from cron)."

    def handle(self, *args, **options):
        sent, failed = outbox.deliver_due()
        for email in failed:
            self.stderr.write(
                f"Could not send “{email.subject}” to {email.to} (attempt {email.attempts}): "
                f"{email.last_error}; next try at {email.next_attempt_at:%Y-%m-%d %H:%M} UTC."
            )
        waiting = OutboxEmail.objects.filter(sent_at__isnull=True)
        later = waiting.filter(next_attempt_at__gt=timezone.now()).count()
        self.stdout.write(f"Sent {sent} email(s); {len(failed)} failed; {later} waiting.")
