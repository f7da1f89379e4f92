from django.http import JsonResponse
from django.shortcuts import render


def accessibility(request):
    return render(request, "kpo/accessibility.html")


def privacy(request):
    return render(request, "kpo/privacy.html")


def page_not_found(request, exception=None):
    """404 page; under ``/api/`` the platform's JSON error format (also for a URL that matches no
    route, e.g. an id out of range)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "not_found", "message": "Niet gevonden."}}, status=404
        )
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
