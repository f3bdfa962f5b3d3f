"""Candidates, applications and their interview loops, and each user's own work lists."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring import blind
from hiring.forms import (
    ApplicationForm,
    CandidateForm,
    EraseForm,
    InterviewForm,
    LoopForm,
    WithdrawForm,
)
from hiring.models import (
    CARD_STATE_VALUES,
    Application,
    Candidate,
    CardStarted,
    Decision,
    Interview,
    card_state_from,
    held_on,
    local_day,
)
from hiring_site.access import (
    HIRING_MANAGER,
    INTERVIEWER,
    RECRUITER,
    group_required,
    is_recruiter,
)
from hiring_site.formatting import display_name
from hiring_site.params import (
    MAX_SEARCH_LENGTH,
    WindowPaginator,
    choice_param,
    int_param,
    page_of,
    text_param,
)
from roles.models import Role

PAGE_SIZE = 25
STATUS_LABELS = dict(Application.Status.choices)
DECISION_LABELS = dict(Decision.Outcome.choices)


# What the application page and its actions read of the application and its relations
# (the people's passwords and dates, the candidate's contact details stay unread).
_APPLICATION_PAGE_FIELDS = (
    "status",
    "panel_version",
    "candidate_code",
    "candidate__name",
    "revision__number",
    "revision__status",
    "revision__blind_review",
    "revision__role__title",
    "hiring_manager__username",
    "hiring_manager__first_name",
    "hiring_manager__last_name",
    "hiring_manager__is_active",  # "(deactivated)" by the name ({{ user|person }})
    "recruiter__username",
    "recruiter__first_name",
    "recruiter__last_name",
    "recruiter__is_active",
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
    """Every candidate with each of their applications: its role, cards submitted of
    expected, status, decision and last activity; searched by name or email, filtered
    by role and status (the candidates with such an application, and those shown)."""
    query = text_param(request, "q", what="search")
    roles = list(Role.objects.order_by("title", "id").values_list("slug", "title"))
    role = choice_param(request, "role", [slug for slug, _ in roles], "", what="role")
    status = choice_param(request, "status", Application.Status.values, "", what="status")
    applications = Application.objects.all()
    if role:
        applications = applications.filter(revision__role__slug=role)
    if status:
        applications = applications.filter(status=status)
    candidates = Candidate.objects.order_by("name", "id")
    if query:
        candidates = candidates.filter(Q(name__icontains=query) | Q(email__icontains=query))
    if role or status:
        candidates = candidates.filter(pk__in=applications.values("candidate_id"))
    page = page_of(
        request, Paginator(candidates.values("pk", "name", "email", "erased_at"), PAGE_SIZE)
    )
    # The page's candidates' applications, with their progress, in one query.
    by_candidate = defaultdict(list)
    for application in (
        applications.filter(candidate_id__in=[c["pk"] for c in page.object_list])
        .with_progress()
        .order_by("-created_at", "-id")
        .values(
            "pk",
            "candidate_id",
            "status",
            "decision",
            "cards_expected",
            "cards_submitted",
            "last_activity",
            role_title=F("revision__role__title"),
        )
    ):
        application["status_label"] = STATUS_LABELS[application["status"]]
        application["decision_label"] = DECISION_LABELS.get(application["decision"], "")
        by_candidate[application["candidate_id"]].append(application)
    for candidate in page.object_list:
        candidate["applications"] = by_candidate[candidate["pk"]]
    context = {
        "page": page,
        "query": query,
        "search_max_length": MAX_SEARCH_LENGTH,
        "roles": roles,
        "role": role,
        "status": status,
        "statuses": Application.Status.choices,
    }
    return render(request, "hiring/candidates.html", context)


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
    if _refuse_erased(request, candidate):
        return redirect("hiring:candidate", candidate.pk)
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


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def candidate_erase(request, pk):
    """Erase a candidate: a confirmation page with a required reason (GET), then the
    erasure (POST; a second one finds it done and writes nothing)."""
    candidate = _get_candidate_for_user(request, pk)
    if candidate.is_erased:
        messages.info(request, "This candidate was already erased.")
        return redirect("hiring:candidate", candidate.pk)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if candidate.erase(by=request.user, reason=form.cleaned_data["reason"]):
            messages.success(request, f"Erased. The candidate is now {candidate.name}.")
        else:
            messages.info(request, "This candidate was already erased.")
        return redirect("hiring:candidate", candidate.pk)
    applications = candidate.applications.select_related("revision__role").order_by("pk")
    context = {"candidate": candidate, "form": form, "applications": applications}
    status = 422 if request.method == "POST" else 200
    return render(request, "hiring/candidate_erase.html", context, status=status)


def _refuse_erased(request, candidate) -> bool:
    """An erased candidate is kept for the numbers only: no edits, no new application."""
    if candidate.is_erased:
        messages.error(request, "This candidate was erased: their record no longer changes.")
        return True
    return False


# --- applications and their loops --------------------------------------------------------


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def application_add(request, pk):
    candidate = _get_candidate_for_user(request, pk)
    if _refuse_erased(request, candidate):
        return redirect("hiring:candidate", candidate.pk)
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


def _loop(request, application, stages) -> list[dict]:
    """Each of `stages` (the pinned revision's) with its interviews, read in one query;
    each interview's `card` is its scorecard or None, `readable_card` the same if the
    viewer may read it. Their card_state is the model's, from the card and application
    loaded with them."""
    interviews = (
        application.interviews.with_card_readable(request.user)
        .select_related("interviewer", "scorecard")
        .only(
            "application_id",  # the manager sets `application` on each by it
            "stage_id",
            "scheduled_at",
            "interviewer__username",
            "interviewer__first_name",
            "interviewer__last_name",
            "interviewer__is_active",
            "scorecard__status",
            "scorecard__reopen_reason",
            "scorecard__reopened_at",
        )
        .order_by("scheduled_at", "id")
    )
    by_stage = {stage.pk: [] for stage in stages}
    for interview in interviews:
        interview.card = getattr(interview, "scorecard", None)
        interview.readable_card = interview.card if interview.card_readable else None
        by_stage.setdefault(interview.stage_id, []).append(interview)
    return [{"stage": stage, "interviews": by_stage[stage.pk]} for stage in stages]


def _application_page(request, application, form=None, loop_form=None, status=200):
    can_assign = is_recruiter(request.user) and application.status == Application.Status.ACTIVE
    stages = _stages(application)
    # ?stage= picks the stage of the form (the loop's "Assign" links).
    stage = int_param(request, "stage", what="stage")
    if stage is not None and stage not in {s.pk for s in stages}:
        raise Http404("This application's loop has no such stage.")
    if can_assign and form is None:
        form = InterviewForm(application=application, initial={"stage": stage}, stages=stages)
    loop = _loop(request, application, stages) if stages else []
    if can_assign and loop_form is None:
        loop_form = LoopForm(application=application, loop=loop)
    context = {
        "application": application,
        "loop": loop,
        "form": form if can_assign else None,
        "loop_form": loop_form if can_assign else None,
        "is_recruiter": is_recruiter(request.user),
    }
    return render(request, "hiring/application_detail.html", context, status=status)


def _stages(application) -> list:
    """The stages of the application's revision, in their order."""
    return list(
        application.revision.stages.order_by("order", "id").only(
            "revision_id", "name", "duration_minutes"
        )
    )


@group_required(RECRUITER, HIRING_MANAGER)
@require_GET
def application_detail(request, pk):
    return _application_page(request, _get_application_for_user(request, pk))


def _save_assignment(form: InterviewForm) -> Interview | None:
    """Save the new interview of an assignment form; None, with the form's error, if
    the same assignment was made meanwhile (the database's unique constraint)."""
    try:
        with transaction.atomic():
            interview = form.save(commit=False)
            interview.assign()
            return interview
    except IntegrityError:
        form.add_error("interviewer", "This interviewer was just assigned to that stage.")
        return None


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk):
    """The candidate withdraws: a confirmation page (GET), then the withdrawal (POST)."""
    application = _get_application_for_user(request, pk)
    if application.status == Application.Status.WITHDRAWN:
        messages.info(request, "This application was already withdrawn.")
        return redirect(application)
    if application.closed_by_decision:
        messages.error(
            request, Application.CLOSED_BY_DECISION.format(application.get_status_display())
        )
        return redirect(application)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            withdrawn = application.withdraw(request.user, form.cleaned_data["reason"])
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect(application)
        if withdrawn:
            messages.success(request, f"{application.candidate.name} has withdrawn.")
        else:
            messages.info(request, "This application was already withdrawn.")
        return redirect(application)
    if request.method == "POST":
        status = 422
    # What the recruiter should know before confirming: the cards no longer expected.
    open_interviews = (
        application.interviews.exclude(scorecard__status="submitted")
        .select_related("stage", "interviewer")
        .order_by("scheduled_at", "id")
    )
    context = {"application": application, "form": form, "open_interviews": open_interviews}
    return render(request, "hiring/application_withdraw.html", context, status=status)


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def interview_add(request, pk):
    application = _get_application_for_user(request, pk)
    if _closed(request, application) or request.method == "GET":
        return redirect(application)
    form = InterviewForm(request.POST, application=application)
    if form.is_valid():
        interview = _save_assignment(form)
        if interview is not None:
            messages.success(
                request,
                f"{display_name(interview.interviewer)} interviews for {interview.stage.name}.",
            )
            return redirect(application)
    return _application_page(request, application, form=form, status=422)


