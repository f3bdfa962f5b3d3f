"""Assigning a whole loop in one form (hiring.forms.LoopForm, hiring:loop_assign): one
row per stage, empty rows skipped, each row checked as the single assignment form checks
it, and the rows filled saved together or not at all."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.forms import LoopForm, LoopRowForm
from hiring.models import Application, Interview
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(db):
    """build_loop's application, its two stages assigned, and two stages nobody has yet."""
    loop = build_loop()
    loop.bar_raiser = factories.InterviewStageFactory(
        revision=loop.revision, order=2, name="Bar raiser"
    )
    loop.team_lunch = factories.InterviewStageFactory(
        revision=loop.revision, order=3, name="Team lunch"
    )
    return loop


def url(application):
    return reverse("hiring:loop_assign", args=[application.pk])


def when(hours):
    return (timezone.localtime() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def row(stage, interviewer="", time=""):
    return {f"stage{stage.pk}-interviewer": interviewer, f"stage{stage.pk}-scheduled_at": time}


def fieldset_of(body, stage):
    """The loop form's row (its fieldset, up to the next row) of `stage`."""
    form = body.split('data-testid="loop-form"')[1].split("</form>")[0]
    rows = form.split('data-testid="loop-row"')[1:]
    return next(r for r in rows if stage.name in r.split("</legend>")[0])


def test_the_form_has_a_row_per_stage_assigned_ones_shown_as_assigned(recruiter_client, loop):
    body = recruiter_client.get(loop.application.get_absolute_url()).content.decode()
    assert "Assign the loop" in body
    assigned = fieldset_of(body, loop.stage)
    assert 'data-testid="assigned"' in assigned and "<input" not in assigned
    assert loop.interview.interviewer.get_full_name() in assigned
    for stage in (loop.bar_raiser, loop.team_lunch):
        open_row = fieldset_of(body, stage)
        assert f'name="stage{stage.pk}-interviewer"' in open_row
        assert f'name="stage{stage.pk}-scheduled_at"' in open_row
        assert "Assigned" not in open_row
    # The rows may stay empty: no browser-side "required".
    form = body.split('data-testid="loop-form"')[1].split("</form>")[0]
    assert not re.search(r"\srequired[\s>=]", form)


def test_the_form_is_not_shown_when_every_stage_has_an_interviewer_or_to_others(client, loop):
    client.force_login(factories.RecruiterFactory())
    for stage in (loop.bar_raiser, loop.team_lunch):
        factories.InterviewFactory(application=loop.application, stage=stage)
    assert "Assign the loop" not in client.get(loop.application.get_absolute_url()).content.decode()
    Interview.objects.filter(stage=loop.team_lunch).delete()
    client.force_login(loop.application.hiring_manager)
    assert "Assign the loop" not in client.get(loop.application.get_absolute_url()).content.decode()


def test_filled_rows_are_saved_and_empty_ones_skipped(recruiter_client, loop):
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Ito")
    response = recruiter_client.post(
        url(loop.application), {**row(loop.bar_raiser, ivy.pk, when(24)), **row(loop.team_lunch)}
    )
    assert response.status_code == 302 and response.url == loop.application.get_absolute_url()
    interview = Interview.objects.get(stage=loop.bar_raiser)
    assert interview.interviewer == ivy and interview.application == loop.application
    assert abs(interview.scheduled_at - (timezone.now() + timedelta(hours=24))) < timedelta(
        minutes=2
    )
    assert not Interview.objects.filter(stage=loop.team_lunch).exists()
    page = recruiter_client.get(response.url).content.decode()
    assert "Assigned: Ivy Ito for Bar raiser." in page
    assert "Ivy Ito" in fieldset_of(page, loop.bar_raiser)


def test_both_rows_filled_make_two_interviews(recruiter_client, loop):
    ivy, max_ = factories.InterviewerFactory(), factories.InterviewerFactory()
    count = Interview.objects.count()
    response = recruiter_client.post(
        url(loop.application),
        {**row(loop.bar_raiser, ivy.pk, when(24)), **row(loop.team_lunch, max_.pk, when(26))},
    )
    assert response.status_code == 302
    assert Interview.objects.count() == count + 2
    assert Interview.objects.get(stage=loop.team_lunch).interviewer == max_


def test_a_bad_row_saves_nothing_and_says_why_beside_the_row(recruiter_client, loop):
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Ito")
    count = Interview.objects.count()
    response = recruiter_client.post(
        url(loop.application),
        {**row(loop.bar_raiser, ivy.pk, when(24)), **row(loop.team_lunch, ivy.pk, "next week")},
    )
    assert response.status_code == 422
    assert Interview.objects.count() == count
    body = response.content.decode()
    bad, good = fieldset_of(body, loop.team_lunch), fieldset_of(body, loop.bar_raiser)
    assert "Enter a valid date/time" in bad and "is-invalid" in bad
    assert "invalid" not in good and 'value="Ivy Ito"' in good  # kept as chosen


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"interviewer": "", "time": "T"}, "This field is required."),
        ({"interviewer": "I", "time": ""}, "This field is required."),
        ({"interviewer": "nobody-like-this", "time": "T"}, "Nobody among the active interviewers"),
        ({"interviewer": "M", "time": "T"}, "That person is not an active interviewer"),
        ({"interviewer": "I", "time": "2001-01-01T10:00"}, "Choose a time within two years"),
    ],
)
def test_each_kind_of_bad_row_is_refused_by_the_single_forms_rules(
    recruiter_client, loop, data, message
):
    ivy, manager = factories.InterviewerFactory(), factories.HiringManagerFactory()
    values = {"I": ivy.pk, "M": manager.pk, "T": when(5), "": ""}
    interviewer = values.get(data["interviewer"], data["interviewer"])
    time = values.get(data["time"], data["time"])
    count = Interview.objects.count()
    response = recruiter_client.post(url(loop.application), row(loop.team_lunch, interviewer, time))
    assert response.status_code == 422
    assert message in fieldset_of(response.content.decode(), loop.team_lunch)
    assert Interview.objects.count() == count


