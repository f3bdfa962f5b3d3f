""" "My interviews": To do (every card not submitted: overdue first, then today's, then
later ones) apart from Done, each with candidate, role, stage and scorecard status, each
list paged, in a constant number of queries."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Interview, local_day
from hiring_site.formatting import moment
from scorecards.models import Scorecard, ScorecardContent
from tests import factories

pytestmark = pytest.mark.django_db


def interview_at(interviewer, hours, name, **kwargs):
    return factories.InterviewFactory(
        interviewer=interviewer,
        scheduled_at=timezone.now() + timedelta(hours=hours),
        application__candidate__name=name,
        **kwargs,
    )


def submit(interview):
    card = Scorecard.objects.create(interview=interview, version=0)
    card.submit(ScorecardContent(recommendation="yes"), 0, interview.interviewer)
    return card


def reopen(card, hours_ago=0):
    card.reopen(factories.RecruiterFactory(), "More evidence")
    Scorecard.objects.filter(pk=card.pk).update(
        reopened_at=timezone.now() - timedelta(hours=hours_ago)
    )


def section_names(body, key):
    """The candidates of the To do ("todo") or Done ("done") table, in order."""
    table = re.search(rf'data-testid="interviews-{key}".*?</table>', body, re.S)
    if table is None:
        return []
    return re.findall(r"<tr>\s*<td>.*?</td>\s*<td>([^<]+)</td>", table.group(0), re.S)


def row_of(body, name):
    return re.search(rf"<tr>(?:(?!</tr>).)*{name}(?:(?!</tr>).)*</tr>", body, re.S).group(0)


def test_to_do_holds_every_card_not_submitted_overdue_then_today_then_later_apart_from_done(
    interviewer_client, interviewer
):
    day_starts, day_ends = local_day(timezone.now())
    hours_to = lambda moment: (moment - timezone.now()).total_seconds() / 3600  # noqa: E731
    interview_at(interviewer, hours_to(day_ends) + 50, "Later")
    interview_at(interviewer, hours_to(day_ends) + 2, "Tomorrow")
    interview_at(interviewer, hours_to(day_starts + (day_ends - day_starts) / 2), "Today")
    interview_at(interviewer, -20, "Past, due soon")
    interview_at(interviewer, -30, "Overdue recent")
    interview_at(interviewer, -80, "Overdue oldest")
    # Reopened a day and a half ago: due a day after its reopening, so overdue.
    reopen(submit(interview_at(interviewer, -200, "Reopened, late")), hours_ago=36)
    # Reopened just now after an interview last week: to do, not overdue yet.
    reopen(submit(interview_at(interviewer, -170, "Reopened last week")))
    withdrawn = interview_at(interviewer, -169, "Withdrawn last week")
    Application.objects.filter(pk=withdrawn.application_id).update(
        status=Application.Status.WITHDRAWN
    )
    factories.InterviewFactory(
        interviewer=interviewer, scheduled_at=None, application__candidate__name="Unscheduled"
    )
    submit(interview_at(interviewer, -100, "Submitted long ago"))
    submit(interview_at(interviewer, -2, "Submitted recently"))

    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    assert section_names(body, "todo") == [
        "Reopened, late",
        "Overdue oldest",
        "Overdue recent",
        "Reopened last week",
        # "Withdrawn last week": a withdrawn application expects no more cards.
        "Past, due soon",
        "Today",
        "Tomorrow",
        "Later",
        "Unscheduled",
    ]
    assert section_names(body, "done") == ["Submitted recently", "Submitted long ago"]
    assert body.index(">To do") < body.index(">Done")
    assert "Past" not in re.sub(r"Past, due soon", "", body)  # no section of that name
    assert 'badge text-bg-danger" data-testid="card-state">Overdue' in row_of(
        body, "Reopened, late"
    )
    assert 'data-testid="card-state">Reopened</span>' in row_of(body, "Reopened last week")
    assert "Withdrawn last week" not in body
    assert 'data-testid="today">Today</span>' in row_of(body, "<td>Today")
    for name in ("Tomorrow", "Reopened last week", "Unscheduled"):
        assert 'data-testid="today"' not in row_of(body, name)


def test_each_row_shows_candidate_role_stage_status_and_the_way_in(interviewer_client, interviewer):
    overdue = interview_at(interviewer, -30, "Ada Lovelace", stage__name="Pairing")
    draft = interview_at(interviewer, 5, "Grace Hopper")
    card = Scorecard.objects.create(interview=draft, version=0)
    card.save_draft(ScorecardContent(summary="..."), 0, interviewer)
    done = interview_at(interviewer, -2, "Alan Turing")
    submitted = submit(done)
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    row = row_of(body, "Ada Lovelace")
    assert overdue.application.revision.role.title in row and "Pairing" in row
    assert "Overdue" in row and reverse("scorecards:fill", args=[overdue.pk]) in row
    assert "Fill in" in row
    grace = row_of(body, "Grace Hopper")
    assert "Draft" in grace and "Continue" in grace
    alan = row_of(body, "Alan Turing")
    assert reverse("scorecards:detail", args=[submitted.pk]) in alan and "View" in alan
    assert moment(timezone.now()).split(",")[0] in alan  # the day it was submitted
    assert section_names(body, "done") == ["Alan Turing"]


def test_queryset_overdue_matches_the_status_shown(interviewer):
    overdue = interview_at(interviewer, -30, "A")
    interview_at(interviewer, -10, "B")
    submit(interview_at(interviewer, -30, "C"))
    reopen(submit(interview_at(interviewer, -30, "D")))
    drafted = interview_at(interviewer, -40, "E")
    Scorecard.objects.create(interview=drafted)
    late = interview_at(interviewer, -90, "F")
    reopen(submit(late), hours_ago=25)
    ids = set(Interview.objects.overdue().values_list("pk", flat=True))
    assert ids == {overdue.pk, drafted.pk, late.pk}
    states = {
        i.application.candidate.name: i.card_state
        for i in Interview.objects.select_related("application__candidate", "scorecard")
    }
    assert states == {
        "A": "overdue",
        "B": "not_started",
        "C": "submitted",
        "D": "reopened",
        "E": "overdue",
        "F": "overdue",
    }


def test_the_days_follow_the_readers_time_zone_a_short_day_included():
    # 8 March 2026: New York's clocks go forward, a day of 23 hours.
    noon = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)  # 13:00 in New York
    with timezone.override(ZoneInfo("America/New_York")):
        starts, ends = local_day(noon)
    assert (starts, ends) == (
        datetime(2026, 3, 8, 5, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 4, 0, tzinfo=UTC),
    )
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert local_day(noon)[0] == datetime(2026, 3, 8, 15, 0, tzinfo=UTC)


def test_today_is_the_readers_day(client, interviewer):
    # Twelve hours less a minute from now is today in exactly one of two zones twelve
    # hours apart.
    when = timezone.now() + timedelta(hours=12, minutes=-1)
    interview_at(interviewer, 12 - 1 / 60, "Half a day on")
    expected, seen = {}, {}
    for zone in ("UTC", "Asia/Kamchatka"):
        with timezone.override(ZoneInfo(zone)):
            starts, ends = local_day(timezone.now())
        expected[zone] = starts <= when < ends
        factories.set_time_zone(client, interviewer, zone)
        body = client.get(reverse("hiring:my_interviews")).content.decode()
        seen[zone] = 'data-testid="today"' in row_of(body, "Half a day on")
    assert seen == expected
    assert sorted(expected.values()) == [False, True]


def test_interviewers_see_only_their_own_and_others_may_not_use_the_page(client, interviewer):
    interview_at(interviewer, 3, "Mine")
    interview_at(factories.InterviewerFactory(), 3, "Not mine")
    client.force_login(interviewer)
    body = client.get(reverse("hiring:my_interviews")).content.decode()
    assert "Mine" in body and "Not mine" not in body
    for user in (factories.RecruiterFactory(), factories.HiringManagerFactory()):
        client.force_login(user)
        assert client.get(reverse("hiring:my_interviews")).status_code == 403
    client.force_login(interviewer)
    assert client.post(reverse("hiring:my_interviews")).status_code == 405
    client.logout()
    assert client.get(reverse("hiring:my_interviews")).status_code == 302


def test_empty_list_says_so(interviewer_client):
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    assert "You have no interviews assigned yet." in body


def test_my_interviews_makes_constant_queries(client, django_assert_max_num_queries):
    counts = []
    for size in (3, 30):
        interviewer = factories.InterviewerFactory()
        for n in range(size):
            interview = interview_at(interviewer, (-1) ** n * (n + 1) * 12, f"C{n}")
            if n % 3 == 0:
                submit(interview)
            elif n % 3 == 1 and n % 2:
                reopen(submit(interview), hours_ago=n)
        client.force_login(interviewer)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("hiring:my_interviews")).content.decode()
        assert len(section_names(body, "todo")) == min(25, size - len(range(0, size, 3)))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[0]):
        client.get(reverse("hiring:my_interviews"))


def test_an_overdue_card_comes_first_with_its_badge_and_its_date_as_shown(
    interviewer_client, interviewer
):
    interview_at(interviewer, 3, "Later")
    overdue = interview_at(interviewer, -30, "Late one")
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    assert body.index("Late one") < body.index("Later")
    row = row_of(body, "Late one")
    assert 'class="badge text-bg-danger" data-testid="card-state">Overdue</span>' in row
    assert 'class="btn btn-sm btn-danger"' in row
    shown = timezone.localtime(overdue.scheduled_at).strftime("%a %-d %b %Y, %H:%M")
    assert f"<td>{shown}</td>" in row


def test_a_card_reopened_recently_is_reopened_not_overdue_and_continues(
    interviewer_client, interviewer
):
    reopened = interview_at(interviewer, -30, "Reopened one")
    reopen(submit(reopened))
    factories.InterviewFactory(
        interviewer=interviewer, scheduled_at=None, application__candidate__name="Unplanned"
    )
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    row = row_of(body, "Reopened one")
    assert 'class="badge text-bg-warning" data-testid="card-state">Reopened</span>' in row
    assert "Continue" in row and reverse("scorecards:fill", args=[reopened.pk]) in row
    assert "Overdue" not in body
    assert "<td>not scheduled</td>" in row_of(body, "Unplanned")
    assert section_names(body, "done") == []
    assert "No scorecard submitted yet." in body


def test_all_done_says_so(interviewer_client, interviewer):
    submit(interview_at(interviewer, -3, "Finished"))
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    assert "Nothing to do: every scorecard of yours is submitted." in body
    assert section_names(body, "done") == ["Finished"]


def test_to_do_pages_by_25_and_done_by_10_keeping_the_others_page(interviewer_client, interviewer):
    for n in range(27):
        interview_at(interviewer, n + 1, f"Upcoming {n:02d}")
        submit(interview_at(interviewer, -(n + 1), f"Done {n:02d}"))
    url = reverse("hiring:my_interviews")
    first = interviewer_client.get(url).content.decode()
    assert section_names(first, "todo")[-1] == "Upcoming 24"
    assert section_names(first, "done") == [f"Done {n:02d}" for n in range(10)]
    assert "Page 1 of 2" in first and "Page 1 of 3" in first
    assert 'href="?done_page=2"' in first and 'href="?page=2"' in first
    both = interviewer_client.get(url + "?page=2&done_page=3").content.decode()
    assert section_names(both, "todo") == ["Upcoming 25", "Upcoming 26"]
    assert section_names(both, "done") == [
        "Done 20",
        "Done 21",
        "Done 22",
        "Done 23",
        "Done 24",
        "Done 25",
        "Done 26",
    ]
    # Going back on one list keeps the other where it was.
    assert 'href="?page=1&amp;done_page=3"' in both and 'href="?done_page=2&amp;page=2"' in both
    past = interviewer_client.get(url + "?done_page=4")
    assert past.status_code == 404 and "There is no page 4" in past.content.decode()
    # A page past the end holds no row to count the list by: it is counted on its own.
    past = interviewer_client.get(url + "?page=3")
    assert past.status_code == 404
    assert "There is no page 3 of this list: it has 2 pages." in past.content.decode()
    for param in ("page", "done_page"):  # an offset past 64 bits, refused before asking
        far = interviewer_client.get(url, {param: str(2**63 - 1)})
        assert far.status_code == 404 and "There is no page" in far.content.decode()
