"""A recruiter logs in through the real form in Chromium and sees their navigation."""

import pytest

from hiring_site.management.commands.demo import DEMO_USERS, ensure_demo_users
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_recruiter_logs_in_and_sees_navigation(page):
    ensure_demo_users()
    username, password = DEMO_USERS[0][:2]
    login(page, username, password)
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Roles").wait_for()
    assert nav.get_by_role("link", name="Candidates").is_visible()
    assert nav.get_by_role("link", name="My interviews").count() == 0
    assert page.get_by_role("heading", name="Role library").is_visible()
    assert page.get_by_test_id("current-user").inner_text() == "Rita Recruiter"
    screenshot(page, "role-library")
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("heading", name="Log in").wait_for()


def test_wrong_password_shows_error_in_browser(page):
    ensure_demo_users()
    login(page, DEMO_USERS[0][0], "not-the-password", succeed=False)
    error = page.locator(".alert-danger, .invalid-feedback, .alert-block")
    error.first.wait_for()
    assert "correct username and password" in page.content()
    screenshot(page, "login-error")
