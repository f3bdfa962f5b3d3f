"""Email through a real SMTP server (tests/smtp_server.py, aiosmtpd in its own process):
an interviewer's invites (assigned, moved, removed, given to someone else) with their
iCalendar part, the hiring manager's "panel ready", and a server that refuses or is
down: the request still answers at once, the email waits in the outbox with its error,
and `send_outbox` delivers it exactly once when the server is back. Each kind of email
can be switched off on the profile."""

import re
import socket
import time
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hiring.models import Interview, OutboxEmail
from hiring_site.models import Profile
from scorecards.models import Scorecard, ScorecardContent
from tests import factories
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.django_db

# 09:00 UTC on a winter day is 18:00 in Tokyo (no daylight saving there).
MONDAY_0900_UTC = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
MONDAY_TOKYO = "Mon 11 Jan 2027, 18:00"


@pytest.fixture
def smtp(tmp_path, settings):
    """A server accepting everything, the app's mail sent to it by SMTP."""
    server = SmtpServer(tmp_path / "maildir").start()
    _use(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def smtp_stopped(tmp_path, settings):
    """A server not started yet (its port free, so connecting is refused); the test
    starts it."""
    server = SmtpServer(tmp_path / "maildir")
    _use(settings, server.port)
    yield server
    server.stop()


def _use(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://scorecards.example.com"
    settings.DEFAULT_FROM_EMAIL = "Scorecards <scorecards@example.com>"


@pytest.fixture
def loop(db):
    """An application with two stages, and two interviewers reading times in Tokyo."""
    application = factories.ApplicationFactory(candidate__name="Ada Lovelace")
    stage = factories.InterviewStageFactory(
        revision=application.revision, name="System design", duration_minutes=90
    )
    other_stage = factories.InterviewStageFactory(
        revision=application.revision, name="Coding", duration_minutes=45
    )
    ivy = factories.InterviewerFactory(first_name="Ivy", email="ivy@example.com")
    jo = factories.InterviewerFactory(first_name="Jo", email="jo@example.com")
    for person in (ivy, jo):
        Profile.objects.create(user=person, time_zone="Asia/Tokyo")
    return application, stage, other_stage, ivy, jo


@pytest.fixture
def recruiter_in_utc(client, recruiter):
    factories.set_time_zone(client, recruiter, "UTC")
    return client


def _typed(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def _post(client, capture, url, data=None):
    """POST as a request does it: the email is tried once the transaction commits."""
    with capture(execute=True):
        started = time.monotonic()
        response = client.post(url, data or {})
        elapsed = time.monotonic() - started
    assert response.status_code == 302, response.content.decode()[:2000]
    return elapsed


def _assign(client, capture, application, stage, interviewer, when=MONDAY_0900_UTC):
    url = reverse("hiring:interview_add", args=[application.pk])
    data = {"stage": stage.pk, "interviewer": interviewer.pk, "scheduled_at": _typed(when)}
    elapsed = _post(client, capture, url, data)
    return Interview.objects.get(application=application, stage=stage), elapsed


def _edit(client, capture, interview, **changes):
    data = {
        "stage": interview.stage_id,
        "interviewer": interview.interviewer_id,
        "scheduled_at": _typed(interview.scheduled_at),
        **changes,
    }
    _post(client, capture, reverse("hiring:interview_edit", args=[interview.pk]), data)


def _parts(message) -> dict:
    """The message's text, HTML and calendar parts by content type."""
    return {
        part.get_content_type(): part
        for part in message.walk()
        if not part.is_multipart() and part.get_content_maintype() == "text"
    }


def _invite(message):
    part = _parts(message)["text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    return calendar, event, part


def _text(message) -> str:
    return _parts(message)["text/plain"].get_content()


# --- an interviewer's invites ------------------------------------------------------------------


def test_an_assigned_interviewer_gets_an_invite_in_their_time_zone(
    smtp, loop, recruiter_in_utc, django_capture_on_commit_callbacks
):
    application, stage, _, ivy, _ = loop
    interview, _ = _assign(
        recruiter_in_utc, django_capture_on_commit_callbacks, application, stage, ivy
    )
    (message,) = smtp.messages()
    assert message["To"] == "ivy@example.com"
    assert message["Subject"] == f"Interview: Ada Lovelace, System design, {MONDAY_TOKYO}"
    text = _text(message)
    assert "Hello Ivy" in text and f"When: {MONDAY_TOKYO} (Asia/Tokyo)" in text
    scorecard = f"https://scorecards.example.com/scorecards/interviews/{interview.pk}/"
    assert f"Your scorecard: {scorecard}\n" in text
    assert f"Stage brief: {scorecard}#brief-heading" in text
    html = _parts(message)["text/html"].get_content()
    assert f'href="{scorecard}"' in html and MONDAY_TOKYO in html

    calendar, event, part = _invite(message)
    assert calendar["METHOD"] == "REQUEST" and part.get_param("method") == "REQUEST"
    assert str(event["UID"]) == f"interview-{interview.pk}@scorecards.example.com"
    assert event["SEQUENCE"] == 0
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == MONDAY_0900_UTC and start.utcoffset() == timedelta(0)
    assert end - start == timedelta(minutes=90)
    assert event.to_ical().decode().count("DTSTART:20270111T090000Z") == 1  # UTC, "Z"
    assert str(event["URL"]) == scorecard
    assert scorecard + "#brief-heading" in str(event["DESCRIPTION"])
    assert str(event["ATTENDEE"]) == "mailto:ivy@example.com"
    assert str(event["ORGANIZER"]) == "mailto:scorecards@example.com"

    email = OutboxEmail.objects.get()
    assert email.sent_at is not None and email.attempts == 1 and email.last_error == ""


def test_each_change_of_time_sends_the_same_event_with_a_higher_sequence(
    smtp, loop, recruiter_in_utc, django_capture_on_commit_callbacks
):
    application, stage, _, ivy, _ = loop
    capture = django_capture_on_commit_callbacks
    interview, _ = _assign(recruiter_in_utc, capture, application, stage, ivy)
    later = MONDAY_0900_UTC + timedelta(days=1, hours=2)
    _edit(recruiter_in_utc, capture, interview, scheduled_at=_typed(later))
    interview.refresh_from_db()
    _edit(recruiter_in_utc, capture, interview, scheduled_at=_typed(later + timedelta(hours=1)))
    # Saved unchanged: no email, the sequence stays.
    interview.refresh_from_db()
    _edit(recruiter_in_utc, capture, interview)

    messages = smtp.messages()
    assert len(messages) == 3
    events = [_invite(m)[1] for m in messages]
    assert {str(e["UID"]) for e in events} == {f"interview-{interview.pk}@scorecards.example.com"}
    assert [e["SEQUENCE"] for e in events] == [0, 1, 2]
    assert [_invite(m)[0]["METHOD"] for m in messages] == ["REQUEST"] * 3
    assert events[1].decoded("DTSTART") == later
    assert events[2].decoded("DTSTART") == later + timedelta(hours=1)
    moved = messages[1]
    assert moved["Subject"].startswith("Interview changed: Ada Lovelace, System design")
    assert f"(it was {MONDAY_TOKYO})" in _text(moved)
    assert "When: Tue 12 Jan 2027, 20:00 (Asia/Tokyo)" in _text(moved)
    assert Interview.objects.get(pk=interview.pk).invite_sequence == 2


def test_removing_an_interview_cancels_its_event(
    smtp, loop, recruiter_in_utc, django_capture_on_commit_callbacks
):
    application, stage, _, ivy, _ = loop
    capture = django_capture_on_commit_callbacks
    interview, _ = _assign(recruiter_in_utc, capture, application, stage, ivy)
    _post(recruiter_in_utc, capture, reverse("hiring:interview_delete", args=[interview.pk]))
    assert not Interview.objects.filter(pk=interview.pk).exists()

    invite, cancel = smtp.messages()
    assert cancel["To"] == "ivy@example.com"
    assert cancel["Subject"] == "Cancelled: interview of Ada Lovelace, System design"
    assert "was taken off the loop" in _text(cancel)
    calendar, event, part = _invite(cancel)
    assert calendar["METHOD"] == "CANCEL" and part.get_param("method") == "CANCEL"
    assert event["UID"] == _invite(invite)[1]["UID"]
    assert event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    assert event.decoded("DTSTART") == MONDAY_0900_UTC


def test_giving_an_interview_to_someone_else_cancels_for_one_and_invites_the_other(
    smtp, loop, recruiter_in_utc, django_capture_on_commit_callbacks
):
    application, stage, _, ivy, jo = loop
    capture = django_capture_on_commit_callbacks
    interview, _ = _assign(recruiter_in_utc, capture, application, stage, ivy)
    _edit(recruiter_in_utc, capture, interview, interviewer=jo.pk)

    first, *rest = smtp.messages()
    by_recipient = {m["To"]: m for m in rest}
    assert set(by_recipient) == {"ivy@example.com", "jo@example.com"}
    cancel, request = by_recipient["ivy@example.com"], by_recipient["jo@example.com"]
    assert "Someone else now interviews Ada Lovelace" in _text(cancel)
    assert _invite(cancel)[0]["METHOD"] == "CANCEL"
    assert _invite(request)[0]["METHOD"] == "REQUEST"
    assert "Hello Jo" in _text(request)
    uid = _invite(first)[1]["UID"]
    assert _invite(cancel)[1]["UID"] == uid == _invite(request)[1]["UID"]
    assert _invite(cancel)[1]["SEQUENCE"] == _invite(request)[1]["SEQUENCE"] == 1
    assert str(_invite(request)[1]["ATTENDEE"]) == "mailto:jo@example.com"


def test_a_loop_rolled_back_sends_nothing(smtp, loop, recruiter_in_utc, monkeypatch):
    application, stage, other_stage, ivy, jo = loop
    url = reverse("hiring:loop_assign", args=[application.pk])
    # Between the page and the post, Jo was assigned to Coding: the loop saves nothing.
    factories.InterviewFactory(application=application, stage=other_stage, interviewer=jo)
    data = {
        f"stage{stage.pk}-interviewer": ivy.pk,
        f"stage{stage.pk}-scheduled_at": _typed(MONDAY_0900_UTC),
        f"stage{other_stage.pk}-interviewer": jo.pk,
        f"stage{other_stage.pk}-scheduled_at": _typed(MONDAY_0900_UTC),
    }
    response = recruiter_in_utc.post(url, data)
    assert response.status_code == 422
    assert not OutboxEmail.objects.exists() and smtp.messages() == []


# --- the hiring manager's panel -----------------------------------------------------------------


def _submit(interview):
    with_card = Scorecard(interview=interview, version=0)
    with_card.submit(ScorecardContent(recommendation="yes"), 0, interview.interviewer)


def test_the_hiring_manager_hears_once_when_the_last_expected_card_is_in(
    smtp, django_capture_on_commit_callbacks
):
    manager = factories.HiringManagerFactory(first_name="Mia", email="mia@example.com")
    application = factories.ApplicationFactory(
        hiring_manager=manager, candidate__name="Grace Hopper"
    )
    first, second = (
        factories.InterviewFactory(application=application, interviewer__email=f"i{n}@example.com")
        for n in range(2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        _submit(first)
    assert smtp.messages() == []  # one card of two
    with django_capture_on_commit_callbacks(execute=True):
        _submit(second)
    (message,) = smtp.messages()
    assert message["To"] == "mia@example.com"
    assert message["Subject"] == (
        f"Panel ready: Grace Hopper for {application.revision.role.title}"
    )
    text = _text(message)
    assert "All 2 scorecards for Grace Hopper" in text and "Hello Mia" in text
    panel = f"https://scorecards.example.com/hiring/applications/{application.pk}/panel/"
    assert f"The panel: {panel}" in text
    assert "text/calendar" not in _parts(message)


def test_no_panel_ready_for_a_withdrawn_application(smtp, django_capture_on_commit_callbacks):
    interview = factories.InterviewFactory()
    interview.application.withdraw(factories.RecruiterFactory())
    with django_capture_on_commit_callbacks(execute=True):
        _submit(interview)
    assert smtp.messages() == [] and not OutboxEmail.objects.exists()


# --- a server that refuses, or is down ------------------------------------------------------------


def _later(**delta):
    return timezone.now() + timedelta(**delta)


@pytest.mark.parametrize("trouble", ["refuses", "down", "silent"])
def test_a_failing_server_never_fails_the_request_and_send_outbox_delivers_later_once(
    trouble, smtp_stopped, loop, recruiter_in_utc, django_capture_on_commit_callbacks, settings
):
    application, stage, _, ivy, _ = loop
    settings.EMAIL_REQUEST_TIMEOUT = 1
    silent = None
    if trouble == "refuses":
        smtp_stopped.start(refuse=True)
    elif trouble == "silent":
        # Takes the connection but never greets: only the timeout ends the attempt.
        silent = socket.create_server(("127.0.0.1", smtp_stopped.port))
    try:
        interview, elapsed = _assign(
            recruiter_in_utc, django_capture_on_commit_callbacks, application, stage, ivy
        )
    finally:
        smtp_stopped.stop()
        if silent is not None:
            silent.close()
    assert elapsed < 3, f"the request waited {elapsed:.1f}s on the mail server"
    email = OutboxEmail.objects.get()
    assert email.sent_at is None and email.attempts == 1
    expected = {"refuses": "550", "down": "Connection refused", "silent": "timed out"}[trouble]
    assert expected in email.last_error
    assert email.next_attempt_at > timezone.now()  # backed off
    assert Interview.objects.get(pk=interview.pk).invite_sequence == 0  # the change is kept

    smtp_stopped.start()
    call_command("send_outbox")  # not due yet: waits
    assert smtp_stopped.messages() == []
    # Its wait is over.
    OutboxEmail.objects.update(next_attempt_at=_later(seconds=-1))
    call_command("send_outbox")
    call_command("send_outbox")  # again: nothing more
    (message,) = smtp_stopped.messages()
    assert message["To"] == "ivy@example.com" and _invite(message)[0]["METHOD"] == "REQUEST"
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2 and email.last_error == ""


def test_send_outbox_backs_off_and_reports_what_failed(smtp_stopped, loop, capsys):
    application, stage, _, ivy, _ = loop
    Interview(application=application, stage=stage, interviewer=ivy).assign()
    waits = []
    for _ in range(4):
        OutboxEmail.objects.update(next_attempt_at=_later(seconds=-1))
        before = timezone.now()
        call_command("send_outbox")
        waits.append(OutboxEmail.objects.get().next_attempt_at - before)
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 2, 4, 8]
    out, err = capsys.readouterr()
    assert "Could not send “Interview: Ada Lovelace, System design” to ivy@example.com" in err
    assert "Sent 0 email(s); 1 failed; 1 waiting." in out
    assert OutboxEmail.objects.get().attempts == 4


def test_two_senders_at_once_send_an_email_once(smtp, loop):
    from hiring import outbox

    application, stage, _, ivy, _ = loop
    Interview(application=application, stage=stage, interviewer=ivy).assign()
    pk = OutboxEmail.objects.get().pk
    assert outbox.deliver(pk) is True
    assert outbox.deliver(pk) is None  # sent: the second claim finds nothing
    assert len(smtp.messages()) == 1


# --- what each person wants ---------------------------------------------------------------------


def test_interviewers_who_turned_invitations_off_get_none(
    smtp, loop, recruiter_in_utc, django_capture_on_commit_callbacks
):
    application, stage, other_stage, ivy, jo = loop
    Profile.objects.filter(user=ivy).update(email_assignments=False)
    capture = django_capture_on_commit_callbacks
    interview, _ = _assign(recruiter_in_utc, capture, application, stage, ivy)
    _edit(recruiter_in_utc, capture, interview, scheduled_at=_typed(_later(days=3)))
    interview.refresh_from_db()
    _edit(recruiter_in_utc, capture, interview, interviewer=jo.pk)
    # Ivy got nothing (no invite, no change, no cancellation); Jo, who wants them, did.
    assert [m["To"] for m in smtp.messages()] == ["jo@example.com"]
    assert not OutboxEmail.objects.filter(to="ivy@example.com").exists()


def test_a_hiring_manager_who_turned_panel_ready_off_gets_none(smtp):
    manager = factories.HiringManagerFactory()
    Profile.objects.create(user=manager, email_panel_ready=False)
    interview = factories.InterviewFactory(application__hiring_manager=manager)
    _submit(interview)
    assert not OutboxEmail.objects.exists()


def test_no_email_for_people_without_an_address_or_inactive(smtp, loop):
    application, stage, other_stage, ivy, jo = loop
    type(ivy).objects.filter(pk=ivy.pk).update(email="")
    type(jo).objects.filter(pk=jo.pk).update(is_active=False)
    ivy.refresh_from_db()
    jo.refresh_from_db()
    Interview(application=application, stage=stage, interviewer=ivy).assign()
    Interview(application=application, stage=other_stage, interviewer=jo).assign()
    assert not OutboxEmail.objects.exists()


def test_the_profile_page_switches_each_kind_of_email(client, interviewer):
    client.force_login(interviewer)
    page = client.get(reverse("profile")).content.decode()
    for label in ("Interview invitations", "Panel ready", "Scorecard reminders"):
        assert label in page
    response = client.post(
        reverse("profile"),
        {"time_zone": "Europe/Paris", "email_panel_ready": "on"},
        follow=True,
    )
    assert "Your choice of emails is saved." in response.content.decode()
    profile = Profile.objects.get(user=interviewer)
    assert (profile.email_assignments, profile.email_panel_ready, profile.email_reminders) == (
        False,
        True,
        False,
    )
    # A refused form keeps the switches as they were typed.
    typed = {"time_zone": "Mars/Olympus", "email_reminders": "on"}
    refused = client.post(reverse("profile"), typed)
    assert refused.status_code == 422
    body = refused.content.decode()
    checked = {
        re.search(r'name="(\w+)"', box).group(1)
        for box in re.findall(r"<input[^>]*checkbox[^>]*>", body)
        if box.endswith(" checked>")
    }
    assert checked == {"email_reminders"}
    profile.refresh_from_db()
    assert profile.email_reminders is False and profile.time_zone == "Europe/Paris"


def test_the_demo_data_emails_no_one(db):
    from hiring_site.demo_data import create_demo_data
    from hiring_site.management.commands.demo import ensure_demo_users
    from roles.services import import_builtin_roles

    users = ensure_demo_users()
    import_builtin_roles(user=users["recruiter"], publish=True)
    create_demo_data(users)
    assert Scorecard.objects.filter(status="submitted").exists()
    assert not OutboxEmail.objects.exists()


def test_changes_made_in_the_admin_tell_the_interviewer_too(smtp, loop, client):
    from tests.test_groups_and_admin import change_url, delete_url, page_form

    application, stage, _, ivy, jo = loop
    client.force_login(factories.RecruiterFactory(is_staff=True))
    interview = factories.InterviewFactory(
        application=application, stage=stage, interviewer=ivy, scheduled_at=MONDAY_0900_UTC
    )
    _, data = page_form(client, change_url(interview))
    data.update(interviewer=[str(jo.pk)])
    assert client.post(change_url(interview), data).status_code == 302
    assert client.post(delete_url(interview), {"post": "yes"}).status_code == 302
    assert not Interview.objects.filter(pk=interview.pk).exists()
    sent = [
        (e.to, icalendar.Calendar.from_ical(e.calendar)["METHOD"])
        for e in OutboxEmail.objects.order_by("id")
    ]
    assert sent == [
        ("ivy@example.com", "CANCEL"),
        ("jo@example.com", "REQUEST"),
        ("jo@example.com", "CANCEL"),
    ]


def test_the_outbox_is_shown_read_only_to_administrators_only(admin_client, client, loop):
    application, stage, _, ivy, _ = loop
    Interview(application=application, stage=stage, interviewer=ivy).assign()
    email = OutboxEmail.objects.get()
    page = admin_client.get(reverse("admin:hiring_outboxemail_changelist"))
    assert page.status_code == 200 and "ivy@example.com" in page.content.decode()
    change = reverse("admin:hiring_outboxemail_change", args=[email.pk])
    assert "View outbox email" in admin_client.get(change).content.decode()
    assert admin_client.post(change, {"to": "x@example.com"}).status_code == 403
    client.force_login(factories.RecruiterFactory(is_staff=True))
    assert client.get(reverse("admin:hiring_outboxemail_changelist")).status_code == 403
    assert OutboxEmail.objects.get().to == "ivy@example.com"


def test_under_blind_review_an_interviewers_email_and_invite_carry_the_code(smtp, loop):
    application, stage, _, ivy, _ = loop
    type(application.revision).objects.filter(pk=application.revision_id).update(blind_review=True)
    application.refresh_from_db()
    Interview(
        application=application, stage=stage, interviewer=ivy, scheduled_at=MONDAY_0900_UTC
    ).assign()
    email = OutboxEmail.objects.get()
    code = application.candidate_code
    assert code.startswith("C-")
    for text in (email.subject, email.text, email.html, email.calendar):
        assert "Ada Lovelace" not in text and "Lovelace" not in text
    assert code in email.subject and code in email.text and code in email.calendar
