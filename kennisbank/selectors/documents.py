"""Reads of knowledge documents: the index with its filters and sorts, one document, the
theme section, and the zero-result overview of searches."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from kennisbank.models import (
    DocumentType,
    KennisbankIndexPage,
    KnowledgeDocumentPage,
    KnowledgeRequest,
)
from kpo.accounts.models import User
from kpo.core.access import filter_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User
    from kpo.themes.models import Theme


SORTS = {
    "recent": ("-first_published_at", "title"),
    "titel": ("title",),
    "jaar": ("-year", "title"),
    "beoordeeld": ("-last_reviewed_at", "title"),
}
DEFAULT_SORT = "recent"
INDEX_PAGE_SIZE = 20


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def document_index_for_user(*, user: Any, params: QueryDict) -> dict[str, Any]:
    """The kennisbank index page: filters (``thema``, ``type``, ``regio``, ``organisatie``,
    ``jaar``), sorting (``sorteer``) and paging (``pagina``) of the documents the user may read."""
    filters: dict[str, Any] = {
        "theme": params.get("thema") or None,
        "doc_type": params.get("type") or None,
        "region": params.get("regio") or None,
        "organisation": params.get("organisatie") or None,
        "year": _int_or_none(params.get("jaar")),
    }
    sort = params.get("sorteer") or DEFAULT_SORT
    documents = document_list_for_user(user=user, sort=sort, **filters)
    page_obj = Paginator(documents, INDEX_PAGE_SIZE).get_page(params.get("pagina"))
    query = params.copy()
    query.pop("pagina", None)
    return {
        "documents": page_obj,
        "page_obj": page_obj,
        "filters": filters,
        "sort": sort,
        "sorts": [
            ("recent", _("Nieuwste eerst")),
            ("titel", _("Titel")),
            ("jaar", _("Jaar")),
            ("beoordeeld", _("Laatst beoordeeld")),
        ],
        "options": document_filter_options_cached(user=user),
        "querystring": query.urlencode(),
    }


def kennisbank_index_page() -> KennisbankIndexPage | None:
    return KennisbankIndexPage.objects.live().first()


def document_list_for_user(
    *,
    user: User | AnonymousUser,
    theme: str | None = None,
    doc_type: str | None = None,
    region: str | None = None,
    organisation: str | None = None,
    year: int | None = None,
    sort: str = DEFAULT_SORT,
) -> QuerySet[KnowledgeDocumentPage]:
    """Live documents the user may read, filtered by slugs/year and sorted (``SORTS``)."""
    qs = filter_visible(KnowledgeDocumentPage.objects.live(), user)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if doc_type:
        qs = qs.filter(doc_type__slug=doc_type)
    if region:
        qs = qs.filter(regions__slug=region)
    if organisation:
        qs = qs.filter(organisations__slug=organisation)
    if year:
        qs = qs.filter(year=year)
    order = SORTS.get(sort or DEFAULT_SORT, SORTS[DEFAULT_SORT])
    return (
        qs.distinct()
        .select_related("doc_type", "community")
        .prefetch_related("themes")
        .order_by(*order)
    )


def document_get_for_user(*, user: User | AnonymousUser, pk: int) -> KnowledgeDocumentPage | None:
    return document_list_for_user(user=user).filter(pk=pk).first()


def document_filter_options(*, user: User | AnonymousUser) -> dict[str, Any]:
    """Choices for the filters, limited to values that occur in documents the user may see."""
    from kpo.accounts.models import Organisation, Region
    from kpo.themes.models import Theme

    visible = document_list_for_user(user=user).order_by().values("pk")
    return {
        "themes": Theme.objects.filter(knowledge_documents__in=visible)
        .distinct()
        .order_by("title"),
        "doc_types": DocumentType.objects.filter(documents__in=visible).distinct(),
        "regions": Region.objects.filter(
            pk__in=KnowledgeDocumentPage.regions.through.objects.filter(
                knowledgedocumentpage__in=visible
            ).values("region")
        ).order_by("name"),
        "organisations": Organisation.objects.filter(
            pk__in=KnowledgeDocumentPage.organisations.through.objects.filter(
                knowledgedocumentpage__in=visible
            ).values("organisation")
        ).order_by("name"),
        "years": sorted(
            {y for y in document_list_for_user(user=user).values_list("year", flat=True) if y},
            reverse=True,
        ),
    }


def document_filter_options_cached(*, user: User | AnonymousUser) -> dict[str, Any]:
    """``document_filter_options`` cached per principal set and content version (ADR 0013):
    the choices depend only on which documents the user may see."""
    from kpo.core.access import user_principals
    from kpo.core.fragments import cached_for_principals

    return cached_for_principals(
        "kennisbank-filter-options",
        user_principals(user),
        lambda: {k: list(v) for k, v in document_filter_options(user=user).items()},
    )


def theme_section(*, theme: Theme, user: User | AnonymousUser) -> dict[str, Any]:
    """The kennisbank's part of a theme page."""
    docs = document_list_for_user(user=user, theme=theme.slug)[:6]
    index = kennisbank_index_page()
    return {
        "key": "kennisbank",
        "title": "Kennisbank",
        "items": [{"title": d.title, "url": d.url, "summary": d.summary} for d in docs],
        "more_url": f"{index.url}?thema={theme.slug}" if index else "",
    }


def zero_result_overview(
    *, since: date, until: date, theme: str | None = None
) -> list[dict[str, Any]]:
    """The board's list: zero/low-result query groups of the period (``search.selectors``) with
    the kennisvraag already made from each, if any."""
    from search.selectors import query_log_groups

    groups = query_log_groups(since=since, until=until, theme=theme)
    existing = {
        (r.query, r.theme.slug if r.theme else ""): r
        for r in KnowledgeRequest.objects.select_related("theme").order_by("created_at")
    }
    return [{"group": g, "request": existing.get((g.query, g.theme))} for g in groups]
