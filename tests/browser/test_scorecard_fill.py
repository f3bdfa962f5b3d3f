"""An interviewer goes from "My interviews" to a submitted scorecard in Chromium: autosave
(with a network failure on the way), a reload that keeps the draft, submission errors
(each gone once put right, a reload showing them again), a stale second tab, and the
read-only card at the end, which Back does not undo."""

import contextlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Interview
from scorecards.models import Scorecard
from tests import factories
from tests.browser.conftest import (
    CHROMIUM,
    LAUNCH_ARGS,
    SAVED,
    checked_page,
    rate,
    screenshot,
    wait_saved,
)
from tests.browser.conftest import login as browser_login
from tests.scorecards.builders import build_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username):
    browser_login(page, username, factories.PASSWORD)


@pytest.fixture
def loop():
    interviewer = factories.InterviewerFactory(first_name="Ivy", last_name="Interviewer")
    loop = build_loop(interviewer)
    Interview.objects.filter(pk=loop.interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=2)
    )
    return loop


def test_interviewer_fills_and_submits_a_scorecard_with_autosave(page, loop):
    d = loop.dimensions
    login(page, loop.interview.interviewer.username)
    page.get_by_role("heading", name="My interviews").wait_for()
    screenshot(page, "scorecard-1-my-interviews")
    page.get_by_role("link", name=re.compile("Fill in")).click()

    page.get_by_role("heading", name="Stage brief: System design case").wait_for()
    assert page.get_by_text("Design a pipeline that scores 5k events a second.").is_visible()
    screenshot(page, "scorecard-2-empty-form")

    # Choosing a level shows its anchor; typing evidence saves by itself.
    anchor_5 = page.locator(f"#anchor-{d[0].id}-5")
    assert not anchor_5.is_visible()
    rate(page, d[0], 5)
    assert anchor_5.is_visible() and "Sets the standard" in anchor_5.inner_text()
    page.get_by_label("Evidence for System design").fill("Bounded queues and back-pressure.")
    wait_saved(page)
    card = Scorecard.objects.get(interview=loop.interview)
    assert card.ratings.get(dimension=d[0]).score == 5

    # The draft survives a reload.
    page.reload()
    evidence = page.get_by_label("Evidence for System design")
    assert evidence.input_value() == "Bounded queues and back-pressure."
    assert page.locator(f"#id_score_{d[0].id}_5").is_checked()
    assert "Last saved" in page.locator("#save-status").inner_text()

    # A network failure: "not saved, retrying", nothing typed is lost, then it saves.
    page.route("**/scorecards/interviews/**", lambda route: route.abort())
    page.get_by_label("Summary").fill("Strong designer.")
    page.get_by_text(re.compile("Not saved, retrying")).wait_for()
    screenshot(page, "scorecard-3-retrying")
    page.unroute("**/scorecards/interviews/**")
    page.get_by_test_id("saved").wait_for(timeout=20_000)
    card.refresh_from_db()
    assert card.summary == "Strong designer."

    # Submitting too early lists what is missing, next to the fields.
    page.get_by_role("button", name="Submit scorecard").click()
    page.locator("#error-summary").wait_for()
    assert page.get_by_text("Rate this focus dimension before submitting.").first.is_visible()
    assert page.get_by_text("Choose an overall recommendation.").first.is_visible()
    assert page.get_by_label("Summary").input_value() == "Strong designer."
    screenshot(page, "scorecard-4-submit-errors")

    # Complete it: the second focus dimension, a red flag with its note, a recommendation.
    rate(page, d[1], 3)
    assert "Meets the bar for evaluation." in page.locator(f"#anchor-{d[1].id}-3").inner_text()
    page.get_by_label("Note on “Blames others for failures”").fill(
        "Said the outage was the SRE team's problem."
    )
    assert page.get_by_role(
        "checkbox", name=re.compile("Blames others")
    ).is_checked()  # by the note
    page.locator('label[for="id_recommendation_3"]').click()  # Yes
    wait_saved(page)
    screenshot(page, "scorecard-5-complete")
    page.get_by_role("button", name="Submit scorecard").click()

    page.get_by_test_id("read-only").wait_for()
    assert "Scorecard submitted." in page.content()
    assert page.get_by_test_id("recommendation").first.inner_text() == "Yes"
    assert page.locator("textarea").count() == 0
    screenshot(page, "scorecard-6-submitted")
    card.refresh_from_db()
    assert card.status == "submitted"
    assert card.signal_checks.get().note == "Said the outage was the SRE team's problem."
    assert {r.dimension_id: r.score for r in card.ratings.all()} == {d[0].id: 5, d[1].id: 3}


