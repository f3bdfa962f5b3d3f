"""`{{ user|person }}`: a person's full name where they have one, else their username."""

import pytest
from django.contrib.auth import get_user_model
from django.template import engines

pytestmark = pytest.mark.django_db


def render(user) -> str:
    return (
        engines["django"].from_string("{% load people %}[{{ user|person }}]").render({"user": user})
    )


def test_full_name_else_username_else_nothing():
    User = get_user_model()
    assert render(User(username="ada", first_name="Ada", last_name="Lovelace")) == "[Ada Lovelace]"
    assert render(User(username="grace", first_name="Grace")) == "[Grace]"
    assert render(User(username="alan")) == "[alan]"
    assert render(None) == "[]"


def test_a_name_is_escaped():
    User = get_user_model()
    assert render(User(username="x", first_name="<b>Bo</b>")) == "[&lt;b&gt;Bo&lt;/b&gt;]"


def test_the_navigation_bar_names_the_user(client):
    user = get_user_model().objects.create_user("ada", first_name="Ada", last_name="Byron")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert 'data-testid="current-user">Ada Byron</span>' in body
