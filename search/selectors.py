"""Reads of the search subsystem: what may this user find?

``search_for_user`` and ``suggest_for_user`` are the only entry points for views and the API.
Both pass the user's principals (``kpo.core.access.user_principals``) into the engine request as a
``bool.filter`` and then re-check every hit against the database (second gate,
``visible_doc_ids``): a hit whose object is gone, unpublished or no longer readable under the
access rule's database form (``kpo.core.access.filter_visible``) is dropped. The gate is one SQL
query per page of hits, reading primary keys only (issue #14).

Raises ``search.query.InvalidSearch`` (Dutch message) for bad input and
``search.engine.EngineUnavailable`` when the engine is down.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpo.core.access import can_read, filter_visible, user_principals
from search.engine import IndexMissing, SearchEngine, content_alias, get_engine
from search.models import SearchQueryLog
from search.query import (
    FACETS,
    LEAN,
    SearchParams,
    clean_params,
    did_you_mean,
    join_responses,
    search_requests,
    suggest_body,
)
from search.registry import model_for_label

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User

logger = logging.getLogger(__name__)

TYPE_LABELS = {
    "theme": "Thema",
    "term": "Begrip",
    "document": "Kennisdocument",
    "thread": "Discussie",
    "course": "E-learning",
    "training": "Training",
    "event": "Bijeenkomst",
    "community": "Community",
    "person": "Persoon",
}


@dataclass
class SearchResult:
    type: str
    id: str
    title: str
    url: str
    snippet: str
    themes: list[str]
    date: str | None
    title_html: str = ""
    type_label: str = ""
    date_display: str = ""
    # knowledge documents: the redactieraad's badge and a marker when not "actueel" (ADR 0017)
    review_badge: str = ""
    review_marker: str = ""


@dataclass
class SearchPage:
    count: int
    results: list[SearchResult]
    facets: dict[str, list[dict[str, Any]]]
    page: int
    page_size: int
    params: SearchParams
    did_you_mean: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    picks: list[dict[str, str]] = field(default_factory=list)
    # False when counting stopped at ``QueryCost.track_total_hits``: ``count`` is a lower bound.
    count_exact: bool = True

    @property
    def num_pages(self) -> int:
        return max(1, -(-min(self.count, 10000) // self.page_size))


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
    engine = engine or get_engine()
    try:
        response = engine.search(index or content_alias(), suggest_body(principals, q, size=size))
    except IndexMissing:
        return []
    return response["hits"]["hits"]


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
SUMMARY_FIRST_TYPES = frozenset({"theme", "term"})
# The marker a result carries when its content is not "actueel" (``review_status`` in the index).
REVIEW_MARKERS = {
    "herbeoordeling": _("herbeoordeling nodig"),
    "verouderd": _("verouderd"),
}


def date_display(source: dict[str, Any]) -> str:
    """The result's date in Dutch ("3 maart 2025"); a knowledge document dated by its year only
    shows the year."""
    from datetime import date as date_cls

    from django.utils.formats import date_format

    if source.get("type") == "document" and source.get("year"):
        value = str(source.get("date") or "")
        if not value or value.endswith("-01-01"):
            return str(source["year"])
    value = source.get("date")  # type: ignore[assignment]
    if not value:
        return ""
    try:
        parsed = date_cls.fromisoformat(str(value)[:10])
    except ValueError:
        return ""
    return date_format(parsed, "j F Y")


def search_result_from_hit(hit: dict[str, Any]) -> SearchResult:
    from django.utils.html import escape
    from django.utils.text import Truncator

    source = hit.get("_source") or {}
    highlight = hit.get("highlight") or {}
    names: tuple[str, ...] = ("body", "summary", "attachment_text", "people.expertise")
    if source.get("type") in SUMMARY_FIRST_TYPES:
        names = ("summary",)
    snippet = ""
    for name in names:
        if highlight.get(name):
            snippet = highlight[name][0]
            break
    if not snippet:
        snippet = escape(Truncator(source.get("summary") or "").chars(200))
    title = source.get("title") or ""
    return SearchResult(
        type=source.get("type", ""),
        id=hit["_id"],
        title=title,
        url=source.get("url") or "",
        snippet=snippet,
        themes=list(source.get("themes") or []),
        date=source.get("date"),
        title_html=(highlight.get("title") or [escape(title)])[0],
        type_label=TYPE_LABELS.get(source.get("type", ""), source.get("type", "")),
        date_display=date_display(source),
        review_badge=str(source.get("review_badge") or ""),
        review_marker=str(REVIEW_MARKERS.get(source.get("review_status") or "", "")),
    )


def _label_source(name: str) -> tuple[type[Any], str] | None:
    """The model and label field behind a facet's slugs (``None``: the slug is its own label)."""
    from django.apps import apps

    sources = {
        "theme": ("themes", "Theme", "title"),
        "region": ("accounts", "Region", "name"),
        "organisation": ("accounts", "Organisation", "name"),
        "doc_type": ("kennisbank", "DocumentType", "name"),
    }
    if name not in sources:
        return None
    app_label, model_name, field_name = sources[name]
    try:
        return apps.get_model(app_label, model_name), field_name
    except LookupError:
        return None


