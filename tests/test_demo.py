"""`manage.py demo` sets everything up, prints the logins, and is safe to run twice."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from hiring_site.management.commands.demo import DEMO_USERS

pytestmark = pytest.mark.django_db(transaction=True)


def run_demo(capsys):
    call_command("demo", "--no-serve")
    return capsys.readouterr().out


def test_demo_creates_one_user_per_group_and_prints_logins(capsys):
    out = run_demo(capsys)
    for username, password, _first, _last, group, _staff in DEMO_USERS:
        assert f"username {username}" in out and f"password {password}" in out
        user = get_user_model().objects.get(username=username)
        assert user.check_password(password)
        assert list(user.groups.values_list("name", flat=True)) == [group]
    # Nothing serves it: no address to open, but how to start it.
    assert "http://" not in out
    assert "Not serving (--no-serve). Start the app with: python manage.py runserver\n" in out


def test_demo_twice_duplicates_nothing(capsys):
    run_demo(capsys)
    counts = {model: model.objects.count() for model in _all_models()}
    run_demo(capsys)
    assert {model: model.objects.count() for model in _all_models()} == counts
    assert get_user_model().objects.count() == len(DEMO_USERS)


def test_demo_prints_the_address_it_serves_and_then_serves_it(capsys):
    with mock.patch("hiring_site.management.commands.demo.call_command") as command:
        call_command("demo", "--addrport", "127.0.0.1:8123")
    out = capsys.readouterr().out
    assert "App: http://127.0.0.1:8123/" in out
    assert "Not serving" not in out
    assert (
        mock.call("runserver", "127.0.0.1:8123", use_reloader=False, use_threading=True)
        in command.call_args_list
    )


def test_demo_without_serving_names_the_address_to_serve_at_but_no_url(capsys):
    call_command("demo", "--no-serve", "--addrport", "127.0.0.1:8123")
    out = capsys.readouterr().out
    assert "http://" not in out
    assert "Start the app with: python manage.py runserver 127.0.0.1:8123" in out


def _all_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m._meta.app_label in {"roles", "hiring", "scorecards"}]
