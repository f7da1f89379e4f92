"""Searches keep succeeding during a reindex; an engine outage loses nothing."""

from __future__ import annotations

import threading

import pytest

from search.engine import content_alias
from search.indexer import drain_outbox, ensure_alias, reindex
from search.models import SearchOutbox
from search.query import SearchParams, acronyms
from search.registry import doc_id_for
from search.selectors import search_raw
from tests.factories import ProfileFactory


def test_reindex_while_searching_in_a_loop(engine, fresh_prefix, corpus):
    reindex()
    acronyms()  # warm the cache: the searching thread never needs the database
    stop = threading.Event()
    failures: list[str] = []
    empty: list[int] = []
    done = [0]
    principals = frozenset({"public", "platform"})

    def search_loop() -> None:
        while not stop.is_set():
            try:
                response = search_raw(principals=principals, params=SearchParams(q="vastgoed"))
                if response["hits"]["total"]["value"] == 0:
                    empty.append(done[0])
                done[0] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is reported below
                failures.append(repr(exc))

    thread = threading.Thread(target=search_loop, daemon=True)
    thread.start()
    try:
        reindex()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert failures == []
    assert empty == []
    assert done[0] >= 5


@pytest.mark.integration
def test_engine_stopped_write_started_drained_nothing_lost(
    search_node, engine, fresh_prefix, professional_client
):
    ensure_alias()
    search_node.stop()
    try:
        assert engine.ping() is False
        profile = ProfileFactory(function="Uitbuitingsexpert")  # signal -> outbox row
        row = SearchOutbox.objects.get(doc_id=doc_id_for(profile))
        assert drain_outbox() == 0
        row.refresh_from_db()
        assert row.attempts == 1 and row.last_error
        page = professional_client.get("/zoeken/", {"q": "uitbuitingsexpert"})
        assert page.status_code == 503
        assert "niet beschikbaar" in page.content.decode()
        assert professional_client.get("/api/v1/search", {"q": "x"}).status_code == 503
    finally:
        search_node.start()
    assert engine.ping() is True
    assert drain_outbox() >= 1
    assert not SearchOutbox.objects.filter(doc_id=doc_id_for(profile)).exists()
    engine.refresh(content_alias())
    response = search_raw(
        principals=frozenset({"platform"}), params=SearchParams(q="uitbuitingsexpert")
    )
    assert doc_id_for(profile) in [hit["_id"] for hit in response["hits"]["hits"]]
