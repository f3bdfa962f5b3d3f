"""A candidate's data, downloaded for them (scorecards.candidate_export): as JSON and as
a printable page. Recruiters only; each download is kept in the audit log."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hiring.models import AuditEntry, Candidate
from hiring_site.access import RECRUITER, group_required
from scorecards.candidate_export import candidate_data


def _export(request, pk) -> tuple[dict, str]:
    """The export's data and its file name (without the extension); records the export."""
    candidate = get_object_or_404(Candidate, pk=pk)
    now = timezone.now()
    data = candidate_data(candidate, request.user, now)
    AuditEntry.objects.create(
        actor=request.user, action=AuditEntry.Action.EXPORT, candidate_id=candidate.pk
    )
    # The candidate's id, not their name: a file name ends up in download folders and logs.
    return data, f"candidate-{candidate.pk}-{timezone.localdate(now).isoformat()}"


@require_GET
@group_required(RECRUITER)
def candidate_export_json(request, pk):
    data, filename = _export(request, pk)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


@require_GET
@group_required(RECRUITER)
def candidate_export(request, pk):
    data, filename = _export(request, pk)
    response = render(request, "scorecards/candidate_export.html", {"data": data})
    # Shown in the browser (to print, or save as a page), with a name if saved.
    response["Content-Disposition"] = f'inline; filename="{filename}.html"'
    return response
