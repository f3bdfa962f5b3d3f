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


def _frozen(revision) -> bool:
    """A revision the app no longer edits in place (published, archived or in use)."""
    return revision is not None and not revision.is_editable()


class FrozenContentInline(admin.TabularInline):
    """A revision's rows, read-only once the revision is frozen: scorecards were filled
    against them, and the app itself only ever changes them through a new draft."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class FrozenContentAdmin:
    """For the admins of a revision's rows (obj.revision): viewable, not changeable,
    once the revision is frozen."""

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and _frozen(obj.revision)
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and _frozen(obj.revision)
        return not frozen and super().has_delete_permission(request, obj)


class DimensionInline(FrozenContentInline):
    model = Dimension
    fields = ["order", "name", "weight", "min_score", "meets_bar"]


class StageInline(FrozenContentInline):
    model = InterviewStage
    fields = ["order", "name", "duration_minutes", "exercise"]


@admin.register(RoleRevision)
class RoleRevisionAdmin(SimpleHistoryAdmin):
    list_display = ["role", "number", "status", "source_name", "created_at"]
    list_filter = ["status"]
    list_select_related = ["role"]
    search_fields = ["role__title", "source_name"]
    inlines = [DimensionInline, StageInline]


@admin.register(Dimension)
class DimensionAdmin(FrozenContentAdmin, SimpleHistoryAdmin):
    list_display = ["name", "revision", "weight", "min_score", "order"]
    list_select_related = ["revision__role"]
    search_fields = ["name"]


@admin.register(CompetencyArea)
class CompetencyAreaAdmin(FrozenContentAdmin, admin.ModelAdmin):
    list_display = ["name", "revision", "order"]
    list_select_related = ["revision__role"]


@admin.register(Exercise)
class ExerciseAdmin(FrozenContentAdmin, admin.ModelAdmin):
    list_display = ["title", "revision", "duration_min", "duration_max"]
    list_select_related = ["revision__role"]


@admin.register(Signal)
class SignalAdmin(FrozenContentAdmin, admin.ModelAdmin):
    list_display = ["text", "kind", "revision"]
    list_filter = ["kind"]
    list_select_related = ["revision__role"]


@admin.register(InterviewStage)
class InterviewStageAdmin(FrozenContentAdmin, admin.ModelAdmin):
    list_display = ["name", "revision", "duration_minutes", "exercise"]
    list_select_related = ["revision__role", "exercise"]
    filter_horizontal = ["focus_dimensions"]
