"""People as administrators manage them (the pages: hiring_site/people_views.py): the
list, invitations to set a password, groups, deactivation.

An invitation is a link with a random token (`secrets.token_urlsafe`); the database
keeps only its SHA-256 digest (`Invitation.token_digest`), so reading the table opens
no account. A link works once, until INVITATION_EXPIRY_DAYS have passed, and not after
a newer invitation of the same person or their deactivation. Sending is
`send_invitation`, one small function, so that another way of sending mail (an outbox)
replaces it in one place.
"""

import hashlib
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Prefetch, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hiring_site.access import ADMINISTRATOR, HIRING_MANAGER, INTERVIEWER, RECRUITER
from hiring_site.models import Invitation

logger = logging.getLogger(__name__)

# The groups the people pages set, in the order they show them.
MANAGED_GROUPS = (RECRUITER, HIRING_MANAGER, INTERVIEWER, ADMINISTRATOR)
# Characters Django's username validator refuses, replaced in a username made of an email.
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]")


def managed_groups():
    """The groups of MANAGED_GROUPS, in its order."""
    order = Case(*(When(name=name, then=i) for i, name in enumerate(MANAGED_GROUPS)))
    return Group.objects.filter(name__in=MANAGED_GROUPS).order_by(order)


def people():
    """Everyone, with their groups (one query more) and whether an invitation of theirs
    is waiting to be accepted, in the order the list shows them."""
    return (
        get_user_model()
        .objects.annotate(
            invited=Exists(Invitation.objects.pending().filter(user_id=OuterRef("pk")))
        )
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("first_name", "last_name", "username", "id")
    )


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def username_for(email: str) -> str:
    """The username of a person invited by `email`: the address, lowercased, with any
    character a username may not hold replaced."""
    return _NOT_IN_USERNAME.sub("_", email.lower())[:150]


class AlreadyHasAccount(Exception):
    """Someone already signs in with this email or its username."""

    def __init__(self, user):
        super().__init__(user)
        self.user = user


def invite(*, email: str, first_name: str, last_name: str, groups, by):
    """A new person, who cannot sign in until they set a password through the link of
    their invitation: (the user, the link's token). Raises AlreadyHasAccount for an email
    (or its username) someone has, however the two requests of a double submit
    interleave: the username is unique in the database."""
    User = get_user_model()
    username = username_for(email)
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    if existing is None:
        existing = User.objects.filter(username=username).first()
    if existing is not None:
        raise AlreadyHasAccount(existing)
    try:
        with transaction.atomic():
            user = User(username=username, email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
            user.groups.set(groups)
            token = new_invitation(user, by=by)
    except IntegrityError:
        # The other request of a double submit created the same username first.
        raise AlreadyHasAccount(User.objects.get(username=username)) from None
    return user, token


def new_invitation(user, *, by) -> str:
    """A new invitation of `user`, replacing any still pending; its link's token."""
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
        Invitation.objects.create(
            user=user,
            token_digest=digest(token),
            invited_by=by,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_EXPIRY_DAYS),
        )
    return token


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("invitation", kwargs={"token": token})


def send_invitation(user, token: str, *, by) -> bool:
    """Email `user` the link of their invitation (Django's send_mail, through
    EMAIL_BACKEND); False, and logged, if the mail server refused it."""
    context = {
        "user": user,
        "link": invitation_link(token),
        "invited_by": by,
        "days": settings.INVITATION_EXPIRY_DAYS,
    }
    subject = render_to_string("people/invitation_subject.txt", context).strip()
    body = render_to_string("people/invitation_email.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # any failure of the mail server: the page says so, nothing is lost
        logger.exception("The invitation of user %s could not be sent", user.pk)
        return False
    return True


def invitation_of(token: str):
    """The invitation a link's token names, with its person, or None."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("user").filter(token_digest=digest(token)).first()


class InvitationNotValid(Exception):
    """The invitation was used, replaced or expired meanwhile (a second submit)."""


def accept(invitation, password: str):
    """Set the person's password and mark the invitation used, once: of two submits at
    once, the second finds it used (the row is locked) and raises InvitationNotValid."""
    with transaction.atomic():
        current = (
            Invitation.objects.select_for_update()
            .select_related("user")
            .filter(pk=invitation.pk)
            .first()
        )
        if current is None or current.state != Invitation.State.PENDING:
            raise InvitationNotValid
        if not current.user.is_active:
            raise InvitationNotValid
        user = current.user
        user.set_password(password)
        user.save(update_fields=["password"])
        current.used_at = timezone.now()
        current.save(update_fields=["used_at"])
    return user


def end_sessions(user) -> int:
    """Delete every stored session of `user` (they are signed out everywhere); the
    number deleted. Sessions are not indexed by user, so each open one is read."""
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(
            chunk_size=500
        )
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def deactivate(user) -> None:
    """`user` can no longer sign in (by password, or with a session they had), and their
    pending invitation stops working. Their cards, decisions and interviews stay theirs."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        Invitation.objects.filter(user=user, used_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        end_sessions(user)


def reactivate(user) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
