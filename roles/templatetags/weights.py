"""`{{ dimension.weight|weight }}`: a weight as people write it (25, 17.5), the one rule
of roles.weights.format_percent, wherever a page shows one."""

from django import template

from roles.weights import format_percent

register = template.Library()


@register.filter
def weight(value) -> str:
    return "" if value is None or value == "" else format_percent(value)
