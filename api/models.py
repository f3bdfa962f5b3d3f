"""Personal API tokens: what a script or an ATS sends as `Authorization: Bearer <token>`.

A token is shown once, when it is made (the profile page, `create_api_token`); only its
SHA-256 digest is stored, so a copy of the database gives nobody a working token. The
token is 43 random URL-safe characters after a fixed prefix (256 bits), which is why a
plain digest suffices: there is nothing to guess, so no slow hash is needed.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# Every token starts with this, so a leaked one is recognisable (secret scanners).
PREFIX = "sct_"
TOKEN_BYTES = 32
NAME_LENGTH = 100


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=NAME_LENGTH)
    # SHA-256 of the token, hex; the token itself is never stored.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.user})"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token for `user`: the row, and the token to show once."""
        token = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        row = cls.objects.create(user=user, name=name.strip()[:NAME_LENGTH], key_hash=digest(token))
        return row, token

    @classmethod
    def find(cls, token: str) -> "ApiToken | None":
        """The active token `token` is, with its user, or None."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        return cls.objects.active().select_related("user").filter(key_hash=digest(token)).first()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    # A use is written at most this often, so a busy script does not write on every call.
    USE_RECORDED_EVERY = 60

    def record_use(self) -> None:
        now = timezone.now()
        last = self.last_used_at
        if last is None or (now - last).total_seconds() >= self.USE_RECORDED_EVERY:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
