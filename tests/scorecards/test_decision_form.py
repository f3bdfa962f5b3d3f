"""DecisionForm.for_panel and DecisionForm.record: the one way the panel's page and the API
check a posted decision against the panel as it is now and record it."""

import pytest
from django.core.exceptions import ValidationError

from hiring.models import Application, Decision, StaleDecision
from scorecards.decision_form import DecisionForm
from scorecards.panel import panel_view
from tests.hiring.test_decisions import panel_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(hiring_manager):
    """Computed recommendation: hire (mean 3.5), no red flag."""
    return panel_application(hiring_manager, [3, 4])


def form_for(application, outcome, seen=0, **extra):
    data = {"outcome": outcome, "rationale": "Clear evidence.", "seen_decision": seen, **extra}
    return DecisionForm.for_panel(panel_view(application), data)


def test_a_decision_with_the_recommendation_is_recorded_once(application, hiring_manager):
    decision, created = form_for(application, "hire").record(application, by=hiring_manager)
    assert created and decision.decided_by == hiring_manager
    assert application.status == Application.Status.HIRED
    # Posted again at once (a double click): the same decision, nothing new stored.
    again, created = form_for(application, "hire", seen=decision.pk).record(
        application, by=hiring_manager
    )
    assert (again, created) == (decision, False)
    assert Decision.objects.filter(application=application).count() == 1


def test_the_form_is_checked_against_the_panel_before_anything_is_recorded(
    application, hiring_manager
):
    form = form_for(application, "no_hire")
    assert not form.is_valid()
    assert "goes against the computed recommendation, hire" in form.errors["acknowledge"][0]
    with pytest.raises(ValueError):
        form.record(application, by=hiring_manager)
    assert not Decision.objects.filter(application=application).exists()
    acknowledged = form_for(application, "no_hire", acknowledge="on")
    assert acknowledged.record(application, by=hiring_manager)[1] is True


def test_a_decision_that_did_not_see_the_newest_one_is_refused(application, hiring_manager):
    first, _ = form_for(application, "hold").record(application, by=hiring_manager)
    with pytest.raises(StaleDecision) as refused:
        form_for(application, "hire", seen=0).record(application, by=hiring_manager)
    assert refused.value.latest == first
    assert list(Decision.objects.filter(application=application)) == [first]


def test_a_withdrawn_application_takes_no_decision(application, hiring_manager, recruiter):
    application.withdraw(recruiter)
    with pytest.raises(ValidationError, match="withdrawn"):
        form_for(application, "hire").record(application, by=hiring_manager)
    assert not Decision.objects.filter(application=application).exists()
