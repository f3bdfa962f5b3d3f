"""The single sign-on settings, read strictly from the environment.

`from_environment()` returns None when no provider is configured, an `SSOConfig`
otherwise; a bad value raises ImproperlyConfigured naming the variable, so that a typo
stops start-up instead of locking everyone out at the first sign-in. Pure: it imports
no model, so settings.py can call it.
"""

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from hiring_site.access import ADMINISTRATOR, HIRING_MANAGER, INTERVIEWER, RECRUITER

# The app's groups a claim value may map to.
MAPPABLE_GROUPS = (RECRUITER, HIRING_MANAGER, INTERVIEWER, ADMINISTRATOR)
DISCOVERY_PATH = "/.well-known/openid-configuration"
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
VARIABLES = (
    "OIDC_ISSUER",
    "OIDC_DISCOVERY_URL",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_DISPLAY_NAME",
    "OIDC_SCOPES",
    "OIDC_GROUPS_CLAIM",
    "OIDC_GROUP_MAP",
    "OIDC_ALLOWED_DOMAINS",
)


@dataclass(frozen=True)
class SSOConfig:
    client_id: str
    client_secret: str
    # The issuer tokens must carry; empty: the one the discovery document names.
    issuer: str = ""
    discovery_url: str = ""
    display_name: str = "single sign-on"
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    groups_claim: str = "groups"
    # Claim value -> the app's groups it gives. Empty: groups are granted in the app.
    group_map: dict[str, frozenset[str]] = field(default_factory=dict)
    # Lower-case email domains that may sign in; empty: any.
    allowed_domains: frozenset[str] = frozenset()

    def __post_init__(self):
        if not self.discovery_url:
            object.__setattr__(self, "discovery_url", self.issuer.rstrip("/") + DISCOVERY_PATH)

    @property
    def managed_groups(self) -> frozenset[str]:
        """The app's groups that sign-in sets from the claim (the others are left alone)."""
        return frozenset().union(*self.group_map.values())

    def origins(self) -> list[str]:
        """The provider's origins: the browser is sent there to sign in and out."""
        found = []
        for url in (self.issuer, self.discovery_url):
            if url:
                parts = urlsplit(url)
                origin = f"{parts.scheme}://{parts.netloc}"
                if origin not in found:
                    found.append(origin)
        return found


def from_environment(environ=None, *, debug: bool = True) -> SSOConfig | None:
    env = os.environ if environ is None else environ

    def value(name: str) -> str:
        return env.get(name, "").strip()

    issuer = _url(value("OIDC_ISSUER"), "OIDC_ISSUER", debug=debug)
    discovery_url = _url(value("OIDC_DISCOVERY_URL"), "OIDC_DISCOVERY_URL", debug=debug)
    if not issuer and not discovery_url:
        stray = [name for name in VARIABLES if value(name)]
        if stray:
            raise ImproperlyConfigured(
                f"{stray[0]} is set, but single sign-on needs OIDC_ISSUER (the provider's "
                "issuer URL) or OIDC_DISCOVERY_URL (its .well-known/openid-configuration)."
            )
        return None
    for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        if not value(name):
            raise ImproperlyConfigured(
                f"{name} must be set for single sign-on (the provider gives it when the "
                "app is registered there)."
            )
    scopes = tuple(value("OIDC_SCOPES").split()) or SSOConfig.scopes
    if "openid" not in scopes:
        raise ImproperlyConfigured(
            f"OIDC_SCOPES={value('OIDC_SCOPES')!r} must include 'openid' "
            "(space-separated, e.g. 'openid email profile groups')."
        )
    if "email" not in scopes:
        raise ImproperlyConfigured(
            f"OIDC_SCOPES={value('OIDC_SCOPES')!r} must include 'email': people are "
            "matched and created by their email address."
        )
    groups_claim = value("OIDC_GROUPS_CLAIM") or SSOConfig.groups_claim
    if any(ch.isspace() for ch in groups_claim):
        raise ImproperlyConfigured(
            f"OIDC_GROUPS_CLAIM={groups_claim!r} is not a claim name (no spaces)."
        )
    return SSOConfig(
        client_id=value("OIDC_CLIENT_ID"),
        client_secret=value("OIDC_CLIENT_SECRET"),
        issuer=issuer,
        discovery_url=discovery_url,
        display_name=value("OIDC_DISPLAY_NAME") or SSOConfig.display_name,
        scopes=scopes,
        groups_claim=groups_claim,
        group_map=parse_group_map(value("OIDC_GROUP_MAP"), "OIDC_GROUP_MAP"),
        allowed_domains=parse_domains(value("OIDC_ALLOWED_DOMAINS"), "OIDC_ALLOWED_DOMAINS"),
    )


def _url(raw: str, name: str, *, debug: bool) -> str:
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an http(s) URL.")
    if parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name}={raw!r} may not have a query or fragment.")
    if parts.scheme == "http" and not debug and parts.hostname not in _LOOPBACK:
        raise ImproperlyConfigured(
            f"{name}={raw!r} must use https when DEBUG is off: tokens and secrets travel to it."
        )
    return raw


def parse_group_map(raw: str, name: str) -> dict[str, frozenset[str]]:
    """'claim value=Group; other value=Group' -> {claim value: {Group, ...}}.

    Entries are separated by ';' or new lines, and split at their last '=', so a claim
    value may itself hold '=' and ',' (an LDAP DN: 'CN=Recruiters,OU=Groups=Recruiter').
    A value given twice maps to each of its groups."""
    by_lower = {group.lower(): group for group in MAPPABLE_GROUPS}
    mapping: dict[str, set[str]] = {}
    for entry in raw.replace("\n", ";").split(";"):
        if not entry.strip():
            continue
        claim_value, sep, group = entry.rpartition("=")
        claim_value, group = claim_value.strip(), group.strip()
        if not sep or not claim_value:
            raise ImproperlyConfigured(
                f"{name}: {entry.strip()!r} is not 'claim value=Group' (entries separated by ';')."
            )
        if group.lower() not in by_lower:
            raise ImproperlyConfigured(
                f"{name}: {group!r} is not one of the app's groups ({', '.join(MAPPABLE_GROUPS)})."
            )
        mapping.setdefault(claim_value, set()).add(by_lower[group.lower()])
    return {value: frozenset(groups) for value, groups in mapping.items()}


def parse_domains(raw: str, name: str) -> frozenset[str]:
    domains = set()
    for item in raw.split(","):
        domain = item.strip().lower().removeprefix("@")
        if not domain:
            continue
        labels = domain.split(".")
        if len(labels) < 2 or not all(
            label and all(ch.isalnum() or ch == "-" for ch in label) for label in labels
        ):
            raise ImproperlyConfigured(
                f"{name}: {item.strip()!r} is not an email domain (e.g. example.com)."
            )
        domains.add(domain)
    return frozenset(domains)
