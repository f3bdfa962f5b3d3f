"""`manage.py demo` sets everything up, prints the logins, and is safe to run twice."""

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
    assert "http://127.0.0.1:8000/" in out


def test_demo_twice_duplicates_nothing(capsys):
    run_demo(capsys)
    counts = {model: model.objects.count() for model in _all_models()}
    run_demo(capsys)
    assert {model: model.objects.count() for model in _all_models()} == counts
    assert get_user_model().objects.count() == len(DEMO_USERS)


def test_demo_prints_the_address_it_will_serve(capsys):
    call_command("demo", "--no-serve", "--addrport", "127.0.0.1:8123")
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out


def _all_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m._meta.app_label in {"roles", "hiring", "scorecards"}]
