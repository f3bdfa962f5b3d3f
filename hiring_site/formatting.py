"""A person's name as pages show it (templates: `{{ user|person }}`, hiring_site's
`people` tags), and the number and date texts still built in Python (long_datetime and
decimal_text go once their last callers use Django's `date` and `floatformat` filters).
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR


def _local_day(value: datetime) -> tuple[datetime, str]:
    """`value` in the current time zone, and its "D j M" (e.g. "Wed 2 Dec")."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    month = str(MONTHS_3[local.month]).title()
    return local, f"{WEEKDAYS_ABBR[local.weekday()]} {local.day} {month}"


def long_datetime(value: datetime | None) -> str:
    """`value|date:"D j M Y, H:i"` in the current time zone, e.g. "Wed 2 Dec 2026, 04:34"."""
    if value is None:
        return ""
    local, day = _local_day(value)
    return f"{day} {local.year}, {local:%H:%M}"


def person_name(first_name: str, last_name: str, username: str) -> str:
    """The full name, else the username: what pages call a person. Takes the parts, so
    lists read with values() need no user instances."""
    return f"{first_name} {last_name}".strip() or username


def display_name(user) -> str:
    """person_name() of a user (the same text as user.get_full_name() or user.username)."""
    return person_name(user.first_name, user.last_name, user.username)


def decimal_text(value: Decimal) -> str:
    """`value|floatformat:"-2"` in the site's number format (English, no grouping):
    "100" for a whole number, else two places, e.g. "87.50"; about ten times faster."""
    if value == value.to_integral_value():
        return str(int(value))
    rounded = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{rounded if rounded else abs(rounded):f}"
