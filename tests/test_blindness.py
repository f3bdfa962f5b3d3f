"""Blindness on every page that shows results (DESIGN "Who may do what"): a person who
interviews the candidate sees none of the others' ratings, evidence, scores,
recommendations, red flags or means until their own card is submitted, whatever else
they are (the application's hiring manager, a recruiter). Each results page is checked
with a hiring manager who interviews the candidate: the distinctive values below are
absent while their card is pending, shown once it is submitted.
"""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, Decision
from hiring_site.access import INTERVIEWER
from scorecards.models import Scorecard
from tests import factories
from tests.scorecards.builders import build_loop

pytestmark = pytest.mark.django_db

# What the others' two cards make: every dimension rated, means 4, 4, 3, 4 of equal
# weights, so a weighted score of 3.75; a red flag observed, so (policy veto) no hire.
SCORE = "3.75"
RED_FLAG = "Blames others for failures"
RED_FLAG_NOTE = "Blamed the SRE team for the outage"
EVIDENCE = "Sharded the event log by tenant"
HIDDEN = "hidden until your own card is submitted"
OWN_CARD_FIRST = "Submit your own scorecard first"


class Scenario:
    """A loop whose hiring manager interviews the candidate (stage 1, own card a draft
    rating the focus 4 and 4, so submitting it changes none of the means) while two
    other interviewers have submitted theirs."""

    def __init__(self, viewer=None):
        self.manager = factories.HiringManagerFactory(first_name="Hana", last_name="Manager")
        self.manager.groups.add(Group.objects.get(name=INTERVIEWER))
        self.viewer = viewer or self.manager
        loop = build_loop(self.viewer, hiring_manager=self.manager)
        self.loop, self.application = loop, loop.application
        d = loop.dimensions
        self.other_card = factories.scorecard_with_ratings(
            loop.other_interview,
            {d[0]: 4, d[1]: 4, d[2]: 3, d[3]: 4},
            recommendation="strong_yes",
            evidence=EVIDENCE,
            signals=[(loop.red[0], RED_FLAG_NOTE)],
        )
        third = factories.InterviewFactory(application=self.application, stage=loop.other_stage)
        factories.scorecard_with_ratings(
            third, {d[0]: 4, d[1]: 4, d[2]: 3, d[3]: 4}, recommendation="yes"
        )
        self.own_interview = loop.interview
        self.own_card = factories.scorecard_with_ratings(
            loop.interview,
            {d[0]: 4, d[1]: 4},
            status=Scorecard.Status.DRAFT,
            recommendation="",
            evidence="My own notes",
        )

    def submit_own_card(self):
        self.own_card.status = Scorecard.Status.SUBMITTED
        self.own_card.recommendation = "yes"
        self.own_card.submitted_at = timezone.now()
        self.own_card.save()

    def reopen_own_card(self):
        recruiter = factories.RecruiterFactory()
        self.own_card.reopen(recruiter, "Please add evidence for the design rating.")


@pytest.fixture
def blind(db):
    return Scenario()


@pytest.fixture
def manager_client(client, blind):
    client.force_login(blind.manager)
    return client


def assert_blind(body: str):
    for secret in (SCORE, RED_FLAG, RED_FLAG_NOTE, EVIDENCE, "Strong yes", "No hire"):
        assert secret not in body, f"{secret!r} shown to a blind viewer"


def assert_results(body: str):
    assert SCORE in body and RED_FLAG in body


# --- the rule on the models ----------------------------------------------------------------


def test_results_visible_to_leaves_out_an_application_with_a_pending_own_card(blind):
    manager, application = blind.manager, blind.application
    assert not Application.objects.results_visible_to(manager).filter(pk=application.pk).exists()
    assert Application.objects.results_hidden_from(manager).filter(pk=application.pk).exists()
    assert not application.results_visible_to(manager)
    assert application.cards_awaited_from(manager) == [blind.own_interview]
    blind.submit_own_card()
    assert application.results_visible_to(manager)
    assert not Application.objects.results_hidden_from(manager).filter(pk=application.pk).exists()
    assert application.cards_awaited_from(manager) == []


