"""Autocomplete, "did you mean" and similar-while-typing bodies."""

from __future__ import annotations

import re

from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query

from search.query.bodies import (
    expand_acronyms,
    principals_filter,
    ranking,
    text_query,
)
from search.query.params import (
    TYPES,
)

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
