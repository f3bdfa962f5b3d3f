"""Strict readers for settings that come from environment variables.

A typo in production configuration should stop start-up with a message naming the
variable, not silently fall back to a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str | None = None, *, required_reason: str = "") -> str:
    raw = os.environ.get(name, "").strip()
    if raw:
        return raw
    if default is None:
        raise ImproperlyConfigured(f"{name} must be set {required_reason}".rstrip() + ".")
    return default


# What makes a secret key weak, as Django's deploy check (security.W009) judges it; here
# it stops start-up instead of warning, since a guessable key forges sessions.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5
_GENERATE = 'e.g. the output of python -c "import secrets; print(secrets.token_urlsafe(50))"'


def check_secret_key(key: str, name: str = "SECRET_KEY") -> str:
    """`key`, if it is strong enough for production; ImproperlyConfigured naming what
    is wrong otherwise."""
    if key.startswith("django-insecure-"):
        problem = "starts with 'django-insecure-', the mark of a development key"
    elif len(key) < SECRET_KEY_MIN_LENGTH:
        problem = f"is {len(key)} characters long; it needs at least {SECRET_KEY_MIN_LENGTH}"
    elif len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        problem = f"uses only {len(set(key))} different characters; a random key uses many more"
    else:
        return key
    raise ImproperlyConfigured(
        f"{name} {problem}. Set a long random string when DEBUG is off ({_GENERATE})."
    )