def test_an_interview_without_a_card_keeps_its_interviewer_blind(blind):
    blind.own_card.delete()
    assert not blind.application.results_visible_to(blind.manager)
    assert blind.application.cards_awaited_from(blind.manager) == [blind.own_interview]


def test_readable_by_gives_own_cards_always_and_others_once_own_is_in(blind):
    readable = Scorecard.objects.readable_by
    assert list(readable(blind.manager)) == [blind.own_card]
    blind.submit_own_card()
    others = set(
        Scorecard.objects.filter(interview__application=blind.application).values_list(
            "pk", flat=True
        )
    )
    assert set(readable(blind.manager).values_list("pk", flat=True)) == others


def test_other_applications_stay_visible_while_one_is_blind(blind):
    mine = factories.ApplicationFactory(revision=blind.loop.revision, hiring_manager=blind.manager)
    visible = Application.objects.results_visible_to(blind.manager)
    assert list(visible) == [mine]
    outsider = factories.InterviewerFactory()
    assert not Application.objects.results_visible_to(outsider).exists()


# --- panel, panel JSON, decide --------------------------------------------------------------


def test_panel_is_blind_until_own_card_is_submitted(manager_client, blind):
    url = reverse("hiring:panel", args=[blind.application.pk])
    response = manager_client.get(url)
    body = response.content.decode()
    assert response.status_code == 403
    assert OWN_CARD_FIRST in body
    assert reverse("scorecards:fill", args=[blind.own_interview.pk]) in body
    assert_blind(body)
    blind.submit_own_card()
    response = manager_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert OWN_CARD_FIRST not in body
    assert_results(body)
    assert RED_FLAG_NOTE in body and "No hire" in body


def test_panel_json_is_refused_until_own_card_is_submitted(manager_client, blind):
    url = reverse("hiring:panel_json", args=[blind.application.pk])
    response = manager_client.get(url)
    assert response.status_code == 403
    assert OWN_CARD_FIRST.lower().split()[0] in response.json()["error"].lower()
    assert_blind(response.content.decode())
    blind.submit_own_card()
    data = manager_client.get(url).json()
    assert data["weighted_score"] == SCORE
    assert data["recommendation"] == "no_hire"
    assert [flag["text"] for flag in data["red_flags"]] == [RED_FLAG]


def test_decide_is_refused_until_own_card_is_submitted(manager_client, blind):
    url = reverse("hiring:decide", args=[blind.application.pk])
    body = {"outcome": "no_hire", "rationale": "The red flag stands."}
    response = manager_client.post(url, body)
    assert response.status_code == 403
    assert OWN_CARD_FIRST in response.content.decode()
    assert_blind(response.content.decode())
    assert not Decision.objects.exists()
    blind.submit_own_card()
    response = manager_client.post(url, body, follow=True)
    assert Decision.objects.get().outcome == "no_hire"
    assert_results(response.content.decode())


def test_a_reopened_own_card_makes_the_panel_blind_again(manager_client, blind):
    blind.submit_own_card()
    url = reverse("hiring:panel", args=[blind.application.pk])
    assert manager_client.get(url).status_code == 200  # the panel is now cached, too
    blind.reopen_own_card()
    for name in ("hiring:panel", "hiring:panel_json"):
        response = manager_client.get(reverse(name, args=[blind.application.pk]))
        assert response.status_code == 403
        assert_blind(response.content.decode())
    detail = reverse("scorecards:detail", args=[blind.other_card.pk])
    assert manager_client.get(detail).status_code == 404


def test_a_recruiter_who_interviews_is_blind_too(client, db):
    recruiter = factories.RecruiterFactory()
    recruiter.groups.add(Group.objects.get(name=INTERVIEWER))
    blind = Scenario(viewer=recruiter)
    client.force_login(recruiter)
    panel = client.get(reverse("hiring:panel", args=[blind.application.pk]))
    assert panel.status_code == 403
    assert_blind(panel.content.decode())
    assert client.get(reverse("scorecards:detail", args=[blind.other_card.pk])).status_code == 404
    blind.submit_own_card()
    panel = client.get(reverse("hiring:panel", args=[blind.application.pk]))
    assert_results(panel.content.decode())
    detail = client.get(reverse("scorecards:detail", args=[blind.other_card.pk]))
    assert EVIDENCE in detail.content.decode()


