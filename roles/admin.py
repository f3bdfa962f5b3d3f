from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from roles.models import (
    CompetencyArea,
    Dimension,
    Exercise,
    InterviewStage,
    Role,
    RoleRevision,
    Signal,
)


class RevisionInline(admin.TabularInline):
    model = RoleRevision
    fields = ["number", "status", "source_name", "published_at"]
    readonly_fields = ["published_at"]
    extra = 0
    show_change_link = True


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "created_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RevisionInline]


class DimensionInline(admin.TabularInline):
    model = Dimension
    fields = ["order", "name", "weight", "min_score", "meets_bar"]
    extra = 0


class StageInline(admin.TabularInline):
    model = InterviewStage
    fields = ["order", "name", "duration_minutes", "exercise"]
    extra = 0


@admin.register(RoleRevision)
class RoleRevisionAdmin(SimpleHistoryAdmin):
    list_display = ["role", "number", "status", "source_name", "created_at"]
    list_filter = ["status"]
    list_select_related = ["role"]
    search_fields = ["role__title", "source_name"]
    inlines = [DimensionInline, StageInline]


@admin.register(Dimension)
class DimensionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "revision", "weight", "min_score", "order"]
    list_select_related = ["revision__role"]
    search_fields = ["name"]


@admin.register(CompetencyArea)
class CompetencyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "revision", "order"]
    list_select_related = ["revision__role"]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["title", "revision", "duration_min", "duration_max"]
    list_select_related = ["revision__role"]


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "revision"]
    list_filter = ["kind"]
    list_select_related = ["revision__role"]


@admin.register(InterviewStage)
class InterviewStageAdmin(admin.ModelAdmin):
    list_display = ["name", "revision", "duration_minutes", "exercise"]
    list_select_related = ["revision__role", "exercise"]
    filter_horizontal = ["focus_dimensions"]
