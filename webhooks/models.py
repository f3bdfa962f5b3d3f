"""Webhooks: the endpoints an Administrator registers, and the outbox.

An event (`Event`) is written in the transaction of the change that caused it
(webhooks.outbox, listening to hiring.events and scorecards.events), with one
`Delivery` per active endpoint subscribed to its type. `deliver_webhooks`
(webhooks.delivery) sends the deliveries, retrying with backoff until
RETRY_FOR after the event, in order per application and endpoint.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

# The event types, as receivers read them in the body's "type".
APPLICATION_CREATED = "application.created"
SCORECARD_SUBMITTED = "scorecard.submitted"
PANEL_READY = "panel.ready"
DECISION_RECORDED = "decision.recorded"
EVENT_TYPES = {
    APPLICATION_CREATED: "An application is opened",
    SCORECARD_SUBMITTED: "A scorecard is submitted",
    PANEL_READY: "The last expected scorecard of an application is submitted",
    DECISION_RECORDED: "A decision is recorded",
}

# A delivery is retried until this long after its event (then it is marked failed).
RETRY_FOR = timedelta(hours=24)


def new_secret() -> str:
    """A signing secret: 32 random bytes, as text a receiver can paste."""
    return "whsec_" + secrets.token_urlsafe(32)


def validate_webhook_url(value: str) -> None:
    """An absolute http or https URL with a host; nothing else is posted to."""
    URLValidator(
        schemes=["http", "https"],
        message="Enter a full http:// or https:// address, e.g. https://ats.example.com/hooks.",
    )(value)


class EndpointQuerySet(models.QuerySet):
    def subscribed_to(self, event_type: str):
        """Active endpoints that take `event_type` (events is a list of types; matched in
        Python so SQLite and PostgreSQL agree)."""
        return [e for e in self.filter(active=True) if event_type in e.events]


class Endpoint(models.Model):
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[validate_webhook_url],
        help_text="Where the events are POSTed, as JSON. http or https.",
    )
    description = models.CharField(max_length=200, blank=True)
    # Kept as it is (not hashed): every delivery is signed with it.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    events = models.JSONField(default=list)
    active = models.BooleanField(
        default=True, help_text="An inactive endpoint gets nothing until it is active again."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["url", "id"]

    def __str__(self):
        return self.url

    def clean(self):
        unknown = set(self.events) - set(EVENT_TYPES)
        if unknown:
            raise ValidationError({"events": f"Unknown event types: {', '.join(sorted(unknown))}"})

    def rotate_secret(self) -> None:
        """A new secret, used for every delivery from now on (retries included)."""
        self.secret = new_secret()
        self.secret_rotated_at = timezone.now()
        self.save(update_fields=["secret", "secret_rotated_at"])


class Event(models.Model):
    """One thing that happened, as the receivers are told it. `uuid` is the event's id in
    the body: the same on every attempt and every endpoint, for receivers to drop a
    duplicate."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=40, choices=list(EVENT_TYPES.items()))
    # Deleting an application (nothing in the app does) takes its events with it.
    application = models.ForeignKey(
        "hiring.Application", on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.type} {self.uuid}"

    def body(self) -> dict:
        """The JSON body every endpoint receives for this event."""
        return {
            "id": str(self.uuid),
            "type": self.type,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
            "data": self.data,
        }


class DeliveryQuerySet(models.QuerySet):
    def due(self, now):
        """Pending deliveries whose time has come, on active endpoints, and with no
        earlier delivery for the same application and endpoint still pending (order
        per application); oldest first."""
        earlier_pending = Delivery.objects.filter(
            endpoint=models.OuterRef("endpoint"),
            application_id=models.OuterRef("application_id"),
            status=Delivery.Status.PENDING,
            pk__lt=models.OuterRef("pk"),
        )
        return (
            self.filter(
                status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__active=True
            )
            .exclude(models.Exists(earlier_pending))
            .order_by("pk")
        )


class Delivery(models.Model):
    """An event to one endpoint: its attempts and where it stands."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    # The event's, copied: the order check compares it without a join.
    application_id = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Retried until then; a retry asked for by hand ("retry now") moves it on.
    give_up_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due"),
            models.Index(
                fields=["endpoint", "application_id", "status"], name="webhooks_delivery_order"
            ),
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint}"

    def retry_now(self, now=None) -> None:
        """Send again on the worker's next pass: a pending delivery at once, a failed one
        too, with a new RETRY_FOR to go on trying."""
        now = now or timezone.now()
        self.next_attempt_at = now
        if self.status == self.Status.FAILED:
            self.status = self.Status.PENDING
            self.give_up_at = now + RETRY_FOR
        self.save(update_fields=["status", "next_attempt_at", "give_up_at"])
