"""Request hygiene shared by every view."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware

from kpo.core.problems import is_api_request, problem_response

NUL = "\x00"
MESSAGE = "Het verzoek bevat een ongeldig teken (NUL)."


class RejectNulBytesMiddleware:
    """Refuse query parameters and paths with NUL bytes with a 400 before any view runs.

    PostgreSQL cannot store or compare text containing NUL; without this, a filter such as
    ``?q=%00`` reaches a query and ends in a database error (a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
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
