"""Admin views of search (the Wagtail hooks register them): the synonym preview."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def synonym_preview_view(request):
    """Admin: "Synoniemen testen": what does this query expand to in the live index?"""
    from search.engine import EngineError
    from search.selectors import synonym_preview

    q = request.GET.get("q", "")
    context = {"q": q, "positions": [], "error": ""}
    try:
        context["positions"] = synonym_preview(q=q)
    except EngineError:
        context["error"] = _("De zoekmachine is niet bereikbaar.")
    return render(request, "search/admin/synonym_preview.html", context)
