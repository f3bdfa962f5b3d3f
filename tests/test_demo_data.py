"""`create_demo_data`: realistic candidates and cards in every state, idempotent."""

import pytest
from django.apps import apps

from hiring.models import Application, Candidate, Interview
from hiring_site.demo_data import create_demo_data, evidence_for
from hiring_site.management.commands.demo import ensure_demo_users
from roles.models import RoleRevision, Signal
from scorecards.models import Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


def published_roles(count=3):
    for n, title in enumerate(
        ["Lead AI Engineer", "Senior AI Consultant", "Data Engineer"][:count]
    ):
        revision = factories.RoleRevisionFactory(role__title=title)
        dimensions = [
            factories.DimensionFactory(revision=revision, name=name, order=i)
            for i, name in enumerate(
                [
                    "Production AI system design",
                    "Evaluation & experimentation",
                    "Communication",
                    "Security/privacy mindset",
                ]
            )
        ]
        for kind in Signal.Kind.values:
            for i in range(2):
                factories.SignalFactory(revision=revision, kind=kind, text=f"{kind} {n}.{i}")
        factories.InterviewStageFactory(revision=revision, order=0, focus_dimensions=dimensions[:2])
        factories.InterviewStageFactory(
            revision=revision, order=1, focus_dimensions=dimensions[2:3]
        )
    # A draft revision must not be used.
    factories.RoleRevisionFactory(status=RoleRevision.Status.DRAFT, role__title="Draft role")


def counts():
    return {
        m.__name__: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"roles", "hiring", "scorecards"}
    }


def test_demo_data_has_cards_in_every_state_and_runs_twice_without_duplicates():
    published_roles()
    users = ensure_demo_users()
    create_demo_data(users)
    first = counts()
    create_demo_data(users)
    assert counts() == first

    assert Candidate.objects.count() == 6
    assert all(c.email.endswith("@example.com") for c in Candidate.objects.all())
    assert Application.objects.values("revision__role").distinct().count() == 3
    assert not Application.objects.filter(revision__role__title="Draft role").exists()
    for name in ("interviewer1", "interviewer2"):
        assert Interview.objects.filter(interviewer=users[name]).count() >= 5
    states = {i.card_state for i in Interview.objects.select_related("application", "scorecard")}
    assert states >= {"not_started", "draft", "submitted", "reopened", "overdue"}
    assert Interview.objects.overdue().filter(scorecard__isnull=False).exists()  # a late draft
    both = [
        a
        for a in Application.objects.prefetch_related("interviews__scorecard")
        if all(
            getattr(i, "scorecard", None) and i.scorecard.is_submitted for i in a.interviews.all()
        )
    ]
    assert len(both) == 1
    assert {i.interviewer.username for i in both[0].interviews.all()} == {
        "interviewer1",
        "interviewer2",
    }
    red = Scorecard.objects.submitted().filter(signal_checks__signal__kind=Signal.Kind.RED_FLAG)
    assert red.count() == 1
    assert red.get().signal_checks.get(signal__kind=Signal.Kind.RED_FLAG).note
    reopened = Scorecard.objects.exclude(reopen_reason="").get()
    assert [e.kind for e in reopened.events()] == ["submitted", "reopened"]
    assert reopened.history.first().history_user == users["recruiter"]


def test_demo_data_works_with_a_single_role_and_without_any():
    users = ensure_demo_users()
    create_demo_data(users)
    assert not Candidate.objects.exists()
    published_roles(count=1)
    create_demo_data(users)
    assert Application.objects.count() == 6


def test_evidence_reads_like_an_interviewer_wrote_it():
    assert evidence_for("MLOps & operational excellence", 4).startswith("Above the bar: ")
    assert "canary" in evidence_for("MLOps & operational excellence", 5)
    assert "even after two hints" in evidence_for("Leadership & influence", 1)
    assert evidence_for("Something unusual", 3).startswith("Meets the bar: ")
