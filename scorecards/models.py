"""What each interviewer observed: one scorecard per interview, a rating per
dimension and the signals they saw. The scoring itself lives in scoring.py."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from hiring import emails
from hiring.models import Application, Interview, InterviewQuerySet, panel_changed
from roles import scoring_policy
from roles.models import Dimension, Signal
from roles.scoring_policy import CARD_RECOMMENDATION_LABELS
from scorecards.events import panel_ready, scorecard_submitted


class StaleScorecard(Exception):
    """The save was based on an older version of the card: refused, nothing written."""

    def __init__(self, current: "Scorecard"):
        super().__init__("The scorecard changed since this version was loaded.")
        self.current = current


class ScorecardReadOnly(Exception):
    """The card is submitted; only a recruiter's reopen makes it editable again."""

    def __init__(self, current: "Scorecard"):
        super().__init__("The scorecard is submitted and read-only.")
        self.current = current


class InterviewGone(Exception):
    """The interview is no longer the writer's: removed from the loop, or given to another
    interviewer before their card was started. Nothing was written."""

    def __init__(self):
        super().__init__("This interview is no longer yours.")


class IncompleteScorecard(Exception):
    """Submission refused; `problems` maps (field kind, id) to a message, e.g.
    ("score", 4), ("evidence", 4), ("note", 9), ("recommendation", None)."""

    def __init__(self, problems: dict):
        super().__init__("The scorecard is not complete.")
        self.problems = problems


@dataclass
class ScorecardContent:
    """What an interviewer wrote, by id: the one shape drafts and submissions save from."""

    # dimension id -> (score 1-5 or None for "not assessed", evidence)
    ratings: dict[int, tuple[int | None, str]] = field(default_factory=dict)
    # id of each ticked signal -> its note
    signals: dict[int, str] = field(default_factory=dict)
    recommendation: str = ""
    summary: str = ""

    def normalized(self) -> "ScorecardContent":
        """An unrated dimension without evidence is the same as no rating at all."""
        return ScorecardContent(
            ratings={
                d: (score, evidence.strip())
                for d, (score, evidence) in self.ratings.items()
                if score is not None or evidence.strip()
            },
            signals={s: note.strip() for s, note in self.signals.items()},
            recommendation=self.recommendation,
            summary=self.summary.strip(),
        )


@dataclass
class CardEvent:
    """One submission or reopening in a card's history, as it was at that moment."""

    kind: str  # "submitted" or "reopened"
    at: datetime
    by: object  # the user, or None
    recommendation: str = ""
    recommendation_label: str = ""
    summary: str = ""
    reason: str = ""
    ratings: dict[int, tuple[int | None, str]] = field(default_factory=dict)
    signals: dict[int, str] = field(default_factory=dict)


class ScorecardQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Scorecard.Status.SUBMITTED)

    def drafts(self):
        return self.filter(status=Scorecard.Status.DRAFT)

    def readable_by(self, user):
        """The cards `user` may read (hiring.models.InterviewQuerySet.card_readable_q: their
        own always; others' only where the blindness rule shows them results)."""
        return self.filter(
            InterviewQuerySet.card_readable_q(user, to_interview="interview__", to_card="")
        )

    def hidden_until_own_card(self, user):
        """The cards `user` will read once their own card on the application is submitted,
        and not before (InterviewQuerySet.card_awaiting_own_q)."""
        return self.filter(
            InterviewQuerySet.card_awaiting_own_q(user, to_interview="interview__", to_card="")
        )


