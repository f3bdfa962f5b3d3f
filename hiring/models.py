"""Who is being interviewed for what, by whom, and what was decided."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Coalesce, Greatest, Lower
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from hiring.blind import new_candidate_code
from hiring.events import application_created, decision_recorded
from hiring_site.access import is_recruiter
from roles import scoring_policy
from roles.models import Dimension, InterviewStage, RoleRevision, Signal
from roles.scoring_policy import RECOMMENDATION_LABELS


class CandidateQuerySet(models.QuerySet):
    def not_erased(self):
        return self.filter(erased_at__isnull=True)

    def past_retention(self, cutoff):
        """The candidates not yet erased whose data may go (apply_retention): none of
        their applications is active (a hold keeps one active), and the last of them
        closed (a decision or a withdrawal moved it to hired, rejected or withdrawn, as
        its history records) before `cutoff`; a candidate who never applied, added
        before it."""
        closed = (
            Application.history.filter(candidate_id=models.OuterRef("pk"))
            .exclude(status=Application.Status.ACTIVE)
            .order_by("-history_date")
            .values("history_date")[:1]
        )
        active = Application.objects.filter(
            candidate=models.OuterRef("pk"), status=Application.Status.ACTIVE
        )
        applied = Application.objects.filter(candidate=models.OuterRef("pk"))
        return (
            self.not_erased()
            .annotate(last_closed=models.Subquery(closed))
            .filter(~models.Exists(active))
            .filter(
                models.Q(last_closed__lt=cutoff)
                | models.Q(~models.Exists(applied), created_at__lt=cutoff)
            )
        )


class Candidate(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    source = models.CharField(max_length=100, blank=True, help_text="e.g. referral, LinkedIn")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by erase(): the name, email and source are placeholders (ERASED_NAME) and
    # every free text about the candidate is redacted; the scores stay.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # For the API's ?updated_since= (an ATS syncing what changed).
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    ERASED_NAME = "Erased candidate #{}"
    ERASED_EMAIL = "erased-{}@erased.invalid"

    class Meta:
        ordering = ["name", "id"]
        # The candidates list pages through everyone in this order.
        indexes = [models.Index(fields=["name", "id"], name="hiring_cand_name_id_idx")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="unique_candidate_email_ci",
                violation_error_message="Another candidate already uses this email address.",
            ),
        ]

    def __str__(self):
        if self.erased_at is not None:
            return self.name
        return f"{self.name} <{self.email}>"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def erase(self, by, reason: str) -> bool:
        """Remove who the candidate is and everything written about them, keeping the
        scores (hiring.erasure.erase_candidate). `by` is the recruiter (None: the
        retention command); `reason` goes to the audit log. Returns False when the
        candidate was erased already (nothing written)."""
        from hiring.erasure import erase_candidate

        return erase_candidate(self, by=by, reason=reason)


# `record_decision(seen=...)` left out: the caller does not say what it saw (a script,
# the shell), so no staleness check is made.
UNCHECKED = object()


class StaleDecision(Exception):
    """Another decision was recorded since the decider loaded the page: nothing written."""

    def __init__(self, latest: "Decision | None"):
        super().__init__("Another decision was recorded since this page was loaded.")
        self.latest = latest


class ApplicationQuerySet(models.QuerySet):
    """Blindness lives here: a person who interviews the candidate sees none of the
    others' results (ratings, evidence, scores, recommendations, red flags, means,
    anything derived from others' cards) until every card of theirs on the application
    is submitted. Every page and format showing results goes through
    results_visible_to (and scorecards' Scorecard.objects.readable_by, built on it)."""

    @staticmethod
    def results_visible_q(user, prefix: str = "") -> models.Q:
        """The rule as a filter, on Application (`prefix` ""), or on a model reaching an
        application through `prefix` (e.g. "interview__application__" on Scorecard):
        recruiters every application, hiring managers their own, interviewers those they
        interview on; in every case none where `user` has an interview whose card is not
        submitted (no card, a draft or a reopened one)."""
        scope, awaiting = _results_rule(user, prefix)
        return ~awaiting if scope is None else scope & ~awaiting

    @staticmethod
    def results_awaiting_own_card_q(user, prefix: str = "") -> models.Q:
        """The other half, as a filter like results_visible_q's: the applications whose
        results `user` would see but for a card of their own not yet submitted, so
        they will once it is (what a page hidden from them may say)."""
        scope, awaiting = _results_rule(user, prefix)
        return awaiting if scope is None else scope & awaiting

    def results_visible_to(self, user):
        """The applications whose results `user` may see."""
        return self.filter(self.results_visible_q(user))

    def with_decision(self, at: bool = False):
        """Each application with `decision`: the outcome of its newest decision (the one
        that counts), or None; and with `at`, `decided_at`, when it was recorded."""
        newest = Decision.objects.filter(application=models.OuterRef("pk")).order_by(
            "-decided_at", "-id"
        )
        fields = {"decision": models.Subquery(newest.values("outcome")[:1])}
        if at:
            fields["decided_at"] = models.Subquery(newest.values("decided_at")[:1])
        return self.annotate(**fields)

    def with_progress(self):
        """Each application with its decision (with_decision) and `last_activity`, the
        newest of its opening, a save of one of its cards and a decision (how far it is
        are its own columns `cards_expected` and `cards_submitted`). Card states, not
        results: nothing of what a card says."""
        interviews = Interview.objects.filter(application=models.OuterRef("pk")).order_by()
        newest_decision = (
            Decision.objects.filter(application=models.OuterRef("pk"))
            .order_by("-decided_at", "-id")
            .values("decided_at")[:1]
        )
        newest_card = (
            interviews.filter(scorecard__isnull=False)
            .order_by("-scorecard__updated_at")
            .values("scorecard__updated_at")[:1]
        )
        created = models.F("created_at")
        return self.with_decision().annotate(
            last_activity=Greatest(
                created,
                Coalesce(models.Subquery(newest_card), created),
                Coalesce(models.Subquery(newest_decision), created),
            ),
        )

    def results_hidden_from(self, user):
        """Those of these applications whose results `user` may not see: the complement
        of results_visible_to, for list pages that show every row but blank some. For a
        recruiter it is driven by their own interviews alone, so it stays quick however
        long the list."""
        return self.filter(_results_hidden_q(user))

    def with_results_hidden(self, user):
        """Each application with `results_hidden`: whether results_hidden_from(user)
        holds it, read with the rows instead of in a query of its own."""
        return self.annotate(
            results_hidden=models.ExpressionWrapper(
                _results_hidden_q(user), output_field=models.BooleanField()
            )
        )

    @staticmethod
    def ready_to_decide_q() -> models.Q:
        """Active, and every interview of its loop (one at least) has its card submitted."""
        return models.Q(
            status=Application.Status.ACTIVE,
            cards_expected__gt=0,
            cards_submitted=models.F("cards_expected"),
        )

    @staticmethod
    def panels_readable_q(user, prefix: str = "") -> models.Q:
        """panels_readable_by as a filter, on Application (`prefix` "") or on a model
        reaching an application through `prefix` (e.g. "interview__application__"), as
        results_visible_q: an empty Q (every row) for a recruiter."""
        if is_recruiter(user):
            return models.Q()
        if not user.is_authenticated:
            return models.Q(**{f"{prefix}pk__in": []})
        return models.Q(**{f"{prefix}hiring_manager": user})

    def panels_readable_by(self, user):
        """The applications whose panel `user` may open, before the blindness rule: a
        recruiter every one (recruiters run every loop), anyone else those they are the
        hiring manager of (DESIGN.md: "panel, decision"). The rest answer 404, so that
        another manager's candidates are not even known to exist. The panel's page and
        its API (scorecards.access), the pipeline, its CSV and the debrief, calibration,
        validity and the API's applications read this scope (the application's page has
        the same one); Application.panel_readable_by is the same rule for a row already
        read. Results are then shown only where results_visible_to holds too."""
        return self.filter(self.panels_readable_q(user))


def _count(interviews) -> Coalesce:
    """The number of `interviews` (correlated to an outer application), as a subquery:
    counted per application, not joined, so nothing else of the row is grouped."""
    counted = interviews.values("application").annotate(n=models.Count("pk")).values("n")
    return Coalesce(models.Subquery(counted), 0)


def _results_rule(user, prefix: str = "") -> tuple[models.Q | None, models.Q]:
    """The two halves of results_visible_q: the applications `user` has results in
    view of (None: all of them), and those where one of their own cards is awaited."""
    if not user.is_authenticated:
        return models.Q(**{f"{prefix}pk__in": []}), models.Q(**{f"{prefix}pk__in": []})
    awaiting = models.Q(
        **{f"{prefix}pk__in": _interviews_awaiting_card(user).values("application_id")}
    )
    if is_recruiter(user):
        return None, awaiting
    interviewed = Interview.objects.filter(interviewer=user).values("application_id")
    scope = models.Q(**{f"{prefix}hiring_manager": user}) | models.Q(
        **{f"{prefix}pk__in": interviewed}
    )
    return scope, awaiting


def _results_hidden_q(user) -> models.Q:
    scope, awaiting = _results_rule(user)
    return awaiting if scope is None else ~scope | awaiting


def _interviews_awaiting_card(user):
    """`user`'s interviews whose card is not submitted: what keeps them blind."""
    return Interview.objects.filter(interviewer=user).filter(
        ~models.Q(scorecard__status="submitted")
    )


class Application(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        HIRED = "hired", "Hired"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    # Pinned at creation: later edits of the role make new revisions, never touch this one.
    revision = models.ForeignKey(
        RoleRevision, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="recruited_applications",
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What interviewers read instead of the name under blind review (hiring.blind):
    # random, so it tells nothing about the candidate, and kept through an erasure.
    candidate_code = models.CharField(
        max_length=16, default=new_candidate_code, editable=False, db_index=True
    )
    # Moves on whenever something the panel and the pipeline compute for the application
    # changes outside its own row: its interviews, their scorecards (and, through the
    # admin, a draft's ratings and signal checks), its decisions, the names of its
    # interviewers and deciders, its revision's scoring settings and rows (the receivers
    # at the end of this module and of scorecards.models). hiring.results_cache keeps
    # what the panel computes under it, and scorecards.models.Headline the pipeline's
    # headline with it. Only panel_changed() writes it: save() leaves it
    # alone, so a stale copy of the row never sets it back.
    panel_version = models.PositiveIntegerField(default=0, editable=False)
    # How far its loop is: its interviews (each owes one scorecard) and those whose card
    # is submitted. Counted again by panel_changed() with every move of panel_version
    # (the same changes move both), so that lists order and show them without adding
    # up every interview of every application they hold.
    cards_expected = models.PositiveIntegerField(default=0, editable=False)
    cards_submitted = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(
        excluded_fields=["panel_version", "cards_expected", "cards_submitted"]
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["revision", "status"]),
            models.Index(fields=["hiring_manager", "status"]),
        ]

    def __str__(self):
        return f"{self.candidate.name} for {self.revision.role.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            if kwargs.get("update_fields") is None:
                kwargs["update_fields"] = [
                    f.attname
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.attname not in PANEL_FIELDS
                ]
            super().save(*args, **kwargs)
            return
        # Every way an application is opened (the page, the admin, the demo, the API)
        # saves a new row here: its event is written in the same transaction.
        with transaction.atomic():
            super().save(*args, **kwargs)
            application_created.send(sender=Application, application=self)

    def get_absolute_url(self):
        return reverse("hiring:application_detail", args=[self.pk])

    def results_visible_to(self, user) -> bool:
        """Whether `user` may see this application's results (ApplicationQuerySet);
        one query."""
        return Application.objects.results_visible_to(user).filter(pk=self.pk).exists()

    def cards_awaited_from(self, user) -> list["Interview"]:
        """`user`'s interviews of this application whose card is not submitted, with
        their stage and card: why its results are hidden from them (one query)."""
        return list(
            _interviews_awaiting_card(user)
            .filter(application=self)
            .select_related("stage", "scorecard")
            .order_by("stage__order", "id")
        )

    # The same decision posted again this soon by the same person is a double submit.
    DUPLICATE_DECISION_WINDOW = timedelta(seconds=10)

    def record_decision(
        self, outcome: str, rationale: str, by, *, seen=UNCHECKED
    ) -> tuple["Decision", bool]:
        """Record `by`'s decision and make the status follow it; returns (decision, created).

        `seen` is the id of the newest decision the decider had in front of them (None:
        there was none). If another one was recorded since, StaleDecision is raised and
        nothing is written: a decision taken without seeing the latest one must not
        silently replace it. The row lock queues concurrent decisions, so the second
        one reads the first once it is committed and the status always matches the newest;
        the duplicate check runs first, inside the lock, so a double submit waits for the
        first and then finds it. Who may decide is the view's business, not this one's.
        """
        rationale = (rationale or "").strip()
        if outcome not in Decision.Outcome.values:
            raise ValueError(f"unknown decision outcome {outcome!r}")
        if not rationale:
            raise ValidationError("A decision needs a rationale.")
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=self.pk)
            if locked.status == self.Status.WITHDRAWN:
                raise ValidationError(
                    "The candidate has withdrawn from this application; it takes no decisions."
                )
            earlier = (
                locked.decisions.filter(
                    outcome=outcome,
                    rationale=rationale,
                    decided_by=by,
                    decided_at__gte=timezone.now() - self.DUPLICATE_DECISION_WINDOW,
                )
                .order_by("-decided_at", "-id")
                .first()
            )
            if earlier is not None:
                self.status = locked.status
                return earlier, False
            if seen is not UNCHECKED:
                latest = (
                    locked.decisions.select_related("decided_by")
                    .order_by("-decided_at", "-id")
                    .first()
                )
                if (latest.pk if latest else None) != seen:
                    self.status = locked.status
                    raise StaleDecision(latest)
            decision = Decision.objects.create(
                application=locked, outcome=outcome, rationale=rationale, decided_by=by
            )
            locked.status = Decision.STATUS_AFTER[outcome]
            locked.save(update_fields=["status"])
            decision.application = locked
            decision_recorded.send(sender=Decision, decision=decision)
        self.status = locked.status
        return decision, True

    # The history keeps the reason in its change-reason column, which holds this much.
    WITHDRAW_REASON_MAX = 100
    CLOSED_BY_DECISION = "A decision closed this application ({}); it can no longer be withdrawn."

    @property
    def closed_by_decision(self) -> bool:
        """Hired or rejected: statuses only a decision sets, and no withdrawal undoes."""
        return self.status in (self.Status.HIRED, self.Status.REJECTED)

    def withdraw(self, by, reason: str = "") -> bool:
        """The candidate withdraws: the status becomes withdrawn, and the application's
        history records who said so and why (`reason`, optional). Returns False when it
        was withdrawn already (a double submit: nothing written).

        Only an open application can be withdrawn: one closed by a hire or no-hire
        decision keeps the status the decision gave it (ValidationError, nothing
        written); after a hold, which leaves it open, the candidate may still withdraw.
        The row lock queues it with a decision recorded at the same moment: whichever
        comes second reads the first's status and is refused. Its interviews stay on the
        loop with whatever cards were written, but no card is expected any more: a
        withdrawn application's card is never overdue (CardState). Who may withdraw is
        the view's business."""
        reason = (reason or "").strip()
        if len(reason) > self.WITHDRAW_REASON_MAX:
            raise ValidationError(
                f"Keep the reason to {self.WITHDRAW_REASON_MAX} characters (it has {len(reason)})."
            )
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=self.pk)
            self.status = locked.status
            if locked.status == self.Status.WITHDRAWN:
                return False
            if locked.closed_by_decision:
                raise ValidationError(locked.CLOSED_BY_DECISION.format(locked.get_status_display()))
            locked.status = self.Status.WITHDRAWN
            locked._history_user = by
            locked._change_reason = reason or "Withdrawn"
            locked.save(update_fields=["status"])
            # Its cards' states (no longer overdue) are part of what the panel shows.
            panel_changed([locked.pk])
        self.status = locked.status
        return True

    def panel_readable_by(self, user) -> bool:
        """Whether `user` may open this application's panel: ApplicationQuerySet's
        panels_readable_by for a row already read (no query). The blindness rule
        (results_visible_to) is checked after it, so that a panel hidden by it can still
        say whose card it waits for."""
        return is_recruiter(user) or self.decidable_by(user)

    def decidable_by(self, user) -> bool:
        """Whether `user` records this application's decision: its hiring manager alone.
        A recruiter may open the panel but not decide: the decision is the hiring
        manager's call, and its history names who made it. record_decision leaves this
        check to its callers (the panel's decide and the API), which answer a recruiter
        403 and anyone else 404."""
        return user.is_authenticated and self.hiring_manager_id == user.pk


