"""A real OpenID Connect provider for the tests: the `oidc-provider-mock` package's WSGI
app, served on 127.0.0.1 on a free port from a thread, for the whole session.

Its users are registered with the claims a test needs (`add_user`); claims such as
`iss`, `aud` or `exp` given to a user override the ID token's own, which is how the
tests get a token from another issuer, for another application, or already expired.
By default it signs tokens without a `kid`, as the package does; `with_key_ids()` makes
it send one (as real providers do) and publish a second, unrelated key beside its own.
"""

import contextlib
import json
import os
import threading
import time
import uuid
import warnings
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
import werkzeug.serving
from cryptography.hazmat.primitives.asymmetric import rsa

from hiring_site.sso import provider as sso_provider
from hiring_site.sso.config import SSOConfig

CLIENT_ID = "scorecards-tests"
CLIENT_SECRET = "scorecards-tests-secret"


def _decoy_key() -> dict:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    key.update({"kid": "another-key", "use": "sig", "alg": "RS256"})
    return key


@dataclass
class MockProvider:
    url: str
    extra_keys: list = field(default_factory=list)

    def add_user(self, email: str, *, sub: str | None = None, **claims) -> str:
        """Registers a person at the provider; returns their subject (`sub`)."""
        sub = sub or f"user-{uuid.uuid4().hex[:12]}"
        claims = {"email": email, "email_verified": True, **claims}
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()
        return sub

    def config(self, **overrides) -> SSOConfig:
        values = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "issuer": self.url,
            "display_name": "Acme ID",
        }
        values.update(overrides)
        return SSOConfig(**values)

    def authorize(self, authorize_url: str, sub: str) -> str:
        """What the person does on the provider's page: sign in as `sub`. Returns the
        URL the provider sends the browser back to (the app's callback)."""
        response = requests.post(
            authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"]


def expired_at() -> int:
    """An `exp` an hour ago: past the backend's leeway for clock differences."""
    return int(time.time()) - 3600


@contextlib.contextmanager
def serve():
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # http on 127.0.0.1
    import flask

    with warnings.catch_warnings(record=True):
        # The package imports authlib's older modules, which warn (authlib turns its
        # own warnings on as it loads); not ours to fix.
        import oidc_provider_mock

    app = oidc_provider_mock.app(require_nonce=True)
    mock = MockProvider(url="")

    @app.after_request
    def _publish_extra_keys(response):
        if flask.request.path == "/jwks" and mock.extra_keys:
            document = response.get_json()
            document["keys"].extend(mock.extra_keys)
            response.set_data(json.dumps(document))
        return response

    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    mock.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield mock
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def with_key_ids(monkeypatch, mock: MockProvider) -> None:
    """Tokens signed with a `kid` naming the provider's key, and a second key in its JWKS."""
    from oidc_provider_mock import _app

    original = _app.OpenIDCode.get_jwt_config

    def get_jwt_config(self, grant, client=None):
        config = original(self, grant, client)
        config["kid"] = config["key"]["kid"]
        return config

    monkeypatch.setattr(_app.OpenIDCode, "get_jwt_config", get_jwt_config)
    monkeypatch.setattr(mock, "extra_keys", [_decoy_key()])


def use(settings, mock: MockProvider, **overrides) -> SSOConfig:
    """Points the app at `mock` (settings.SSO, and the CSP's form-action for sign-out)."""
    config = mock.config(**overrides)
    settings.SSO = config
    policy = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
    policy["DIRECTIVES"]["form-action"] = ["'self'", *config.origins()]
    settings.CONTENT_SECURITY_POLICY = policy
    sso_provider.forget()
    return config


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def parse_qs_one(url: str, name: str) -> str:
    return parse_qs(urlsplit(url).query)[name][0]
