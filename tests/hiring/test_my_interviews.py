""" "My interviews": overdue first, then upcoming, then past; each with candidate, role,
stage and scorecard status, in a constant number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Interview
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


def section_names(body, key):
    table = re.search(rf'data-testid="interviews-{key}".*?</table>', body, re.S)
    if table is None:
        return []
    return re.findall(r"<tr>\s*<td>[^<]*</td>\s*<td>([^<]+)</td>", table.group(0))


def test_overdue_first_then_upcoming_soonest_first_then_past_newest_first(
    interviewer_client, interviewer
):
    interview_at(interviewer, 30, "Upcoming later")
    interview_at(interviewer, 2, "Upcoming soon")
    interview_at(interviewer, -26, "Overdue recent")
    interview_at(interviewer, -80, "Overdue oldest")
    interview_at(interviewer, -5, "Past, due soon")
    submit(interview_at(interviewer, -100, "Past, submitted"))
    factories.InterviewFactory(
        interviewer=interviewer, scheduled_at=None, application__candidate__name="Unscheduled"
    )
    withdrawn = interview_at(interviewer, -50, "Withdrawn")
    Application.objects.filter(pk=withdrawn.application_id).update(
        status=Application.Status.WITHDRAWN
    )
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    assert section_names(body, 0) == ["Overdue oldest", "Overdue recent"]
    assert section_names(body, 1) == ["Upcoming soon", "Upcoming later", "Unscheduled"]
    assert section_names(body, 2) == ["Past, due soon", "Withdrawn", "Past, submitted"]
    assert body.index("Overdue scorecards") < body.index("Upcoming") < body.index(">Past<")


def test_each_row_shows_candidate_role_stage_status_and_the_way_in(interviewer_client, interviewer):
    overdue = interview_at(interviewer, -30, "Ada Lovelace", stage__name="Pairing")
    draft = interview_at(interviewer, 5, "Grace Hopper")
    card = Scorecard.objects.create(interview=draft, version=0)
    card.save_draft(ScorecardContent(summary="..."), 0, interviewer)
    done = interview_at(interviewer, -2, "Alan Turing")
    submitted = submit(done)
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    row = re.search(r"<tr>(?:(?!</tr>).)*Ada Lovelace(?:(?!</tr>).)*</tr>", body, re.S).group(0)
    assert overdue.application.revision.role.title in row and "Pairing" in row
    assert "Overdue" in row and reverse("scorecards:fill", args=[overdue.pk]) in row
    assert "Fill in" in row
    grace = re.search(r"<tr>(?:(?!</tr>).)*Grace Hopper(?:(?!</tr>).)*</tr>", body, re.S).group(0)
    assert "Draft" in grace and "Continue" in grace
    alan = re.search(r"<tr>(?:(?!</tr>).)*Alan Turing(?:(?!</tr>).)*</tr>", body, re.S).group(0)
    assert "Submitted" in alan and reverse("scorecards:detail", args=[submitted.pk]) in alan


def test_queryset_overdue_matches_the_status_shown(interviewer):
    overdue = interview_at(interviewer, -30, "A")
    interview_at(interviewer, -10, "B")
    submit(interview_at(interviewer, -30, "C"))
    reopened = interview_at(interviewer, -30, "D")
    card = submit(reopened)
    card.reopen(factories.RecruiterFactory(), "More evidence")
    drafted = interview_at(interviewer, -40, "E")
    Scorecard.objects.create(interview=drafted)
    ids = set(Interview.objects.overdue().values_list("pk", flat=True))
    assert ids == {overdue.pk, drafted.pk}
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
    }


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
    for size in (2, 20):
        interviewer = factories.InterviewerFactory()
        for n in range(size):
            interview = interview_at(interviewer, (-1) ** n * (n + 1) * 12, f"C{n}")
            if n % 3 == 0:
                submit(interview)
        client.force_login(interviewer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("hiring:my_interviews")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[0]):
        client.get(reverse("hiring:my_interviews"))


def row_of(body, name):
    return re.search(rf"<tr>(?:(?!</tr>).)*{name}(?:(?!</tr>).)*</tr>", body, re.S).group(0)


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


def test_a_reopened_card_is_reopened_not_overdue_and_continues(interviewer_client, interviewer):
    reopened = interview_at(interviewer, -30, "Reopened one")
    card = submit(reopened)
    card.reopen(factories.RecruiterFactory(), "More evidence")
    factories.InterviewFactory(
        interviewer=interviewer, scheduled_at=None, application__candidate__name="Unplanned"
    )
    body = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    row = row_of(body, "Reopened one")
    assert 'class="badge text-bg-warning" data-testid="card-state">Reopened</span>' in row
    assert "Continue" in row and reverse("scorecards:fill", args=[reopened.pk]) in row
    assert section_names(body, 0) == []
    assert "<td>not scheduled</td>" in row_of(body, "Unplanned")


def test_pages_of_25(interviewer_client, interviewer):
    for n in range(27):
        interview_at(interviewer, n + 1, f"Candidate {n:02d}")
    first = interviewer_client.get(reverse("hiring:my_interviews")).content.decode()
    second = interviewer_client.get(reverse("hiring:my_interviews") + "?page=2").content.decode()
    assert section_names(first, 1)[-1] == "Candidate 24" and "Page 1 of 2" in first
    assert section_names(second, 1) == ["Candidate 25", "Candidate 26"]
