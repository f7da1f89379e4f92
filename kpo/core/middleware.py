"""Request hygiene shared by every view."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse

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
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"code": "invalid", "message": MESSAGE}}, status=400)
            return HttpResponse(MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