class Scorecard(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class Recommendation(models.TextChoices):
        # The codes and their labels live in roles.scoring_policy (the scoring speaks of
        # them too).
        STRONG_NO = scoring_policy.STRONG_NO, CARD_RECOMMENDATION_LABELS[scoring_policy.STRONG_NO]
        NO = scoring_policy.NO, CARD_RECOMMENDATION_LABELS[scoring_policy.NO]
        YES = scoring_policy.YES, CARD_RECOMMENDATION_LABELS[scoring_policy.YES]
        STRONG_YES = (
            scoring_policy.STRONG_YES,
            CARD_RECOMMENDATION_LABELS[scoring_policy.STRONG_YES],
        )

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="scorecard")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    # Optimistic locking: every save carries the version it was based on.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    reopen_reason = models.TextField(blank=True)
    # When it was last reopened: a reopened card is due SCORECARD_DUE_AFTER after this
    # (hiring.models.CardState). Empty on a card never reopened.
    reopened_at = models.DateTimeField(null=True, blank=True)

    objects = ScorecardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"Scorecard for {self.interview}"

    def get_absolute_url(self):
        return reverse("scorecards:detail", args=[self.pk])

    # --- state: draft, reopened (a draft a recruiter sent back) or submitted -------------
    # (the state an interview shows, overdue included, is hiring.models.CardState)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def content(self) -> ScorecardContent:
        """The card as stored (two queries, read as plain values)."""
        ratings = self.ratings.order_by().values_list("dimension_id", "score", "evidence")
        return ScorecardContent(
            ratings={dimension_id: (score, evidence) for dimension_id, score, evidence in ratings},
            signals=dict(self.signal_checks.order_by().values_list("signal_id", "note")),
            recommendation=self.recommendation,
            summary=self.summary,
        ).normalized()

    def matches(self, content: ScorecardContent) -> bool:
        return self.content() == content.normalized()

    # --- changes: every one carries the version it was based on --------------------------

    # A card not saved yet (`Scorecard(interview=..., version=0)`) is created by its first
    # save_draft or submit, under its interview's lock (_lock_for_edit).

    def save_draft(self, content: ScorecardContent, version: int, by) -> None:
        """Store `content` as the draft. Raises StaleScorecard if `version` is not the
        card's current one, ScorecardReadOnly if it is submitted, and InterviewGone if
        the interview is gone or is no longer `by`'s (a user; None for a script); then
        nothing changes."""
        with transaction.atomic():
            card = self._lock_for_edit(version, by)
            card._write(content, by)
        self._take_state_of(card)

    def submit(self, content: ScorecardContent, version: int, by) -> None:
        """Store `content` and submit, or raise IncompleteScorecard (nothing written); the
        other refusals are save_draft's."""
        with transaction.atomic():
            card = self._lock_for_edit(version, by)
            problems = card.submission_problems(content)
            if problems:
                raise IncompleteScorecard(problems)
            card.status = self.Status.SUBMITTED
            card.submitted_at = timezone.now()
            card._write(content, by)
            card._announce_submission()
        self._take_state_of(card)

    def _announce_submission(self) -> None:
        """Tell the listeners (scorecards.events) and the hiring manager (hiring.emails),
        in the submission's transaction: the card is in, and, if it was the last one the
        application expected (ApplicationQuerySet.ready_to_decide_q), its panel is ready.
        The card's save locked the application's row and counted its cards again
        (hiring.models.panel_changed), so of two last cards submitted at once the second
        counts the first: one panel ready."""
        interview = Interview.objects.select_related("application").get(pk=self.interview_id)
        scorecard_submitted.send(sender=Scorecard, scorecard=self, interview=interview)
        application = interview.application
        ready = Application.objects.filter(Application.objects.ready_to_decide_q())
        if ready.filter(pk=application.pk).exists():
            panel_ready.send(sender=Scorecard, application=application)
            emails.panel_ready(application.pk)

    def reopen(self, by, reason: str) -> bool:
        """Make a submitted card editable again (a recruiter's act; the view checks who).
        Returns False when it was already reopened for the same reason (a double post)."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError("Give a reason for reopening: the interviewer will see it.")
        with transaction.atomic():
            card = Scorecard.objects.select_for_update(of=("self",)).get(pk=self.pk)
            if not card.is_submitted:
                if card.reopen_reason == reason:
                    self._take_state_of(card)
                    return False
                raise ValidationError("Only a submitted scorecard can be reopened.")
            card.status = self.Status.DRAFT
            card.reopen_reason = reason
            card.reopened_at = timezone.now()
            card.submitted_at = None
            # Any tab still open on the submitted card is now out of date.
            card.version += 1
            card._history_user = by
            card._change_reason = reason[:100]  # the history column is 100 characters
            card.save()
        self._take_state_of(card)
        return True

    def submission_problems(self, content: ScorecardContent) -> dict:
        """What stops `content` from being submitted: focus dimensions unrated, a 1 or a 5
        without evidence, a red flag without a note, no recommendation."""
        content = content.normalized()
        problems = {}
        focus_ids = self.interview.stage.focus_dimensions.values_list("id", flat=True)
        for dimension_id in focus_ids:
            if content.ratings.get(dimension_id, (None, ""))[0] is None:
                problems[("score", dimension_id)] = "Rate this focus dimension before submitting."
        for dimension_id, (score, evidence) in content.ratings.items():
            if score in (1, 5) and not evidence:
                problems[("evidence", dimension_id)] = (
                    f"A rating of {score} needs written evidence: what did you observe?"
                )
        red_flags = set(
            Signal.objects.filter(
                revision_id=self.interview.application.revision_id, kind=Signal.Kind.RED_FLAG
            ).values_list("id", flat=True)
        )
        for signal_id, note in content.signals.items():
            if signal_id in red_flags and not note:
                problems[("note", signal_id)] = "Describe what you observed for this red flag."
        if content.recommendation not in self.Recommendation.values:
            problems[("recommendation", None)] = "Choose an overall recommendation."
        return problems

    def _lock_for_edit(self, version: int, by) -> "Scorecard":
        # The interview's row first, as a recruiter's change or removal of the interview
        # takes it (hiring.models.InterviewQuerySet.locked): whichever comes second sees
        # the other's work, so a card is never started on an interview just given to
        # someone else or removed, and the two never deadlock.
        try:
            interview = Interview.objects.locked(self.interview_id)
        except Interview.DoesNotExist:
            raise InterviewGone() from None
        if by is not None and interview.interviewer_id != by.pk:  # None: a script
            raise InterviewGone()
        if self.pk is None:
            # The first save creates the card at version 0; a second tab that also saw no
            # card then finds it at version 1 and is refused like any stale tab.
            Scorecard.objects.get_or_create(interview=interview, defaults={"version": 0})
        locked = Scorecard.objects.select_for_update(of=("self",))
        card = locked.get(interview_id=self.interview_id)
        if card.is_submitted:
            raise ScorecardReadOnly(card)
        if card.version != version:
            raise StaleScorecard(card)
        # Compare-and-increment: even where the row lock is a no-op, only one save based
        # on `version` can move the card on; the other finds no row to update.
        moved = Scorecard.objects.filter(
            pk=card.pk, version=version, status=self.Status.DRAFT
        ).update(version=version + 1, updated_at=timezone.now())
        if not moved:
            raise StaleScorecard(card)
        card.version = version + 1
        return card

    def _write(self, content: ScorecardContent, by) -> None:
        """Write only what changed, so the history shows real edits, not every autosave."""
        content = content.normalized()
        revision_id = (
            Interview.objects.filter(pk=self.interview_id)
            .values_list("application__revision_id", flat=True)
            .get()
        )
        foreign = set(content.ratings) - set(
            Dimension.objects.filter(revision_id=revision_id).values_list("id", flat=True)
        )
        foreign |= set(content.signals) - set(
            Signal.objects.filter(revision_id=revision_id).values_list("id", flat=True)
        )
        if foreign:
            raise ValueError(f"not on this card's role revision: {sorted(foreign)}")

        existing = {r.dimension_id: r for r in self.ratings.all()}
        for dimension_id, (score, evidence) in content.ratings.items():
            rating = existing.pop(dimension_id, None) or Rating(
                scorecard=self, dimension_id=dimension_id
            )
            if rating.pk is None or (rating.score, rating.evidence) != (score, evidence):
                rating.score, rating.evidence = score, evidence
                rating._history_user = by
                rating.save()
        for rating in existing.values():
            rating._history_user = by
            rating.delete()

        checks = {c.signal_id: c for c in self.signal_checks.all()}
        for signal_id, note in content.signals.items():
            check = checks.pop(signal_id, None) or SignalCheck(scorecard=self, signal_id=signal_id)
            if check.pk is None or check.note != note:
                check.note = note
                check._history_user = by
                check.save()
        for check in checks.values():
            check._history_user = by
            check.delete()

        old = (self.recommendation, self.summary)
        self.recommendation, self.summary = content.recommendation, content.summary
        if self.is_submitted or old != (self.recommendation, self.summary):
            self._history_user = by
            self.save()

    def _take_state_of(self, card: "Scorecard") -> None:
        self.pk, self._state.adding, self._state.db = card.pk, False, card._state.db
        for name in ("status", "recommendation", "summary", "version", "submitted_at"):
            setattr(self, name, getattr(card, name))
        self.updated_at, self.reopen_reason = card.updated_at, card.reopen_reason
        self.reopened_at = card.reopened_at

    # --- history: what was submitted, and when it was reopened ---------------------------

    def events(self) -> list[CardEvent]:
        """Each submission (with the ratings and signals as they were then) and each
        reopening, oldest first. Three queries whatever the history's length."""
        records = self.history.select_related("history_user").order_by("history_date", "history_id")
        ratings = list(
            Rating.history.filter(scorecard_id=self.pk).order_by("history_date", "history_id")
        )
        checks = list(
            SignalCheck.history.filter(scorecard_id=self.pk).order_by("history_date", "history_id")
        )
        labels = dict(self.Recommendation.choices)
        events, previous = [], None
        for record in records:
            if record.status == self.Status.SUBMITTED and previous != self.Status.SUBMITTED:
                at = record.history_date
                events.append(
                    CardEvent(
                        kind="submitted",
                        at=at,
                        by=record.history_user,
                        recommendation=record.recommendation,
                        recommendation_label=labels.get(record.recommendation, ""),
                        summary=record.summary,
                        ratings=_as_of(
                            ratings, at, "dimension_id", lambda r: (r.score, r.evidence)
                        ),
                        signals=_as_of(checks, at, "signal_id", lambda c: c.note),
                    )
                )
            elif record.status == self.Status.DRAFT and previous == self.Status.SUBMITTED:
                events.append(
                    CardEvent(
                        kind="reopened",
                        at=record.history_date,
                        by=record.history_user,
                        reason=record.reopen_reason,
                    )
                )
            previous = record.status
        return events


