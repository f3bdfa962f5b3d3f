"""Site-wide views: the home page sends each user to where their work is."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from hiring_site.access import is_hiring_manager, is_interviewer, is_recruiter


@require_GET
@login_required
def home(request):
    user = request.user
    if is_recruiter(user):
        return redirect("roles:list")
    if is_hiring_manager(user):
        return redirect("hiring:my_applications")
    if is_interviewer(user):
        return redirect("hiring:my_interviews")
    return render(request, "home.html")
