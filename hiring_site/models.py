"""A person's own settings (`Profile`: the time zone they read and enter times in; the
single sign-on subject they are linked to, hiring_site.sso), and keeping their
session's time zone in step with it: hiring_site.middleware.UserTimeZone
activates the zone the session names; a login sets it from the profile, giving a
profile without one the browser's zone (the login form sends it, static/js/time-zone.js).
Times are stored in UTC whatever the zone."""

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.dispatch import receiver

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
