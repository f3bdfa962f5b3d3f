"""Demo candidates, applications, interview loops and scorecards in every state.

`create_demo_data(users)` is called by `manage.py demo` after the built-in roles are
loaded. It uses the newest published revision of every role, and tells the whole story
across them: applications not started, in progress (a draft, an overdue draft, a
reopened card), ready to decide, hired, not hired, decided against a hire
recommendation, split between the interviewers, capped by a red flag, withdrawn, and
knocked out by the knock-out bar it gives the first role (`knockout_revision`); and a
year of hires of one role with their performance reviews (`COHORT`), for the Validity
page and calibration's agreement. It writes through the models' own methods (so the
scorecards, decisions and withdrawal have real history), and is idempotent: running it
again finds what it made (the knock-out revision, candidates by email, applications by
candidate and role, interviews by stage and interviewer, decisions, reviews and
withdrawals already recorded) and only moves interview times along with the clock, so
"upcoming" and "overdue" stay true.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from hiring import outbox
from hiring.models import Application, Candidate, Decision, Interview, PerformanceReview
from roles.models import Dimension, InterviewStage, PublishError, RoleRevision, Signal
from roles.services import clone_revision
from scorecards.models import Scorecard, ScorecardContent

# What an interviewer might write about a dimension, by a keyword of its name: what a
# strong answer showed, and what a weak one lacked.
EVIDENCE = (
    (
        ("llm", "rag"),
        "compared chunking strategies and proposed evaluating retrieval separately from "
        "generation, with a small labelled set",
        "treated the LLM as a black box; no idea how to measure hallucinations",
    ),
    (
        ("design", "architecture", "end-to-end"),
        "sketched ingestion, retrieval and serving as separate tiers, gave a latency budget "
        "per hop and said where caching pays off",
        "jumped straight to a vector database without asking about load, latency or "
        "failure modes; no fallback when the model is down",
    ),
    (
        ("evaluation", "experiment"),
        "proposed an offline golden set plus an online A/B test with guardrail metrics, and "
        "explained why accuracy alone would mislead on this skewed data",
        "could not say how they would know the new model is better beyond 'the accuracy "
        "went up'; no baseline",
    ),
    (
        ("mlops", "operation", "lifecycle", "production"),
        "described registry promotion gates, a canary rollout and a drift alert that pages "
        "the owning team; has run this in production",
        "deployment story ended at 'we put it in a container'; no monitoring, no rollback",
    ),
    (
        ("software", "quality"),
        "wrote clean, tested code in the pairing part; refactored the retry logic unprompted "
        "and named the edge cases",
        "code worked for the happy path only; no tests, and unsure how to structure it once "
        "it grew",
    ),
    (
        ("communication", "stakeholder", "collaboration", "documentation"),
        "explained the trade-off to me as a non-technical stakeholder in two sentences and "
        "checked that I had understood",
        "answers were long and jargon-heavy; did not adapt when I asked for the short version",
    ),
    (
        ("security", "privacy", "governance", "responsible"),
        "raised PII redaction before logging, asked who signs off model changes, and "
        "mentioned a bias check on the main segments",
        "did not consider personal data in the prompts or logs until I asked directly",
    ),
    (
        ("leadership", "influence", "mentorship", "senior", "delivery"),
        "gave a concrete story of unblocking two teams by agreeing a shared data contract; "
        "mentors two juniors today",
        "examples were all individual work; unclear how they would bring a sceptical team along",
    ),
    (
        ("data",),
        "asked about label quality and lineage first, and proposed a data contract with the "
        "upstream team",
        "assumed the data was clean; missed the obvious leakage in the example features",
    ),
    (
        ("framing", "value"),
        "turned the vague ask into a measurable target (handling time down 15%) with a "
        "baseline to beat",
        "started building before asking what success would look like for the business",
    ),
    (
        ("cost", "performance"),
        "estimated cost per request and proposed routing the easy 80% to a cheaper model",
        "no sense of what the design would cost to run at the stated volume",
    ),
    (
        ("pragmatism", "judgment", "judgement"),
        "cut scope to a rules-based fallback for launch and kept the model for phase two",
        "insisted on the most complex option even when I offered a simpler path",
    ),
    (
        ("ml", "model", "fundamental", "competen"),
        "chose a gradient-boosted baseline before deep learning and explained the "
        "bias/variance trade-off clearly",
        "mixed up precision and recall, and could not explain when to prefer a simpler model",
    ),
)
DEFAULT_EVIDENCE = (
    "gave specific, well-reasoned examples from recent projects",
    "stayed general; no concrete example even when asked twice",
)


def evidence_for(dimension_name: str, score: int) -> str:
    name = dimension_name.lower()
    strong, weak = next(
        ((s, w) for keys, s, w in EVIDENCE if any(k in name for k in keys)), DEFAULT_EVIDENCE
    )
    return {
        5: f"Exceptional: {strong}. Anticipated my follow-up questions.",
        4: f"Above the bar: {strong}.",
        3: f"Meets the bar: {strong.split(';')[0].split(', and')[0]}, though without much depth.",
        2: f"Below the bar: {weak}.",
        1: f"Well below the bar: {weak}, even after two hints.",
    }[score]


@dataclass(frozen=True)
class CardPlan:
    """One interviewer's interview on an application, and how far their card got."""

    interviewer: str
    stage_index: int
    hours_from_now: float  # negative: in the past
    state: str  # not_started, draft, submitted, reopened
    scores: tuple[int, ...] = ()  # for the stage's focus dimensions, then the others
    recommendation: str = ""
    summary: str = ""
    strong: int = 0  # how many strong signals to tick
    weak: int = 0
    red_flag: str = ""  # a note: tick the first red flag with it