# A scorecard still not submitted this long after its interview is overdue.
SCORECARD_DUE_AFTER = timedelta(hours=24)


class CardState(models.TextChoices):
    """Where an interview's scorecard stands. One rule decides it, in this order: a
    submitted card is submitted; a reopened one (its reopen_reason set) is overdue on an
    active application once it was reopened more than SCORECARD_DUE_AFTER ago (the
    interviewer's day runs from the recruiter's request, not from the interview), else
    reopened; otherwise, on an active application, an interview more than
    SCORECARD_DUE_AFTER ago is overdue; otherwise a card is a draft, and no card is not
    started. InterviewQuerySet.with_card_state computes it in the database,
    Interview.card_state in Python, from the same parts."""

    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    REOPENED = "reopened", "Reopened"
    SUBMITTED = "submitted", "Submitted"
    OVERDUE = "overdue", "Overdue"


# The scorecard's status that counts as submitted (scorecards.models.Scorecard.Status; a
# string here, as hiring sits below scorecards).
_SUBMITTED = "submitted"


def card_state_of(*, has_card: bool, submitted: bool, reopened: bool, late: bool) -> str:
    """The card state from its parts (see CardState); `late`: the application is active
    and the card's due time (SCORECARD_DUE_AFTER after the interview, or after its
    reopening for a reopened card) has passed."""
    if submitted:
        return CardState.SUBMITTED
    if reopened:
        return CardState.OVERDUE if late else CardState.REOPENED
    if late:
        return CardState.OVERDUE
    return CardState.DRAFT if has_card else CardState.NOT_STARTED


