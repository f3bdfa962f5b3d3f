"""Candidates, applications, interviews and decisions in the admin, within the app's
rules: an application's status follows its decisions and its revision stays the one it
was opened on; an interview with a scorecard stays as it is (the card stays with its
interviewer); decisions are history, recorded on the panel only, and a recruiter sees
those the blindness rule shows them (Application.objects.results_visible_to)."""

from django import forms
from django.contrib import admin

from hiring.models import (
    Application,
    AuditEntry,
    Candidate,
    Decision,
    Interview,
    OutboxEmail,
    PerformanceReview,
)
from hiring_site.admin import (
    HistoryAdmin,
    ListedInline,
    ProtectedAdmin,
    WrittenByTheApp,
    sees_every_row,
)
from roles.models import RoleRevision

STATUS_NOTE = (
    "The status follows the newest decision, recorded by the hiring manager on the "
    "panel; the role revision is the one the application was opened on. Neither is set here."
)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "source", "created_at"]
    search_fields = ["name", "email"]

    def get_readonly_fields(self, request, obj=None):
        # Erased (hiring.erasure): kept for the numbers only, never given a name again.
        return ["name", "email", "source"] if obj is not None and obj.is_erased else []


class InterviewInline(ListedInline):
    """The application's interviews, listed: each is changed on its own page, within
    InterviewAdmin's rules."""

    model = Interview
    fields = ["stage", "interviewer", "scheduled_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(HistoryAdmin):
    list_display = ["candidate", "revision", "status", "hiring_manager", "created_at"]
    list_filter = ["status"]
    list_select_related = ["candidate", "revision__role", "hiring_manager"]
    search_fields = ["candidate__name", "candidate__email"]
    raw_id_fields = ["candidate", "recruiter", "hiring_manager"]
    fieldsets = [
        (
            None,
            {
                "fields": ["candidate", "revision", "status", "recruiter", "hiring_manager"],
                "description": STATUS_NOTE,
            },
        )
    ]
    inlines = [InterviewInline]

    def get_readonly_fields(self, request, obj=None):
        return ["status"] if obj is None else ["candidate", "revision", "status"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "revision":  # as the app opens one: for a published revision
            kwargs["queryset"] = RoleRevision.objects.published().select_related("role")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class InterviewAdminForm(forms.ModelForm):
    """An interview of an active application, on a stage of its loop."""

    def clean(self):
        cleaned = super().clean()
        application = cleaned.get("application") or getattr(self.instance, "application", None)
        stage = cleaned.get("stage")
        if application is None:
            return cleaned
        if application.status != Application.Status.ACTIVE:
            self.add_error(
                "application",
                f"The application is {application.get_status_display().lower()}: "
                "its interviews no longer change.",
            )
        elif stage is not None and stage.revision_id != application.revision_id:
            self.add_error("stage", "Choose a stage of the application's interview loop.")
        return cleaned


@admin.register(Interview)
class InterviewAdmin(ProtectedAdmin):
    form = InterviewAdminForm
    list_display = ["application", "stage", "interviewer", "scheduled_at"]
    list_select_related = [
        "application__candidate",
        "application__revision__role",
        "stage",
        "interviewer",
    ]
    raw_id_fields = ["application", "interviewer"]

    def get_readonly_fields(self, request, obj=None):
        # Moving an interview to another application would move its card with it.
        return [] if obj is None else ["application"]

    # Through the model's own ways, as the application page does: the interviewer is
    # invited, told of the change or of the cancellation (hiring.emails).
    def save_model(self, request, obj, form, change):
        if change:
            obj.save_change()
        else:
            obj.assign()

    def delete_model(self, request, obj):
        obj.remove()

    def delete_queryset(self, request, queryset):
        for interview in queryset:
            interview.remove()

    def read_only_reason(self, obj) -> str:
        if hasattr(obj, "scorecard"):
            return (
                "This interview has a scorecard, which stays with its interviewer: the "
                "interview can no longer be changed or removed. To have someone else "
                "interview, assign them on the application's page."
            )
        application = obj.application
        if application.status != Application.Status.ACTIVE:
            return (
                f"The application is {application.get_status_display().lower()}: "
                "its interviews no longer change."
            )
        return ""


@admin.register(Decision)
class DecisionAdmin(WrittenByTheApp, HistoryAdmin):
    list_display = ["application", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["application__candidate", "application__revision__role", "decided_by"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_row(request):
            return queryset
        return queryset.filter(application__in=Application.objects.results_visible_to(request.user))

    def read_only_reason(self, obj) -> str:
        return (
            "Decisions are history: each is kept as it was recorded, and the newest "
            "counts. The application's hiring manager records a new one on its panel."
        )


@admin.register(PerformanceReview)
class PerformanceReviewAdmin(WrittenByTheApp, HistoryAdmin):
    list_display = ["application", "rating", "reviewed_on", "recorded_by"]
    list_select_related = ["application__candidate", "application__revision__role", "recorded_by"]

    def read_only_reason(self, obj) -> str:
        return (
            "Performance reviews are recorded by the hired person's hiring manager on "
            "their page (linked from the panel), where the rules on dates are checked."
        )


@admin.register(OutboxEmail)
class OutboxEmailAdmin(WrittenByTheApp, admin.ModelAdmin):
    """The outbox, for an administrator (superuser) to see what waits and why: read-only,
    since `send_outbox` alone sends it."""

    list_display = ["to", "kind", "subject", "created_at", "attempts", "sent_at", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]

    def has_view_permission(self, request, obj=None):
        return sees_every_row(request)


@admin.register(AuditEntry)
class AuditEntryAdmin(WrittenByTheApp, admin.ModelAdmin):
    """Who erased or exported which candidate's data, and why: written by the app
    (hiring.erasure, the export), never here."""

    list_display = ["at", "action", "candidate_id", "actor", "reason"]
    list_filter = ["action"]
    list_select_related = ["actor"]
    search_fields = ["=candidate_id"]
    readonly_fields = ["at", "action", "candidate_id", "actor", "reason"]
