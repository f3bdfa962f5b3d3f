"""Forms recruiters use to set up a loop: candidates, applications, interview assignments."""

from django import forms
from django.db.models import Value
from django.db.models.functions import Lower
from django.forms.models import ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.formats import date_format

from hiring.models import (
    INTERVIEW_TIME_WINDOW,
    Application,
    Candidate,
    Interview,
    PerformanceReview,
)
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


# The value format of <input type="datetime-local">, to the minute.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class InterviewForm(MarkErrors, forms.ModelForm):
    """Assign an interviewer to a stage of the application's loop, or reschedule."""

    stage = forms.ModelChoiceField(queryset=None)
    interviewer = PersonField(INTERVIEWER)
    scheduled_at = forms.DateTimeField(
        label="Time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    class Meta:
        model = Interview
        fields = ["stage", "interviewer", "scheduled_at"]

    # What a started scorecard fixes: it stays with its author, for its stage.
    FIXED_BY_CARD = ("stage", "interviewer")

    def __init__(
        self, *args, application: Application, stages=None, fixed: bool | None = None, **kwargs
    ):
        """`stages`: the revision's stages in their order, when the page has them already,
        so the choices need no query of their own (validation still uses the queryset).
        `fixed`: whether the stage and interviewer are shown fixed; by default when the
        interview's scorecard is started, unless the post carries them (its page was
        shown before the card was started: Interview.save_change then decides, under
        the interview's lock)."""
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
        when = self.fields["scheduled_at"].widget.attrs
        when["class"] = "form-control"
        earliest, latest = self.time_window()
        current = self.instance.scheduled_at
        if current is None or earliest <= current <= latest:
            # The browser's picker keeps to the window too (an old interview's time out of
            # it may stay as it is, so the browser must not refuse the form for it).
            when["min"] = timezone.localtime(earliest).strftime(DATETIME_LOCAL)
            when["max"] = timezone.localtime(latest).strftime(DATETIME_LOCAL)
        if fixed is None:
            fixed = (
                self.instance.pk is not None
                and hasattr(self.instance, "scorecard")
                and not (self.is_bound and self._posts_fixed_fields())
            )
        if fixed:
            # The scorecard belongs to whoever started it; only the time may still move.
            for name in self.FIXED_BY_CARD:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed: a scorecard has been started."

    @staticmethod
    def time_window():
        """The times the form takes: INTERVIEW_TIME_WINDOW either side of now."""
        now = timezone.now()
        return now - INTERVIEW_TIME_WINDOW, now + INTERVIEW_TIME_WINDOW

    def clean_scheduled_at(self):
        when, current = self.cleaned_data["scheduled_at"], self.instance.scheduled_at
        # Unchanged (the form shows minutes): kept, within the model's own bounds.
        if when is None or (current and when == current.replace(second=0, microsecond=0)):
            return when
        earliest, latest = self.time_window()
        if not earliest <= when <= latest:
            raise forms.ValidationError(
                "Choose a time within two years of today: from %(earliest)s to %(latest)s.",
                code="out_of_range",
                params={
                    "earliest": date_format(timezone.localdate(earliest), "SHORT_DATE_FORMAT"),
                    "latest": date_format(timezone.localdate(latest), "SHORT_DATE_FORMAT"),
                },
            )
        return when

    def _posts_fixed_fields(self) -> bool:
        return any(
            not self.fields[name].widget.value_omitted_from_data(
                self.data, self.files, self.add_prefix(name)
            )
            for name in self.FIXED_BY_CARD
        )

    def clean(self):
        cleaned = super().clean()
        # A form without the stage field (a row of LoopForm) is for its instance's stage.
        stage = cleaned.get("stage") if "stage" in self.fields else self.instance.stage
        interviewer = cleaned.get("interviewer")
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


class PerformanceReviewForm(MarkErrors, forms.ModelForm):
    class Meta:
        model = PerformanceReview
        fields = ["rating", "reviewed_on", "note"]
        labels = {"reviewed_on": "Date of the review", "note": "Note (optional)"}
        widgets = {
            "rating": forms.RadioSelect(choices=list(PerformanceReview.RATINGS.items())),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
        }

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.application = application
        self.fields["reviewed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["rating"].widget.choices = list(PerformanceReview.RATINGS.items())

    def clean_reviewed_on(self):
        reviewed_on = self.cleaned_data["reviewed_on"]
        taken = PerformanceReview.objects.filter(
            application=self.instance.application, reviewed_on=reviewed_on
        )
        if taken.exists():
            raise forms.ValidationError(
                "This person already has a review on that day: pick another date."
            )
        return reviewed_on


class WithdrawForm(MarkErrors, forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=Application.WITHDRAW_REASON_MAX,
        label="Reason (optional)",
        help_text="Kept in the application's history, e.g. “Accepted another offer”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "form-control"}),
    )


class LoopRowForm(InterviewForm):
    """A row of LoopForm: an interviewer and a time for one stage, which the row fixes
    (it has no stage field). Left empty, it is skipped."""

    def __init__(self, *args, application: Application, stage, **kwargs):
        super().__init__(
            *args,
            application=application,
            instance=Interview(application=application, stage=stage),
            stages=[],
            prefix=f"stage{stage.pk}",
            **kwargs,
        )
        del self.fields["stage"]
        self.stage = stage
        # An empty row is skipped rather than required (Django's extra formset forms).
        self.empty_permitted = True
        self.use_required_attribute = False
        # LoopForm says it once for every row.
        self.fields["interviewer"].help_text = ""


class LoopForm:
    """Assign a whole loop at once: one row per stage of the application's revision, each
    an interviewer and a time (InterviewForm's fields and rules, LoopRowForm). A stage
    that has an interviewer shows them and takes no row; rows left empty are skipped;
    the rows filled are saved together or not at all (hiring.views.loop_assign).

    `loop`: the stages with their interviews, as hiring.views._loop reads them."""

    NOTHING_FILLED = "Fill in at least one stage: an interviewer and a time."

    def __init__(self, data=None, *, application: Application, loop: list[dict]):
        self.application = application
        self.is_bound = data is not None
        self.rows = [
            {
                "stage": row["stage"],
                "assigned": row["interviews"],
                "form": None
                if row["interviews"]
                else LoopRowForm(data, application=application, stage=row["stage"]),
            }
            for row in loop
        ]
        self.errors: list[str] = []
        if self.is_bound:
            self._refuse_rows_of_assigned_stages(data)

    def _refuse_rows_of_assigned_stages(self, data) -> None:
        """A row posted for a stage that has an interviewer now (assigned since the page
        was shown): refused, not silently added beside them."""
        for row in self.rows:
            if row["form"] is None:
                prefix = f"stage{row['stage'].pk}-"
                if any(key.startswith(prefix) and data[key] for key in data):
                    names = ", ".join(display_name(i.interviewer) for i in row["assigned"])
                    self.errors.append(
                        f"{row['stage'].name} was assigned to {names} meanwhile; nothing "
                        "was saved. Check the rows below and save again."
                    )

    @property
    def forms(self) -> list[LoopRowForm]:
        return [row["form"] for row in self.rows if row["form"] is not None]

    @property
    def open_rows(self) -> bool:
        """Whether any stage still waits for an interviewer."""
        return bool(self.forms)

    def filled(self) -> list[LoopRowForm]:
        return [form for form in self.forms if form.has_changed()]

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        valid = all([form.is_valid() for form in self.forms])  # every row's errors
        if valid and not self.errors and not self.filled():
            self.errors.append(self.NOTHING_FILLED)
        return valid and not self.errors


class EraseForm(MarkErrors, forms.Form):
    REASON_MAX = 500

    reason = forms.CharField(
        max_length=REASON_MAX,
        label="Reason",
        help_text="Kept in the audit log with your name, e.g. “The candidate asked for "
        "erasure by email on 3 March” or a ticket number. The candidate's name and email "
        "are taken out of it.",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "Say why the candidate is erased: the audit log keeps it."},
    )
