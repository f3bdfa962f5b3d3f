"""A person's name and a moment as pages show them; templates use them through
`{{ user|person }}` (hiring_site/templatetags/people.py) and `{{ value|moment }}`
(hiring_site/templatetags/moments.py). Days and numbers: Django's `date` and
`floatformat` filters in templates, `django.utils.formats` in Python."""

from datetime import UTC

from django.utils import timezone
from django.utils.formats import date_format


def person_name(first_name: str, last_name: str, username: str) -> str:
    """The full name, else the username: what pages call a person. Takes the parts, so
    lists read with values() need no user instances."""
    return f"{first_name} {last_name}".strip() or username


def display_name(user) -> str:
    """person_name() of a user (the same text as user.get_full_name() or user.username)."""
    return person_name(user.first_name, user.last_name, user.username)


def moment(value) -> str:
    """A moment (an interview, a submission, a decision) in the current time zone, as
    DATETIME_FORMAT writes it; empty for none. One too near the calendar's ends to be
    moved into the time zone (a row from before times were checked: 9999-12-31 23:30 is
    past the calendar in Tokyo) is written in UTC, and says so, rather than failing."""
    if value is None:
        return ""
    try:
        local = timezone.localtime(value)
    except OverflowError:
        return date_format(value.astimezone(UTC), "DATETIME_FORMAT") + " UTC"
    return date_format(local, "DATETIME_FORMAT")
