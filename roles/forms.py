"""Forms of the role pages: the blueprint upload, the import preview and the revision editor.

The editor is one HTML form made of a settings form and one ordered formset per kind of
thing a revision holds (dimensions, competency areas, exercises, stages, and signals by
kind); `RevisionEditor` validates and saves them together, in one transaction.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME

from hiring_site.forms import MarkErrors
from roles import scoring_policy, services
from roles.blueprint import MAX_BYTES, BlueprintError, limits
from roles.models import (
    DEFAULT_THRESHOLDS,
    DISMISSAL_REASON_LENGTH,
    LEVEL_LABELS,
    CompetencyArea,
    Dimension,
    Exercise,
    InterviewStage,
    RoleRevision,
    Signal,
)
from roles.weights import MAX_WEIGHT, MIN_WEIGHT, WeightTotal, format_percent, weight_in_range

HUNDRED = Decimal("100")
# The browser's own checks of a weight, from the rule in roles.weights.
WEIGHT_INPUT = {"min": str(MIN_WEIGHT), "max": str(MAX_WEIGHT), "step": "0.01"}
# The longest list of the editor (roles.blueprint.limits): a row's position is 1 to this.
MAX_ROWS = max(limits.MAX_DIMENSIONS, limits.MAX_ITEMS, limits.MAX_STAGES)


class WeightInput(forms.NumberInput):
    """A weight's box shows it as every page writes weights (roles.weights.format_percent):
    17.5, not 17.50. What is not a weight in range is shown back as it was typed."""

    def format_value(self, value):
        if isinstance(value, (Decimal, int)):
            value = str(value)
        if isinstance(value, str):
            try:
                number = Decimal(value)
            except InvalidOperation:
                return value
            exact = weight_in_range(number) and number == number.quantize(Decimal("0.01"))
            return format_percent(number) if exact else value
        return super().format_value(value)


def _style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control form-control-sm")


# --------------------------------------------------------------------------------------
# Upload and preview
# --------------------------------------------------------------------------------------


class UploadForm(MarkErrors, forms.Form):
    file = forms.FileField(
        label="Blueprint file",
        allow_empty_file=True,  # refused below with a message that names the file
        error_messages={"required": "Choose a blueprint file to upload."},
        help_text=(
            "A role blueprint saved as plain text (.txt or .md), or a role exported as JSON "
            "with “Export JSON”. At most 2 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".txt,.md,.text,.json,text/plain"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = os.path.basename(upload.name or "") or "The file"
        if upload.size > MAX_BYTES:
            raise ValidationError(
                f"{name} is {upload.size / 1024 / 1024:.1f} MB, over the 2 MB limit for a "
                "blueprint."
            )
        if not upload.size:
            raise ValidationError(f"{name} is empty.")
        data = upload.read()
        try:
            loaded = services.load_file(data, name)
        except BlueprintError as exc:
            raise ValidationError(str(exc)) from None
        if len(loaded) != 1:
            raise ValidationError(
                f"{name} holds {len(loaded)} roles; upload them one at a time, or import them "
                "with the import_blueprint command."
            )
        self.loaded = loaded[0]
        self.filename = name
        self.sha256 = services.sha256_of(data)
        return upload


class PreviewDimensionForm(MarkErrors, forms.Form):
    name = forms.CharField(max_length=limits.NAME_LENGTH, label="Dimension")
    weight = forms.DecimalField(
        min_value=MIN_WEIGHT,
        max_value=MAX_WEIGHT,
        max_digits=5,
        decimal_places=2,
        label="Weight (%)",
        widget=WeightInput,
    )
    meets_bar = forms.CharField(
        required=False, label="What meets the bar", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["weight"].widget.attrs.update(WEIGHT_INPUT)
        self.fields["weight"].widget.attrs["class"] += " text-end weight-input"


def _unique_names(forms_: list[forms.BaseForm], what: str) -> None:
    twice = limits.duplicate_name(
        getattr(form, "cleaned_data", {}).get("name") or "" for form in forms_
    )
    if twice is not None:
        raise ValidationError(f"Two {what} are called “{twice}”; give each a different name.")


class BasePreviewFormSet(forms.BaseFormSet):
    def __init__(self, *args, expected: int, **kwargs):
        self.expected = expected
        super().__init__(*args, **kwargs)

    def clean(self):
        if self.total_form_count() != self.expected:
            raise ValidationError(
                "The preview does not match the uploaded file any more; upload the file again."
            )
        _unique_names(self.forms, "dimensions")


PreviewDimensionFormSet = forms.formset_factory(
    PreviewDimensionForm,
    formset=BasePreviewFormSet,
    extra=0,
    max_num=limits.MAX_DIMENSIONS,
    absolute_max=limits.MAX_DIMENSIONS,
)


# --------------------------------------------------------------------------------------
# Live weight total
# --------------------------------------------------------------------------------------


def posted_weight_total(data, prefix: str = "dimensions") -> WeightTotal:
    """The total of the weights in a posted dimension formset, removed rows left out.

    Used by the htmx endpoint while the recruiter types, so it never raises: a weight
    that is not a number marks the total invalid.
    """
    try:
        count = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), limits.MAX_DIMENSIONS)
    except (TypeError, ValueError):
        count = 0
    total, invalid = Decimal("0"), False
    for i in range(count):
        if data.get(f"{prefix}-{i}-{DELETION_FIELD_NAME}") in ("on", "true", "1", "True"):
            continue
        raw = (data.get(f"{prefix}-{i}-weight") or "").strip()
        if not raw:
            continue
        try:
            weight = Decimal(raw)
        except InvalidOperation:
            invalid = True
            continue
        if not weight_in_range(weight):
            invalid = True
            continue
        total += weight
    return WeightTotal(total, invalid)


# --------------------------------------------------------------------------------------
# The revision editor
# --------------------------------------------------------------------------------------


class RevisionSettingsForm(MarkErrors, forms.ModelForm):
    min_coverage_percent = forms.IntegerField(
        min_value=0,
        max_value=100,
        label="Minimum coverage (%)",
        help_text="Share of the total weight the panel must have rated before recommending.",
    )
    # The bands' lowest scores; their range and order are checked by the revision's
    # clean() (roles.scoring_policy), the browser's input bounds only guide the typing.
    strong_hire = forms.DecimalField(max_digits=3, decimal_places=2)
    hire = forms.DecimalField(max_digits=3, decimal_places=2)
    no_hire = forms.DecimalField(max_digits=3, decimal_places=2)

    class Meta:
        model = RoleRevision
        fields = ["red_flag_policy", "min_scorecards", "blind_review"]
        labels = {
            "min_scorecards": "Minimum submitted scorecards",
            "blind_review": "Blind review",
        }
        widgets = {"red_flag_policy": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        revision = self.instance
        self.fields["min_scorecards"].widget.attrs.update(
            {"min": 1, "max": scoring_policy.MAX_MIN_SCORECARDS}
        )
        self.fields["min_coverage_percent"].initial = int(Decimal(revision.min_coverage) * HUNDRED)
        thresholds = revision.thresholds or {}
        for band, default in DEFAULT_THRESHOLDS.items():
            field = self.fields[band]
            field.label = f"{scoring_policy.RECOMMENDATION_LABELS[band]} from"
            field.initial = Decimal(str(thresholds.get(band, default)))
            field.widget.attrs.update(
                {"step": "0.1", "min": scoring_policy.RATING_MIN, "max": scoring_policy.RATING_MAX}
            )
        no_hire = scoring_policy.RECOMMENDATION_LABELS[scoring_policy.STRONG_NO_HIRE].lower()
        self.fields["no_hire"].help_text = f"Below this: {no_hire}."
        _style(self)

    def clean(self):
        data = super().clean()
        # Onto the revision, whose clean() then checks all its scoring settings together
        # (roles.scoring_policy): the one place they are validated.
        thresholds = {band: data.get(band) for band in DEFAULT_THRESHOLDS}
        if None not in thresholds.values():
            self.instance.thresholds = {
                band: format_percent(value) for band, value in thresholds.items()
            }
        if data.get("min_coverage_percent") is not None:
            self.instance.min_coverage = Decimal(data["min_coverage_percent"]) / HUNDRED
        return data

    def save(self, commit=True):
        revision = super().save(commit=False)  # scoring settings set by clean()
        if commit:
            revision.save()
        return revision


class WarningReviewForm(MarkErrors, forms.Form):
    """A reason field per open import warning (RoleRevision.open_warnings); a warning
    given a reason is dismissed with it. The publish form and the editor both show it."""

    def __init__(self, warnings, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.warnings = list(warnings)
        for n, warning in enumerate(self.warnings, 1):
            self.fields[f"reason_{warning.key}"] = forms.CharField(
                required=False,
                max_length=DISMISSAL_REASON_LENGTH,
                label=f"Reason for dismissing warning {n}",
                help_text="What you fixed, or why it can stand. Leave empty to keep it open.",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        _style(self)

    def rows(self) -> list[tuple]:
        return [(warning, self[f"reason_{warning.key}"]) for warning in self.warnings]

    def reasons(self) -> dict[str, str]:
        """Warning key -> the reason given (blank when none); call is_valid() first."""
        data = getattr(self, "cleaned_data", {})
        return {w.key: data.get(f"reason_{w.key}") or "" for w in self.warnings}


class DimensionForm(MarkErrors, forms.ModelForm):
    min_score = forms.TypedChoiceField(
        choices=[("", "No knock-out")] + [(n, f"{n} – {LEVEL_LABELS[n]}") for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        label="Knock-out below",
        help_text="A panel mean below this caps the recommendation at no hire.",
    )

    class Meta:
        model = Dimension
        fields = ["name", "weight", "min_score", "meets_bar"]
        labels = {"meets_bar": "What meets the bar (level 3)", "weight": "Weight (%)"}
        widgets = {"meets_bar": forms.Textarea(attrs={"rows": 2}), "weight": WeightInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anchors = self.instance.anchors if isinstance(self.instance.anchors, list) else []
        for level in range(1, 6):
            name = f"anchor_{level}"
            source = self.instance.anchor_source(level)
            self.fields[name] = forms.CharField(
                required=False,
                label=f"{level} – {LEVEL_LABELS[level]}",
                initial=anchors[level - 1] if len(anchors) >= level else "",
                # Where the proposal came from, until the recruiter rewrites it.
                help_text=f"From the blueprint, {source}" if source else "",
                widget=forms.Textarea(
                    attrs={
                        "rows": 1,
                        "placeholder": "Same as “what meets the bar”"
                        if level == 3
                        else LEVEL_LABELS[level],
                    }
                ),
            )
        weight = self.fields["weight"]
        weight.widget.attrs.update(WEIGHT_INPUT)
        _style(self)
        weight.widget.attrs["class"] += " text-end weight-input"

    def anchor_fields(self):
        return [self[f"anchor_{level}"] for level in range(1, 6)]

    def save(self, commit=True):
        dimension = super().save(commit=False)
        texts = [(self.cleaned_data.get(f"anchor_{level}") or "").strip() for level in range(1, 6)]
        sources = services.five_texts(dimension.anchor_sources)
        for level, text in enumerate(texts, 1):
            rewritten = text != (self.fields[f"anchor_{level}"].initial or "").strip()
            if level == 3 and not text:
                rewritten = rewritten or "meets_bar" in self.changed_data
            if rewritten:
                sources[level - 1] = ""  # the recruiter's words, not the blueprint's
        dimension.anchors = services.normalise_anchors(texts)
        dimension.anchor_sources = services.normalise_anchors(sources)
        if commit:
            dimension.save()
        return dimension


class CompetencyAreaForm(MarkErrors, forms.ModelForm):
    class Meta:
        model = CompetencyArea
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ExerciseForm(MarkErrors, forms.ModelForm):
    look_for_text = forms.CharField(
        required=False,
        label="Look for (one per line)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    must_cover_text = forms.CharField(
        required=False,
        label="Must cover (one per line)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Exercise
        fields = ["title", "duration_min", "duration_max", "prompt"]
        labels = {"duration_min": "Minutes (from)", "duration_max": "Minutes (to)"}
        widgets = {"prompt": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["look_for_text"].initial = "\n".join(self.instance.look_for or [])
        self.fields["must_cover_text"].initial = "\n".join(self.instance.must_cover or [])
        for name in ("duration_min", "duration_max"):
            self.fields[name].widget.attrs.update(MINUTES_INPUT)
            self.fields[name].validators.append(_minutes)
        _style(self)

    def clean(self):
        data = super().clean()
        low, high = data.get("duration_min"), data.get("duration_max")
        if low and high and low > high:
            self.add_error("duration_max", "The longest duration is shorter than the shortest.")
        return data

    def save(self, commit=True):
        exercise = super().save(commit=False)
        exercise.look_for = _lines(self.cleaned_data.get("look_for_text", ""))
        exercise.must_cover = _lines(self.cleaned_data.get("must_cover_text", ""))
        if commit:
            exercise.save()
        return exercise


def _position(value):
    if value is not None and not 1 <= value <= MAX_ROWS:
        raise ValidationError(f"Give a position from 1 to {MAX_ROWS}.")


# The browser's own checks of a duration, from the limit in roles.blueprint.limits.
MINUTES_INPUT = {"min": limits.MIN_MINUTES, "max": limits.MAX_MINUTES}


def _minutes(value):
    if value is not None and not limits.MIN_MINUTES <= value <= limits.MAX_MINUTES:
        raise ValidationError(
            f"Give a duration from {limits.MIN_MINUTES} to {limits.MAX_MINUTES} minutes."
        )


class StageForm(MarkErrors, forms.ModelForm):
    class Meta:
        model = InterviewStage
        fields = ["name", "duration_minutes", "exercise", "focus_dimensions"]
        labels = {"duration_minutes": "Minutes", "focus_dimensions": "Focus dimensions"}
        widgets = {"focus_dimensions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, revision, dimensions, exercises, **kwargs):
        super().__init__(*args, **kwargs)
        focus = self.fields["focus_dimensions"]
        focus.queryset = Dimension.objects.filter(revision=revision)
        # Choices from the lists the editor already loaded: no query per stage row.
        focus.choices = [(d.pk, d.name) for d in dimensions]
        exercise = self.fields["exercise"]
        exercise.queryset = Exercise.objects.filter(revision=revision)
        exercise.choices = [("", "— no exercise —")] + [(e.pk, e.title) for e in exercises]
        exercise.required = False
        self.fields["duration_minutes"].widget.attrs.update(MINUTES_INPUT)
        self.fields["duration_minutes"].validators.append(_minutes)
        _style(self)

    def focus_options(self) -> list[dict]:
        """The focus checkboxes as plain values for the row's template: a full editor
        shows 60 stages of 50 dimensions, and rendering each box through Django's widget
        templates took half of that page's time."""
        bound = self["focus_dimensions"]
        chosen = {str(value) for value in bound.value() or ()}
        return [
            {
                "id": f"{bound.auto_id}_{n}",
                "value": value,
                "label": label,
                "checked": str(value) in chosen,
            }
            for n, (value, label) in enumerate(self.fields["focus_dimensions"].choices)
        ]


