"""The results of scorecards, the hiring manager's side: My applications (the hiring
manager's home), the panel of an application, its JSON, its decision, a role's pipeline
and its CSV. Their URL names are hiring's (`hiring:my_applications`, `hiring:panel`, ...;
see hiring_site.urls).

Who may do what (DESIGN.md): recruiters view any panel and pipeline; an application's
hiring manager views and decides on it; other hiring managers get 404 for it; everyone
else 403. Results follow the blindness rule (hiring.models.ApplicationQuerySet): a hiring
manager (or recruiter) who also interviews the candidate sees the panel only once their
own scorecard is submitted, so the others' ratings cannot colour theirs; the pipeline and
its CSV show such rows as hidden.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, Value, When
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hiring.models import Application, Decision, Interview, StaleDecision
from hiring_site.access import (
    HIRING_MANAGER,
    RECRUITER,
    group_required,
    is_interviewer,
    is_recruiter,
)
from hiring_site.formatting import display_name
from hiring_site.params import (
    CountedPaginator,
    WindowPaginator,
    choice_param,
    int_param,
    page_of,
)
from roles.models import Role
from scorecards.access import get_panel_for_user
from scorecards.chart import Histogram
from scorecards.decision_form import DecisionForm
from scorecards.panel import (
    PanelConfigError,
    panel_decisions,
    panel_payload,
    panel_view,
)
from scorecards.pipeline import (
    SCORED_SORTS,
    SORT_KEYS,
    ApplicationRow,
    Summary,
    load_summaries,
    ordered,
    score_distribution,
    store_current_headlines,
)

PAGE_SIZE = 25
OWN_CARD_FIRST = (
    "You interview this candidate too. Submit your own scorecard first; the panel opens "
    "once it is submitted, so the others' ratings cannot influence yours."
)


# The pages a panel is opened from (?from=, which the links to it carry): its breadcrumbs
# lead back the way the person came. Left out, the role's pipeline.
FROM_PIPELINE, FROM_MINE, FROM_APPLICATION = "pipeline", "mine", "application"
ORIGINS = (FROM_PIPELINE, FROM_MINE, FROM_APPLICATION)


def _origin(request) -> str:
    return choice_param(request, "from", ORIGINS, FROM_PIPELINE, what="page to go back to")


def _panel_url(application, origin: str) -> str:
    url = reverse("hiring:panel", args=[application.pk])
    return url if origin == FROM_PIPELINE else f"{url}?from={origin}"


def _breadcrumbs(request, application, origin: str) -> list[dict]:
    """The way back from the panel for `origin`: links (label and url), outermost first."""
    candidate = {"label": application.candidate.name, "url": application.get_absolute_url()}
    if origin == FROM_MINE:
        return [{"label": "My applications", "url": reverse("hiring:my_applications")}]
    if origin == FROM_APPLICATION:
        if is_recruiter(request.user):
            home = {"label": "Candidates", "url": reverse("hiring:candidates")}
        else:
            home = {"label": "My applications", "url": reverse("hiring:my_applications")}
        return [home, candidate]
    role = application.revision.role
    pipeline = {
        "label": f"{role.title} pipeline",
        "url": reverse("hiring:pipeline", args=[role.slug]),
    }
    return [pipeline, candidate]


def _application_queryset(user):
    """The application with what its panel shows of it, and whether `user` may not see
    its results yet (the blindness rule, ApplicationQuerySet.with_results_hidden), read
    in the same query."""
    return Application.objects.select_related(
        "candidate", "revision__role", "hiring_manager"
    ).with_results_hidden(user)


def _get_panel_for_user(request, pk) -> Application:
    """Recruiters see every panel; a hiring manager only their own application's (404)."""
    return get_panel_for_user(_application_queryset(request.user), pk, request.user)


def _get_application_to_decide(request, pk) -> Application:
    """Only the application's hiring manager decides; recruiters may look but not decide."""
    return get_panel_for_user(_application_queryset(request.user), pk, request.user, deciding=True)


def _hidden_results(request, application) -> list[Interview] | None:
    """None when `request.user` may see the application's results (the blindness rule,
    read with the application: _application_queryset); otherwise their interviews whose
    card is awaited, for the page that asks for it first. Every view here checks it
    before reading or showing anything shared, cached or not."""
    if not application.results_hidden:
        return None
    return application.cards_awaited_from(request.user)


