"""factory-boy factories for every model. Tests build their data here, never from fixtures."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from hiring.models import Application, Candidate, Decision, Interview
from hiring_site.access import HIRING_MANAGER, INTERVIEWER, RECRUITER
from roles.models import (
    CompetencyArea,
    Dimension,
    Exercise,
    ImportPreview,
    InterviewStage,
    Role,
    RoleRevision,
    Signal,
)
from scorecards.models import Rating, Scorecard, SignalCheck
from webhooks.models import Delivery, Endpoint, Event

PASSWORD = "correct-horse-battery"

# Every model that holds the app's data: what a refused request must leave as it was.
MODELS = (
    Role,
    RoleRevision,
    Dimension,
    CompetencyArea,
    Exercise,
    Signal,
    InterviewStage,
    InterviewStage.focus_dimensions.through,
    Candidate,
    Application,
    Interview,
    Decision,
    Scorecard,
    Rating,
    SignalCheck,
    ImportPreview,
    Endpoint,
    Event,
    Delivery,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class RecruiterFactory(UserFactory):
    username = factory.Sequence(lambda n: f"recruiter{n}")
    groups = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, RECRUITER))


class HiringManagerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"manager{n}")
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: _join(user, HIRING_MANAGER)
    )


class InterviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"interviewer{n}")
    groups = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, INTERVIEWER))


def _join(user, group_name):
    user.groups.add(Group.objects.get(name=group_name))
    user.save()


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.LazyAttribute(lambda r: r.title.lower().replace(" ", "-"))
    summary = "A role for tests."


class RoleRevisionFactory(DjangoModelFactory):
    class Meta:
        model = RoleRevision

    role = factory.SubFactory(RoleFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = RoleRevision.Status.PUBLISHED


class DimensionFactory(DjangoModelFactory):
    class Meta:
        model = Dimension

    revision = factory.SubFactory(RoleRevisionFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Dimension {n}")
    meets_bar = "Does what the role needs without help."
    weight = Decimal("20")


class CompetencyAreaFactory(DjangoModelFactory):
    class Meta:
        model = CompetencyArea

    revision = factory.SubFactory(RoleRevisionFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Competency {n}")
    description = "What to assess."


class ExerciseFactory(DjangoModelFactory):
    class Meta:
        model = Exercise

    revision = factory.SubFactory(RoleRevisionFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Case study {n}")
    duration_min = 60
    duration_max = 90
    prompt = "Design a system."
    look_for = factory.LazyFunction(lambda: ["Clear trade-offs"])
    must_cover = factory.LazyFunction(lambda: ["Evaluation plan"])


class SignalFactory(DjangoModelFactory):
    class Meta:
        model = Signal

    revision = factory.SubFactory(RoleRevisionFactory)
    order = factory.Sequence(lambda n: n)
    kind = Signal.Kind.STRONG
    text = factory.Sequence(lambda n: f"Signal {n}")


class InterviewStageFactory(DjangoModelFactory):
    class Meta:
        model = InterviewStage
        skip_postgeneration_save = True

    revision = factory.SubFactory(RoleRevisionFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Stage {n}")
    duration_minutes = 60

    @factory.post_generation
    def focus_dimensions(self, create, extracted, **kwargs):
        if create and extracted:
            self.focus_dimensions.set(extracted)


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    source = "referral"


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    candidate = factory.SubFactory(CandidateFactory)
    revision = factory.SubFactory(RoleRevisionFactory)
    recruiter = factory.SubFactory(RecruiterFactory)
    hiring_manager = factory.SubFactory(HiringManagerFactory)


class InterviewFactory(DjangoModelFactory):
    class Meta:
        model = Interview

    application = factory.SubFactory(ApplicationFactory)
    stage = factory.SubFactory(
        InterviewStageFactory, revision=factory.SelfAttribute("..application.revision")
    )
    interviewer = factory.SubFactory(InterviewerFactory)
    scheduled_at = factory.Faker("date_time_this_month", tzinfo=__import__("datetime").UTC)


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory)
    outcome = Decision.Outcome.HIRE
    rationale = "Strong panel, no red flags."
    decided_by = factory.SelfAttribute("application.hiring_manager")


class ScorecardFactory(DjangoModelFactory):
    class Meta:
        model = Scorecard

    interview = factory.SubFactory(InterviewFactory)
    status = Scorecard.Status.DRAFT


class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    scorecard = factory.SubFactory(ScorecardFactory)
    dimension = factory.SubFactory(
        DimensionFactory,
        revision=factory.SelfAttribute("..scorecard.interview.application.revision"),
    )
    score = 3
    evidence = "Explained the trade-offs clearly."


class SignalCheckFactory(DjangoModelFactory):
    class Meta:
        model = SignalCheck

    scorecard = factory.SubFactory(ScorecardFactory)
    signal = factory.SubFactory(
        SignalFactory,
        revision=factory.SelfAttribute("..scorecard.interview.application.revision"),
    )
    note = ""


def scorecard_with_ratings(
    interview,
    scores,
    *,
    status=Scorecard.Status.SUBMITTED,
    recommendation="yes",
    summary="",
    evidence="Explained the trade-offs clearly.",
    signals=(),
):
    """A scorecard for `interview` rating {dimension: score or None}; `signals` are
    Signal objects or (signal, note) pairs it observed."""
    from django.utils import timezone

    card = ScorecardFactory(
        interview=interview,
        status=status,
        recommendation=recommendation,
        summary=summary,
        submitted_at=timezone.now() if status == Scorecard.Status.SUBMITTED else None,
    )
    for dimension, score in scores.items():
        RatingFactory(scorecard=card, dimension=dimension, score=score, evidence=evidence)
    for signal in signals:
        signal, note = signal if isinstance(signal, tuple) else (signal, "")
        SignalCheckFactory(scorecard=card, signal=signal, note=note)
    return card


def revision_with_dimensions(weights, *, min_scores=None, names=None, **revision_fields):
    """A published revision with one dimension per weight; returns (revision, dimensions)."""
    revision = RoleRevisionFactory(**revision_fields)
    min_scores = min_scores or {}
    dimensions = [
        DimensionFactory(
            revision=revision,
            order=index,
            weight=Decimal(str(weight)),
            min_score=min_scores.get(index),
            **({"name": names[index]} if names else {}),
        )
        for index, weight in enumerate(weights)
    ]
    return revision, dimensions


def set_time_zone(client, user, zone: str) -> None:
    """`user` chooses `zone` (an IANA name) and `client` logs in as them: their pages are
    then read and written in it (hiring_site.models.Profile, UserTimeZone)."""
    from hiring_site.models import Profile

    Profile.objects.update_or_create(user=user, defaults={"time_zone": zone})
    client.force_login(user)
