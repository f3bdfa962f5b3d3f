"""The application page shows the loop (stage, interviewer, scorecard status); recruiters
assign, reschedule and remove interviewers."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Interview
from scorecards.models import Scorecard, ScorecardContent
from tests import factories
from tests.scorecards.builders import build_loop, complete_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(db):
    return build_loop()


def page_of(client, application):
    return client.get(application.get_absolute_url())


def row_of(body, interviewer):
    name = interviewer.get_full_name()
    return re.search(
        rf"<tr>(?:(?!</tr>).)*{re.escape(name)}(?:(?!</tr>).)*</tr>", body, re.S
    ).group(0)


def add_url(application):
    return reverse("hiring:interview_add", args=[application.pk])


def when(hours):
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


# --- the loop --------------------------------------------------------------------------------


def test_loop_shows_every_stage_interviewer_and_card_status(recruiter_client, loop):
    application = loop.application
    Interview.objects.filter(pk=loop.interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=30)
    )
    Interview.objects.filter(pk=loop.other_interview.pk).update(
        scheduled_at=timezone.now() + timedelta(hours=3)
    )
    unassigned = factories.InterviewStageFactory(revision=loop.revision, name="Bar raiser")
    body = page_of(recruiter_client, application).content.decode()
    assert "System design case" in body and "Values interview" in body
    assert "Bar raiser" in body and "No interviewer yet" in body
    assert f"?stage={unassigned.pk}#assign" in body
    assert "Overdue" in row_of(body, loop.interview.interviewer)

    card = Scorecard.objects.create(interview=loop.other_interview, version=0)
    card.save_draft(ScorecardContent(summary="x"), 0, loop.other_interview.interviewer)
    body = page_of(recruiter_client, application).content.decode()
    assert "Draft" in row_of(body, loop.other_interview.interviewer)
    card.submit(
        ScorecardContent(
            ratings={loop.dimensions[2].id: (3, "")}, recommendation="no", summary="x"
        ),
        1,
        loop.other_interview.interviewer,
    )
    body = page_of(recruiter_client, application).content.decode()
    other_row = row_of(body, loop.other_interview.interviewer)
    assert "Submitted" in other_row
    assert reverse("scorecards:detail", args=[card.pk]) in other_row


def test_status_not_started_and_reopened(recruiter_client, loop):
    Interview.objects.filter(pk=loop.interview.pk).update(
        scheduled_at=timezone.now() + timedelta(days=1)
    )
    body = page_of(recruiter_client, loop.application).content.decode()
    assert "Not started" in row_of(body, loop.interview.interviewer)
    card = Scorecard.objects.create(interview=loop.interview, version=0)
    d = loop.dimensions
    card.submit(
        ScorecardContent(ratings={d[0].id: (3, ""), d[1].id: (3, "")}, recommendation="yes"),
        0,
        loop.interview.interviewer,
    )
    card.reopen(factories.RecruiterFactory(), "Add evidence")
    body = page_of(recruiter_client, loop.application).content.decode()
    assert "Reopened" in row_of(body, loop.interview.interviewer)


def test_hiring_manager_sees_the_loop_but_cannot_assign(client, loop):
    client.force_login(loop.application.hiring_manager)
    body = page_of(client, loop.application).content.decode()
    assert "System design case" in body
    assert "Assign an interviewer" not in body and "Remove" not in body
    response = client.post(add_url(loop.application), {})
    assert response.status_code == 403


def test_hiring_manager_links_to_submitted_cards_only_once_own_card_is_in(client, loop):
    card = Scorecard.objects.create(interview=loop.interview, version=0)
    card.submit(
        ScorecardContent(
            ratings={d.id: (3, "") for d in loop.focus}, recommendation="yes", summary=""
        ),
        0,
        loop.interview.interviewer,
    )
    client.force_login(loop.application.hiring_manager)
    body = page_of(client, loop.application).content.decode()
    assert reverse("scorecards:detail", args=[card.pk]) in body


def test_interviewers_and_outsiders_cannot_see_the_application(client, loop):
    client.force_login(loop.interview.interviewer)
    assert page_of(client, loop.application).status_code == 403
    client.force_login(factories.HiringManagerFactory())
    assert page_of(client, loop.application).status_code == 404
    client.force_login(factories.UserFactory())
    assert page_of(client, loop.application).status_code == 403
    client.logout()
    assert page_of(client, loop.application).status_code == 302
    client.force_login(factories.RecruiterFactory())
    assert client.post(loop.application.get_absolute_url()).status_code == 405


# --- assigning -----------------------------------------------------------------------------------


def test_recruiter_assigns_an_interviewer_to_a_stage_with_a_time(recruiter_client, loop):
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Interviewer")
    response = recruiter_client.post(
        add_url(loop.application),
        {"stage": loop.other_stage.pk, "interviewer": ivy.pk, "scheduled_at": when(24)},
    )
    assert response.status_code == 302
    interview = Interview.objects.get(interviewer=ivy)
    assert interview.stage == loop.other_stage
    assert abs(interview.scheduled_at - (timezone.now() + timedelta(hours=24))) < timedelta(
        minutes=2
    )
    page = recruiter_client.get(response.url).content.decode()
    assert "Ivy Interviewer interviews for Values interview." in page
    # Several stages for one interviewer are fine; the same stage twice is not.
    recruiter_client.post(
        add_url(loop.application),
        {"stage": loop.stage.pk, "interviewer": ivy.pk, "scheduled_at": when(26)},
    )
    assert Interview.objects.filter(interviewer=ivy).count() == 2
    twice = recruiter_client.post(
        add_url(loop.application),
        {"stage": loop.stage.pk, "interviewer": ivy.pk, "scheduled_at": when(28)},
    )
    assert twice.status_code == 422
    assert "Ivy Interviewer already interviews for System design case" in twice.content.decode()
    assert Interview.objects.filter(interviewer=ivy).count() == 2


def test_assignment_refuses_stages_of_other_roles_non_interviewers_and_bad_times(
    recruiter_client, loop
):
    foreign_stage = build_loop().stage
    ivy = factories.InterviewerFactory()
    manager = factories.HiringManagerFactory()
    count = Interview.objects.count()
    for data in (
        {"stage": foreign_stage.pk, "interviewer": ivy.pk, "scheduled_at": when(1)},
        {"stage": loop.stage.pk, "interviewer": manager.pk, "scheduled_at": when(1)},
        {"stage": loop.stage.pk, "interviewer": ivy.pk, "scheduled_at": "tomorrow-ish"},
        {"stage": loop.stage.pk, "interviewer": ivy.pk, "scheduled_at": ""},
        {"stage": "abc", "interviewer": ivy.pk, "scheduled_at": when(1)},
    ):
        response = recruiter_client.post(add_url(loop.application), data)
        assert response.status_code == 422
        body = response.content.decode()
        assert (
            "Select a valid choice" in body
            or "That person is not an active interviewer" in body
            or "Enter a valid date/time" in body
            or ("This field is required" in body)
        )
    assert Interview.objects.count() == count


def test_a_closed_application_takes_no_assignments(recruiter_client, loop):
    Application.objects.filter(pk=loop.application.pk).update(status=Application.Status.HIRED)
    ivy = factories.InterviewerFactory()
    response = recruiter_client.post(
        add_url(loop.application),
        {"stage": loop.stage.pk, "interviewer": ivy.pk, "scheduled_at": when(1)},
        follow=True,
    )
    assert "This application is closed" in response.content.decode()
    assert not Interview.objects.filter(interviewer=ivy).exists()
    assert "Assign an interviewer" not in response.content.decode()


def test_only_recruiters_assign(client, loop):
    ivy = factories.InterviewerFactory()
    data = {"stage": loop.stage.pk, "interviewer": ivy.pk, "scheduled_at": when(1)}
    for user in (loop.application.hiring_manager, ivy, factories.UserFactory()):
        client.force_login(user)
        assert client.post(add_url(loop.application), data).status_code == 403
    client.logout()
    assert client.post(add_url(loop.application), data).status_code == 302
    assert not Interview.objects.filter(interviewer=ivy).exists()
    client.force_login(factories.RecruiterFactory())
    assert client.get(add_url(loop.application)).status_code == 302  # the form is on the page
    assert client.put(add_url(loop.application)).status_code == 405
    assert client.post(reverse("hiring:interview_add", args=[99999]), data).status_code == 404


def test_recruiter_reschedules_and_cannot_move_a_started_card(recruiter_client, loop):
    url = reverse("hiring:interview_edit", args=[loop.interview.pk])
    form = recruiter_client.get(url).content.decode()
    assert "Change the interview for System design case" in form
    new_time = when(48)
    response = recruiter_client.post(
        url,
        {
            "stage": loop.stage.pk,
            "interviewer": loop.interview.interviewer.pk,
            "scheduled_at": new_time,
        },
    )
    assert response.status_code == 302
    loop.interview.refresh_from_db()
    assert timezone.localtime(loop.interview.scheduled_at).strftime("%Y-%m-%dT%H:%M") == new_time
    Scorecard.objects.create(interview=loop.interview)
    # The form now shows the stage and interviewer fixed; a browser posts only the time.
    form = recruiter_client.get(url).content.decode()
    assert form.count("Fixed: a scorecard has been started.") == 2
    later = when(72)
    assert recruiter_client.post(url, {"scheduled_at": later}).status_code == 302
    loop.interview.refresh_from_db()
    assert timezone.localtime(loop.interview.scheduled_at).strftime("%Y-%m-%dT%H:%M") == later


def test_a_card_started_after_the_change_form_was_opened_refuses_the_change(recruiter_client, loop):
    ivy = loop.interview.interviewer
    url = reverse("hiring:interview_edit", args=[loop.interview.pk])
    assert "Fixed:" not in recruiter_client.get(url).content.decode()
    # Meanwhile the interviewer's first autosave starts the card.
    card = Scorecard(interview=loop.interview, version=0)
    card.save_draft(ScorecardContent(summary="Ivy's notes"), 0, ivy)
    other = factories.InterviewerFactory()
    response = recruiter_client.post(
        url, {"stage": loop.other_stage.pk, "interviewer": other.pk, "scheduled_at": when(5)}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert f"{ivy.get_full_name()} has started the scorecard for this interview" in body
    assert "a scorecard stays with its author" in body and "Nothing was changed." in body
    assert "To have someone else interview for System design case, assign them" in body
    # Shown again as it now is: stage and interviewer fixed, the time as typed.
    assert body.count("Fixed: a scorecard has been started.") == 2
    assert when(5) in body
    before = loop.interview.scheduled_at
    loop.interview.refresh_from_db()
    assert (loop.interview.stage, loop.interview.interviewer) == (loop.stage, ivy)
    assert loop.interview.scheduled_at == before
    assert Scorecard.objects.get(interview__interviewer=ivy).summary == "Ivy's notes"
    # The new interviewer was given nothing: no interview, so no card to read.
    assert not Interview.objects.filter(interviewer=other).exists()


def test_remove_an_interviewer_only_before_a_card_exists(recruiter_client, loop):
    remove = reverse("hiring:interview_delete", args=[loop.interview.pk])
    Scorecard.objects.create(interview=loop.interview)
    kept = recruiter_client.post(remove, follow=True)
    body = kept.content.decode()
    assert (
        f"{loop.interview.interviewer.get_full_name()} has started the scorecard for this "
        "interview" in body
    )
    assert "Nothing was removed." in body and "assign them to that stage as well" in body
    assert Interview.objects.filter(pk=loop.interview.pk).exists()
    other_remove = reverse("hiring:interview_delete", args=[loop.other_interview.pk])
    assert recruiter_client.get(other_remove).status_code == 405
    recruiter_client.post(other_remove)
    assert not Interview.objects.filter(pk=loop.other_interview.pk).exists()


def removed_just_before(method):
    """`Interview.<method>`, with the interview deleted by someone else just before it."""
    original = getattr(Interview, method)

    def removed_first(self):
        Interview.objects.filter(pk=self.pk).delete()
        return original(self)

    return mock.patch.object(Interview, method, removed_first)


def test_changing_or_removing_an_interview_removed_meanwhile_says_so(recruiter_client, loop):
    edit = reverse("hiring:interview_edit", args=[loop.interview.pk])
    data = {"stage": loop.stage.pk, "interviewer": loop.interview.interviewer.pk}
    with removed_just_before("save_change"):
        changed = recruiter_client.post(edit, {**data, "scheduled_at": when(5)}, follow=True)
    assert "This interview was removed from the loop meanwhile." in changed.content.decode()
    assert not Interview.objects.filter(pk=loop.interview.pk).exists()  # not re-created

    remove = reverse("hiring:interview_delete", args=[loop.other_interview.pk])
    with removed_just_before("remove"):
        removed = recruiter_client.post(remove, follow=True)
    assert "This interview had already been removed" in removed.content.decode()
    assert not Interview.objects.filter(pk=loop.other_interview.pk).exists()


def test_edit_and_remove_are_for_recruiters_only(client, loop):
    edit = reverse("hiring:interview_edit", args=[loop.interview.pk])
    remove = reverse("hiring:interview_delete", args=[loop.interview.pk])
    for user in (loop.application.hiring_manager, loop.interview.interviewer):
        client.force_login(user)
        assert client.get(edit).status_code == 403
        assert client.post(remove).status_code == 403
    assert Interview.objects.filter(pk=loop.interview.pk).exists()


# --- constant queries --------------------------------------------------------------------------


def test_application_page_makes_constant_queries(client, django_assert_max_num_queries):
    counts = []
    for stages, per_stage in ((1, 1), (6, 3)):
        loop = build_loop(extra_dimensions=stages * 3)
        for n in range(stages):
            stage = factories.InterviewStageFactory(revision=loop.revision, name=f"S{n}")
            for _ in range(per_stage):
                interview = factories.InterviewFactory(application=loop.application, stage=stage)
                card = Scorecard.objects.create(interview=interview, version=0)
                card.submit(
                    ScorecardContent(
                        ratings={d.id: (3, "") for d in loop.dimensions}, recommendation="yes"
                    ),
                    0,
                    interview.interviewer,
                )
        for viewer in (factories.RecruiterFactory(), loop.application.hiring_manager):
            client.force_login(viewer)
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert page_of(client, loop.application).status_code == 200
            counts.append((viewer.username.rstrip("0123456789"), len(queries)))
    small, large = counts[:2], counts[2:]
    assert small == large, counts
    with django_assert_max_num_queries(max(n for _, n in counts)):
        page_of(client, loop.application)


def test_complete_post_helper_is_submittable(interviewer_client, interviewer):
    # Guard for the helper the other tests rely on.
    loop = build_loop(interviewer)
    response = interviewer_client.post(
        reverse("scorecards:fill", args=[loop.interview.pk]),
        complete_post(loop, 0, action="submit"),
    )
    assert response.status_code == 302


def test_a_closed_applications_loop_cannot_be_changed_or_removed(recruiter_client, loop):
    Application.objects.filter(pk=loop.application.pk).update(status=Application.Status.REJECTED)
    edit = reverse("hiring:interview_edit", args=[loop.interview.pk])
    response = recruiter_client.post(
        edit,
        {
            "stage": loop.stage.pk,
            "interviewer": loop.interview.interviewer.pk,
            "scheduled_at": when(5),
        },
        follow=True,
    )
    assert "This application is closed" in response.content.decode()
    before = loop.interview.scheduled_at
    loop.interview.refresh_from_db()
    assert loop.interview.scheduled_at == before
    recruiter_client.post(reverse("hiring:interview_delete", args=[loop.interview.pk]))
    assert Interview.objects.filter(pk=loop.interview.pk).exists()


def test_a_card_turns_overdue_a_day_after_the_interview_and_rows_show_the_time(
    recruiter_client, loop
):
    application = loop.application
    interview, interviewer = loop.interview, loop.interview.interviewer
    interview.scheduled_at = timezone.now() - timedelta(hours=23)
    interview.save()
    row = row_of(page_of(recruiter_client, application).content.decode(), interviewer)
    assert "Not started" in row
    shown = timezone.localtime(interview.scheduled_at)
    assert shown.strftime("%a %-d %b %Y, %H:%M") in row

    interview.scheduled_at = timezone.now() - timedelta(hours=25)
    interview.save()
    row = row_of(page_of(recruiter_client, application).content.decode(), interviewer)
    assert 'class="badge text-bg-danger" data-testid="card-state">Overdue<' in row

    Scorecard.objects.create(interview=interview)
    interview.scheduled_at = None
    interview.save()
    row = row_of(page_of(recruiter_client, application).content.decode(), interviewer)
    assert "Draft" in row and "not scheduled" in row and "Remove" not in row
    interviewer.first_name = "Zed"
    interviewer.save()
    assert "Zed" in page_of(recruiter_client, application).content.decode()
