"""Benchmark support: a realistic large data set and the two baseline views.

`manage.py bench` builds the data set in a database of its own (never the app's), then
times each main page through the full Django stack against two baselines: a trivial
view returning a short text, and the floor of this app, an empty page for a logged-in
user with the base layout.
"""

import dataclasses
import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.utils import timezone

from hiring.models import Application, Candidate, Interview, count_cards
from hiring_site.access import HIRING_MANAGER, INTERVIEWER, RECRUITER
from roles.blueprint import parse_blueprint
from roles.models import Role
from roles.services import builtin_reviews, import_parsed
from scorecards.models import Rating, Scorecard, SignalCheck

BLUEPRINTS = Path(__file__).resolve().parent.parent / "roles" / "blueprints"
BATCH = 2000

EVIDENCE = [
    "Walked through the trade-offs between batch and streaming inference clearly.",
    "Needed prompting to consider failure modes; recovered well once hinted.",
    "Gave a concrete example of an evaluation harness they built and what it caught.",
    "Answers stayed generic; no specific numbers or incidents.",
    "Proposed a rollback plan and monitoring before being asked.",
]


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def floor(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("__bench__/trivial/", trivial, name="bench_trivial"),
    path("__bench__/floor/", floor, name="bench_floor"),
    path("", include("hiring_site.urls")),
]


class Sizes:
    def __init__(self, scale: float):
        self.scale = scale
        self.roles = max(5, round(50 * scale))
        self.candidates = max(20, round(10_000 * scale))
        self.applications = self.candidates
        self.interviews_per_application = 7
        self.interviewers = max(10, round(300 * scale))
        self.hiring_managers = max(2, round(20 * scale))

    def as_dict(self):
        return {
            "roles": self.roles,
            "candidates": self.candidates,
            "applications": self.applications,
            "interviews": self.applications * self.interviews_per_application,
        }


def _bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