class SignalForm(MarkErrors, forms.ModelForm):
    class Meta:
        model = Signal
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class OrderedFormSet(forms.BaseModelFormSet):
    """A revision's rows of one kind: add, edit, remove, reorder by position."""

    # (related name, sentence) of rows that may not be removed while they are in use.
    protected_by: tuple[str, str] | None = None
    label = "rows"

    def __init__(self, *args, revision, form_kwargs=None, queryset=None, label=None, **kwargs):
        self.revision = revision
        self.label = label or self.label
        if queryset is None:
            queryset = self.model.objects.filter(revision=revision)
        super().__init__(
            *args,
            queryset=queryset.order_by("order", "id"),
            form_kwargs=form_kwargs or {},
            **kwargs,
        )
        # max_num is this kind's limit (roles.blueprint.limits): an export of more would
        # not import back.
        self.error_messages["too_many_forms"] = (
            f"A revision holds at most {self.max_num} {self.label}; remove one and save "
            "before adding another."
        )

    @property
    def full(self) -> bool:
        """As many rows as a revision may hold: the "Add" button is off."""
        return self.total_form_count() >= self.max_num

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django checks a posted row id against every row of the model; it must name a row
        # of this formset (this revision, this kind), or the post is refused.
        form.fields[self.model._meta.pk.name].queryset = self.get_queryset()
        if ORDERING_FIELD_NAME in form.fields:
            order = form.fields[ORDERING_FIELD_NAME]
            order.label = "Position"
            order.validators.append(_position)
            order.widget.attrs.update(
                {"class": "form-control form-control-sm position-input", "min": 1, "max": MAX_ROWS}
            )
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = "Remove"
            form.fields[DELETION_FIELD_NAME].widget.attrs["class"] = "form-check-input"

    def removals(self) -> list[str]:
        return [_describe(form.instance) for form in self.deleted_forms if form.instance.pk]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.protected_by:
            related, sentence = self.protected_by
            for form in self.deleted_forms:
                if form.instance.pk and getattr(form.instance, related).exists():
                    raise ValidationError(f"“{_describe(form.instance)}” {sentence}")

    def save_rows(self, **fixed) -> None:
        for form in self.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        for position, form in enumerate(self.ordered_forms):
            row = form.save(commit=False)
            if row.pk and not form.has_changed() and row.order == position:
                continue
            row.revision = self.revision
            row.order = position
            for name, value in fixed.items():
                setattr(row, name, value)
            row.save()
            form.save_m2m()


