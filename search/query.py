"""Building search requests with ``elasticsearch.dsl``. Pure functions, no I/O.

Every request built here carries the caller's principals as a ``bool.filter`` (never a
``post_filter``), so hits, counts, facets, highlights and autocomplete all see the same visible set.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from elasticsearch.dsl import A, Q, Search
from elasticsearch.dsl.query import Query

from kpo.law.ids import identifiers_in_text

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


AUTOCOMPLETE_FIELDS = ["autocomplete", "autocomplete._2gram", "autocomplete._3gram"]


def suggest_query(q: str) -> Query:
    """Autocomplete matching (ADR 0010): the words typed so far as a prefix (``bool_prefix``, one
    edit allowed in the finished words), or, for a typo in the word being typed, every word
    within one edit ("bibop" -> "Bibob"). Prefix matches rank first."""
    return Q(
        "bool",
        should=[
            Q(
                "multi_match",
                query=q,
                type="bool_prefix",
                fields=AUTOCOMPLETE_FIELDS,
                fuzziness=1,
                prefix_length=1,
                operator="and",
                boost=3,
            ),
            Q(
                "match",
                autocomplete={
                    "query": q,
                    "fuzziness": 1,
                    "prefix_length": 1,
                    "max_expansions": 20,
                    "operator": "and",
                },
            ),
        ],
        minimum_should_match=1,
    )


def suggest_body(principals: frozenset[str], q: str, *, size: int = 8) -> dict:
    """Autocomplete over the ``search_as_you_type`` title, with the same principals filter as
    every other query (no completion suggester, which cannot filter)."""
    rest, phrases = expand_acronyms(q)
    q = " ".join([*phrases, rest]).strip()
    s = Search().query(Q("bool", filter=[principals_filter(principals)], must=[suggest_query(q)]))
    return s.extra(size=size).source(["doc_id", "type", "title", "url"]).to_dict()


# --- "did you mean" ------------------------------------------------------------------------
def _distance(a: str, b: str) -> int:
    if abs(len(a) - len(b)) > 2:
        return 3
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def did_you_mean(q: str, hits: list[dict]) -> str | None:
    """A corrected query from the highlighted terms of *visible* hits only: each query word that
    no hit contains literally is replaced by the closest highlighted word (1–2 edits)."""
    if not q or not hits:
        return None
    marked: set[str] = set()
    for hit in hits:
        for fragments in (hit.get("highlight") or {}).values():
            for fragment in fragments:
                marked.update(w.lower() for w in _MARK.findall(fragment))
    if not marked:
        return None
    words = q.split()
    changed = False
    out = []
    for word in words:
        lower = word.lower()
        if lower in marked or len(lower) < 4:
            out.append(word)
            continue
        best = min(marked, key=lambda m: (_distance(lower, m), m))
        if 0 < _distance(lower, best) <= 2 and " " not in best:
            out.append(best)
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


# --- similar while typing (communities' ask form, issue #18) ------------------------------------
SIMILAR_TYPES = ("thread", "document")


def similar_body(
    principals: frozenset[str], q: str, *, types: tuple[str, ...] = SIMILAR_TYPES, size: int = 5
) -> dict:
    """Items like a question's title typed so far: the relevance query of the search page (with
    synonyms, decompounding and typo tolerance on the title) over ``types`` only, with the same
    principals ``bool.filter`` as every other request, ranked for trust."""
    unknown = set(types) - set(TYPES)
    if unknown:
        raise ValueError(f"unknown types: {sorted(unknown)}")
    rest, phrases = expand_acronyms(q)
    text = text_query(rest, phrases, fuzzy_fields=("title^4",))
    query = Q(
        "bool",
        filter=[principals_filter(principals), Q("terms", type=list(types))],
        must=[text],
    )
    s = Search().query(ranking(query)).extra(size=size, track_total_hits=False)
    return s.source(["doc_id", "type", "title", "url", "summary", "date", "community"]).to_dict()
