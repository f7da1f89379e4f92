"""Outbox drain, reindex and reconcile against the real engine, with real Profiles and pages."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from search.engine import content_alias
from search.indexer import drain_outbox, reconcile, reindex, rollback
from search.models import ReconcileRun, SearchOutbox
from search.registry import doc_id_for
from search.services import index_delete, index_enqueue
from tests.factories import ProfileFactory


def index_state(engine, doc_id: str) -> tuple[int, dict] | None:
    engine.refresh(content_alias())
    return engine.get_versions(content_alias(), [doc_id], source=["title", "doc_hash"]).get(doc_id)


@pytest.fixture
def profile(db, fresh_prefix):
    profile = ProfileFactory(function="Bibob-coördinator")
    SearchOutbox.objects.all().delete()
    return profile


def test_drain_indexes_newest_version_and_deletes_only_drained_rows(engine, profile):
    first = index_enqueue(profile)
    second = index_enqueue(profile)
    assert drain_outbox() == 2
    assert not SearchOutbox.objects.exists()
    version, source = index_state(engine, doc_id_for(profile))
    assert version == second.version > first.version
    assert source["title"] == profile.user.display_name
    # idempotent: draining again changes nothing
    assert drain_outbox() == 0
    assert index_state(engine, doc_id_for(profile))[0] == second.version


def test_late_older_row_never_overwrites_newer_data(engine, profile):
    newer = index_enqueue(profile)
    drain_outbox()
    late = SearchOutbox.objects.create(
        doc_id=doc_id_for(profile),
        model_label="accounts.profile",
        object_pk=str(profile.pk),
        action=SearchOutbox.Action.DELETE,
        version=newer.version - 1000,
    )
    assert drain_outbox() == 1  # the conflict is not an error; the row is done
    assert not SearchOutbox.objects.filter(pk=late.pk).exists()
    assert index_state(engine, doc_id_for(profile))[0] == newer.version


def test_delete_and_none_document_remove_from_index(engine, profile):
    index_enqueue(profile)
    drain_outbox()
    profile.user.is_active = False  # search_document() -> None
    profile.user.save()
    drain_outbox()
    assert index_state(engine, doc_id_for(profile)) is None
    profile.user.is_active = True
    profile.user.save()
    drain_outbox()
    assert index_state(engine, doc_id_for(profile)) is not None
    index_delete(profile)
    drain_outbox()
    assert index_state(engine, doc_id_for(profile)) is None


def test_engine_down_keeps_rows_and_records_the_attempt(settings, profile):
    index_enqueue(profile)
    settings.SEARCH_URL = "http://127.0.0.1:1"
    assert drain_outbox() == 0
    row = SearchOutbox.objects.get()
    assert row.attempts == 1 and row.last_error
    assert drain_outbox() == 0
    assert SearchOutbox.objects.get().attempts == 2


def test_reindex_swaps_alias_keeps_previous_and_catches_up(engine, profile):
    first = reindex()
    assert first["indexed"] >= 1 and engine.get_alias(content_alias()) == [first["index"]]
    assert index_state(engine, doc_id_for(profile)) is not None
    pending = ProfileFactory(function="Analist")  # written "during" the next build
    second = reindex()
    assert engine.get_alias(content_alias()) == [second["index"]]
    assert second["previous"] == [first["index"]]
    assert engine.index_exists(first["index"])
    assert index_state(engine, doc_id_for(pending)) is not None
    assert SearchOutbox.objects.filter(doc_id=doc_id_for(pending)).exists()  # still owed
    third = reindex()
    assert not engine.index_exists(first["index"])  # only one previous index is kept
    assert rollback() == second["index"]
    assert engine.get_alias(content_alias()) == [second["index"]]
    assert third["index"] != second["index"]


def test_reindex_merges_the_new_index_before_the_swap(engine, profile, settings):
    """ADR 0032: the live index after a full reindex is one segment (no background merges
    after the swap); ``SEARCH_REINDEX_FORCE_MERGE=0`` skips the merge."""
    ProfileFactory.create_batch(3, function="Analist")
    settings.SEARCH_BULK_CHUNK_DOCS = 1  # several bulk requests
    result = reindex()
    assert result["merged"] is True
    assert engine.segment_count(result["index"]) == 1
    settings.SEARCH_REINDEX_FORCE_MERGE = False
    assert reindex()["merged"] is False


def test_reindex_command_if_empty(engine, profile):
    out = io.StringIO()
    call_command("search_reindex", "--if-empty", stdout=out)
    assert "documenten in" in out.getvalue()
    out = io.StringIO()
    call_command("search_reindex", "--if-empty", stdout=out)
    assert "overgeslagen" in out.getvalue()


def test_theme_pages_are_indexed_with_their_principals(engine, fresh_prefix, corpus):
    from kpo.themes.models import ThemePage

    reindex()
    page = ThemePage.objects.live().first()
    engine.refresh(content_alias())
    source = engine.get_versions(content_alias(), [doc_id_for(page)], source=["principals"])
    assert source[doc_id_for(page)][1]["principals"] == sorted(page.read_principals())


def test_reconcile_repairs_missing_stale_and_orphaned(engine, profile):
    reindex()
    other = ProfileFactory(function="Jurist")  # missing: never drained
    SearchOutbox.objects.all().delete()
    profile.function = "Nieuwe functie"  # stale: content changed, outbox lost
    profile.save()
    SearchOutbox.objects.all().delete()
    from search.engine import BulkAction

    engine.bulk(
        content_alias(),
        [
            BulkAction(
                "index",
                "accounts.profile:999999",
                1,
                {"title": "weg", "principals": ["x"], "doc_id": "accounts.profile:999999"},
            )
        ],
        refresh=True,
    )
    result = reconcile()
    assert result["ok"] and (result["missing"], result["stale"], result["orphaned"]) == (1, 1, 1)
    assert ReconcileRun.objects.latest("started_at").repaired == 3
    engine.refresh(content_alias())
    assert index_state(engine, doc_id_for(other)) is not None
    assert index_state(engine, "accounts.profile:999999") is None
    again = reconcile()
    assert (again["missing"], again["stale"], again["orphaned"]) == (0, 0, 0)
