"""`{{ application|candidate_label:user }}`: the candidate's name, or their code under
blind review (hiring.blind holds the rule)."""

from django import template

from hiring import blind

register = template.Library()


@register.filter
def candidate_label(application, viewer) -> str:
    return blind.candidate_label(application, viewer)


@register.filter
def sees_candidate_names(application, viewer) -> bool:
    """Whether `viewer` sees the name, email and source of `application`'s candidate."""
    return blind.sees_candidate_names(
        viewer,
        blind_review=application.revision.blind_review,
        hiring_manager_id=application.hiring_manager_id,
    )
