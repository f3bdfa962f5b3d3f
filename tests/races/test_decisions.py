"""Two decisions recorded at once on one application: none replaces another unseen.

Each decision carries the newest one its page showed (`seen`); one recorded since is
refused with the one that got in first, and the status always follows the newest."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from hiring.models import Application, Decision, StaleDecision
from tests import factories
from tests.races.concurrency import CriticalSection, needs_row_locks, one_winner, run_concurrently

concurrently = pytest.mark.django_db(transaction=True)

REFUSED = "Not recorded: Hana Manager recorded a decision ({outcome}) at"
SEEN = re.compile(r'name="seen_decision" value="(\d+)"')


@pytest.fixture
def application():
    """Two submitted cards, computed recommendation hire: hire and hold need no
    acknowledgement."""
    manager = factories.HiringManagerFactory(first_name="Hana", last_name="Manager")
    revision, (dimension,) = factories.revision_with_dimensions([100])
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[dimension])
    application = factories.ApplicationFactory(revision=revision, hiring_manager=manager)
    for score in (3, 4):
        factories.scorecard_with_ratings(
            factories.InterviewFactory(application=application, stage=stage), {dimension: score}
        )
    return application


def deciding(application, outcome, rationale, **kwargs):
    """A writer: the application as a request would load it, then the decision."""
    return lambda: Application.objects.get(pk=application.pk).record_decision(
        outcome, rationale, by=application.hiring_manager, **kwargs
    )


def status_of(application) -> str:
    application.refresh_from_db()
    return application.status


def open_panel(application) -> tuple[Client, str]:
    """A tab on the panel page, and the newest decision its form says it shows."""
    client = Client()
    client.force_login(application.hiring_manager)
    page = client.get(reverse("hiring:panel", args=[application.pk])).content.decode()
    return client, SEEN.search(page).group(1)


def post_decision(client, application, outcome, rationale, seen):
    return client.post(
        reverse("hiring:decide", args=[application.pk]),
        {"outcome": outcome, "rationale": rationale, "seen_decision": seen},
    )


# --- concurrent --------------------------------------------------------------------------


@needs_row_locks
@concurrently
def test_two_decisions_on_the_same_view_one_is_recorded_the_other_refused(application):
    with CriticalSection(Decision, "save") as section:
        outcomes = run_concurrently(
            deciding(application, "hire", "Strong panel.", seen=None),
            deciding(application, "hold", "Wait for references.", seen=None),
            section=section,
        )

    winner, loser = one_winner(outcomes)
    assert section.other_waited and not section.both_inside
    decision, created = winner.value
    assert created
    assert isinstance(loser.error, StaleDecision)
    assert loser.error.latest == decision  # the refusal names the one that got in
    assert list(application.decisions.all()) == [decision]
    assert status_of(application) == Decision.STATUS_AFTER[decision.outcome]


@needs_row_locks
@concurrently
def test_unchecked_decisions_queue_and_the_status_follows_the_newest(application):
    """Without `seen` (a script, the shell) both are kept, one after the other."""
    with CriticalSection(Decision, "save") as section:
        outcomes = run_concurrently(
            deciding(application, "hire", "Strong panel."),
            deciding(application, "no_hire", "Budget withdrawn."),
            section=section,
            in_order=True,
        )

    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    newest = application.decisions.latest()
    assert list(application.decisions.values_list("outcome", flat=True)) == ["no_hire", "hire"]
    assert newest.outcome == "no_hire"
    assert status_of(application) == Application.Status.REJECTED


@needs_row_locks
@concurrently
def test_a_double_click_during_the_first_post_records_the_decision_once(application):
    with CriticalSection(Decision, "save") as section:
        outcomes = run_concurrently(
            deciding(application, "hire", "Strong panel.", seen=None),
            deciding(application, "hire", "Strong panel.", seen=None),
            section=section,
        )

    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    (first, created_first), (second, created_second) = (o.value for o in outcomes)
    assert first == second and sorted([created_first, created_second]) == [False, True]
    assert application.decisions.count() == 1
    assert status_of(application) == Application.Status.HIRED


@needs_row_locks
@concurrently
def test_two_tabs_deciding_at_once_through_the_page_the_loser_sees_the_winner(application):
    (tab_a, seen_a), (tab_b, seen_b) = open_panel(application), open_panel(application)
    assert seen_a == seen_b == "0"
    posts = {
        "hire": (tab_a, "Every dimension above the bar."),
        "hold": (tab_b, "Waiting for the reference check."),
    }

    with CriticalSection(Decision, "save") as section:
        outcomes = run_concurrently(
            *(
                (lambda o=outcome, c=client, r=rationale: post_decision(c, application, o, r, "0"))
                for outcome, (client, rationale) in posts.items()
            ),
            section=section,
        )

    assert all(o.ok for o in outcomes), outcomes
    assert section.other_waited and not section.both_inside
    responses = dict(zip(posts, (o.value for o in outcomes), strict=True))
    assert sorted(r.status_code for r in responses.values()) == [302, 409]
    won = next(o for o, r in responses.items() if r.status_code == 302)
    lost = next(o for o, r in responses.items() if r.status_code == 409)
    decision = application.decisions.get()
    assert decision.outcome == won
    assert status_of(application) == Decision.STATUS_AFTER[won]

    body = responses[lost].content.decode()
    assert REFUSED.format(outcome=won) in body
    assert "after this page was loaded" in body and "post it again" in body
    history = body.split('data-testid="decision-history"')[1].split("</table>")[0]
    assert posts[won][1] in history  # the decision that got in is shown
    assert posts[lost][1] in body  # what the loser typed is kept in the form
    # The form is now based on the winner: posting it again is a deliberate decision.
    assert SEEN.search(body).group(1) == str(decision.pk)
    client, rationale = posts[lost]
    again = post_decision(client, application, lost, rationale, str(decision.pk))
    assert again.status_code == 302
    assert application.decisions.latest().outcome == lost
    assert status_of(application) == Decision.STATUS_AFTER[lost]


# --- the same, one after the other (every database) ------------------------------------


@pytest.mark.django_db
def test_a_decision_based_on_an_older_view_is_refused_and_writes_nothing(application):
    manager = application.hiring_manager
    first, _ = application.record_decision("hire", "Strong panel.", by=manager, seen=None)
    with pytest.raises(StaleDecision) as refused:
        application.record_decision("hold", "Wait.", by=manager, seen=None)
    assert refused.value.latest == first
    assert application.status == Application.Status.HIRED  # the instance is kept current
    later, created = application.record_decision("hold", "Wait.", by=manager, seen=first.pk)
    assert created and application.decisions.latest() == later
    with pytest.raises(StaleDecision):
        application.record_decision("no_hire", "No.", by=manager, seen=first.pk)
    assert list(application.decisions.values_list("outcome", flat=True)) == ["hold", "hire"]
    assert status_of(application) == Application.Status.ACTIVE


@pytest.mark.django_db
def test_a_double_submit_from_an_older_view_is_still_recognised(application):
    manager = application.hiring_manager
    first, _ = application.record_decision("hire", "Strong panel.", by=manager, seen=None)
    again, created = application.record_decision("hire", "Strong panel.", by=manager, seen=None)
    assert again == first and not created


@pytest.mark.django_db
def test_a_decision_posted_from_a_stale_panel_page_is_refused_with_the_newest_shown(
    application,
):
    (tab_a, seen), (tab_b, _) = open_panel(application), open_panel(application)
    assert post_decision(tab_a, application, "hire", "Strong panel.", seen).status_code == 302
    response = post_decision(tab_b, application, "hold", "Wait for references.", seen)
    assert response.status_code == 409
    body = response.content.decode()
    assert REFUSED.format(outcome="hire") in body
    assert 'data-testid="decision-conflict"' in body
    assert "Wait for references." in body
    assert application.decisions.get().outcome == "hire"
    assert status_of(application) == Application.Status.HIRED
    # The page the manager now sees carries the newest decision.
    _, seen_now = open_panel(application)
    assert seen_now == str(application.decisions.get().pk)
