from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scorecards.models import Rating, Scorecard, SignalCheck


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


@admin.register(Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = ["scorecard", "dimension", "score"]
    raw_id_fields = ["scorecard", "dimension"]


@admin.register(SignalCheck)
class SignalCheckAdmin(SimpleHistoryAdmin):
    list_display = ["scorecard", "signal"]
    raw_id_fields = ["scorecard", "signal"]
