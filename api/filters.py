"""The lists' filters (django-filter): by role (its slug), status and `updated_since`
(an ISO 8601 moment: what changed since then). A value that is not one of the choices, or
not a moment, answers 400 with the field named."""

import django_filters
from django import forms
from django.db.models import Q

from hiring.models import Application, CardState
from hiring_site.forms import MAX_INT
from scorecards.models import Scorecard


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number the database can hold."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_INT, **kwargs)


UPDATED_SINCE = "ISO 8601 moment, e.g. 2026-12-01T00:00:00Z: only what changed since then."


class CandidateFilter(django_filters.FilterSet):
    role = django_filters.CharFilter(
        method="by_application", max_length=100, help_text="Candidates applying for this role."
    )
    status = django_filters.ChoiceFilter(
        choices=Application.Status.choices,
        method="by_application",
        help_text="Candidates with an application in this status.",
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE
    )
    q = django_filters.CharFilter(
        method="search", max_length=100, help_text="Part of the name or email."
    )

    def by_application(self, queryset, name, value):
        # Role and status together mean one application with both, as on the page:
        # applied once, from filter_queryset.
        return queryset

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        role, status = self.form.cleaned_data.get("role"), self.form.cleaned_data.get("status")
        if role or status:
            applications = Application.objects.all()
            if role:
                applications = applications.filter(revision__role__slug=role)
            if status:
                applications = applications.filter(status=status)
            queryset = queryset.filter(pk__in=applications.values("candidate_id"))
        return queryset


class ApplicationFilter(django_filters.FilterSet):
    role = django_filters.CharFilter(field_name="revision__role__slug", max_length=100)
    status = django_filters.ChoiceFilter(choices=Application.Status.choices)
    candidate = IdFilter(field_name="candidate_id")
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="last_activity",
        lookup_expr="gte",
        help_text=UPDATED_SINCE + " Its last activity: opened, a card saved, a decision.",
    )


class InterviewFilter(django_filters.FilterSet):
    role = django_filters.CharFilter(field_name="application__revision__role__slug", max_length=100)
    application = IdFilter(field_name="application_id")
    status = django_filters.ChoiceFilter(
        choices=CardState.choices, field_name="card_state", help_text="The card's state."
    )


class ScorecardFilter(django_filters.FilterSet):
    role = django_filters.CharFilter(
        field_name="interview__application__revision__role__slug", max_length=100
    )
    status = django_filters.ChoiceFilter(choices=Scorecard.Status.choices)
    application = IdFilter(field_name="interview__application_id")
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE
    )
