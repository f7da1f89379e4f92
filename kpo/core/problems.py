"""API errors as Problem Details (RFC 9457, ``application/problem+json``), built in one place.

Every error under ``/api/`` — from DRF views (``kpo.core.api.exception_handler``), from
middleware (second factor pending, rate limit, NUL bytes) and from Django's 404/500 handlers —
is made here, so the body is the same everywhere::

    {"type": "urn:kpo:problem:invalid", "title": "Ongeldige invoer", "status": 400,
     "detail": "...", "instance": "/api/v1/documents", "code": "invalid",
     "invalid-params": [{"name": "year", "reason": "...", "code": "invalid"}]}

``code`` is the stable machine-readable reason (e.g. ``second_factor_required``,
``rate_limited``); ``type`` is the same code as a URN (RFC 9457 allows non-resolvable URIs).
``invalid-params`` lists every validation error at once (the RFC's own example extension).
Titles and details are Dutch.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"

TITLES = {
    400: _("Ongeldige invoer"),
    401: _("Niet ingelogd"),
    403: _("Geen toegang"),
    404: _("Niet gevonden"),
    405: _("Methode niet toegestaan"),
    406: _("Antwoordformaat niet beschikbaar"),
    409: _("Conflict"),
    413: _("Verzoek te groot"),
    415: _("Formaat van het verzoek niet ondersteund"),
    429: _("Te veel verzoeken"),
    500: _("Interne fout"),
    503: _("Dienst tijdelijk niet beschikbaar"),
}


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_type(code: str) -> str:
    return f"urn:kpo:problem:{code}"


def problem_body(
    *,
    status: int,
    code: str,
    detail: str,
    instance: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": str(TITLES.get(status, _("Fout"))),
        "status": status,
        "detail": str(detail),
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if invalid_params is not None:
        body["invalid-params"] = invalid_params
    if extra:
        body.update(extra)
    return body


def problem_response(
    *,
    request: HttpRequest | None,
    status: int,
    code: str,
    detail: str,
    invalid_params: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A plain Django response with a problem body (for middleware and URL-level handlers)."""
    body = problem_body(
        status=status,
        code=code,
        detail=detail,
        instance=request.path if request is not None else None,
        invalid_params=invalid_params,
        extra=extra,
    )
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )
    return response


def flatten_errors(data: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested validation errors (``{"field": ["msg"], "items": [{"x": ["msg"]}]}``) as a
    flat ``invalid-params`` list: ``name`` is the dotted path of the field ("items.0.x"),
    ``reason`` the message, ``code`` DRF's error code."""
    out: list[dict[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            out += flatten_errors(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in data):
            for item in data:
                out += flatten_errors(item, prefix)
        else:
            for index, item in enumerate(data):
                out += flatten_errors(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        out.append(
            {
                "name": prefix
                or str(settings.REST_FRAMEWORK.get("NON_FIELD_ERRORS_KEY", "non_field_errors")),
                "reason": str(data),
                "code": str(getattr(data, "code", None) or "invalid"),
            }
        )
    return out
