"""PASSWORD_LOGIN=0: the provider is the only way in. The login page has no password
form, and a password posted to it or to the admin's login page is refused; with it on,
the login throttle (django-axes) still guards the password form beside the provider."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.sso.test_sign_in import sign_in, signed_in_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_only(settings, sso):
    settings.PASSWORD_LOGIN = False
    return sso


def test_the_login_page_offers_only_the_provider(client, sso_only):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sign in with Acme ID" in page
    assert 'name="password"' not in page
    assert "or with a password" not in page


def test_a_password_posted_anyway_is_refused(client, sso_only, recruiter):
    response = client.post(reverse("login"), {"username": recruiter.username, "password": PASSWORD})
    assert response.status_code == 403
    assert "Password login is turned off on this site: sign in with Acme ID." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_the_admins_password_form_is_gone_too(client, sso_only, recruiter):
    recruiter.is_staff = True
    recruiter.save()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/"
    refused = client.post("/admin/login/", {"username": recruiter.username, "password": PASSWORD})
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session


def test_signing_in_with_the_provider_still_works(client, sso_only):
    sub = sso_only.add_user("only-way@acme.example")
    assert sign_in(client, sso_only, sub).status_code == 302
    assert signed_in_user(client).email == "only-way@acme.example"


def test_with_both_on_the_password_throttle_still_locks_out(client, sso, recruiter):
    for _ in range(5):
        client.post(reverse("login"), {"username": recruiter.username, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": recruiter.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # The provider is not behind the password throttle: its own sign-in goes through.
    sub = sso.add_user("throttled-elsewhere@acme.example")
    assert sign_in(client, sso, sub).status_code == 302


def test_refused_sign_ins_do_not_lock_out_the_password_form(client, sso, recruiter):
    for _ in range(6):
        sub = sso.add_user("bad@elsewhere.example", aud="another-app")
        assert sign_in(client, sso, sub).status_code == 403
    response = client.post(reverse("login"), {"username": recruiter.username, "password": PASSWORD})
    assert response.status_code == 302
