"""Forms recruiters use to set up a loop: candidates, applications, interview assignments."""

from django import forms
from django.db.models import Value
from django.db.models.functions import Lower
from django.forms.models import ModelChoiceIteratorValue
from django.utils import timezone

from hiring.models import Application, Candidate, Interview
from hiring.people import PersonField
from hiring_site.access import HIRING_MANAGER, INTERVIEWER
from hiring_site.formatting import display_name
from hiring_site.forms import MarkErrors
from roles.models import RoleRevision


class RevisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.role.title} (revision {obj.number})"


class CandidateForm(forms.ModelForm):
    # The candidate who already has the email typed, once clean_email found one.
    clash: Candidate | None = None

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
            self.clash = clash  # the form's template links to their page
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
    hiring_manager = PersonField(HIRING_MANAGER)

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


class InterviewForm(MarkErrors, forms.ModelForm):
    """Assign an interviewer to a stage of the application's loop, or reschedule."""

    stage = forms.ModelChoiceField(queryset=None)
    interviewer = PersonField(INTERVIEWER)
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
        # Bootstrap's classes (templates/hiring/_field.html lays the field out).
        for name, css in (("stage", "form-select"), ("interviewer", "form-control")):
            self.fields[name].widget.attrs["class"] = css
        self.fields["scheduled_at"].widget.attrs["class"] = "form-control"
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
