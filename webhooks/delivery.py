"""Sending the outbox: what `python manage.py deliver_webhooks` runs.

Each delivery is taken with its row locked (select_for_update(skip_locked=True) on
PostgreSQL): concurrent workers never send the same one twice, and a worker that dies
mid-send leaves it pending for the next. An earlier delivery for the same application
and endpoint still pending holds the later ones back (Delivery.objects.due), so a
receiver gets an application's events in order. A failed attempt (no answer within
TIMEOUT, a refused connection, an answer other than 2xx) is tried again after a
backoff that doubles from FIRST_BACKOFF up to MAX_BACKOFF, until the delivery's
give_up_at (RETRY_FOR after its event), then it is marked failed.

The body is signed with HMAC-SHA256 of "<timestamp>.<body>" under the endpoint's
secret, sent as `X-Scorecards-Signature: t=<timestamp>,v1=<hex digest>`.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from webhooks.models import Delivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Scorecards-Signature"
EVENT_HEADER = "X-Scorecards-Event"
ID_HEADER = "X-Scorecards-Event-Id"
TIMEOUT = 5  # seconds for a receiver to answer
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
USER_AGENT = "Scorecards-Webhooks/1"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for `body` sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def encode(body: dict) -> bytes:
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, ...,
    at most an hour."""
    return min(FIRST_BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF)


def post(url: str, body: bytes, headers: dict) -> int:
    """POST `body`; the status code, or raises OSError (urllib's errors, timeouts).
    Redirects are not followed: the endpoint's URL is the one an Administrator gave."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only (Endpoint.url's validator)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def attempt(delivery: Delivery, now) -> bool:
    """Send `delivery` once and record how it went; True if the receiver took it."""
    event, endpoint = delivery.event, delivery.endpoint
    body = encode(event.body())
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
        EVENT_HEADER: event.type,
        ID_HEADER: str(event.uuid),
    }
    status, error = None, ""
    try:
        status = post(endpoint.url, body, headers)
    except (OSError, ValueError) as exc:  # refused, unreachable, timed out, bad URL
        error = str(getattr(exc, "reason", exc)) or type(exc).__name__
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status
    ok = status is not None and 200 <= status < 300
    if ok:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.last_error = ""
    else:
        delivery.last_error = (error or f"answered {status}")[:500]
        retry_at = now + backoff(delivery.attempts)
        if retry_at > delivery.give_up_at:
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.next_attempt_at = retry_at
    delivery.save()
    return ok


def deliver_due(now=None, limit: int = 1000, stop=lambda: False) -> dict:
    """One pass: send each due delivery once, at most `limit`, until `stop()` says to
    (a worker asked to stop finishes the delivery under way). Returns the counts
    {"delivered", "retrying", "failed"}."""
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    for _ in range(limit):
        if stop():
            break
        clock = now or timezone.now()
        with transaction.atomic():
            delivery = (
                Delivery.objects.due(clock)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("event", "endpoint")
                .first()
            )
            if delivery is None:
                break
            if attempt(delivery, clock):
                counts["delivered"] += 1
            elif delivery.status == Delivery.Status.FAILED:
                counts["failed"] += 1
                logger.warning("Webhook delivery %s failed for good: %s", delivery.pk, delivery)
            else:
                counts["retrying"] += 1
    return counts
