"""An Administrator registers a webhook endpoint in Chromium, copies its secret, and
reads the delivery log: axe-clean and CSP-clean, with screenshots."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from hiring_site.access import ADMINISTRATOR
from tests import factories
from tests.browser.conftest import assert_accessible, login, screenshot
from webhooks.delivery import deliver_due
from webhooks.models import Delivery, Endpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_registers_an_endpoint_and_reads_the_log(page):
    admin = factories.UserFactory(username="ada", first_name="Ada", last_name="Admin")
    admin.groups.add(Group.objects.get(name=ADMINISTRATOR))
    login(page, "ada", factories.PASSWORD)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Webhooks"
    ).click()
    page.get_by_role("link", name="Add endpoint").click()
    page.get_by_label("URL").fill("ftp://ats.example.com/hooks")
    page.get_by_label("application.created: An application is opened").check()
    page.get_by_role("button", name="Add endpoint").click()
    page.get_by_text("Enter a full http:// or https:// address").first.wait_for()
    assert page.get_by_label("URL").input_value() == "ftp://ats.example.com/hooks"
    assert_accessible(page, "the endpoint form with an error")
    screenshot(page, "webhook-endpoint-error")

    # Nothing listens there: the deliveries fail and wait for their next try.
    page.get_by_label("URL").fill("http://127.0.0.1:9/hooks")
    page.get_by_role("button", name="Add endpoint").click()
    secret = Endpoint.objects.get().secret
    assert page.get_by_test_id("secret").inner_text() == secret
    assert_accessible(page, "the endpoint page")
    screenshot(page, "webhook-endpoint")

    for _ in range(3):
        factories.ApplicationFactory()
    deliver_due()
    page.get_by_role("link", name="This endpoint's deliveries").click()
    rows = page.get_by_test_id("delivery")
    assert rows.count() == 3
    assert "Connection refused" in rows.first.inner_text()
    assert_accessible(page, "the delivery log")
    screenshot(page, "webhook-deliveries")
    page.get_by_role("button", name="Retry now").first.click()
    page.get_by_text("Queued: the webhook worker sends it").wait_for()
    newest = Delivery.objects.order_by("-pk").first()
    assert newest.next_attempt_at <= timezone.now() and newest.attempts == 1
