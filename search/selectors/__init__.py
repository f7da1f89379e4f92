"""Reads of the search subsystem: what may this user find?

``search_for_user`` and ``suggest_for_user`` are the only entry points for views and the API.
Both pass the user's principals (``kpo.core.access.user_principals``) into the engine request as a
``bool.filter`` and then re-check every hit against the database (second gate,
``visible_doc_ids``): a hit whose object is gone, unpublished or no longer readable under the
access rule's database form (``kpo.core.access.filter_visible``) is dropped. The gate is one SQL
query per page of hits, reading primary keys only (issue #14).

Raises ``search.query.InvalidSearch`` (Dutch message) for bad input and
``search.engine.EngineUnavailable`` when the engine is down.

Results and facets live in ``search.selectors.results``, the query log in
``search.selectors.querylog``; both are re-exported here.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError

from kpo.core.access import can_read, filter_visible, user_principals
from search.engine import IndexMissing, SearchEngine, content_alias, get_engine
from search.query import (
    LEAN,
    SearchParams,
    clean_params,
    did_you_mean,
    join_responses,
    search_requests,
    similar_body,
    suggest_body,
)
from search.registry import model_for_label
from search.selectors.querylog import (
    STEM_ANALYZER,
    STEM_MAX_QUERIES,
    QueryGroup,
    log_low_result,
    query_log_groups,
    query_normalise,
    scrub_query,
)
from search.selectors.results import (
    REVIEW_MARKERS,
    SUMMARY_FIRST_TYPES,
    TYPE_LABELS,
    SearchPage,
    SearchResult,
    date_display,
    facet_labels,
    facets_from,
    search_result_from_hit,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User

logger = logging.getLogger(__name__)


# --- engine-level search (no DB gate) ----------------------------------------------------------
def search_raw(
    *,
    principals: frozenset[str],
    params: SearchParams,
    index: str | None = None,
    engine: SearchEngine | None = None,
) -> dict[str, Any]:
    """Run the search request for a set of principals; the raw engine response. The engine filter
    alone guarantees that nothing outside ``principals`` comes back (tests prove it)."""
    engine = engine or get_engine()
    target = index or content_alias()
    try:
        response = _run(engine, target, search_requests(principals, params))
        if needs_fuzzy_fallback(params, response):
            response = _run(engine, target, search_requests(principals, params, cost=FUZZY))
        return response
    except IndexMissing:
        logger.warning("Search index %s does not exist yet; run search_reindex.", index)
        return {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": {}}


FUZZY = LEAN.with_fuzzy()


def _run(engine: SearchEngine, index: str, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    if len(bodies) == 1:
        return engine.search(index, bodies[0])
    return join_responses(engine.msearch(index, bodies))


def needs_fuzzy_fallback(params: SearchParams, response: dict[str, Any]) -> bool:
    """The exact request found little: retry with typo tolerance (``QueryCost.fuzzy``)."""
    if not params.q:
        return False
    total = response["hits"]["total"]
    count = total["value"] if isinstance(total, dict) else int(total)
    return count < getattr(settings, "SEARCH_FUZZY_FALLBACK_BELOW", 3)


def suggest_raw(
    *,
    principals: frozenset[str],
    q: str,
    index: str | None = None,
    engine: SearchEngine | None = None,
    size: int = 8,
) -> list[dict[str, Any]]:
    return _hits(engine, index, suggest_body(principals, q, size=size))


def _hits(engine: SearchEngine | None, index: str | None, body: dict[str, Any]) -> list[Any]:
    """The hits of one body on the content index (none while it does not exist yet)."""
    engine = engine or get_engine()
    try:
        response = engine.search(index or content_alias(), body)
    except IndexMissing:
        return []
    return list(response["hits"]["hits"])


# --- second gate -------------------------------------------------------------------------------
def visible_doc_ids(*, user: User | AnonymousUser, hits: list[dict[str, Any]]) -> set[str]:
    """The hit ids whose database row still exists, is a search candidate
    (``search_queryset()``) and meets the user's principals *now*: the access rule's database
    form (``kpo.core.access.filter_visible``, the model's ``principals_q``), independent of the
    principals the index stored when it was built (defence in depth against a stale index).

    One SQL query for all the hits, whatever their number and models (a ``UNION`` of one
    primary-key-only select per model): nothing the engine already returned is loaded again.
    Hits of unknown models, of models outside the access rule or with malformed ids are dropped
    (fail closed)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast

    by_label: dict[str, list[Any]] = {}
    for hit in hits:
        label, _, pk = str(hit.get("_id", "")).partition(":")
        model: type[Any] | None = model_for_label(label)
        if model is None or not hasattr(model, "principals_q"):
            continue  # unknown content, or content outside the access rule: fail closed
        try:
            by_label.setdefault(label, []).append(model._meta.pk.to_python(pk))
        except ValidationError:
            continue
    selects = []
    for label, pks in by_label.items():
        model = model_for_label(label)
        candidates = model.search_queryset().filter(pk__in=pks)  # type: ignore[union-attr]
        selects.append(
            filter_visible(candidates, user)
            .select_related(None)
            .prefetch_related(None)
            .order_by()
            .values_list(
                Value(label, output_field=CharField()), Cast("pk", output_field=CharField())
            )
        )
    if not selects:
        return set()
    union = selects[0].union(*selects[1:]) if len(selects) > 1 else selects[0]
    return {f"{label}:{pk}" for label, pk in union}


# Types whose summary is the best snippet (a theme's body is its intro plus the synonym list).
# --- the selectors -----------------------------------------------------------------------------
def search_for_user(
    *,
    user: User | AnonymousUser,
    q: str | None,
    filters: dict[str, Any] | None = None,
    page: Any = 1,
    sort: str | None = None,
    engine: SearchEngine | None = None,
) -> SearchPage:
    """One page of search results the user may see, with facets computed in the same filtered
    query, highlights from each visible document's own fields, and a "did you mean" suggestion
    from visible hits only."""
    params = clean_params(q=q, filters=filters, page=page, sort=sort)
    response = search_raw(principals=user_principals(user), params=params, engine=engine)
    hits = response["hits"]["hits"]
    visible = visible_doc_ids(user=user, hits=hits)
    gated = [hit for hit in hits if hit["_id"] in visible]
    if len(gated) != len(hits):
        logger.info("Search second gate dropped %s stale hit(s).", len(hits) - len(gated))
    total = response["hits"]["total"]
    count = total["value"] if isinstance(total, dict) else int(total)
    count_exact = not isinstance(total, dict) or total.get("relation", "eq") == "eq"
    if params.q and params.page == 1 and set(params.filters) <= {"theme"}:
        log_low_result(params.q, count, theme=str(params.filters.get("theme") or ""))
    return SearchPage(
        count=count,
        results=[search_result_from_hit(hit) for hit in gated],
        facets=facets_from(response.get("aggregations") or {}),
        page=params.page,
        page_size=params.page_size,
        params=params,
        did_you_mean=did_you_mean(params.q, gated),
        picks=picks_for_user(user=user, q=params.q) if params.q and params.page == 1 else [],
        count_exact=count_exact,
    )


def picks_for_user(*, user: User | AnonymousUser, q: str | None) -> list[dict[str, str]]:
    """Editors' picks (``wagtail.contrib.search_promotions``) for this query, under the access
    rule: a promoted page the user may not read, or that is not live, is left out."""
    from wagtail.contrib.search_promotions.models import Query
    from wagtail.search.utils import normalise_query_string

    q = (q or "").strip()
    if not q:
        return []
    query = Query.objects.filter(query_string=normalise_query_string(q)).first()
    if query is None:
        return []
    picks = []
    for promotion in query.editors_picks.select_related("page").order_by("sort_order"):
        if promotion.page_id:
            page = promotion.page.specific
            if not page.live:
                continue
            if hasattr(page, "read_principals"):
                if not can_read(user, page):
                    continue
            elif page.get_view_restrictions().exists():
                continue  # a page under Wagtail's own restrictions: fail closed
            picks.append(
                {
                    "title": page.title,
                    "url": page.get_url() or "",
                    "description": promotion.description,
                }
            )
        elif promotion.external_link_url:
            picks.append(
                {
                    "title": promotion.external_link_text or promotion.external_link_url,
                    "url": promotion.external_link_url,
                    "description": promotion.description,
                }
            )
    return picks


def suggest_for_user(
    *, user: User | AnonymousUser, q: str | None, size: int = 8, engine: SearchEngine | None = None
) -> list[dict[str, str]]:
    """Autocomplete titles from content the user may see (``bool_prefix`` + principals)."""
    q = (q or "").strip()[:100]
    if len(q) < 2:
        return []
    hits = suggest_raw(principals=user_principals(user), q=q, engine=engine, size=size)
    visible = visible_doc_ids(user=user, hits=hits)
    return [
        {
            "type": hit["_source"].get("type", ""),
            "title": hit["_source"].get("title", ""),
            "url": hit["_source"].get("url", ""),
        }
        for hit in hits
        if hit["_id"] in visible
    ]


# --- synonym preview (admin) ---------------------------------------------------------------------
def synonym_preview(*, q: str | None, engine: SearchEngine | None = None) -> list[list[str]]:
    """What a query expands to in the *live* index's synonym filter, per word position:
    ``[["pooierboy", "loverboy"], ["signalen"]]``. Runs ``_analyze`` with the index's
    ``kpo_synonym_preview`` analyzer (tokenizer, lowercase and the synonym filter only)."""
    from search.schema import SYNONYM_PREVIEW_ANALYZER

    q = (q or "").strip()[:200]
    if not q:
        return []
    engine = engine or get_engine()
    try:
        tokens = engine.analyze(content_alias(), analyzer=SYNONYM_PREVIEW_ANALYZER, text=q)
    except IndexMissing:
        return []
    positions: dict[int, list[str]] = {}
    for token in tokens:
        words = positions.setdefault(int(token.get("position", 0)), [])
        if token["token"] not in words:
            words.append(token["token"])
    return [positions[p] for p in sorted(positions)]


# --- similar while typing (communities' ask form, issue #18) ------------------------------------
def similar_raw(
    *,
    principals: frozenset[str],
    q: str,
    size: int = 5,
    index: str | None = None,
    engine: SearchEngine | None = None,
) -> list[dict[str, Any]]:
    """The engine's hits for ``similar_body``: nothing outside ``principals`` comes back."""
    return _hits(engine, index, similar_body(principals, q, size=size))


def similar_for_user(
    *, user: User | AnonymousUser, q: str | None, size: int = 5, engine: SearchEngine | None = None
) -> list[SearchResult]:
    """Questions (threads) and knowledge documents like ``q`` that the user may read: the user's
    principals filter the engine request (never a post-filter of an unfiltered list), then every
    hit is checked against the database (second gate). Fewer than 10 characters: nothing."""
    text = (q or "").strip()[:200]
    if len(text) < 10:
        return []
    hits = similar_raw(principals=user_principals(user), q=text, size=size, engine=engine)
    visible = visible_doc_ids(user=user, hits=hits)
    return [search_result_from_hit(hit) for hit in hits if hit["_id"] in visible]


__all__ = [
    "FUZZY",
    "QueryGroup",
    "REVIEW_MARKERS",
    "STEM_ANALYZER",
    "STEM_MAX_QUERIES",
    "SUMMARY_FIRST_TYPES",
    "SearchPage",
    "SearchResult",
    "TYPE_LABELS",
    "date_display",
    "facet_labels",
    "facets_from",
    "needs_fuzzy_fallback",
    "picks_for_user",
    "query_log_groups",
    "query_normalise",
    "scrub_query",
    "search_for_user",
    "search_raw",
    "search_result_from_hit",
    "similar_for_user",
    "similar_raw",
    "suggest_for_user",
    "suggest_raw",
    "synonym_preview",
    "visible_doc_ids",
]