class DimensionFormSet(OrderedFormSet):
    protected_by = ("ratings", "has ratings on scorecards, so it cannot be removed.")
    label = "dimensions"

    def clean(self):
        super().clean()
        _unique_names([f for f in self.forms if not self._should_delete_form(f)], "dimensions")


class StageFormSet(OrderedFormSet):
    protected_by = ("interviews", "has interviews assigned, so it cannot be removed.")
    label = "stages"


class SignalFormSet(OrderedFormSet):
    protected_by = ("checks", "was ticked on scorecards, so it cannot be removed.")
    label = "signals"


def _formset(model, form, base, limit: int):
    # A post with more rows than the limit is refused whole, removed rows included, so
    # a posted form never has more fields than settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    # (limits.EDITOR_MAX_FIELDS) allows.
    return forms.modelformset_factory(
        model,
        form=form,
        formset=base,
        extra=0,
        can_delete=True,
        can_order=True,
        max_num=limit,
        absolute_max=limit,
    )


DimensionFormSetClass = _formset(Dimension, DimensionForm, DimensionFormSet, limits.MAX_DIMENSIONS)
AreaFormSetClass = _formset(CompetencyArea, CompetencyAreaForm, OrderedFormSet, limits.MAX_ITEMS)
ExerciseFormSetClass = _formset(Exercise, ExerciseForm, OrderedFormSet, limits.MAX_ITEMS)
StageFormSetClass = _formset(InterviewStage, StageForm, StageFormSet, limits.MAX_STAGES)
SignalFormSetClass = _formset(Signal, SignalForm, SignalFormSet, limits.MAX_ITEMS)