@dataclass(frozen=True)
class ApplicationPlan:
    name: str
    email: str
    source: str
    role_index: int  # 0 is the role given a knock-out bar (knockout_revision)
    cards: tuple[CardPlan, ...]
    decision: tuple[str, str] = ()  # (outcome, rationale), by the hiring manager
    withdrawn: str = ""  # the reason the recruiter records, once the cards are in
    # (days after the hire, 1-5): the hiring manager's performance reviews, those already
    # due; the hire is dated a few days after the last interview.
    reviews: tuple[tuple[int, int], ...] = ()


PLANS = (
    ApplicationPlan(
        "Priya Raman",
        "priya.raman@example.com",
        "referral",
        0,
        (
            CardPlan(
                "interviewer1",
                0,
                -72,
                "submitted",
                (4, 5, 4, 4),
                "strong_yes",
                "Clear, structured thinker with production scars. Would raise the bar.",
                strong=2,
            ),
            CardPlan(
                "interviewer2",
                1,
                -50,
                "submitted",
                (4, 3, 4),
                "yes",
                "Solid across the board; a little light on cost trade-offs.",
                strong=1,
            ),
        ),
    ),
    ApplicationPlan(
        "Marcus Feldman",
        "marcus.feldman@example.com",
        "LinkedIn",
        0,
        (
            CardPlan(
                "interviewer1",
                0,
                -96,
                "submitted",
                (2, 3, 2),
                "no",
                "Good vocabulary, but the design fell apart under follow-up questions.",
                weak=1,
                red_flag="Said he would 'just ship it and fix it in prod' for a model "
                "that approves refunds, and dismissed monitoring as overhead.",
            ),
            CardPlan("interviewer2", 1, -60, "not_started"),
        ),
    ),
    ApplicationPlan(
        "Sofia Alvarez",
        "sofia.alvarez@example.com",
        "careers page",
        1,
        (
            CardPlan("interviewer1", 0, -5, "draft", (4, 3), "yes", strong=1),
            CardPlan("interviewer2", 1, 26, "not_started"),
        ),
    ),
    ApplicationPlan(
        "Daniel Okafor",
        "daniel.okafor@example.com",
        "agency",
        1,
        (
            CardPlan(
                "interviewer1",
                0,
                -120,
                "reopened",
                (3, 4, 3),
                "yes",
                "Capable engineer, steady under pressure.",
                strong=1,
            ),
            CardPlan(
                "interviewer2",
                1,
                -100,
                "submitted",
                (3, 3, 2, 3),
                "no",
                "Fine on the basics, but I did not see senior-level ownership.",
                weak=2,
            ),
        ),
    ),
    ApplicationPlan(
        "Hannah Lindqvist",
        "hannah.lindqvist@example.com",
        "referral",
        2,
        (
            CardPlan("interviewer1", 0, -40, "draft", (5,), "", strong=1),
            CardPlan("interviewer2", 1, 72, "not_started"),
        ),
    ),
    ApplicationPlan(
        "Tomás Herrera",
        "tomas.herrera@example.com",
        "conference",
        2,
        (
            CardPlan("interviewer1", 0, 150, "not_started"),
            CardPlan("interviewer2", 1, 170, "not_started"),
        ),
    ),
)
# The rest of the story, one application each (the state is in the comment): decided,
# decided against the recommendation, split, vetoed, withdrawn, knocked out.
PLANS += (
    # Hired: the panel recommends hire and the manager agrees.
    ApplicationPlan(
        "Amara Nwosu",
        "amara.nwosu@example.com",
        "referral",
        3,
        (
            CardPlan(
                "interviewer1",
                0,
                -240,
                "submitted",
                (4, 4, 4, 5, 4, 4),
                "strong_yes",
                "Designed for failure from the first minute; the best system design I have seen "
                "this quarter.",
                strong=2,
            ),
            CardPlan(
                "interviewer2",
                1,
                -220,
                "submitted",
                (4, 4, 3, 4, 4, 4),
                "yes",
                "Clean, tested code and a calm explanation of every trade-off.",
                strong=1,
            ),
        ),
        decision=("hire", "Strong on every dimension; both interviewers recommend hiring."),
    ),
    # Not hired: the panel recommends no hire and the manager agrees.
    ApplicationPlan(
        "Kenji Watanabe",
        "kenji.watanabe@example.com",
        "LinkedIn",
        4,
        (
            CardPlan(
                "interviewer1",
                0,
                -200,
                "submitted",
                (2, 2, 2, 3, 2, 2),
                "no",
                "Could not take the design past a single notebook.",
                weak=2,
            ),
            CardPlan(
                "interviewer2",
                1,
                -180,
                "submitted",
                (2, 3, 2, 2, 2, 2),
                "strong_no",
                "The coding exercise stalled at the first edge case.",
                weak=1,
            ),
        ),
        decision=("no_hire", "Below the bar on production engineering and MLOps."),
    ),
    # Decided against a hire recommendation (with the rationale that justifies it).
    ApplicationPlan(
        "Lena Fischer",
        "lena.fischer@example.com",
        "careers page",
        2,
        (
            CardPlan(
                "interviewer1",
                0,
                -160,
                "submitted",
                (4, 4, 3, 4, 3),
                "yes",
                "Sharp problem framing; turned the vague ask into a measurable target.",
                strong=1,
            ),
            CardPlan(
                "interviewer2",
                1,
                -150,
                "submitted",
                (3, 4, 4, 3, 3),
                "yes",
                "Handled the incident scenario well and kept the stakeholders informed.",
            ),
        ),
        decision=(
            "no_hire",
            "The panel recommends hire, but the role needs client-facing delivery leadership "
            "from day one, and her references did not confirm it. Acknowledged the "
            "recommendation.",
        ),
    ),
    # A disagreement: one interviewer says strong yes, the other no, two points apart on
    # the same dimension; no decision yet.
    ApplicationPlan(
        "Rafael Costa",
        "rafael.costa@example.com",
        "agency",
        3,
        (
            CardPlan(
                "interviewer1",
                0,
                -70,
                "submitted",
                (5, 4, 4, 4, 4, 3),
                "strong_yes",
                "Outstanding production ML depth; ready to lead the platform.",
                strong=2,
            ),
            CardPlan(
                "interviewer2",
                1,
                -48,
                "submitted",
                (2, 3, 2, 3, 3, 2),
                "no",
                "Rushed the coding exercise and skipped the tests when asked about them.",
                weak=2,
            ),
        ),
    ),
    # A red-flag veto: ratings good enough for hire, but a red flag caps it at no hire.
    ApplicationPlan(
        "Ingrid Berg",
        "ingrid.berg@example.com",
        "conference",
        4,
        (
            CardPlan(
                "interviewer1",
                0,
                -90,
                "submitted",
                (4, 4, 4, 4, 4, 3),
                "yes",
                "Strong technically, but see the red flag.",
                strong=1,
                red_flag="Proposed logging full customer prompts, personal data included, to a "
                "third-party analytics tool, and brushed off the privacy question.",
            ),
            CardPlan(
                "interviewer2",
                1,
                -75,
                "submitted",
                (4, 3, 4, 4, 3, 4),
                "yes",
                "Good engineer; clear and well-structured answers.",
                strong=1,
            ),
        ),
    ),
    # Withdrawn by the candidate after the first interview; the second card is no
    # longer expected.
    ApplicationPlan(
        "Yusuf Demir",
        "yusuf.demir@example.com",
        "referral",
        1,
        (
            CardPlan(
                "interviewer1",
                0,
                -130,
                "submitted",
                (4, 3, 4, 3, 4, 3),
                "yes",
                "Broad architecture experience; good instincts on cost.",
                strong=1,
            ),
            CardPlan("interviewer2", 1, -110, "not_started"),
        ),
        withdrawn="Accepted another offer.",
    ),
    # A knock-out: a good weighted score, but the role's knock-out dimension is below
    # its minimum, which caps the recommendation at no hire.
    ApplicationPlan(
        "Chloé Martin",
        "chloe.martin@example.com",
        "LinkedIn",
        0,
        (
            CardPlan(
                "interviewer1",
                0,
                -84,
                "submitted",
                (2, 4, 4, 4, 4),
                "yes",
                "Excellent on operations, but the system design itself had no failure story.",
                strong=1,
            ),
            CardPlan(
                "interviewer2",
                1,
                -66,
                "submitted",
                (4, 4, 4, 2, 4),
                "yes",
                "Very good hands-on coder.",
                strong=1,
            ),
        ),
    ),
)
# A year of hires of one role (role_index COHORT_ROLE), each reviewed by their hiring
# manager after 90 days and, for those hired over a year ago, after a year: the outcomes
# that the Validity page sets the interview scores against (scatter, r, n >= 10), and two
# cards on each, so calibration's agreement (Krippendorff's alpha) has data too. Each
# person has a true level; the interviewers' ratings and the reviews scatter around it.
COHORT_ROLE = 3
COHORT = (
    ("Aiko Tanaka", 3.1),
    ("Benjamin Osei", 4.5),
    ("Carla Mendes", 3.4),
    ("Dmitri Volkov", 3.9),
    ("Elif Yılmaz", 4.2),
    ("Farid Haddad", 3.0),
    ("Grace Kim", 4.0),
    ("Hugo Lefèvre", 3.6),
    ("Isabel Cruz", 4.4),
    ("Jonas Berg", 3.3),
    ("Kavya Iyer", 3.8),
    ("Liam O'Brien", 4.1),
)
# How far an interviewer's rating or a review lands from a person's level (fixed, so the
# demo is the same on every run).
_SCATTER = (-0.6, 0.4, -0.2, 0.7, 0.0, -0.4, 0.3, -0.7, 0.5, 0.1, -0.3, 0.6, -0.1)
_REVIEW_SCATTER = (0.3, -0.8, 0.2, 0.6, -0.5, 0.1, -0.9, 0.6, -0.3, 0.5, -0.6, 0.2)
REVIEW_NOTES = {
    1: "Struggling with the basics of the role; on an improvement plan.",
    2: "Needs close support on production work; some progress.",
    3: "Doing the job well; delivers what was agreed.",
    4: "Ahead of plan; took ownership of a production service.",
    5: "Outstanding: leads the team's hardest work and raises everyone's bar.",
}


