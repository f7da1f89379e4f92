"""``/zoeken/``: the search page and its htmx autocomplete.

Thin: parse, call the selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from search.engine import EngineError
from search.query import FACETS, InvalidSearch
from search.selectors import search_for_user, suggest_for_user

ENGINE_DOWN_MESSAGE = (
    "De zoekfunctie is op dit moment niet beschikbaar. De rest van het platform werkt gewoon; "
    "probeer het over een paar minuten opnieuw."
)

FACET_TITLES = {
    "type": "Soort inhoud",
    "theme": "Thema",
    "region": "Regio",
    "organisation": "Organisatie",
    "doc_type": "Documentsoort",
    "year": "Jaar",
}


def facet_links(
    query: QueryDict, name: str, selected: str | None, buckets: list[dict]
) -> list[dict]:
    """Each bucket with the link that toggles it: the current query string without the page
    number, with facet ``name`` set to the bucket's value, or without it for the selected one.
    (Built once per facet from the query's pairs: a template tag copying the ``QueryDict`` for
    every bucket cost a tenth of the search page's CPU.)"""
    pairs = [(k, v) for k, values in query.lists() if k != "pagina" for v in values]
    placed = any(k == name for k, _v in pairs)
    links = []
    for bucket in buckets:
        value = str(bucket["value"])
        off = selected == value
        out: list[tuple[str, str]] = []
        for k, v in pairs:
            if k != name:
                out.append((k, v))
            elif not off and (name, value) not in out:
                out.append((name, value))
        if not placed and not off:
            out.append((name, value))
        links.append({**bucket, "url": "?" + urlencode(out), "selected": off})
    return links


@require_GET
def search_page(request):
    q = request.GET.get("q", "")
    filters = {name: request.GET.get(name) for name in FACETS if request.GET.get(name)}
    context = {"query": q, "filters": filters, "sort": request.GET.get("sort", "relevance")}
    status = 200
    try:
        result = search_for_user(
            user=request.user,
            q=q,
            filters=filters,
            page=request.GET.get("pagina", 1),
            sort=request.GET.get("sort"),
        )
    except InvalidSearch as exc:
        context["error"] = exc.message
        status = 400
    except EngineError:
        context["engine_down"] = ENGINE_DOWN_MESSAGE
        status = 503
    else:
        paginator = Paginator(range(min(result.count, 1000)), result.page_size)
        context.update(
            result=result,
            page_obj=paginator.get_page(result.page),
            facets=[
                {
                    "name": name,
                    "title": FACET_TITLES[name],
                    "selected": filters.get(name),
                    "buckets": facet_links(
                        request.GET, name, filters.get(name), result.facets.get(name, [])
                    ),
                }
                for name in FACETS
                if result.facets.get(name)
            ],
        )
    return render(request, "search/search.html", context, status=status)


@require_GET
def suggestions(request):
    """htmx fragment: up to eight titles the user may see, or nothing."""
    try:
        items = suggest_for_user(user=request.user, q=request.GET.get("q", ""))
    except EngineError:
        items = []
    return render(request, "search/_suggestions.html", {"items": items})


@require_GET
def autocomplete(request):
    """The header search box's combobox options (``search/autocomplete.js``): up to eight titles
    the user may see, tolerant of one typo; an empty list when the engine is down."""
    try:
        items = suggest_for_user(user=request.user, q=request.GET.get("q", ""))
    except EngineError:
        items = []
    return render(request, "search/_autocomplete_options.html", {"items": items})
