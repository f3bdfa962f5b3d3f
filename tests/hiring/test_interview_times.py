"""Interview times: the recruiters' form takes times within two years of today, with a
clear error beside the field; the model refuses anything outside 2000-2099 (the admin, a
script). A row stored before times were checked (9999-12-31 23:30, past the calendar's
end once its due time is added or it is moved into a time zone east of UTC) breaks no
page: the application page, the scorecard page, its autosave, My interviews, the card."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hiring.models import Interview
from scorecards.models import Scorecard
from tests import factories
from tests.hiring.test_loop import row_of
from tests.scorecards.builders import build_loop, complete_post

pytestmark = pytest.mark.django_db

END_OF_TIME = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
START_OF_TIME = datetime(1, 1, 1, 0, 30, tzinfo=UTC)
# West of UTC the start of the calendar is out of reach, east of it the end.
TIME_ZONES = ["UTC", "Asia/Tokyo", "Pacific/Kiritimati", "America/New_York"]


@pytest.fixture
def loop(db):
    return build_loop(factories.InterviewerFactory(first_name="Ines", last_name="Ito"))


def local(value: datetime) -> str:
    """`value` as the datetime-local input of the form gives it."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def stored(interview, when) -> None:
    """A time stored as rows were before times were checked: no validation."""
    Interview.objects.filter(pk=interview.pk).update(scheduled_at=when)


# How the pages write each: in the time zone (before 1887 Tokyo kept its local mean time,
# +09:18:59), or in UTC, saying so, where the time zone would leave the calendar.
SHOWN = {
    (END_OF_TIME, "UTC"): "Fri 31 Dec 9999, 23:30",
    (END_OF_TIME, "Asia/Tokyo"): "Fri 31 Dec 9999, 23:30 UTC",
    (END_OF_TIME, "Pacific/Kiritimati"): "Fri 31 Dec 9999, 23:30 UTC",
    (END_OF_TIME, "America/New_York"): "Fri 31 Dec 9999, 18:30",
    (START_OF_TIME, "UTC"): "Mon 1 Jan 0001, 00:30",
    (START_OF_TIME, "Asia/Tokyo"): "Mon 1 Jan 0001, 09:48",
    (START_OF_TIME, "Pacific/Kiritimati"): "Mon 1 Jan 0001, 00:30 UTC",
    (START_OF_TIME, "America/New_York"): "Mon 1 Jan 0001, 00:30 UTC",
}


@pytest.mark.parametrize("tz", TIME_ZONES)
@pytest.mark.parametrize("when", [END_OF_TIME, START_OF_TIME], ids=["9999", "0001"])
def test_a_time_at_the_ends_of_the_calendar_breaks_no_page(client, settings, loop, tz, when):
    settings.TIME_ZONE = tz
    stored(loop.interview, when)
    client.force_login(factories.RecruiterFactory())
    application_page = client.get(loop.application.get_absolute_url())
    assert application_page.status_code == 200
    body = application_page.content.decode()
    row = row_of(body, loop.interview.interviewer)
    assert f"<td>{SHOWN[when, tz]}</td>" in row
    # The year 9999 is not overdue; the year 1 is.
    assert ("Overdue" in row) == (when == START_OF_TIME)

    client.force_login(loop.interview.interviewer)
    fill_url = reverse("scorecards:fill", args=[loop.interview.pk])
    fill = client.get(fill_url)
    assert fill.status_code == 200 and SHOWN[when, tz] in fill.content.decode()
    autosave = client.post(
        fill_url,
        {"version": "0", "summary": "Typed at the end of time"},
        headers={"HX-Request": "true"},
    )
    assert autosave.status_code == 200 and 'data-testid="saved"' in autosave.content.decode()
    card = Scorecard.objects.get(interview=loop.interview)
    assert card.summary == "Typed at the end of time"
    my_interviews = client.get(reverse("hiring:my_interviews"))
    assert my_interviews.status_code == 200 and SHOWN[when, tz] in my_interviews.content.decode()
    submitted = client.post(fill_url, complete_post(loop, card.version, action="submit"))
    assert submitted.status_code == 302
    card_page = client.get(submitted.url)  # the card, read-only
    assert card_page.status_code == 200 and SHOWN[when, tz] in card_page.content.decode()


