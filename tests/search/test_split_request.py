"""Hits and facets as two requests of one ``_msearch`` (ADR 0034): the same page as the single
request of before — the same hits in the same order, the same count and the same facets — while
the hits request leaves out what forced the engine to score every match."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from search.query import LEAN, clean_params, join_responses, search_body, search_requests

PRINCIPALS = frozenset({"public", "platform"})


def test_the_hits_request_has_no_aggregations_no_function_score_and_a_rescore(db):
    # db: building a body reads the acronym table (cached five minutes in the process), so
    # without it the test would pass or fail depending on what ran before.
    params = clean_params(q="ondermijning vastgoed", filters={}, page=3)
    hits, facets = search_requests(PRINCIPALS, params)
    assert "aggs" not in hits and "function_score" not in str(hits["query"])
    assert hits["track_total_hits"] is False and hits["from"] == 20 and hits["size"] == 10
    phrase, ranking = hits["rescore"]
    assert phrase["query"]["score_mode"] == "total"
    assert phrase["query"]["rescore_query"]["multi_match"]["type"] == "phrase"
    assert ranking["query"]["score_mode"] == "multiply"
    assert "function_score" in ranking["query"]["rescore_query"]
    assert phrase["window_size"] == ranking["window_size"] == settings.SEARCH_RESCORE_WINDOW
    assert facets["size"] == 0 and set(facets["aggs"]) == {
        "type",
        "theme",
        "region",
        "organisation",
        "doc_type",
        "year",
    }
    assert "constant_score" in facets["query"]
    # the same principals filter in both requests
    assert str(hits["query"]["bool"]["filter"]) == str(
        facets["query"]["constant_score"]["filter"]["bool"]["filter"]
    )


def test_a_deep_page_widens_the_rescore_window_and_date_order_has_none(settings, db):
    settings.SEARCH_RESCORE_WINDOW = 50
    hits, _ = search_requests(PRINCIPALS, clean_params(q="bibob", filters={}, page=8))
    assert {r["window_size"] for r in hits["rescore"]} == {80}
    by_date, _ = search_requests(PRINCIPALS, clean_params(q="bibob", filters={}, sort="date"))
    assert "rescore" not in by_date and by_date["sort"][0] == {
        "date": {"order": "desc", "missing": "_last"}
    }
    browse, _ = search_requests(PRINCIPALS, clean_params(q="", filters={"type": "document"}))
    assert "rescore" not in browse and "highlight" not in browse
    assert (
        len(search_requests(PRINCIPALS, clean_params(q="x", filters={}), cost=LEAN.single())) == 1
    )


QUERIES = [
    ("ondermijning", {}, 1, None),
    ("ondermijning", {}, 2, None),
    ("vastgoed criminaliteit", {}, 1, None),
    ("motorbendes", {}, 1, None),
    ("Wet Bibob", {}, 1, None),
    ("OM", {}, 1, None),
    ("witwassen", {"type": "document"}, 1, None),
    ("drugs", {}, 1, "date"),
    ("", {"type": "thread"}, 1, None),
    ("bibop", {}, 1, None),
]


@pytest.mark.parametrize(("q", "filters", "page", "sort"), QUERIES)
def test_split_answers_the_same_page_as_the_single_request(
    engine, corpus_index, db, q, filters, page, sort
):
    params = clean_params(q=q, filters=filters, page=page, sort=sort)
    single = engine.search(corpus_index, search_body(PRINCIPALS, params))
    split = join_responses(engine.msearch(corpus_index, search_requests(PRINCIPALS, params)))
    assert [h["_id"] for h in split["hits"]["hits"]] == [h["_id"] for h in single["hits"]["hits"]]
    assert split["hits"]["total"] == single["hits"]["total"]
    assert split["aggregations"] == single["aggregations"]
    for a, b in zip(split["hits"]["hits"], single["hits"]["hits"], strict=True):
        assert a["_score"] == pytest.approx(b["_score"], rel=1e-4) or sort == "date"
        # a snippet where there was one, each with marks; they are the hits request's own
        # (under function_score the highlighter marked synonyms, often not the words typed)
        assert bool(a.get("highlight")) == bool(b.get("highlight"))
        assert set(a.get("highlight", {})) <= set(b.get("highlight", {}))
        for fragments in a.get("highlight", {}).values():
            assert marked(fragments)


def test_snippets_mark_the_words_typed(engine, corpus_index, db):
    params = clean_params(q="witwassen", filters={})
    split = join_responses(engine.msearch(corpus_index, search_requests(PRINCIPALS, params)))
    literal = [
        h
        for h in split["hits"]["hits"]
        if "witwassen" in " ".join(h.get("highlight", {}).get("summary", [])).lower()
    ]
    assert literal and all("witwassen" in marked(h["highlight"]["summary"]) for h in literal)


def marked(fragments: list[str]) -> set[str]:
    return {m.lower() for f in fragments for m in re.findall(r"<mark>(.*?)</mark>", f)}
