"""Two webhook workers at once, on PostgreSQL: a delivery is sent once, whoever takes it
(select_for_update(skip_locked=True)), and an application's events still go in order."""

import pytest

from tests import factories
from tests.races.concurrency import CriticalSection, needs_row_locks, run_concurrently
from tests.webhooks.conftest import Receiver, verify
from webhooks import delivery as sending
from webhooks.models import APPLICATION_CREATED, DECISION_RECORDED, EVENT_TYPES, Delivery, Endpoint

concurrently = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def endpoint(receiver):
    return Endpoint.objects.create(url=receiver.url, events=list(EVENT_TYPES))


@needs_row_locks
@concurrently
def test_a_delivery_being_sent_is_skipped_by_the_other_worker(receiver, endpoint):
    factories.ApplicationFactory()
    with CriticalSection(sending, "post") as section:
        first, second = run_concurrently(
            sending.deliver_due, sending.deliver_due, section=section, in_order=True
        )
    assert first.ok and second.ok, (first, second)
    # The second worker found the row locked and skipped it, without waiting.
    assert not section.both_inside and not section.other_waited
    assert first.value["delivered"] == 1
    assert second.value == {"delivered": 0, "retrying": 0, "failed": 0}
    assert len(receiver.received) == 1
    assert Delivery.objects.get().attempts == 1


@needs_row_locks
@concurrently
def test_two_workers_share_the_outbox_and_send_each_delivery_once(receiver, endpoint):
    receiver.delay = 0.05
    for _ in range(12):
        factories.ApplicationFactory()
    first, second = run_concurrently(sending.deliver_due, sending.deliver_due)
    assert first.ok and second.ok, (first, second)
    assert first.value["delivered"] + second.value["delivered"] == 12
    assert len(receiver.received) == 12
    assert len(set(receiver.ids())) == 12
    assert set(Delivery.objects.values_list("status", "attempts")) == {("delivered", 1)}
    for request in receiver.received:
        assert verify(
            endpoint.secret, request["headers"]["X-Scorecards-Signature"], request["body"]
        )


@needs_row_locks
@concurrently
def test_an_applications_events_stay_in_order_with_two_workers(receiver, endpoint):
    receiver.delay = 0.05
    applications = [factories.ApplicationFactory() for _ in range(3)]
    for application in applications:
        by = application.hiring_manager
        application.record_decision("hold", "Waiting.", by=by)
        application.record_decision("no_hire", "Decided.", by=by)
    outcomes = run_concurrently(*[sending.deliver_due] * 2)
    assert all(o.ok for o in outcomes), outcomes
    # A worker may end its pass while the other holds an application's earlier event;
    # a last pass sends what was held back.
    sending.deliver_due()
    assert len(receiver.received) == 9 and len(set(receiver.ids())) == 9
    for application in applications:
        mine = [
            r["json"]
            for r in receiver.received
            if r["json"]["data"]["application"]["id"] == application.pk
        ]
        assert [m["type"] for m in mine] == [
            APPLICATION_CREATED,
            DECISION_RECORDED,
            DECISION_RECORDED,
        ]
        assert [m["data"]["application"]["status"] for m in mine] == [
            "active",
            "active",
            "rejected",
        ]


@needs_row_locks
@concurrently
def test_the_last_two_cards_submitted_at_once_make_one_panel_ready():
    from scorecards.models import Scorecard, ScorecardContent
    from tests.scorecards.builders import build_loop
    from webhooks.models import PANEL_READY, SCORECARD_SUBMITTED, Event

    Endpoint.objects.create(url="https://ats.example.com/hooks", events=list(EVENT_TYPES))
    loop = build_loop()
    d = loop.dimensions

    def submitting(interview, ratings):
        content = ScorecardContent(ratings=ratings, recommendation="yes")
        return lambda: Scorecard(interview=interview, version=0).submit(
            content, 0, interview.interviewer
        )

    outcomes = run_concurrently(
        submitting(loop.interview, {d[0].id: (3, "ok"), d[1].id: (4, "ok")}),
        submitting(loop.other_interview, {d[2].id: (3, "ok")}),
    )
    assert all(o.ok for o in outcomes), outcomes
    types = list(
        Event.objects.filter(application=loop.application)
        .order_by("pk")
        .values_list("type", flat=True)
    )
    assert types.count(SCORECARD_SUBMITTED) == 2
    assert types.count(PANEL_READY) == 1 and types[-1] == PANEL_READY
