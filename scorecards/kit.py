"""The interview kit: what an interviewer takes into the room, one page per interview,
to print (`scorecards:kit`, print CSS in static/css/kit.css) or as a PDF
(`scorecards:kit_pdf`, drawn by WeasyPrint from the same template fragment): the stage
brief, the exercise's prompt, must-cover and look-for items, the focus dimensions with
their five anchors, the signals as checklists, and room for notes.

The interviewer of the interview, the recruiters and the application's hiring manager
may open it (`InterviewQuerySet.kits_readable_by`; 404 otherwise). Under blind review
the candidate is named by the blindness rule (hiring.blind), so an interviewer's kit
carries the code. WeasyPrint fetches nothing from the network: its URL fetcher serves
the app's static files and refuses everything else.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from hiring.models import Interview
from hiring_site.access import HIRING_MANAGER, INTERVIEWER, RECRUITER, group_required
from roles.models import Signal
from scorecards.forms import card_parts
from scorecards.models import Scorecard

# The made-up origin the PDF's document is read from: its static URLs resolve under it,
# and the fetcher answers for it alone. `.invalid` can never be a real host (RFC 2606).
PDF_BASE_URL = "https://scorecards.invalid/"

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
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    # Named for the interview, not the candidate: the file name travels further.
    response["Content-Disposition"] = f'inline; filename="interview-kit-{interview.pk}.pdf"'
    return response


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


class StaticFilesOnly(URLFetcher):
    """Serves the app's static files under PDF_BASE_URL and refuses every other URL
    (another host, file:, data:, a path outside the static files): a PDF is drawn
    from what the app ships, never from the network or the server's disk."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        base = urlsplit(PDF_BASE_URL)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise ValueError(f"The interview kit fetches nothing from {url[:100]}")
        if not parts.path.startswith(prefix):
            raise ValueError(f"The interview kit fetches static files only, not {url[:100]}")
        path = static_file(unquote(parts.path.removeprefix(prefix)))
        if path is None:
            raise ValueError(f"No static file at {url[:100]}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_file(name: str) -> str | None:
    """The path of the static file `name` (as `{% static %}` writes it, hashed or not),
    or None."""
    if not name or ".." in PurePosixPath(name).parts or name.startswith("/"):
        return None
    try:
        found = finders.find(name)
        if found:
            return found
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return None
