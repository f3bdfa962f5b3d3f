"""Delivering the outbox to a real HTTP receiver (tests/webhooks/conftest.py): signed
bodies, retries with backoff while it is down or failing, giving up after 24 hours,
order per application, and nothing for an inactive endpoint."""

import os
import signal
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from tests.webhooks.conftest import Receiver, verify
from webhooks import delivery as sending
from webhooks.delivery import deliver_due
from webhooks.models import (
    APPLICATION_CREATED,
    DECISION_RECORDED,
    RETRY_FOR,
    Delivery,
    Endpoint,
    Event,
)

pytestmark = pytest.mark.django_db


def three_events():
    """An application opened, then held, then rejected: three events, in that order."""
    application = factories.ApplicationFactory()
    application.record_decision("hold", "Waiting for references.", by=application.hiring_manager)
    application.record_decision("no_hire", "References were poor.", by=application.hiring_manager)
    return application


def test_an_event_is_delivered_signed_with_the_endpoints_secret(receiver, endpoint):
    application = factories.ApplicationFactory()

    assert deliver_due() == {"delivered": 1, "retrying": 0, "failed": 0}

    (request,) = receiver.received
    event = Event.objects.get()
    header = request["headers"]["X-Scorecards-Signature"]
    assert verify(endpoint.secret, header, request["body"])
    assert not verify("whsec_another", header, request["body"])
    assert not verify(endpoint.secret, header, request["body"] + b" ")
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["X-Scorecards-Event"] == APPLICATION_CREATED
    body = request["json"]
    assert body["id"] == str(event.uuid) == request["headers"]["X-Scorecards-Event-Id"]
    assert body["type"] == APPLICATION_CREATED
    assert body["created_at"].endswith("Z")
    assert body["data"]["application"] == {
        "id": application.pk,
        "status": "active",
        "candidate": application.candidate_id,
        "role": application.revision.role.slug,
        "revision": application.revision.number,
        "url": f"http://localhost:8000/hiring/applications/{application.pk}/",
    }
    stored = Delivery.objects.get()
    assert (stored.status, stored.attempts, stored.last_status_code) == ("delivered", 1, 200)
    assert stored.delivered_at is not None
    # Delivered: a second pass sends nothing more.
    assert deliver_due()["delivered"] == 0
    assert len(receiver.received) == 1


def test_a_receiver_that_is_down_gets_everything_in_order_once_it_is_back(receiver, endpoint):
    port = receiver.port
    receiver.stop()
    application = three_events()
    t0 = timezone.now()

    assert deliver_due(now=t0) == {"delivered": 0, "retrying": 1, "failed": 0}
    first = Delivery.objects.order_by("pk").first()
    assert first.attempts == 1 and first.last_status_code is None
    assert "refused" in first.last_error.lower()
    assert first.next_attempt_at == t0 + timedelta(seconds=30)
    # The application's later events wait behind the first: not even tried.
    assert [d.attempts for d in Delivery.objects.order_by("pk")] == [1, 0, 0]
    # Still down at the next try: the backoff doubles.
    assert deliver_due(now=t0 + timedelta(seconds=30))["retrying"] == 1
    first.refresh_from_db()
    assert first.next_attempt_at == t0 + timedelta(seconds=90)

    back = Receiver(port=port).start()  # up again, on the same address
    try:
        assert deliver_due(now=t0 + timedelta(seconds=60))["delivered"] == 0  # not due yet
        counts = deliver_due(now=t0 + timedelta(seconds=90))
        assert counts == {"delivered": 3, "retrying": 0, "failed": 0}
        assert back.types() == [APPLICATION_CREATED, DECISION_RECORDED, DECISION_RECORDED]
        statuses = [r["json"]["data"]["application"]["status"] for r in back.received]
        assert statuses == ["active", "active", "rejected"]
        assert back.ids() == [str(e.uuid) for e in Event.objects.order_by("pk")]
        for request in back.received:
            assert verify(
                endpoint.secret, request["headers"]["X-Scorecards-Signature"], request["body"]
            )
            assert request["json"]["data"]["application"]["id"] == application.pk
        assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
        # Nothing lost, nothing twice.
        assert deliver_due(now=t0 + timedelta(hours=2))["delivered"] == 0
        assert len(back.received) == 3
    finally:
        back.stop()


def test_a_500_is_retried_with_exponential_backoff(receiver, endpoint):
    receiver.answers = [500, 503, 200]
    factories.ApplicationFactory()
    t0 = timezone.now()

    assert deliver_due(now=t0)["retrying"] == 1
    stored = Delivery.objects.get()
    assert (stored.attempts, stored.last_status_code, stored.last_error) == (1, 500, "answered 500")
    assert stored.next_attempt_at == t0 + timedelta(seconds=30)
    # Not before its time.
    assert deliver_due(now=t0 + timedelta(seconds=29)) == {
        "delivered": 0,
        "retrying": 0,
        "failed": 0,
    }
    assert deliver_due(now=t0 + timedelta(seconds=30))["retrying"] == 1
    stored.refresh_from_db()
    assert stored.last_status_code == 503
    assert stored.next_attempt_at == t0 + timedelta(seconds=30 + 60)
    assert deliver_due(now=t0 + timedelta(seconds=90))["delivered"] == 1
    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.last_status_code) == ("delivered", 3, 200)
    # The same event id on every attempt, for the receiver to drop duplicates.
    assert len(set(receiver.ids())) == 1 and len(receiver.received) == 3


