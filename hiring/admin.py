from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hiring.models import Application, Candidate, Decision, Interview


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "source", "created_at"]
    search_fields = ["name", "email"]


class InterviewInline(admin.TabularInline):
    model = Interview
    fields = ["stage", "interviewer", "scheduled_at"]
    raw_id_fields = ["interviewer"]
    extra = 0


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["candidate", "revision", "status", "hiring_manager", "created_at"]
    list_filter = ["status"]
    list_select_related = ["candidate", "revision__role", "hiring_manager"]
    search_fields = ["candidate__name", "candidate__email"]
    raw_id_fields = ["candidate", "recruiter", "hiring_manager"]
    inlines = [InterviewInline]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["application", "stage", "interviewer", "scheduled_at"]
    list_select_related = [
        "application__candidate",
        "application__revision__role",
        "stage",
        "interviewer",
    ]
    raw_id_fields = ["application", "interviewer"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["application", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["application__candidate", "application__revision__role", "decided_by"]
