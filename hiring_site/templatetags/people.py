"""`{{ user|person }}`: what pages call a person (hiring_site.formatting.display_name)."""

from django import template

from hiring_site.formatting import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    """The user's full name, else their username; empty for no user."""
    return "" if user is None else display_name(user)
