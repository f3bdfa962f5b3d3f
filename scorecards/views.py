"""Interviewers fill their scorecard (drafts autosave through htmx, and a plain form post
works without JavaScript); readers see a submitted card; recruiters reopen one.

Who may read which card is decided on the model, `Scorecard.objects.readable_by`, per
DESIGN's table: recruiters every card; everyone their own; hiring managers of the
application and interviewers on it the submitted cards; and nobody another's card while
one of their own on the application is not submitted (blind until then).
"""

import hashlib
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring.models import Interview
from hiring_site.access import (
    HIRING_MANAGER,
    INTERVIEWER,
    RECRUITER,
    group_required,
    is_recruiter,
)
from hiring_site.formatting import display_name, long_datetime
from roles.content import revision_content
from roles.models import Signal
from scorecards import rendering
from scorecards.forms import ReopenForm, ScorecardForm
from scorecards.models import (
    IncompleteScorecard,
    Scorecard,
    ScorecardContent,
    ScorecardReadOnly,
    StaleScorecard,
)

# Bump when _brief.html changes, so a shared cache never serves the old markup.
BRIEF_VERSION = 1
BRIEF_TIMEOUT = 60 * 60
# The same for a card's stored content (_stored_content): bump when ScorecardContent changes.
CONTENT_VERSION = 1
CONTENT_TIMEOUT = 10 * 60

INTERVIEW_RELATED = (
    "application__candidate",
    "application__revision__role",
    "application__hiring_manager",
    "stage__exercise",
    "interviewer",
)