# --- card detail and the application page -------------------------------------------------


def test_card_detail_of_another_card_is_hidden_until_own_card_is_submitted(manager_client, blind):
    url = reverse("scorecards:detail", args=[blind.other_card.pk])
    response = manager_client.get(url)
    assert response.status_code == 404
    assert_blind(response.content.decode())
    blind.submit_own_card()
    body = manager_client.get(url).content.decode()
    assert EVIDENCE in body and RED_FLAG_NOTE in body


def test_own_submitted_card_lists_no_others_while_another_own_card_is_pending(
    manager_client, blind
):
    """Two interviews of the same candidate: the first card is in, the second not yet."""
    blind.submit_own_card()
    second = factories.InterviewFactory(
        application=blind.application, stage=blind.loop.other_stage, interviewer=blind.manager
    )
    body = manager_client.get(reverse("scorecards:detail", args=[blind.own_card.pk])).content
    body = body.decode()
    assert "My own notes" in body
    assert reverse("scorecards:detail", args=[blind.other_card.pk]) not in body
    assert "Strong yes" not in body
    assert HIDDEN in body
    factories.scorecard_with_ratings(second, {blind.loop.dimensions[2]: 3})
    body = manager_client.get(reverse("scorecards:detail", args=[blind.own_card.pk])).content
    assert reverse("scorecards:detail", args=[blind.other_card.pk]) in body.decode()


def test_application_page_links_only_own_card_until_it_is_submitted(manager_client, blind):
    url = reverse("hiring:application_detail", args=[blind.application.pk])
    body = manager_client.get(url).content.decode()
    assert reverse("scorecards:detail", args=[blind.own_card.pk]) in body
    assert reverse("scorecards:detail", args=[blind.other_card.pk]) not in body
    blind.submit_own_card()
    body = manager_client.get(url).content.decode()
    assert reverse("scorecards:detail", args=[blind.other_card.pk]) in body


