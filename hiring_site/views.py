"""Site-wide views: the home page sends each user to where their work is; a person's
profile (their name, the time zone they read and enter times in, which emails they
want); the error pages (400, 403, 404, and a refused form's CSRF check) say why, with
the navigation."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hiring_site.access import (
    is_administrator,
    is_hiring_manager,
    is_interviewer,
    is_recruiter,
)
from hiring_site.forms import MarkErrors
from hiring_site.models import SESSION_KEY, Profile, time_zones


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
    if is_administrator(user):
        return redirect("people:list")
    return render(request, "home.html")


class NameForm(MarkErrors, forms.ModelForm):
    """The person's name, as every page shows it ({{ user|person }})."""

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }


class ProfileForm(MarkErrors, forms.ModelForm):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Every time the app shows you, and every time you type in, is in this zone.",
    )

    class Meta:
        model = Profile
        fields = ["time_zone", "email_assignments", "email_panel_ready", "email_reminders"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        field.choices = [("", "Choose your time zone")] + [(z, z) for z in time_zones()]
        field.error_messages["invalid_choice"] = (
            "“%(value)s” is not a time zone this app knows: choose one from the list."
        )
        field.widget.attrs.update({"class": "form-select", "data-browser-time-zone": ""})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    profile, _ = Profile.objects.get_or_create(user=request.user)
    data = request.POST if request.method == "POST" else None
    name_form = NameForm(data, instance=request.user, prefix="name")
    form = ProfileForm(data, instance=profile)
    if request.method == "POST" and name_form.is_valid() and form.is_valid():
        name_form.save()
        form.save()
        request.session[SESSION_KEY] = profile.time_zone
        messages.success(
            request,
            f"Times are now shown in {profile.time_zone}. Your choice of emails is saved.",
        )
        return redirect("profile")
    status = 422 if form.errors or name_form.errors else 200
    context = {"form": form, "name_form": name_form, "profile": profile}
    return render(request, "profile.html", context, status=status)


# Django's own messages for a missing object say nothing a user can act on (and name a
# model): the page's general text stands instead.
_DJANGO_NOT_FOUND = re.compile(r"No \w+ matches the given query\.")

CSRF_REASON = (
    "The form was sent without a valid security token: the page may have been open from "
    "before you last logged in. Go back, reload the page and send it again."
)


def _reason(exception) -> str:
    """The exception's message, if it is one written for the user."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str) or _DJANGO_NOT_FOUND.fullmatch(message):
        return ""
    return message


def _error_page(request, status: int, reason: str):
    return render(request, f"{status}.html", {"reason": reason}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400, _reason(exception))


def permission_denied(request, exception=None):
    return _error_page(request, 403, _reason(exception))


def page_not_found(request, exception=None):
    return _error_page(request, 404, _reason(exception))


def csrf_failure(request, reason=""):
    # Django's `reason` is for developers (which check failed); the user gets what to do.
    return _error_page(request, 403, CSRF_REASON)
