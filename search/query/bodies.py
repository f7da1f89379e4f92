"""The search request bodies: query text (acronyms), the text query with phrase, ranking and
rescore, facets, highlighting, and the two requests of one search (ADR 0034)."""

from __future__ import annotations

import re
import time
from typing import Any

from django.conf import settings
from elasticsearch.dsl import A, Q, Search
from elasticsearch.dsl.query import Query

from kpo.law.ids import identifiers_in_text
from search.query.params import (
    COMMUNITY_TYPES,
    DECOMP_FIELDS,
    FACETS,
    FIELD_BOOSTS,
    LEAN,
    PEOPLE_FIELDS,
    QueryCost,
    SearchParams,
)

# --- query text ------------------------------------------------------------------------------
_ACRONYMS: tuple[float, dict[str, str]] = (0.0, {})


def acronyms() -> dict[str, str]:
    """Stop-word-colliding acronyms (cached five minutes; they are data from the DB)."""
    global _ACRONYMS
    if time.monotonic() - _ACRONYMS[0] > 300:
        from search.schema import acronym_expansions

        _ACRONYMS = (time.monotonic(), acronym_expansions())
    return _ACRONYMS[1]


def expand_acronyms(q: str, table: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """Take case-sensitive acronyms that are stop words after lowercasing ("OM") out of the raw
    query, before any analysis; returns the rest of the query and the expansions, which are
    searched as phrases ("Openbaar Ministerie")."""
    table = acronyms() if table is None else table
    if not table:
        return q, []
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, table)) + r")(?![\w-])")
    phrases = [table[m.group(1)] for m in pattern.finditer(q)]
    return re.sub(r"\s+", " ", pattern.sub(" ", q)).strip(), phrases


# --- bodies ----------------------------------------------------------------------------------
def principals_filter(principals: frozenset[str] | set[str]) -> Query:
    return Q("terms", principals=sorted(principals))


def _filter_clauses(principals, filters: dict[str, str]) -> list[Query]:
    clauses = [principals_filter(principals)]
    for name, value in filters.items():
        clauses.append(Q("term", **{FACETS[name]: int(value) if name == "year" else value}))
    return clauses


def fuzzy_clause(q: str, fields: list[str] | tuple[str, ...] = tuple(FIELD_BOOSTS)) -> Query:
    """The typo-tolerant clause (costly on long bodies: see ``QueryCost.fuzzy_fields``)."""
    return Q(
        "multi_match",
        query=q,
        fields=list(fields),
        type="best_fields",
        analyzer="kpo_fuzzy",  # surface forms, no stop words (search.schema)
        fuzziness="AUTO:4,7",
        operator="and",
        prefix_length=1,
        max_expansions=20,
        boost=0.4,
    )


def text_parts(
    q: str,
    phrases: list[str] | None = None,
    *,
    fuzzy_fields: list[str] | tuple[str, ...] = tuple(FIELD_BOOSTS),
) -> tuple[Query, Query | None]:
    """The two halves of the relevance query: what must match (exact analysed match with
    synonyms, decompounded match, fuzzy match for typos on ``fuzzy_fields`` — none when empty —
    and every expanded acronym in ``phrases`` as a phrase), and the phrase boost (``None``
    without query words)."""
    required = [
        Q("multi_match", query=p, fields=FIELD_BOOSTS + PEOPLE_FIELDS, type="phrase", boost=2)
        for p in phrases or []
    ]
    if not q:
        return Q("bool", must=required), None
    fields = FIELD_BOOSTS + PEOPLE_FIELDS
    cited = identifiers_in_text(q)
    core = Q(
        "bool",
        should=[
            Q("multi_match", query=q, fields=fields, type="best_fields", tie_breaker=0.3, boost=2),
            Q("multi_match", query=q, fields=DECOMP_FIELDS, type="best_fields", boost=0.6),
            *([fuzzy_clause(q, fuzzy_fields)] if fuzzy_fields else []),
            # a BWB id or ECLI in the query finds the items citing it (ADR 0026)
            *([Q("terms", citations=cited, boost=10)] if cited else []),
        ],
        minimum_should_match=1,
    )
    phrase = Q(
        "multi_match",
        query=q,
        fields=["title^3", "summary^2", "body"],
        type="phrase",
        slop=2,
        boost=2,
        # without the synonym graph: a phrase over a graph enumerates every path, and a few
        # words with many synonyms exceed maxClauseCount (ADR 0010)
        analyzer="kpo_dutch",
    )
    return (Q("bool", must=[core, *required]) if required else core), phrase


def text_query(
    q: str,
    phrases: list[str] | None = None,
    *,
    fuzzy_fields: list[str] | tuple[str, ...] = tuple(FIELD_BOOSTS),
) -> Query:
    """Relevance in one query: ``text_parts``' match, with the phrase as a boost."""
    return with_phrase(*text_parts(q, phrases, fuzzy_fields=fuzzy_fields))


def with_phrase(match: Query, phrase: Query | None) -> Query:
    """``match`` with the phrase as an optional boost."""
    return match if phrase is None else Q("bool", must=[match], should=[phrase])


def ranking_functions() -> list[dict[str, Any]]:
    """Trust and freshness: accepted answers and current documents rise, lapsed ones sink,
    community content decays with age (factors multiplied with the text score)."""
    return [
        {
            "filter": Q("terms", type=list(COMMUNITY_TYPES)).to_dict(),
            "gauss": {"date": {"origin": "now", "scale": "180d", "offset": "30d", "decay": 0.5}},
        },
        {"filter": Q("term", accepted_answer=True).to_dict(), "weight": 1.5},
        {"filter": Q("term", review_status="actueel").to_dict(), "weight": 1.2},
        {"filter": Q("term", review_status="herbeoordeling").to_dict(), "weight": 0.6},
        {"filter": Q("term", review_status="verouderd").to_dict(), "weight": 0.3},
    ]


