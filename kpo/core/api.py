"""Shared API plumbing: one exception handler (errors as RFC 9457 Problem Details, Dutch
texts), the API's pagination and filter backends, and the schema hooks (see
``kpo.core.openapi``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

from kpo.core.problems import PROBLEM_CONTENT_TYPE, flatten_errors, problem_body


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Deze dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw."
    default_code = "service_unavailable"


NON_FIELD_NAMES = ("non_field_errors", "detail")


def _validation_detail(invalid_params: list[dict[str, str]]) -> str:
    general = [p["reason"] for p in invalid_params if p["name"] in NON_FIELD_NAMES]
    fields = sorted({p["name"] for p in invalid_params if p["name"] not in NON_FIELD_NAMES})
    parts = list(general)
    if fields:
        parts.append(_("Controleer: %(fields)s.") % {"fields": ", ".join(fields)})
    return " ".join(parts) or _("De invoer is niet geldig.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is a Problem Details object (``kpo.core.problems``); a validation error
    lists every invalid parameter at once in ``invalid-params``."""
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Niet gevonden."))
    elif isinstance(exc, PermissionDenied):
        # A refusal that names its reason for the user (e.g. a suspension with its end date)
        # carries a ``problem_code``; any other keeps the general text.
        problem_code = getattr(exc, "problem_code", None)
        if problem_code:
            exc = exceptions.PermissionDenied(str(exc), code=problem_code)
        else:
            exc = exceptions.PermissionDenied(_("Je hebt hiervoor geen toestemming."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: Django's 500 handler answers (also problem+json)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}
    status_code = response.status_code
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # 401 with a challenge (RFC 9110), also when the session scheme (no challenge) is first.
        status_code = status.HTTP_401_UNAUTHORIZED
        headers["WWW-Authenticate"] = "Token"
    code = getattr(exc, "default_code", "error")
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    if isinstance(codes, str):
        code = codes
    request = context.get("request")
    instance = request.path if request is not None else None
    if isinstance(exc, exceptions.ValidationError):
        invalid = flatten_errors(response.data)
        body = problem_body(
            status=status_code,
            code="invalid",
            detail=_validation_detail(invalid),
            instance=instance,
            invalid_params=invalid,
        )
    else:
        data = response.data
        detail = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
        extra = None
        wait = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
        if wait:
            extra = {"retry_after": int(wait)}
        body = problem_body(
            status=status_code, code=code, detail=detail, instance=instance, extra=extra
        )
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def paginated_response(
    *,
    view: GenericAPIView,
    items: Any,
    serializer_class: type,
    to_data: Callable[[Any], Any] | None = None,
) -> Response:
    """A list an ``APIView`` built itself (a queryset or a list), paginated with the API's one
    pagination class (the view must be a ``GenericAPIView`` so that the schema shows it).
    ``to_data`` turns each item of the page into the serializer's input when that is not the
    item itself."""
    page = view.paginate_queryset(items)
    if page is None:  # pagination is always on; keep mypy and a misconfiguration honest
        page = list(items)
    rows = [to_data(item) for item in page] if to_data else page
    data = serializer_class(rows, many=True, context={"request": view.request}).data
    return view.get_paginated_response(data)