def _render_panel(request, application, *, panel=None, decisions=None, form=None, status=200):
    if panel is None:
        try:
            panel = panel_view(application)
        except PanelConfigError as exc:
            context = {**_panel_context(request, application), "config_error": str(exc)}
            return render(request, "hiring/panel.html", context, status=500)
    if decisions is None:
        decisions = panel_decisions(application)
    withdrawn = application.status == Application.Status.WITHDRAWN
    can_decide = application.decidable_by(request.user) and not withdrawn
    if can_decide and form is None:
        form = DecisionForm.for_panel(panel, decisions=decisions)
    context = {
        **_panel_context(request, application),
        "panel": panel,
        "decisions": decisions,
        "form": form if can_decide else None,
    }
    return render(request, "hiring/panel.html", context, status=status)


def _panel_context(request, application) -> dict:
    """What every state of the panel page shows: the application and the way back."""
    origin = _origin(request)
    decide_url = reverse("hiring:decide", args=[application.pk])
    return {
        "application": application,
        "breadcrumbs": _breadcrumbs(request, application, origin),
        # The decision form posts back with the way back, so the page after it keeps it.
        "decide_url": decide_url if origin == FROM_PIPELINE else f"{decide_url}?from={origin}",
    }


def _own_card_first_page(request, application, pending):
    context = {
        **_panel_context(request, application),
        "own_card_first": OWN_CARD_FIRST,
        # The scorecard pages belong to the Interviewer group.
        "pending_interviews": pending if is_interviewer(request.user) else [],
    }
    return render(request, "hiring/panel.html", context, status=403)


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def panel(request, pk):
    application = _get_panel_for_user(request, pk)
    if (awaited := _hidden_results(request, application)) is not None:
        return _own_card_first_page(request, application, awaited)
    return _render_panel(request, application)


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def panel_json(request, pk):
    application = _get_panel_for_user(request, pk)
    if _hidden_results(request, application) is not None:
        return JsonResponse({"error": OWN_CARD_FIRST}, status=403)
    try:
        return JsonResponse(panel_payload(application))
    except PanelConfigError as exc:
        return JsonResponse({"error": str(exc)}, status=500)


@require_POST
@group_required(RECRUITER, HIRING_MANAGER)
def decide(request, pk):
    application = _get_application_to_decide(request, pk)
    origin = _origin(request)  # read first: a bad one is refused before anything is stored
    if (awaited := _hidden_results(request, application)) is not None:
        return _own_card_first_page(request, application, awaited)
    try:
        panel = panel_view(application)
    except PanelConfigError:
        return _render_panel(request, application)
    decisions = panel_decisions(application)
    # Validated against the panel as it is now: a card submitted since the page was
    # opened may have changed the recommendation the hiring manager overrides.
    form = DecisionForm.for_panel(panel, request.POST, decisions=decisions)
    if form.is_valid():
        try:
            decision, created = form.record(application, by=request.user)
        except StaleDecision as exc:
            return _stale_decision(request, application, exc.latest)
        except ValidationError as exc:
            # The form was fine; the application is not (withdrawn): say so at the top.
            for message in exc.messages:
                messages.error(request, message)
        else:
            if created:
                messages.success(
                    request,
                    f"Decision recorded: {decision.get_outcome_display()}. The application "
                    f"is now {application.get_status_display().lower()}.",
                )
            else:
                messages.info(request, "That decision was already recorded.")
            return redirect(_panel_url(application, origin) + "#decisions")
    return _render_panel(
        request, application, panel=panel, decisions=decisions, form=form, status=400
    )


def _stale_decision(request, application, latest):
    """Refused: a decision was recorded since the page was loaded (another tab, a second
    click on an old page). Show the panel as it is now, with what was typed kept and the
    form now based on the latest decision, so posting it again is a deliberate choice."""
    # Read again: the row was read before the other decision moved its status and its
    # panel_version on, and the page must show that decision.
    application.refresh_from_db()
    try:
        panel = panel_view(application)
    except PanelConfigError:
        return _render_panel(request, application)
    decisions = panel_decisions(application)
    data = request.POST.copy()
    data["seen_decision"] = str(latest.pk if latest else 0)
    form = DecisionForm.for_panel(panel, data, decisions=decisions)
    form.is_valid()
    if latest is None:  # the decision the page showed is gone
        what = "the decisions changed after this page was loaded."
    else:
        what = (
            f"{display_name(latest.decided_by)} recorded a decision "
            f"({latest.get_outcome_display().lower()}) at "
            f"{timezone.localtime(latest.decided_at):%H:%M}, after this page was loaded. "
            "It is now the newest one in the history above."
        )
    form.add_error(
        None,
        f"Not recorded: {what} Your text is kept below: post it again if your decision "
        "still stands.",
    )
    return _render_panel(
        request, application, panel=panel, decisions=decisions, form=form, status=409
    )