def test_nothing_filled_in_says_so(recruiter_client, loop):
    response = recruiter_client.post(
        url(loop.application), {**row(loop.bar_raiser), **row(loop.team_lunch)}
    )
    assert response.status_code == 422
    assert LoopForm.NOTHING_FILLED in response.content.decode()


def test_rows_for_stages_not_of_the_loop_are_ignored(recruiter_client, loop):
    foreign = build_loop().stage
    ivy = factories.InterviewerFactory()
    count = Interview.objects.count()
    response = recruiter_client.post(url(loop.application), row(foreign, ivy.pk, when(3)))
    assert response.status_code == 422 and LoopForm.NOTHING_FILLED in response.content.decode()
    assert Interview.objects.count() == count


def test_a_name_matching_several_people_asks_to_choose_without_javascript(recruiter_client, loop):
    first = factories.InterviewerFactory(first_name="Sam", last_name="Lee")
    factories.InterviewerFactory(first_name="Sam", last_name="Lo")
    response = recruiter_client.post(url(loop.application), row(loop.bar_raiser, "sam", when(3)))
    assert response.status_code == 422
    fieldset = fieldset_of(response.content.decode(), loop.bar_raiser)
    assert "Several people match “sam”: choose one of them." in fieldset
    assert f'name="stage{loop.bar_raiser.pk}-interviewer_pick" value="{first.pk}"' in fieldset
    data = {
        **row(loop.bar_raiser, "sam", when(3)),
        f"stage{loop.bar_raiser.pk}-interviewer_pick": first.pk,
    }
    assert recruiter_client.post(url(loop.application), data).status_code == 302
    assert Interview.objects.get(stage=loop.bar_raiser).interviewer == first


def test_a_stage_assigned_meanwhile_refuses_the_post(recruiter_client, loop):
    page = recruiter_client.get(loop.application.get_absolute_url()).content.decode()
    assert f"stage{loop.bar_raiser.pk}-interviewer" in page
    carol = factories.InterviewerFactory(first_name="Carol", last_name="Chen")
    factories.InterviewFactory(
        application=loop.application, stage=loop.bar_raiser, interviewer=carol
    )
    ivy = factories.InterviewerFactory()
    response = recruiter_client.post(
        url(loop.application),
        {**row(loop.bar_raiser, ivy.pk, when(3)), **row(loop.team_lunch, ivy.pk, when(5))},
    )
    assert response.status_code == 422
    assert "Bar raiser was assigned to Carol Chen meanwhile; nothing was saved." in (
        response.content.decode()
    )
    assert not Interview.objects.filter(interviewer=ivy).exists()


def test_if_one_row_fails_to_save_none_is_kept(recruiter_client, loop):
    """All or nothing: the second row meets the unique constraint (the same assignment
    made by another request between validation and save); the first is rolled back."""
    ivy, max_ = factories.InterviewerFactory(), factories.InterviewerFactory()
    real_save = LoopRowForm.save
    calls = []

    def save(form, *args, **kwargs):
        calls.append(form.stage)
        if len(calls) == 2:
            raise IntegrityError("unique_interview_assignment")
        return real_save(form, *args, **kwargs)

    count = Interview.objects.count()
    with mock.patch.object(LoopRowForm, "save", save):
        response = recruiter_client.post(
            url(loop.application),
            {**row(loop.bar_raiser, ivy.pk, when(3)), **row(loop.team_lunch, max_.pk, when(5))},
        )
    assert calls == [loop.bar_raiser, loop.team_lunch]
    assert response.status_code == 422
    assert Interview.objects.count() == count
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert "This interviewer was just assigned to that stage." in fieldset_of(body, loop.team_lunch)


def test_a_closed_application_takes_no_loop(recruiter_client, loop):
    Application.objects.filter(pk=loop.application.pk).update(status=Application.Status.REJECTED)
    ivy = factories.InterviewerFactory()
    response = recruiter_client.post(
        url(loop.application), row(loop.bar_raiser, ivy.pk, when(3)), follow=True
    )
    body = response.content.decode()
    assert "This application is closed" in body and "Assign the loop" not in body
    assert not Interview.objects.filter(interviewer=ivy).exists()


def test_only_recruiters_assign_a_loop_and_only_by_post(client, loop):
    ivy = factories.InterviewerFactory()
    data = row(loop.bar_raiser, ivy.pk, when(3))
    for user in (loop.application.hiring_manager, ivy, factories.UserFactory()):
        client.force_login(user)
        assert client.post(url(loop.application), data).status_code == 403
    assert not Interview.objects.filter(interviewer=ivy).exists()
    client.force_login(factories.RecruiterFactory())
    assert client.get(url(loop.application)).status_code == 302
    assert client.put(url(loop.application)).status_code == 405
    assert client.post(reverse("hiring:loop_assign", args=[999999]), data).status_code == 404


def test_the_application_page_with_the_loop_form_makes_constant_queries(client):
    counts = []
    for open_stages in (1, 8):
        loop = build_loop()
        for n in range(open_stages):
            factories.InterviewStageFactory(revision=loop.revision, name=f"Open {n}")
        client.force_login(factories.RecruiterFactory())
        with CaptureQueriesContext(connection) as queries:
            body = client.get(loop.application.get_absolute_url()).content.decode()
        assert body.count('data-testid="loop-row"') == 2 + open_stages
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
