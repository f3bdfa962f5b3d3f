"""Signing in through the provider: mozilla-django-oidc's backend, held to the checks an
ID token needs and the app's rules for people.

The token: signed by one of the provider's keys (found by its `kid`; a provider that
sends none and publishes exactly one key of the token's type gets that key), by an
asymmetric algorithm only, issued by the configured issuer to this app (audience),
not expired, carrying the nonce this browser's sign-in started with.

The person: found by the provider's subject (`Profile.sso_subject`) once linked; the
first time, by an email address the provider says is verified; otherwise created.
Inactive people, email domains not allowed, and an unverified email that names an
existing person are refused. Where OIDC_GROUP_MAP is set, the groups it maps follow
the claim at each sign-in; the others stay as an administrator set them.

Every refusal raises `SignInRefused` with a sentence for the person; the callback view
shows it (Django's authenticate() lets any exception but PermissionDenied through).
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from hiring_site.models import Profile
from hiring_site.sso import provider
from hiring_site.sso.config import SSOConfig

logger = logging.getLogger(__name__)

# Asymmetric algorithms only: accepting HS* would let the public key serve as a secret.
KEY_TYPES = {
    **dict.fromkeys(("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"), "RSA"),
    **dict.fromkeys(("ES256", "ES384", "ES512"), "EC"),
    "EdDSA": "OKP",
}
# Seconds of clock difference between the provider and this server that are forgiven.
LEEWAY = 60
# What the ID token says about itself, not about the person.
TOKEN_CLAIMS = {"iss", "aud", "exp", "iat", "nbf", "nonce", "auth_time", "at_hash", "c_hash"}


class SignInRefused(Exception):
    """A sign-in the app refuses; its message is written for the person signing in."""


def setting(attr: str, *default):
    """mozilla-django-oidc's settings, the provider's from settings.SSO."""
    sso = settings.SSO
    if sso is not None:
        if attr == "OIDC_RP_CLIENT_ID":
            return sso.client_id
        if attr == "OIDC_RP_CLIENT_SECRET":
            return sso.client_secret
        if attr == "OIDC_RP_SCOPES":
            return " ".join(sso.scopes)
    if default:
        return getattr(settings, attr, default[0])
    return getattr(settings, attr)


def is_verified(claims: dict) -> bool:
    # Some providers send the boolean as a string.
    return claims.get("email_verified") in (True, "true", "True")


class OIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # The parent reads the endpoints from settings here; ours come from the
        # discovery document, fetched only when a sign-in needs them (this backend is
        # also instantiated to load the user of every request).
        self.UserModel = get_user_model()

    def get_user(self, user_id):
        # mozilla-django-oidc's loads inactive users too; Django's refuses them, so a
        # person deactivated while signed in is signed out at their next request.
        return ModelBackend.get_user(self, user_id)

    @property
    def sso(self) -> SSOConfig:
        sso = provider.config()
        if sso is None:
            raise SignInRefused("Single sign-on is not set up on this site.")
        return sso

    @property
    def provider(self) -> provider.Provider:
        try:
            return provider.discover(self.sso)
        except provider.ProviderUnavailable as exc:
            raise SignInRefused(str(exc)) from None

    # mozilla-django-oidc's attribute names, from the config and the discovery document.
    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return self.sso.client_id

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return self.sso.client_secret

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802
        return self.provider.token_endpoint

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return self.provider.userinfo_endpoint

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return self.provider.jwks_uri

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as exc:
            logger.warning("OIDC sign-in failed talking to the provider: %s", exc)
            raise SignInRefused(
                f"{self.sso.display_name} did not complete the sign-in (it refused the "
                "answer this browser brought back, or could not be reached). Start again."
            ) from None

    # --- the token ----------------------------------------------------------------------

    def verify_token(self, token, **kwargs):
        sso = self.sso
        try:
            header = jwt.get_unverified_header(token or "")
        except jwt.InvalidTokenError:
            raise self._refused("its sign-in token could not be read") from None
        algorithm = header.get("alg")
        if algorithm not in KEY_TYPES:
            raise self._refused(f"its token is signed with {algorithm!r}, which is not allowed")
        key = self.retrieve_matching_jwk(token)
        issuer = sso.issuer or self.provider.issuer
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=sso.client_id,
                issuer=[issuer, issuer.rstrip("/"), issuer.rstrip("/") + "/"],
                leeway=LEEWAY,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise self._refused("its sign-in token has expired") from None
        except jwt.InvalidAudienceError:
            raise self._refused("its sign-in token was issued for another application") from None
        except jwt.InvalidIssuerError:
            raise self._refused(
                "its sign-in token was issued by another provider than the one this site trusts"
            ) from None
        except jwt.InvalidTokenError as exc:
            logger.warning("OIDC ID token refused: %s", exc)
            raise self._refused("its sign-in token could not be verified") from None
        audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        if len(audiences) > 1 and payload.get("azp") != sso.client_id:
            raise self._refused("its sign-in token was issued for another application")
        if payload.get("nonce") != kwargs.get("nonce"):
            # A token made for another sign-in than the one this browser started: replayed.
            raise self._refused("its sign-in token belongs to another sign-in (a replay)")
        return payload

    def retrieve_matching_jwk(self, token):
        """The provider's key for `token`: the one its `kid` names; without a kid, the
        only key of the token's type (the single-key providers that send none)."""
        header = jwt.get_unverified_header(token)
        algorithm = header["alg"]
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=provider.TIMEOUT)
        response.raise_for_status()
        try:
            keys = response.json().get("keys", [])
        except (ValueError, AttributeError):
            keys = []
        usable = [
            key
            for key in keys
            if isinstance(key, dict)
            and key.get("kty") == KEY_TYPES[algorithm]
            and key.get("use", "sig") == "sig"
            and key.get("alg", algorithm) == algorithm
        ]
        kid = header.get("kid")
        if kid is not None:
            matching = [key for key in usable if key.get("kid") == kid]
        else:
            matching = usable if len(usable) == 1 else []
        if len(matching) != 1:
            logger.warning("OIDC: no single key for kid %r among %d usable keys", kid, len(usable))
            raise self._refused("its sign-in token is signed with a key it does not publish")
        try:
            return jwt.PyJWK(matching[0], algorithm=algorithm)
        except jwt.PyJWKError:
            raise self._refused("its signing key could not be read") from None

    def _refused(self, what: str) -> SignInRefused:
        return SignInRefused(
            f"Signing in with {self.sso.display_name} was refused: {what}. Start again; "
            "if it happens again, tell your administrator."
        )

    # --- the person ---------------------------------------------------------------------

    def get_userinfo(self, access_token, id_token, payload):
        claims = {k: v for k, v in payload.items() if k not in TOKEN_CLAIMS}
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(userinfo, dict) or userinfo.get("sub") != payload["sub"]:
                raise self._refused("its user information is about someone else")
            claims.update({k: v for k, v in userinfo.items() if k not in TOKEN_CLAIMS})
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        sso = self.sso
        claims = self.get_userinfo(access_token, id_token, payload)
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise SignInRefused(
                f"{sso.display_name} did not tell this site your email address, which it "
                "needs to know who you are. Tell your administrator."
            )
        email = email.strip()
        domain = email.rsplit("@", 1)[1].lower()
        if sso.allowed_domains and domain not in sso.allowed_domains:
            raise SignInRefused(
                f"Email addresses at {domain} may not sign in to this site. Sign in with "
                "your work account, or ask your administrator."
            )
        try:
            with transaction.atomic():
                user = self._find_or_create(claims, email, str(payload["sub"]))
                if not user.is_active:
                    raise SignInRefused(
                        "Your account on this site has been deactivated. If you still need "
                        "it, ask an administrator."
                    )
                self._update(user, claims, email)
                self._apply_groups(user, claims)
        except IntegrityError:
            # Two first sign-ins of one person at the same moment: one made the account.
            raise SignInRefused(
                "Another sign-in of yours was being completed at the same moment. Start again."
            ) from None
        return user

    def _find_or_create(self, claims, email, subject):
        linked = Profile.objects.select_related("user").filter(sso_subject=subject).first()
        if linked is not None:
            return linked.user
        same_email = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if same_email:
            if not is_verified(claims):
                raise SignInRefused(
                    f"{self.sso.display_name} has not verified your email address {email}, "
                    "and an account here already has it, so this sign-in cannot be "
                    "linked to it. Verify your address with the provider, or ask your "
                    "administrator."
                )
            if len(same_email) > 1:
                raise SignInRefused(
                    f"More than one account here has the email address {email}; ask your "
                    "administrator to keep only one."
                )
            user = same_email[0]
            profile, _ = Profile.objects.get_or_create(user=user)
            if profile.sso_subject:
                raise SignInRefused(
                    f"The account here with the email address {email} is linked to "
                    f"another {self.sso.display_name} account. Ask your administrator."
                )
            profile.sso_subject = subject
            profile.save(update_fields=["sso_subject"])
            return user
        user = self.UserModel.objects.create_user(self._free_username(email), email=email)
        Profile.objects.update_or_create(user=user, defaults={"sso_subject": subject})
        logger.info("OIDC: created user %s for %s", user.pk, email)
        return user

    def _free_username(self, email: str) -> str:
        field = self.UserModel._meta.get_field("username")
        base = email.lower()[: field.max_length]
        candidate, n = base, 1
        while self.UserModel.objects.filter(username__iexact=candidate).exists():
            n += 1
            suffix = f"-{n}"
            candidate = base[: field.max_length - len(suffix)] + suffix
        return candidate

    def _update(self, user, claims, email):
        """Names from the provider; its email once verified, unless another person has it."""
        changed = []
        names = {"first_name": claims.get("given_name"), "last_name": claims.get("family_name")}
        if not any(names.values()) and isinstance(claims.get("name"), str):
            first, _, last = claims["name"].strip().partition(" ")
            names = {"first_name": first, "last_name": last}
        for field, value in names.items():
            if isinstance(value, str) and value.strip() and getattr(user, field) != value.strip():
                max_length = self.UserModel._meta.get_field(field).max_length
                setattr(user, field, value.strip()[:max_length])
                changed.append(field)
        if (
            user.email.lower() != email.lower()
            and is_verified(claims)
            and not self.UserModel.objects.filter(email__iexact=email).exists()
        ):
            user.email = email
            changed.append("email")
        if changed:
            user.save(update_fields=changed)

    def _apply_groups(self, user, claims):
        sso = self.sso
        if not sso.group_map:
            return
        raw = claims.get(sso.groups_claim)
        if raw is None:
            logger.warning(
                "OIDC: the token of user %s has no %r claim; their mapped groups are removed",
                user.pk,
                sso.groups_claim,
            )
            values = []
        elif isinstance(raw, str):
            values = [raw]
        elif isinstance(raw, list):
            values = [value for value in raw if isinstance(value, str)]
        else:
            values = []
        wanted = set()
        for value in values:
            wanted |= sso.group_map.get(value, frozenset())
        managed = {
            name: Group.objects.get_or_create(name=name)[0] for name in sorted(sso.managed_groups)
        }
        current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
        if current - wanted:
            user.groups.remove(*[managed[name] for name in current - wanted])
        if wanted - current:
            user.groups.add(*[managed[name] for name in wanted - current])
        if hasattr(user, "_group_names"):
            del user._group_names
