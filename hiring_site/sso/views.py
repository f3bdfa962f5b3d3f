"""The login page, the start and the callback of a sign-in through the provider, and
signing out (here, and at the provider where it offers an end-session endpoint).

With PASSWORD_LOGIN off the login page shows only "Sign in with <name>" and a password
posted to it anyway is refused (403), as at the admin's login page.
"""

import logging

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from hiring_site.sso import provider
from hiring_site.sso.backend import SignInRefused, setting

logger = logging.getLogger(__name__)

# Where the ID token is kept, the hint of the end-session request (mozilla-django-oidc's key).
HINT_SESSION_KEY = "oidc_id_token"
PROVIDER_ONLY = "Password login is turned off on this site: sign in with {name}."


def password_login_refused() -> PermissionDenied:
    sso = provider.config()
    name = sso.display_name if sso else "single sign-on"
    return PermissionDenied(PROVIDER_ONLY.format(name=name))


class LoginView(auth_views.LoginView):
    """Django's login view, with "Sign in with <name>" beside (or instead of) the form."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            raise password_login_refused()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sso = provider.config()
        context["password_login"] = settings.PASSWORD_LOGIN
        if sso is not None:
            next_url = context.get("next")
            start = reverse("sso_start")
            context["sso_name"] = sso.display_name
            context["sso_start"] = f"{start}?{urlencode({'next': next_url})}" if next_url else start
        return context


def _refused(request, reason: str, status: int = 403):
    logger.info("OIDC sign-in refused: %s", reason)
    return render(request, "registration/sso_refused.html", {"reason": reason}, status=status)


def _require_sso():
    sso = provider.config()
    if sso is None:
        raise Http404("Single sign-on is not set up on this site.")
    return sso


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with a state and nonce kept in its session."""

    get_settings = staticmethod(setting)

    def __init__(self, **kwargs):
        # The parent reads the authorization endpoint here; it comes from discovery.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        sso = _require_sso()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.discover(sso).authorization_endpoint
        except provider.ProviderUnavailable as exc:
            return _refused(request, str(exc), status=503)
        self.OIDC_RP_CLIENT_ID = sso.client_id
        return super().get(request)


ALREADY_USED = (
    "This sign-in has already been used, or was started in another browser or before "
    "you last signed out. Start again from the login page."
)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a refusal is a page saying why."""

    get_settings = staticmethod(setting)

    def get(self, request):
        _require_sso()
        pending = request.session.get("oidc_states") or {}
        if request.GET.get("error") and request.GET.get("state") not in pending:
            # mozilla-django-oidc signs the person out on any error; only the provider's
            # answer to a sign-in this browser started may (a link elsewhere may not).
            return _refused(request, ALREADY_USED)
        try:
            return super().get(request)
        except SignInRefused as refusal:
            return _refused(request, str(refusal))
        except SuspiciousOperation:
            # mozilla-django-oidc: the state is not one this session is waiting for.
            return _refused(request, ALREADY_USED)

    def login_failure(self):
        request, sso = self.request, provider.config()
        error = request.GET.get("error")
        if error:
            said = request.GET.get("error_description") or error
            reason = f"{sso.display_name} did not sign you in ({said[:200]}). Start again."
            return _refused(request, reason)
        if hasattr(self, "user"):
            # The backends turned it down without a reason (e.g. the login throttle).
            return _refused(request, f"Signing in with {sso.display_name} did not succeed.")
        if "code" in request.GET and "state" in request.GET:
            return _refused(request, ALREADY_USED)
        if "code" in request.GET or "state" in request.GET:
            return _refused(request, ALREADY_USED, status=400)
        return _refused(
            request,
            "This page is where the sign-in provider sends you back; it was opened without "
            "what the provider sends. Start again from the login page.",
            status=400,
        )


@require_POST
def logout(request):
    """Ends the session here; for someone who signed in with the provider, then sends the
    browser to end the provider's session too, which sends it back to the login page."""
    sso = provider.config()
    id_token = request.session.get(HINT_SESSION_KEY, "")
    back = reverse(settings.LOGOUT_REDIRECT_URL)
    auth.logout(request)
    if sso is not None and id_token:
        url = provider.end_session_url(sso, id_token, request.build_absolute_uri(back))
        if url:
            return redirect(url)
    return redirect(back)
