"""Search parameters: the allowed types, facets and sorts, the cost knobs of a query
(``QueryCost``) and the cleaning of user input (``clean_params``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

PAGE_SIZE = 10
MAX_PAGE = 100
SORTS = ("relevance", "date")
TYPES = (
    "theme",
    "term",
    "document",
    "thread",
    "course",
    "training",
    "event",
    "community",
    "person",
)
FACETS = {
    "type": "type",
    "theme": "themes",
    "region": "regions",
    "organisation": "organisations",
    "doc_type": "doc_type",
    "year": "year",
}
COMMUNITY_TYPES = ("thread", "event")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")

FIELD_BOOSTS = ["title^4", "summary^2", "body^1", "attachment_text^0.5"]
PEOPLE_FIELDS = [
    "people.name^3",
    "people.expertise^2",
    "people.function",
    "people.organisation",
    "people.region",
]
DECOMP_FIELDS = [
    "title.decomp^2",
    "summary.decomp",
    "body.decomp^0.5",
    "attachment_text.decomp^0.25",
]


@dataclass(frozen=True)
class QueryCost:
    """The cost knobs of a search request (issue #14, docs/performance.md). The defaults are the
    lean query; ``QueryCost.legacy()`` is the request as it was before, kept for the benchmark's
    before/after figures.

    * ``highlight_fields``: the fields highlighted for the snippet (the title is always
      highlighted whole). The index stores offsets for them (``search.schema``), so the unified
      highlighter reads positions from the postings instead of re-analysing whole bodies.
    * ``fuzzy_fields``: the fields of the fuzzy (typo) clause. The lean query keeps it on the
      title only (ADR 0034: expanding each query word to its near terms walks the term
      dictionary of every fuzzy field on every request; the title's is the smallest, and a
      typo matched there is enough for "did you mean"); ``search_raw`` retries with every text
      field (``with_fuzzy()``) only when the first request finds fewer than
      ``SEARCH_FUZZY_FALLBACK_BELOW`` hits (typos are the case where exact finds little).
    * ``track_total_hits``: counting stops here (the page never offers more than this many
      results); the count is then a lower bound (``relation: gte``) and the page says "meer
      dan N resultaten". ``None`` reads the bound from ``settings.SEARCH_TRACK_TOTAL_HITS``
      when the request is built, so operators (and tests) can move it.
    * ``facet_sizes``: buckets per facet, what the page shows.
    * ``split`` (ADR 0034): the hits and the facets go as two requests of one ``_msearch``. The
      hits request ranks by the text query alone, so the engine can skip documents that cannot
      reach the page (block-max WAND: no aggregation and no ``function_score`` forces it to
      score every match); the phrase boost and the trust/freshness functions re-rank the best
      ``rescore_window`` candidates (``rescore``). The facets request counts and aggregates in
      filter context (no scores), ``size: 0``. ``False`` is the single request of before.
    * ``rescore_window``: candidates re-ranked per shard (at least the requested page's end);
      ``None`` reads ``settings.SEARCH_RESCORE_WINDOW``.
    """

    highlight_fields: tuple[str, ...] = ("summary", "body", "people.expertise")
    fuzzy_fields: tuple[str, ...] = ("title^4",)
    track_total_hits: int | bool | None = None
    facet_sizes: tuple[tuple[str, int], ...] = (
        ("type", len(TYPES)),
        ("theme", 20),
        ("region", 15),
        ("organisation", 15),
        ("doc_type", 10),
        ("year", 10),
    )
    split: bool = True
    rescore_window: int | None = None

    @classmethod
    def legacy(cls) -> QueryCost:
        return cls(
            highlight_fields=("summary", "body", "attachment_text", "people.expertise"),
            fuzzy_fields=tuple(FIELD_BOOSTS),
            track_total_hits=True,
            facet_sizes=tuple((name, 50) for name in FACETS),
            split=False,
        )

    def single(self) -> QueryCost:
        """The same costs in one request (hits, facets and ranking together), as before ADR
        0034; for the benchmark's before/after figures."""
        from dataclasses import replace

        return replace(self, split=False)

    def with_fuzzy(self) -> QueryCost:
        from dataclasses import replace

        return replace(self, fuzzy_fields=tuple(FIELD_BOOSTS))


LEAN = QueryCost()


class InvalidSearch(ValueError):
    """Bad search input; ``message`` is Dutch and safe to show, ``field`` names the parameter."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    page: int = 1
    sort: str = "relevance"
    page_size: int = PAGE_SIZE


def clean_params(
    *, q: str | None, filters: dict[str, Any] | None, page: Any = 1, sort: str | None = None
) -> SearchParams:
    """Validate raw input; raises ``InvalidSearch`` with a Dutch message."""
    q = (q or "").strip()
    if len(q) > 200:
        raise InvalidSearch("q", "De zoekvraag is te lang (maximaal 200 tekens).")
    cleaned: dict[str, str] = {}
    for name, value in (filters or {}).items():
        if name not in FACETS or value in (None, ""):
            continue
        value = str(value).strip()
        if name == "type" and value not in TYPES:
            raise InvalidSearch(name, f"Onbekend soort inhoud: {value[:40]}.")
        if name == "year" and not (value.isdigit() and 1900 <= int(value) <= 2100):
            raise InvalidSearch(name, "Het jaar moet een jaartal zijn, bijvoorbeeld 2025.")
        if name not in ("type", "year") and not _SLUG.match(value):
            raise InvalidSearch(name, "Dit filter heeft een ongeldige waarde.")
        cleaned[name] = value
    try:
        page_number = int(page or 1)
    except (TypeError, ValueError):
        raise InvalidSearch("page", "Het paginanummer moet een getal zijn.") from None
    if not 1 <= page_number <= MAX_PAGE:
        raise InvalidSearch("page", f"Het paginanummer moet tussen 1 en {MAX_PAGE} liggen.")
    sort = sort or "relevance"
    if sort not in SORTS:
        raise InvalidSearch("sort", "Sorteer op relevantie of op datum.")
    return SearchParams(q=q, filters=cleaned, page=page_number, sort=sort)
