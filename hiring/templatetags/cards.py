"""`{{ state|card_state_label }}`: the label of a CardState value, for rows read with values()."""

from django import template

from hiring.models import CardState

register = template.Library()


@register.filter
def card_state_label(state: str) -> str:
    return CardState(state).label