# What card_state_from reads of an interview besides its `scheduled_at`, as values()
# names it: lists read with values() work out the state of their rows in Python.
CARD_STATE_VALUES = {
    "card_id": models.F("scorecard__id"),
    "card_status": models.F("scorecard__status"),
    "reopen_reason": models.F("scorecard__reopen_reason"),
    "reopened_at": models.F("scorecard__reopened_at"),
    "application_status": models.F("application__status"),
}


def due_at_of(scheduled_at, reopened_at, *, reopened: bool):
    """When a card is overdue: SCORECARD_DUE_AFTER after the interview, or after its
    reopening for a reopened card; None if there is no such time, or one so near the
    calendar's end (a row from before times were checked) that it has no due time."""
    start = reopened_at if reopened else scheduled_at
    if start is None:
        return None
    try:
        return start + SCORECARD_DUE_AFTER
    except OverflowError:
        return None


def card_state_from(values, now) -> str:
    """card_state_of an interview at `now`, from its `scheduled_at` and CARD_STATE_VALUES
    (a row read with values(), or what Interview.card_state gathers)."""
    reopened = bool(values["reopen_reason"])
    due = due_at_of(values["scheduled_at"], values["reopened_at"], reopened=reopened)
    return card_state_of(
        has_card=values["card_id"] is not None,
        submitted=values["card_status"] == _SUBMITTED,
        reopened=reopened,
        late=values["application_status"] == Application.Status.ACTIVE
        and due is not None
        and due < now,
    )