@group_required(RECRUITER)
@require_http_methods(["GET", "POST"])
def loop_assign(request, pk):
    """The whole loop in one form (LoopForm): every row filled is saved, each as
    interview_add saves one, in one transaction; if one fails, none is kept."""
    application = _get_application_for_user(request, pk)
    if _closed(request, application) or request.method == "GET":
        return redirect(application)
    loop = _loop(request, application, _stages(application))
    form = LoopForm(request.POST, application=application, loop=loop)
    if form.is_valid():
        saved = []
        with transaction.atomic():
            for row in form.filled():
                interview = _save_assignment(row)
                if interview is None:
                    form.errors.append("Nothing was saved: see the stage marked below.")
                    transaction.set_rollback(True)
                    break
                saved.append(interview)
        if not form.errors:
            messages.success(
                request,
                "Assigned: "
                + "; ".join(f"{display_name(i.interviewer)} for {i.stage.name}" for i in saved)
                + ".",
            )
            return redirect(application)
    return _application_page(request, application, loop_form=form, status=422)


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
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            form.save(commit=False).save_change()
        except IntegrityError:
            form.add_error("interviewer", "This interviewer was just assigned to that stage.")
        except Interview.DoesNotExist:
            messages.error(request, "This interview was removed from the loop meanwhile.")
            return redirect(application)
        except CardStarted as refused:
            # Shown again as it now is: stage and interviewer fixed, the time as typed.
            interview = current = refused.interview
            form = InterviewForm(
                request.POST, instance=current, application=application, fixed=True
            )
            form.is_valid()
            form.add_error(None, _card_started_message(current, "Nothing was changed."))
            status = 409
        else:
            messages.success(request, "Interview updated.")
            return redirect(application)
    return render(
        request,
        "hiring/interview_form.html",
        {"form": form, "interview": interview, "application": application},
        status=status,
    )