def _as_of(records, moment, key: str, value) -> dict:
    """Replay history records up to `moment`: the state of each row (by `key`) then."""
    state = {}
    for record in records:
        if record.history_date > moment:
            break
        if record.history_type == "-":
            state.pop(getattr(record, key), None)
        else:
            state[getattr(record, key)] = value(record)
    return state


class Rating(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="ratings")
    # Empty means "not assessed".
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    evidence = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "dimension"], name="unique_rating"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.score or 'not assessed'}"


class SignalCheck(models.Model):
    """Its existence means the interviewer observed the signal."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="signal_checks")
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="checks")
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "signal"], name="unique_signal_check")
        ]

    def __str__(self):
        return f"{self.signal} on {self.scorecard}"


@receiver(post_save, sender=Scorecard)
@receiver(pre_delete, sender=Scorecard)
def _card_changed(sender, instance, **kwargs):
    # Submitting, reopening and the admin's edits all save the card; a draft's autosave
    # does when its recommendation or summary changed (a harmless extra move).
    panel_changed(Interview.objects.filter(pk=instance.interview_id).values("application_id"))


class Headline(models.Model):
    """What the pipeline and its CSV show of an application's panel, stored beside it
    (scorecards.pipeline reads and writes it): the verdict of scoring.conclude, the
    panel's own rules, in a few numbers. It is data derived in one place, not a second
    set of rules: a row is used only while its `panel_version` is the application's
    (which moves on with every change of its cards, hiring.models.panel_changed) and its
    `rules` are the digest of the scoring code that computed it (pipeline.RULES);
    otherwise it is computed again, and `migrate` recomputes every row older code wrote.
    A list of hundreds of applications then reads them with the applications instead of
    adding up thousands of ratings, also on the first view after a deploy."""

    application = models.OneToOneField(
        "hiring.Application", on_delete=models.CASCADE, primary_key=True, related_name="headline"
    )
    panel_version = models.PositiveIntegerField()
    rules = models.CharField(max_length=16)
    # Why the revision's scoring settings are unusable; the rest is blank when set.
    error = models.TextField(blank=True)
    submitted = models.PositiveIntegerField(default=0)
    # The weighted score and the coverage as exact fractions (no score: both null).
    score_numerator = models.BigIntegerField(null=True)
    score_denominator = models.BigIntegerField(null=True)
    coverage_numerator = models.BigIntegerField(default=0)
    coverage_denominator = models.BigIntegerField(default=1)
    recommendation = models.CharField(max_length=32, blank=True)
    red_flags = models.PositiveIntegerField(default=0)
    # Disagreement (shown, changes nothing): how many dimensions' ratings span 2 points
    # or more, and whether the overall recommendations fall on both sides.
    disagreeing = models.PositiveIntegerField(default=0)
    votes_split = models.BooleanField(default=False)
    # The pipeline histogram's bin of the weighted score (scorecards.chart.score_bin; no
    # score: null), so that counting a role's applications per bin reads it as it is.
    score_bin = models.PositiveSmallIntegerField(null=True)

    def __str__(self):
        return f"Headline of application {self.application_id} at {self.panel_version}"
