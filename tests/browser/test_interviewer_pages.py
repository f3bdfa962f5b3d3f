"""An interviewer's own pages in Chromium, as the interviewer: logging in from a browser
in New York sets their time zone; My interviews keeps To do (overdue, then today's, then
later ones; a card reopened last week among them, not lost under a past section) apart
from Done; submitting a card leads to the next one to fill; a read-only card folds long
evidence and lists the dimensions not assessed in one line; the profile page changes
the zone every time is read in. axe-core clean, no CSP or JavaScript error."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Interview
from hiring_site.models import Profile
from scorecards.models import Scorecard, ScorecardContent
from tests import factories
from tests.browser.conftest import assert_accessible, checked_page, rate, screenshot, wait_saved
from tests.browser.conftest import login as browser_login
from tests.scorecards.builders import build_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EVIDENCE = (
    "Started from the data volumes, sized the partitions, then walked through each "
    "failure in turn: a slow consumer, a poisoned message, a region going dark. "
    * 4
    + "Ended with a runbook."
)


@pytest.fixture
def interviewer_pages(browser, live_server):
    with checked_page(browser, live_server.url, timezone_id="America/New_York") as page:
        yield page


@pytest.fixture
def work():
    """Ivy's interviews: an overdue card (not started, three days ago), one reopened just
    now after an interview last week, one tomorrow, and one submitted with long evidence."""
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Interviewer")
    loop = build_loop(ivy)
    now = timezone.now()
    Interview.objects.filter(pk=loop.interview.pk).update(scheduled_at=now - timedelta(days=3))
    reopened = factories.InterviewFactory(
        interviewer=ivy,
        scheduled_at=now - timedelta(days=7),
        application__candidate__name="Rita Reopened",
        stage__name="Coding",
    )
    card = Scorecard.objects.create(interview=reopened, version=0)
    card.submit(ScorecardContent(recommendation="no"), 0, ivy)
    card.reopen(factories.RecruiterFactory(), "Please add evidence for the no.")
    factories.InterviewFactory(
        interviewer=ivy,
        scheduled_at=now + timedelta(days=1, hours=2),
        application__candidate__name="Tom Tomorrow",
    )
    d = loop.dimensions
    done = factories.InterviewFactory(
        interviewer=ivy,
        application=loop.application,
        stage=loop.other_stage,
        scheduled_at=now - timedelta(days=10),
    )
    Scorecard.objects.create(interview=done, version=0).submit(
        ScorecardContent(
            ratings={d[2].id: (4, LONG_EVIDENCE)}, recommendation="yes", summary="Solid."
        ),
        0,
        ivy,
    )
    return loop, reopened


def test_an_interviewer_works_through_to_do_in_their_own_time_zone(interviewer_pages, work):
    page = interviewer_pages
    loop, reopened = work
    ivy = loop.interview.interviewer
    browser_login(page, ivy.username, factories.PASSWORD)

    # The browser's zone became Ivy's at login.
    assert Profile.objects.get(user=ivy).time_zone == "America/New_York"
    expect(page.get_by_test_id("time-zone")).to_have_text("times in America/New_York")

    page.get_by_role("heading", name="My interviews").wait_for()
    to_do = page.get_by_test_id("interviews-todo")
    rows = to_do.locator("tbody tr")
    expect(rows).to_have_count(3)
    assert "Grace Hopper" in rows.nth(0).inner_text()  # overdue first
    expect(rows.nth(0).get_by_test_id("card-state")).to_have_text("Overdue")
    assert "Rita Reopened" in rows.nth(1).inner_text()  # reopened last week: still to do
    expect(rows.nth(1).get_by_test_id("card-state")).to_have_text("Reopened")
    assert "Tom Tomorrow" in rows.nth(2).inner_text()
    expect(page.get_by_test_id("interviews-done").locator("tbody tr")).to_have_count(1)
    shown = timezone.localtime(
        Interview.objects.get(pk=reopened.pk).scheduled_at,
        timezone=__import__("zoneinfo").ZoneInfo("America/New_York"),
    ).strftime("%H:%M")
    assert shown in rows.nth(1).inner_text()
    assert_accessible(page, "My interviews")
    screenshot(page, "interviewer-1-my-interviews")

    # Fill the overdue card and submit it.
    rows.nth(0).get_by_role("link", name=re.compile("Fill in")).click()
    d = loop.dimensions
    rate(page, d[0], 5)
    page.get_by_label("Evidence for System design").fill("Bounded queues and back-pressure.")
    rate(page, d[1], 3)
    page.locator('label[for="id_recommendation_3"]').click()  # Yes
    wait_saved(page)
    page.get_by_role("button", name="Submit scorecard").click()

    # The confirmation leads to the next card of To do: the reopened one.
    page.get_by_test_id("read-only").wait_for()
    next_card = page.get_by_test_id("next-card")
    expect(next_card).to_contain_text("Rita Reopened, Coding")
    expect(next_card.get_by_test_id("card-state")).to_have_text("Reopened")
    # Not assessed dimensions take one line.
    expect(page.get_by_test_id("not-assessed")).to_have_text(
        f"Not assessed: {d[2].name}, {d[3].name}"
    )
    assert_accessible(page, "the submitted card with the next one to fill")
    screenshot(page, "interviewer-2-submitted-next-card")
    next_card.get_by_role("link", name=re.compile("Continue the next scorecard")).click()
    page.get_by_text("Please add evidence for the no.").first.wait_for()
    assert page.url.endswith(f"/scorecards/interviews/{reopened.pk}/")

    # Done: the card submitted earlier folds its long evidence under "Show more".
    page.goto("/hiring/interviews/")
    done = page.get_by_test_id("interviews-done")
    expect(done.locator("tbody tr")).to_have_count(2)
    done.locator("tbody tr").filter(has_text="Values interview").get_by_role(
        "link", name=re.compile("View")
    ).click()
    folded = page.get_by_test_id("long-text")
    expect(folded).to_have_count(1)
    assert "Ended with a runbook." not in folded.locator("summary").inner_text()
    expect(folded.get_by_text("Ended with a runbook.")).to_be_hidden()
    assert_accessible(page, "a card with long evidence, folded")
    screenshot(page, "interviewer-3-long-evidence-folded")
    folded.get_by_text("Show more").click()
    expect(folded.get_by_text("Ended with a runbook.")).to_be_visible()
    expect(folded.get_by_text("Show less")).to_be_visible()
    screenshot(page, "interviewer-4-long-evidence-open")

    # The profile: the zone chosen at login, changed to Paris; times follow.
    page.get_by_test_id("time-zone").click()
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("America/New_York")
    assert_accessible(page, "the profile page")
    screenshot(page, "interviewer-5-profile")
    zone.select_option("Europe/Paris")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Times are now shown in Europe/Paris.").wait_for()
    assert Profile.objects.get(user=ivy).time_zone == "Europe/Paris"
    page.goto("/hiring/interviews/")
    paris = timezone.localtime(
        Interview.objects.get(pk=reopened.pk).scheduled_at,
        timezone=__import__("zoneinfo").ZoneInfo("Europe/Paris"),
    ).strftime("%H:%M")
    assert paris in page.get_by_test_id("interviews-todo").inner_text()
    expect(page.get_by_test_id("time-zone")).to_have_text("times in Europe/Paris")
    screenshot(page, "interviewer-6-my-interviews-in-paris")


def test_the_profile_page_offers_the_browsers_zone_to_a_person_without_one(browser, live_server):
    ivy = factories.InterviewerFactory()
    with checked_page(browser, live_server.url, timezone_id="Asia/Tokyo") as page:
        # Logged in without the form (no zone sent): the page picks the browser's.
        page.goto("/login/")
        page.evaluate(
            "document.querySelector('input[name=time_zone]').value = ''"
        )  # as if the script had not run
        page.get_by_label("Username").fill(ivy.username)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_test_id("current-user").wait_for()
        assert Profile.objects.get(user=ivy).time_zone == ""
        page.goto("/profile/")
        expect(page.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")
        expect(page.get_by_test_id("zone-now")).to_contain_text("not chosen a time zone yet")
        assert_accessible(page, "the profile page of a person without a zone")
        screenshot(page, "interviewer-7-profile-browser-zone")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Times are now shown in Asia/Tokyo.").wait_for()
        assert Profile.objects.get(user=ivy).time_zone == "Asia/Tokyo"