def facet_labels(keys_by_facet: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """``{facet: {slug: label}}`` for the buckets of one page, in one SQL query (a ``UNION`` of
    one select per taxonomy) instead of one query per facet. Content types are labelled in code;
    years are their own label."""
    from django.db.models import CharField, Value

    labels: dict[str, dict[str, str]] = {name: {} for name in keys_by_facet}
    labels["type"] = {k: TYPE_LABELS.get(k, k) for k in keys_by_facet.get("type", [])}
    selects = []
    for name, keys in keys_by_facet.items():
        source = _label_source(name)
        if source is None or not keys:
            continue
        model, field_name = source
        selects.append(
            model.objects.filter(slug__in=keys)
            .order_by()
            .values_list(Value(name, output_field=CharField()), "slug", field_name)
        )
    if selects:
        union = selects[0].union(*selects[1:]) if len(selects) > 1 else selects[0]
        for name, slug, label in union:
            labels[name][slug] = label
    return labels


def facets_from(aggregations: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    buckets_by_facet = {
        name: (aggregations.get(name) or {}).get("buckets") or [] for name in FACETS
    }
    labels = facet_labels(
        {name: [str(b["key"]) for b in buckets] for name, buckets in buckets_by_facet.items()}
    )
    return {
        name: [
            {
                "value": str(b["key"]),
                "label": labels[name].get(str(b["key"]), str(b["key"])),
                "count": b["doc_count"],
            }
            for b in buckets
        ]
        for name, buckets in buckets_by_facet.items()
    }


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
        _log_low_result(params.q, count, theme=str(params.filters.get("theme") or ""))
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


# --- zero/low-result log -------------------------------------------------------------------------
_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\d{4,}")


def scrub_query(q: str) -> str:
    """The query without personal data patterns (e-mail addresses, long numbers), normalised."""
    q = _DIGITS.sub("#", _EMAIL.sub("[e-mail]", q))
    return re.sub(r"\s+", " ", q).strip().lower()[:200]


def _log_low_result(q: str, count: int, theme: str = "") -> None:
    threshold = getattr(settings, "SEARCH_LOW_RESULT_THRESHOLD", 2)
    if count > threshold:
        return
    text = scrub_query(q)
    if not text:
        return
    try:
        with transaction.atomic():
            row, _ = SearchQueryLog.objects.get_or_create(
                query=text,
                day=timezone.localdate(),
                theme=theme[:80],
                defaults={"result_count": count},
            )
            SearchQueryLog.objects.filter(pk=row.pk).update(
                times=F("times") + 1, result_count=count
            )
    except Exception:  # noqa: BLE001 - logging must never break a search
        logger.exception("Could not log a low-result search query.")


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
    from search.query import similar_body

    engine = engine or get_engine()
    try:
        response = engine.search(index or content_alias(), similar_body(principals, q, size=size))
    except IndexMissing:
        return []
    return list(response["hits"]["hits"])


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


# --- q2k: zero- and low-result queries grouped for the Redactieraad (issue #17) ------------------
# The Redactieraad turns searches that found nothing into kennisvragen. "Low" means what the log
# keeps: at most ``SEARCH_LOW_RESULT_THRESHOLD`` results (the platform logs no clicks). Grouping
# uses general resources only: Unicode case folding and accent stripping, whitespace, and the
# index's own Dutch analyzer (hunspell stems, stop words) when the engine answers.
STEM_ANALYZER = "kpo_dutch"
STEM_MAX_QUERIES = 300


def query_normalise(text: str) -> str:
    """Case-folded, accents removed (é → e, ë → e), whitespace collapsed."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


def _stem_key(text: str, engine: SearchEngine) -> str:
    """The query as the index's Dutch analyzer sees it: one stem per word position (the smallest
    when hunspell offers several), stop words dropped; "" when nothing is left."""
    tokens = engine.analyze(content_alias(), analyzer=STEM_ANALYZER, text=text)
    positions: dict[int, str] = {}
    for token in tokens:
        position = int(token.get("position", 0))
        word = str(token["token"])
        if position not in positions or word < positions[position]:
            positions[position] = word
    return " ".join(positions[p] for p in sorted(positions))


@dataclass
class QueryGroup:
    """One normalised query (per theme) that found (almost) nothing, over a period."""

    key: str
    query: str
    theme: str
    times: int
    last_seen: Any
    result_count: int
    variants: list[str] = field(default_factory=list)

    @property
    def zero(self) -> bool:
        return self.result_count == 0


def query_log_groups(
    *,
    since: Any,
    until: Any,
    theme: str | None = None,
    stem: bool = True,
    engine: SearchEngine | None = None,
) -> list[QueryGroup]:
    """The logged zero/low-result queries of ``since``–``until`` (days, inclusive), grouped by
    normalised query and theme slug, most searched first. Each group counts the searches, keeps
    the last time seen, the lowest result count and the spellings. The caller checks who may see
    this (the Redactieraad); the log holds no personal data."""
    rows = SearchQueryLog.objects.filter(day__gte=since, day__lte=until)
    if theme is not None:
        rows = rows.filter(theme=theme)
    stems: dict[str, str] = {}
    if stem:
        distinct = sorted({query_normalise(q) for q in rows.values_list("query", flat=True)})
        try:
            engine = engine or get_engine()
            for text in distinct[:STEM_MAX_QUERIES]:
                stems[text] = _stem_key(text, engine) or text
        except Exception:  # noqa: BLE001 - the engine is optional here: group without stems
            logger.info("Zero-result grouping without stemming (engine unavailable).")
            stems = {}
    groups: dict[tuple[str, str], QueryGroup] = {}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows.order_by("day", "pk"):
        text = query_normalise(row.query)
        if not text:
            continue
        key = (stems.get(text, text), row.theme)
        group = groups.get(key)
        if group is None:
            group = groups[key] = QueryGroup(
                key=key[0],
                query=text,
                theme=row.theme,
                times=0,
                last_seen=row.last_seen,
                result_count=row.result_count,
            )
        group.times += row.times
        group.last_seen = max(group.last_seen, row.last_seen)
        group.result_count = min(group.result_count, row.result_count)
        spelled = counts.setdefault(key, {})
        spelled[text] = spelled.get(text, 0) + row.times
    for key, group in groups.items():
        spelled = counts[key]
        group.variants = sorted(spelled, key=lambda t: (-spelled[t], t))
        group.query = group.variants[0]
    return sorted(groups.values(), key=lambda g: (-g.times, -g.last_seen.timestamp(), g.key))