# --- my applications --------------------------------------------------------------------

# The sections of My applications, in their order: every card in and nothing decided
# yet first, then those still waiting on cards, then the closed ones.
READY, IN_PROGRESS, CLOSED = 0, 1, 2
SECTION_TITLES = {READY: "Ready to decide", IN_PROGRESS: "In progress", CLOSED: "Decided"}
OUTCOME_LABELS = dict(Decision.Outcome.choices)


@dataclass
class ManagerRow:
    """An application as My applications shows it: how far its loop is (cards in of
    the interviews assigned), its stored headline (or hidden: `summary` is then a
    HiddenSummary) and its newest decision."""

    pk: int
    candidate: str
    role: str
    status: str
    section: int
    expected: int
    submitted: int
    decision: str
    decided_at: datetime | None
    summary: "Summary | HiddenSummary"
    # Its panel and its loop: reverse() here costs less than {% url %} per row.
    panel_url: str
    loop_url: str

    @property
    def status_label(self) -> str:
        return Application.Status(self.status).label

    @property
    def decision_label(self) -> str:
        return OUTCOME_LABELS.get(self.decision, "")

    @property
    def section_title(self) -> str:
        return SECTION_TITLES[self.section]

    @property
    def disagreement(self) -> str:
        """The disagreement in words ("2 dimensions; recommendations split"), or ""."""
        summary = self.summary
        parts = []
        if summary.disagreeing:
            count = summary.disagreeing
            parts.append(f"{count} dimension{'s' * (count != 1)}")
        if summary.votes_split:
            parts.append("recommendations split")
        return "; ".join(parts).capitalize()


def _my_applications(user):
    """The pks of the hiring manager's applications in their sections (READY,
    IN_PROGRESS, CLOSED), newest first in each. The section reads the application's own
    columns (its cards counted, hiring.models.count_cards): the order costs the same
    whatever the size of the loops."""
    return (
        Application.objects.filter(hiring_manager=user)
        .annotate(
            section=Case(
                When(~Q(status=Application.Status.ACTIVE), then=Value(CLOSED)),
                When(Application.objects.ready_to_decide_q(), then=Value(READY)),
                default=Value(IN_PROGRESS),
            ),
        )
        .order_by("section", "-created_at", "-pk")
        .values("pk", "section")
    )


@require_GET
@group_required(HIRING_MANAGER)
def my_applications(request):
    """The hiring manager's home: each of their applications with what it needs to be
    triaged (cards in, the recommendation, red flags, disagreement, the decision), ready
    to decide first. The results are the stored headlines (pipeline.load_summaries), shown
    only where the blindness rule lets the manager see them."""
    # The page's ids and sections, with how many there are in all: sorted by section,
    # the list is read whole by the database anyway.
    page = page_of(request, WindowPaginator(_my_applications(request.user), PAGE_SIZE))
    sections = {row["pk"]: row["section"] for row in page.object_list}
    read = ApplicationRow.read(
        Application.objects.filter(pk__in=sections)
        .with_decision(at=True)
        .with_results_hidden(request.user),
        "revision__role__title",
        "cards_expected",
        "cards_submitted",
        "decided_at",
        "results_hidden",
    )
    summaries = {
        summary.application.pk: summary for summary in load_summaries([r for r, _ in read])
    }
    rows = {}
    for application, (role, expected, submitted, decided_at, hidden) in read:
        rows[application.pk] = ManagerRow(
            pk=application.pk,
            candidate=application.candidate,
            role=role,
            status=application.status,
            section=sections[application.pk],
            expected=expected,
            submitted=submitted,
            decision=application.decision or "",
            decided_at=decided_at,
            summary=HiddenSummary(application) if hidden else summaries[application.pk],
            panel_url=reverse("hiring:panel", args=[application.pk]),
            loop_url=reverse("hiring:application_detail", args=[application.pk]),
        )
    page.object_list = [rows[pk] for pk in sections]
    context = {"page": page, "hidden_results": HIDDEN_RESULTS, "from_mine": FROM_MINE}
    return render(request, "hiring/my_applications.html", context)


