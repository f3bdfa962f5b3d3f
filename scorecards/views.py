"""Interviewers fill their scorecard (drafts autosave through htmx, and a plain form post
works without JavaScript); readers see a submitted card; recruiters reopen one.

Who may read which card is decided on the model, `Scorecard.objects.readable_by`, per
DESIGN's table: recruiters every card; everyone their own; hiring managers of the
application and interviewers on it the submitted cards; and nobody another's card while
one of their own on the application is not submitted (blind until then).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hiring import blind
from hiring.models import Interview
from hiring_site.access import (
    HIRING_MANAGER,
    INTERVIEWER,
    RECRUITER,
    group_required,
    is_recruiter,
)
from hiring_site.formatting import display_name
from hiring_site.params import choice_param
from scorecards.forms import ReopenForm, ScorecardForm, card_parts
from scorecards.models import (
    IncompleteScorecard,
    InterviewGone,
    Scorecard,
    ScorecardReadOnly,
    StaleScorecard,
)

HIDDEN_UNTIL_OWN_CARD = (
    "This scorecard is hidden until your own card is submitted: you interview this "
    "candidate too, so the others' ratings cannot influence yours. Submit your own "
    "scorecard first; it is on My interviews."
)

# The query parameter of the scorecard page that shows what the draft lacks to be
# submitted, where a refused submit leads.
CHECK = "check"

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
    """The interviewer's own interview, with what the scorecard page shows (its stage and
    exercise, and in `parts` its revision's dimensions, signals and the stage's focus);
    404 otherwise. Four queries."""
    queryset = Interview.objects.select_related(
        "application__candidate", "application__revision__role", "stage__exercise", "scorecard"
    )
    interview = get_object_or_404(queryset, pk=pk, interviewer_id=request.user.pk)
    interview.parts = card_parts(interview.application.revision_id, interview.stage_id)
    return interview


def _get_scorecard_for_user(request, pk) -> tuple[Scorecard, list[Interview]]:
    """The card if `request.user` may read it (404 otherwise), and all interviews of its
    application with their cards, each with `card_readable`, for the list of the others."""
    readable = Scorecard.objects.readable_by(request.user)
    card = (
        readable.select_related(*(f"interview__{r}" for r in INTERVIEW_RELATED))
        .filter(pk=pk)
        .first()
    )
    if card is None:
        # Why, when it is the user's own pending card that hides it; otherwise nothing
        # that would tell whether the card exists.
        hidden = Scorecard.objects.hidden_until_own_card(request.user).filter(pk=pk)
        raise Http404(HIDDEN_UNTIL_OWN_CARD) if hidden.exists() else Http404()
    interviews = list(
        card.interview.application.interviews.select_related("stage", "interviewer", "scorecard")
        .annotate(card_readable=Exists(readable.filter(interview=OuterRef("pk"))))
        .order_by("stage__order", "scheduled_at", "id")
    )
    return card, interviews


# --- filling ---------------------------------------------------------------------------


def _build_form(interview, data=None, initial=None) -> ScorecardForm:
    parts = interview.parts  # see _get_interview_for_user
    return ScorecardForm(
        data,
        initial=initial,
        dimensions=parts.dimensions,
        focus_ids=parts.focus_ids,
        signals=parts.signals,
    )


def _fill_page(request, interview, form, *, card=None, conflict=None, status=200):
    card = card if card is not None else getattr(interview, "scorecard", None)
    earlier, reopened = [], None
    if card is not None and card.reopen_reason and not card.is_submitted:
        events = card.events()
        earlier = [e for e in events if e.kind == "submitted"]
        reopened = next((e for e in reversed(events) if e.kind == "reopened"), None)
        for event in earlier:
            event.rows = _card_rows(form.dimensions, form.focus_ids, event.ratings)
            event.signal_rows = _signal_rows(form.signals, event.signals)
    context = {
        "interview": interview,
        "application": interview.application,
        "stage": interview.stage,
        "card": card,
        "form": form,
        "recommendations": Scorecard.Recommendation.choices,
        "conflict": conflict,
        "earlier": earlier,
        "reopened": reopened,
        "save_state": "conflict" if conflict else ("loaded" if card and card.version else "idle"),
        "saved_at": card.updated_at if card else None,
    }
    return render(request, "scorecards/fill.html", context, status=status)


def _status(request, state, *, card=None, form=None, interview=None, problems=(), status=200):
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
            "problems": problems,
        },
        status=status,
    )


@_htmx_login_required
@group_required(INTERVIEWER)
@require_http_methods(["GET", "POST"])
def fill(request, pk):
    try:
        interview = _get_interview_for_user(request, pk)
    except Http404:
        if request.method == "POST":
            return _gone(request)
        raise
    card = getattr(interview, "scorecard", None)
    if request.method == "GET":
        checking = choice_param(request, CHECK, ("1",), "", what="check of the scorecard")
        if card is not None and card.is_submitted:
            return redirect("scorecards:detail", card.pk)
        content = card.content() if card else None
        initial = ScorecardForm.initial_from(content, card.version if card else 0)
        if card is not None and checking:
            # Where a refused submit leads (so that a reload asks again instead of posting
            # it again): what the draft, as it now is, still lacks, beside its fields.
            form = _build_form(interview, data=initial)
            form.is_valid()
            form.add_problems(card.submission_problems(content))
            return _fill_page(request, interview, form)
        return _fill_page(request, interview, _build_form(interview, initial=initial))

    form = _build_form(interview, data=request.POST)
    if not form.is_valid():
        if request.htmx:
            return _status(request, "invalid", form=form, status=422)
        return _fill_page(request, interview, form, status=422)

    if card is None:
        card = Scorecard(interview=interview, version=0)  # created by its first save
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
            return redirect("scorecards:detail", exc.current.pk)
        return _conflict(request, interview, form, exc.current, "readonly")
    except InterviewGone:
        return _gone(request, form)

    if request.htmx:
        interview.scorecard = card  # the status badge shown beside the heading
        # The fields whose submission problems still apply: the page takes the others'
        # messages away (scorecard.js), so none stays beside a field already put right.
        problems = [ScorecardForm.problem_field(*p) for p in card.submission_problems(content)]
        problems += form.unticked_notes()
        return _status(request, "saved", card=card, interview=interview, problems=problems)
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
        # Keep everything that was typed as the draft, then show what is missing: on a
        # page of its own (a reload then shows the draft again rather than posting this
        # form a second time), unless a note on an unticked signal, which the draft
        # cannot hold, must stay on this one.
        card.save_draft(content, version, request.user)
        if not extra:
            return redirect(f"{reverse('scorecards:fill', args=[interview.pk])}?{CHECK}=1")
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


# Labels of what a refused post carried when there is no form to name the fields (the
# interview is not the user's: its role's dimension and signal names are not shown).
_TYPED_LABELS = {"evidence": "Evidence", "note": "Note on a signal", "summary": "Summary"}


def _typed(data, form=None) -> list[tuple[str, str]]:
    """(label, text) of what the interviewer wrote in a post: evidence, notes, summary."""
    typed = []
    for name, text in data.items():
        kind = name.split("_", 1)[0]
        if kind in _TYPED_LABELS and text.strip():
            field = form.fields.get(name) if form is not None else None
            typed.append((field.label if field is not None else _TYPED_LABELS[kind], text))
    return typed


def _gone(request, form=None):
    """A post for an interview that is not the user's, or no longer: removed from the
    loop, given to another interviewer, or never theirs, all alike (404: whether it
    exists is not told). Nothing was saved; what was typed stays on the page (autosave)
    or is shown back to copy (a plain post)."""
    if request.htmx:
        return _status(request, "gone", status=404)
    context = {"typed": _typed(request.POST, form)}
    return render(request, "scorecards/gone.html", context, status=404)


# --- reading and reopening ---------------------------------------------------------------


class CardRows(list):
    """A card's rows, focus dimensions first; `unassessed` are those without a rating or
    evidence, which a read-only card lists in one line rather than a row each."""

    @property
    def unassessed(self) -> list[dict]:
        return [row for row in self if not row["assessed"]]


def _card_rows(dimensions, focus_ids, ratings: dict) -> CardRows:
    rows = CardRows()
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
                "assessed": bool(score or evidence),
            }
        )
    return rows


def _signal_rows(signals, checks: dict) -> list[dict]:
    return [{"signal": s, "note": checks[s.id]} for s in signals if s.id in checks]


def _next_card(user) -> dict | None:
    """The card `user` should fill next, as My interviews orders their To do
    (InterviewQuerySet.to_do), or None when every card of theirs is submitted."""
    return (
        Interview.objects.filter(interviewer=user)
        .to_do()
        .with_card_state()
        .values(
            "pk",
            "scheduled_at",
            "card_state",
            **blind.INTERVIEW_LABEL_VALUES,
            stage_name=F("stage__name"),
            card_id=F("scorecard__id"),
        )
        .first()
    )


def _detail_page(request, card, interviews, reopen_form=None, status=200):
    interview = card.interview
    parts = card_parts(interview.application.revision_id, interview.stage_id)
    dimensions, signals, focus_ids = parts.dimensions, parts.signals, parts.focus_ids
    content = card.content()
    others = [i for i in interviews if i.pk != interview.pk]
    is_owner = interview.interviewer_id == request.user.pk
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
        "is_owner": is_owner,
        "next_card": _next_card(request.user) if is_owner and card.is_submitted else None,
        "back_to_application": interview.application.panel_readable_by(request.user),
        # InterviewQuerySet.kits_readable_by: its interviewer, recruiters, the manager.
        "may_open_kit": is_owner or interview.application.panel_readable_by(request.user),
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
