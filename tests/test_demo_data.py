"""`create_demo_data`: realistic candidates and cards in every state, idempotent."""

import pytest
from django.apps import apps
from django.db.models import Q

from hiring.models import Application, Candidate, Interview
from hiring_site.demo_data import KNOCKOUT_MIN_SCORE, PLANS, create_demo_data, evidence_for
from hiring_site.management.commands.demo import ensure_demo_users
from roles.models import Dimension, Role, RoleRevision, Signal
from roles.services import import_builtin_roles
from scorecards import scoring
from scorecards.models import Scorecard
from scorecards.panel import panel_result
from tests import factories

pytestmark = pytest.mark.django_db


def published_roles(count=3):
    for n, title in enumerate(
        ["Lead AI Engineer", "Senior AI Consultant", "Data Engineer"][:count]
    ):
        revision = factories.RoleRevisionFactory(role__title=title)
        dimensions = [
            factories.DimensionFactory(revision=revision, name=name, order=i, weight=25)
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

    assert Candidate.objects.count() == len(PLANS)
    assert all(c.email.endswith("@example.com") for c in Candidate.objects.all())
    assert Application.objects.values("revision__role").distinct().count() == 3
    assert RoleRevision.objects.published().count() == 3  # the first one's knock-out revision
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
    assert len(both) == sum(all(c.state == "submitted" for c in p.cards) for p in PLANS)
    for application in both:
        assert {i.interviewer.username for i in application.interviews.all()} == {
            "interviewer1",
            "interviewer2",
        }
    red = Scorecard.objects.submitted().filter(signal_checks__signal__kind=Signal.Kind.RED_FLAG)
    assert red.count() == sum(bool(c.red_flag) for p in PLANS for c in p.cards) == 2
    for card in red:
        assert card.signal_checks.get(signal__kind=Signal.Kind.RED_FLAG).note
    reopened = Scorecard.objects.exclude(reopen_reason="").get()
    assert [e.kind for e in reopened.events()] == ["submitted", "reopened"]
    assert reopened.history.first().history_user == users["recruiter"]


def story_states(application) -> set[str]:
    """What part of the story an application tells, as the people would read it."""
    verdict = panel_result(application).verdict
    interviews = list(application.interviews.select_related("scorecard"))
    cards = [getattr(i, "scorecard", None) for i in interviews]
    decision = application.decisions.first()
    states = set()
    if application.status == Application.Status.ACTIVE:
        if not any(cards):
            states.add("not started")
        elif not all(c and c.is_submitted for c in cards):
            states.add("in progress")
        elif decision is None and verdict.recommendation != "insufficient_evidence":
            states.add("ready to decide")
    states |= {
        Application.Status.HIRED: {"hired"},
        Application.Status.REJECTED: {"not hired"},
        Application.Status.WITHDRAWN: {"withdrawn"},
    }.get(application.status, set())
    positive = {"hire", "strong_hire"}
    if decision and decision.outcome == "no_hire" and verdict.recommendation in positive:
        states.add("decided against a hire recommendation")
    if verdict.disagreeing or verdict.votes_split:
        states.add("disagreement")
    if scoring.GATE_RED_FLAG_VETO in verdict.gates and verdict.band in positive:
        states.add("red-flag veto")
    if scoring.GATE_BELOW_MINIMUM in verdict.gates and verdict.band in positive:
        states.add("knock-out")
    return states


STORY = {
    "not started",
    "in progress",
    "ready to decide",
    "hired",
    "not hired",
    "decided against a hire recommendation",
    "disagreement",
    "red-flag veto",
    "withdrawn",
    "knock-out",
}


def test_the_demo_tells_the_whole_story_on_the_five_built_in_roles():
    users = ensure_demo_users()
    import_builtin_roles(user=users["recruiter"], publish=True)
    create_demo_data(users)
    first = counts()
    create_demo_data(users)
    assert counts() == first  # a second run duplicates nothing

    applications = Application.objects.select_related("revision__role", "candidate")
    assert {a.revision.role_id for a in applications} == set(
        Role.objects.values_list("pk", flat=True)
    )
    assert Role.objects.count() == 5
    told = {a.candidate.name: story_states(a) for a in applications}
    assert set().union(*told.values()) >= STORY, told
    # Each of the closing parts is its own application, as a reader would look for it.
    assert told["Chloé Martin"] == {"ready to decide", "knock-out"}
    assert told["Ingrid Berg"] == {"ready to decide", "red-flag veto"}
    assert told["Lena Fischer"] == {"not hired", "decided against a hire recommendation"}
    assert told["Yusuf Demir"] == {"withdrawn"}

    # The knock-out bar is a new revision of the first role, made once.
    knockout = Dimension.objects.exclude(min_score=None).select_related("revision").get()
    assert knockout.min_score == KNOCKOUT_MIN_SCORE
    assert knockout.revision.status == RoleRevision.Status.PUBLISHED
    assert knockout.revision.number == 2
    # The withdrawal is the recruiter's, with the reason, in the application's history.
    withdrawn = Application.objects.get(status=Application.Status.WITHDRAWN)
    record = withdrawn.history.latest()
    assert record.history_user == users["recruiter"]
    assert record.history_change_reason == "Accepted another offer."
    assert not Interview.objects.overdue().filter(application=withdrawn).exists()


def test_demo_data_works_with_a_single_role_and_without_any():
    users = ensure_demo_users()
    create_demo_data(users)
    assert not Candidate.objects.exists()
    published_roles(count=1)
    create_demo_data(users)
    assert Application.objects.count() == len(PLANS)


def test_evidence_reads_like_an_interviewer_wrote_it():
    assert evidence_for("MLOps & operational excellence", 4).startswith("Above the bar: ")
    assert "canary" in evidence_for("MLOps & operational excellence", 5)
    assert "even after two hints" in evidence_for("Leadership & influence", 1)
    assert evidence_for("Something unusual", 3).startswith("Meets the bar: ")


def test_the_demo_gives_validity_ten_reviewed_hires_and_calibration_an_alpha(client):
    import krippendorff
    import numpy as np
    from django.urls import reverse

    from hiring.models import PerformanceReview
    from hiring_site.demo_data import COHORT
    from scorecards.calibration import agreement
    from scorecards.validity import WEIGHTED, measures

    users = ensure_demo_users()
    import_builtin_roles(user=users["recruiter"], publish=True)
    create_demo_data(users)
    first = counts()
    create_demo_data(users)
    assert counts() == first  # the reviews too are made once

    reviewed = Application.objects.filter(
        status=Application.Status.HIRED, performance_reviews__isnull=False
    ).distinct()
    role = Role.objects.get(pk=reviewed.values("revision__role")[:1])
    assert reviewed.filter(revision__role=role).count() >= 10
    assert reviewed.filter(revision__role=role).count() >= len(COHORT)
    # Every review keeps the model's own rules: after the hire, never in the future.
    for review in PerformanceReview.objects.select_related("application"):
        review.full_clean()

    # Validity: a real figure, r and a scatter, over at least ten people.
    found, people = measures(users["manager"], role)
    weighted = next(m for m in found if m.name == WEIGHTED)
    assert people >= 10 and weighted.correlation.n >= 10
    assert not weighted.correlation.too_few and weighted.correlation.r > 0.3
    xs, ys = zip(*weighted.points, strict=True)
    assert weighted.correlation.r == pytest.approx(np.corrcoef(np.array(xs, float), ys)[0, 1])
    assert len(weighted.scatter.dots) >= 5
    client.force_login(users["manager"])
    page = client.get(reverse("scorecards:validity"), {"role": role.slug}).content.decode()
    assert TOO_FEW_TEXT not in page.split(WEIGHTED, 1)[1].split("</section>", 1)[0]
    assert "<svg" in page

    # Calibration's agreement: alpha per dimension and over the role, from the demo.
    result = agreement(Q(), role)
    assert result.overall.value is not None and result.overall.units >= 10 * 8
    assert all(row.alpha.value is not None for row in result.dimensions if row.alpha.units >= 2)
    assert len(result.interviewers) == 2  # each with a leniency
    data = {}
    for card in Scorecard.objects.submitted().filter(interview__application__revision__role=role):
        for rating in card.ratings.exclude(score=None):
            data.setdefault(card.interview.interviewer_id, {})[
                (card.interview.application_id, rating.dimension_id)
            ] = rating.score
    unit_keys = sorted({k for by in data.values() for k in by})
    matrix = [[by.get(k, np.nan) for k in unit_keys] for by in data.values()]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    assert float(result.overall.value) == pytest.approx(expected)
    page = client.get(reverse("scorecards:calibration"), {"role": role.slug}).content.decode()
    assert "Krippendorff" in page


TOO_FEW_TEXT = "Too few reviews to conclude"