def _level(value: float) -> int:
    return max(1, min(5, round(value)))


def _cohort_plans() -> tuple["ApplicationPlan", ...]:
    plans = []
    for n, (name, level) in enumerate(COHORT):
        first, _, last = name.partition(" ")
        email = f"{first}.{last}".lower().replace("'", "").replace("ı", "i").replace("è", "e")
        cards = []
        for who, (interviewer, stage, phase) in enumerate(
            (("interviewer1", 0, n), ("interviewer2", 1, 3 * n + 5))
        ):
            scores = tuple(_level(level + _SCATTER[(phase + k) % len(_SCATTER)]) for k in range(8))
            mean = sum(scores) / len(scores)
            recommendation = "strong_yes" if mean >= 4.2 else "yes" if mean >= 3 else "no"
            cards.append(
                CardPlan(
                    interviewer,
                    stage,
                    -24 * (420 - 25 * n) + 3 * who,
                    "submitted",
                    scores,
                    recommendation,
                    "Solid, specific answers throughout." if mean >= 3.5 else "Meets the bar.",
                    strong=1 if mean >= 4 else 0,
                )
            )
        plans.append(
            ApplicationPlan(
                name,
                f"{email}@example.com",
                "referral" if n % 3 == 0 else "LinkedIn",
                COHORT_ROLE,
                tuple(cards),
                decision=("hire", "The panel recommends hiring; references confirm it."),
                reviews=(
                    (90, _level(level + _REVIEW_SCATTER[n] + 0.2)),
                    (365, _level(level + 0.8 * _REVIEW_SCATTER[n])),
                ),
            )
        )
    return tuple(plans)


