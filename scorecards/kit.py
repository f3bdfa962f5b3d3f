"""The interview kit: what an interviewer takes into the room, one page per interview,
to print (`scorecards:kit`, print CSS in static/css/kit.css) or as a PDF
(`scorecards:kit_pdf`, drawn by WeasyPrint from the same template fragment): the stage
brief, the exercise's prompt, must-cover and look-for items, the focus dimensions with
their five anchors, the signals as checklists, and room for notes.

The interviewer of the interview, the recruiters and the application's hiring manager
may open it (`InterviewQuerySet.kits_readable_by`; 404 otherwise). Under blind review
the candidate is named by the blindness rule (hiring.blind), so an interviewer's kit
carries the code. The PDF is drawn by scorecards/pdf.py, which fetches nothing from the
network.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from hiring.models import Interview
from hiring_site.access import HIRING_MANAGER, INTERVIEWER, RECRUITER, group_required
from roles.models import Signal
from scorecards.forms import card_parts
from scorecards.models import Scorecard

SIGNAL_HEADINGS = {
    Signal.Kind.STRONG: "Strong signals",
    Signal.Kind.WEAK: "Weak signals",
    Signal.Kind.RED_FLAG: "Red flags",
}


def _get_interview_for_user(request, pk) -> Interview:
    queryset = Interview.objects.kits_readable_by(request.user).select_related(
        "application__candidate",
        "application__revision__role",
        "stage__exercise",
        "interviewer",
    )
    return get_object_or_404(queryset, pk=pk)


def kit_context(interview: Interview) -> dict:
    parts = card_parts(interview.application.revision_id, interview.stage_id)
    focus = [d for d in parts.dimensions if d.id in parts.focus_ids]
    signals = {kind: [] for kind in Signal.Kind.values}
    for signal in parts.signals:
        signals[signal.kind].append(signal)
    return {
        "interview": interview,
        "application": interview.application,
        "stage": interview.stage,
        "exercise": interview.stage.exercise,
        # A stage without focus (a draft's, before publishing) gets every dimension.
        "dimensions": [(d, d.anchor_list()) for d in (focus or parts.dimensions)],
        "focus_set": bool(focus),
        "signal_lists": [(kind, SIGNAL_HEADINGS[kind], signals[kind]) for kind in signals],
        "recommendations": Scorecard.Recommendation.choices,
    }


@group_required(RECRUITER, HIRING_MANAGER, INTERVIEWER)
@require_GET
def kit(request, pk):
    interview = _get_interview_for_user(request, pk)
    return render(request, "scorecards/kit.html", kit_context(interview))


@group_required(RECRUITER, HIRING_MANAGER, INTERVIEWER)
@require_GET
def kit_pdf(request, pk):
    interview = _get_interview_for_user(request, pk)
    html = render_to_string("scorecards/kit_pdf.html", kit_context(interview), request=request)
    # WeasyPrint loads Pango when imported: only this view needs it, so a machine
    # without it runs every other page.
    from scorecards import pdf

    response = HttpResponse(pdf.render_pdf(html), content_type="application/pdf")
    # Named for the interview, not the candidate: the file name travels further.
    response["Content-Disposition"] = f'inline; filename="interview-kit-{interview.pk}.pdf"'
    return response