# --- pipeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    numeric: bool = False


SORT_COLUMNS = (
    SortColumn("candidate", "Candidate"),
    SortColumn("status", "Status"),
    SortColumn("submitted", "Submitted cards", numeric=True),
    SortColumn("score", "Weighted score", numeric=True),
    SortColumn("recommendation", "Recommendation"),
    SortColumn("red_flags", "Red flags", numeric=True),
    SortColumn("decision", "Decision"),
    SortColumn("opened", "Opened"),
)
DEFAULT_SORT = "-opened"
# What ?sort= takes: a column's key, "-" before it for the other direction.
SORTS = tuple(f"{sign}{key}" for key in SORT_KEYS for sign in ("", "-"))


def _next_sort(column: SortColumn, current: str) -> str:
    """A click on the sorted column flips it; on another, numbers and dates come biggest
    first and names A to Z."""
    if current == column.key:
        return f"-{column.key}"
    if current == f"-{column.key}":
        return column.key
    return f"-{column.key}" if column.numeric or column.key == "opened" else column.key


def role_applications(request, slug):
    """(the role, the ?status= asked for, the role's applications of that status the user
    may list): a recruiter every one, a hiring manager their own. The pipeline, its CSV
    and the debrief (compare.py) list these; the revisions' scoring settings are read
    only where a headline is computed (load_summaries)."""
    role = get_object_or_404(Role, slug=slug)
    applications = Application.objects.filter(revision__role=role).panels_readable_by(request.user)
    status = choice_param(request, "status", Application.Status.values, "", what="status")
    if status:
        applications = applications.filter(status=status)
    return role, status, applications


def _pipeline_applications(request, slug):
    role, status, applications = role_applications(request, slug)
    sort = choice_param(request, "sort", SORTS, DEFAULT_SORT, what="column to sort by")
    return role, status, sort, applications


def _listed(applications, user):
    """`applications` with what the pipeline and its CSV show and sort by beside the
    stored headline: the decision, and whether `user` may not see the results yet (the
    blindness rule, read with the rows)."""
    return applications.with_decision().with_results_hidden(user)


def _read(listed) -> tuple[list[ApplicationRow], frozenset[int]]:
    """`listed` (a _listed queryset) as rows, and the pks of those whose results the
    viewer may not see yet."""
    read = ApplicationRow.read(listed, "results_hidden")
    return [row for row, _ in read], frozenset(row.pk for row, (hidden,) in read if hidden)


HIDDEN_RESULTS = "hidden until your own card is submitted"


@dataclass
class HiddenSummary:
    """A row of the pipeline (and its CSV) whose results the viewer may not see yet
    (Application.objects.results_visible_to): nothing of the scoring is carried, so
    nothing can be shown or sorted by; it sorts as an unscored row."""

    application: ApplicationRow
    hidden = True
    result = None
    submitted = None
    weighted_score = None
    score_order = None
    weighted_score_display = ""
    coverage_display = ""
    recommendation = ""
    red_flag_count = 0
    disagreeing = 0
    votes_split = False
    # Nor whether the decision went against the recommendation: that would tell it.
    against_recommendation = False


def _hide(summaries, hidden: frozenset[int]) -> list:
    return [HiddenSummary(s.application) if s.application.pk in hidden else s for s in summaries]