def overdue_q(now) -> models.Q:
    """card_state_of's overdue in SQL, as a filter on Interview: a card not submitted, on
    an active application, whose due time has passed (SCORECARD_DUE_AFTER after its
    reopening for a reopened card, else after the interview)."""
    due_before = now - SCORECARD_DUE_AFTER
    # Written out both ways: a negated condition on the card is unknown, not true, for
    # an interview without one.
    reopened = models.Q(scorecard__reopen_reason__gt="")
    not_reopened = models.Q(scorecard__isnull=True) | models.Q(scorecard__reopen_reason="")
    return (
        ~models.Q(scorecard__status=_SUBMITTED)
        & models.Q(application__status=Application.Status.ACTIVE)
        & (
            (reopened & models.Q(scorecard__reopened_at__lt=due_before))
            | (not_reopened & models.Q(scheduled_at__lt=due_before))
        )
    )


def card_state_expression(now) -> models.Case:
    """card_state_of in SQL: the same conditions, in the same order."""
    return models.Case(
        models.When(scorecard__status=_SUBMITTED, then=models.Value(CardState.SUBMITTED.value)),
        models.When(overdue_q(now), then=models.Value(CardState.OVERDUE.value)),
        models.When(scorecard__reopen_reason__gt="", then=models.Value(CardState.REOPENED.value)),
        models.When(scorecard__isnull=False, then=models.Value(CardState.DRAFT.value)),
        default=models.Value(CardState.NOT_STARTED.value),
        output_field=models.CharField(),
    )


