"""What each interviewer observed: one scorecard per interview, a rating per
dimension and the signals they saw. The scoring itself lives in scoring.py."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from hiring.models import Interview
from roles.models import Dimension, Signal


class ScorecardQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Scorecard.Status.SUBMITTED)

    def drafts(self):
        return self.filter(status=Scorecard.Status.DRAFT)


class Scorecard(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class Recommendation(models.TextChoices):
        STRONG_NO = "strong_no", "Strong no"
        NO = "no", "No"
        YES = "yes", "Yes"
        STRONG_YES = "strong_yes", "Strong yes"

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="scorecard")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    # Optimistic locking: every save carries the version it was based on.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    reopen_reason = models.TextField(blank=True)

    objects = ScorecardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"Scorecard for {self.interview}"


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
