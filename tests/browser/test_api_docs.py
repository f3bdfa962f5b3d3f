"""The API's documentation (/api/docs/, Swagger UI from drf-spectacular-sidecar) and the
profile's tokens, in Chromium: no Content-Security-Policy violation and no JavaScript
error on either (checked_page), a request tried from the docs with the browser's session,
and a token made on the profile page that then works as a Bearer token."""

import re

import pytest
from django.test import Client

from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_shows_the_api_and_tries_a_request_with_the_session(page):
    recruiter = factories.RecruiterFactory()
    factories.RoleRevisionFactory(role__title="Staff Data Engineer")
    login(page, recruiter.username, factories.PASSWORD)
    page.goto("/api/docs/")
    page.get_by_role("heading", name=re.compile("Scorecards API")).first.wait_for()
    roles = page.locator("#operations-roles-roles_list")
    roles.wait_for()
    screenshot(page, "api-docs")
    roles.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    response = page.locator(".responses-table.live-responses-table")
    response.wait_for()
    assert "Staff Data Engineer" in response.inner_text()
    assert response.locator("tr.response .response-col_status").first.inner_text().strip() == "200"


def test_a_token_made_on_the_profile_page_is_shown_once_and_works(page, live_server):
    user = factories.InterviewerFactory()
    login(page, user.username, factories.PASSWORD)
    page.goto("/profile/")
    page.get_by_label("Name of the new token").fill("My script")
    page.get_by_role("button", name="Create a token").click()
    shown = page.get_by_label("Your new API token")
    shown.wait_for()
    token = shown.input_value()
    assert token.startswith("sct_")
    listed = page.get_by_test_id("api-tokens")
    assert listed.get_by_role("cell", name="My script", exact=True).is_visible()
    screenshot(page, "profile-api-token")
    assert_accessible(page, "profile with a new API token")
    api = Client()
    assert api.get("/api/v1/roles/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    page.goto("/profile/")
    assert token not in page.content()
    page.get_by_role("button", name="Revoke My script").click()
    page.get_by_text("no longer works").wait_for()
    assert api.get("/api/v1/roles/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