def _card_started_message(interview, outcome: str) -> str:
    """Why a started card's interview cannot change, and what the recruiter can do."""
    return (
        f"{display_name(interview.interviewer)} has started the scorecard for this "
        "interview, and a scorecard stays with its author: the interview keeps its stage "
        f"and interviewer and stays on the loop. {outcome} To have someone else interview "
        f"for {interview.stage.name}, assign them to that stage as well; the time of this "
        "interview can still change."
    )


@group_required(RECRUITER)
@require_POST
def interview_delete(request, pk):
    interview = _get_interview_for_user(request, pk)
    if _closed(request, interview.application):
        return redirect(interview.application)
    try:
        interview.remove()
    except Interview.DoesNotExist:
        messages.info(request, "This interview had already been removed from the loop.")
    except CardStarted as refused:
        messages.error(request, _card_started_message(refused.interview, "Nothing was removed."))
    else:
        messages.success(
            request,
            f"{display_name(interview.interviewer)} no longer interviews for "
            f"{interview.stage.name}.",
        )
    return redirect(interview.application)


# --- each user's own lists -----------------------------------------------------------------


# The row of My interviews: the values shown, not six model instances a row.
_HOME_ROW = {
    **blind.INTERVIEW_LABEL_VALUES,  # the candidate (blind.candidate_label)
    "role": F("application__revision__role__title"),
    "stage_name": F("stage__name"),
    **CARD_STATE_VALUES,  # To do's states (card_state_from)
}


def _home_rows(pages, user) -> None:
    """The rows of My interviews' `pages` (each page's object_list: rows with the
    interviews' `pk`, in the list's order), all read by id in one query, each with
    `candidate_label`, the name or code `user` reads (blind.candidate_label). Joining the
    candidate, role and stage of every interview of a list before sorting it would cost
    what its length does (and PostgreSQL plans a join of seven tables each time)."""
    ids = [row["pk"] for page in pages for row in page.object_list]
    read = Interview.objects.filter(pk__in=ids).order_by()
    rows = {row["pk"]: row for row in read.values("pk", "scheduled_at", **_HOME_ROW)}
    for page in pages:  # an interview removed meanwhile is left out
        page.object_list = [rows[row["pk"]] for row in page.object_list if row["pk"] in rows]
        for row in page.object_list:
            row["candidate_label"] = blind.candidate_label(row, user)


@group_required(INTERVIEWER)
@require_GET
def my_interviews(request):
    """What the interviewer has to do (every card not submitted, overdue and today's
    first: InterviewQuerySet.to_do) kept apart from what is done, each list paged. Each
    page is read in one query with its list's length (WindowPaginator), then the rows of
    both in one more."""
    mine = Interview.objects.filter(interviewer=request.user)
    now = timezone.now()
    to_do = page_of(request, WindowPaginator(mine.to_do(now).values("pk"), PAGE_SIZE))
    done = page_of(
        request, WindowPaginator(mine.done().values("pk"), DONE_PAGE_SIZE), param=DONE_PAGE
    )
    _home_rows([to_do, done], request.user)
    day = local_day(now)
    # Each row's link: reverse() here costs less than {% url %} per row.
    for row in to_do.object_list:
        row["card_state"] = card_state_from(row, now)
        row["today"] = held_on(row["scheduled_at"], day)
        row["url"] = reverse("scorecards:fill", args=[row["pk"]])
    # Done lists submitted cards: one gone meanwhile (its candidate erased) is left out.
    done.object_list = [row for row in done.object_list if row["card_id"] is not None]
    for row in done.object_list:
        row["url"] = reverse("scorecards:detail", args=[row["card_id"]])
    context = {"to_do": to_do, "done": done, "done_page": DONE_PAGE}
    return render(request, "hiring/my_interviews.html", context)


# The query parameter of My interviews that pages through Done (?page= pages To do),
# and its page: the latest ten, the page being about what is still to do.
DONE_PAGE = "done_page"
DONE_PAGE_SIZE = 10