def _shown(summary) -> dict:
    """A row of the pipeline page as it shows it (a Summary, or a HiddenSummary which
    shows none of the scoring): a plain dict, which a template reads faster than a
    summary's properties (a page has 25 rows of a dozen fields)."""
    application = summary.application
    return {
        "pk": application.pk,
        # reverse() here costs less than {% url %} per row, which looks up the app.
        "panel_url": reverse("hiring:panel", args=[application.pk]),
        "candidate": application.candidate,
        "revision_number": application.revision_number,
        "status_label": application.status_label,
        "decision_label": application.decision_label,
        "opened": application.opened,
        "hiring_manager": application.hiring_manager,
        "hidden": summary.hidden,
        "submitted": summary.submitted,
        "weighted_score": summary.weighted_score_display,
        "scored": summary.result is not None,
        "recommendation_label": "" if summary.hidden else summary.recommendation_label,
        "error": getattr(summary, "error", ""),
        "red_flags": summary.red_flag_count,
        "against_recommendation": summary.against_recommendation,
    }


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def pipeline(request, slug):
    role, status, sort, queryset = _pipeline_applications(request, slug)
    # A page number no list has is refused before any headline is computed and stored.
    int_param(request, "page", 1, what="page number")
    # The histogram counts every listed application the viewer may see the results of,
    # not only the page's, and the others as hidden: together the list's length. Counting
    # them stores what was out of date, which the scored columns then sort by.
    seen_by = queryset.with_results_hidden(request.user)
    distribution = score_distribution(seen_by)
    page = page_of(
        request,
        CountedPaginator(ordered(seen_by, sort), PAGE_SIZE, count=lambda: distribution.total),
    )
    # The page's applications are picked first, by their ids in the list's order (with
    # whether the viewer may see their results, which the order reads), and only those
    # are read with their candidate, manager, decision and headline: joining all of the
    # role's before sorting would cost what the list's length does.
    picked = dict(page.object_list.values_list("pk", "results_hidden"))
    shown = ApplicationRow.from_queryset(queryset.filter(pk__in=picked).order_by())
    position = {pk: n for n, pk in enumerate(picked)}
    shown.sort(key=lambda row: position[row.pk])
    hidden = frozenset(pk for pk, is_hidden in picked.items() if is_hidden)
    page.object_list = [_shown(s) for s in _hide(load_summaries(shown), hidden)]
    columns = [
        {
            "key": column.key,
            "label": column.label,
            "numeric": column.numeric,
            "active": sort.lstrip("-") == column.key,
            "descending": sort == f"-{column.key}",
            "next": _next_sort(column, sort),
        }
        for column in SORT_COLUMNS
    ]
    context = {
        "role": role,
        "page": page,
        "columns": columns,
        "sort": sort,
        "status": status,
        "statuses": Application.Status.choices,
        "total": distribution.total,
        "sees_all": is_recruiter(request.user),
        "hidden_results": HIDDEN_RESULTS,
        "histogram": Histogram.build(distribution.counts, distribution.unscored),
        # Those listed whose results the viewer may not see: the histogram counts the others.
        "histogram_hidden": distribution.hidden,
    }
    return render(request, "hiring/pipeline.html", context)


CSV_HEADER = (
    "application",
    "candidate",
    "email",
    "revision",
    "status",
    "hiring_manager",
    "submitted_scorecards",
    "weighted_score",
    "coverage",
    "recommendation",
    "red_flags",
    "opened",
    "decision",
    "against_recommendation",
)


def _csv_safe(value) -> str:
    # Spreadsheets run cells starting with these as formulas; a candidate's name must not.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@group_required(RECRUITER, HIRING_MANAGER)
def export(request, slug):
    role, _status, sort, queryset = _pipeline_applications(request, slug)
    if sort.lstrip("-") in SCORED_SORTS:
        # What is out of date is stored first: the scored columns sort by the stored
        # headlines. (In another order, load_summaries computes and stores what it reads.)
        store_current_headlines(queryset)
    applications, hidden = _read(ordered(_listed(queryset, request.user), sort))
    summaries = _hide(load_summaries(applications), hidden)
    text = _export_text(summaries)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{role.slug}-pipeline-{stamp}.csv"'
    return response


def _against(summary) -> str:
    """The CSV's against_recommendation: yes or no for a decided application whose
    results the viewer sees, empty otherwise."""
    if summary.hidden or not summary.application.decision or not summary.result:
        return ""
    return "yes" if summary.against_recommendation else "no"


def _export_text(summaries) -> str:
    # Written to a buffer, then handed over once: HttpResponse.write per row costs more.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for summary in summaries:
        application, hidden = summary.application, summary.hidden
        # Only the text people typed goes through _csv_safe: the other cells are ids,
        # choices, formatted numbers and dates, none of which starts with a formula sign.
        writer.writerow(
            (
                application.pk,
                _csv_safe(application.candidate),
                _csv_safe(application.email),
                application.revision_number,
                application.status,
                _csv_safe(application.hiring_manager),
                "" if summary.submitted is None else summary.submitted,
                summary.weighted_score_display,
                summary.coverage_display,
                HIDDEN_RESULTS if hidden else summary.recommendation or "scoring_settings_invalid",
                "" if hidden else summary.red_flag_count,
                application.opened,
                application.decision or "",
                _against(summary),
            )
        )
    return buffer.getvalue()