def test_a_stale_tab_is_refused_and_keeps_what_was_typed(page, loop):
    d = loop.dimensions
    login(page, loop.interview.interviewer.username)
    page.goto(f"/scorecards/interviews/{loop.interview.pk}/")
    other_tab = page.context.new_page()
    other_tab.goto(f"/scorecards/interviews/{loop.interview.pk}/")

    page.get_by_label("Evidence for System design").fill("Typed in the first tab.")
    wait_saved(page)
    other_tab.get_by_label("Evidence for Evaluation").fill("Typed in the second tab.")
    other_tab.get_by_text(re.compile("changed in another tab")).wait_for()
    assert other_tab.get_by_label("Evidence for Evaluation").input_value() == (
        "Typed in the second tab."
    )
    screenshot(other_tab, "scorecard-7-stale-tab")
    card = Scorecard.objects.get(interview=loop.interview)
    assert list(card.ratings.values_list("dimension_id", "evidence")) == [
        (d[0].id, "Typed in the first tab.")
    ]
    other_tab.get_by_role("link", name="load the latest version").click()
    assert other_tab.get_by_label("Evidence for System design").input_value() == (
        "Typed in the first tab."
    )


def test_errors_go_once_put_right_and_a_reload_asks_again(page, loop):
    d = loop.dimensions
    login(page, loop.interview.interviewer.username)
    page.goto(f"/scorecards/interviews/{loop.interview.pk}/")
    rate(page, d[0], 5)  # a 5 needs evidence
    wait_saved(page)
    page.get_by_role("button", name="Submit scorecard").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    focus = page.get_by_text("Rate this focus dimension before submitting.")
    evidence = page.get_by_text("A rating of 5 needs written evidence")
    recommendation = page.get_by_text("Choose an overall recommendation.")
    for message in (focus, evidence, recommendation):
        expect(message.first).to_be_visible()

    # A reload asks for the page again: the same problems, no conflict that never was.
    page.reload()
    summary.wait_for()
    expect(evidence.first).to_be_visible()
    assert "another tab" not in page.content()
    assert "Not saved" not in page.locator("#save-status").inner_text()

    # Each message goes once a save shows it no longer applies; the others stay.
    rate(page, d[1], 3)
    expect(focus).to_have_count(0)
    expect(page.locator(f'input[name="score_{d[1].id}"][aria-invalid]')).to_have_count(0)
    expect(evidence).to_have_count(2)  # beside the field and in the summary
    expect(recommendation).to_have_count(2)
    assert SAVED.search(page.locator("#save-status").inner_text())
    page.get_by_label("Evidence for System design").fill("Bounded queues and back-pressure.")
    expect(evidence).to_have_count(0)
    expect(page.get_by_label("Evidence for System design")).not_to_have_class(
        re.compile("is-invalid")
    )
    page.locator('label[for="id_recommendation_3"]').click()  # Yes
    expect(recommendation).to_have_count(0)
    expect(summary).to_have_count(0)
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    screenshot(page, "scorecard-8-errors-cleared")
    page.get_by_role("button", name="Submit scorecard").click()
    page.get_by_test_id("read-only").wait_for()


@pytest.fixture
def page_with_back_cache(browser, live_server):
    """A page in a Chromium that keeps pages for Back (its back-forward cache, which
    Playwright turns off by default), as the browsers people use do."""
    with contextlib.ExitStack() as stack:
        keeping = browser.browser_type.launch(
            executable_path=CHROMIUM,
            args=LAUNCH_ARGS,
            ignore_default_args=["--disable-back-forward-cache"],
        )
        stack.callback(keeping.close)
        yield stack.enter_context(checked_page(keeping, live_server.url))


def test_back_after_submitting_shows_the_submitted_card(page_with_back_cache, loop):
    page = page_with_back_cache
    d = loop.dimensions
    login(page, loop.interview.interviewer.username)
    page.goto(f"/scorecards/interviews/{loop.interview.pk}/")
    rate(page, d[0], 4)
    rate(page, d[1], 3)
    page.locator('label[for="id_recommendation_3"]').click()  # Yes
    wait_saved(page)
    page.get_by_role("button", name="Submit scorecard").click()
    page.get_by_test_id("read-only").wait_for()

    page.go_back(wait_until="commit")  # a page restored from the cache fires no "load"
    # Not the form as it was ("not submitted yet"), but the card as it is.
    page.get_by_test_id("read-only").wait_for()
    assert page.locator("#scorecard-form").count() == 0
    assert Scorecard.objects.get(interview=loop.interview).status == "submitted"
