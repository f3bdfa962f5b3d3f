"""`Authorization: Bearer <token>`: a personal API token (api.models.ApiToken)."""

from rest_framework import authentication, exceptions

from api.models import ApiToken

KEYWORD = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: the session may still authenticate the request
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as `Authorization: Bearer <token>`, with no spaces in it."
            )
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("This token is not valid.") from None
        found = ApiToken.find(token)
        if found is None:
            raise exceptions.AuthenticationFailed("This token is not valid, or was revoked.")
        found.record_use()
        return found.user, found

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'
