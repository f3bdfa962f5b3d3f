"""Personal API tokens: made on the profile page or by create_api_token, shown once, stored
as a digest, listed with their last use, revocable; the session works too, with CSRF; a
token past its rate gets 429."""

import hashlib
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from hiring.models import Candidate
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = reverse("api:roles")


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_authenticates_and_its_use_is_recorded():
    user = factories.RecruiterFactory()
    row, token = ApiToken.issue(user, "ATS sync")
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiToken.objects.values_list().get())
    assert row.last_used_at is None
    assert Client().get(ROLES, **bearer(token)).status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize(
    "header", [None, "Bearer nope", "Bearer sct_wrong", "Bearer a b", "Basic x"]
)
def test_no_or_a_bad_token_is_refused_with_401(header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().get(ROLES, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_a_revoked_token_or_a_deactivated_user_no_longer_works():
    user = factories.RecruiterFactory()
    row, token = ApiToken.issue(user, "old")
    row.revoke()
    assert Client().get(ROLES, **bearer(token)).status_code == 401
    _, fresh = ApiToken.issue(user, "new")
    user.is_active = False
    user.save()
    assert Client().get(ROLES, **bearer(fresh)).status_code == 401


def test_the_command_prints_a_token_once_and_stores_its_digest():
    user = factories.InterviewerFactory(username="ivy")
    out = io.StringIO()
    call_command("create_api_token", "ivy", "--name", "laptop script", stdout=out)
    token = out.getvalue().strip()
    row = ApiToken.objects.get(user=user)
    assert row.name == "laptop script"
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert Client().get(ROLES, **bearer(token)).status_code == 200
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody")


def test_the_profile_page_makes_shows_once_lists_and_revokes_tokens(client):
    user = factories.HiringManagerFactory()
    client.force_login(user)
    made = client.post(reverse("api_token_create"), {"name": "Greenhouse"})
    assert made.status_code == 201
    token = re.search(r'value="(sct_[A-Za-z0-9_-]+)"', made.content.decode()).group(1)
    assert Client().get(ROLES, **bearer(token)).status_code == 200
    listed = client.get(reverse("profile")).content.decode()
    assert "Greenhouse" in listed and token not in listed
    row = ApiToken.objects.get(user=user)
    assert row.last_used_at is not None
    # Another person cannot revoke it.
    other = Client()
    other.force_login(factories.RecruiterFactory())
    assert other.post(reverse("api_token_revoke", args=[row.pk])).status_code == 404
    assert client.post(reverse("api_token_revoke", args=[row.pk])).status_code == 302
    assert Client().get(ROLES, **bearer(token)).status_code == 401
    assert "revoked" in client.get(reverse("profile")).content.decode()


def test_a_token_needs_a_name(client):
    client.force_login(factories.UserFactory())
    refused = client.post(reverse("api_token_create"), {"name": ""})
    assert refused.status_code == 422
    assert not ApiToken.objects.exists()


def test_the_browsers_session_works_with_its_csrf_token():
    recruiter = factories.RecruiterFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(recruiter)
    assert browser.get(ROLES).status_code == 200
    body = {"name": "Ada", "email": "ada@example.org"}
    url = reverse("api:candidates")
    refused = browser.post(url, body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert not Candidate.objects.exists()
    browser.get(reverse("profile"))  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    made = browser.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert made.status_code == 201
    # A token needs no CSRF token: nothing a browser sends by itself.
    _, token = ApiToken.issue(recruiter, "script")
    script = Client(enforce_csrf_checks=True)
    other = {"name": "Bo", "email": "bo@example.org"}
    assert (
        script.post(url, other, content_type="application/json", **bearer(token)).status_code == 201
    )


def test_a_token_past_its_rate_gets_429_and_another_token_does_not(settings):
    settings.API_RATE_LIMIT = "3/minute"
    user = factories.RecruiterFactory()
    _, first = ApiToken.issue(user, "one")
    _, second = ApiToken.issue(user, "two")
    client = Client()
    answers = [client.get(ROLES, **bearer(first)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    throttled = client.get(ROLES, **bearer(first))
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert client.get(ROLES, **bearer(second)).status_code == 200