def rows(body: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", body, re.S)


def csv_rows(response) -> dict[str, dict]:
    text = response.content.decode()
    return {row["candidate"]: row for row in csv.DictReader(io.StringIO(text))}


# --- pipeline, CSV, calibration ------------------------------------------------------------


def scored_application(blind, name: str, score: int):
    """Another application of the same manager and role, every dimension rated `score`
    on two submitted cards: its results stay in view."""
    application = factories.ApplicationFactory(
        revision=blind.loop.revision, hiring_manager=blind.manager, candidate__name=name
    )
    for stage in (blind.loop.stage, blind.loop.other_stage):
        interview = factories.InterviewFactory(application=application, stage=stage)
        factories.scorecard_with_ratings(
            interview, {d: score for d in blind.loop.dimensions}, recommendation="no"
        )
    return application


def pipeline_rows(client, blind, **params) -> list[str]:
    url = reverse("hiring:pipeline", args=[blind.loop.revision.role.slug])
    response = client.get(url, params)
    assert response.status_code == 200
    return rows(response.content.decode())


def test_pipeline_row_is_hidden_until_own_card_is_submitted(manager_client, blind):
    scored_application(blind, "Visible Vera", 2)
    body_rows = pipeline_rows(manager_client, blind)
    grace = next(r for r in body_rows if "Grace Hopper" in r)
    assert HIDDEN in grace
    assert_blind(grace)
    assert "red flag" not in grace
    vera = next(r for r in body_rows if "Visible Vera" in r)
    assert "2.00" in vera and HIDDEN not in vera
    blind.submit_own_card()
    grace = next(r for r in pipeline_rows(manager_client, blind) if "Grace Hopper" in r)
    assert HIDDEN not in grace
    assert SCORE in grace and "No hire" in grace and "1 red flag" in grace


@pytest.mark.parametrize("sort", ["-score", "score", "-red_flags", "recommendation"])
def test_sorting_the_pipeline_by_results_does_not_place_a_hidden_row_by_them(
    manager_client, blind, sort
):
    """A hidden row sorts as an unscored one, last either way: were it placed by its
    3.75, it would come before the 2.00 in descending order."""
    scored_application(blind, "Visible Vera", 2)
    names = [
        name
        for r in pipeline_rows(manager_client, blind, sort=sort)
        for name in ("Grace Hopper", "Visible Vera")
        if name in r
    ]
    assert names == ["Visible Vera", "Grace Hopper"]
    blind.submit_own_card()
    names = [
        name
        for r in pipeline_rows(manager_client, blind, sort="-score")
        for name in ("Grace Hopper", "Visible Vera")
        if name in r
    ]
    assert names == ["Grace Hopper", "Visible Vera"]


def my_application_rows(client) -> list[str]:
    body = client.get(reverse("hiring:my_applications")).content.decode()
    return re.findall(r'<tr data-testid="application-row">.*?</tr>', body, re.S)


def test_my_applications_row_is_hidden_until_own_card_is_submitted(manager_client, blind):
    scored_application(blind, "Visible Vera", 2)
    found = my_application_rows(manager_client)
    grace = next(r for r in found if "Grace Hopper" in r)
    assert HIDDEN in grace
    assert_blind(grace)
    assert "split" not in grace  # the disagreement is a result too
    vera = next(r for r in found if "Visible Vera" in r)
    assert "2.00" in vera and "No hire" in vera and HIDDEN not in vera
    blind.submit_own_card()
    grace = next(r for r in my_application_rows(manager_client) if "Grace Hopper" in r)
    assert HIDDEN not in grace and SCORE in grace and "No hire" in grace


def export(client, blind, **params):
    response = client.get(reverse("hiring:export", args=[blind.loop.revision.role.slug]), params)
    assert response.status_code == 200
    return response


def test_csv_row_is_hidden_until_own_card_is_submitted(manager_client, blind):
    scored_application(blind, "Visible Vera", 2)
    response = export(manager_client, blind, sort="-score")
    assert_blind(response.content.decode())
    table = csv_rows(response)
    assert list(table) == ["Visible Vera", "Grace Hopper"]
    grace = table["Grace Hopper"]
    assert grace["recommendation"] == HIDDEN
    assert (grace["weighted_score"], grace["coverage"], grace["red_flags"]) == ("", "", "")
    assert table["Visible Vera"]["weighted_score"] == "2.00"
    blind.submit_own_card()
    response = export(manager_client, blind, sort="-score")
    grace = csv_rows(response)["Grace Hopper"]
    assert (grace["weighted_score"], grace["recommendation"], grace["red_flags"]) == (
        SCORE,
        "no_hire",
        "1",
    )


def test_a_csv_cached_for_another_viewer_is_not_served_to_a_blind_one(client, blind):
    """The recruiter's file and the manager's list the same rows; only the manager's
    hides one, so they are not the same file."""
    client.force_login(factories.RecruiterFactory())
    assert csv_rows(export(client, blind))["Grace Hopper"]["weighted_score"] == SCORE
    client.force_login(blind.manager)
    response = export(client, blind)
    assert_blind(response.content.decode())
    assert csv_rows(response)["Grace Hopper"]["recommendation"] == HIDDEN


def test_calibration_leaves_out_the_cards_of_a_blind_application(manager_client, blind):
    url = reverse("scorecards:calibration")
    other = blind.other_card.interview.interviewer
    body = manager_client.get(url).content.decode()
    assert SCORE not in body and other.last_name not in body
    assert "Security mindset" not in body
    assert "No submitted scorecards yet." in body
    blind.submit_own_card()
    body = manager_client.get(url).content.decode()
    # Each of the others rated 4, 4, 3 and 4: a mean of 3.75.
    assert SCORE in body and other.last_name in body and "Security mindset" in body


def test_calibration_of_a_recruiter_who_interviews_leaves_out_that_application(client, db):
    recruiter = factories.RecruiterFactory()
    recruiter.groups.add(Group.objects.get(name=INTERVIEWER))
    blind = Scenario(viewer=recruiter)
    visible = scored_application(blind, "Visible Vera", 2)
    client.force_login(recruiter)
    body = client.get(reverse("scorecards:calibration")).content.decode()
    assert "Security mindset" in body  # Vera's cards count
    other = blind.other_card.interview.interviewer
    assert other.last_name not in body and SCORE not in body
    assert visible.interviews.first().interviewer.last_name in body