def _htmx_login_required(view):
    """An autosave from a tab whose session ended gets a message it can show (401),
    not the login page swapped into the status line."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            return render(
                request, "scorecards/_save_status.html", {"state": "logged_out"}, status=401
            )
        return view(request, *args, **kwargs)

    return wrapper


def _get_interview_for_user(request, pk) -> Interview:
    """The interviewer's own interview, with what the scorecard page shows; 404 otherwise.
    Its stage (with the exercise and focus) and the revision's dimensions and signals
    come from roles.content, cached unless the revision is a draft: an interview's
    revision is frozen. Each join spared here is a tenth of a millisecond."""
    queryset = Interview.objects.select_related(
        "application__candidate", "application__revision__role", "scorecard"
    )
    interview = get_object_or_404(queryset, pk=pk)
    if interview.interviewer_id != request.user.pk:
        raise Http404("No such interview.")
    content = revision_content(interview.application.revision, "dimensions", "stages", "signals")
    stage = next((s for s in content.stages if s.pk == interview.stage_id), None)
    if stage is not None:
        interview.stage = stage
    interview.revision_content = content
    return interview


def _get_scorecard_for_user(request, pk) -> tuple[Scorecard, list[Interview]]:
    """The card if `request.user` may read it (404 otherwise), and all interviews of its
    application with their cards, each with `card_readable`, for the list of the others."""
    readable = Scorecard.objects.readable_by(request.user)
    card = get_object_or_404(
        readable.select_related(*(f"interview__{r}" for r in INTERVIEW_RELATED)), pk=pk
    )
    interviews = list(
        card.interview.application.interviews.select_related("stage", "interviewer", "scorecard")
        .annotate(card_readable=Exists(readable.filter(interview=OuterRef("pk"))))
        .order_by("stage__order", "scheduled_at", "id")
    )
    return card, interviews


# --- filling ---------------------------------------------------------------------------


def _build_form(interview, data=None, initial=None) -> ScorecardForm:
    content = interview.revision_content  # see _get_interview_for_user
    return ScorecardForm(
        data,
        initial=initial,
        dimensions=content.dimensions,
        focus_ids=[d.id for d in interview.stage.focus_dimensions.all()],
        signals=content.signals,
    )


def _rating_rows(form) -> SafeString:
    """The rating rows, rendered in Python (scorecards.rendering says why)."""
    return mark_safe("".join(rendering.rating_row(row) for row in form.dimension_rows()))  # noqa: S308  # nosec B308 B703


def _signal_groups(form) -> list[tuple[str, str, SafeString]]:
    """(kind, heading, its rows' markup) for each kind of signal the role lists."""
    return [
        (kind, heading, mark_safe("".join(rendering.signal_row(row) for row in rows)))  # noqa: S308  # nosec B308 B703
        for kind, heading, rows in form.signal_groups()
    ]


def _brief(interview, form) -> SafeString:
    """The stage brief: the same for everyone on the stage, and made only of the revision's
    content as roles.content gives it. The markup is cached under a digest of everything
    it shows, so any change to that content, draft or not, is a new key."""
    stage, exercise = interview.stage, interview.stage.exercise
    # form.dimensions puts the focus first, each part in the dimensions' order.
    focus = [d for d in form.dimensions if d.id in form.focus_ids]
    signals = {kind: [] for kind in Signal.Kind.values}
    for signal in form.signals:
        signals[signal.kind].append(signal)
    shown = (
        stage.name,
        stage.duration_minutes,
        exercise
        and (
            exercise.title,
            exercise.duration_display,
            exercise.prompt,
            exercise.must_cover,
            exercise.look_for,
        ),
        [(d.name, d.meets_bar) for d in focus],
        [(kind, [s.text for s in kind_signals]) for kind, kind_signals in signals.items()],
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    key = f"scorecards:brief:v{BRIEF_VERSION}:{digest}"
    html = cache.get(key)
    if html is None:
        context = {"stage": stage, "exercise": exercise, "focus": focus, "brief_signals": signals}
        html = render_to_string("scorecards/_brief.html", context)
        cache.set(key, html, BRIEF_TIMEOUT)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703: rendered by the template above


def _stored_content(card: Scorecard) -> ScorecardContent:
    """card.content() (two queries), cached under the card's stamp: every change of the
    card or its rows moves its version and updated_at on (its own methods, and
    scorecards.admin.touch_cards after the admin's edits), so a new key."""
    stamp = f"{card.pk}:{card.version}:{card.updated_at.timestamp()}"
    key = f"scorecards:content:v{CONTENT_VERSION}:{stamp}"
    content = cache.get(key)
    if content is None:
        content = card.content()
        cache.set(key, content, CONTENT_TIMEOUT)
    return content


def _fill_page(request, interview, form, *, card=None, conflict=None, status=200):
    card = card if card is not None else getattr(interview, "scorecard", None)
    earlier = []
    if card is not None and card.reopen_reason and not card.is_submitted:
        earlier = [e for e in card.events() if e.kind == "submitted"]
        for event in earlier:
            event.rows = _card_rows(form.dimensions, form.focus_ids, event.ratings)
            event.signal_rows = _signal_rows(form.signals, event.signals)
    context = {
        "interview": interview,
        "application": interview.application,
        "stage": interview.stage,
        "scheduled": long_datetime(interview.scheduled_at) or "not scheduled",
        "brief": _brief(interview, form),
        "card": card,
        "form": form,
        "rating_rows": _rating_rows(form),
        "signal_groups": _signal_groups(form),
        "recommendations": Scorecard.Recommendation.choices,
        "conflict": conflict,
        "earlier": earlier,
        "save_state": "conflict" if conflict else ("loaded" if card and card.version else "idle"),
        "saved_at": card.updated_at if card else None,
    }
    return render(request, "scorecards/fill.html", context, status=status)


def _status(request, state, *, card=None, form=None, interview=None, status=200):
    return render(
        request,
        "scorecards/_save_status.html",
        {
            "interview": interview,
            "state": state,
            "card": card,
            "form": form,
            "saved_at": card.updated_at if card else None,
            "oob_version": state == "saved",
        },
        status=status,
    )


@_htmx_login_required
@group_required(INTERVIEWER)
@require_http_methods(["GET", "POST"])
def fill(request, pk):
    interview = _get_interview_for_user(request, pk)
    card = getattr(interview, "scorecard", None)
    if request.method == "GET":
        if card is not None and card.is_submitted:
            return redirect("scorecards:detail", card.pk)
        initial = ScorecardForm.initial_from(
            _stored_content(card) if card else None, card.version if card else 0
        )
        return _fill_page(request, interview, _build_form(interview, initial=initial))

    form = _build_form(interview, data=request.POST)
    if not form.is_valid():
        if request.htmx:
            return _status(request, "invalid", form=form, status=422)
        return _fill_page(request, interview, form, status=422)

    if card is None:
        # The first save creates the card at version 0; a second tab that also saw no
        # card then finds version 1 and is refused like any stale tab.
        card, _ = Scorecard.objects.get_or_create(interview=interview, defaults={"version": 0})
    content, version = form.content(), form.cleaned_data["version"]
    submitting = not request.htmx and request.POST.get("action") == "submit"
    try:
        if submitting:
            return _submit(request, interview, card, form, content, version)
        card.save_draft(content, version, request.user)
    except StaleScorecard as exc:
        return _conflict(request, interview, form, exc.current, "stale")
    except ScorecardReadOnly as exc:
        if submitting and exc.current.matches(content):
            # The same submission again (a double click, a resent form): nothing to do.
            messages.info(request, "This scorecard was already submitted.")
            return redirect("scorecards:detail", card.pk)
        return _conflict(request, interview, form, exc.current, "readonly")

    if request.htmx:
        interview.scorecard = card  # the status badge shown beside the heading
        return _status(request, "saved", card=card, interview=interview)
    messages.success(
        request, f"Draft saved at {time_format(timezone.localtime(card.updated_at), 'H:i')}."
    )
    return redirect("scorecards:fill", interview.pk)


def _submit(request, interview, card, form, content, version):
    extra = {
        ("note", int(n.removeprefix("note_"))): "Tick this signal to keep the note, or "
        "clear the note."
        for n in form.unticked_notes()
    }
    try:
        if extra:
            raise IncompleteScorecard({})
        card.submit(content, version, request.user)
    except IncompleteScorecard as exc:
        # Keep everything that was typed as the draft, then show what is missing.
        card.save_draft(content, version, request.user)
        data = request.POST.copy()
        data["version"] = str(card.version)
        form = _build_form(interview, data=data)
        form.is_valid()
        form.add_problems({**exc.problems, **extra})
        return _fill_page(request, interview, form, card=card, status=422)
    messages.success(request, "Scorecard submitted. Thank you!")
    return redirect("scorecards:detail", card.pk)


def _conflict(request, interview, form, current, kind):
    """Refused: nothing was written. What was typed stays in the form (or on screen, for
    an autosave) so it can be copied before loading the latest version."""
    if request.htmx:
        return _status(request, kind, card=current, status=409)
    return _fill_page(request, interview, form, card=current, conflict=kind, status=409)


# --- reading and reopening ---------------------------------------------------------------


def _card_rows(dimensions, focus_ids, ratings: dict) -> list[dict]:
    rows = []
    for d in sorted(dimensions, key=lambda d: (d.id not in focus_ids, d.order, d.id)):
        score, evidence = ratings.get(d.id, (None, ""))
        rows.append(
            {
                "dimension": d,
                "focus": d.id in focus_ids,
                "score": score,
                "label": d.anchor_list()[score - 1][1] if score else "Not assessed",
                "anchor": d.anchor(score) if score else "",
                "evidence": evidence,
            }
        )
    return rows


def _signal_rows(signals, checks: dict) -> list[dict]:
    return [{"signal": s, "note": checks[s.id]} for s in signals if s.id in checks]


def _detail_page(request, card, interviews, reopen_form=None, status=200):
    interview = card.interview
    revision = interview.application.revision
    dimensions = list(revision.dimensions.all())
    signals = list(revision.signals.all())
    focus_ids = set(interview.stage.focus_dimensions.values_list("id", flat=True))
    content = card.content()
    others = [i for i in interviews if i.pk != interview.pk]
    history = []
    for event in card.events():
        if event.kind == "submitted":
            event.rows = _card_rows(dimensions, focus_ids, event.ratings)
            event.signal_rows = _signal_rows(signals, event.signals)
        history.append(event)
    context = {
        "card": card,
        "interview": interview,
        "application": interview.application,
        "rows": _card_rows(dimensions, focus_ids, content.ratings),
        "signal_rows": _signal_rows(signals, content.signals),
        "history": history,
        "is_owner": interview.interviewer_id == request.user.pk,
        "back_to_application": is_recruiter(request.user)
        or interview.application.hiring_manager_id == request.user.pk,
        "can_reopen": is_recruiter(request.user) and card.is_submitted,
        "reopen_form": reopen_form or ReopenForm(),
        "others": [i for i in others if i.card_readable],
        "hidden_count": sum(1 for i in others if not i.card_readable),
        # Why they are hidden, when it is the viewer's own card that keeps them so.
        "awaited": any(not i.card_readable for i in others)
        and interview.application.cards_awaited_from(request.user),
    }
    return render(request, "scorecards/detail.html", context, status=status)


@group_required(RECRUITER, HIRING_MANAGER, INTERVIEWER)
@require_GET
def detail(request, pk):
    card, interviews = _get_scorecard_for_user(request, pk)
    if card.interview.interviewer_id == request.user.pk and not card.is_submitted:
        return redirect("scorecards:fill", card.interview_id)
    return _detail_page(request, card, interviews)


@group_required(RECRUITER)
@require_POST
def reopen(request, pk):
    card, interviews = _get_scorecard_for_user(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, card, interviews, reopen_form=form, status=422)
    try:
        reopened = card.reopen(request.user, form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("scorecards:detail", card.pk)
    if reopened:
        interviewer = card.interview.interviewer
        messages.success(
            request,
            f"Scorecard reopened. {display_name(interviewer)} can "
            "edit it again; the earlier submission stays in its history.",
        )
    return redirect("scorecards:detail", card.pk)
