"""One shape for every refusal: `{"detail": "..."}`, plus `"errors"` (field -> messages)
when the body or the query was not valid."""

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

INVALID = "The request is not valid: see errors."


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": INVALID, "errors": _as_errors(exc.detail)}
    elif not (isinstance(response.data, dict) and "detail" in response.data):
        response.data = {"detail": str(response.data)}
    return response


def _as_errors(detail):
    if isinstance(detail, dict):
        return {str(key): _as_errors(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_as_errors(item) for item in detail]
    return str(detail)
