"""The adapter contract, against the real node: OpenSearch by default, Elasticsearch when
SEARCH_ENGINE=elasticsearch and SEARCH_URL point to one."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from search.engine import (
    BulkAction,
    EngineError,
    EngineUnavailable,
    IndexMissing,
    get_engine,
)
from search.schema import index_body

BODY = None


def body() -> dict:
    global BODY
    if BODY is None:
        BODY = index_body(synonyms=["omg, outlaw motorcycle gang"])
    return BODY


def doc(title: str, principals=("platform",)) -> dict:
    return {"doc_id": title, "title": title, "principals": list(principals), "type": "theme"}


@pytest.fixture
def index(engine, scratch_index):
    engine.create_index(scratch_index, body())
    return scratch_index


def test_ping_and_health(engine):
    assert engine.ping() is True
    assert engine.cluster_health()["status"] in ("green", "yellow")
    assert engine.name == settings.SEARCH_ENGINE


def test_unreachable_engine_raises_unavailable(settings):
    settings.SEARCH_URL = "http://127.0.0.1:1"
    down = get_engine()
    assert down.ping() is False
    with pytest.raises(EngineUnavailable):
        down.search("whatever", {"query": {"match_all": {}}})
    with pytest.raises(EngineUnavailable):
        down.bulk("whatever", [BulkAction("index", "a", 1, doc("a"))])


def test_missing_index(engine):
    name = f"{settings.SEARCH_INDEX_PREFIX}-missing-{uuid.uuid4().hex[:6]}"
    with pytest.raises(IndexMissing):
        engine.search(name, {"query": {"match_all": {}}})
    assert engine.index_exists(name) is False
    assert engine.get_alias(name) == []
    engine.delete_index(name)  # deleting a missing index is not an error


def test_bulk_external_versions_newer_data_wins(engine, index):
    result = engine.bulk(index, [BulkAction("index", "a", 10, doc("nieuw"))], refresh=True)
    assert (result.indexed, result.conflicts, result.ok) == (1, 0, True)
    late = engine.bulk(index, [BulkAction("index", "a", 5, doc("oud"))], refresh=True)
    assert (late.indexed, late.conflicts, late.ok) == (0, 1, True)
    found = engine.get_versions(index, ["a", "b"], source=["title"])
    assert found == {"a": (10, {"title": "nieuw"})}
    # an older delete loses too; a newer delete wins; deleting a missing doc is fine
    assert engine.bulk(index, [BulkAction("delete", "a", 7)]).conflicts == 1
    result = engine.bulk(
        index, [BulkAction("delete", "a", 11), BulkAction("delete", "zz", 1)], refresh=True
    )
    assert (result.deleted, result.not_found, result.ok) == (1, 1, True)
    assert engine.count(index) == 0


def test_search_count_and_iter_ids(engine, index):
    actions = [
        BulkAction("index", f"d{i:03}", 1, {**doc(f"titel {i}"), "doc_id": f"d{i:03}"})
        for i in range(25)
    ]
    assert engine.bulk(index, actions, refresh=True).indexed == 25
    assert engine.count(index) == 25
    assert engine.count(index, {"term": {"doc_id": "d001"}}) == 1
    hits = engine.search(index, {"query": {"match": {"title": "titel"}}, "size": 3})
    assert hits["hits"]["total"]["value"] == 25
    listed = list(engine.iter_ids(index, batch=10))
    assert [i for i, _v, _s in listed] == [f"d{i:03}" for i in range(25)]
    assert all(v == 1 for _i, v, _s in listed)


def test_msearch_answers_in_order_and_maps_a_failed_search(engine, index, settings):
    """``msearch`` is one round trip with one answer per body, in order; a failed search in it
    raises what ``search`` would raise (a missing index, a bad request, an unreachable node),
    never a half answer."""
    actions = [
        BulkAction("index", f"m{i}", 1, {**doc(f"stuk {i}"), "doc_id": f"m{i}"}) for i in range(4)
    ]
    engine.bulk(index, actions, refresh=True)
    first, second = engine.msearch(
        index,
        [
            {"query": {"term": {"doc_id": "m2"}}, "size": 5},
            {"size": 0, "query": {"match_all": {}}, "aggs": {"t": {"terms": {"field": "type"}}}},
        ],
    )
    assert [h["_id"] for h in first["hits"]["hits"]] == ["m2"]
    assert second["hits"]["hits"] == []
    assert second["aggregations"]["t"]["buckets"] == [{"key": "theme", "doc_count": 4}]
    missing = f"{settings.SEARCH_INDEX_PREFIX}-missing-{uuid.uuid4().hex[:6]}"
    with pytest.raises(IndexMissing):
        engine.msearch(missing, [{"query": {"match_all": {}}}])
    with pytest.raises(EngineError) as bad:
        engine.msearch(index, [{"size": 1}, {"query": {"no_such_query": {}}}])
    assert not isinstance(bad.value, (IndexMissing, EngineUnavailable))
    settings.SEARCH_URL = "http://127.0.0.1:1"
    with pytest.raises(EngineUnavailable):
        get_engine().msearch(index, [{"query": {"match_all": {}}}])


def test_alias_swap_is_atomic_and_reports_the_old_index(engine, index, scratch_index):
    alias = f"{index}-alias"
    second = f"{index}-b"
    try:
        engine.create_index(second, body())
        assert engine.swap_alias(alias, index) == []
        assert engine.get_alias(alias) == [index]
        assert engine.swap_alias(alias, second) == [index]
        assert engine.get_alias(alias) == [second]
        assert engine.list_indices(f"{index}*") == sorted([index, second])
    finally:
        engine.delete_index(second)


def test_synonyms_and_decompounding_in_the_schema(engine, index):
    engine.bulk(
        index,
        [
            BulkAction("index", "x", 1, {**doc("x"), "body": "Aanpak van vastgoedcriminaliteit"}),
            BulkAction("index", "y", 1, {**doc("y"), "body": "Criminaliteit in het vastgoed"}),
            BulkAction("index", "z", 1, {**doc("z"), "body": "Een outlaw motorcycle gang"}),
        ],
        refresh=True,
    )

    def found(query: dict) -> set[str]:
        return {h["_id"] for h in engine.search(index, {"query": query})["hits"]["hits"]}

    assert "y" in found({"match": {"body.decomp": "vastgoedcriminaliteit"}})
    assert "x" in found({"match": {"body.decomp": "criminaliteit in het vastgoed"}})
    assert found({"match": {"body": "OMG"}}) == {"z"}


def test_parallel_bulk_keeps_external_versions_across_byte_sized_chunks(engine, index):
    """Issue #14: full builds send chunks in parallel; versions still decide, small byte limits
    split the stream, and the result counts every document."""
    engine.set_refresh_interval(index, "-1")
    actions = [BulkAction("index", f"d{i}", 10, doc(f"titel {i}")) for i in range(50)]
    result = engine.parallel_bulk(
        index, iter(actions), threads=2, chunk_size=7, max_chunk_bytes=800
    )
    assert result.indexed == 50 and result.ok
    older = [BulkAction("index", "d1", 5, doc("oud")), BulkAction("delete", "nope", 11)]
    result = engine.parallel_bulk(index, older, threads=2)
    assert result.conflicts == 1 and result.not_found == 1
    engine.set_refresh_interval(index, None)
    engine.refresh(index)
    assert engine.count(index) == 50
    assert engine.get_versions(index, ["d1"], source=["title"])["d1"] == (10, {"title": "titel 1"})


def test_parallel_bulk_on_an_unreachable_engine_raises_unavailable(settings):
    settings.SEARCH_URL = "http://127.0.0.1:1"
    with pytest.raises(EngineUnavailable):
        get_engine().parallel_bulk("whatever", [BulkAction("index", "a", 1, doc("a"))])


def test_force_merge_leaves_one_searchable_segment_with_every_document(engine, index):
    """ADR 0032: a full build is merged before the alias swap; the merge keeps every document
    searchable and is visible to readers at once (the adapter refreshes after it)."""
    for part in range(3):  # a refresh per bulk: one segment each
        engine.bulk(
            index,
            [BulkAction("index", f"m{part}-{i}", 1, doc(f"segment {part} {i}")) for i in range(5)],
            refresh=True,
        )
    assert engine.segment_count(index) == 3
    engine.force_merge(index, max_segments=1)
    assert engine.segment_count(index) == 1
    assert engine.count(index) == 15
    hits = engine.search(index, {"query": {"match": {"title": "segment"}}, "size": 20})
    assert len(hits["hits"]["hits"]) == 15
