"""The hiring manager's decision form on the panel page.

A decision that goes against the computed recommendation, or hires despite a red flag,
is allowed but must be acknowledged: the app's reasoning is advice, and overriding it
should be a deliberate, recorded choice rather than a slip of the radio button.
"""

from django import forms

from hiring.models import Decision
from hiring_site.forms import MAX_INT
from scorecards import scoring

Outcome = Decision.Outcome

# Outcomes each computed recommendation argues against. Hold defers the decision, so it
# never goes against one. With insufficient evidence the app recommends waiting for more:
# a final hire or no hire before then is an override too.
AGAINST = {
    scoring.STRONG_HIRE: {Outcome.NO_HIRE},
    scoring.HIRE: {Outcome.NO_HIRE},
    scoring.NO_HIRE: {Outcome.HIRE},
    scoring.STRONG_NO_HIRE: {Outcome.HIRE},
    scoring.INSUFFICIENT_EVIDENCE: {Outcome.HIRE, Outcome.NO_HIRE},
}


def goes_against(outcome: str, recommendation: str) -> bool:
    """Whether deciding `outcome` goes against the computed `recommendation` (AGAINST):
    what the decision form asks to acknowledge and the pipeline marks."""
    return outcome in AGAINST.get(recommendation, ())


def override_reasons(outcome: str, recommendation: str, red_flags: int) -> list[str]:
    """Why deciding `outcome` needs an acknowledgement; empty when it does not."""
    reasons = []
    label = Outcome(outcome).label.lower()
    computed = scoring.RECOMMENDATION_LABELS[recommendation].lower()
    if goes_against(outcome, recommendation):
        if recommendation == scoring.INSUFFICIENT_EVIDENCE:
            reasons.append(
                f"The panel does not have enough evidence for a recommendation yet; "
                f"deciding {label} now overrides that."
            )
        else:
            reasons.append(
                f"Deciding {label} goes against the computed recommendation, {computed}."
            )
    if outcome == Outcome.HIRE and red_flags:
        observed = "a red flag was" if red_flags == 1 else f"{red_flags} red flags were"
        reasons.append(f"Deciding hire although {observed} observed.")
    return reasons


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect, label="Decision")
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        max_length=5000,
        help_text="Why: what in the panel (or beyond it) decided it. Kept in the history.",
    )
    acknowledge = forms.BooleanField(
        required=False,
        label=(
            "I am deciding against the computed recommendation, or to hire despite a red "
            "flag, and my rationale says why."
        ),
    )

    # The newest decision on the page when it was loaded (0: none). A decision posted from
    # a page that did not show the latest one is refused rather than silently replacing it.
    seen_decision = forms.IntegerField(
        min_value=0, max_value=MAX_INT, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, recommendation: str, red_flags: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        self.red_flags = red_flags

    @classmethod
    def for_panel(cls, panel, data=None, *, decisions=()) -> "DecisionForm":
        """The form for `panel` (a scorecards.panel.PanelView) as it is now: a decision
        is checked against the recommendation and red flags of the cards in at the time
        it is posted, not when its page was opened (a card submitted meanwhile may have
        changed what it overrides). `decisions`, newest first: the history the page
        shows, whose newest one the blank form says it has seen."""
        return cls(
            data,
            initial={"seen_decision": decisions[0].pk if decisions else 0},
            recommendation=panel.recommendation,
            red_flags=panel.red_flag_count,
        )

    def seen(self):
        """What to pass as `record_decision(seen=...)`: the id of the newest decision the
        page showed, or None. A post without the field (not from the page: a script, a
        page from before the field existed) counts as having seen none, so it cannot
        replace a decision it never saw."""
        return self.cleaned_data.get("seen_decision") or None

    def record(self, application, by) -> tuple[Decision, bool]:
        """Record the decision this valid form holds, by `by`, on `application`
        (Application.record_decision, with the newest decision the page showed): returns
        (decision, created). Raises what record_decision raises, nothing written:
        StaleDecision when another decision was recorded since, ValidationError when the
        application takes no decisions (withdrawn). The panel's page and the API record
        through here, so a posted decision means the same in both. Who may decide
        (Application.decidable_by) is the caller's check."""
        if not self.is_valid():
            raise ValueError("Only a valid decision form records a decision.")
        return application.record_decision(
            self.cleaned_data["outcome"],
            self.cleaned_data["rationale"],
            by=by,
            seen=self.seen(),
        )

    def override_hints(self) -> list[tuple[str, list[str]]]:
        """(outcome label, reasons) for each outcome that would need the acknowledgement."""
        hints = []
        for value, label in Outcome.choices:
            reasons = override_reasons(value, self.recommendation, self.red_flags)
            if reasons:
                hints.append((label, reasons))
        return hints

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome and not cleaned.get("acknowledge"):
            reasons = override_reasons(outcome, self.recommendation, self.red_flags)
            if reasons:
                self.add_error(
                    "acknowledge",
                    " ".join(reasons) + " Tick the acknowledgement to record it anyway.",
                )
        return cleaned
