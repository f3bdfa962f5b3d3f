"""Candidates, applications and their interview loops, and each user's own work lists."""

from datetime import datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring.forms import ApplicationForm, CandidateForm, InterviewForm
from hiring.interviewer_home import InterviewerHome, interview_row
from hiring.models import SCORECARD_DUE_AFTER, Application, Candidate, Interview
from hiring_site.access import (
    HIRING_MANAGER,
    INTERVIEWER,
    RECRUITER,
    group_required,
    is_recruiter,
)
from hiring_site.formatting import (
    display_name,
    iso_date,
    long_datetime,
    person_name,
    short_datetimes,
)
from hiring_site.links import url_maker
from roles.content import content_generation, revision_content
from scorecards.models import Scorecard

PAGE_SIZE = 25


# What the application page and its actions read of the application and its relations
# (the people's passwords and dates, the candidate's contact details stay unread).
_APPLICATION_PAGE_FIELDS = (
    "status",
    "panel_version",
    "candidate__name",
    "revision__number",
    "revision__status",
    "revision__role__title",
    "hiring_manager__username",
    "hiring_manager__first_name",
    "hiring_manager__last_name",
    "recruiter__username",
    "recruiter__first_name",
    "recruiter__last_name",
)


def _get_application_for_user(request, pk) -> Application:
    """Recruiters see every application; a hiring manager only their own (404 otherwise)."""
    queryset = Application.objects.select_related(
        "candidate", "revision__role", "hiring_manager", "recruiter"
    ).only(*_APPLICATION_PAGE_FIELDS)
    application = get_object_or_404(queryset, pk=pk)
    if is_recruiter(request.user) or application.hiring_manager_id == request.user.pk:
        return application
    raise Http404("No such application.")


def _get_candidate_for_user(request, pk) -> Candidate:
    """Candidates are the recruiters' (the views require the group); 404 if missing."""
    return get_object_or_404(Candidate, pk=pk)


def _get_interview_for_user(request, pk) -> Interview:
    """An interview assignment, for a recruiter to change."""
    queryset = Interview.objects.select_related(
        "application__candidate",
        "application__revision__role",
        "stage",
        "interviewer",
        "scorecard",
    )
    return get_object_or_404(queryset, pk=pk)


# --- candidates --------------------------------------------------------------------------


@group_required(RECRUITER)
@require_GET
def candidates(request):
    query = request.GET.get("q", "").strip()
    # A correlated count, not a join with GROUP BY: the page walks the (name, id) index and
    # counts 25 candidates' applications, and the paginator's COUNT skips it altogether.
    applications = (
        Application.objects.filter(candidate=OuterRef("pk"))
        .order_by()
        .values("candidate")
        .annotate(n=Count("pk"))
        .values("n")
    )
    candidates = Candidate.objects.order_by("name", "id")
    if query:
        candidates = candidates.filter(Q(name__icontains=query) | Q(email__icontains=query))
    # Plain rows of display strings, not models: the template only prints them (strings
    # skip its localization of each number and date), and caches them under themselves,
    # so they must hold everything the rows show.
    candidates = candidates.values("pk", "name", "email", "source", "created_at").annotate(
        application_count=Coalesce(Subquery(applications), 0)
    )
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    url = url_maker("hiring:candidate")
    page.object_list = [
        {
            "url": url(row["pk"]),
            "name": row["name"],
            "email": row["email"],
            "source": row["source"],
            "application_count": str(row["application_count"]),
            "added": iso_date(row["created_at"]),
        }
        for row in page.object_list
    ]
    return render(request, "hiring/candidates.html", {"page": page, "query": query})


