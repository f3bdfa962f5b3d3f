"""The OpenAPI schema of the API (drf-spectacular), with the refusals every operation may
answer documented, so that a client (and schemathesis) knows each answer's shape."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.JSONField(required=False, help_text="Field name -> messages.")


# Every operation may be refused for these reasons; writes may also conflict (409).
REFUSALS = ("400", "401", "403", "404", "429")


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = REFUSALS if self.method == "GET" else (*REFUSALS, "409")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token: your profile page, or "
            "`manage.py create_api_token USERNAME`.",
        }