def ranking(query: Query) -> Query:
    """``query``'s score times the trust and freshness factors (``ranking_functions``)."""
    return Q(
        "function_score",
        query=query,
        functions=ranking_functions(),
        score_mode="multiply",
        boost_mode="multiply",
    )


DATE_DESC = {"date": {"order": "desc", "missing": "_last"}}
SOURCE_FIELDS: list[Any] = [
    "doc_id",
    "type",
    "title",
    "url",
    "summary",
    "themes",
    "date",
    "people",
    "community",
    "principals",
    "review_status",
    "review_badge",
]


def _track_total(cost: QueryCost) -> int | bool:
    track = cost.track_total_hits
    return settings.SEARCH_TRACK_TOTAL_HITS if track is None else track


def _facet_aggs(s: Search, cost: QueryCost) -> Search:
    sizes = dict(cost.facet_sizes)
    for name, field_name in FACETS.items():
        order = {"_key": "desc"} if name == "year" else {"_count": "desc"}
        s.aggs.bucket(name, A("terms", field=field_name, size=sizes.get(name, 10), order=order))
    return s


def search_requests(
    principals: frozenset[str], params: SearchParams, *, cost: QueryCost = LEAN
) -> list[dict]:
    """The request bodies for one page of results: with ``cost.split`` (the default, ADR 0034)
    the hits request and the facets request, sent together as one ``_msearch`` and joined by
    ``join_responses``; otherwise the single ``search_body``."""
    if not cost.split:
        return [search_body(principals, params, cost=cost)]
    q, phrases = expand_acronyms(params.q)
    filters = _filter_clauses(principals, params.filters)
    if q or phrases:
        match, phrase = text_parts(q, phrases, fuzzy_fields=cost.fuzzy_fields)
    else:
        match, phrase = Q("match_all"), None
    matching = Q("bool", filter=filters, must=[match])
    start = (params.page - 1) * params.page_size
    by_relevance = bool(params.q) and params.sort != "date"
    if by_relevance:
        hits = Search().query(matching)
    else:  # newest first: the score (with the phrase and the ranking factors) breaks ties
        scored = matching
        if params.q:
            scored = ranking(Q("bool", filter=filters, must=[with_phrase(match, phrase)]))
        hits = Search().query(scored).sort(DATE_DESC, "_score")
    hits = hits.extra(from_=start, size=params.page_size, track_total_hits=False)
    hits = hits.source(SOURCE_FIELDS)
    if params.q:
        hits = highlight(hits, cost)
    body = hits.to_dict()
    if by_relevance:
        window = cost.rescore_window or settings.SEARCH_RESCORE_WINDOW
        window = max(window, start + params.page_size)
        rescore = []
        if phrase is not None:
            rescore.append(
                {
                    "window_size": window,
                    "query": {"rescore_query": phrase.to_dict(), "score_mode": "total"},
                }
            )
        factors = ranking(Q("match_all")).to_dict()  # 1 × the factors, multiplied in
        rescore.append(
            {"window_size": window, "query": {"rescore_query": factors, "score_mode": "multiply"}}
        )
        body["rescore"] = rescore
    facets = Search().query(Q("constant_score", filter=matching))
    facets = _facet_aggs(facets.extra(size=0, track_total_hits=_track_total(cost)), cost)
    return [body, facets.to_dict()]


def join_responses(responses: list[dict[str, Any]]) -> dict[str, Any]:
    """One search response from ``search_requests``' answers: the hits of the first, the total
    and the aggregations of the second (a single request's answer is returned as it is)."""
    if len(responses) == 1:
        return responses[0]
    hits, facets = responses
    return {
        **hits,
        "hits": {**hits["hits"], "total": facets["hits"]["total"]},
        "aggregations": facets.get("aggregations") or {},
        "took": max(hits.get("took", 0), facets.get("took", 0)),
    }


def search_body(
    principals: frozenset[str],
    params: SearchParams,
    *,
    facets: bool = True,
    cost: QueryCost = LEAN,
) -> dict:
    """One page of results in a single request: ranking over every match, facets in the same
    request (the shape before ADR 0034; ``search_requests`` sends it when ``cost.split`` is
    off)."""
    q, phrases = expand_acronyms(params.q)
    must = (
        text_query(q, phrases, fuzzy_fields=cost.fuzzy_fields) if (q or phrases) else Q("match_all")
    )
    query = Q("bool", filter=_filter_clauses(principals, params.filters), must=[must])
    s = Search().query(ranking(query) if params.q else query)
    if params.sort == "date" or not params.q:
        s = s.sort(DATE_DESC, "_score")
    start = (params.page - 1) * params.page_size
    s = s.extra(from_=start, size=params.page_size, track_total_hits=_track_total(cost))
    s = s.source(SOURCE_FIELDS)
    if params.q:
        s = highlight(s, cost)
    if facets:
        s = _facet_aggs(s, cost)
    return s.to_dict()


def highlight(s: Search, cost: QueryCost) -> Search:
    """Snippet highlighting: the unified highlighter on the fields in ``cost`` (offsets in the
    index, so no re-analysis), one fragment each, the title whole."""
    s = s.highlight_options(
        type="unified",
        encoder="html",
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        fragment_size=180,
        number_of_fragments=1,
        no_match_size=0,
    )
    s = s.highlight("title", number_of_fragments=0)
    return s.highlight(*cost.highlight_fields)
