"""The Administrators' webhook pages: endpoints (add, change, rotate, delete) and the
delivery log with "retry now". Who else gets 403 is in tests/test_access_matrix.py."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from webhooks.models import (
    APPLICATION_CREATED,
    DECISION_RECORDED,
    EVENT_TYPES,
    RETRY_FOR,
    Delivery,
    Endpoint,
)

pytestmark = pytest.mark.django_db


def add(client, **data):
    body = {"url": "https://ats.example.com/hooks", "events": [APPLICATION_CREATED], "active": "on"}
    body.update(data)
    return client.post(reverse("webhooks:endpoint_add"), body)


def test_an_administrator_adds_an_endpoint_and_sees_its_secret(admin_user_client, administrator):
    response = add(admin_user_client, description="Our ATS", events=list(EVENT_TYPES))
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("webhooks:endpoint", args=[endpoint.pk])
    assert endpoint.url == "https://ats.example.com/hooks"
    assert endpoint.events == list(EVENT_TYPES) and endpoint.active
    assert endpoint.created_by == administrator
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    page = admin_user_client.get(response.url).content.decode()
    assert endpoint.secret in page
    assert "Copy its signing secret" in page
    listing = admin_user_client.get(reverse("webhooks:endpoints")).content.decode()
    assert "https://ats.example.com/hooks" in listing and "Our ATS" in listing
    # Two endpoints never share a secret.
    add(admin_user_client, url="https://other.example.com/hooks")
    assert len(set(Endpoint.objects.values_list("secret", flat=True))) == 2


@pytest.mark.parametrize(
    "url",
    [
        "ftp://ats.example.com/hooks",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ats.example.com/hooks",
        "https://",
        "http://exa mple.com/",
        "x" * 600,
    ],
)
def test_only_http_and_https_addresses_are_taken(admin_user_client, url):
    response = add(admin_user_client, url=url, description="Typed by hand")
    assert response.status_code == 422
    body = response.content.decode()
    assert "is-invalid" in body
    assert 'value="Typed by hand"' in body  # the form keeps what was typed
    assert not Endpoint.objects.exists()


def test_an_endpoint_needs_an_event(admin_user_client):
    response = add(admin_user_client, events=[])
    assert response.status_code == 422
    assert "Choose at least one event to send." in response.content.decode()
    response = add(admin_user_client, events=["application.deleted"])
    assert response.status_code == 422
    assert not Endpoint.objects.exists()


def test_an_endpoint_is_changed_and_turned_off(admin_user_client):
    endpoint = Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    secret = endpoint.secret
    response = admin_user_client.post(
        reverse("webhooks:endpoint", args=[endpoint.pk]),
        {"url": "http://b.example.com/in", "events": [DECISION_RECORDED], "description": ""},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events, endpoint.active) == (
        "http://b.example.com/in",
        [DECISION_RECORDED],
        False,
    )
    assert endpoint.secret == secret  # only rotating changes it
    factories.ApplicationFactory()
    assert not Delivery.objects.exists()


def test_rotating_the_secret_makes_a_new_one(admin_user_client):
    endpoint = Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    old = endpoint.secret
    response = admin_user_client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.pk]))
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret_rotated_at is not None
    page = admin_user_client.get(response.url).content.decode()
    assert endpoint.secret in page and old not in page
    assert "update the receiver now" in page


def test_deleting_an_endpoint_takes_its_deliveries(admin_user_client):
    endpoint = Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    factories.ApplicationFactory()
    assert Delivery.objects.count() == 1
    response = admin_user_client.post(reverse("webhooks:endpoint_delete", args=[endpoint.pk]))
    assert response.status_code == 302
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()


def test_unknown_endpoint_is_404(admin_user_client):
    assert admin_user_client.get(reverse("webhooks:endpoint", args=[999999])).status_code == 404
    url = reverse("webhooks:endpoint_rotate", args=[999999])
    assert admin_user_client.post(url).status_code == 404


def test_a_superuser_counts_as_an_administrator(client):
    client.force_login(factories.UserFactory(is_superuser=True))
    assert client.get(reverse("webhooks:endpoints")).status_code == 200
    assert client.get(reverse("webhooks:deliveries")).status_code == 200


def test_the_navigation_links_webhooks_for_administrators_only(admin_user_client, client):
    assert 'href="/webhooks/"' in admin_user_client.get(reverse("profile")).content.decode()
    client.force_login(factories.RecruiterFactory())
    assert 'href="/webhooks/"' not in client.get(reverse("profile")).content.decode()


def make_deliveries(count: int, endpoint) -> None:
    for _ in range(count):
        factories.ApplicationFactory()


def test_the_delivery_log_shows_each_attempt_and_pages(admin_user_client):
    endpoint = Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    make_deliveries(30, endpoint)
    failed = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=failed.pk).update(
        status="failed",
        attempts=27,
        last_status_code=503,
        last_error="answered 503",
        last_attempt_at=timezone.now(),
    )
    page = admin_user_client.get(reverse("webhooks:deliveries")).content.decode()
    assert page.count('data-testid="delivery"') == 25
    assert "Page 1 of 2" in page and "application.created" in page
    second = admin_user_client.get(reverse("webhooks:deliveries") + "?page=2").content.decode()
    assert second.count('data-testid="delivery"') == 5
    assert "HTTP 503" in second and "answered 503" in second and ">27<" in second
    only_failed = admin_user_client.get(
        reverse("webhooks:deliveries") + f"?status=failed&endpoint={endpoint.pk}"
    ).content.decode()
    assert only_failed.count('data-testid="delivery"') == 1


@pytest.mark.parametrize(
    "query", ["?page=3", "?page=x", "?status=lost", "?endpoint=999999", "?endpoint=%C2%B2"]
)
def test_the_delivery_log_refuses_bad_parameters(admin_user_client, query):
    Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    factories.ApplicationFactory()
    response = admin_user_client.get(reverse("webhooks:deliveries") + query)
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("size", [3, 30])
def test_the_delivery_log_makes_the_same_queries_whatever_its_size(
    admin_user_client, django_assert_max_num_queries, size
):
    endpoint = Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    make_deliveries(size, endpoint)
    with django_assert_max_num_queries(8):
        assert admin_user_client.get(reverse("webhooks:deliveries")).status_code == 200
    with django_assert_max_num_queries(8):
        assert admin_user_client.get(reverse("webhooks:endpoints")).status_code == 200


def test_retry_now_sends_a_failed_delivery_again(admin_user_client):
    Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    factories.ApplicationFactory()
    delivery = Delivery.objects.get()
    long_ago = timezone.now() - RETRY_FOR * 2
    Delivery.objects.filter(pk=delivery.pk).update(
        status="failed", attempts=30, give_up_at=long_ago, next_attempt_at=long_ago
    )
    before = timezone.now()
    response = admin_user_client.post(reverse("webhooks:delivery_retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert before <= delivery.next_attempt_at <= timezone.now()
    assert delivery.give_up_at >= before + RETRY_FOR
    assert Delivery.objects.due(timezone.now()).get() == delivery


def test_retry_now_leaves_a_delivered_one_alone(admin_user_client):
    Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    factories.ApplicationFactory()
    Delivery.objects.update(status="delivered", attempts=1)
    delivery = Delivery.objects.get()
    response = admin_user_client.post(
        reverse("webhooks:delivery_retry", args=[delivery.pk]), follow=True
    )
    assert "already delivered" in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_retry_now_on_an_inactive_endpoint_says_it_waits(admin_user_client):
    endpoint = Endpoint.objects.create(url="https://a.example.com/", events=[APPLICATION_CREATED])
    factories.ApplicationFactory()
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False)
    delivery = Delivery.objects.get()
    response = admin_user_client.post(
        reverse("webhooks:delivery_retry", args=[delivery.pk]), follow=True
    )
    assert "its endpoint is inactive" in response.content.decode()
    assert not Delivery.objects.due(timezone.now()).exists()