@transaction.atomic
def build(sizes: Sizes, seed: int = 7, log=print) -> dict:
    """Create the data set; returns the ids the measurements need."""
    rng = random.Random(seed)
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.all()}
    # The bench logs users in with force_login; nobody needs a password.
    recruiter = User.objects.create_user("bench-recruiter")
    recruiter.groups.add(groups[RECRUITER])
    managers = _bulk(
        User, [User(username=f"bench-manager-{i}") for i in range(sizes.hiring_managers)]
    )
    interviewers = _bulk(
        User, [User(username=f"bench-interviewer-{i}") for i in range(sizes.interviewers)]
    )
    Membership = User.groups.through
    _bulk(
        Membership,
        [Membership(user_id=u.pk, group_id=groups[HIRING_MANAGER].pk) for u in managers]
        + [Membership(user_id=u.pk, group_id=groups[INTERVIEWER].pk) for u in interviewers],
    )

    log("roles...")
    paths = sorted(BLUEPRINTS.glob("*.txt"))
    parsed = [parse_blueprint(p.read_bytes(), p.name) for p in paths]
    # Their import warnings dismissed as the recruiter reviewed them, so they publish.
    reviews = builtin_reviews()
    revisions = []
    for i in range(sizes.roles):
        # The same import path recruiters use, one copy of a built-in blueprint per role.
        blueprint = dataclasses.replace(
            parsed[i % len(parsed)],
            slug=f"{parsed[i % len(parsed)].slug}-{i}",
            title=f"{parsed[i % len(parsed)].title} {i}",
        )
        revision = import_parsed(
            blueprint,
            source_name=f"bench-{i}",
            source_sha256=f"bench-{i}",
            publish=True,
            dismissals=reviews[paths[i % len(paths)].name],
        ).revision
        dims = list(revision.dimensions.all())
        signals = list(revision.signals.all())
        stages = list(revision.stages.prefetch_related("focus_dimensions"))
        focus = {st.pk: {d.pk for d in st.focus_dimensions.all()} for st in stages}
        revisions.append((revision, dims, stages, focus, signals))

    log("candidates and applications...")
    candidates = _bulk(
        Candidate,
        [
            Candidate(
                name=f"Candidate {i:05d}",
                email=f"candidate{i}@example.com",
                source=rng.choice(["referral", "linkedin", "agency", "careers page"]),
            )
            for i in range(sizes.candidates)
        ],
    )
    app_revisions = [revisions[i % len(revisions)] for i in range(sizes.applications)]
    applications = _bulk(
        Application,
        [
            Application(
                candidate=candidates[i],
                revision=app_revisions[i][0],
                recruiter=recruiter,
                hiring_manager=managers[i % len(managers)],
            )
            for i in range(sizes.applications)
        ],
    )

    log("interviews and scorecards...")
    now = timezone.now()
    interviews = []
    for i, application in enumerate(applications):
        _, _, stages, _, _ = app_revisions[i]
        chosen = rng.sample(interviewers, sizes.interviews_per_application)
        for k, interviewer in enumerate(chosen):
            interviews.append(
                Interview(
                    application=application,
                    stage=stages[k % len(stages)],
                    interviewer=interviewer,
                    scheduled_at=now + timedelta(hours=rng.randint(-24 * 60, 24 * 14)),
                )
            )
    interviews = _bulk(Interview, interviews)
    SUBMITTED, DRAFT = Scorecard.Status.SUBMITTED, Scorecard.Status.DRAFT
    cards = _bulk(
        Scorecard,
        [
            Scorecard(
                interview=iv,
                status=SUBMITTED if rng.random() < 0.85 else DRAFT,
                recommendation=rng.choice(["strong_no", "no", "yes", "yes", "strong_yes"]),
                summary="Solid on fundamentals; see evidence per dimension.",
                submitted_at=now,
            )
            for iv in interviews
        ],
    )

    log("ratings...")
    revision_of = {a.pk: app_revisions[i] for i, a in enumerate(applications)}
    ratings, checks = [], []
    for iv, card in zip(interviews, cards, strict=True):
        _, dims, _, focus, signals = revision_of[iv.application_id]
        focus_ids = focus[iv.stage_id]
        for d in dims:
            rated = d.pk in focus_ids or rng.random() < 0.6
            ratings.append(
                Rating(
                    scorecard=card,
                    dimension=d,
                    score=rng.randint(1, 5) if rated else None,
                    evidence=rng.choice(EVIDENCE) if rated else "",
                )
            )
        if signals and rng.random() < 0.5:
            checks.append(SignalCheck(scorecard=card, signal=rng.choice(signals)))
        if len(ratings) >= 50_000:
            _bulk(Rating, ratings)
            ratings = []
    _bulk(Rating, ratings)
    _bulk(SignalCheck, checks)
    if connection.vendor == "postgresql":
        # Loaded in this transaction, the tables have no statistics yet: the planner would
        # scan every interview for each application (hours at --scale 10).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE hiring_interview, scorecards_scorecard, hiring_application")
    # bulk_create sends no signal: count the cards as panel_changed() would have.
    count_cards(Application.objects.all())

    busiest = interviewers[0]
    # A draft: the scorecard page of a submitted card redirects to its read-only view.
    sample_interview = (
        Interview.objects.filter(interviewer=busiest, scorecard__status=Scorecard.Status.DRAFT)
        .order_by("pk")
        .first()
    ) or Interview.objects.filter(interviewer=busiest).order_by("pk").first()
    return {
        "recruiter": recruiter.pk,
        "manager": applications[0].hiring_manager_id,
        "interviewer": busiest.pk,
        "interview": sample_interview.pk,
        "application": sample_interview.application_id,
        "role": revisions[0][0].role.slug,
    }


def counts() -> dict:
    return {
        "roles": Role.objects.count(),
        "candidates": Candidate.objects.count(),
        "applications": Application.objects.count(),
        "interviews": Interview.objects.count(),
        "scorecards": Scorecard.objects.count(),
        "ratings": Rating.objects.count(),
    }


def reusable(sizes: Sizes, ids: dict | None) -> bool:
    """The bench database holds the data set of this size that `ids` describes."""
    if not ids or counts()["applications"] != sizes.applications:
        return False
    User = get_user_model()
    return (
        User.objects.filter(pk=ids["recruiter"], username="bench-recruiter").exists()
        and Application.objects.filter(pk=ids["application"]).exists()
    )


def _suffix(scale: float) -> str:
    # Each size keeps a data set of its own, so a full-size run does not throw away a
    # kept `--scale 10` one (building that takes minutes).
    return "" if scale == 1 else "_s" + f"{scale:g}".replace(".", "_")


def database_name(vendor: str, scale: float = 1) -> str:
    """The bench database of this size: a file beside manage.py on SQLite, a database of
    its own on PostgreSQL; never the app's."""
    if vendor == "sqlite":
        return str(settings.BASE_DIR / f"bench{_suffix(scale)}.sqlite3")
    return f"scorecards_bench{_suffix(scale)}"


def ids_path(vendor: str, scale: float = 1) -> Path:
    """Where a kept bench database's ids are remembered, one file per database kind and size."""
    return settings.BASE_DIR / f".bench-ids-{vendor}{_suffix(scale)}.json"