PLANS += _cohort_plans()
REOPEN_REASON = (
    "The summary says 'steady under pressure' but the system design rating has no "
    "evidence of how the candidate handled the load question. Please add it."
)


def _revisions() -> list[RoleRevision]:
    """The newest published revision of each role that has stages and dimensions."""
    revisions = (
        RoleRevision.objects.published()
        .select_related("role")
        .prefetch_related(
            Prefetch(
                "stages",
                queryset=InterviewStage.objects.prefetch_related("focus_dimensions"),
            ),
            "dimensions",
            "signals",
        )
        .order_by("role__title", "-number")
    )
    newest = {}
    for revision in revisions:
        if revision.role_id not in newest and revision.stages.all() and revision.dimensions.all():
            newest[revision.role_id] = revision
    return list(newest.values())


# The knock-out bar the demo gives the first role: its first stage's first focus
# dimension must at least meet the bar.
KNOCKOUT_MIN_SCORE = 3


def knockout_revision(revision: RoleRevision, recruiter) -> bool:
    """Give `revision`'s role a knock-out bar, as a recruiter would in the editor: a new
    revision with KNOCKOUT_MIN_SCORE on its first stage's first focus dimension, published
    (the one it came from is archived; applications keep theirs). Returns whether a new
    revision was made: none when `revision` has the bar already (a second run) or its
    loop has no focus to put it on."""
    stage = next(iter(revision.stages.all()), None)
    focus = list(stage.focus_dimensions.all()) if stage else []
    if not focus or any(d.min_score for d in revision.dimensions.all()):
        return False
    pk_map: dict[str, dict[int, int]] = {}
    try:
        with transaction.atomic():
            copy = clone_revision(revision, recruiter, pk_map)
            dimension = Dimension.objects.get(pk=pk_map["dimensions"][focus[0].pk])
            dimension.min_score = KNOCKOUT_MIN_SCORE
            dimension._history_user = recruiter
            dimension.save()
            copy.publish(by=recruiter)
    except PublishError:
        return False  # a role that cannot be published keeps its loop, without the bar
    return True


