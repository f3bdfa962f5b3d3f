"""The provider's discovery document (its endpoints and issuer), fetched when a sign-in
first needs it and kept for an hour in this process; and the URL that ends the
provider's own session when someone signs out here.

A provider that cannot be reached, or whose document is not what OpenID Connect
Discovery says, raises `ProviderUnavailable` with a sentence for the person signing in.
"""

import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings

from hiring_site.sso.config import SSOConfig

logger = logging.getLogger(__name__)

# Seconds a request to the provider may take, and a fetched document is kept.
TIMEOUT = 10
KEEP_FOR = 3600

_lock = threading.Lock()
_documents: dict[str, tuple[float, "Provider"]] = {}


class ProviderUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""
    end_session_endpoint: str = ""


def config() -> SSOConfig | None:
    return settings.SSO


def discover(sso: SSOConfig) -> Provider:
    now = time.monotonic()
    with _lock:
        kept = _documents.get(sso.discovery_url)
    if kept and now - kept[0] < KEEP_FOR:
        return kept[1]
    provider = _fetch(sso)
    with _lock:
        _documents[sso.discovery_url] = (now, provider)
    return provider


def forget() -> None:
    """Drop every kept document (the tests start each provider afresh)."""
    with _lock:
        _documents.clear()


def _fetch(sso: SSOConfig) -> Provider:
    unreachable = (
        f"{sso.display_name} cannot be reached right now, so signing in with it is not "
        "possible. Try again in a few minutes; if it lasts, tell your administrator."
    )
    try:
        response = requests.get(sso.discovery_url, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC discovery at %s failed: %s", sso.discovery_url, exc)
        raise ProviderUnavailable(unreachable) from None
    if not isinstance(document, dict):
        document = {}
    fields = {}
    for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        fields[name] = _http_url(document.get(name))
        if not fields[name]:
            logger.warning("OIDC discovery at %s has no valid %s", sso.discovery_url, name)
            raise ProviderUnavailable(unreachable)
    for name in ("userinfo_endpoint", "end_session_endpoint"):
        fields[name] = _http_url(document.get(name))
    if sso.issuer and fields["issuer"].rstrip("/") != sso.issuer.rstrip("/"):
        logger.warning(
            "OIDC discovery at %s names issuer %s, not OIDC_ISSUER %s",
            sso.discovery_url,
            fields["issuer"],
            sso.issuer,
        )
        raise ProviderUnavailable(
            f"{sso.display_name} is not set up as this site expects (it names another "
            "issuer), so signing in with it is refused. Tell your administrator."
        )
    return Provider(**fields)


def _http_url(value) -> str:
    if not isinstance(value, str):
        return ""
    parts = urlsplit(value)
    return value if parts.scheme in ("http", "https") and parts.hostname else ""


def end_session_url(sso: SSOConfig, id_token: str, return_to: str) -> str:
    """Where to send the browser to end the provider's session too (RP-Initiated Logout),
    then back to `return_to`; "" when the provider offers no end-session endpoint, or
    one outside the origins the pages' Content-Security-Policy lets a form go to."""
    try:
        endpoint = discover(sso).end_session_endpoint
    except ProviderUnavailable:
        return ""
    if not endpoint:
        return ""
    parts = urlsplit(endpoint)
    if f"{parts.scheme}://{parts.netloc}" not in sso.origins():
        logger.warning("OIDC end_session_endpoint %s is on another origin; not used", endpoint)
        return ""
    query = {"client_id": sso.client_id, "post_logout_redirect_uri": return_to}
    if id_token:
        query["id_token_hint"] = id_token
    separator = "&" if parts.query else "?"
    return f"{endpoint}{separator}{urlencode(query)}"