SIGNAL_PREFIX = {kind: f"signals_{kind}" for kind in Signal.Kind.values}


class RevisionEditor:
    """Every form of the edit page, validated and saved together."""

    def __init__(self, revision: RoleRevision, data=None, *, check_protected: bool = True):
        self.revision = revision
        dimensions = list(revision.dimensions.order_by("order", "id"))
        exercises = list(revision.exercises.order_by("order", "id"))
        self.settings = RevisionSettingsForm(data, instance=revision, prefix="settings")
        self.warnings = WarningReviewForm(revision.open_warnings(), data, prefix="warnings")
        self.dimensions = DimensionFormSetClass(data, revision=revision, prefix="dimensions")
        self.areas = AreaFormSetClass(
            data, revision=revision, prefix="areas", label="competency areas"
        )
        self.exercises = ExerciseFormSetClass(
            data, revision=revision, prefix="exercises", label="exercises"
        )
        self.stages = StageFormSetClass(
            data,
            revision=revision,
            prefix="stages",
            queryset=InterviewStage.objects.filter(revision=revision).prefetch_related(
                "focus_dimensions"
            ),
            form_kwargs={"revision": revision, "dimensions": dimensions, "exercises": exercises},
        )
        self.signals = {
            kind: SignalFormSetClass(
                data,
                revision=revision,
                prefix=prefix,
                queryset=Signal.objects.filter(revision=revision, kind=kind),
                label=f"{limits.SIGNAL_LABELS[kind]}s",
            )
            for kind, prefix in SIGNAL_PREFIX.items()
        }
        if not check_protected:
            # The edit goes to a fresh copy whose rows nothing uses yet.
            for formset in self.formsets:
                formset.protected_by = None

    @property
    def formsets(self) -> list[OrderedFormSet]:
        return [self.dimensions, self.areas, self.exercises, self.stages, *self.signals.values()]

    def is_valid(self) -> bool:
        valid = self.settings.is_valid()
        valid = self.warnings.is_valid() and valid
        for formset in self.formsets:
            valid = formset.is_valid() and valid
        return valid

    def error_count(self) -> int:
        count = len(self.settings.errors) + len(self.warnings.errors)
        for formset in self.formsets:
            count += len(formset.non_form_errors()) + sum(len(e) for e in formset.errors)
        return count

    def parts_to_unfold(self, moved: str | None = None) -> dict[str, bool]:
        """The editor's folded parts that must show: those with a problem, or the row just
        moved (`moved` names its button, "<prefix>-<index>:up")."""
        parts = {
            "signals": list(self.signals.values()),
            "exercises": [self.exercises],
            "areas": [self.areas],
        }
        bound = self.settings.is_bound
        unfold = {
            part: any(
                (moved or "").startswith(f"{formset.prefix}-")
                or (bound and formset.total_error_count())
                for formset in formsets
            )
            for part, formsets in parts.items()
        }
        unfold["settings"] = bound and bool(self.settings.errors)
        return unfold

    def removals(self) -> list[str]:
        """What saving would remove, in words, for the confirmation step."""
        words = []
        for what, formset in (
            ("dimension", self.dimensions),
            ("competency area", self.areas),
            ("exercise", self.exercises),
            ("stage", self.stages),
        ):
            words += [f"{what} “{name}”" for name in formset.removals()]
        for formset in self.signals.values():
            words += [f"signal “{name}”" for name in formset.removals()]
        return words

    def weight_total(self) -> WeightTotal:
        if self.dimensions.is_bound:
            return posted_weight_total(self.dimensions.data, self.dimensions.prefix)
        return WeightTotal.of(f.instance.weight for f in self.dimensions.forms)

    def save(self) -> None:
        """Save everything; call is_valid() first."""
        removed_dimensions = {f.instance.pk for f in self.dimensions.deleted_forms}
        removed_exercises = {f.instance.pk for f in self.exercises.deleted_forms}
        for form in self.stages.forms:
            # A stage keeps no link to what this same save removes.
            if form in self.stages.deleted_forms or not hasattr(form, "cleaned_data"):
                continue
            if form.instance.exercise_id in removed_exercises:
                form.instance.exercise = None
            focus = form.cleaned_data.get("focus_dimensions")
            if focus is not None:
                form.cleaned_data["focus_dimensions"] = [
                    d for d in focus if d.pk not in removed_dimensions
                ]
        with transaction.atomic():
            self.settings.save()
            self.dimensions.save_rows()
            self.areas.save_rows()
            self.exercises.save_rows()
            self.stages.save_rows()
            for kind, formset in self.signals.items():
                formset.save_rows(kind=kind)


