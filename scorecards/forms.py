"""The scorecard form: a rating and evidence per dimension, ticks and notes per signal,
a recommendation and a summary. Field names carry the ids: score_<dimension id>,
evidence_<dimension id>, signal_<signal id>, note_<signal id>."""

import re
from dataclasses import dataclass

from django import forms

from hiring_site.forms import MAX_INT
from roles.models import LEVEL_LABELS, Dimension, InterviewStage, Signal
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
class CardParts:
    """What a card of one interview is made of: its revision's dimensions and signals in
    the role's order, and the ids of the stage's focus dimensions."""

    dimensions: list[Dimension]
    signals: list[Signal]
    focus_ids: set[int]


def card_parts(revision_id: int, stage_id: int | None) -> CardParts:
    """The parts of a card on `revision_id` for the stage `stage_id`: three queries."""
    dimensions = (
        Dimension.objects.filter(revision_id=revision_id)
        .only("id", "order", "name", "meets_bar", "anchors")
        .order_by("order", "id")
    )
    signals = (
        Signal.objects.filter(revision_id=revision_id)
        .only("id", "order", "kind", "text")
        .order_by("kind", "order", "id")
    )
    focus = InterviewStage.focus_dimensions.through.objects.filter(interviewstage_id=stage_id)
    return CardParts(
        list(dimensions), list(signals), set(focus.values_list("dimension_id", flat=True))
    )


def note_label(signal: Signal) -> str:
    return f"Note on “{signal.text}”"


@dataclass(frozen=True)
class Shown:
    """What a row shows of one field: its value, name, id and errors."""

    value: object
    html_name: str
    auto_id: str
    errors: list


def dimension_row(dimension: Dimension, focus: bool, score: Shown, evidence: Shown) -> dict:
    """What the rating rows of scorecards/fill.html show of a dimension, worked out once:
    the page has some ten of these rows of six radios and five anchors each, and each
    lookup in a template loop counts. Plain values in dicts, which a template reads
    fastest; numbers as text, which it shows without localizing them."""
    current = "" if score.value is None else str(score.value)
    key, auto_id = str(dimension.id), score.auto_id
    return {
        "key": key,
        "name": dimension.name,
        "meets_bar": dimension.meets_bar,
        "focus": focus,
        "score_name": score.html_name,
        "score_errors": score.errors,
        "blank_id": f"{auto_id}_0",
        "blank_checked": current == "",
        # The radios for 1 to 5, each described by its anchor.
        "levels": [
            {
                "id": f"{auto_id}_{n}",
                "value": str(n),
                "label": label,
                "checked": str(n) == current,
                "anchor_id": f"anchor-{key}-{n}",
            }
            for n, label in LEVEL_LABELS.items()
        ],
        # (id, "level · label", the dimension's own text or "" where it has none) per level.
        "anchors": [
            (f"anchor-{key}-{level}", f"{level} · {label}", "" if text == label else text)
            for level, label, text in dimension.anchor_list()
        ],
        "evidence_id": evidence.auto_id,
        "evidence_name": evidence.html_name,
        "evidence_value": "" if evidence.value is None else evidence.value,
        "evidence_errors": evidence.errors,
    }


def signal_row(signal: Signal, tick: Shown, note: Shown, note_label: str) -> dict:
    """What the signal rows of scorecards/fill.html show of a signal."""
    return {
        "kind": signal.kind,
        "red_flag": signal.kind == Signal.Kind.RED_FLAG,
        "text": signal.text,
        "tick_id": tick.auto_id,
        "tick_name": tick.html_name,
        "ticked": tick.value,
        "note_id": note.auto_id,
        "note_name": note.html_name,
        "note_label": note_label,
        "note_value": "" if note.value is None else note.value,
        "note_errors": note.errors,
    }


