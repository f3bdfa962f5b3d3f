"""The recruiter's pages in Chromium, as a recruiter walks them: the role library (open
applications, a link to the pipeline), the pipeline (a decision against the
recommendation, marked in words), the candidates list filtered by role and status, and
the application page's loop form (a bad row refused beside it, then the loop assigned with
the person picker; and the same without JavaScript). Each page passes axe-core and its
Content-Security-Policy, and leaves a screenshot."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Interview
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot
from tests.scorecards.builders import build_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local_time(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def visit(page, label: str, name: str) -> None:
    assert_accessible(page, label)
    screenshot(page, f"recruiter-{name}")


def recruiter_world():
    """A role whose first application the panel recommends hiring (every card a 5) and
    its hiring manager decided not to; a third stage; a second, still active application
    with one stage of three assigned; a candidate with no application."""
    loop = build_loop(hiring_manager=factories.HiringManagerFactory(username="hana"))
    d = loop.dimensions
    factories.scorecard_with_ratings(loop.interview, {d[0]: 5, d[1]: 5})
    factories.scorecard_with_ratings(loop.other_interview, {d[2]: 5})
    loop.application.record_decision(
        "no_hire", "Budget went elsewhere.", by=loop.application.hiring_manager
    )
    loop.bar_raiser = factories.InterviewStageFactory(
        revision=loop.revision, order=2, name="Bar raiser"
    )
    loop.open_application = factories.ApplicationFactory(
        revision=loop.revision, candidate__name="Ada Active"
    )
    factories.InterviewFactory(
        application=loop.open_application,
        stage=loop.stage,
        interviewer=factories.InterviewerFactory(first_name="Ola", last_name="Olsen"),
    )
    factories.CandidateFactory(name="Nia Nothing-yet")
    factories.RecruiterFactory(username="rita", first_name="Rita", last_name="Reyes")
    return loop


def test_recruiter_walks_library_pipeline_candidates_and_assigns_a_loop(page):
    loop = recruiter_world()
    role = loop.revision.role
    login(page, "rita", factories.PASSWORD)

    # Role library: open applications and the pipeline, no weight-total column.
    page.goto("/roles/")
    row = page.get_by_role("row", name=re.compile(role.title))
    expect(row.get_by_test_id("open-applications")).to_contain_text("1")
    expect(page.get_by_role("columnheader", name="Weight total")).to_have_count(0)
    visit(page, "role library", "role-library")
    row.get_by_role("link", name=f"Pipeline of {role.title}").click()

    # Pipeline: the decision, marked as going against the recommendation.
    page.get_by_role("heading", name=f"{role.title}: pipeline").wait_for()
    decided = page.get_by_role("row", name=re.compile("Grace Hopper"))
    expect(decided.get_by_test_id("decision")).to_contain_text("No hire")
    expect(decided.get_by_test_id("against-recommendation")).to_have_text(
        re.compile("against the recommendation")
    )
    open_row = page.get_by_role("row", name=re.compile("Ada Active"))
    expect(open_row.get_by_test_id("against-recommendation")).to_have_count(0)
    visit(page, "pipeline", "pipeline")

    # Candidates, filtered by role and status.
    page.get_by_role("navigation").first.get_by_role("link", name="Candidates").click()
    page.get_by_role("heading", name="Candidates").wait_for()
    expect(page.get_by_text("No application yet")).to_be_visible()
    visit(page, "candidates", "candidates")
    page.get_by_label("Role").select_option(label=role.title)
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Search").click()
    table = page.get_by_test_id("candidates")
    expect(table.get_by_role("link", name="Ada Active")).to_be_visible()
    expect(table.get_by_role("link", name="Grace Hopper")).to_have_count(0)
    expect(page.get_by_text("No application yet")).to_have_count(0)
    expect(table.get_by_test_id("cards")).to_contain_text("0 of 1")
    visit(page, "candidates filtered", "candidates-filtered")

    # The active application's loop: System design is assigned, the two others are not.
    table.get_by_role("link", name=role.title).click()
    form = page.get_by_test_id("loop-form")
    expect(form.get_by_test_id("assigned")).to_have_count(1)
    expect(form.get_by_role("group", name=re.compile(loop.stage.name))).to_contain_text("Ola Olsen")
    bar_raiser = form.get_by_role("group", name=re.compile("Bar raiser"))
    factories.InterviewerFactory(username="ivyq", first_name="Ivy", last_name="Quenneville")
    # A time without an interviewer: refused beside the row, nothing saved.
    bar_raiser.get_by_label(re.compile(r"Time \(")).fill(local_time(timedelta(days=2)))
    form.get_by_role("button", name="Assign the loop").click()
    bar_raiser = page.get_by_test_id("loop-form").get_by_role(
        "group", name=re.compile("Bar raiser")
    )
    expect(bar_raiser).to_contain_text("This field is required.")
    assert not Interview.objects.filter(stage=loop.bar_raiser).exists()
    visit(page, "loop form with an error", "loop-form-error")
    # Now with the interviewer, typed and picked from the matches htmx shows.
    bar_raiser.get_by_label("Interviewer").press_sequentially("quenne")
    bar_raiser.get_by_role("radio", name=re.compile("Ivy Quenneville")).check()
    visit(page, "loop form with matches", "loop-form")
    page.get_by_role("button", name="Assign the loop").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Assigned: Ivy Quenneville for Bar raiser."
    )
    assert Interview.objects.get(stage=loop.bar_raiser).interviewer.username == "ivyq"
    # The stage left empty was skipped; Bar raiser now shows as assigned.
    assert not Interview.objects.filter(
        application=loop.open_application, stage=loop.other_stage
    ).exists()
    expect(
        page.get_by_test_id("loop-form").get_by_role("group", name=re.compile("Bar raiser"))
    ).to_contain_text("Ivy Quenneville")
    visit(page, "application page after assigning the loop", "loop-assigned")


def test_the_loop_form_works_without_javascript(browser, live_server):
    loop = build_loop()
    stage = factories.InterviewStageFactory(revision=loop.revision, order=2, name="Bar raiser")
    ivy = factories.InterviewerFactory(first_name="Sam", last_name="Quinn")
    factories.InterviewerFactory(first_name="Sam", last_name="Quist")
    factories.RecruiterFactory(username="rita")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        login(page, "rita", factories.PASSWORD)
        page.goto(loop.application.get_absolute_url())
        row = page.get_by_role("group", name=re.compile("Bar raiser"))
        row.get_by_label("Interviewer").fill("sam")
        row.get_by_label(re.compile(r"Time \(")).fill(local_time(timedelta(days=3)))
        page.get_by_role("button", name="Assign the loop").click()
        row = page.get_by_role("group", name=re.compile("Bar raiser"))
        expect(row).to_contain_text("Several people match “sam”: choose one of them.")
        row.get_by_role("radio", name=re.compile("Sam Quinn")).check()
        screenshot(page, "recruiter-loop-form-no-javascript")
        page.get_by_role("button", name="Assign the loop").click()
        expect(page.get_by_role("alert").first).to_contain_text("Assigned: Sam Quinn")
    finally:
        context.close()
    assert Interview.objects.get(stage=stage).interviewer == ivy
