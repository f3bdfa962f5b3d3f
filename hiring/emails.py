"""What the app tells people by email, each through the outbox (hiring.outbox):

- an interviewer, when assigned an interview, when its time (or stage) changes and when
  it is taken off the loop or given to someone else, each with a calendar invite
  (`invite`: METHOD REQUEST or CANCEL, one UID per interview, its SEQUENCE rising with
  every change, the time in UTC, the links to the scorecard and the stage brief);
- the hiring manager, when the last expected card of an application is submitted
  (`panel_ready`);
- an interviewer whose cards are overdue (`scorecard_reminder`, from
  `send_scorecard_reminders`).

No email carries results (ratings, recommendations): only who, what and when.
"""

from datetime import UTC, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hiring import outbox
from hiring.blind import candidate_label
from hiring.models import Application, Interview

Kind = outbox.Kind

# An interview whose stage gives no length is put in calendars for this long.
DEFAULT_LENGTH = timedelta(hours=1)


def _url(path: str, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + path


def scorecard_url(interview: Interview, base_url: str | None = None) -> str:
    return _url(reverse("scorecards:fill", args=[interview.pk]), base_url)


def brief_url(interview: Interview) -> str:
    # The stage brief heads the scorecard page (templates/scorecards/_brief.html).
    return scorecard_url(interview) + "#brief-heading"


def invite_uid(interview: Interview) -> str:
    """The one UID of the interview's calendar event, whatever changes."""
    host = urlsplit(settings.SITE_URL).hostname or "scorecards"
    return f"interview-{interview.pk}@{host}"


def invite(interview: Interview, method: str, sequence: int) -> str:
    """The interview as an iCalendar object of `method` (REQUEST or CANCEL), at
    `sequence`; "" if it has no time (a calendar event needs one)."""
    if interview.scheduled_at is None:
        return ""
    start = interview.scheduled_at.astimezone(UTC)
    minutes = interview.stage.duration_minutes
    end = start + (timedelta(minutes=minutes) if minutes else DEFAULT_LENGTH)
    application = interview.application
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Scorecards//Interview invites//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", invite_uid(interview))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add(
        "summary",
        f"Interview: {candidate_label(application, interview.interviewer)}, {interview.stage.name} "
        f"({application.revision.role.title})",
    )
    event.add(
        "description",
        f"Scorecard: {scorecard_url(interview)}\nStage brief: {brief_url(interview)}",
    )
    event.add("url", scorecard_url(interview))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = "Scorecards"
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{interview.interviewer.email}")
    attendee.params["cn"] = interview.interviewer.get_full_name() or interview.interviewer.email
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "NEEDS-ACTION"
    attendee.params["rsvp"] = "FALSE"
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _interview_context(interview: Interview) -> dict:
    stage = interview.stage
    return {
        "interview": interview,
        "application": interview.application,
        # The name, or the code under blind review (hiring.blind): never the name to a
        # blinded interviewer, in the email or its invite.
        "candidate_label": candidate_label(interview.application, interview.interviewer),
        "role": interview.application.revision.role,
        "stage": stage,
        "exercise": stage.exercise,
        "focus": list(stage.focus_dimensions.all()),
        "scorecard_url": scorecard_url(interview),
        "brief_url": brief_url(interview),
    }


def _send_request(interview: Interview, template: str, sequence: int, **extra) -> None:
    outbox.queue(
        Kind.ASSIGNMENTS,
        interview.interviewer,
        template,
        {**_interview_context(interview), **extra},
        calendar=invite(interview, "REQUEST", sequence),
    )


def _send_cancel(interview: Interview, sequence: int, **extra) -> None:
    outbox.queue(
        Kind.ASSIGNMENTS,
        interview.interviewer,
        "interview_cancelled",
        {**_interview_context(interview), **extra},
        calendar=invite(interview, "CANCEL", sequence),
    )


def interview_assigned(interview: Interview) -> None:
    """Invite the interviewer of a new interview."""
    _send_request(interview, "interview_assigned", interview.invite_sequence)


def interview_changed(before: Interview, after: Interview) -> None:
    """Tell of a change (`before` as it was, `after` saved with its new sequence): given
    to another interviewer, the one before gets a cancellation and the new one an
    invite; otherwise the interviewer gets the updated invite."""
    sequence = after.invite_sequence
    if before.interviewer_id != after.interviewer_id:
        _send_cancel(before, sequence, reassigned=True)
        _send_request(after, "interview_assigned", sequence)
    else:
        _send_request(after, "interview_changed", sequence, before=before)


def interview_removed(interview: Interview) -> None:
    """Cancel the invite of an interview taken off the loop."""
    _send_cancel(interview, interview.invite_sequence + 1, reassigned=False)


def panel_ready(application_id: int) -> None:
    """Tell the application's hiring manager that its panel is complete: called in the
    transaction of the submission of its last expected card (Scorecard.submit, once
    ApplicationQuerySet.ready_to_decide_q holds)."""
    application = Application.objects.select_related(
        "candidate", "revision__role", "hiring_manager"
    ).get(pk=application_id)
    expected = application.cards_expected
    outbox.queue(
        Kind.PANEL_READY,
        application.hiring_manager,
        "panel_ready",
        {
            "application": application,
            "candidate_label": candidate_label(application, application.hiring_manager),
            "role": application.revision.role,
            "cards": expected,
            "panel_url": _url(reverse("hiring:panel", args=[application.pk])),
        },
    )


def scorecard_reminder(interviewer, interviews, base_url: str | None = None):
    """Remind `interviewer` of their overdue `interviews` (with their application's
    candidate and role, and stage); the outbox row, or None if they want none.
    `base_url`: the app's address for the links, if not settings.SITE_URL."""
    rows = [
        {
            "interview": i,
            "candidate": candidate_label(i.application, interviewer),
            "url": scorecard_url(i, base_url),
        }
        for i in interviews
    ]
    context = {"rows": rows, "count": len(rows)}
    if base_url:
        context["site_url"] = base_url.rstrip("/")
    return outbox.queue(Kind.REMINDERS, interviewer, "scorecard_reminder", context)
