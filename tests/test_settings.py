"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x9" * 30,
    "ALLOWED_HOSTS": "scorecards.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://scorecards.example.com",
}


def manage(*args, **env):
    # The subprocess sees only what the test gives it (the browser tests relax the ORM's
    # async guard for this process; production never has that variable).
    drop = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_secret_key_refuses_to_start():
    env = dict(PRODUCTION)
    env["SECRET_KEY"] = ""
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("x" * 60, "SECRET_KEY uses only 1 different characters"),
        ("abab" * 20, "SECRET_KEY uses only 2 different characters"),
        (
            "django-insecure-" + "k3y-x9" * 10,
            "SECRET_KEY starts with 'django-insecure-', the mark of a development key",
        ),
        ("k3y-x9q" * 5, "SECRET_KEY is 35 characters long; it needs at least 50"),
    ],
    ids=["one-character", "two-characters", "django-insecure", "too-short"],
)
def test_debug_off_with_a_weak_secret_key_refuses_to_start(key, message):
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last and message in last
    assert "secrets.token_urlsafe" in last  # how to make a good one


def test_debug_on_keeps_its_development_key():
    result = manage("check", DEBUG="1", SECRET_KEY="django-insecure-dev")
    assert result.returncode == 0, result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    env = dict(PRODUCTION)
    env["ALLOWED_HOSTS"] = ""
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL"),
        ("CONN_MAX_AGE", "ten", "CONN_MAX_AGE='ten' is not a whole number"),
        ("CSRF_TRUSTED_ORIGINS", "example.com", "CSRF_TRUSTED_ORIGINS entry 'example.com'"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(name, value, message):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_local_defaults_need_nothing_set():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_redis_url_gives_every_process_one_shared_cache():
    """Two processes with REDIS_URL set see each other's cache entries (Redis runs on
    127.0.0.1:6379 here and in CI)."""
    key = f"settings-test-{os.getpid()}"
    url = "redis://127.0.0.1:6379/15"
    write = manage(
        "shell",
        "-c",
        f"from django.core.cache import cache; cache.set('{key}', 'shared', 30)",
        REDIS_URL=url,
    )
    assert write.returncode == 0, write.stderr
    read = manage(
        "shell",
        "-c",
        "from django.core.cache import cache; from django.conf import settings; "
        f"print(settings.CACHES['default']['BACKEND'], cache.get('{key}'))",
        REDIS_URL=url,
    )
    last_line = read.stdout.strip().splitlines()[-1]
    assert last_line.split() == ["django.core.cache.backends.redis.RedisCache", "shared"]
