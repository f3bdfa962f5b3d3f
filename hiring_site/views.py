"""Site-wide views: the home page sends each user to where their work is; a person's
profile (their name, the time zone they read and enter times in, which emails they
want, their personal API tokens); the error pages (400, 403, 404, and a refused form's
CSRF check) say why, with the navigation."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from api.models import NAME_LENGTH, ApiToken
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


class ApiTokenForm(MarkErrors, forms.Form):
    name = forms.CharField(
        max_length=NAME_LENGTH,
        label="Name of the new token",
        help_text="What it is for, e.g. “ATS sync”: the list below shows it.",
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


def _profile_page(request, *, form=None, name_form=None, token_form=None, new_token="", status=200):
    profile, _ = Profile.objects.get_or_create(user=request.user)
    context = {
        "form": form or ProfileForm(instance=profile),
        "name_form": name_form or NameForm(instance=request.user, prefix="name"),
        "profile": profile,
        "token_form": token_form or ApiTokenForm(),
        "tokens": ApiToken.objects.filter(user=request.user),
        "new_token": new_token,
    }
    return render(request, "profile.html", context, status=status)


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
    return _profile_page(request, form=form, name_form=name_form, status=status)


@require_POST
@login_required
def api_token_create(request):
    """A new personal API token, shown on the page this once: only its digest is kept.
    The page is answered, not redirected to, so the token is in no session or message."""
    token_form = ApiTokenForm(request.POST)
    if not token_form.is_valid():
        return _profile_page(request, token_form=token_form, status=422)
    _, token = ApiToken.issue(request.user, token_form.cleaned_data["name"])
    return _profile_page(request, new_token=token, status=201)


@require_POST
@login_required
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("profile")


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
    if request.path.startswith(API_PREFIX):
        # An address under /api/ that names no endpoint (e.g. a negative id): the API's
        # JSON, as its endpoints answer.
        return JsonResponse({"detail": reason or API_REASONS[status]}, status=status)
    return render(request, f"{status}.html", {"reason": reason}, status=status)


API_PREFIX = "/api/"
API_REASONS = {400: "Bad request.", 403: "Forbidden.", 404: "Not found."}


def bad_request(request, exception=None):
    return _error_page(request, 400, _reason(exception))


def permission_denied(request, exception=None):
    return _error_page(request, 403, _reason(exception))


def page_not_found(request, exception=None):
    return _error_page(request, 404, _reason(exception))


def csrf_failure(request, reason=""):
    # Django's `reason` is for developers (which check failed); the user gets what to do.
    return _error_page(request, 403, CSRF_REASON)
