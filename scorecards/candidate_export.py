"""Everything stored about one candidate, for their request to see it (the export's JSON
and its printable page read the same dict): who they are, every application with its
history, interviews, scorecards (ratings with evidence, signals with notes, and each
card's history), decisions and performance reviews with their history, and the audit
log's entries about them.

What a recruiter may not see yet stays out as everywhere else: on an application where
their own card is not submitted, others' cards, the decisions and the reviews are left
out (Application.objects.results_visible_to, Scorecard.objects.readable_by), and the
application says so (`results_hidden`).
"""

from django.db.models import Prefetch

from hiring.models import (
    Application,
    AuditEntry,
    Candidate,
    Decision,
    Interview,
    PerformanceReview,
)
from hiring_site.formatting import display_name
from scorecards.models import Rating, Scorecard, SignalCheck

FORMAT = "scorecards-candidate-export/1"

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _person(user) -> str | None:
    return display_name(user) if user is not None else None


def _history(records, fields) -> list[dict]:
    """History records (oldest first) as dicts: when, what kind of change, by whom, why,
    and `fields` as they were then."""
    return [
        {
            "at": record.history_date,
            "change": HISTORY_TYPES.get(record.history_type, record.history_type),
            "by": _person(record.history_user),
            "reason": record.history_change_reason or "",
            **{name: getattr(record, name) for name in fields},
        }
        for record in records
    ]


def _by(records, key: str) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for record in records:
        grouped.setdefault(getattr(record, key), []).append(record)
    return grouped


def candidate_data(candidate: Candidate, user, now) -> dict:
    """The export of `candidate` as `user` may read it, made at `now`."""
    applications = list(
        candidate.applications.select_related("revision__role", "recruiter", "hiring_manager")
        .prefetch_related(
            Prefetch(
                "interviews",
                Interview.objects.select_related("stage", "interviewer").order_by(
                    "stage__order", "scheduled_at", "id"
                ),
            ),
            Prefetch("decisions", Decision.objects.select_related("decided_by")),
            Prefetch(
                "performance_reviews", PerformanceReview.objects.select_related("recorded_by")
            ),
        )
        .order_by("created_at", "id")
    )
    ids = [a.pk for a in applications]
    visible = set(
        Application.objects.results_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    cards = {
        card.interview_id: card
        for card in Scorecard.objects.readable_by(user)
        .filter(interview__application_id__in=ids)
        .prefetch_related(
            Prefetch(
                "ratings", Rating.objects.select_related("dimension").order_by("dimension__order")
            ),
            Prefetch(
                "signal_checks", SignalCheck.objects.select_related("signal").order_by("signal_id")
            ),
        )
    }
    card_ids = [card.pk for card in cards.values()]
    card_history = _by(
        Scorecard.history.filter(id__in=card_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        "id",
    )
    rating_history = _by(
        Rating.history.filter(scorecard_id__in=card_ids)
        .select_related("history_user", "dimension")
        .order_by("history_date", "history_id"),
        "scorecard_id",
    )
    check_history = _by(
        SignalCheck.history.filter(scorecard_id__in=card_ids)
        .select_related("history_user", "signal")
        .order_by("history_date", "history_id"),
        "scorecard_id",
    )
    application_history = _by(
        Application.history.filter(id__in=ids)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        "id",
    )
    decision_history = _by(
        Decision.history.filter(application_id__in=visible)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        "id",
    )
    review_history = _by(
        PerformanceReview.history.filter(application_id__in=visible)
        .select_related("history_user")
        .order_by("history_date", "history_id"),
        "id",
    )

    def card_data(card: Scorecard) -> dict:
        return {
            "id": card.pk,
            "status": card.status,
            "recommendation": card.recommendation,
            "recommendation_label": card.get_recommendation_display(),
            "summary": card.summary,
            "submitted_at": card.submitted_at,
            "updated_at": card.updated_at,
            "reopen_reason": card.reopen_reason,
            "reopened_at": card.reopened_at,
            "ratings": [
                {"dimension": r.dimension.name, "score": r.score, "evidence": r.evidence}
                for r in card.ratings.all()
            ],
            "signals": [
                {"signal": c.signal.text, "kind": c.signal.get_kind_display(), "note": c.note}
                for c in card.signal_checks.all()
            ],
            "history": _history(
                card_history.get(card.pk, []),
                ("status", "recommendation", "summary", "reopen_reason"),
            ),
            "ratings_history": [
                {**row, "dimension": record.dimension.name}
                for record, row in zip(
                    rating_history.get(card.pk, []),
                    _history(rating_history.get(card.pk, []), ("score", "evidence")),
                    strict=True,
                )
            ],
            "signals_history": [
                {**row, "signal": record.signal.text}
                for record, row in zip(
                    check_history.get(card.pk, []),
                    _history(check_history.get(card.pk, []), ("note",)),
                    strict=True,
                )
            ],
        }

    def application_data(application: Application) -> dict:
        shown = application.pk in visible
        return {
            "id": application.pk,
            "role": application.revision.role.title,
            "revision": application.revision.number,
            "status": application.status,
            "status_label": application.get_status_display(),
            "created_at": application.created_at,
            "recruiter": _person(application.recruiter),
            "hiring_manager": _person(application.hiring_manager),
            "results_hidden": not shown,
            "history": _history(application_history.get(application.pk, []), ("status",)),
            "interviews": [
                {
                    "id": interview.pk,
                    "stage": interview.stage.name,
                    "interviewer": _person(interview.interviewer),
                    "scheduled_at": interview.scheduled_at,
                    "scorecard": card_data(cards[interview.pk]) if interview.pk in cards else None,
                }
                for interview in application.interviews.all()
            ],
            "decisions": [
                {
                    "id": decision.pk,
                    "outcome": decision.outcome,
                    "outcome_label": decision.get_outcome_display(),
                    "rationale": decision.rationale,
                    "decided_by": _person(decision.decided_by),
                    "decided_at": decision.decided_at,
                    "history": _history(
                        decision_history.get(decision.pk, []), ("outcome", "rationale")
                    ),
                }
                for decision in application.decisions.all()
            ]
            if shown
            else [],
            "performance_reviews": [
                {
                    "id": review.pk,
                    "rating": review.rating,
                    "reviewed_on": review.reviewed_on,
                    "note": review.note,
                    "recorded_by": _person(review.recorded_by),
                    "recorded_at": review.recorded_at,
                    "history": _history(review_history.get(review.pk, []), ("rating", "note")),
                }
                for review in application.performance_reviews.all()
            ]
            if shown
            else [],
        }

    audit = AuditEntry.objects.filter(candidate_id=candidate.pk).select_related("actor")
    return {
        "format": FORMAT,
        "exported_at": now,
        "exported_by": _person(user),
        "candidate": {
            "id": candidate.pk,
            "name": candidate.name,
            "email": "" if candidate.is_erased else candidate.email,
            "source": candidate.source,
            "created_at": candidate.created_at,
            "erased_at": candidate.erased_at,
        },
        "applications": [application_data(a) for a in applications],
        "audit": [
            {
                "at": entry.at,
                "action": entry.action,
                "action_label": entry.get_action_display(),
                "by": _person(entry.actor),
                "reason": entry.reason,
            }
            for entry in audit.order_by("at", "id")
        ],
    }
