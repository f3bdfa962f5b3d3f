"""On the demo data, a recruiter handles a candidate's request about their data: reads
the printable export of everything stored about them, then erases them (the reason is
required), and finds "Erased candidate #id" where their name was. Every page axe-clean,
no CSP or JS errors."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from hiring.models import Candidate
from hiring_site.management.commands.demo import DEMO_USERS
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVIDENCE = "Designed for failure from the first minute"


def test_a_recruiter_exports_then_erases_a_candidate(page):
    call_command("demo", "--no-serve", stdout=io.StringIO())
    password = next(user[1] for user in DEMO_USERS if user[0] == "recruiter")
    login(page, "recruiter", password)
    candidate = Candidate.objects.get(name="Amara Nwosu")
    page.goto(f"/hiring/candidates/{candidate.pk}/")

    page.get_by_role("link", name="Their data (printable)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything stored about Amara Nwosu")
    expect(page.locator("main")).to_contain_text(EVIDENCE)
    assert_accessible(page, "a candidate's data, printable")
    screenshot(page, "candidate-export")
    page.get_by_role("link", name="Back to the candidate").click()

    page.get_by_role("link", name="Erase…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase Amara Nwosu?")
    page.get_by_role("button", name="Erase the candidate").click()
    expect(page.locator("#id_reason_error")).to_contain_text("Say why")
    assert_accessible(page, "the erasure's confirmation, refused without a reason")
    page.get_by_label("Reason").fill("Asked for erasure by email on 3 March")
    screenshot(page, "candidate-erase")
    page.get_by_role("button", name="Erase the candidate").click()

    label = f"Erased candidate #{candidate.pk}"
    expect(page.get_by_role("heading", level=1)).to_have_text(label)
    expect(page.get_by_test_id("erased")).to_be_visible()
    assert_accessible(page, "an erased candidate's page")
    page.goto("/hiring/candidates/")
    expect(page.locator("main")).to_contain_text(label)
    expect(page.locator("main")).not_to_contain_text("Amara Nwosu")
    page.goto(f"/hiring/candidates/{candidate.pk}/data/")
    expect(page.locator("main")).not_to_contain_text(EVIDENCE)
