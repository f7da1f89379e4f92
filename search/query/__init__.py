"""Building search requests with ``elasticsearch.dsl``. Pure functions, no I/O.

Every request built here carries the caller's principals as a ``bool.filter`` (never a
``post_filter``), so hits, counts, facets, highlights and autocomplete all see the same visible set.

The package: ``params`` (input and cost), ``bodies`` (the search requests) and ``suggest``
(autocomplete, "did you mean", similar); everything is re-exported here.
"""

from __future__ import annotations

from search.query.bodies import (
    DATE_DESC,
    SOURCE_FIELDS,
    acronyms,
    expand_acronyms,
    fuzzy_clause,
    highlight,
    join_responses,
    principals_filter,
    ranking,
    ranking_functions,
    search_body,
    search_requests,
    text_parts,
    text_query,
    with_phrase,
)
from search.query.params import (
    COMMUNITY_TYPES,
    DECOMP_FIELDS,
    FACETS,
    FIELD_BOOSTS,
    LEAN,
    MAX_PAGE,
    PAGE_SIZE,
    PEOPLE_FIELDS,
    SORTS,
    TYPES,
    InvalidSearch,
    QueryCost,
    SearchParams,
    clean_params,
)
from search.query.suggest import (
    AUTOCOMPLETE_FIELDS,
    SIMILAR_TYPES,
    did_you_mean,
    similar_body,
    suggest_body,
    suggest_query,
)

__all__ = [
    "AUTOCOMPLETE_FIELDS",
    "COMMUNITY_TYPES",
    "DATE_DESC",
    "DECOMP_FIELDS",
    "FACETS",
    "FIELD_BOOSTS",
    "InvalidSearch",
    "LEAN",
    "MAX_PAGE",
    "PAGE_SIZE",
    "PEOPLE_FIELDS",
    "QueryCost",
    "SIMILAR_TYPES",
    "SORTS",
    "SOURCE_FIELDS",
    "SearchParams",
    "TYPES",
    "acronyms",
    "clean_params",
    "did_you_mean",
    "expand_acronyms",
    "fuzzy_clause",
    "highlight",
    "join_responses",
    "principals_filter",
    "ranking",
    "ranking_functions",
    "search_body",
    "search_requests",
    "similar_body",
    "suggest_body",
    "suggest_query",
    "text_parts",
    "text_query",
    "with_phrase",
]
