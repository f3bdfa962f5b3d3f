"""A hiring manager reads the panel and records a decision against its recommendation."""

import re

import pytest
from playwright.sync_api import expect

from hiring.models import Application
from hiring_site.management.commands.demo import DEMO_USERS, ensure_demo_users
from roles.models import Signal
from tests import factories
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_login(page, username):
    password = next(user[1] for user in DEMO_USERS if user[0] == username)
    login(page, username, password)


def build_panel(hiring_manager):
    """Computed recommendation: hire (weighted 3.70), with a weak signal and a disagreement."""
    revision, (design, comms, ownership) = factories.revision_with_dimensions(
        [40, 30, 30],
        names=["System design", "Communication", "Ownership"],
        role__title="Lead AI Engineer",
        role__slug="lead-ai-engineer",
    )
    weak = factories.SignalFactory(
        revision=revision, kind=Signal.Kind.WEAK, text="Vague about evaluation"
    )
    strong = factories.SignalFactory(
        revision=revision, kind=Signal.Kind.STRONG, text="Designs for failure"
    )
    stages = [
        factories.InterviewStageFactory(
            revision=revision, order=0, name="System design case", focus_dimensions=[design, comms]
        ),
        factories.InterviewStageFactory(
            revision=revision, order=1, name="Behavioural", focus_dimensions=[comms, ownership]
        ),
        factories.InterviewStageFactory(
            revision=revision, order=2, name="Pair programming", focus_dimensions=[design]
        ),
    ]
    application = factories.ApplicationFactory(
        revision=revision, hiring_manager=hiring_manager, candidate__name="Grace Hopper"
    )
    ivy = factories.InterviewerFactory(username="ivy.ito", first_name="Ivy", last_name="Ito")
    ian = factories.InterviewerFactory(username="ian.ng", first_name="Ian", last_name="Ng")
    factories.scorecard_with_ratings(
        factories.InterviewFactory(application=application, stage=stages[0], interviewer=ivy),
        {design: 5, comms: 2},
        recommendation="strong_yes",
        summary="Best design session this quarter.",
        evidence="Sharded the index by tenant and explained the failure modes.",
        signals=[strong],
    )
    factories.scorecard_with_ratings(
        factories.InterviewFactory(application=application, stage=stages[1], interviewer=ian),
        {comms: 4, ownership: 3},
        recommendation="yes",
        summary="Solid; owns outcomes.",
        evidence="Told a clear story about an incident they owned end to end.",
        signals=[(weak, "Could not say how they would measure quality")],
    )
    return application


def test_hiring_manager_decides_against_the_recommendation(page):
    users = ensure_demo_users()
    application = build_panel(users["manager"])
    demo_login(page, "manager")
    page.goto(f"/hiring/applications/{application.pk}/panel/")

    expect(page.get_by_test_id("recommendation")).to_have_text("Hire")
    # (40*5 + 30*3 + 30*3) / 100 = 3.80
    expect(page.get_by_test_id("weighted-score")).to_have_text("3.80")
    explanation = page.get_by_test_id("explanation")
    expect(explanation).to_contain_text("System design: weight 40, ratings 5, mean 5.00")
    expect(explanation).to_contain_text(
        "Weighted score 3.80 with coverage 1.00 falls in the Hire band"
    )
    expect(page.get_by_test_id("disagreements")).to_contain_text(
        "Communication: ratings span 2 to 4"
    )
    expect(page.get_by_test_id("coverage-gaps")).to_contain_text("Pair programming")

    # Evidence opens from the rating cell, without JavaScript.
    evidence = page.get_by_text("Sharded the index by tenant").first
    expect(evidence).to_be_hidden()
    page.get_by_test_id("matrix").locator("summary").first.click()
    expect(evidence).to_be_visible()
    screenshot(page, "panel-hire")

    form = page.get_by_test_id("decision-form")
    form.get_by_label("No hire", exact=True).check()
    form.get_by_role("textbox", name="Rationale").fill(
        "Communication is below what the team needs."
    )
    form.get_by_role("button", name="Record decision").click()
    expect(form).to_contain_text("Deciding no hire goes against the computed recommendation, hire.")
    assert page.url.endswith("/decide/#decisions")  # the error is scrolled into view
    expect(form.get_by_role("textbox", name="Rationale")).to_have_value(
        "Communication is below what the team needs."
    )
    assert not application.decisions.exists()
    screenshot(page, "panel-decision-needs-acknowledgement")

    form.get_by_label(re.compile("I am deciding against the computed recommendation")).check()
    form.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Decision recorded: No hire. The application is now rejected."
    )
    history = page.get_by_test_id("decision-history")
    expect(history).to_contain_text("No hire")
    expect(history).to_contain_text("Communication is below what the team needs.")
    expect(history).to_contain_text("Hank Manager")
    expect(page.get_by_test_id("application-status")).to_have_text("Rejected")
    screenshot(page, "panel-decision-recorded")
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED


def test_recruiter_sees_pipeline_and_calibration(page):
    users = ensure_demo_users()
    application = build_panel(users["manager"])
    factories.ApplicationFactory(revision=application.revision, candidate__name="Alan Turing")
    demo_login(page, "recruiter")
    page.goto("/hiring/roles/lead-ai-engineer/pipeline/")
    table = page.get_by_test_id("pipeline")
    expect(table).to_contain_text("Grace Hopper")
    page.get_by_role("link", name="Weighted score").click()
    expect(table.locator("tbody tr").first).to_contain_text("Grace Hopper")
    expect(table.locator("tbody tr").first).to_contain_text("3.80")
    screenshot(page, "pipeline")
    page.get_by_role("link", name="Grace Hopper").click()
    expect(page.get_by_test_id("recommendation")).to_have_text("Hire")
    expect(page.get_by_test_id("decision-form")).to_have_count(0)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Calibration"
    ).click()
    expect(page.get_by_test_id("calibration-interviewers")).to_contain_text("Ivy Ito")
    screenshot(page, "calibration")


def test_recruiter_removes_an_interviewer_from_the_loop(page):
    """The Remove buttons sit in the cached loop table and post, by their formaction,
    the one form with the CSRF token below it."""
    users = ensure_demo_users()
    application = build_panel(users["manager"])
    stage = application.revision.stages.get(name="Pair programming")
    nora = factories.InterviewerFactory(first_name="Nora", last_name="New")
    kept = factories.InterviewFactory(application=application, stage=stage)
    removed = factories.InterviewFactory(application=application, stage=stage, interviewer=nora)
    demo_login(page, "recruiter")
    page.goto(f"/hiring/applications/{application.pk}/")
    loop = page.get_by_test_id("loop")
    expect(loop).to_contain_text("Nora New")
    loop.get_by_role("button", name="Remove Nora New from Pair programming").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Nora New no longer interviews for Pair programming."
    )
    expect(page.get_by_test_id("loop")).not_to_contain_text("Nora New")
    assert not application.interviews.filter(pk=removed.pk).exists()
    assert application.interviews.filter(pk=kept.pk).exists()
    # Cards already started keep their interview: no Remove button for them.
    expect(
        page.get_by_test_id("loop").get_by_role("button", name=re.compile("Remove Ivy"))
    ).to_have_count(0)