def _others_cards_q(user, to_card: str) -> models.Q:
    """Which of the others' cards `user` reads where they see the results: a recruiter
    every card, anyone else the submitted ones."""
    if is_recruiter(user):
        return models.Q()
    return models.Q(**{f"{to_card}status": _SUBMITTED})


class CardStarted(Exception):
    """Refused: the interview's scorecard has been started. A card stays with its author,
    so the interview keeps its stage and interviewer and stays on the loop; nothing was
    written. `interview` is the interview as it now is."""

    def __init__(self, interview: "Interview"):
        super().__init__("The interview's scorecard has been started.")
        self.interview = interview


class InterviewQuerySet(models.QuerySet):
    def locked(self, pk) -> "Interview":
        """Interview `pk` with its row locked until the transaction ends (raises
        Interview.DoesNotExist if it is gone).

        One lock order for everything that writes an interview or its scorecard: the
        interview's row, then the card's, then the application's (panel_changed). A
        recruiter changing or removing an interview and its interviewer's first save
        of the card thus queue one behind the other, never deadlock, and the second
        sees what the first did."""
        return self.select_for_update().get(pk=pk)

    def kits_readable_by(self, user):
        """The interviews whose interview kit `user` may open: a recruiter every one, the
        interviewer their own, the hiring manager those of their applications. A kit
        holds the role's brief and no results, so no card of anyone's is waited for."""
        if not user.is_authenticated:
            return self.none()
        if is_recruiter(user):
            return self
        return self.filter(models.Q(interviewer=user) | models.Q(application__hiring_manager=user))

    @staticmethod
    def card_readable_q(user, to_interview: str = "", to_card: str = "scorecard__") -> models.Q:
        """Whether `user` may read an interview's scorecard, as a filter on Interview (the
        default paths) or on Scorecard (`to_interview="interview__", to_card=""`): their
        own card always; others' only on applications whose results they may see
        (ApplicationQuerySet, the blindness rule), and there the submitted ones, or every
        card for a recruiter."""
        if not user.is_authenticated:
            return models.Q(pk__in=[])
        others = ApplicationQuerySet.results_visible_q(user, prefix=f"{to_interview}application__")
        return models.Q(**{f"{to_interview}interviewer": user}) | (
            others & _others_cards_q(user, to_card)
        )

    @staticmethod
    def card_awaiting_own_q(user, to_interview: str = "", to_card: str = "scorecard__"):
        """Whether an interview's card is another's that `user` may not read only because
        a card of their own on the application is not submitted: card_readable_q once
        it is. The same paths as card_readable_q."""
        if not user.is_authenticated:
            return models.Q(pk__in=[])
        awaited = ApplicationQuerySet.results_awaiting_own_card_q(
            user, prefix=f"{to_interview}application__"
        )
        return (
            awaited
            & _others_cards_q(user, to_card)
            & ~models.Q(**{f"{to_interview}interviewer": user})
        )

    def with_card_readable(self, user):
        """Each interview with `card_readable`: whether `user` may read its scorecard, if
        it has one."""
        return self.annotate(
            card_readable=models.ExpressionWrapper(
                self.card_readable_q(user), output_field=models.BooleanField()
            )
        )

    def with_card_state(self, now=None):
        """Each interview with its `card_state` (CardState) read by the database."""
        return self.annotate(card_state=card_state_expression(now or timezone.now()))

    def overdue(self, now=None):
        """The interviews whose card is overdue, by the one rule (overdue_q)."""
        return self.filter(overdue_q(now or timezone.now()))

    def to_do(self, now=None):
        """The interviews of open applications whose card is not submitted (not started,
        draft, reopened, overdue) in the order to fill them: overdue first (the earliest
        interview first), then by time, soonest first (those held by the end of today,
        then later ones), then those with no time yet. My interviews lists them (held_on
        marks today's, card_state_from gives their states); the next card to fill is the
        first."""
        now = now or timezone.now()
        overdue_first = models.Case(
            models.When(overdue_q(now), then=models.Value(0)), default=models.Value(1)
        )
        return (
            # Not submitted (CardState.SUBMITTED is exactly this), on an open application:
            # a withdrawn or decided one expects no more cards.
            self.exclude(scorecard__status=_SUBMITTED)
            .filter(application__status=Application.Status.ACTIVE)
            .order_by(overdue_first, models.F("scheduled_at").asc(nulls_last=True), "id")
        )

    def done(self):
        """The interviews whose card is submitted, the latest interview first."""
        return self.filter(scorecard__status=_SUBMITTED).order_by(
            models.F("scheduled_at").desc(nulls_last=True), "-id"
        )