class ScorecardForm(forms.Form):
    version = forms.IntegerField(min_value=0, max_value=MAX_INT, widget=forms.HiddenInput)
    recommendation = forms.ChoiceField(
        choices=[("", "No recommendation yet"), *Scorecard.Recommendation.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Choose one of "
            + ", ".join(Scorecard.Recommendation.labels[:-1])
            + f" or {Scorecard.Recommendation.labels[-1]}."
        },
    )
    summary = forms.CharField(required=False, max_length=MAX_TEXT, widget=forms.Textarea)

    def __init__(self, *args, dimensions, focus_ids, signals, **kwargs):
        super().__init__(*args, **kwargs)
        # Focus dimensions first (in the role's order), then the rest.
        self.dimensions = sorted(dimensions, key=lambda d: (d.id not in focus_ids, d.order, d.id))
        self.focus_ids = set(focus_ids)
        self.signals = list(signals)
        if self.is_bound:
            # Only a posted form checks its rows, so only it has their fields; the page as
            # first shown reads its rows from `initial` (see shown()). Some forty fields
            # built per page view cost more than anything else of this form.
            self._add_row_fields()

    def _add_row_fields(self) -> None:
        for d in self.dimensions:
            self.fields[f"score_{d.id}"] = forms.TypedChoiceField(
                # A callable: Django then checks the list only when it validates.
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
                required=False, max_length=MAX_TEXT, label=note_label(s)
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

    @staticmethod
    def problem_field(kind: str, key) -> str:
        """The field a submission problem (Scorecard.submission_problems) is about."""
        return "recommendation" if kind == "recommendation" else f"{kind}_{key}"

    def add_problems(self, problems: dict) -> None:
        """Put the model's submission problems next to the fields they are about."""
        for (kind, key), message in problems.items():
            self.add_error(self.problem_field(kind, key), message)

    def unticked_notes(self) -> list[str]:
        """Signals with a note but no tick: the note is not kept unless ticked."""
        return [
            f"note_{s.id}"
            for s in self.signals
            if self.cleaned_data.get(f"note_{s.id}") and not self.cleaned_data.get(f"signal_{s.id}")
        ]

    # --- what the template walks --------------------------------------------------------

    @property
    def focus_dimensions(self) -> list[Dimension]:
        return [d for d in self.dimensions if d.id in self.focus_ids]

    def signals_by_kind(self) -> dict[str, list[Signal]]:
        """Every kind of signal (empty ones too), each with its signals in order."""
        signals = {kind: [] for kind in Signal.Kind.values}
        for signal in self.signals:
            signals[signal.kind].append(signal)
        return signals

    def shown(self, name: str) -> Shown:
        """The value, name, id and errors of field `name` as its BoundField gives them.
        A form as first shown (unbound, so without errors) reads its initial value
        directly: a page has some forty of these fields, and a BoundField each costs."""
        if self.is_bound:
            field = self[name]
            return Shown(field.value(), field.html_name, field.auto_id, field.errors)
        html_name = self.add_prefix(name)
        return Shown(self.initial.get(name), html_name, self.auto_id % html_name, [])

    def dimension_rows(self) -> list[dict]:
        return [
            dimension_row(
                d,
                d.id in self.focus_ids,
                self.shown(f"score_{d.id}"),
                self.shown(f"evidence_{d.id}"),
            )
            for d in self.dimensions
        ]

    def signal_groups(self) -> list[tuple[str, str, list[dict]]]:
        groups = []
        by_kind = self.signals_by_kind()
        for kind, heading in SIGNAL_HEADINGS.items():
            rows = [
                signal_row(
                    s,
                    self.shown(f"signal_{s.id}"),
                    self.shown(f"note_{s.id}"),
                    note_label(s),
                )
                for s in by_kind.get(kind, [])
            ]
            if rows:
                groups.append((kind, heading, rows))
        return groups

    def error_summary(self) -> list[tuple[str, str, str, str]]:
        """(field id, field label, message, field name) for the summary at the top of
        the page."""
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
                items.append((target, label, message, name))
        return items


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for reopening",
        help_text="The interviewer sees this. It is kept in the scorecard's history.",
        error_messages={"required": "Give a reason for reopening: the interviewer will see it."},
    )
