"""Recording a decision: the form's rules, the history, the status, and who may decide."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from hiring.models import Application, Decision
from roles.models import RoleRevision, Signal
from scorecards.models import Scorecard
from tests import factories

pytestmark = pytest.mark.django_db


def panel_application(hiring_manager, scores, *, red_flag=False, **revision_fields):
    """Two submitted cards rating one dimension (weight 100) with `scores`."""
    revision, (dimension,) = factories.revision_with_dimensions([100], **revision_fields)
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[dimension])
    application = factories.ApplicationFactory(revision=revision, hiring_manager=hiring_manager)
    for n, score in enumerate(scores):
        signals = []
        if red_flag and n == 0:
            signals = [
                factories.SignalFactory(
                    revision=revision, kind=Signal.Kind.RED_FLAG, text="Blames others"
                )
            ]
        factories.scorecard_with_ratings(
            factories.InterviewFactory(application=application, stage=stage),
            {dimension: score},
            signals=signals,
        )
    return application


@pytest.fixture
def hire_panel(hiring_manager):
    """Computed recommendation: hire (mean 3.5), no red flag."""
    return panel_application(hiring_manager, [3, 4])


def decide(client, application, outcome, rationale="Reasons, written down.", **extra):
    """Post a decision as the panel page would, having seen the newest decision."""
    latest = application.decisions.order_by("-decided_at", "-pk").first()
    return client.post(
        reverse("hiring:decide", args=[application.pk]),
        {
            "outcome": outcome,
            "rationale": rationale,
            "seen_decision": latest.pk if latest else 0,
            **extra,
        },
    )


def test_decision_with_the_recommendation_is_recorded_and_sets_status(
    manager_client, hire_panel, hiring_manager
):
    response = decide(manager_client, hire_panel, "hire", "Strong on every dimension.")
    assert response.status_code == 302
    assert response.url == reverse("hiring:panel", args=[hire_panel.pk]) + "#decisions"
    decision = Decision.objects.get(application=hire_panel)
    assert (decision.outcome, decision.rationale, decision.decided_by) == (
        "hire",
        "Strong on every dimension.",
        hiring_manager,
    )
    hire_panel.refresh_from_db()
    assert hire_panel.status == Application.Status.HIRED
    page = manager_client.get(response.url).content.decode()
    assert "Decision recorded: Hire. The application is now hired." in page
    history = page.split('data-testid="decision-history"')[1].split("</table>")[0]
    assert "Strong on every dimension." in history and "current" in history
    assert 'data-testid="application-status">Hired<' in page


def test_deciding_against_the_recommendation_needs_the_acknowledgement(manager_client, hire_panel):
    response = decide(manager_client, hire_panel, "no_hire", "Team fit concerns.")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Deciding no hire goes against the computed recommendation, hire." in body
    assert "Tick the acknowledgement to record it anyway." in body
    assert "Team fit concerns." in body  # what was typed is kept
    assert not Decision.objects.exists()
    hire_panel.refresh_from_db()
    assert hire_panel.status == Application.Status.ACTIVE

    response = decide(manager_client, hire_panel, "no_hire", "Team fit concerns.", acknowledge="on")
    assert response.status_code == 302
    assert Decision.objects.get().outcome == "no_hire"
    hire_panel.refresh_from_db()
    assert hire_panel.status == Application.Status.REJECTED


def test_hold_never_needs_the_acknowledgement(manager_client, hire_panel):
    assert decide(manager_client, hire_panel, "hold", "Waiting for references.").status_code == 302
    hire_panel.refresh_from_db()
    assert hire_panel.status == Application.Status.ACTIVE


def test_hiring_despite_a_red_flag_needs_the_acknowledgement_even_under_warn(
    manager_client, hiring_manager
):
    application = panel_application(
        hiring_manager, [4, 4], red_flag=True, red_flag_policy=RoleRevision.RedFlagPolicy.WARN
    )
    data = manager_client.get(reverse("hiring:panel_json", args=[application.pk])).json()
    assert data["recommendation"] == "strong_hire"  # warn: the flag changes nothing
    response = decide(manager_client, application, "hire")
    assert response.status_code == 400
    assert "Deciding hire although a red flag was observed." in response.content.decode()
    assert not Decision.objects.exists()
    assert decide(manager_client, application, "hire", acknowledge="on").status_code == 302
    assert Decision.objects.get().outcome == "hire"


def test_against_a_veto_both_reasons_are_given(manager_client, hiring_manager):
    application = panel_application(hiring_manager, [4, 4], red_flag=True)
    body = decide(manager_client, application, "hire").content.decode()
    assert "Deciding hire goes against the computed recommendation, no hire." in body
    assert "Deciding hire although a red flag was observed." in body
    assert decide(manager_client, application, "no_hire").status_code == 302


def test_final_decision_without_enough_evidence_needs_the_acknowledgement(
    manager_client, hiring_manager
):
    application = panel_application(hiring_manager, [4])  # one card of two needed
    for outcome in ("hire", "no_hire"):
        body = decide(manager_client, application, outcome).content.decode()
        assert "The panel does not have enough evidence for a recommendation yet" in body
    assert not Decision.objects.exists()
    assert decide(manager_client, application, "hold").status_code == 302


def test_rationale_and_a_known_outcome_are_required(manager_client, hire_panel):
    response = decide(manager_client, hire_panel, "hire", "   ")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = decide(manager_client, hire_panel, "maybe")
    assert "Select a valid choice." in response.content.decode()
    assert not Decision.objects.exists()


def test_double_submit_records_one_decision(manager_client, hire_panel):
    first = decide(manager_client, hire_panel, "hire", "Strong panel.")
    second = decide(manager_client, hire_panel, "hire", "Strong panel.")
    assert first.status_code == second.status_code == 302
    assert Decision.objects.count() == 1
    page = manager_client.get(second.url).content.decode()
    assert "That decision was already recorded." in page


def test_history_is_kept_and_status_follows_the_newest_decision(manager_client, hire_panel):
    decide(manager_client, hire_panel, "hire", "Strong panel.")
    decide(manager_client, hire_panel, "hold", "Budget frozen, wait.")
    hire_panel.refresh_from_db()
    assert hire_panel.status == Application.Status.ACTIVE
    assert list(hire_panel.decisions.values_list("outcome", flat=True)) == ["hold", "hire"]
    page = manager_client.get(reverse("hiring:panel", args=[hire_panel.pk])).content.decode()
    history = page.split('data-testid="decision-history"')[1].split("</table>")[0]
    assert history.index("Budget frozen, wait.") < history.index("Strong panel.")


def test_record_decision_repeats_only_outside_the_duplicate_window(hire_panel):
    manager = hire_panel.hiring_manager
    first, created = hire_panel.record_decision("hire", "  Strong panel. ", by=manager)
    assert created and first.rationale == "Strong panel."
    again, created = hire_panel.record_decision("hire", "Strong panel.", by=manager)
    assert not created and again == first
    Decision.objects.filter(pk=first.pk).update(
        decided_at=first.decided_at - Application.DUPLICATE_DECISION_WINDOW - timedelta(seconds=1)
    )
    later, created = hire_panel.record_decision("hire", "Strong panel.", by=manager)
    assert created and later != first
    assert hire_panel.decisions.count() == 2


def test_record_decision_refuses_bad_input_and_withdrawn_applications(hire_panel):
    manager = hire_panel.hiring_manager
    with pytest.raises(ValueError):
        hire_panel.record_decision("maybe", "Why not.", by=manager)
    with pytest.raises(ValidationError):
        hire_panel.record_decision("hire", "  ", by=manager)
    Application.objects.filter(pk=hire_panel.pk).update(status=Application.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn"):
        hire_panel.record_decision("hire", "Strong panel.", by=manager)
    assert not Decision.objects.exists()


def test_withdrawn_application_shows_no_form_and_refuses_a_post(manager_client, hire_panel):
    Application.objects.filter(pk=hire_panel.pk).update(status=Application.Status.WITHDRAWN)
    page = manager_client.get(reverse("hiring:panel", args=[hire_panel.pk])).content.decode()
    assert 'data-testid="decision-form"' not in page
    assert "The candidate has withdrawn; no decision can be recorded." in page
    response = decide(manager_client, hire_panel, "hire", "Strong panel.")
    assert response.status_code == 400
    assert "has withdrawn from this application" in response.content.decode()
    assert not Decision.objects.exists()


# --- who may decide ----------------------------------------------------------------------


def test_recruiter_may_not_decide(client, hire_panel, recruiter):
    client.force_login(recruiter)
    response = decide(client, hire_panel, "hire")
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_another_hiring_manager_gets_404(client, hire_panel):
    client.force_login(factories.HiringManagerFactory())
    assert decide(client, hire_panel, "hire").status_code == 404
    assert not Decision.objects.exists()


def test_interviewer_and_user_without_group_get_403(client, hire_panel):
    on_the_panel = hire_panel.interviews.first().interviewer
    for user in (on_the_panel, factories.UserFactory()):
        client.force_login(user)
        assert decide(client, hire_panel, "hire").status_code == 403
    assert not Decision.objects.exists()


def test_anonymous_is_sent_to_log_in(client, hire_panel):
    response = decide(client, hire_panel, "hire")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Decision.objects.exists()


def test_decide_answers_405_to_get(manager_client, hire_panel):
    assert manager_client.get(reverse("hiring:decide", args=[hire_panel.pk])).status_code == 405


def test_decide_needs_the_csrf_token(hire_panel):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hire_panel.hiring_manager)
    assert decide(client, hire_panel, "hire").status_code == 403
    assert not Decision.objects.exists()


def test_hiring_manager_with_own_card_pending_cannot_decide(manager_client, hire_panel):
    own = factories.InterviewFactory(application=hire_panel, interviewer=hire_panel.hiring_manager)
    factories.scorecard_with_ratings(own, {}, status=Scorecard.Status.DRAFT)
    response = decide(manager_client, hire_panel, "hire")
    assert response.status_code == 403
    assert "Submit your own scorecard first" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_post_that_never_saw_the_latest_decision_cannot_replace_it(manager_client, hire_panel):
    assert decide(manager_client, hire_panel, "hire").status_code == 302
    stale = manager_client.post(
        reverse("hiring:decide", args=[hire_panel.pk]),
        {"outcome": "hold", "rationale": "From a script that never loaded the panel."},
    )
    assert stale.status_code == 409
    assert "Not recorded:" in stale.content.decode()
    assert list(hire_panel.decisions.values_list("outcome", flat=True)) == ["hire"]
    hire_panel.refresh_from_db()
    assert hire_panel.status == "hired"
