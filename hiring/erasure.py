"""Erasing a candidate: who they are and everything written about them goes, from the
live rows, their history and whatever was derived from them; the scores stay, so
calibration and validity keep their numbers. One entry point, erase_candidate (also
Candidate.erase), in one transaction:

1. the candidate's own row: name, email and source become placeholders;
2. hiring's free texts about them (redact_hiring): decision rationales, performance
   review notes, the reasons kept in their applications' history (a withdrawal's),
   in the rows and in their history tables;
3. the apps above hiring, through the `candidate_erased` signal (scorecards: evidence,
   notes, summaries, reopen reasons and their history; the stored pipeline headlines);
   then the results cache's copies of their panels (hiring.results_cache.forget);
4. what the admin logged about their objects (LogEntry's object_repr and
   change_message name the candidate);
5. the audit log: who erased which candidate (by id) and why.

A new place that keeps a candidate's name or texts (an outbox's email bodies, a
webhook's payloads) adds its redaction to redact_hiring if it lives in hiring, or a
`candidate_erased` receiver if it lives above it.
"""

import json
import re
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.html import escape

from hiring import results_cache
from hiring.models import (
    Application,
    AuditEntry,
    Candidate,
    Decision,
    Interview,
    OutboxEmail,
    PerformanceReview,
    panel_changed,
)

# What a redacted free text reads (an empty text stays empty, so a card's "no evidence"
# and a card's state, which a reopen reason decides, stay what they were).
REDACTED = "[erased]"

# Sent inside erase_candidate's transaction, after hiring's own redactions, with
# `erasure`: an Erasure. Receivers redact what their app keeps about the candidate and
# add to erasure.logged the admin log's objects to scrub ({model: ids}).
candidate_erased = Signal()


@dataclass
class Erasure:
    """What a receiver of candidate_erased needs: whose data, and what it was."""

    candidate_id: int
    application_ids: list[int]
    # The personal data as it was (to find it in logged text); never stored.
    needles: list[str]
    label: str
    # {model class: ids} whose admin LogEntry rows are scrubbed.
    logged: dict


def redact(queryset, *fields: str) -> int:
    """Replace each non-empty value of `fields` in `queryset` by REDACTED, with update():
    no save, so no new history row records the change. Returns the rows touched."""
    touched = 0
    for name in fields:
        filled = queryset.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
        touched += filled.exclude(**{name: REDACTED}).update(**{name: REDACTED})
    return touched


def redact_with_history(model, ids, *fields: str) -> None:
    """redact() the rows of `model` with `ids` and every history record of them (which
    also carries the history's change reason)."""
    redact(model.objects.filter(pk__in=ids), *fields)
    redact(
        model.history.filter(id__in=ids),
        *fields,
        "history_change_reason",
    )


