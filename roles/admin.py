"""Roles in the admin. A revision the app no longer edits in place (published, archived,
or used by an application) is read-only here too, with its rows: scorecards were filled,
or will be, against its dimensions, signals and scoring settings. Its status moves only
by publishing, on the role's page, which checks the weights and the loop."""

from django import forms
from django.contrib import admin

from hiring_site.admin import HistoryAdmin, ListedInline, ProtectedAdmin, ProtectedInline
from roles.models import (
    CompetencyArea,
    Dimension,
    Exercise,
    InterviewStage,
    Role,
    RoleRevision,
    Signal,
    WarningDismissal,
)


def frozen_reason(revision) -> str:
    """Why `revision` is read-only in the admin; empty for a draft nobody applied to."""
    if revision is None or revision.is_editable():
        return ""
    if revision.is_draft:
        state = "used by an application"
    else:
        state = revision.get_status_display().lower()
    return (
        f"Revision {revision.number} of {revision.role.title} is {state}: it and its "
        "dimensions, signals, exercises and stages are read-only. Edit the role on its "
        "page; the changes are saved as a new draft."
    )


class RevisionInline(ListedInline):
    """The role's revisions, listed: each is changed on its own page, if at all."""

    model = RoleRevision
    fields = ["number", "status", "source_name", "published_at"]
    readonly_fields = fields


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    # Deleting a role deletes its revisions: RoleRevisionAdmin refuses it for a frozen one.
    list_display = ["title", "slug", "created_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RevisionInline]


class FrozenContentInline(ProtectedInline):
    """A revision's rows on its page, read-only once it is frozen."""

    def read_only_with(self, parent) -> bool:
        return bool(frozen_reason(parent))


class RevisionRowForm(forms.ModelForm):
    """A row of a revision. The stage's exercise and focus dimensions must be its own
    revision's, as the role's editor offers them: a focus dimension of another revision
    could never be rated on a card of this one."""

    def clean(self):
        cleaned = super().clean()
        revision = cleaned.get("revision") or getattr(self.instance, "revision", None)
        if revision is None:
            return cleaned
        exercise = cleaned.get("exercise")
        if exercise is not None and exercise.revision_id != revision.pk:
            self.add_error("exercise", "Choose an exercise of this stage's revision.")
        foreign = [
            d.name for d in cleaned.get("focus_dimensions") or () if d.revision_id != revision.pk
        ]
        if foreign:
            self.add_error(
                "focus_dimensions",
                f"Not dimensions of this stage's revision: {', '.join(foreign)}.",
            )
        return cleaned


class FrozenContentAdmin(ProtectedAdmin):
    """The admin of a revision's rows (obj.revision): read-only once it is frozen, and
    a row is added to or moved into an editable revision only."""

    form = RevisionRowForm

    def read_only_reason(self, obj) -> str:
        return frozen_reason(obj.revision)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "revision":
            kwargs["queryset"] = RoleRevision.objects.editable().select_related("role")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DimensionInline(FrozenContentInline):
    model = Dimension
    fields = ["order", "name", "weight", "min_score", "meets_bar"]


class StageInline(FrozenContentInline):
    model = InterviewStage
    form = RevisionRowForm
    fields = ["order", "name", "duration_minutes", "exercise"]


class WarningDismissalInline(ListedInline):
    """The import warnings dismissed before publishing, with who and why."""

    model = WarningDismissal
    fields = ["text", "reason", "dismissed_by", "dismissed_at"]
    readonly_fields = fields


@admin.register(RoleRevision)
class RoleRevisionAdmin(HistoryAdmin):
    list_display = ["role", "number", "status", "source_name", "created_at"]
    list_filter = ["status"]
    list_select_related = ["role"]
    search_fields = ["role__title", "source_name"]
    # A revision is published on the role's page, which checks it first; a new one
    # starts as a draft.
    readonly_fields = ["status", "published_at", "published_by"]
    inlines = [DimensionInline, StageInline, WarningDismissalInline]

    def read_only_reason(self, obj) -> str:
        return frozen_reason(obj)


@admin.register(WarningDismissal)
class WarningDismissalAdmin(ProtectedAdmin):
    """A recruiter's reason for letting an import warning stand: a record, read-only. It
    is given on the role page or in the editor, where publishing asks for it."""

    list_display = ["revision", "text", "dismissed_by", "dismissed_at"]
    list_select_related = ["revision__role", "dismissed_by"]
    search_fields = ["revision__role__title", "text", "reason"]

    def read_only_reason(self, obj) -> str:
        return (
            "A dismissed import warning records the recruiter's check before publishing: "
            "it is kept as it was given."
        )

    def has_add_permission(self, request):
        return False


@admin.register(Dimension)
class DimensionAdmin(FrozenContentAdmin, HistoryAdmin):
    list_display = ["name", "revision", "weight", "min_score", "order"]
    list_select_related = ["revision__role"]
    search_fields = ["name"]


@admin.register(CompetencyArea)
class CompetencyAreaAdmin(FrozenContentAdmin):
    list_display = ["name", "revision", "order"]
    list_select_related = ["revision__role"]


@admin.register(Exercise)
class ExerciseAdmin(FrozenContentAdmin):
    list_display = ["title", "revision", "duration_min", "duration_max"]
    list_select_related = ["revision__role"]


@admin.register(Signal)
class SignalAdmin(FrozenContentAdmin):
    list_display = ["text", "kind", "revision"]
    list_filter = ["kind"]
    list_select_related = ["revision__role"]


@admin.register(InterviewStage)
class InterviewStageAdmin(FrozenContentAdmin):
    list_display = ["name", "revision", "duration_minutes", "exercise"]
    list_select_related = ["revision__role", "exercise"]
    filter_horizontal = ["focus_dimensions"]
