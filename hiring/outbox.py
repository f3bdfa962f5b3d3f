"""Every email the app sends goes through the outbox (`OutboxEmail`), so that mail never
fails or slows a request and none is lost:

- `queue()` renders the email (plain text and HTML from templates/email/, in the
  recipient's own time zone) and writes it as a row in the caller's transaction, then
  asks for one attempt once that transaction commits, with a short timeout
  (settings.EMAIL_REQUEST_TIMEOUT). A change rolled back sends nothing.
- `deliver()` claims a row with one conditional UPDATE (so two senders, on any
  database, never both send it), sends it and records the outcome: sent, or the error,
  with the next try backed off (`backoff`).
- `deliver_due()` sends every row whose time has come: `python manage.py send_outbox`,
  from cron, and the end of `send_scorecard_reminders`.

Who gets what: a recipient must be active, have an address and want the kind
(`wants`: their profile's `email_<kind>` switch, on unless they turned it off).
"""

import logging
import zoneinfo
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from email.mime.text import MIMEText
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from hiring.models import OutboxEmail

logger = logging.getLogger(__name__)

Kind = OutboxEmail.Kind

# An attempt holds its row this long: a sender that died mid-way leaves it to be tried
# again after that, not never.
CLAIM = timedelta(minutes=5)
# Waits between tries: a minute, then doubling, at most six hours; never given up.
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try."""
    if attempts >= 10:
        return LONGEST_WAIT
    return min(FIRST_WAIT * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


_silenced = ContextVar("outbox_silenced", default=False)


@contextmanager
def silenced():
    """Within it, queue() writes nothing: data a script loads (the demo) tells no one."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def wants(user, kind: str) -> bool:
    """Whether `user` is to get emails of `kind`: active, with an address, and not
    switched off on their profile (no profile yet: every kind is on). One query."""
    if user is None or not user.is_active or not user.email:
        return False
    switch = (
        type(user)
        .objects.filter(pk=user.pk)
        .values_list(f"profile__email_{kind}", flat=True)
        .first()
    )
    return switch is not False


def zone_of(user):
    """The time zone `user` reads times in: their profile's, else the site's."""
    name = (
        type(user).objects.filter(pk=user.pk).values_list("profile__time_zone", flat=True).first()
    )
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_default_timezone()


def queue(kind: str, user, template: str, context: dict, calendar: str = "") -> OutboxEmail | None:
    """Write the email `template` (templates/email/<template>_subject.txt, .txt and
    .html) to `user`, if they want `kind`, to go out once the current transaction
    commits; returns the row, or None when they get none."""
    if _silenced.get() or not wants(user, kind):
        return None
    zone = zone_of(user)
    context = {"site_url": settings.SITE_URL, **context, "recipient": user, "zone_name": str(zone)}
    with timezone.override(zone):
        subject = render_to_string(f"email/{template}_subject.txt", context)
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", context)
    email = OutboxEmail.objects.create(
        kind=kind,
        to=user.email,
        subject=" ".join(subject.split())[:255],
        text=text,
        html=html,
        calendar=calendar,
    )
    transaction.on_commit(partial(_deliver_quietly, email.pk))
    return email


def _deliver_quietly(pk: int) -> None:
    # After the commit, inside the request: whatever happens, the request goes on.
    try:
        deliver(pk, timeout=settings.EMAIL_REQUEST_TIMEOUT)
    except Exception:
        logger.exception("Outbox email %s: the attempt after commit failed", pk)


def deliver(pk: int, *, timeout: float | None = None, now=None) -> bool | None:
    """Try to send outbox email `pk`: True if sent, False if it failed (recorded on the
    row, with the next try), None if it was not due (sent already, or being tried by
    another sender)."""
    now = now or timezone.now()
    claimed = OutboxEmail.objects.filter(
        pk=pk, sent_at__isnull=True, next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM, attempts=models.F("attempts") + 1)
    if not claimed:
        return None
    email = OutboxEmail.objects.get(pk=pk)
    try:
        connection = get_connection(timeout=timeout or settings.EMAIL_TIMEOUT)
        _message(email, connection).send()
    except Exception as exc:  # whatever the server or the network did: kept, tried again
        OutboxEmail.objects.filter(pk=pk).update(
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + backoff(email.attempts),
        )
        return False
    OutboxEmail.objects.filter(pk=pk).update(sent_at=timezone.now(), last_error="")
    return True


def deliver_due(now=None) -> tuple[int, list[OutboxEmail]]:
    """Send every email whose time has come, the oldest first; returns how many went
    out, and those that failed this time (with their error)."""
    now = now or timezone.now()
    due = OutboxEmail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now)
    sent, failed = 0, []
    for pk in due.order_by("next_attempt_at", "id").values_list("pk", flat=True):
        outcome = deliver(pk, now=now)
        if outcome:
            sent += 1
        elif outcome is False:
            failed.append(OutboxEmail.objects.get(pk=pk))
    return sent, failed


def _message(email: OutboxEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        email.subject, email.text, None, [email.to], connection=connection
    )
    message.attach_alternative(email.html, "text/html")
    if email.calendar:
        # As calendar programs expect an invite: text/calendar with its METHOD, attached.
        part = MIMEText(email.calendar, "calendar", "utf-8")
        method = _method_of(email.calendar)
        if method:
            part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="invite.ics")
        message.attach(part)
    return message


def _method_of(calendar: str) -> str:
    for line in calendar.splitlines():
        if line.startswith("METHOD:"):
            return line.removeprefix("METHOD:").strip()
    return ""
