"""The panel page: what a hiring manager reads, who may read it, and its query count."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from hiring_site.access import INTERVIEWER
from roles.models import RoleRevision, Signal
from scorecards.models import Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(hiring_manager):
    """Three dimensions, four stages, two submitted cards, one draft, one empty stage.

    By hand: System design 4 (one rating), Communication (2 + 4) / 2 = 3, Ownership not
    assessed. Coverage (50 + 30) / 100 = 0.80. Weighted (50*4 + 30*3) / 80 = 3.625,
    shown 3.63, band hire; Ian's red flag vetoes it down to no hire.
    """
    revision, (design, communication, ownership) = factories.revision_with_dimensions(
        [50, 30, 20], names=["System design", "Communication", "Ownership"]
    )
    stages = {
        name: factories.InterviewStageFactory(
            revision=revision, order=i, name=name, focus_dimensions=f
        )
        for i, (name, f) in enumerate(
            [
                ("System design case", [design, communication]),
                ("Behavioural", [communication, ownership]),
                ("Pair programming", [design]),
                ("Values", [ownership]),
            ]
        )
    }
    red_flag = factories.SignalFactory(
        revision=revision, kind=Signal.Kind.RED_FLAG, text="Blames others"
    )
    strong = factories.SignalFactory(
        revision=revision, kind=Signal.Kind.STRONG, text="Asks about the users"
    )
    application = factories.ApplicationFactory(
        revision=revision, hiring_manager=hiring_manager, candidate__name="Ada Lovelace"
    )
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Ito")
    ian = factories.InterviewerFactory(first_name="Ian", last_name="Ng")
    dora = factories.InterviewerFactory(first_name="Dora", last_name="Draft")
    factories.scorecard_with_ratings(
        factories.InterviewFactory(
            application=application, stage=stages["System design case"], interviewer=ivy
        ),
        {design: 4, communication: 2},
        recommendation="yes",
        summary="Clear architecture, quiet in the discussion.",
        evidence="Drew a clear architecture with queues",
    )
    factories.scorecard_with_ratings(
        factories.InterviewFactory(
            application=application, stage=stages["Behavioural"], interviewer=ian
        ),
        {communication: 4, ownership: None},
        recommendation="no",
        summary="Good communicator, but a worrying story.",
        evidence="",
        signals=[(red_flag, "Blamed the team for the outage"), strong],
    )
    factories.scorecard_with_ratings(
        factories.InterviewFactory(
            application=application,
            stage=stages["Values"],
            interviewer=dora,
            scheduled_at=timezone.now() - timedelta(hours=2),  # a draft, not overdue yet
        ),
        {design: 1, ownership: 1},
        status=Scorecard.Status.DRAFT,
        recommendation="strong_no",
        evidence="DRAFT-EVIDENCE-NEVER-SHOWN",
    )
    return application


def test_panel_shows_recommendation_with_score_coverage_and_explanation(manager_client, loop):
    body = manager_client.get(reverse("hiring:panel", args=[loop.pk])).content.decode()
    assert 'data-testid="recommendation">No hire<' in body
    assert 'data-testid="weighted-score">3.63<' in body
    assert 'data-testid="coverage">0.80 ' in body
    assert "The score alone falls in <strong>hire</strong>" in body
    assert "System design: weight 50, ratings 4, mean 4.00, contributes 2.50" in body
    assert "Communication: weight 30, ratings 2, 4, mean 3.00, contributes 1.13" in body
    assert "Ownership: weight 20, not assessed" in body
    assert (
        "A red flag was observed (&quot;Blames others&quot; by Ian Ng, note: Blamed the team "
        "for the outage), so the recommendation is capped at No hire (the score alone gives "
        "Hire)" in body
    )
    explanation = body.split('data-testid="explanation"')[1].split("</ul>")[0]
    assert "_" not in explanation


def test_panel_matrix_shows_ratings_evidence_and_marks_gaps(manager_client, loop):
    body = manager_client.get(reverse("hiring:panel", args=[loop.pk])).content.decode()
    matrix = body.split('data-testid="matrix"')[1].split("</table>")[0]
    # Columns are the two submitted cards, in stage order; the draft is not one.
    assert matrix.index("Ivy Ito") < matrix.index("Ian Ng")
    assert "Dora Draft" not in matrix
    assert 'class="text-center rating-cell rating-4"' in matrix
    assert '<summary><span class="rating-value">4</span>' in matrix
    assert "Drew a clear architecture with queues" in matrix
    assert "cell-not-assessed" in matrix  # Ian's Ownership: a focus, left empty
    assert "Not a focus of this stage" in matrix  # Ivy's Ownership, Ian's System design
    assert 'class="row-disagreement"' in matrix and "Disagreement</span>" in matrix
    assert "4.00</td>" in matrix and "2.50</td>" in matrix and "1.13</td>" in matrix
    assert "DRAFT-EVIDENCE-NEVER-SHOWN" not in body


def test_panel_lists_red_flags_signals_gaps_and_each_recommendation(manager_client, loop):
    body = manager_client.get(reverse("hiring:panel", args=[loop.pk])).content.decode()
    flags = body.split('data-testid="red-flags"')[1].split("</div>")[0]
    assert "Red flags: 1" in flags and "Blames others" in flags
    assert "(any red flag caps the recommendation at No hire)" in flags
    assert "observed by Ian Ng: “Blamed the team for the outage”" in flags
    assert "Strong signals: 1" in body and "Asks about the users" in body
    assert "Weak signals: 0" in body
    gaps = body.split('data-testid="coverage-gaps"')[1].split("</section>")[0]
    assert "<li>Ownership</li>" in gaps
    assert "<strong>Pair programming</strong>:\n      no interviewer assigned" in gaps
    assert "<strong>Values</strong>:\n      Dora Draft (draft)" in gaps
    assert "System design case" not in gaps and "Behavioural" not in gaps
    assert "Recommendations split: 1 No, 1 Yes" in body
    assert "Clear architecture, quiet in the discussion." in body
    assert "Good communicator, but a worrying story." in body
    assert "card score 3.25" in body  # Ivy: (50*4 + 30*2) / 80


def test_panel_gaps_name_each_waiting_card_by_its_card_state(
    manager_client, hiring_manager, recruiter
):
    """The stages still waiting say where each card stands by the one card-state rule
    (hiring.models.CardState): reopened and overdue, not just "draft"."""
    revision, (design,) = factories.revision_with_dimensions([100], names=["Design"])
    application = factories.ApplicationFactory(revision=revision, hiring_manager=hiring_manager)
    long_ago, tomorrow = timezone.now() - timedelta(days=3), timezone.now() + timedelta(days=1)
    waiting = {}
    for order, (stage, first, when) in enumerate(
        [("Reopened stage", "Rhea", long_ago), ("Late stage", "Otto", long_ago)]
        + [("Later stage", "Nina", tomorrow)]
    ):
        waiting[stage] = factories.InterviewFactory(
            application=application,
            stage=factories.InterviewStageFactory(
                revision=revision, order=order, name=stage, focus_dimensions=[design]
            ),
            interviewer=factories.InterviewerFactory(first_name=first, last_name="Lane"),
            scheduled_at=when,
        )
    card = factories.scorecard_with_ratings(waiting["Reopened stage"], {design: 3})
    card.reopen(by=recruiter, reason="Add the evidence, please.")
    body = manager_client.get(reverse("hiring:panel", args=[application.pk])).content.decode()
    gaps = body.split('data-testid="coverage-gaps"')[1].split("</section>")[0]
    assert "<strong>Reopened stage</strong>:\n      Rhea Lane (reopened)" in gaps
    assert "<strong>Late stage</strong>:\n      Otto Lane (overdue)" in gaps
    assert "<strong>Later stage</strong>:\n      Nina Lane (not started)" in gaps


def test_panel_chart_is_server_rendered_svg_against_the_bar(manager_client, loop):
    body = manager_client.get(reverse("hiring:panel", args=[loop.pk])).content.decode()
    svg = body.split('data-testid="chart"')[1].split("</svg>")[0]
    # Plot starts at x=210 and is 330 wide for 0..5: the bar (3) sits at 210 + 198.
    assert 'class="chart-meets-line"' in svg and 'x1="408"' in svg
    assert 'width="264" height="16" class="chart-bar chart-bar-meets"' in svg  # 4.00
    assert 'width="198" height="16" class="chart-bar chart-bar-meets"' in svg  # 3.00
    assert "not assessed</text>" in svg
    assert "The numbers are in the table above." in body
    assert "style=" not in body and "<script>" not in body


def test_panel_with_no_submitted_card_says_so(manager_client, hiring_manager):
    application = factories.ApplicationFactory(hiring_manager=hiring_manager)
    factories.DimensionFactory(revision=application.revision, name="Only dimension")
    body = manager_client.get(reverse("hiring:panel", args=[application.pk])).content.decode()
    assert 'data-testid="recommendation">Insufficient evidence<' in body
    assert "No scorecard has been submitted yet." in body
    assert "0 submitted scorecards, at least 2 needed" in body
    # The chart's caption points at no table: there is none yet.
    assert "The numbers are in the table above." not in body


def test_panel_with_unusable_scoring_settings_explains_instead_of_crashing(
    manager_client, hiring_manager
):
    application = factories.ApplicationFactory(hiring_manager=hiring_manager)
    RoleRevision.objects.filter(pk=application.revision_id).update(
        thresholds={"strong_hire": "2", "hire": "3"}
    )
    response = manager_client.get(reverse("hiring:panel", args=[application.pk]))
    assert response.status_code == 500
    assert "The panel cannot be computed" in response.content.decode()
    assert "A recruiter needs to fix them" in response.content.decode()
    json_response = manager_client.get(reverse("hiring:panel_json", args=[application.pk]))
    assert json_response.status_code == 500 and "error" in json_response.json()


# --- who may see it --------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["hiring:panel", "hiring:panel_json"])
def test_recruiter_and_the_applications_hiring_manager_see_the_panel(
    client, loop, recruiter, url_name
):
    for user in (recruiter, loop.hiring_manager):
        client.force_login(user)
        response = client.get(reverse(url_name, args=[loop.pk]))
        assert response.status_code == 200
        assert "3.63" in response.content.decode()


@pytest.mark.parametrize("url_name", ["hiring:panel", "hiring:panel_json"])
def test_another_hiring_manager_gets_404(client, loop, url_name):
    client.force_login(factories.HiringManagerFactory())
    assert client.get(reverse(url_name, args=[loop.pk])).status_code == 404
    assert client.get(reverse(url_name, args=[987654])).status_code == 404


@pytest.mark.parametrize("url_name", ["hiring:panel", "hiring:panel_json"])
def test_interviewers_and_users_without_a_group_get_403(client, loop, url_name):
    # Even an interviewer on this very application: the panel is not their page.
    on_the_panel = loop.interviews.select_related("interviewer").first().interviewer
    for user in (on_the_panel, factories.InterviewerFactory(), factories.UserFactory()):
        client.force_login(user)
        response = client.get(reverse(url_name, args=[loop.pk]))
        assert response.status_code == 403
        assert "3.63" not in response.content.decode()


@pytest.mark.parametrize("url_name", ["hiring:panel", "hiring:panel_json"])
def test_anonymous_is_sent_to_log_in(client, loop, url_name):
    response = client.get(reverse(url_name, args=[loop.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url_name", ["hiring:panel", "hiring:panel_json"])
def test_panel_answers_405_to_post(manager_client, loop, url_name):
    assert manager_client.post(reverse(url_name, args=[loop.pk])).status_code == 405


def test_hiring_manager_who_interviews_must_submit_own_card_first(manager_client, loop):
    loop.hiring_manager.groups.add(Group.objects.get(name=INTERVIEWER))
    own = factories.InterviewFactory(
        application=loop,
        stage=loop.revision.stages.get(name="Pair programming"),
        interviewer=loop.hiring_manager,
    )
    card = factories.scorecard_with_ratings(own, {}, status=Scorecard.Status.DRAFT)
    for url_name in ("hiring:panel", "hiring:panel_json"):
        response = manager_client.get(reverse(url_name, args=[loop.pk]))
        assert response.status_code == 403
        body = response.content.decode()
        assert "Submit your own scorecard first" in body
        assert "3.63" not in body and "Blames others" not in body
    page = manager_client.get(reverse("hiring:panel", args=[loop.pk])).content.decode()
    assert f'href="{reverse("scorecards:fill", args=[own.pk])}"' in page
    assert "Your scorecard for Pair programming" in page
    card.status = Scorecard.Status.SUBMITTED
    card.save()
    response = manager_client.get(reverse("hiring:panel", args=[loop.pk]))
    assert response.status_code == 200
    assert "Submit your own scorecard first" not in response.content.decode()


def test_hiring_manager_assigned_but_not_started_must_submit_first(manager_client, loop):
    factories.InterviewFactory(
        application=loop,
        stage=loop.revision.stages.get(name="Pair programming"),
        interviewer=loop.hiring_manager,
    )
    response = manager_client.get(reverse("hiring:panel", args=[loop.pk]))
    assert response.status_code == 403
    assert "Submit your own scorecard first" in response.content.decode()


def test_decision_form_only_for_the_applications_hiring_manager(client, loop, recruiter):
    client.force_login(recruiter)
    body = client.get(reverse("hiring:panel", args=[loop.pk])).content.decode()
    assert "3.63" in body and 'data-testid="decision-form"' not in body
    assert "Only the application's hiring manager" in body
    client.force_login(loop.hiring_manager)
    body = client.get(reverse("hiring:panel", args=[loop.pk])).content.decode()
    assert 'data-testid="decision-form"' in body
    assert reverse("hiring:decide", args=[loop.pk]) in body


# --- constant queries ------------------------------------------------------------------


def build_panel(interviewers, dimensions, hiring_manager):
    revision, dims = factories.revision_with_dimensions([10] * dimensions)
    signals = [
        factories.SignalFactory(revision=revision, kind=kind)
        for kind in (Signal.Kind.STRONG, Signal.Kind.WEAK, Signal.Kind.RED_FLAG)
    ]
    application = factories.ApplicationFactory(revision=revision, hiring_manager=hiring_manager)
    for n in range(interviewers):
        stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=dims)
        interview = factories.InterviewFactory(application=application, stage=stage)
        factories.scorecard_with_ratings(
            interview,
            {d: (n + i) % 5 + 1 for i, d in enumerate(dims)},
            recommendation="yes" if n % 2 else "no",
            signals=signals,
        )
    # An unfinished stage too, so every part of the page has something to show.
    factories.InterviewFactory(application=application)
    factories.DecisionFactory(application=application)
    return application


# Both panels are opened for the first time: nothing of them is cached yet
# (tests/hiring/test_results_cache.py checks the warm ones).
@pytest.mark.parametrize("url_name, most", [("hiring:panel", 13), ("hiring:panel_json", 10)])
def test_panel_queries_do_not_grow_with_interviewers_and_dimensions(
    manager_client, hiring_manager, django_assert_max_num_queries, url_name, most
):
    small = build_panel(2, 3, hiring_manager)
    with django_assert_max_num_queries(most) as captured:
        response = manager_client.get(reverse(url_name, args=[small.pk]))
    assert response.status_code == 200
    large = build_panel(8, 10, hiring_manager)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = manager_client.get(reverse(url_name, args=[large.pk]))
    assert response.status_code == 200
    if url_name == "hiring:panel_json":
        assert response.json()["submitted"] == 8 and len(response.json()["dimensions"]) == 10
    else:
        assert response.content.decode().count("rating-cell rating-") == 80


# --- the way back, the folded decision form, the JSON link -------------------------------


def crumbs(body: str) -> list[tuple[str, str]]:
    trail = body.split('data-testid="breadcrumbs"')[1].split("</nav>")[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', trail)
    current = re.search(r'aria-current="page">([^<]+)<', trail).group(1)
    return [(label, url) for url, label in links] + [(current, "")]


def test_breadcrumbs_follow_the_way_the_manager_came(manager_client, loop):
    url = reverse("hiring:panel", args=[loop.pk])
    pipeline = reverse("hiring:pipeline", args=[loop.revision.role.slug])
    application = reverse("hiring:application_detail", args=[loop.pk])
    mine = reverse("hiring:my_applications")
    role = loop.revision.role.title
    assert crumbs(manager_client.get(url).content.decode()) == [
        (f"{role} pipeline", pipeline),
        ("Ada Lovelace", application),
        ("Panel", ""),
    ]
    assert crumbs(manager_client.get(url, {"from": "pipeline"}).content.decode()) == crumbs(
        manager_client.get(url).content.decode()
    )
    body = manager_client.get(url, {"from": "mine"}).content.decode()
    assert crumbs(body) == [("My applications", mine), ("Panel", "")]
    # The decision form posts back with it, so the page after the decision keeps it.
    assert f'action="{reverse("hiring:decide", args=[loop.pk])}?from=mine#decisions"' in body
    body = manager_client.get(url, {"from": "application"}).content.decode()
    assert crumbs(body) == [("My applications", mine), ("Ada Lovelace", application), ("Panel", "")]


def test_a_recruiter_from_the_application_page_goes_back_through_candidates(
    client, loop, recruiter
):
    client.force_login(recruiter)
    page = client.get(reverse("hiring:application_detail", args=[loop.pk])).content.decode()
    url = reverse("hiring:panel", args=[loop.pk])
    assert f'href="{url}?from=application"' in page
    body = client.get(url, {"from": "application"}).content.decode()
    assert crumbs(body)[0] == ("Candidates", reverse("hiring:candidates"))


def test_an_unknown_way_back_is_refused_with_the_choices(manager_client, loop):
    response = manager_client.get(reverse("hiring:panel", args=[loop.pk]), {"from": "admin"})
    assert response.status_code == 400
    assert "use one of pipeline, mine, application" in response.content.decode()


def test_a_bad_way_back_on_a_decision_stores_nothing(manager_client, loop):
    url = reverse("hiring:decide", args=[loop.pk]) + "?from=elsewhere"
    data = {"outcome": "no_hire", "rationale": "Red flag.", "seen_decision": "0"}
    assert manager_client.post(url, data).status_code == 400
    assert not loop.decisions.exists()


def test_the_decision_form_folds_into_change_decision_once_decided(manager_client, loop):
    url = reverse("hiring:panel", args=[loop.pk])
    body = manager_client.get(url).content.decode()
    assert "Change decision" not in body and '<h3 class="h6">Record a decision</h3>' in body
    decide = reverse("hiring:decide", args=[loop.pk]) + "?from=mine"
    data = {"outcome": "no_hire", "rationale": "The red flag.", "seen_decision": "0"}
    response = manager_client.post(decide, data)
    assert response.status_code == 302
    assert response["Location"] == f"{url}?from=mine#decisions"
    body = manager_client.get(url, {"from": "mine"}).content.decode()
    fold = re.search(
        r'<details class="change-decision" data-testid="change-decision"([^>]*)>', body
    )
    assert fold and "open" not in fold.group(1)
    assert "<summary" in body and "Change decision</summary>" in body
    assert body.index("change-decision") < body.index('data-testid="decision-form"')
    # A post that needs another look opens it.
    latest = loop.decisions.get().pk
    bad = {"outcome": "hire", "rationale": "", "seen_decision": str(latest)}
    body = manager_client.post(decide, bad).content.decode()
    assert re.search(r'data-testid="change-decision" open>', body)


def test_panel_as_json_is_a_small_secondary_link(manager_client, loop):
    body = manager_client.get(reverse("hiring:panel", args=[loop.pk])).content.decode()
    link = re.search(r'<a class="([^"]+)" href="([^"]+)" data-testid="panel-json">', body)
    assert link.group(1) == "small link-secondary"
    assert link.group(2) == reverse("hiring:panel_json", args=[loop.pk])
