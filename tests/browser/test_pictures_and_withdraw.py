"""On the demo data: a hiring manager reads calibration's dot plot, a recruiter the
pipeline's histogram, then withdraws an application from its page; its overdue card
leaves the interviewer's overdue list. Every page axe-clean, no CSP or JS errors."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from hiring.models import Application, Interview
from hiring_site.demo_data import COHORT
from hiring_site.management.commands.demo import DEMO_USERS
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_login(page, username):
    password = next(user[1] for user in DEMO_USERS if user[0] == username)
    login(page, username, password)


def logout(page):
    page.get_by_role("button", name="Log out").click()


@pytest.fixture
def demo():
    call_command("demo", "--no-serve", stdout=io.StringIO())


def test_pictures_and_a_withdrawal_on_the_demo_data(page, demo):
    # The hiring manager's calibration: a dot per interviewer, against their panels.
    demo_login(page, "manager")
    page.goto("/scorecards/calibration/")
    plot = page.get_by_test_id("calibration-plot")
    expect(plot.locator("svg[role=img]")).to_be_visible()
    expect(plot.get_by_test_id("dot-mean")).to_have_count(2)
    expect(plot.get_by_test_id("dot-panels")).to_have_count(2)
    page.get_by_text("The plot as a table").click()
    expect(page.get_by_test_id("calibration-plot-table").locator("tbody tr")).to_have_count(2)
    assert_accessible(page, "calibration with its dot plot")
    screenshot(page, "calibration-dot-plot")
    logout(page)

    # The recruiter's pipeline of the role with a hire and a disagreement: a histogram.
    demo_login(page, "recruiter")
    page.goto("/hiring/roles/senior-ai-engineer/pipeline/")
    histogram = page.get_by_test_id("histogram")
    expect(histogram.locator("svg[role=img]")).to_be_visible()
    # Amara Nwosu's hire and Rafael Costa's split panel, and the year of hires (COHORT).
    scored = 2 + len(COHORT)
    expect(histogram.locator("summary")).to_contain_text(f"{scored} scored")
    assert 3 <= histogram.get_by_test_id("histogram-bar").count() <= scored
    assert_accessible(page, "the pipeline with its histogram")
    screenshot(page, "pipeline-histogram")

    # Marcus Feldman's second interview is overdue; the candidate withdraws.
    application = Application.objects.get(candidate__name="Marcus Feldman")
    assert Interview.objects.overdue().filter(application=application).exists()
    page.goto(f"/hiring/applications/{application.pk}/")
    page.get_by_test_id("withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withdraw Marcus Feldman")
    expect(page.get_by_test_id("open-interviews")).to_be_visible()
    page.get_by_label("Reason (optional)").fill("Accepted an offer elsewhere.")
    assert_accessible(page, "the withdrawal's confirmation")
    screenshot(page, "withdraw-confirm")
    page.get_by_role("button", name="Withdraw the application").click()
    expect(page.get_by_text("Marcus Feldman has withdrawn.")).to_be_visible()
    expect(page.get_by_text("Status: Withdrawn")).to_be_visible()
    expect(page.get_by_test_id("withdraw")).to_have_count(0)
    assert_accessible(page, "the withdrawn application")
    screenshot(page, "withdrawn-application")
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert application.history.latest().history_change_reason == "Accepted an offer elsewhere."
    logout(page)

    # Its open card leaves the interviewer's To do: no card is expected any more.
    demo_login(page, "interviewer2")
    page.goto("/hiring/interviews/")
    expect(page.get_by_test_id("interviews-todo").filter(has_text="Marcus Feldman")).to_have_count(
        0
    )
    assert_accessible(page, "my interviews after the withdrawal")
    screenshot(page, "my-interviews-after-withdrawal")
