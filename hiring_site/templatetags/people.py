"""`{{ user|person }}`: what pages call a person (hiring_site.formatting.display_name),
with "(deactivated)" after the name of someone who can no longer sign in."""

from django import template

from hiring_site.formatting import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    """The user's full name, else their username; empty for no user. "(deactivated)"
    follows the name of a deactivated person, where the page read `is_active` with the
    user (a query that left it out, `.only()`, costs no query more here)."""
    if user is None:
        return ""
    name = display_name(user)
    if "is_active" not in user.get_deferred_fields() and not user.is_active:
        return f"{name} (deactivated)"
    return name
