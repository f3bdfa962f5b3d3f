"""Forms recruiters use to set up a loop: candidates, applications, interview assignments."""

import functools
import itertools

from django import forms
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Value
from django.db.models.functions import Lower
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone

from hiring.models import Application, Candidate, Interview
from hiring_site.access import HIRING_MANAGER, INTERVIEWER
from hiring_site.formatting import display_name
from hiring_site.widgets import PlainSelect
from roles.models import RoleRevision


class PersonChoiceIterator(ModelChoiceIterator):
    """Choices read with values_list: these lists hold everyone in a group (hundreds of
    interviewers), and making a model instance of each was most of their cost. The values
    are the plain ids (no ModelChoiceIteratorValue: there is no instance to carry), which
    PlainSelect writes without escaping."""

    def __iter__(self):
        choices = _person_choices(tuple(member_rows(self.field.group)))
        if self.field.empty_label is None:
            return iter(choices)
        return itertools.chain((("", self.field.empty_label),), choices)


@functools.lru_cache(maxsize=16)
def _person_choices(rows: tuple) -> tuple:
    """(id, name) of each member row: the same rows give the same choices, so a list of
    hundreds is named once per process rather than once a request."""
    return tuple(
        (pk, f"{first_name} {last_name}".strip() or username)  # person_name()
        for pk, username, first_name, last_name in rows
    )


class PersonChoiceField(forms.ModelChoiceField):
    """One of the active members of `group`: its choices, and what it accepts."""

    iterator = PersonChoiceIterator

    def __init__(self, group: str, **kwargs):
        self.group = group
        super().__init__(queryset=members_of(group), **kwargs)

    def label_from_instance(self, obj):
        return display_name(obj)


class RevisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.role.title} (revision {obj.number})"


def members_of(group_name: str):
    return (
        get_user_model()
        .objects.filter(groups__name=group_name, is_active=True)
        # What a choice shows and submits; the lists hold everyone in the group.
        .only("id", "username", "first_name", "last_name")
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


# The SQL of each group's member list, compiled once per process and database: Django's
# compiler took as long to write it as the database took to answer, on every page that
# lists the hundreds of interviewers.
_MEMBER_SQL: dict[tuple[str, str], tuple[str, tuple]] = {}


def member_rows(group_name: str) -> list[tuple[int, str, str, str]]:
    """(id, username, first_name, last_name) of members_of(group_name), in its order."""
    db = router.db_for_read(get_user_model())
    compiled = _MEMBER_SQL.get((db, group_name))
    if compiled is None:
        columns = ("pk", "username", "first_name", "last_name")
        query = members_of(group_name).values_list(*columns).query
        compiled = _MEMBER_SQL[db, group_name] = query.get_compiler(db).as_sql()
    with connections[db].cursor() as cursor:
        cursor.execute(*compiled)
        return cursor.fetchall()


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "email", "source"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        # The same comparison as the database constraint (Lower on both sides), so the
        # form says it clearly before the database would refuse it.
        clash = (
            Candidate.objects.alias(email_lower=Lower("email"))
            .filter(email_lower=Lower(Value(email)))
            .exclude(pk=self.instance.pk)
            .first()
        )
        if clash is not None:
            raise forms.ValidationError(
                "%(name)s already uses this email address. Open their page instead of adding "
                "them twice.",
                code="duplicate",
                params={"name": clash.name},
            )
        return email


class ApplicationForm(forms.ModelForm):
    revision = RevisionChoiceField(
        queryset=RoleRevision.objects.none(),
        label="Role",
        help_text="Only published revisions. The application keeps this revision even if the "
        "role is edited later.",
    )
    hiring_manager = PersonChoiceField(HIRING_MANAGER)

    class Meta:
        model = Application
        fields = ["revision", "hiring_manager"]

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.fields["revision"].queryset = (
            RoleRevision.objects.published()
            .select_related("role")
            .order_by("role__title", "-number")
        )

    def clean(self):
        cleaned = super().clean()
        revision = cleaned.get("revision")
        if revision is not None:
            active = Application.objects.filter(
                candidate=self.candidate,
                revision__role_id=revision.role_id,
                status=Application.Status.ACTIVE,
            )
            if active.exists():
                self.add_error(
                    "revision",
                    f"{self.candidate.name} already has an active application for "
                    f"{revision.role.title}.",
                )
        return cleaned


class InterviewForm(forms.ModelForm):
    """Assign an interviewer to a stage of the application's loop, or reschedule."""

    stage = forms.ModelChoiceField(queryset=None, widget=PlainSelect)
    # Every interviewer of the company is an option: Django's per-option templates made
    # this one field most of the application page's time.
    interviewer = PersonChoiceField(INTERVIEWER, widget=PlainSelect)
    scheduled_at = forms.DateTimeField(
        label="Time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Interview
        fields = ["stage", "interviewer", "scheduled_at"]

    def __init__(self, *args, application: Application, stages=None, **kwargs):
        """`stages`: the revision's stages in their order, when the page has them already,
        so the choices need no query of their own (validation still uses the queryset)."""
        kwargs.setdefault("instance", Interview(application=application))
        super().__init__(*args, **kwargs)
        self.application = application
        field = self.fields["stage"]
        field.queryset = application.revision.stages.all()
        if stages is not None:
            empty = [] if field.empty_label is None else [("", field.empty_label)]
            field.choices = empty + [
                (ModelChoiceIteratorValue(s.pk, s), field.label_from_instance(s)) for s in stages
            ]
        self.fields["scheduled_at"].label = f"Time ({timezone.get_current_timezone_name()})"
        if self.instance.pk and hasattr(self.instance, "scorecard"):
            # The scorecard belongs to whoever started it; only the time may still move.
            for name in ("stage", "interviewer"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed: a scorecard has been started."

    def clean(self):
        cleaned = super().clean()
        stage, interviewer = cleaned.get("stage"), cleaned.get("interviewer")
        if stage is not None and interviewer is not None:
            taken = Interview.objects.filter(
                application=self.application, stage=stage, interviewer=interviewer
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "interviewer",
                    f"{display_name(interviewer)} already interviews for {stage.name} "
                    "on this application.",
                )
        return cleaned