def create_demo_data(users: dict) -> None:
    revisions = _revisions()
    if not revisions:
        return
    if knockout_revision(revisions[0], users["recruiter"]):
        revisions = _revisions()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    # Made up, so nobody is emailed about it (a demo manager's "panel ready").
    with transaction.atomic(), outbox.silenced():
        for plan in PLANS:
            revision = revisions[plan.role_index % len(revisions)]
            candidate = Candidate.objects.filter(email__iexact=plan.email).first()
            if candidate is None:
                candidate = Candidate.objects.create(
                    name=plan.name, email=plan.email, source=plan.source
                )
            application = Application.objects.filter(
                candidate=candidate, revision__role_id=revision.role_id
            ).first() or Application.objects.create(
                candidate=candidate,
                revision=revision,
                recruiter=users["recruiter"],
                hiring_manager=users["manager"],
            )
            stages = list(application.revision.stages.all())
            for card_plan in plan.cards:
                interviewer = users[card_plan.interviewer]
                interview, _ = Interview.objects.update_or_create(
                    application=application,
                    stage=stages[card_plan.stage_index % len(stages)],
                    interviewer=interviewer,
                    defaults={"scheduled_at": now + timedelta(hours=card_plan.hours_from_now)},
                )
                if card_plan.state != "not_started" and not hasattr(interview, "scorecard"):
                    _fill(interview, card_plan, users)
            _close(application, plan, users)


