"""Shared API plumbing: errors as JSON with a clear (Dutch) message."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Deze dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw."
    default_code = "service_unavailable"


def exception_handler(exc, context):
    """Every API error is ``{"error": {"code", "message", "details"}}``."""
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Niet gevonden.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("Je hebt hiervoor geen toestemming.")

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        message = "De invoer is niet geldig."
        details = data
    else:
        message = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
        details = None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return Response(body, status=response.status_code, headers=dict(response.headers))


def schema_only_platform_api(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: the schema documents ``/api/v1/`` only (not Wagtail's
    internal admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
