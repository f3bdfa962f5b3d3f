"""A person's own settings (`Profile`: the time zone they read and enter times in, which
emails they want, the single sign-on subject they are linked to, hiring_site.sso), and
keeping their session's time zone in step with it: hiring_site.middleware.UserTimeZone
activates the zone the session names; a login sets it from the profile, giving a
profile without one the browser's zone (the login form sends it, static/js/time-zone.js).
Times are stored in UTC whatever the zone.

People as administrators manage them (hiring_site/people.py, people_views.py): an
`Invitation` to set a password (only a digest of its token is stored), and
`GroupChange`, the history of everyone's groups, written by a receiver of User.groups'
m2m_changed so that no way of changing them (the people pages, Django's admin, a shell,
a migration) escapes it."""

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords

# The session's time zone: a name of time_zones(), or "" for the site's (TIME_ZONE).
SESSION_KEY = "time_zone"
# The login form's field that carries the browser's time zone.
BROWSER_FIELD = "time_zone"


@cache
def time_zones() -> tuple[str, ...]:
    """Every IANA time zone name this machine knows, sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The time zone `name` names, or None for an empty or unknown name."""
    return zoneinfo.ZoneInfo(name) if name in time_zones() else None


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    # An IANA name (time_zones()); empty: not chosen, the site's TIME_ZONE applies.
    time_zone = models.CharField(max_length=64, blank=True)
    # Which emails they want, one switch per kind (hiring.outbox.Kind reads them by these
    # names, through the user's `profile`: the apps do not import this module).
    email_assignments = models.BooleanField(
        "Interview invitations",
        default=True,
        help_text="When you are assigned an interview, when its time changes and when it is "
        "called off, with a calendar invite.",
    )
    email_panel_ready = models.BooleanField(
        "Panel ready",
        default=True,
        help_text="When every scorecard of an application you manage is in.",
    )
    email_reminders = models.BooleanField(
        "Scorecard reminders",
        default=True,
        help_text="At most once a day, when scorecards of yours are overdue.",
    )

    # The single sign-on provider's subject (`sub`) for this person, once they signed in
    # with it: later sign-ins find them by it, whatever their email (hiring_site.sso).
    sso_subject = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sso_subject"],
                condition=~models.Q(sso_subject=""),
                name="profile_unique_sso_subject",
            )
        ]

    def __str__(self):
        return f"Profile of {self.user}"


def zone_of(user_id) -> str:
    """The time zone `user_id` chose, "" if none (one query)."""
    chosen = Profile.objects.filter(user_id=user_id).values_list("time_zone", flat=True).first()
    return chosen if chosen and zone_named(chosen) else ""


@receiver(user_logged_in)
def _time_zone_at_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    profile, _ = Profile.objects.get_or_create(user=user)
    if not profile.time_zone and request.method == "POST":
        browser = request.POST.get(BROWSER_FIELD, "")
        if zone_named(browser):
            profile.time_zone = browser
            profile.save(update_fields=["time_zone"])
    request.session[SESSION_KEY] = profile.time_zone


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither used, replaced nor expired."""
        return self.filter(used_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link for `user` to set their password (hiring_site.people). The link
    carries a random token; only its SHA-256 digest is stored, so the table alone opens
    no account."""

    class State(models.TextChoices):
        PENDING = "pending", "waiting to be accepted"
        USED = "used", "accepted"
        REVOKED = "revoked", "replaced or withdrawn"
        EXPIRED = "expired", "expired"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A newer invitation replaced it, or the person was deactivated.
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Invitation of {self.user} ({self.state})"

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return self.State.USED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return self.State(self.state).label


class GroupChange(models.Model):
    """One group added to or removed from one person: by whom (None: not through a
    request, e.g. a command) and when."""

    class Action(models.TextChoices):
        ADDED = "added", "added to"
        REMOVED = "removed", "removed from"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_changes"
    )
    # The group's name when it changed: the history reads the same if it is renamed.
    group = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["user", "-changed_at", "-id"])]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.group}"


def _acting_user():
    """The signed-in user of the request being served, if any: django-simple-history's
    middleware (settings.MIDDLEWARE) keeps the request for the thread."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _record(pairs, action: str) -> None:
    """GroupChange rows for (user id, group name) pairs."""
    if not pairs:
        return
    by, now = _acting_user(), timezone.now()
    GroupChange.objects.bulk_create(
        GroupChange(user_id=user_id, group=name, action=action, changed_by=by, changed_at=now)
        for user_id, name in pairs
    )


@receiver(m2m_changed, sender=get_user_model().groups.through)
def _record_group_changes(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Keep every change of anyone's groups, from either side of the relation
    (user.groups.add(group) or group.user_set.add(user)). Django runs add, remove and
    clear with their signals in one transaction, so the rows stand or fall with the
    change. post_add's pk_set holds only the links really added; for remove and clear
    the links that exist are read first (pre_*), since remove's pk_set is what was asked."""
    if kwargs.get("raw"):
        return
    if action == "post_add":
        links = pk_set
        added = True
    elif action in ("pre_remove", "pre_clear"):
        links = None if action == "pre_clear" else pk_set
        added = False
    else:
        return
    existing = sender.objects.all()
    if reverse:  # instance is a group, the pks are users'
        existing = existing.filter(group_id=instance.pk)
        if links is not None:
            existing = existing.filter(user_id__in=links)
    else:
        existing = existing.filter(user_id=instance.pk)
        if links is not None:
            existing = existing.filter(group_id__in=links)
    pairs = list(existing.values_list("user_id", "group__name"))
    _record(pairs, GroupChange.Action.ADDED if added else GroupChange.Action.REMOVED)
