"""Logging in and out, and what anonymous visitors get."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, ApplicationFactory

pytestmark = pytest.mark.django_db

APP_PAGES = [
    ("home", []),
    ("roles:list", []),
    ("hiring:candidates", []),
    ("hiring:my_applications", []),
    ("hiring:my_interviews", []),
]


def test_wrong_password_shows_an_error_on_the_form(client, recruiter):
    response = client.post(reverse("login"), {"username": recruiter.username, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_and_lands_on_the_users_work(client, recruiter):
    response = client.post(reverse("login"), {"username": recruiter.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(recruiter.pk)
    assert client.get(response.url).url == reverse("roles:list")


@pytest.mark.parametrize(("name", "args"), APP_PAGES)
def test_anonymous_visit_redirects_to_login(client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_anonymous_visit_to_an_object_page_redirects_to_login(client):
    application = ApplicationFactory()
    url = reverse("hiring:application_detail", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    role_url = reverse("roles:detail", args=[application.revision.role.slug])
    assert client.get(role_url).url.startswith(reverse("login"))


def test_logout_is_a_post_and_ends_the_session(recruiter_client):
    assert recruiter_client.get(reverse("logout")).status_code == 405
    response = recruiter_client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in recruiter_client.session


def test_user_without_a_group_is_told_to_ask_for_one(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password=PASSWORD)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "not in any team group yet" in response.content.decode()
    assert client.get(reverse("roles:list")).status_code == 403