def _describe(row) -> str:
    text = row.text if isinstance(row, Signal) else str(row)
    return text if len(text) <= 60 else text[:59] + "…"


# Keys of an edit form that carry primary keys, and which kind of row each names.
_PK_FIELDS = re.compile(
    r"^(?P<prefix>dimensions|areas|exercises|stages|signals_\w+)-\d+-(?P<field>id|exercise|"
    r"focus_dimensions)$"
)
_KIND_OF_PREFIX = {
    "dimensions": "dimensions",
    "areas": "areas",
    "exercises": "exercises",
    "stages": "stages",
}


def remap_edit_data(data, pk_map: dict[str, dict[int, int]]):
    """Posted edit data for one revision, rewritten to name the rows of its copy."""
    remapped = data.copy()
    for key in data:
        match = _PK_FIELDS.match(key)
        if not match:
            continue
        prefix, field = match["prefix"], match["field"]
        if field == "exercise":
            kind = "exercises"
        elif field == "focus_dimensions":
            kind = "dimensions"
        else:
            kind = _KIND_OF_PREFIX.get(prefix, "signals")
        mapping = pk_map.get(kind, {})
        values = []
        for value in data.getlist(key):
            try:
                values.append(str(mapping.get(int(value), value)))
            except (TypeError, ValueError):
                values.append(value)
        remapped.setlist(key, values)
    return remapped


