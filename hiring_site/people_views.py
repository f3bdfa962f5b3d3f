"""The people pages, for administrators (the Administrator group, or a superuser), on
the app's own pages rather than Django's admin: the list of everyone, inviting someone
by email, a person's page (their groups, the history of their groups, their
invitations), deactivating and reactivating; and, for the person invited, accepting the
invitation by setting a password. Everyone else gets 403. The rules live in
hiring_site/people.py; the groups' history is written by hiring_site.models."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from hiring.people import matching
from hiring_site import people
from hiring_site.access import ADMINISTRATOR, is_administrator
from hiring_site.forms import MAX_INT, MarkErrors
from hiring_site.models import GroupChange, Invitation
from hiring_site.params import MAX_SEARCH_LENGTH, page_of, text_param

PAGE_SIZE = 25
# The newest changes of a person's groups their page shows.
HISTORY_SHOWN = 50
INVITATIONS_SHOWN = 10
NOT_ADMINISTRATOR = "Only administrators manage people."


def administrator_required(view):
    """Login required, then 403 unless the user is an administrator."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_administrator(request.user):
            raise PermissionDenied(NOT_ADMINISTRATOR)
        return view(request, *args, **kwargs)

    return wrapper


SUPERUSERS_ONLY = "Only a superuser may change a superuser's account."


def _get_person(request, pk, *, changing: bool = True):
    """The person `pk` names, for an administrator (the decorator checked that); a
    superuser's account is changed by superusers only (any administrator reads it)."""
    person = get_object_or_404(get_user_model(), pk=pk)
    if changing and not _may_change(request.user, person):
        raise PermissionDenied(SUPERUSERS_ONLY)
    return person


def _may_change(user, person) -> bool:
    return user.is_superuser or not person.is_superuser


class GroupsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Groups")
        super().__init__(queryset=people.managed_groups(), **kwargs)
        self.error_messages["invalid_choice"] = (
            "That is not one of the groups here; tick Recruiter, Hiring manager, "
            "Interviewer or Administrator."
        )
        self.error_messages["invalid_pk_value"] = self.error_messages["invalid_choice"]

    def label_from_instance(self, obj):
        return obj.name

    def _check_values(self, value):
        # An id past the database's integers never reaches a query (SQLite overflows).
        for pk in value:
            text = str(pk)
            # (Length first: int() refuses a string of over 4,300 digits.)
            if not (text.isascii() and text.isdigit() and len(text) < 20 and int(text) <= MAX_INT):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super()._check_values(value)


