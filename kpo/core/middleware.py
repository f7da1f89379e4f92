"""Request hygiene shared by every view."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware

from kpo.core.problems import is_api_request, problem_response

NUL = "\x00"
MESSAGE = "Het verzoek bevat een ongeldig teken (NUL)."


def _has_nul(items) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in items)


def _body_has_nul(request) -> bool:
    """NUL in a form field (urlencoded or multipart; files are not text) or in a JSON string
    (which can only carry it escaped, as ``\\u0000``)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.method == "POST" and _has_nul(request.POST.lists())
    if content_type == "application/json" or content_type.endswith("+json"):
        return b"\\u0000" in request.body
    return False


class RejectNulBytesMiddleware:
    """Refuse paths, query parameters and text in request bodies with NUL bytes with a 400
    before any view runs.

    PostgreSQL cannot store or compare text containing NUL; without this, a filter such as
    ``?q=%00`` or a form field with NUL reaches a query and ends in a database error (a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _has_nul(request.GET.lists()) or _body_has_nul(request):
            if is_api_request(request):
                return problem_response(
                    request=request,
                    status=400,
                    code="invalid",
                    detail=MESSAGE,
                    invalid_params=[{"name": "query", "reason": MESSAGE, "code": "invalid"}],
                )
            return HttpResponse(MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ApiVersionMiddleware:
    """Every response under ``/api/`` carries ``API-Version`` (the full SemVer version of the
    API, NL API Design Rules /core/version-header) — also errors made by other middleware.
    Placed outside every middleware that can answer on its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api_request(request):
            response["API-Version"] = settings.KPO_API_VERSION
        return response


class CommonMiddleware(DjangoCommonMiddleware):
    """Django's ``CommonMiddleware`` without ``APPEND_SLASH`` under ``/api/``: API URIs have no
    trailing slash, so an unknown API path is a 404 problem, never a redirect to a slashed URL
    (that the pages' catch-all route would match)."""

    def should_redirect_with_slash(self, request):
        if is_api_request(request):
            return False
        return super().should_redirect_with_slash(request)
