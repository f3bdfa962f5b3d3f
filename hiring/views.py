"""Candidates, applications and each user's own work lists."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from hiring.models import Application, Candidate, Interview
from hiring_site.access import (
    HIRING_MANAGER,
    INTERVIEWER,
    RECRUITER,
    group_required,
    is_recruiter,
)

PAGE_SIZE = 25


def _get_application_for_user(request, pk) -> Application:
    """Recruiters see every application; a hiring manager only their own (404 otherwise)."""
    queryset = Application.objects.select_related(
        "candidate", "revision__role", "hiring_manager", "recruiter"
    )
    application = get_object_or_404(queryset, pk=pk)
    if is_recruiter(request.user) or application.hiring_manager_id == request.user.pk:
        return application
    raise Http404("No such application.")


@group_required(RECRUITER)
def candidates(request):
    query = request.GET.get("q", "").strip()
    candidates = Candidate.objects.all()
    if query:
        candidates = candidates.filter(Q(name__icontains=query) | Q(email__icontains=query))
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hiring/candidates.html", {"page": page, "query": query})


@group_required(RECRUITER, HIRING_MANAGER)
def application_detail(request, pk):
    application = _get_application_for_user(request, pk)
    interviews = application.interviews.select_related("stage", "interviewer", "scorecard")
    return render(
        request,
        "hiring/application_detail.html",
        {"application": application, "interviews": interviews},
    )


@group_required(HIRING_MANAGER)
def my_applications(request):
    applications = Application.objects.filter(hiring_manager=request.user).select_related(
        "candidate", "revision__role"
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hiring/my_applications.html", {"page": page})


@group_required(INTERVIEWER)
def my_interviews(request):
    interviews = Interview.objects.filter(interviewer=request.user).select_related(
        "application__candidate", "application__revision__role", "stage", "scorecard"
    )
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hiring/my_interviews.html", {"page": page})
