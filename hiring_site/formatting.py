"""A person's name as pages show it; templates use it through `{{ user|person }}`
(hiring_site/templatetags/people.py). Dates and numbers: Django's `date` and
`floatformat` filters in templates, `django.utils.formats` in Python."""


def person_name(first_name: str, last_name: str, username: str) -> str:
    """The full name, else the username: what pages call a person. Takes the parts, so
    lists read with values() need no user instances."""
    return f"{first_name} {last_name}".strip() or username


def display_name(user) -> str:
    """person_name() of a user (the same text as user.get_full_name() or user.username)."""
    return person_name(user.first_name, user.last_name, user.username)
