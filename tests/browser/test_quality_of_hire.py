"""A hiring manager records a performance review of a hire, then reads the role's
validity page and the interviewers' agreement on calibration."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Application, PerformanceReview
from hiring_site.management.commands.demo import ensure_demo_users
from tests import factories
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_panel_decision import demo_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def build_hires(manager, count=11):
    """`count` hires of one role, each scored by two interviewers, all but the first
    with a review a month old; ratings that agree, and reviews that follow the scores."""
    revision, (design, comms) = factories.revision_with_dimensions(
        [60, 40],
        names=["System design", "Communication"],
        role__title="Data Engineer",
        role__slug="data-engineer",
    )
    stage = factories.InterviewStageFactory(revision=revision, focus_dimensions=[design, comms])
    ivy = factories.InterviewerFactory(username="ivy.ito", first_name="Ivy", last_name="Ito")
    ian = factories.InterviewerFactory(username="ian.ng", first_name="Ian", last_name="Ng")
    hires = []
    for n in range(count):
        level = n % 5 + 1
        application = factories.ApplicationFactory(
            revision=revision,
            hiring_manager=manager,
            status=Application.Status.HIRED,
            candidate__name=f"Hire {n:02d}",
        )
        factories.DecisionFactory(application=application, outcome="hire", decided_by=manager)
        for who, bump in ((ivy, 0), (ian, 1 if level < 5 else 0)):
            factories.scorecard_with_ratings(
                factories.InterviewFactory(application=application, stage=stage, interviewer=who),
                {design: level, comms: min(5, level + bump)},
            )
        if n:
            PerformanceReview.objects.create(
                application=application,
                rating=max(1, min(5, level + (n % 2))),
                reviewed_on=timezone.localdate() - timedelta(days=1),
                recorded_by=manager,
            )
        hires.append(application)
    return hires


def test_manager_records_a_review_and_reads_validity_and_agreement(page):
    users = ensure_demo_users()
    first = build_hires(users["manager"])[0]
    demo_login(page, "manager")
    page.goto(f"/hiring/applications/{first.pk}/panel/")
    page.get_by_test_id("reviews-link").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Performance reviews")
    expect(page.get_by_test_id("no-reviews")).to_be_visible()
    assert_accessible(page, "performance reviews")
    page.get_by_label("4: above expectations").check()
    page.get_by_label("Date of the review").fill(timezone.localdate().isoformat())
    page.get_by_label("Note (optional)").fill("Owns the ingestion pipeline after 90 days.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("alert").first).to_contain_text("recorded: 4/5")
    expect(page.get_by_test_id("reviews")).to_contain_text("Owns the ingestion pipeline")
    screenshot(page, "performance-reviews")
    assert PerformanceReview.objects.get(application=first).rating == 4

    # The same day again: refused beside the field, nothing stored twice.
    page.get_by_label("3: meets expectations").check()
    page.get_by_label("Date of the review").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("#div_id_reviewed_on")).to_contain_text("already has a review on that day")
    assert PerformanceReview.objects.filter(application=first).count() == 1

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Validity"
    ).click()
    page.get_by_label("Role").select_option(label="Data Engineer")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("validity-people")).to_have_text("11 hired people with a review.")
    measures = page.get_by_test_id("validity-measures")
    expect(measures).to_contain_text("Weighted score")
    expect(measures).to_contain_text("Higher scores went with better reviews.")
    expect(page.get_by_test_id("scatter")).to_have_count(3)
    expect(page.get_by_text("restriction of range").first).to_be_visible()
    assert_accessible(page, "validity")
    screenshot(page, "validity")

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Calibration"
    ).click()
    page.get_by_label("Role").select_option(label="Data Engineer")
    page.get_by_role("button", name="Show agreement").click()
    expect(page.get_by_test_id("agreement-dimensions")).to_contain_text("System design")
    expect(page.get_by_test_id("agreement-dimensions")).to_contain_text("Agreement is acceptable.")
    expect(page.get_by_test_id("agreement-leniency")).to_contain_text("Ian Ng")
    assert_accessible(page, "calibration agreement")
    screenshot(page, "calibration-agreement")
