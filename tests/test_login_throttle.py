"""Repeated failed log-ins for one username from one address are throttled."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_username_out_even_with_the_right_password(client, recruiter):
    for _ in range(4):
        response = attempt(client, recruiter.username, "wrong")
        assert "correct username and password" in response.content.decode()
    locked = attempt(client, recruiter.username, "wrong")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    right = attempt(client, recruiter.username, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, recruiter, interviewer):
    for _ in range(5):
        attempt(client, recruiter.username, "wrong")
    response = attempt(client, interviewer.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(interviewer.pk)


def test_success_resets_the_failure_count(client, recruiter):
    for _ in range(4):
        attempt(client, recruiter.username, "wrong")
    assert attempt(client, recruiter.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, recruiter.username, "wrong")
    assert attempt(client, recruiter.username, PASSWORD).status_code == 302


def test_a_forged_forwarded_address_does_not_dodge_the_throttle(client, recruiter):
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": recruiter.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert attempt(client, recruiter.username, PASSWORD).status_code == 429
