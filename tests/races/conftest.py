"""Fixtures of the race tests."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The factories give every user a password; the default hasher's deliberate slowness
    # would dominate these tests, which build several users each and never log in by
    # password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
