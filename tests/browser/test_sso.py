"""Single sign-on in Chromium, against a real OpenID Connect provider (oidc-provider-mock,
tests/oidc_provider.py): sign in on the provider's page, land where the mapped group
works, sign out here and at the provider; a deactivated person is refused with a page."""

import pytest

from hiring_site.access import INTERVIEWER, RECRUITER
from tests import factories, oidc_provider
from tests.browser.conftest import assert_accessible, checked_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP_MAP = {"recruiting": frozenset({RECRUITER}), "engineers": frozenset({INTERVIEWER})}


@pytest.fixture
def provider(settings, sso):
    oidc_provider.use(settings, sso, group_map=GROUP_MAP)
    return sso


@pytest.fixture
def sso_page(browser, live_server):
    with checked_page(browser, live_server.url) as page:
        # The provider's own pages ask for a stylesheet on the internet; none is reachable.
        page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
        yield page


def sign_in_at_the_provider(page, sub):
    page.goto("/login/")
    page.get_by_role("link", name="Sign in with Acme ID").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_sign_in_with_groups_mapped_then_sign_out_everywhere(sso_page, provider):
    page = sso_page
    sub = provider.add_user(
        "rita@acme.example", given_name="Rita", family_name="Reyes", groups=["recruiting"]
    )
    page.goto("/login/")
    assert_accessible(page, "the login page with single sign-on")
    screenshot(page, "sso-login")
    sign_in_at_the_provider(page, sub)
    # The Recruiter group, from the claim: the role library is their start page.
    page.get_by_role("heading", name="Role library").wait_for()
    assert page.get_by_test_id("current-user").inner_text() == "Rita Reyes"
    nav = page.get_by_role("navigation", name="Main navigation")
    assert nav.get_by_role("link", name="Candidates").is_visible()
    screenshot(page, "sso-signed-in")

    page.get_by_role("button", name="Log out").click()
    # The provider's end-session page, then back to the login page.
    page.wait_for_url("**/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.get_by_role("heading", name="Log in").wait_for()
    page.goto("/")
    page.get_by_role("heading", name="Log in").wait_for()
    assert page.get_by_test_id("current-user").count() == 0


def test_an_interviewer_signing_in_lands_on_my_interviews(sso_page, provider):
    sub = provider.add_user("ian@acme.example", given_name="Ian", groups=["engineers"])
    sign_in_at_the_provider(sso_page, sub)
    sso_page.get_by_role("heading", name="My interviews").wait_for()
    assert sso_page.get_by_test_id("current-user").inner_text().startswith("Ian")


def test_a_deactivated_person_is_refused_with_a_page(sso_page, provider):
    factories.InterviewerFactory(email="gone@acme.example", is_active=False)
    sub = provider.add_user("gone@acme.example")
    sign_in_at_the_provider(sso_page, sub)
    sso_page.get_by_role("heading", name="Sign-in refused").wait_for()
    assert "has been deactivated" in sso_page.get_by_test_id("error-reason").inner_text()
    assert_accessible(sso_page, "the refused sign-in")
    screenshot(sso_page, "sso-refused")
    assert sso_page.get_by_test_id("current-user").count() == 0


def test_with_password_login_off_the_login_page_has_only_the_provider(sso_page, settings, provider):
    settings.PASSWORD_LOGIN = False
    sso_page.goto("/login/")
    sso_page.get_by_role("link", name="Sign in with Acme ID").wait_for()
    assert sso_page.get_by_label("Password").count() == 0
    assert_accessible(sso_page, "the login page, single sign-on only")
    screenshot(sso_page, "sso-only-login")