def test_backoff_doubles_up_to_an_hour():
    assert [sending.backoff(n).total_seconds() for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_a_delivery_is_given_up_after_24_hours_and_the_next_one_goes_on(receiver, endpoint):
    receiver.answers = [500]
    application = factories.ApplicationFactory()
    t0 = Event.objects.get().created_at
    clock = t0
    tried = 0
    while Delivery.objects.filter(status="pending").exists():
        deliver_due(now=clock)
        tried += 1
        clock = Delivery.objects.get().next_attempt_at if tried < 100 else clock
        assert tried < 100
        if Delivery.objects.get().status == "failed":
            break
    stored = Delivery.objects.get()
    assert stored.status == "failed"
    assert stored.last_attempt_at <= t0 + RETRY_FOR
    assert stored.last_attempt_at > t0 + RETRY_FOR - timedelta(hours=1)
    # 30 s doubling to an hour: 8 tries reach the hour, then one an hour until 24 h.
    assert 25 <= stored.attempts <= 33
    assert len(receiver.received) == stored.attempts

    # A failed delivery no longer holds the application's later events back.
    receiver.answers = [200]
    receiver.received.clear()
    application.record_decision("hold", "Later.", by=application.hiring_manager)
    assert deliver_due()["delivered"] == 1
    assert receiver.types() == [DECISION_RECORDED]


def test_an_inactive_endpoint_gets_nothing(receiver, endpoint):
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False)
    factories.ApplicationFactory()
    assert not Event.objects.exists() and not Delivery.objects.exists()

    # Turned off with a delivery pending: it waits, and goes once it is on again.
    Endpoint.objects.filter(pk=endpoint.pk).update(active=True)
    factories.ApplicationFactory()
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False)
    assert deliver_due()["delivered"] == 0
    assert receiver.received == []
    Endpoint.objects.filter(pk=endpoint.pk).update(active=True)
    assert deliver_due()["delivered"] == 1
    assert len(receiver.received) == 1


def test_an_endpoint_gets_only_the_events_it_takes(receiver, endpoint):
    other = Receiver().start()
    try:
        decisions_only = Endpoint.objects.create(url=other.url, events=[DECISION_RECORDED])
        application = factories.ApplicationFactory()
        application.record_decision("hire", "Strong.", by=application.hiring_manager)
        assert deliver_due()["delivered"] == 3
        assert receiver.types() == [APPLICATION_CREATED, DECISION_RECORDED]
        assert other.types() == [DECISION_RECORDED]
        # One event, one id, to both endpoints; each signed with its own secret.
        assert other.ids()[0] == receiver.ids()[1]
        request = other.received[0]
        header = request["headers"]["X-Scorecards-Signature"]
        assert verify(decisions_only.secret, header, request["body"])
        assert not verify(endpoint.secret, header, request["body"])
    finally:
        other.stop()


def test_a_receiver_slower_than_the_timeout_is_retried(receiver, endpoint, monkeypatch):
    monkeypatch.setattr(sending, "TIMEOUT", 0.3)
    receiver.delay = 1.0
    factories.ApplicationFactory()
    assert deliver_due()["retrying"] == 1
    stored = Delivery.objects.get()
    assert "timed out" in stored.last_error
    assert stored.last_status_code is None


def test_a_redirect_is_not_followed(receiver, endpoint):
    receiver.answers = [302]
    factories.ApplicationFactory()
    assert deliver_due()["retrying"] == 1
    assert Delivery.objects.get().last_error == "answered 302"


def test_the_command_delivers_once(receiver, endpoint, capsys):
    factories.ApplicationFactory()
    call_command("deliver_webhooks")
    assert "Delivered 1, to retry 0, failed 0." in capsys.readouterr().out
    assert len(receiver.received) == 1


def test_the_worker_delivers_until_sigterm_and_stops_cleanly(receiver, endpoint, capsys):
    factories.ApplicationFactory()
    previous = signal.getsignal(signal.SIGTERM)

    def stop_when_delivered():
        for _ in range(100):
            if receiver.received:
                break
            threading.Event().wait(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=stop_when_delivered)
    killer.start()
    call_command("deliver_webhooks", loop=True, interval=0.1)
    killer.join()

    out = capsys.readouterr().out
    assert "Delivered 1, to retry 0, failed 0." in out
    assert out.rstrip().endswith("Stopped.")
    assert len(receiver.received) == 1
    assert signal.getsignal(signal.SIGTERM) is previous