def erase_candidate(candidate: Candidate, *, by, reason: str) -> bool:
    """Erase `candidate` (see the module's docstring). `by` is the user (None for the
    retention command), `reason` why, for the audit log. Returns False, writing
    nothing, when the candidate was erased already (a double submit, a second run)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.erased_at is not None:
            _take_state(candidate, locked)
            return False
        needles = [text for text in (locked.name, locked.email) if text.strip()]
        label = Candidate.ERASED_NAME.format(locked.pk)
        application_ids = list(locked.applications.values_list("pk", flat=True))
        erasure = Erasure(
            candidate_id=locked.pk,
            application_ids=application_ids,
            needles=needles,
            label=label,
            logged={},
        )

        # 1. Who they are.
        locked.name = label
        locked.email = Candidate.ERASED_EMAIL.format(locked.pk)
        locked.source = ""
        locked.erased_at = timezone.now()
        locked.save(update_fields=["name", "email", "source", "erased_at"])

        # 2. hiring's texts about them.
        redact_hiring(erasure)

        # 3. The apps above hiring (scorecards.erasure).
        candidate_erased.send(sender=Candidate, erasure=erasure)

        # 4. The admin's log.
        scrub_admin_log(erasure)

        # Every panel of theirs is computed again, from what is left; the copies the
        # results cache holds (with the evidence) are dropped once this is committed.
        panel_changed(application_ids)
        transaction.on_commit(lambda: _forget_results(application_ids))

        # 5. Who, whom, why; the reason without the personal data, should it name them.
        AuditEntry.objects.create(
            actor=by,
            action=AuditEntry.Action.ERASE,
            candidate_id=locked.pk,
            reason=scrub_text(reason, needles, label),
        )
    _take_state(candidate, locked)
    return True


def redact_hiring(erasure: Erasure) -> None:
    """The free texts hiring keeps about the candidate, and their history."""
    application_ids = erasure.application_ids
    decision_ids = _ids(Decision, application_ids)
    review_ids = _ids(PerformanceReview, application_ids)
    redact_with_history(Decision, decision_ids, "rationale")
    redact_with_history(PerformanceReview, review_ids, "note")
    # An application has no free text of its own; its history keeps a withdrawal's reason.
    redact(Application.history.filter(id__in=application_ids), "history_change_reason")
    scrub_emails(erasure)
    erasure.logged.update(
        {
            Candidate: [erasure.candidate_id],
            Application: application_ids,
            Interview: list(
                Interview.objects.filter(application_id__in=application_ids).values_list(
                    "pk", flat=True
                )
            ),
            Decision: decision_ids,
            PerformanceReview: review_ids,
        }
    )


# The outbox's texts that name a candidate (hiring.outbox: invitations, panel ready,
# reminders), sent or waiting.
EMAIL_TEXTS = ("subject", "text", "html", "calendar")


def scrub_emails(erasure: Erasure) -> None:
    """Every email of the outbox naming the candidate (by name or email, as typed or as
    the HTML version escapes it): they become the label, in what waits to be sent too."""
    about = models.Q(pk__in=[])
    for needle in erasure.needles:
        for form in _forms(needle):
            for field in EMAIL_TEXTS:
                about |= models.Q(**{f"{field}__icontains": form})
    for email in OutboxEmail.objects.filter(about):
        OutboxEmail.objects.filter(pk=email.pk).update(
            **{
                field: scrub_text(getattr(email, field), erasure.needles, erasure.label)
                for field in EMAIL_TEXTS
            }
        )


def _ids(model, application_ids) -> list[int]:
    """The ids of `model`'s rows on the applications, live or only in its history."""
    live = model.objects.filter(application_id__in=application_ids).values_list("pk", flat=True)
    past = model.history.filter(application_id__in=application_ids).values_list("id", flat=True)
    return sorted(set(live) | set(past))


def scrub_admin_log(erasure: Erasure) -> None:
    """The admin's LogEntry rows of the candidate's objects, and any other naming them:
    their name and email in object_repr and change_message become the label."""
    about = models.Q(pk__in=[])
    for model, ids in erasure.logged.items():
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            about |= models.Q(content_type=content_type, object_id__in=[str(i) for i in ids])
    for needle in erasure.needles:
        for form in _forms(needle):
            about |= models.Q(object_repr__icontains=form) | models.Q(
                change_message__icontains=form
            )
    own = (ContentType.objects.get_for_model(Candidate).pk, str(erasure.candidate_id))
    for entry in LogEntry.objects.filter(about):
        if (entry.content_type_id, entry.object_id) == own:
            entry.object_repr = erasure.label  # "Name <email>" would read "label <label>"
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=scrub_text(entry.object_repr, erasure.needles, erasure.label)[:200],
            change_message=scrub_text(entry.change_message, erasure.needles, erasure.label),
        )


def scrub_text(text: str, needles: list[str], label: str) -> str:
    """`text` with each of `needles` (in any case, and as JSON escapes it) replaced by
    `label`."""
    for needle in needles:
        for form in _forms(needle):
            text = re.sub(re.escape(form), label, text, flags=re.IGNORECASE)
    return text


def _forms(needle: str) -> list[str]:
    """`needle` as typed, as json.dumps writes it (the admin's change_message escapes
    every character outside ASCII) and as HTML escapes it (an email's HTML version)."""
    return list(dict.fromkeys([needle, json.dumps(needle)[1:-1], str(escape(needle))]))


def _forget_results(application_ids) -> None:
    results_cache.forget(
        Application.objects.filter(pk__in=application_ids).only("pk", "panel_version")
    )


def _take_state(candidate: Candidate, locked: Candidate) -> None:
    for name in ("name", "email", "source", "erased_at"):
        setattr(candidate, name, getattr(locked, name))
