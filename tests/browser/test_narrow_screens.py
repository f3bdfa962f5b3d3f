"""On a phone-sized screen, the list pages scroll their tables, never the whole page
sideways: each wide table sits in a .table-responsive, and the visually hidden headings of
its action columns (absolutely placed) stay inside it. A date in a cell stays on one line."""

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.conftest import checked_page, login, screenshot
from tests.scorecards.builders import build_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# The dates (2026-12-06) in table cells the text of which takes more than one line.
BROKEN_DATES = """() => [...document.querySelectorAll('td')]
    .filter(td => /^\\d{4}-\\d\\d-\\d\\d$/.test(td.textContent.trim()))
    .filter(td => { const r = document.createRange(); r.selectNodeContents(td);
                    return r.getClientRects().length > 1; })
    .map(td => td.textContent.trim())"""


def test_list_pages_fit_a_phone_screen(browser, live_server):
    manager = factories.HiringManagerFactory(username="hana", first_name="Hana", last_name="Hill")
    interviewer = factories.InterviewerFactory(username="ivy", first_name="Ivy", last_name="Ito")
    loop = build_loop(interviewer, hiring_manager=manager)
    factories.RecruiterFactory(username="rita", first_name="Rita", last_name="Reyes")
    application = loop.application
    visits = {
        "rita": [
            "/hiring/candidates/",
            reverse("hiring:candidate", args=[application.candidate_id]),
            application.get_absolute_url(),
        ],
        "hana": ["/hiring/applications/"],
        "ivy": ["/hiring/interviews/"],
    }
    for username, urls in visits.items():
        with checked_page(browser, live_server.url) as page:
            login(page, username, factories.PASSWORD)  # on a phone the name is in the menu
            page.set_viewport_size(PHONE)
            for url in urls:
                page.goto(url)
                screenshot(page, f"phone{url.replace('/', '-')}")
                assert page_width(page) <= PHONE["width"], f"{url} is wider than the screen"
                assert page.evaluate(BROKEN_DATES) == [], f"{url} breaks a date across lines"
