"""An administrator manages people in Chromium: an invitation sent from the People page
and accepted through the emailed link, ending signed in; a person deactivated from their
page, signed out of the session they had and refused at the login form."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from hiring_site.access import ADMINISTRATOR
from tests import factories
from tests.browser.conftest import assert_accessible, checked_page, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Orchid-lantern-42"  # noqa: S105 (a test's)


@pytest.fixture
def administrator(db):
    return factories.UserFactory(
        username="ada", first_name="Ada", last_name="Admin", groups=[ADMINISTRATOR]
    )


def test_an_invitation_is_accepted_through_the_emailed_link(
    page, browser, live_server, administrator, settings
):
    settings.SITE_URL = live_server.url
    login(page, administrator.username, factories.PASSWORD)
    page.get_by_role("heading", name="People").wait_for()  # an administrator lands there
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email").fill("nina.new@example.com")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("New")
    page.get_by_label("Interviewer").check()
    assert_accessible(page, "the invitation form")
    screenshot(page, "people-invite")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("An invitation was sent to nina.new@example.com.").wait_for()
    assert "waiting to be accepted" in page.get_by_test_id("invitations").inner_text()
    assert_accessible(page, "a person's page")
    screenshot(page, "people-person")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina.new@example.com"]
    link = re.search(r"http://\S+/invitation/[\w-]+/", mail.outbox[0].body)[0]
    assert link.startswith(live_server.url)

    with checked_page(browser, live_server.url) as invited:
        invited.goto(link)
        invited.get_by_role("heading", name="Welcome, Nina").wait_for()
        assert_accessible(invited, "the invitation's page")
        invited.locator("#id_new_password1").fill(NEW_PASSWORD)
        invited.locator("#id_new_password2").fill(NEW_PASSWORD)
        screenshot(invited, "people-accept")
        invited.get_by_role("button", name="Set my password and sign in").click()
        # Signed in, as an interviewer: on My interviews.
        invited.get_by_test_id("current-user").wait_for()
        assert invited.get_by_test_id("current-user").inner_text() == "Nina New"
        invited.get_by_role("heading", name="My interviews").wait_for()
        # The link worked once.
        invited.goto(link)
        assert "It was used already" in invited.get_by_test_id("error-reason").inner_text()

    person = get_user_model().objects.get(email="nina.new@example.com")
    assert person.check_password(NEW_PASSWORD)
    page.goto("/people/")
    row = page.get_by_test_id("person").filter(has_text="Nina New")
    assert "Interviewer" in row.inner_text() and "Invitation pending" not in row.inner_text()
    assert "never" not in row.inner_text()  # the last sign-in is there
    assert_accessible(page, "the people list")
    screenshot(page, "people-list")


def test_a_deactivated_person_is_signed_out_and_refused_at_login(
    page, browser, live_server, administrator
):
    person = factories.InterviewerFactory(first_name="Otto", last_name="Leaving")
    with checked_page(browser, live_server.url) as theirs:
        login(theirs, person.username, factories.PASSWORD)
        theirs.get_by_role("heading", name="My interviews").wait_for()

        login(page, administrator.username, factories.PASSWORD)
        page.get_by_role("link", name="Otto Leaving").click()
        page.get_by_role("link", name="Deactivate…").click()
        page.get_by_role("heading", name="Deactivate Otto Leaving?").wait_for()
        assert_accessible(page, "the deactivation's confirmation")
        screenshot(page, "people-deactivate")
        page.get_by_role("button", name="Deactivate").click()
        page.get_by_text("is deactivated and signed out").wait_for()
        assert "Deactivated" in page.get_by_test_id("status").inner_text()
        assert page.get_by_role("link", name="Reactivate…").is_visible()

        # The session they had ends: their next page asks them to log in.
        theirs.reload()
        theirs.get_by_role("heading", name="Log in").wait_for()
        login(theirs, person.username, factories.PASSWORD, succeed=False)
        theirs.locator(".alert-danger, .alert-block").first.wait_for()
        assert "correct username and password" in theirs.content()
        assert theirs.get_by_test_id("current-user").count() == 0
        screenshot(theirs, "people-deactivated-login")
