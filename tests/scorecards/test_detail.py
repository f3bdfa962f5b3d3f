"""Reading a scorecard (`scorecards:detail`) and reopening one (`scorecards:reopen`):
blind until submitted, DESIGN's permission table, history kept."""

import re

import pytest
from django.urls import reverse

from hiring_site.access import INTERVIEWER
from scorecards.models import Scorecard
from tests import factories
from tests.scorecards.builders import build_loop, complete_post

pytestmark = pytest.mark.django_db


def detail_url(card):
    return reverse("scorecards:detail", args=[card.pk])


def reopen_url(card):
    return reverse("scorecards:reopen", args=[card.pk])


def submitted_card(loop, interview=None, summary="Solid."):
    interview = interview or loop.interview
    card = Scorecard.objects.create(interview=interview, version=0)
    data = complete_post(loop, 0)
    d = loop.dimensions
    from scorecards.models import ScorecardContent

    content = ScorecardContent(
        ratings={d[0].id: (5, data[f"evidence_{d[0].id}"]), d[1].id: (3, "ok"), d[2].id: (4, "")},
        signals={loop.red[0].id: data[f"note_{loop.red[0].id}"]},
        recommendation="yes",
        summary=summary,
    )
    card.submit(content, 0, interview.interviewer)
    return card


def draft_card(interview, summary="Half-way thoughts"):
    from scorecards.models import ScorecardContent

    card = Scorecard.objects.create(interview=interview, version=0)
    card.save_draft(ScorecardContent(summary=summary), 0, interview.interviewer)
    return card


@pytest.fixture
def loop(interviewer):
    return build_loop(interviewer)


# --- blind until submitted -------------------------------------------------------------------


def test_interviewer_cannot_see_other_cards_before_submitting(client, loop):
    others = submitted_card(loop, loop.other_interview, summary="The other view")
    client.force_login(loop.interview.interviewer)
    assert client.get(detail_url(others)).status_code == 404
    draft_card(loop.interview)
    assert client.get(detail_url(others)).status_code == 404


def test_interviewer_sees_submitted_cards_of_others_after_submitting(client, loop):
    others = submitted_card(loop, loop.other_interview, summary="The other view")
    mine = submitted_card(loop)
    client.force_login(loop.interview.interviewer)
    page = client.get(detail_url(others))
    assert page.status_code == 200
    assert "The other view" in page.content.decode()
    own_page = client.get(detail_url(mine)).content.decode()
    assert detail_url(others) in own_page  # listed beside one's own card


def test_interviewer_never_sees_another_interviewers_draft(client, loop):
    submitted_card(loop)
    others = draft_card(loop.other_interview, summary="Secret draft")
    client.force_login(loop.interview.interviewer)
    assert client.get(detail_url(others)).status_code == 404
    own_page = client.get(detail_url(loop.interview.scorecard)).content.decode()
    assert "Secret draft" not in own_page and detail_url(others) not in own_page
    assert "drafts stay private until submitted" in own_page


def test_an_interviewer_with_two_stages_must_submit_both_to_see_others(client, loop):
    second_stage = factories.InterviewStageFactory(revision=loop.revision, name="Pairing")
    second = factories.InterviewFactory(
        application=loop.application, stage=second_stage, interviewer=loop.interview.interviewer
    )
    others = submitted_card(loop, loop.other_interview)
    submitted_card(loop)
    client.force_login(loop.interview.interviewer)
    assert client.get(detail_url(others)).status_code == 404
    submitted_card(loop, second)
    assert client.get(detail_url(others)).status_code == 200


def test_interviewer_not_on_the_application_gets_404(client, loop):
    card = submitted_card(loop)
    client.force_login(factories.InterviewerFactory())
    assert client.get(detail_url(card)).status_code == 404


def test_owner_sees_own_submitted_card_read_only_and_own_draft_goes_to_the_form(client, loop):
    client.force_login(loop.interview.interviewer)
    draft = draft_card(loop.interview)
    response = client.get(detail_url(draft))
    assert response.status_code == 302
    assert response.url == reverse("scorecards:fill", args=[loop.interview.pk])
    Scorecard.objects.all().delete()
    card = submitted_card(loop)
    body = client.get(detail_url(card)).content.decode()
    assert 'data-testid="read-only"' in body
    assert "<textarea" not in body and 'type="radio"' not in body
    assert "Designed back-pressure with bounded queues." in body
    assert "Red flag" in body and "the SRE team" in body