def _save_candidate(request, form) -> Candidate | None:
    """Save, or None with a form error if another request took the email meanwhile."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        form.add_error("email", "Another candidate already uses this email address.")
        return None


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def candidate_add(request):
    form = CandidateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        candidate = _save_candidate(request, form)
        if candidate is not None:
            messages.success(request, f"{candidate.name} added.")
            return redirect("hiring:candidate", candidate.pk)
    return render(request, "hiring/candidate_form.html", {"form": form, "candidate": None})


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk):
    candidate = _get_candidate_for_user(request, pk)
    form = CandidateForm(request.POST if request.method == "POST" else None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        if _save_candidate(request, form) is not None:
            messages.success(request, "Candidate saved.")
            return redirect("hiring:candidate", candidate.pk)
    return render(request, "hiring/candidate_form.html", {"form": form, "candidate": candidate})


@group_required(RECRUITER)
@require_GET
def candidate_detail(request, pk):
    candidate = _get_candidate_for_user(request, pk)
    applications = candidate.applications.select_related("revision__role", "hiring_manager")
    return render(
        request,
        "hiring/candidate_detail.html",
        {"candidate": candidate, "applications": applications},
    )


# --- applications and their loops --------------------------------------------------------


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def application_add(request, pk):
    candidate = _get_candidate_for_user(request, pk)
    form = ApplicationForm(request.POST if request.method == "POST" else None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        application = form.save(commit=False)
        application.candidate = candidate
        application.recruiter = request.user
        application.save()
        messages.success(
            request,
            f"Application opened for {application.revision.role.title}. Now assign the "
            "interviewers.",
        )
        return redirect(application)
    return render(request, "hiring/application_form.html", {"form": form, "candidate": candidate})


def _loop(request, application, stages, now) -> tuple[list[dict], datetime | None]:
    """Each of `stages` (the pinned revision's) with its interviews, in one query, and
    the next time one of them turns overdue, if any."""
    # Rows of values rather than interviews with their interviewer and scorecard: three
    # model instances a row, and every column of each, were most of the loop's cost.
    rows = application.interviews.order_by("scheduled_at", "id").values_list(*_LOOP_COLUMNS)
    interviews = [_LoopRow(*row) for row in rows]
    readable = set(
        Scorecard.objects.readable_by(request.user)
        .filter(interview__application=application)
        .values_list("pk", flat=True)
    )
    card_url, edit_url = url_maker("scorecards:detail"), url_maker("hiring:interview_edit")
    delete_url = url_maker("hiring:interview_delete")
    active = application.status == Application.Status.ACTIVE
    overdue_before = now - SCORECARD_DUE_AFTER
    flips_at = None
    by_stage = {stage.pk: [] for stage in stages}
    for interview in interviews:
        card = interview.scorecard
        interview.has_card = card is not None
        # What each row shows, worked out here rather than through filters, includes
        # and {% url %} tags in the template (the same text as those gave).
        state = interview.card_state(active, overdue_before)
        if state in (Interview.CardState.DRAFT, Interview.CardState.NOT_STARTED) and (
            active and interview.scheduled_at is not None
        ):
            due = interview.scheduled_at + SCORECARD_DUE_AFTER
            flips_at = due if flips_at is None else min(flips_at, due)
        interview.badge = CARD_STATE_BADGES.get(state, "text-bg-secondary")
        interview.state_label = Interview.CardState(state).label
        interview.when = long_datetime(interview.scheduled_at) or "not scheduled"
        interview.card_url = card_url(card.pk) if card is not None and card.pk in readable else ""
        interview.edit_url, interview.delete_url = edit_url(interview.pk), delete_url(interview.pk)
        by_stage.setdefault(interview.stage_id, []).append(interview)
    loop = [{"stage": stage, "interviews": by_stage[stage.pk]} for stage in stages]
    return loop, flips_at


_LOOP_COLUMNS = (
    "id",
    "stage_id",
    "interviewer_id",
    "interviewer__username",
    "interviewer__first_name",
    "interviewer__last_name",
    "scheduled_at",
    "scorecard__id",
    "scorecard__status",
    "scorecard__reopen_reason",
)


class _LoopCard:
    """What the row reads of an interview's scorecard."""

    __slots__ = ("pk", "is_submitted", "reopen_reason")

    def __init__(self, pk, status, reopen_reason):
        self.pk = pk
        self.is_submitted = status == Scorecard.Status.SUBMITTED
        self.reopen_reason = reopen_reason


class _LoopRow:
    """An interview of the loop, from one row of _LOOP_COLUMNS."""

    def __init__(self, pk, stage_id, interviewer_id, username, first_name, last_name,
                 scheduled_at, card_id, card_status, reopen_reason):  # fmt: skip
        self.pk, self.stage_id, self.interviewer_id = pk, stage_id, interviewer_id
        self.name = person_name(first_name, last_name, username)
        self.scheduled_at = scheduled_at
        self.scorecard = None if card_id is None else _LoopCard(card_id, card_status, reopen_reason)

    def card_state(self, active: bool, overdue_before) -> str:
        """Interview.card_state for this row: `active`, the application's status is
        active; `overdue_before`, now less SCORECARD_DUE_AFTER."""
        card = self.scorecard
        return Interview.state_of(
            has_card=card is not None,
            submitted=card is not None and card.is_submitted,
            reopened=card is not None and bool(card.reopen_reason),
            overdue=active and self.scheduled_at is not None and self.scheduled_at < overdue_before,
        )


def _application_page(request, application, form=None, status=200):
    can_assign = is_recruiter(request.user) and application.status == Application.Status.ACTIVE
    # Cached unless the revision is a draft (roles.content).
    stages = revision_content(application.revision, "stages").stages
    if can_assign and form is None:
        form = InterviewForm(
            application=application, initial={"stage": request.GET.get("stage")}, stages=stages
        )
    context = {
        "application": application,
        "loop": stages,
        "loop_table": _loop_table(request, application, stages, can_assign),
        "form": form if can_assign else None,
        "is_recruiter": is_recruiter(request.user),
    }
    return render(request, "hiring/application_detail.html", context, status=status)


# How long a rendered loop table is kept (its key moves on with every change it shows).
LOOP_TABLE_SECONDS = 10 * 60


def _loop_table(request, application, stages, actions: bool) -> SafeString:
    """hiring/_loop_table.html, with the recruiter's actions or without, kept in the
    cache under what it is made of: the application's panel_version, which moves on
    with every change of its interviews, their scorecards and the names of the people
    on them (hiring.models), its status, its revision's content, the viewer (whose
    scorecard links it holds) and the time zone and language of the dates. The one
    thing time changes, an interview turning overdue, ends the entry's use."""
    now = timezone.now()
    key = ":".join(
        str(part)
        for part in (
            "hiring:loop",
            application.pk,
            application.panel_version,
            application.status,
            content_generation(application.revision),
            request.user.pk,
            is_recruiter(request.user),
            actions,
            timezone.get_current_timezone_name(),
            translation.get_language(),
        )
    )
    cached = cache.get(key)
    if cached is not None and (cached[1] is None or now < cached[1]):
        return cached[0]
    loop, flips_at = _loop(request, application, stages, now)
    table = render_to_string("hiring/_loop_table.html", {"loop": loop, "form": actions})
    cache.set(key, (table, flips_at), LOOP_TABLE_SECONDS)
    return table


@group_required(RECRUITER, HIRING_MANAGER)
@require_GET
def application_detail(request, pk):
    return _application_page(request, _get_application_for_user(request, pk))


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def interview_add(request, pk):
    application = _get_application_for_user(request, pk)
    if _closed(request, application) or request.method == "GET":
        return redirect(application)
    form = InterviewForm(request.POST, application=application)
    if form.is_valid():
        try:
            with transaction.atomic():
                interview = form.save()
        except IntegrityError:
            form.add_error("interviewer", "This interviewer was just assigned to that stage.")
        else:
            messages.success(
                request,
                f"{display_name(interview.interviewer)} interviews for {interview.stage.name}.",
            )
            return redirect(application)
    return _application_page(request, application, form=form, status=422)


def _closed(request, application) -> bool:
    if application.status == Application.Status.ACTIVE:
        return False
    messages.error(request, "This application is closed; its loop cannot change.")
    return True


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def interview_edit(request, pk):
    interview = _get_interview_for_user(request, pk)
    application = interview.application
    if _closed(request, application):
        return redirect(application)
    form = InterviewForm(
        request.POST if request.method == "POST" else None,
        instance=interview,
        application=application,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            form.add_error("interviewer", "This interviewer was just assigned to that stage.")
        else:
            messages.success(request, "Interview updated.")
            return redirect(application)
    return render(
        request,
        "hiring/interview_form.html",
        {"form": form, "interview": interview, "application": application},
    )


@group_required(RECRUITER)
@require_POST
def interview_delete(request, pk):
    interview = _get_interview_for_user(request, pk)
    if _closed(request, interview.application):
        return redirect(interview.application)
    with transaction.atomic():
        # The row lock makes a scorecard started at this very moment wait, then fail,
        # rather than be deleted along with the interview.
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        has_card = Scorecard.objects.filter(interview=locked).exists()
        if not has_card:
            locked.delete()
    if has_card:
        messages.error(
            request,
            "This interview has a scorecard, so it stays on the loop. Change its time instead.",
        )
    else:
        messages.success(
            request,
            f"{display_name(interview.interviewer)} no longer interviews for "
            f"{interview.stage.name}.",
        )
    return redirect(interview.application)


# --- each user's own lists -----------------------------------------------------------------


@group_required(HIRING_MANAGER)
@require_GET
def my_applications(request):
    applications = Application.objects.filter(hiring_manager=request.user).select_related(
        "candidate", "revision__role"
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hiring/my_applications.html", {"page": page})


SECTIONS = {0: "Overdue scorecards", 1: "Upcoming", 2: "Past"}


@group_required(INTERVIEWER)
@require_GET
def my_interviews(request):
    # One hand-written query reads the page's rows (hiring/interviewer_home.py says why);
    # the count needs none of its joins.
    mine = Interview.objects.filter(interviewer=request.user)
    page = _CountedPaginator(
        InterviewerHome(request.user.pk), PAGE_SIZE, count=mine.count
    ).get_page(request.GET.get("page"))
    fill_url, card_url = url_maker("scorecards:fill"), url_maker("scorecards:detail")
    sections = []
    rows = page.object_list
    whens = short_datetimes([row[1] for row in rows])
    for when, row in zip(whens, rows, strict=True):
        pk, _, section, candidate, role, stage, card_id, status, reopen = row
        state = _home_card_state(section, card_id, status, reopen)
        if state == Interview.CardState.SUBMITTED:
            url, action, button = card_url(card_id), "View", "btn-outline-secondary"
        else:
            url, action = fill_url(pk), "Continue" if card_id else "Fill in"
            button = "btn-danger" if state == Interview.CardState.OVERDUE else "btn-primary"
        row = interview_row(
            when or "not scheduled",
            candidate,
            role,
            stage,
            CARD_STATE_BADGES.get(state, "text-bg-secondary"),
            Interview.CardState(state).label,
            button,
            url,
            action,
        )
        if not sections or sections[-1]["key"] != section:
            sections.append({"key": section, "title": SECTIONS[section], "rows": []})
        sections[-1]["rows"].append(row)
    for section in sections:
        # interview_row escaped every value of each row.
        section["rows"] = mark_safe("".join(section["rows"]))  # noqa: S308  # nosec B308 B703
    return render(request, "hiring/my_interviews.html", {"page": page, "sections": sections})


class _CountedPaginator(Paginator):
    """A paginator told how to count, when a simpler query than the page's will do."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self):
        return self._count()


# The badge of each state, as hiring/_card_status.html shows it.
CARD_STATE_BADGES = {
    Interview.CardState.OVERDUE: "text-bg-danger",
    Interview.CardState.SUBMITTED: "text-bg-success",
    Interview.CardState.REOPENED: "text-bg-warning",
    Interview.CardState.DRAFT: "text-bg-info",
}


def _home_card_state(section, card_id, card_status, reopen_reason) -> str:
    """Interview.card_state for a row of "My interviews"; overdue is the query's own
    section 0, the same rule (InterviewQuerySet.overdue_q) that card_state mirrors."""
    return Interview.state_of(
        has_card=card_id is not None,
        submitted=card_status == Scorecard.Status.SUBMITTED,
        reopened=bool(reopen_reason),
        overdue=section == 0,
    )