def with_extra_row(data, prefix: str):
    """Posted data with one more empty row in `prefix` (the no-JavaScript "Add" button)."""
    copy = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        count = int(copy.get(key, 0))
    except (TypeError, ValueError):
        count = 0
    copy[key] = str(min(count + 1, ROW_LIMITS[prefix]))
    return copy


def with_row_moved(data, move: str):
    """Posted data with one row moved a place up or down (the no-JavaScript "Move up" and
    "Move down" buttons; `move` is "<prefix>-<index>:up" or ":down"), and the button to
    focus on the page shown next, which names the row's new place. None when `move` names
    no row of the form. The rows are put in the order their positions give, renumbered."""
    target, _, direction = (move or "").partition(":")
    prefix, _, index = target.rpartition("-")
    if prefix not in ROW_LIMITS or direction not in ("up", "down") or not index.isdigit():
        return None
    try:
        count = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), ROW_LIMITS[prefix])
    except (TypeError, ValueError):
        return None
    index = int(index)
    if not 0 <= index < count:
        return None

    def position(i):
        # As Django orders the rows on save: by position, rows without one last.
        raw = (data.get(f"{prefix}-{i}-{ORDERING_FIELD_NAME}") or "").strip()
        return (0, int(raw), i) if raw.isdigit() else (1, 0, i)

    order = sorted(range(count), key=position)
    at = order.index(index)
    other = at - 1 if direction == "up" else at + 1
    if 0 <= other < count:
        order[at], order[other] = order[other], order[at]
        at = other
    rows = {
        i: {
            key[len(f"{prefix}-{i}-") :]: data.getlist(key)
            for key in data
            if key.startswith(f"{prefix}-{i}-")
        }
        for i in range(count)
    }
    moved = data.copy()
    for key in list(moved):
        if any(key.startswith(f"{prefix}-{i}-") for i in range(count)):
            del moved[key]
    for new_index, old_index in enumerate(order):
        for field, values in rows[old_index].items():
            moved.setlist(f"{prefix}-{new_index}-{field}", values)
        moved[f"{prefix}-{new_index}-{ORDERING_FIELD_NAME}"] = str(new_index + 1)
    return moved, f"{prefix}-{at}:{direction}"


# The most rows of each list of the editor (roles.blueprint.limits), by prefix.
ROW_LIMITS = {
    "dimensions": DimensionFormSetClass.absolute_max,
    "areas": AreaFormSetClass.absolute_max,
    "exercises": ExerciseFormSetClass.absolute_max,
    "stages": StageFormSetClass.absolute_max,
    **{prefix: SignalFormSetClass.absolute_max for prefix in SIGNAL_PREFIX.values()},
}
EDIT_PREFIXES = frozenset(ROW_LIMITS)
