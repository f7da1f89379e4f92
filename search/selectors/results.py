"""What a search shows: results built from hits (snippet, labels, dates) and facets with
their labels (``search.selectors`` re-exports them)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from search.query import (
    FACETS,
    SearchParams,
)

if TYPE_CHECKING:
    pass

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