def held_on(scheduled_at: datetime | None, day: tuple[datetime, datetime]) -> bool:
    """Whether an interview at `scheduled_at` is held on `day`, as local_day gives it
    (today in the reader's time zone: My interviews' "Today")."""
    return scheduled_at is not None and day[0] <= scheduled_at < day[1]


def local_day(moment) -> tuple[datetime, datetime]:
    """The midnights that begin and end the day of `moment` in the active time zone (the
    reader's): a day a clock change makes 23 or 25 hours long included."""
    day = timezone.localdate(moment)
    return tuple(
        timezone.make_aware(datetime.combine(d, datetime.min.time()))
        for d in (day, day + timedelta(days=1))
    )


# The times an interview may have at all (the admin, a script): far enough from the
# calendar's ends that its due time and any time zone stay within it. The recruiters'
# form keeps to INTERVIEW_TIME_WINDOW around the present (hiring.forms.InterviewForm).
EARLIEST_INTERVIEW = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_INTERVIEW = datetime(2100, 1, 1, tzinfo=UTC)
INTERVIEW_TIME_WINDOW = timedelta(days=2 * 365)


class Interview(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    stage = models.ForeignKey(InterviewStage, on_delete=models.PROTECT, related_name="interviews")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interviews"
    )
    scheduled_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(EARLIEST_INTERVIEW, "An interview cannot be before the year 2000."),
            MaxValueValidator(LATEST_INTERVIEW, "An interview cannot be after the year 2099."),
        ],
    )
    # When the interviewer was last emailed a reminder listing this card; the hourly
    # `send_scorecard_reminders` sends each interviewer one a day at most.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The SEQUENCE of the latest calendar invite sent for it (hiring.emails): each change
    # of its time, stage or interviewer moves it on, so calendars take the newest.
    invite_sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "interviewer"], name="unique_interview_assignment"
            )
        ]
        indexes = [
            # Covers My interviews: its card states and order are worked out from every
            # interview of the interviewer (the page is sorted by them), read from this
            # index alone rather than from each interview's row.
            models.Index(
                fields=["interviewer", "scheduled_at", "application", "stage"],
                name="interview_interviewer_home",
            )
        ]

    def __str__(self):
        return f"{self.stage.name} with {self.interviewer} ({self.application})"

    @property
    def due_at(self):
        """due_at_of this interview (read from the scorecard: select_related it in lists)."""
        card = getattr(self, "scorecard", None)
        reopened = card is not None and bool(card.reopen_reason)
        return due_at_of(self.scheduled_at, card and card.reopened_at, reopened=reopened)

    @property
    def card_state(self) -> str:
        """CardState of this interview: as InterviewQuerySet.with_card_state read it, if
        it did, else from its scorecard and application (select_related them in lists)."""
        if "_card_state" in self.__dict__:
            return self._card_state
        card = getattr(self, "scorecard", None)
        values = {
            "scheduled_at": self.scheduled_at,
            "card_id": card and card.pk,
            "card_status": card and card.status,
            "reopen_reason": card and card.reopen_reason,
            "reopened_at": card and card.reopened_at,
            "application_status": self.application.status,
        }
        return card_state_from(values, timezone.now())

    @card_state.setter
    def card_state(self, value: str) -> None:
        # Set by with_card_state's annotation.
        self._card_state = value

    def get_card_state_display(self) -> str:
        return CardState(self.card_state).label

    # --- a recruiter's changes: refused once the card is started ----------------------------

    def has_card(self) -> bool:
        """Whether its scorecard has been started, as the database says now (one query)."""
        return Interview.objects.filter(pk=self.pk, scorecard__isnull=False).exists()

    def assign(self) -> None:
        """Save this new interview and invite its interviewer (hiring.emails: the email
        goes out once the transaction commits)."""
        from hiring import emails

        with transaction.atomic():
            self.save(force_insert=True)
            emails.interview_assigned(self)

    def save_change(self) -> None:
        """Save a recruiter's change of this interview's stage, interviewer or time. Once
        its scorecard is started, the card stays with its author: a new stage or
        interviewer is refused (CardStarted, nothing written), only the time may move.
        Raises Interview.DoesNotExist if the interview was removed meanwhile. A change
        sends the interviewer an updated invite (or, given to someone else, the one
        before a cancellation and the new one an invite)."""
        from hiring import emails

        with transaction.atomic():
            current = Interview.objects.locked(self.pk)
            moved = (current.stage_id, current.interviewer_id) != (
                self.stage_id,
                self.interviewer_id,
            )
            if moved and current.has_card():
                raise CardStarted(current)
            changed = moved or _to_minute(current.scheduled_at) != _to_minute(self.scheduled_at)
            self.invite_sequence = current.invite_sequence + (1 if changed else 0)
            self.save(force_update=True)
            if changed:
                emails.interview_changed(current, self)

    def remove(self) -> None:
        """Take this interview off the loop, unless its scorecard is started (CardStarted,
        nothing removed), and cancel its interviewer's invite. Raises
        Interview.DoesNotExist if it was removed already."""
        from hiring import emails

        with transaction.atomic():
            current = Interview.objects.locked(self.pk)
            if current.has_card():
                raise CardStarted(current)
            emails.interview_removed(current)
            current.delete()