def test_the_card_shows_each_rating_with_its_anchor_focus_first(client, loop):
    card = submitted_card(loop)  # d0: 5 (its own anchor), d1: 3 (the bar), d2: 4, d3: none
    client.force_login(loop.interview.interviewer)
    body = client.get(detail_url(card)).content.decode()
    table = body[body.index('class="table table-sm align-top card-ratings"') :]
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>", table, re.S
    )
    d = loop.dimensions
    focus = ' <span class="badge text-bg-primary">Focus</span>'
    assert [name for name, _ in rows] == [d[0].name + focus, d[1].name + focus, d[2].name]
    ratings = [re.sub(r"<[^>]+>", "|", rating) for _, rating in rows]
    assert ratings == [
        "|5| · Exceptional||Sets the standard in system design.|",
        "|3| · Meets bar||Meets the bar for evaluation.|",
        "|4| · Above bar",
    ]
    # A dimension not assessed takes one line under the table, not a row.
    line = re.search(r'<p[^>]*data-testid="not-assessed">(.*?)</p>', body, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", line) == f"Not assessed: {d[3].name}"


def test_long_evidence_is_folded_under_show_more_and_short_evidence_is_not(client, loop):
    from scorecards.models import ScorecardContent

    d = loop.dimensions
    long_evidence = "Walked through the failure modes one by one. " * 12 + "The end."
    card = Scorecard.objects.create(interview=loop.interview, version=0)
    content = ScorecardContent(
        ratings={d[0].id: (4, long_evidence), d[1].id: (3, "Short and clear.")},
        recommendation="yes",
        summary="A few lines\nof summary",
    )
    card.submit(content, 0, loop.interview.interviewer)
    client.force_login(loop.interview.interviewer)
    body = client.get(detail_url(card)).content.decode()
    folded = re.findall(r'<details class="long-text".*?</details>', body, re.S)
    assert len(folded) == 1
    preview = re.search(r'class="long-text-preview">(.*?)</span>', folded[0], re.S).group(1)
    assert len(preview) <= 200 and preview.endswith("…") and "The end." not in preview
    assert "Show more</span>" in folded[0]
    assert "The end." in folded[0]  # the whole text is there, folded
    assert "Short and clear." in body and "Short and clear." not in "".join(folded)
    assert "A few lines<br>of summary" in body
    line = re.search(r'data-testid="not-assessed">(.*?)</p>', body, re.S).group(1)
    assert d[2].name in line and d[3].name in line and d[0].name not in line


def test_after_submitting_the_card_links_to_the_next_one_to_fill_then_says_all_done(client, loop):
    from datetime import timedelta

    from django.utils import timezone

    me = loop.interview.interviewer
    later = factories.InterviewFactory(
        interviewer=me,
        scheduled_at=timezone.now() + timedelta(days=3),
        application__candidate__name="Later Candidate",
    )
    overdue = factories.InterviewFactory(
        interviewer=me,
        scheduled_at=timezone.now() - timedelta(days=3),
        application__candidate__name="Overdue Candidate",
        stage__name="Pairing",
    )
    client.force_login(me)
    response = client.post(
        reverse("scorecards:fill", args=[loop.interview.pk]),
        {**complete_post(loop, 0), "action": "submit"},
        follow=True,
    )
    body = response.content.decode()
    assert "Scorecard submitted. Thank you!" in body
    box = re.search(r'data-testid="next-card">(.*?)</div>', body, re.S).group(1)
    # The first of My interviews' To do: the overdue card, before the later one.
    assert "Overdue Candidate, Pairing" in box and "Overdue</span>" in box
    assert f'href="{reverse("scorecards:fill", args=[overdue.pk])}"' in box
    assert "Fill in the next scorecard" in box
    from scorecards.models import ScorecardContent

    for interview in (overdue, later):
        card = Scorecard.objects.create(interview=interview, version=0)
        card.submit(ScorecardContent(recommendation="no"), 0, me)
    body = client.get(detail_url(Scorecard.objects.get(interview=loop.interview))).content.decode()
    box = re.search(r'data-testid="next-card">(.*?)</div>', body, re.S).group(1)
    assert "All done" in box and "every scorecard of yours is submitted" in box
    assert reverse("scorecards:fill", args=[later.pk]) not in box


def test_only_the_owner_is_shown_the_next_card(client, loop):
    card = submitted_card(loop)
    client.force_login(factories.RecruiterFactory())
    body = client.get(detail_url(card)).content.decode()
    assert 'data-testid="next-card"' not in body


# --- hiring managers and recruiters ------------------------------------------------------------


def test_hiring_manager_sees_submitted_cards_of_own_applications_only(client, loop):
    card = submitted_card(loop)
    draft = draft_card(loop.other_interview)
    client.force_login(loop.application.hiring_manager)
    assert client.get(detail_url(card)).status_code == 200
    assert client.get(detail_url(draft)).status_code == 404
    other_manager = factories.HiringManagerFactory()
    client.force_login(other_manager)
    assert client.get(detail_url(card)).status_code == 404


def test_hiring_manager_who_interviews_must_submit_own_card_first(client, loop):
    manager = loop.application.hiring_manager
    manager.groups.add(*factories.InterviewerFactory().groups.filter(name=INTERVIEWER))
    manager_interview = factories.InterviewFactory(
        application=loop.application, stage=loop.other_stage, interviewer=manager
    )
    card = submitted_card(loop)
    client.force_login(manager)
    assert client.get(detail_url(card)).status_code == 404
    submitted_card(loop, manager_interview)
    assert client.get(detail_url(card)).status_code == 200


def test_recruiter_sees_every_card_including_drafts_marked_as_such(client, loop):
    card = submitted_card(loop)
    draft = draft_card(loop.other_interview, summary="Half-way thoughts")
    client.force_login(factories.RecruiterFactory())
    assert client.get(detail_url(card)).status_code == 200
    body = client.get(detail_url(draft)).content.decode()
    assert "is still writing this scorecard" in body and "Half-way thoughts" in body


def test_users_without_a_group_get_403_and_anonymous_log_in(client, loop):
    card = submitted_card(loop)
    client.force_login(factories.UserFactory())
    assert client.get(detail_url(card)).status_code == 403
    client.logout()
    response = client.get(detail_url(card))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_detail_accepts_only_get(client, loop):
    card = submitted_card(loop)
    client.force_login(factories.RecruiterFactory())
    assert client.post(detail_url(card)).status_code == 405
    assert client.get(reverse("scorecards:detail", args=[999999])).status_code == 404


# --- reopening -----------------------------------------------------------------------------------


def test_recruiter_reopens_with_a_reason_and_the_earlier_submission_stays_in_history(client, loop):
    card = submitted_card(loop, summary="First take")
    recruiter = factories.RecruiterFactory(first_name="Rita", last_name="Recruiter")
    client.force_login(recruiter)
    page = client.get(detail_url(card)).content.decode()
    assert "Reopen this scorecard" in page
    response = client.post(reopen_url(card), {"reason": "Evidence for Evaluation is missing."})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == "draft"
    assert card.reopen_reason == "Evidence for Evaluation is missing."
    assert card.version == 2  # tabs open on the submitted card are now stale
    body = client.get(detail_url(card)).content.decode()
    assert "Reopened" in body and "by Rita Recruiter" in body
    assert "First take" in body  # the earlier submission, in the history
    record = card.history.first()
    assert record.history_user == recruiter
    assert record.history_change_reason == "Evidence for Evaluation is missing."


def test_reopen_needs_a_reason_and_changes_nothing_without_one(client, loop):
    card = submitted_card(loop)
    client.force_login(factories.RecruiterFactory())
    response = client.post(reopen_url(card), {"reason": "   "})
    assert response.status_code == 422
    assert "Give a reason for reopening" in response.content.decode()
    card.refresh_from_db()
    assert (card.status, card.version) == ("submitted", 1)


@pytest.mark.parametrize("who", ["interviewer", "other_interviewer", "hiring_manager", "nobody"])
def test_only_recruiters_may_reopen(client, loop, who):
    card = submitted_card(loop)
    submitted_card(loop, loop.other_interview)
    users = {
        "interviewer": loop.interview.interviewer,
        "other_interviewer": loop.other_interview.interviewer,
        "hiring_manager": loop.application.hiring_manager,
        "nobody": factories.UserFactory(),
    }
    client.force_login(users[who])
    assert client.post(reopen_url(card), {"reason": "Because."}).status_code == 403
    card.refresh_from_db()
    assert card.status == "submitted"


def test_reopen_answers_anonymous_get_and_drafts_correctly(client, loop):
    card = submitted_card(loop)
    response = client.post(reopen_url(card), {"reason": "x"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(factories.RecruiterFactory())
    assert client.get(reopen_url(card)).status_code == 405
    draft = draft_card(loop.other_interview)
    follow = client.post(reopen_url(draft), {"reason": "x"}, follow=True)
    assert "Only a submitted scorecard can be reopened." in follow.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.reopen_reason) == ("draft", "")
    # A double post of the same reopen is harmless.
    client.post(reopen_url(card), {"reason": "Twice"})
    client.post(reopen_url(card), {"reason": "Twice"})
    card.refresh_from_db()
    assert card.version == 2
    assert [e.kind for e in card.events()] == ["submitted", "reopened"]


def test_other_cards_of_a_reopened_interviewer_hide_again_until_resubmitted(client, loop):
    mine = submitted_card(loop)
    others = submitted_card(loop, loop.other_interview)
    mine.reopen(factories.RecruiterFactory(), "Add evidence.")
    client.force_login(loop.interview.interviewer)
    assert client.get(detail_url(others)).status_code == 404
