"""The person picker in Chromium: with hundreds of interviewers, a recruiter types part of a
name on the application page, picks the match from the list htmx shows and assigns them;
the keyboard reaches the matches, and the page passes axe-core and its CSP."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Interview
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.scorecards.builders import build_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local_time(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_recruiter_finds_an_interviewer_among_hundreds_and_assigns_them(page):
    loop = build_loop()
    factories.InterviewerFactory.create_batch(300)
    ivy = factories.InterviewerFactory(username="ivyq", first_name="Ivy", last_name="Quenneville")
    factories.InterviewerFactory(username="ianq", first_name="Ian", last_name="Quenneville")
    factories.RecruiterFactory(username="rita", first_name="Rita", last_name="Reyes")
    login(page, "rita", factories.PASSWORD)
    page.goto(loop.application.get_absolute_url())
    assign = page.locator("#assign")
    assign.get_by_label("Stage").select_option(label=loop.other_stage.name)

    box = assign.get_by_label("Interviewer")
    box.press_sequentially("quenne")
    matches = assign.get_by_role("group", name=re.compile("People matching “quenne”"))
    expect(matches.get_by_role("radio")).to_have_count(2)
    assert_accessible(page, "application page (matches shown)")
    box.press_sequentially(" iv")  # narrower: one left
    expect(assign.get_by_role("radio")).to_have_count(1)
    # The keyboard reaches the match: Tab from the box, Space picks it.
    box.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(assign.get_by_role("radio", name=re.compile("Ivy Quenneville"))).to_be_checked()
    expect(box).to_have_value("Ivy Quenneville")

    assign.get_by_label(re.compile(r"Time \(")).fill(local_time(timedelta(days=2)))
    assign.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Ivy Quenneville interviews for {loop.other_stage.name}."
    )
    assert Interview.objects.filter(
        application=loop.application, stage=loop.other_stage, interviewer=ivy
    ).exists()


def test_typing_after_a_pick_drops_it(page):
    loop = build_loop()
    factories.InterviewerFactory(username="ivyq", first_name="Ivy", last_name="Quenneville")
    ian = factories.InterviewerFactory(username="ianq", first_name="Ian", last_name="Quenneville")
    factories.RecruiterFactory(username="rita")
    login(page, "rita", factories.PASSWORD)
    page.goto(loop.application.get_absolute_url())
    assign = page.locator("#assign")
    assign.get_by_label("Stage").select_option(label=loop.other_stage.name)
    box = assign.get_by_label("Interviewer")
    box.press_sequentially("quenne")
    assign.get_by_role("radio", name=re.compile("Ivy Quenneville")).check()
    box.fill("")
    box.press_sequentially("ian q")
    expect(assign.get_by_role("radio")).to_have_count(1)
    expect(assign.get_by_role("radio")).not_to_be_checked()
    assign.get_by_label(re.compile(r"Time \(")).fill(local_time(timedelta(days=2)))
    assign.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("alert").first).to_contain_text("Ian Quenneville interviews for")
    assert Interview.objects.filter(application=loop.application, interviewer=ian).exists()