def _to_minute(moment):
    # The form shows and takes times to the minute: an untouched time is no change.
    return moment and moment.replace(second=0, microsecond=0)


class Decision(models.Model):
    class Outcome(models.TextChoices):
        # Called as the panel's recommendations of the same name are (one label each).
        HIRE = scoring_policy.HIRE, RECOMMENDATION_LABELS[scoring_policy.HIRE]
        NO_HIRE = scoring_policy.NO_HIRE, RECOMMENDATION_LABELS[scoring_policy.NO_HIRE]
        HOLD = "hold", "Hold"

    # The application's status after each outcome: hold keeps the candidate in play.
    STATUS_AFTER = {
        Outcome.HIRE: Application.Status.HIRED,
        Outcome.NO_HIRE: Application.Status.REJECTED,
        Outcome.HOLD: Application.Status.ACTIVE,
    }

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]
        get_latest_by = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="decision_rationale_required"
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} for {self.application}"


class PerformanceReview(models.Model):
    """How a hired person is doing, as their hiring manager rates it later (at 90 days,
    after a year): the outcome that scorecards.validity sets the interview's scores
    against. One per application and day."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="performance_reviews"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (well below expectations) to 5 (well above)",
    )
    reviewed_on = models.DateField()
    note = models.TextField(blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="performance_reviews"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    RATINGS = {
        1: "1: well below expectations",
        2: "2: below expectations",
        3: "3: meets expectations",
        4: "4: above expectations",
        5: "5: well above expectations",
    }

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="performance_review_rating_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["application", "reviewed_on"],
                name="one_performance_review_a_day",
                violation_error_message="This person already has a review on that day.",
            ),
        ]

    def __str__(self):
        return f"{self.rating}/5 on {self.reviewed_on} for {self.application}"

    def clean(self):
        application = self.application
        if application.status != Application.Status.HIRED:
            raise ValidationError("Only a hired person has performance reviews.")
        hired = (
            application.decisions.filter(outcome=Decision.Outcome.HIRE)
            .order_by("-decided_at", "-id")
            .values_list("decided_at", flat=True)
            .first()
        )
        today = timezone.localdate()
        if self.reviewed_on is not None:
            if self.reviewed_on > today:
                raise ValidationError({"reviewed_on": "A review cannot be dated in the future."})
            if hired is not None and self.reviewed_on < timezone.localdate(hired):
                raise ValidationError(
                    {"reviewed_on": "A review cannot be dated before the hire decision."}
                )


class OutboxEmail(models.Model):
    """An email to send, written in the transaction of the change it tells of, so it is
    sent if and only if the change is kept (hiring.outbox). Tried once right after the
    commit; what fails waits here, with its error, for `send_outbox` to try again."""

    class Kind(models.TextChoices):
        # Each kind is one switch of the recipient's profile, `email_<kind>`.
        ASSIGNMENTS = "assignments", "Interview invitation"
        PANEL_READY = "panel_ready", "Panel ready"
        REMINDERS = "reminders", "Scorecard reminder"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField()
    # The iCalendar invite it carries (REQUEST or CANCEL, hiring.emails), if any.
    calendar = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    # When it may be tried next: now when written, later after a failure (backing off),
    # and for a while during an attempt, which claims it (hiring.outbox.deliver).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to}: {self.subject}"


class AuditEntry(models.Model):
    """Who did what to a candidate's personal data, and why: an erasure (by a recruiter,
    or by the retention command: no user) or an export. It names the candidate by id
    only, so it outlives their erasure without keeping what was erased."""

    class Action(models.TextChoices):
        ERASE = "erase", "Erased"
        EXPORT = "export", "Exported"

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    # Not a foreign key: the entry is about the candidate, not part of their data.
    candidate_id = models.PositiveBigIntegerField(db_index=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.get_action_display()} candidate #{self.candidate_id}"


# What panel_changed() alone writes: save() leaves them alone.
PANEL_FIELDS = frozenset({"panel_version", "cards_expected", "cards_submitted"})


def panel_changed(applications) -> None:
    """Move on the panel_version of `applications` (ids, or a queryset of their ids) and
    count their cards again (cards_expected, cards_submitted)."""
    # No savepoint: a failure here fails the caller's change with it.
    with transaction.atomic(savepoint=False):
        # Locked first (in pk order, so two callers never deadlock): the counts below
        # then read every change to these applications' cards committed before us, each
        # statement reading afresh under READ COMMITTED, and a change still open now
        # counts again in its own call once we commit.
        locked = list(
            Application.objects.select_for_update()
            .filter(pk__in=applications)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if locked:
            count_cards(Application.objects.filter(pk__in=locked), panel_version=True)


def count_cards(applications, panel_version: bool = False) -> int:
    """Count the cards of `applications` (a queryset) again, moving their panel_version
    on too when asked (panel_changed); the bench's bulk loads call it alone."""
    interviews = Interview.objects.filter(application=models.OuterRef("pk")).order_by()
    moved = {"panel_version": models.F("panel_version") + 1} if panel_version else {}
    return applications.update(
        cards_expected=_count(interviews),
        cards_submitted=_count(interviews.filter(scorecard__status=_SUBMITTED)),
        **moved,
    )


