"""The scorecard form: a rating and evidence per dimension, ticks and notes per signal,
a recommendation and a summary. Field names carry the ids: score_<dimension id>,
evidence_<dimension id>, signal_<signal id>, note_<signal id>."""

import re
from dataclasses import dataclass

from django import forms

from roles.models import LEVEL_LABELS, Dimension, Signal
from scorecards.models import Scorecard, ScorecardContent

MAX_TEXT = 20_000
SCORE_CHOICES = [("", "Not assessed")] + [(str(level), str(level)) for level in LEVEL_LABELS]


def _score_choices():
    return SCORE_CHOICES


ID_FIELD = re.compile(r"^(score|evidence|signal|note)_(.+)$")
SIGNAL_HEADINGS = {
    Signal.Kind.STRONG: "Strong signals",
    Signal.Kind.WEAK: "Weak signals",
    Signal.Kind.RED_FLAG: "Red flags",
}


@dataclass
class DimensionRow:
    dimension: Dimension
    focus: bool
    score: forms.BoundField
    evidence: forms.BoundField

    @property
    def current(self) -> str:
        value = self.score.value()
        return "" if value is None else str(value)

    @property
    def choices(self):
        """(value, short label, long label) for each option, "" first ("not assessed")."""
        yield "", "Not assessed", "Not assessed"
        for level, label in LEVEL_LABELS.items():
            yield str(level), str(level), label


@dataclass
class SignalRow:
    signal: Signal
    tick: forms.BoundField
    note: forms.BoundField

    @property
    def is_red_flag(self) -> bool:
        return self.signal.kind == Signal.Kind.RED_FLAG


class ScorecardForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    recommendation = forms.ChoiceField(
        choices=[("", "No recommendation yet"), *Scorecard.Recommendation.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of Strong no, No, Yes or Strong yes."},
    )
    summary = forms.CharField(required=False, max_length=MAX_TEXT, widget=forms.Textarea)

    def __init__(self, *args, dimensions, focus_ids, signals, **kwargs):
        super().__init__(*args, **kwargs)
        # Focus dimensions first (in the role's order), then the rest.
        self.dimensions = sorted(dimensions, key=lambda d: (d.id not in focus_ids, d.order, d.id))
        self.focus_ids = set(focus_ids)
        self.signals = list(signals)
        for d in self.dimensions:
            self.fields[f"score_{d.id}"] = forms.TypedChoiceField(
                # A callable: Django then checks the list only when it validates, rather
                # than twice per field on every page view (a third of building this form).
                choices=_score_choices,
                coerce=int,
                empty_value=None,
                required=False,
                label=f"Rating for {d.name}",
                error_messages={
                    "invalid_choice": "Choose a rating from 1 to 5, or “not assessed”."
                },
            )
            self.fields[f"evidence_{d.id}"] = forms.CharField(
                required=False,
                max_length=MAX_TEXT,
                label=f"Evidence for {d.name}",
                widget=forms.Textarea,
            )
        for s in self.signals:
            self.fields[f"signal_{s.id}"] = forms.BooleanField(required=False, label=s.text)
            self.fields[f"note_{s.id}"] = forms.CharField(
                required=False, max_length=MAX_TEXT, label=f"Note on “{s.text}”"
            )

    @classmethod
    def initial_from(cls, content: ScorecardContent | None, version: int) -> dict:
        initial = {"version": version}
        if content is None:
            return initial
        for dimension_id, (score, evidence) in content.ratings.items():
            initial[f"score_{dimension_id}"] = "" if score is None else str(score)
            initial[f"evidence_{dimension_id}"] = evidence
        for signal_id, note in content.signals.items():
            initial[f"signal_{signal_id}"] = True
            initial[f"note_{signal_id}"] = note
        initial["recommendation"] = content.recommendation
        initial["summary"] = content.summary
        return initial

    def clean(self):
        cleaned = super().clean()
        # A name for a dimension or signal this card does not have is a forged or
        # out-of-date form: refuse all of it rather than save part of it.
        unknown = [k for k in self.data if ID_FIELD.match(k) and k not in self.fields]
        if unknown:
            raise forms.ValidationError(
                "This form names a dimension or signal that is not on this scorecard, so "
                "nothing was saved. Reload the page and try again.",
                code="unknown_field",
            )
        return cleaned

    def content(self) -> ScorecardContent:
        data = self.cleaned_data
        return ScorecardContent(
            ratings={
                d.id: (data[f"score_{d.id}"], data[f"evidence_{d.id}"]) for d in self.dimensions
            },
            signals={s.id: data[f"note_{s.id}"] for s in self.signals if data[f"signal_{s.id}"]},
            recommendation=data["recommendation"],
            summary=data["summary"],
        )

    def add_problems(self, problems: dict) -> None:
        """Put the model's submission problems next to the fields they are about."""
        names = {"score": "score_{}", "evidence": "evidence_{}", "note": "note_{}"}
        for (kind, key), message in problems.items():
            name = "recommendation" if kind == "recommendation" else names[kind].format(key)
            self.add_error(name, message)

    def unticked_notes(self) -> list[str]:
        """Signals with a note but no tick: the note is not kept unless ticked."""
        return [
            f"note_{s.id}"
            for s in self.signals
            if self.cleaned_data.get(f"note_{s.id}") and not self.cleaned_data.get(f"signal_{s.id}")
        ]

    # --- what the template walks --------------------------------------------------------

    def dimension_rows(self) -> list[DimensionRow]:
        return [
            DimensionRow(d, d.id in self.focus_ids, self[f"score_{d.id}"], self[f"evidence_{d.id}"])
            for d in self.dimensions
        ]

    def signal_groups(self) -> list[tuple[str, str, list[SignalRow]]]:
        groups = []
        for kind, heading in SIGNAL_HEADINGS.items():
            rows = [
                SignalRow(s, self[f"signal_{s.id}"], self[f"note_{s.id}"])
                for s in self.signals
                if s.kind == kind
            ]
            if rows:
                groups.append((kind, heading, rows))
        return groups

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, field label, message) for the summary at the top of the page."""
        items = []
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            field = self.fields.get(name)
            target = self[name].id_for_label if field is not None else ""
            if name == "recommendation":
                target = "recommendation-legend"
            elif name.startswith("score_"):
                target = f"rating-{name.removeprefix('score_')}"
            label = self[name].label if field is not None else name
            for message in errors:
                items.append((target, label, message))
        return items


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for reopening",
        help_text="The interviewer sees this. It is kept in the scorecard's history.",
        error_messages={"required": "Give a reason for reopening: the interviewer will see it."},
    )
