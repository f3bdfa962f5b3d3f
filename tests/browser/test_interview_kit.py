"""The interview kit in Chromium, as the interviewer of a role in blind review: reached
from My interviews, it shows the candidate code (never the name), the brief, the focus
dimensions' anchors and the signals as checklists; printed (print media), the app's
navigation and the kit's links are left off. No CSP violation or JavaScript error;
axe-core clean; screenshots on screen and as printed."""

import pytest
from playwright.sync_api import expect

from roles.models import RoleRevision
from tests import factories
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.conftest import login as browser_login
from tests.scorecards.builders import build_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_kit_prints_without_the_app_around_it_and_hides_the_name(page):
    ivy = factories.InterviewerFactory(first_name="Ivy", last_name="Interviewer")
    loop = build_loop(ivy)
    RoleRevision.objects.filter(pk=loop.revision.pk).update(blind_review=True)
    candidate = loop.application.candidate
    code = loop.application.candidate_code

    browser_login(page, ivy.username, factories.PASSWORD)
    page.goto("/hiring/interviews/")
    expect(page.get_by_test_id("interviews-todo")).to_contain_text(code)
    # The interview's own page (the scorecard) has its kit, to print before it starts.
    page.get_by_role("link", name="Fill in").first.click()
    page.get_by_test_id("kit-link").first.click()
    expect(page.get_by_test_id("kit-candidate")).to_have_text(code)
    kit = page.get_by_test_id("kit")
    expect(kit).to_contain_text(loop.interview.stage.exercise.prompt)
    expect(kit).to_contain_text("Sets the standard in system design.")
    expect(kit).to_contain_text("Blames others for failures")
    assert candidate.name not in page.content() and candidate.email not in page.content()
    assert_accessible(page, "the interview kit")
    screenshot(page, "interview-kit")

    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("kit-pdf")).to_be_hidden()
    expect(kit).to_be_visible()
    # The checklists' boxes are drawn by the print stylesheet (a static file).
    box = page.locator(".kit-checklist li").first.evaluate(
        "li => getComputedStyle(li, '::before').borderTopStyle"
    )
    assert box == "solid"
    screenshot(page, "interview-kit-print")

    # The PDF link answers a PDF.
    pdf = page.request.get(page.get_by_test_id("kit-pdf").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