@receiver(post_save, sender=Interview)
@receiver(post_delete, sender=Interview)
@receiver(post_save, sender=Decision)
@receiver(post_delete, sender=Decision)
def _interview_or_decision_changed(sender, instance, **kwargs):
    panel_changed([instance.application_id])


NAME_FIELDS = {"username", "first_name", "last_name"}


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _user_changed(sender, instance, created, update_fields=None, **kwargs):
    # A login saves last_login only: no name the pages show changed.
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    panel_changed(Interview.objects.filter(interviewer=instance).values("application_id"))
    panel_changed(Decision.objects.filter(decided_by=instance).values("application_id"))


# A revision in use is frozen (editing it makes a new draft; the admin shows it
# read-only), so these fire for its applications only on a data fix from a shell; for a
# draft nobody applied to they update no row.
@receiver(post_save, sender=RoleRevision)
def _revision_changed(sender, instance, created, **kwargs):
    if not created:
        panel_changed(Application.objects.filter(revision_id=instance.pk).values("pk"))


@receiver(post_save, sender=Dimension)
@receiver(post_delete, sender=Dimension)
@receiver(post_save, sender=InterviewStage)
@receiver(post_delete, sender=InterviewStage)
@receiver(post_save, sender=Signal)
@receiver(post_delete, sender=Signal)
def _revision_row_changed(sender, instance, **kwargs):
    panel_changed(Application.objects.filter(revision_id=instance.revision_id).values("pk"))


@receiver(m2m_changed, sender=InterviewStage.focus_dimensions.through)
def _focus_changed(sender, instance, action, **kwargs):
    # `instance` is the stage, or the dimension for dimension.focus_of.add(...): either
    # way a row of the revision whose focus changed.
    if action.startswith("post_"):
        panel_changed(Application.objects.filter(revision_id=instance.revision_id).values("pk"))
