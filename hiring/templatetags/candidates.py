"""`{{ application|candidate_label:user }}`: the candidate's name, or their code under
blind review (hiring.blind holds the rule)."""

from django import template

from hiring import blind

register = template.Library()


@register.filter
def candidate_label(application, viewer) -> str:
    return blind.candidate_label(application, viewer)
