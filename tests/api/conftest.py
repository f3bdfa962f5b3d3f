"""Calling the API as a token's owner: `api(user)` gives a caller whose requests carry
`Authorization: Bearer <a token of user>` (None: no token), JSON bodies in and out."""

import json

import pytest
from django.test import Client

from api.models import ApiToken


class Caller:
    def __init__(self, user):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _, token = ApiToken.issue(user, "tests")
            self.token = token
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def _send(self, method, url, body=None, **extra):
        kwargs = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(url, **kwargs)

    def get(self, url, **extra):
        return self._send("get", url, **extra)

    def post(self, url, body=None, **extra):
        return self._send("post", url, {} if body is None else body, **extra)

    def put(self, url, body=None, **extra):
        return self._send("put", url, {} if body is None else body, **extra)

    def patch(self, url, body=None, **extra):
        return self._send("patch", url, {} if body is None else body, **extra)

    def delete(self, url, **extra):
        return self._send("delete", url, **extra)


@pytest.fixture
def api(db):
    return Caller


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """The rate limit has tests of its own (test_auth.py)."""
    settings.API_RATE_LIMIT = "100000/minute"
