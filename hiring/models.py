"""Who is being interviewed for what, by whom, and what was decided."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from roles.models import InterviewStage, RoleRevision


class Candidate(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    source = models.CharField(max_length=100, blank=True, help_text="e.g. referral, LinkedIn")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_candidate_email_ci"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"


class Application(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        HIRED = "hired", "Hired"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    # Pinned at creation: later edits of the role make new revisions, never touch this one.
    revision = models.ForeignKey(
        RoleRevision, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="recruited_applications",
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["revision", "status"]),
            models.Index(fields=["hiring_manager", "status"]),
        ]

    def __str__(self):
        return f"{self.candidate.name} for {self.revision.role.title}"

    def get_absolute_url(self):
        return reverse("hiring:application_detail", args=[self.pk])


class Interview(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    stage = models.ForeignKey(InterviewStage, on_delete=models.PROTECT, related_name="interviews")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interviews"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "interviewer"], name="unique_interview_assignment"
            )
        ]
        indexes = [models.Index(fields=["interviewer", "scheduled_at"])]

    def __str__(self):
        return f"{self.stage.name} with {self.interviewer} ({self.application})"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        HIRE = "hire", "Hire"
        NO_HIRE = "no_hire", "No hire"
        HOLD = "hold", "Hold"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]
        get_latest_by = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="decision_rationale_required"
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} for {self.application}"
