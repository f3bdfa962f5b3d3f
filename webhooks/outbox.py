"""Writing events to the outbox, in the transaction of the change that caused them.

The models of the apps below send hiring.events and scorecards.events from the one
method every path goes through; the receivers here (connected in WebhooksConfig.ready)
turn each into an Event and one Delivery per active endpoint subscribed to its type.
No endpoint subscribed: nothing is written.

A body carries ids, statuses and links only: nothing of what a card says, no score or
recommendation; a receiver reads the details through the API, with its own rights.
"""

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from hiring.events import application_created, decision_recorded
from scorecards.events import panel_ready, scorecard_submitted
from webhooks.models import (
    APPLICATION_CREATED,
    DECISION_RECORDED,
    PANEL_READY,
    RETRY_FOR,
    SCORECARD_SUBMITTED,
    Delivery,
    Endpoint,
    Event,
)


def link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def emit(event_type: str, application, data: dict) -> Event | None:
    """Write the event and its deliveries; None when no active endpoint takes it."""
    endpoints = Endpoint.objects.subscribed_to(event_type)
    if not endpoints:
        return None
    now = timezone.now()
    event = Event.objects.create(
        type=event_type, application_id=application.pk, data=data, created_at=now
    )
    Delivery.objects.bulk_create(
        Delivery(
            event=event,
            endpoint=endpoint,
            application_id=application.pk,
            next_attempt_at=now,
            give_up_at=now + RETRY_FOR,
        )
        for endpoint in endpoints
    )
    return event


def application_data(application) -> dict:
    return {
        "id": application.pk,
        "status": application.status,
        "candidate": application.candidate_id,
        "role": application.revision.role.slug,
        "revision": application.revision.number,
        "url": link("hiring:application_detail", application.pk),
    }


@receiver(application_created, dispatch_uid="webhooks.application_created")
def _application_created(sender, application, **kwargs):
    emit(APPLICATION_CREATED, application, {"application": application_data(application)})


@receiver(scorecard_submitted, dispatch_uid="webhooks.scorecard_submitted")
def _scorecard_submitted(sender, scorecard, interview, **kwargs):
    application = interview.application
    emit(
        SCORECARD_SUBMITTED,
        application,
        {
            "scorecard": {
                "id": scorecard.pk,
                "status": scorecard.status,
                "interview": interview.pk,
                "stage": interview.stage_id,
                "interviewer": interview.interviewer_id,
                "url": link("scorecards:detail", scorecard.pk),
            },
            "application": {
                "id": application.pk,
                "status": application.status,
                "url": link("hiring:application_detail", application.pk),
            },
        },
    )


@receiver(panel_ready, dispatch_uid="webhooks.panel_ready")
def _panel_ready(sender, application, **kwargs):
    emit(
        PANEL_READY,
        application,
        {
            "application": {
                "id": application.pk,
                "status": application.status,
                "scorecards_submitted": application.interviews.count(),
                "url": link("hiring:application_detail", application.pk),
                "panel_url": link("hiring:panel", application.pk),
            }
        },
    )


@receiver(decision_recorded, dispatch_uid="webhooks.decision_recorded")
def _decision_recorded(sender, decision, **kwargs):
    application = decision.application
    emit(
        DECISION_RECORDED,
        application,
        {
            "decision": {"id": decision.pk, "decided_by": decision.decided_by_id},
            "application": {
                "id": application.pk,
                "status": application.status,
                "url": link("hiring:application_detail", application.pk),
                "panel_url": link("hiring:panel", application.pk),
            },
        },
    )
