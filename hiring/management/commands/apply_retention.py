"""`python manage.py apply_retention`: erase (Candidate.erase) every candidate whose last
application closed, by a decision or a withdrawal, more than RETENTION_DAYS days ago
(one who never applied: added that long ago). A candidate with an active application
(a hold keeps it active) is never touched.

Meant for cron, daily. Off while RETENTION_DAYS is 0 (the default). Running it twice
erases nothing more: an erased candidate is skipped, and each erasure is its own
transaction, so an interrupted run is simply finished by the next. `--dry-run` lists
who would be erased and writes nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from hiring.models import Candidate


class Command(BaseCommand):
    help = "Erase the candidates whose last application closed more than RETENTION_DAYS ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be erased; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        days = settings.RETENTION_DAYS
        if not days:
            self.stdout.write("RETENTION_DAYS is not set: retention is off, nothing erased.")
            return
        cutoff = timezone.now() - timedelta(days=days)
        due = list(
            Candidate.objects.past_retention(cutoff).order_by("pk").values_list("pk", "last_closed")
        )
        reason = f"Retention: no application active, the last closed more than {days} days ago."
        erased = 0
        for pk, last_closed in due:
            closed = f"closed {last_closed:%Y-%m-%d}" if last_closed else "never applied"
            if dry_run:
                self.stdout.write(f"Would erase candidate #{pk} ({closed}).")
                continue
            # Read again: it may have been erased, or applied again, since the list was made.
            candidate = Candidate.objects.past_retention(cutoff).filter(pk=pk).first()
            if candidate is not None and candidate.erase(by=None, reason=reason):
                erased += 1
                self.stdout.write(f"Erased candidate #{pk} ({closed}).")
        verb = "would erase" if dry_run else "erased"
        self.stdout.write(
            f"Retention of {days} days (closed before {cutoff:%Y-%m-%d %H:%M} UTC): "
            f"{verb} {len(due) if dry_run else erased} candidate(s)."
        )