def _close(application, plan: ApplicationPlan, users) -> None:
    """The plan's decision, reviews or withdrawal, once: a second run finds them recorded."""
    if plan.decision and not application.decisions.exists():
        outcome, rationale = plan.decision
        decision, _ = application.record_decision(outcome, rationale, by=application.hiring_manager)
        if plan.reviews:
            # A past hire: decided a few days after the last interview.
            last = max(card.hours_from_now for card in plan.cards)
            decided_at = timezone.now() + timedelta(hours=last + 24 * 5)
            Decision.objects.filter(pk=decision.pk).update(decided_at=decided_at)
            _review(application, plan, decided_at)
    if plan.withdrawn and application.status == Application.Status.ACTIVE:
        application.withdraw(users["recruiter"], plan.withdrawn)


def _review(application, plan: ApplicationPlan, hired_at) -> None:
    today = timezone.localdate()
    for days, rating in plan.reviews:
        reviewed_on = timezone.localdate(hired_at) + timedelta(days=days)
        if reviewed_on > today:
            continue  # not due yet
        review = PerformanceReview(
            application=application,
            rating=rating,
            reviewed_on=reviewed_on,
            note=REVIEW_NOTES[rating],
            recorded_by=application.hiring_manager,
        )
        review.full_clean()
        review.save()


def _fill(interview, plan: CardPlan, users) -> None:
    revision = interview.application.revision
    focus = list(interview.stage.focus_dimensions.all())
    others = [d for d in Dimension.objects.filter(revision=revision) if d not in focus]
    ratings = {}
    for dimension, score in zip(focus + others, plan.scores, strict=False):
        ratings[dimension.id] = (score, evidence_for(dimension.name, score))
    signals = {}
    by_kind = {kind: [] for kind in Signal.Kind.values}
    for signal in Signal.objects.filter(revision=revision):
        by_kind[signal.kind].append(signal)
    for signal in by_kind[Signal.Kind.STRONG][: plan.strong]:
        signals[signal.id] = ""
    for signal in by_kind[Signal.Kind.WEAK][: plan.weak]:
        signals[signal.id] = "Came up twice during the exercise."
    if plan.red_flag and by_kind[Signal.Kind.RED_FLAG]:
        signals[by_kind[Signal.Kind.RED_FLAG][0].id] = plan.red_flag
    content = ScorecardContent(
        ratings=ratings, signals=signals, recommendation=plan.recommendation, summary=plan.summary
    )
    interviewer = interview.interviewer
    card = Scorecard.objects.create(interview=interview, version=0)
    if plan.state == "draft":
        card.save_draft(content, card.version, interviewer)
        return
    card.submit(_complete(card, content), card.version, interviewer)
    if plan.state == "reopened":
        card.reopen(users["recruiter"], REOPEN_REASON)


def _complete(card, content: ScorecardContent) -> ScorecardContent:
    """Rate any focus dimension the plan left out, so the demo card can be submitted."""
    focus = card.interview.stage.focus_dimensions.all()
    for dimension in focus:
        if content.ratings.get(dimension.id, (None, ""))[0] is None:
            content.ratings[dimension.id] = (3, evidence_for(dimension.name, 3))
    return content
