"""The search behind the person picker (hiring.people): the people of a group whose name,
username or email holds what the recruiter typed, as radio buttons to pick from.

Recruiters only: the results name the company's staff."""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hiring.people import (
    MAX_QUERY_LENGTH,
    PICKER_GROUPS,
    PersonPicker,
    members_of,
    normalized_query,
    search,
)
from hiring_site.access import RECRUITER, group_required
from hiring_site.params import choice_param, text_param


@group_required(RECRUITER)
@require_GET
def people_search(request):
    """GET ?group=interviewer|hiring_manager&q=...&field=NAME: the matches as
    hiring/_people_results.html, radio buttons named for the form's field NAME (by
    default the group's)."""
    group_key = choice_param(request, "group", PICKER_GROUPS, what="group")
    field = request.GET.get("field") or group_key
    if not (field.isascii() and field.replace("-", "_").isidentifier() and len(field) <= 100):
        raise BadRequest("The field name is not one of a form's.")
    query = normalized_query(
        text_param(request, "q", what="name searched for", max_length=MAX_QUERY_LENGTH)
    )
    matches, more = search(members_of(PICKER_GROUPS[group_key]), query) if query else ([], False)
    context = {
        "matches": matches,
        "more": more,
        "query": query,
        "searched": True,
        "pick_name": PersonPicker.pick_name(field),
        "results_id": f"id_{field}_results",
    }
    return render(request, "hiring/_people_results.html", context)