def test_the_card_state_of_the_last_moment_is_not_overdue(loop):
    stored(loop.interview, END_OF_TIME)
    interview = Interview.objects.select_related("application").get(pk=loop.interview.pk)
    assert interview.due_at is None
    assert interview.card_state == "not_started"
    assert Interview.objects.with_card_state().get(pk=interview.pk).card_state == "not_started"


@pytest.mark.parametrize("tz", TIME_ZONES)
@pytest.mark.parametrize(
    "typed",
    ["9999-12-31T23:30", "0001-01-01T00:30", "2999-01-01T10:00", "1999-12-31T10:00"],
)
def test_the_form_refuses_a_time_far_from_today_beside_the_field(
    recruiter_client, settings, loop, tz, typed
):
    settings.TIME_ZONE = tz
    ivy = factories.InterviewerFactory()
    before = Interview.objects.count()
    response = recruiter_client.post(
        reverse("hiring:interview_add", args=[loop.application.pk]),
        {"stage": loop.stage.pk, "interviewer": ivy.pk, "scheduled_at": typed},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Choose a time within two years of today" in body
    assert 'value="' + typed + '"' in body  # what was typed stays in the field
    assert Interview.objects.count() == before

    edit = recruiter_client.post(
        reverse("hiring:interview_edit", args=[loop.other_interview.pk]),
        {
            "stage": loop.other_stage.pk,
            "interviewer": loop.other_interview.interviewer.pk,
            "scheduled_at": typed,
        },
    )
    assert "Choose a time within two years of today" in edit.content.decode()
    loop.other_interview.refresh_from_db()
    assert loop.other_interview.scheduled_at.year < 2999


def test_the_form_takes_a_time_within_two_years_and_shows_the_range(recruiter_client, loop):
    ivy = factories.InterviewerFactory()
    page = recruiter_client.get(loop.application.get_absolute_url()).content.decode()
    now = timezone.now()
    assert f'min="{local(now - timedelta(days=730))[:10]}' in page
    assert f'max="{local(now + timedelta(days=730))[:10]}' in page
    soon = now + timedelta(days=700)
    response = recruiter_client.post(
        reverse("hiring:interview_add", args=[loop.application.pk]),
        {"stage": loop.stage.pk, "interviewer": ivy.pk, "scheduled_at": local(soon)},
    )
    assert response.status_code == 302
    assert Interview.objects.get(interviewer=ivy).scheduled_at.date() == soon.date()


def test_an_old_time_left_as_it_is_does_not_block_other_changes(recruiter_client, loop):
    """An interview three years back keeps its time when its interviewer changes."""
    three_years_ago = timezone.now().replace(second=0, microsecond=0) - timedelta(days=3 * 365)
    stored(loop.other_interview, three_years_ago)
    ivy = factories.InterviewerFactory()
    response = recruiter_client.post(
        reverse("hiring:interview_edit", args=[loop.other_interview.pk]),
        {
            "stage": loop.other_stage.pk,
            "interviewer": ivy.pk,
            "scheduled_at": local(three_years_ago),
        },
    )
    assert response.status_code == 302
    loop.other_interview.refresh_from_db()
    assert loop.other_interview.interviewer == ivy
    assert loop.other_interview.scheduled_at == three_years_ago


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (END_OF_TIME, "An interview cannot be after the year 2099."),
        (datetime(1999, 12, 31, tzinfo=UTC), "An interview cannot be before the year 2000."),
    ],
)
def test_the_model_refuses_a_time_outside_2000_to_2099(loop, when, message):
    """What the admin and any full_clean() use."""
    loop.interview.scheduled_at = when
    with pytest.raises(ValidationError) as refused:
        loop.interview.full_clean()
    assert refused.value.message_dict["scheduled_at"] == [message]
