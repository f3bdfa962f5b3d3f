"""Performance reviews of hired people: recorded by the application's hiring manager,
read by them and by recruiters. They are the outcome scorecards.validity sets the
interview's scores against."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hiring.forms import PerformanceReviewForm
from hiring.models import Application, PerformanceReview
from hiring.views import _get_application_for_user
from hiring_site.access import HIRING_MANAGER, RECRUITER, group_required


@group_required(RECRUITER, HIRING_MANAGER)
@require_http_methods(["GET", "POST"])
def performance_reviews(request, pk):
    application = _get_application_for_user(request, pk)
    may_record = application.hiring_manager_id == request.user.pk
    hired = application.status == Application.Status.HIRED
    form = PerformanceReviewForm(application=application) if may_record and hired else None
    status = 200
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied(
                "Only the hiring manager of this application records its reviews."
            )
        if not hired:
            messages.error(request, "Only a hired person has performance reviews.")
            status = 409
        else:
            form = PerformanceReviewForm(request.POST, application=application)
            if form.is_valid():
                form.instance.recorded_by = request.user
                try:
                    with transaction.atomic():
                        review = form.save()
                except IntegrityError:  # the same day, recorded in another tab meanwhile
                    form.add_error(
                        "reviewed_on",
                        "This person already has a review on that day: pick another date.",
                    )
                else:
                    messages.success(
                        request,
                        f"Review of {review.reviewed_on:%Y-%m-%d} recorded: {review.rating}/5.",
                    )
                    return redirect("hiring:performance_reviews", pk=application.pk)
            status = 422
    context = {
        "application": application,
        "reviews": PerformanceReview.objects.filter(application=application).select_related(
            "recorded_by"
        ),
        "form": form,
        "hired": hired,
        "may_record": may_record,
        "ratings": PerformanceReview.RATINGS,
    }
    return render(request, "hiring/performance_reviews.html", context, status=status)