class InviteForm(MarkErrors, forms.Form):
    email = forms.EmailField(
        label="Email", max_length=254, help_text="The invitation is sent to this address."
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    groups = GroupsField(help_text="What they may do; change it later on their page.")


class GroupsForm(MarkErrors, forms.Form):
    groups = GroupsField(label="Their groups")

    def __init__(self, *args, person, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.by = person, by

    def clean_groups(self):
        chosen = self.cleaned_data["groups"]
        is_self = self.person.pk == self.by.pk
        had_admin = any(g.name == ADMINISTRATOR for g in self.person.groups.all())
        if is_self and had_admin and not any(g.name == ADMINISTRATOR for g in chosen):
            raise forms.ValidationError(
                "You cannot remove yourself from Administrator: another administrator must, "
                "so that someone is always left to manage people."
            )
        return chosen


@require_http_methods(["GET"])
@administrator_required
def people_list(request):
    """Everyone, searched by name, username or email (?q=), 25 to a page."""
    query = text_param(request, "q", what="search")
    everyone = people.people()
    if query:
        everyone = matching(everyone, query)
    page = page_of(request, Paginator(everyone, PAGE_SIZE))
    return render(
        request,
        "people/list.html",
        {"page": page, "query": query, "search_max_length": MAX_SEARCH_LENGTH},
    )


@require_http_methods(["GET", "POST"])
@administrator_required
def invite(request):
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, token = people.invite(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                groups=data["groups"],
                by=request.user,
            )
        except people.AlreadyHasAccount as exists:
            pending = Invitation.objects.pending().filter(user=exists.user).first()
            if pending is None:
                form.add_error("email", "Someone already has an account with this email.")
            else:
                # A second submit of the same invitation (or an invitation sent before):
                # nothing more is made or sent.
                messages.info(
                    request,
                    f"{exists.user.email} was already invited; no second email was sent. "
                    "Send a new invitation from this page if the first was lost.",
                )
                return redirect("people:detail", pk=exists.user.pk)
        else:
            _sent(request, person, token)
            return redirect("people:detail", pk=person.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "days": settings.INVITATION_EXPIRY_DAYS}
    return render(request, "people/invite.html", context, status=status)


def _sent(request, person, token):
    if people.send_invitation(person, token, by=request.user):
        messages.success(request, f"An invitation was sent to {person.email}.")
    else:
        messages.error(
            request,
            f"The invitation to {person.email} could not be sent: the mail server refused it. "
            "Send a new one from this page later.",
        )


@require_http_methods(["GET", "POST"])
@administrator_required
def person_detail(request, pk):
    """A person: their groups (a form), their invitations, the history of their groups."""
    person = _get_person(request, pk, changing=request.method == "POST")
    form = GroupsForm(
        request.POST if request.method == "POST" else None,
        person=person,
        by=request.user,
        initial={"groups": person.groups.filter(name__in=people.MANAGED_GROUPS)},
    )
    if request.method == "POST" and form.is_valid():
        kept = person.groups.exclude(name__in=people.MANAGED_GROUPS)
        person.groups.set([*kept, *form.cleaned_data["groups"]])
        messages.success(request, "Groups saved.")
        return redirect("people:detail", pk=person.pk)
    history = (
        GroupChange.objects.filter(user=person)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")[:HISTORY_SHOWN]
    )
    invitations = Invitation.objects.filter(user=person).select_related("invited_by")[
        :INVITATIONS_SHOWN
    ]
    context = {
        "person": person,
        "form": form,
        "history": history,
        "invitations": invitations,
        "is_self": person.pk == request.user.pk,
        "may_change": _may_change(request.user, person),
        "may_invite": person.is_active and not person.has_usable_password(),
    }
    return render(request, "people/detail.html", context, status=422 if form.errors else 200)


@require_POST
@administrator_required
def invite_again(request, pk):
    """A new invitation of someone who has not set a password yet; the old link stops."""
    person = _get_person(request, pk)
    if not person.is_active:
        raise PermissionDenied("Reactivate this person before inviting them again.")
    if person.has_usable_password():
        messages.info(request, f"{person.email or person.username} has set a password already.")
        return redirect("people:detail", pk=person.pk)
    if not person.email:
        messages.error(request, "This person has no email address to send an invitation to.")
        return redirect("people:detail", pk=person.pk)
    token = people.new_invitation(person, by=request.user)
    _sent(request, person, token)
    return redirect("people:detail", pk=person.pk)


@require_http_methods(["GET", "POST"])
@administrator_required
def deactivate(request, pk):
    """Confirm, then deactivate: they cannot sign in and are signed out everywhere."""
    person = _get_person(request, pk)
    if person.pk == request.user.pk:
        raise PermissionDenied(
            "You cannot deactivate yourself: another administrator must, so that someone "
            "is always left to manage people."
        )
    if request.method == "POST":
        if person.is_active:
            people.deactivate(person)
            messages.success(
                request,
                f"{person.get_full_name() or person.username} is deactivated and signed out.",
            )
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/confirm.html", {"person": person, "deactivating": True})


@require_http_methods(["GET", "POST"])
@administrator_required
def reactivate(request, pk):
    person = _get_person(request, pk)
    if request.method == "POST":
        if not person.is_active:
            people.reactivate(person)
            messages.success(
                request, f"{person.get_full_name() or person.username} may sign in again."
            )
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/confirm.html", {"person": person, "deactivating": False})


@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def accept(request, token):
    """The link of an invitation: set a password, then be signed in. A link that is
    unknown, used, replaced, expired or whose person was deactivated gets a page saying
    which, and what to do."""
    invitation = people.invitation_of(token)
    if invitation is None:
        return render(request, "people/invitation_invalid.html", {"state": "unknown"}, status=404)
    person = invitation.user
    state = invitation.state if person.is_active else "deactivated"
    if state != Invitation.State.PENDING:
        context = {"state": state, "invitation": invitation}
        return render(request, "people/invitation_invalid.html", context, status=410)
    form = SetPasswordForm(person, request.POST if request.method == "POST" else None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        try:
            person = people.accept(invitation, form.cleaned_data["new_password1"])
        except people.InvitationNotValid:
            context = {"state": Invitation.State.USED, "invitation": invitation}
            return render(request, "people/invitation_invalid.html", context, status=410)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your password is set; welcome.")
        return redirect("home")
    return render(
        request,
        "people/accept.html",
        {"form": form, "person": person, "invitation": invitation},
        status=422 if form.errors else 200,
    )
