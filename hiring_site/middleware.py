"""What every response of the site gets, whichever view made it.

- `ResponseHeaders`: a Permissions-Policy turning off the browser features no page uses,
  on every response; and `Cache-Control: no-store` on everything but the static files:
  the pages and files the app makes carry candidates' data (the panel, its JSON, the
  CSV, the cards, the application page and every list naming people), which neither a
  shared computer's browser cache nor a proxy may keep. One rule, so no page can miss it.
- `HeadAsGet`: HEAD answered as GET without the body (RFC 9110: the same headers),
  wherever GET is, whatever method decorator the view has.
- `ErrorPages`: a 400, 403 or 404 raised by a view is the app's own page with its
  reason (hiring_site.views), with DEBUG on too, where Django would show its technical
  pages instead.
- `UserTimeZone`: each request read and written in the time zone of the person making
  it (their Profile, hiring_site.models), kept in their session so that it costs no
  query; the site's TIME_ZONE for anyone who has none.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY as USER_ID_KEY
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control

from hiring_site import views
from hiring_site.models import SESSION_KEY, zone_named, zone_of


class ResponseHeaders:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED
        )
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if not request.path.startswith(self.static_prefix):
            patch_cache_control(response, no_store=True)
        return response


class HeadAsGet:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        # Django's own advice (require_safe): handle HEAD exactly like GET. The
        # Content-Length of the full answer stays, as HEAD's should.
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if not response.streaming:
            response.content = b""
        return response


class ErrorPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return views.permission_denied(request, exception)
        if isinstance(exception, BadRequest):
            return views.bad_request(request, exception)
        return None


class UserTimeZone:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = zone_named(self._zone_name(request))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _zone_name(request) -> str:
        session = getattr(request, "session", None)
        if session is None:
            return ""
        name = session.get(SESSION_KEY)
        if name is None:
            # A session from before the zone was kept in it (a login sets it): read it
            # once, by the session's user id, without loading the user.
            user_id = session.get(USER_ID_KEY)
            if user_id is None:
                return ""
            name = session[SESSION_KEY] = zone_of(user_id)
        return name
