"""Each person reads and enters times in their own time zone (hiring_site.models.Profile,
hiring_site.middleware.UserTimeZone); times are stored in UTC. A recruiter in New York
who types 09:00 on a winter day stores 14:00 UTC, reads 09:00 back, and an interviewer
in Paris reads 15:00; clock changes and far dates are written right."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Interview
from hiring_site.formatting import moment
from hiring_site.models import Profile, time_zones
from tests import factories
from tests.factories import set_time_zone
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1


@pytest.fixture
def loop(db):
    return build_loop(factories.InterviewerFactory(first_name="Pia", last_name="Paris"))


def assign(client, loop, typed: str):
    """The recruiter assigns a second interviewer to the first stage at `typed`
    (as the datetime-local input sends it)."""
    return client.post(
        reverse("hiring:interview_add", args=[loop.application.pk]),
        {
            "stage": loop.stage.pk,
            "interviewer": factories.InterviewerFactory().pk,
            "scheduled_at": typed,
        },
    )


def test_a_time_typed_in_new_york_is_stored_in_utc_and_read_in_each_persons_zone(client, loop):
    recruiter = factories.RecruiterFactory()
    set_time_zone(client, recruiter, "America/New_York")
    form = client.get(loop.application.get_absolute_url()).content.decode()
    assert "Time (America/New_York)" in form  # the field says which zone it takes
    response = assign(client, loop, f"{NEXT_YEAR}-01-15T09:00")
    assert response.status_code == 302
    interview = Interview.objects.order_by("-pk").first()
    assert interview.scheduled_at == datetime(NEXT_YEAR, 1, 15, 14, 0, tzinfo=UTC)
    with timezone.override(ZoneInfo("America/New_York")):
        shown = moment(interview.scheduled_at)
    page = client.get(loop.application.get_absolute_url()).content.decode()
    assert shown.endswith(f"15 Jan {NEXT_YEAR}, 09:00") and f"<td>{shown}</td>" in page
    assert 'data-testid="time-zone" title="Change your time zone">times in America/New_York' in page
    edit = client.get(reverse("hiring:interview_edit", args=[interview.pk])).content.decode()
    assert f'value="{NEXT_YEAR}-01-15T09:00"' in edit  # the form shows it back as typed

    set_time_zone(client, interview.interviewer, "Europe/Paris")
    mine = client.get(reverse("hiring:my_interviews")).content.decode()
    assert f"15 Jan {NEXT_YEAR}, 15:00</td>" in mine and "09:00</td>" not in mine
    assert "times in Europe/Paris" in mine


def test_summer_time_moves_the_offset_not_the_time_typed(client, loop):
    set_time_zone(client, factories.RecruiterFactory(), "America/New_York")
    assert assign(client, loop, f"{NEXT_YEAR}-07-15T09:00").status_code == 302
    stored = Interview.objects.order_by("-pk").first().scheduled_at
    assert stored == datetime(NEXT_YEAR, 7, 15, 13, 0, tzinfo=UTC)  # EDT: UTC-4


@pytest.mark.parametrize(
    "typed",
    [
        # 2nd Sunday of March: New York's clocks jump from 02:00 to 03:00.
        "2027-03-14T02:30",
        # 1st Sunday of November: 01:30 happens twice.
        "2027-11-07T01:30",
    ],
    ids=["skipped", "twice"],
)
def test_a_time_the_clock_change_skips_or_repeats_is_refused_with_a_message(client, loop, typed):
    set_time_zone(client, factories.RecruiterFactory(), "America/New_York")
    before = Interview.objects.count()
    response = assign(client, loop, typed)
    assert response.status_code == 422
    body = response.content.decode()
    assert "couldn’t be interpreted in time zone America/New_York" in body
    assert "it may be ambiguous or it may not exist" in body
    assert Interview.objects.count() == before


def test_moments_follow_the_active_zone_across_a_clock_change_and_far_ahead():
    winter = datetime(2027, 3, 14, 6, 59, tzinfo=UTC)  # 01:59 EST
    summer = datetime(2027, 3, 14, 7, 0, tzinfo=UTC)  # a minute later: 03:00 EDT
    far = datetime(2090, 7, 1, 12, 0, tzinfo=UTC)
    with timezone.override(ZoneInfo("America/New_York")):
        assert moment(winter) == "Sun 14 Mar 2027, 01:59"
        assert moment(summer) == "Sun 14 Mar 2027, 03:00"
        assert moment(far) == "Sat 1 Jul 2090, 08:00"
    with timezone.override(ZoneInfo("Europe/Paris")):
        assert moment(far) == "Sat 1 Jul 2090, 14:00"
        assert moment(winter) == "Sun 14 Mar 2027, 07:59"


def test_the_profile_page_lists_every_zone_and_saves_the_one_chosen(client):
    user = factories.InterviewerFactory()
    client.force_login(user)
    page = client.get(reverse("profile")).content.decode()
    options = re.findall(r'<option value="([^"]*)"', page)
    assert options == ["", *time_zones()] and "Europe/Paris" in options
    assert "data-browser-time-zone" in page and "js/time-zone.js" in page
    assert "you have not chosen a time zone yet" in page
    response = client.post(reverse("profile"), {"time_zone": "Asia/Tokyo"}, follow=True)
    body = response.content.decode()
    assert Profile.objects.get(user=user).time_zone == "Asia/Tokyo"
    assert "Times are now shown in Asia/Tokyo." in body
    assert "times in Asia/Tokyo" in body
    assert '<option value="Asia/Tokyo" selected>' in body


@pytest.mark.parametrize("bad", ["Mars/Olympus_Mons", "", "Europe/Paris\x00", "x" * 500])
def test_a_zone_the_app_does_not_know_is_refused_and_changes_nothing(client, bad):
    user = factories.InterviewerFactory()
    set_time_zone(client, user, "Europe/Paris")
    response = client.post(reverse("profile"), {"time_zone": bad})
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required." in body or "is not a time zone this app knows" in body
    assert Profile.objects.get(user=user).time_zone == "Europe/Paris"
    assert "times in Europe/Paris" in client.get(reverse("profile")).content.decode()


def test_login_takes_the_browsers_zone_for_a_person_without_one_and_keeps_a_chosen_one(client):
    user = factories.InterviewerFactory(username="ivy")
    user.set_password("pw-for-ivy-123")
    user.save()
    login = {"username": "ivy", "password": "pw-for-ivy-123"}
    page = client.get(reverse("login")).content.decode()
    assert 'name="time_zone" value="" data-browser-time-zone' in page
    client.post(reverse("login"), {**login, "time_zone": "Not/A_Zone"})
    assert Profile.objects.get(user=user).time_zone == ""
    client.post(reverse("logout"))
    client.post(reverse("login"), {**login, "time_zone": "America/New_York"})
    assert Profile.objects.get(user=user).time_zone == "America/New_York"
    assert "times in America/New_York" in client.get(reverse("profile")).content.decode()
    client.post(reverse("logout"))
    client.post(reverse("login"), {**login, "time_zone": "Asia/Tokyo"})
    assert Profile.objects.get(user=user).time_zone == "America/New_York"


def test_the_zone_rides_in_the_session_so_pages_make_no_extra_query(client, settings):
    user = factories.InterviewerFactory()
    set_time_zone(client, user, "Asia/Tokyo")
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("hiring:my_interviews")).content.decode()
    assert "times in Asia/Tokyo" in body
    assert not any("hiring_site_profile" in q["sql"] for q in queries)
    # A session from before zones were kept in it reads the profile once.
    session = client.session
    del session["time_zone"]
    session.save()
    with CaptureQueriesContext(connection) as queries:
        assert "times in Asia/Tokyo" in client.get(reverse("profile")).content.decode()
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("hiring:my_interviews"))
    assert not any("hiring_site_profile" in q["sql"] for q in again)
    # Nobody chose one: the site's TIME_ZONE, and the next request is not left in another's.
    client.force_login(factories.InterviewerFactory())
    assert f"times in {settings.TIME_ZONE}" in client.get(reverse("profile")).content.decode()
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
