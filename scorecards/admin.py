from django.contrib import admin
from django.db.models import F
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from hiring.models import Interview, panel_changed
from scorecards.models import Rating, Scorecard, SignalCheck


def touch_cards(card_ids) -> None:
    """Move the cards' version and updated_at on, as their own saves do (Scorecard's
    methods), and their applications' panel_version, after the admin changed their rows:
    the panel and the pipeline cache their scoring under panel_version, and a rating
    edited here must show there. The version also turns away a save from a tab opened on
    the card before the edit."""
    ids = {pk for pk in card_ids if pk is not None}
    if ids:
        Scorecard.objects.filter(pk__in=ids).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        panel_changed(Interview.objects.filter(scorecard__in=ids).values("application_id"))


class RatingInline(admin.TabularInline):
    model = Rating
    fields = ["dimension", "score", "evidence"]
    extra = 0


class SignalCheckInline(admin.TabularInline):
    model = SignalCheck
    fields = ["signal", "note"]
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(SimpleHistoryAdmin):
    list_display = ["interview", "status", "recommendation", "version", "submitted_at"]
    list_filter = ["status", "recommendation"]
    list_select_related = [
        "interview__application__candidate",
        "interview__application__revision__role",
        "interview__stage",
        "interview__interviewer",
    ]
    raw_id_fields = ["interview"]
    inlines = [RatingInline, SignalCheckInline]

    def save_related(self, request, form, formsets, change):
        # The inlines are saved after the card itself.
        super().save_related(request, form, formsets, change)
        touch_cards([form.instance.pk])


class CardRowAdmin(SimpleHistoryAdmin):
    """For the admins of a card's rows: every save or delete touches the card(s)."""

    def save_model(self, request, obj, form, change):
        # raw_id_fields let the row move to another card: both change.
        before = (
            type(obj).objects.filter(pk=obj.pk).values_list("scorecard_id", flat=True).first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        touch_cards([before, obj.scorecard_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        touch_cards([obj.scorecard_id])

    def delete_queryset(self, request, queryset):
        card_ids = list(queryset.values_list("scorecard_id", flat=True))
        super().delete_queryset(request, queryset)
        touch_cards(card_ids)


@admin.register(Rating)
class RatingAdmin(CardRowAdmin):
    list_display = ["scorecard", "dimension", "score"]
    raw_id_fields = ["scorecard", "dimension"]


@admin.register(SignalCheck)
class SignalCheckAdmin(CardRowAdmin):
    list_display = ["scorecard", "signal"]
    raw_id_fields = ["scorecard", "signal"]
