"""`python manage.py deliver_webhooks [--loop] [--interval SECONDS]`: send the webhook
outbox once, or keep doing so as a worker until SIGTERM or SIGINT (the delivery under
way is finished first)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from webhooks.delivery import deliver_due


class Command(BaseCommand):
    help = "Deliver the pending webhook events once, or with --loop as a long-running worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Keep delivering until SIGTERM or SIGINT."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="With --loop: seconds to sleep between passes (default 5).",
        )

    def handle(self, *args, loop=False, interval=5.0, **options):
        if interval <= 0:
            interval = 5.0
        if not loop:
            self._report(deliver_due())
            return
        self.stopping = False
        previous = {
            signum: signal.signal(signum, self._stop) for signum in (signal.SIGTERM, signal.SIGINT)
        }
        self.stdout.write(f"Delivering webhooks every {interval:g} s; SIGTERM or Ctrl-C stops.")
        try:
            while not self.stopping:
                if not connection.in_atomic_block:
                    close_old_connections()  # a connection the database dropped is reopened
                counts = deliver_due(stop=lambda: self.stopping)
                if any(counts.values()):
                    self._report(counts)
                slept = 0.0
                while slept < interval and not self.stopping:
                    time.sleep(min(0.2, interval - slept))
                    slept += 0.2
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("Stopped.")

    def _stop(self, signum, frame):
        self.stopping = True

    def _report(self, counts):
        self.stdout.write(
            f"Delivered {counts['delivered']}, to retry {counts['retrying']}, "
            f"failed {counts['failed']}."
        )
