"""Scorecards in the admin, within the app's rules: a submitted card is read-only, with
its ratings and signal checks, until a recruiter reopens it on its page; its status
moves only by submitting and reopening; and a recruiter sees the cards the app would
show them (Scorecard.objects.readable_by: the blindness rule). A draft may still be
fixed here; every such change moves the card's version on (touch_cards)."""

from django.contrib import admin
from django.db.models import F
from django.utils import timezone

from hiring.models import Interview, panel_changed
from hiring_site.admin import HistoryAdmin, ProtectedInline, sees_every_row
from scorecards.models import Rating, Scorecard, SignalCheck


def touch_cards(card_ids) -> None:
    """Move the cards' version and updated_at on, as their own saves do (Scorecard's
    methods), and their applications' panel_version, after the admin changed their rows
    (a draft's: a submitted card is read-only here). The version turns away a save from
    a tab opened on the card before the edit; panel_version keeps the rule that any
    change to a card moves the cached results on, whatever they read of it."""
    ids = {pk for pk in card_ids if pk is not None}
    if ids:
        Scorecard.objects.filter(pk__in=ids).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        panel_changed(Interview.objects.filter(scorecard__in=ids).values("application_id"))


def submitted_reason(card) -> str:
    """Why `card` and its rows are read-only in the admin; empty for a draft."""
    if not card.is_submitted:
        return ""
    return (
        "This scorecard is submitted: its ratings, signals and recommendation are "
        "read-only. To have it changed, reopen it on its page (View on site), giving "
        "a reason; its interviewer then edits it, and the submission stays in its history."
    )


def readable_cards(request, queryset):
    """`queryset` (of cards) cut to those the app shows the user: a recruiter who also
    interviews the candidate sees the other cards once their own is submitted.
    Administrators see every card."""
    return queryset if sees_every_row(request) else queryset.readable_by(request.user)


class CardRowInline(ProtectedInline):
    def read_only_with(self, parent) -> bool:
        return bool(submitted_reason(parent))


class RatingInline(CardRowInline):
    model = Rating
    fields = ["dimension", "score", "evidence"]


class SignalCheckInline(CardRowInline):
    model = SignalCheck
    fields = ["signal", "note"]


@admin.register(Scorecard)
class ScorecardAdmin(HistoryAdmin):
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

    def get_queryset(self, request):
        return readable_cards(request, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # Submitting and reopening (the card's own methods) set these, with their checks
        # and history; the card stays on its interview, with its interviewer.
        fields = ["status", "version", "submitted_at", "reopen_reason", "reopened_at"]
        return fields if obj is None else ["interview", *fields]

    def read_only_reason(self, obj) -> str:
        return submitted_reason(obj)

    def save_related(self, request, form, formsets, change):
        # The inlines are saved after the card itself.
        super().save_related(request, form, formsets, change)
        touch_cards([form.instance.pk])


class CardRowAdmin(HistoryAdmin):
    """For the admins of a card's rows: those of a submitted card are read-only, a row is
    added to or moved onto a draft only, and every save or delete touches the card(s)."""

    def get_queryset(self, request):
        cards = readable_cards(request, Scorecard.objects.all())
        return super().get_queryset(request).filter(scorecard__in=cards)

    def read_only_reason(self, obj) -> str:
        return submitted_reason(obj.scorecard)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "scorecard":
            kwargs["queryset"] = readable_cards(request, Scorecard.objects.drafts())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
