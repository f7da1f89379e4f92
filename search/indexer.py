"""Keeping the index true: draining the outbox, building documents, reindex and reconcile.

Contracts:

* ``drain_outbox()`` is idempotent and safe to run concurrently (rows are claimed with
  ``SKIP LOCKED``; external versions make a late write lose against newer data). It deletes only
  the rows it sent successfully. When the engine is down it records ``attempts``/``last_error``
  on the claimed rows, logs one warning and returns 0: the rows wait for the next drain.
* ``reindex()`` builds ``<prefix>-content-<timestamp>``, catches up the outbox, swaps the alias
  atomically and keeps the previous index for rollback (older ones are removed).
* ``reconcile()`` compares database and index (ids, versions, content hash), repairs drift
  through the outbox and stores a ``ReconcileRun``.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from search.engine import (
    BulkAction,
    EngineError,
    EngineUnavailable,
    IndexMissing,
    SearchEngine,
    content_alias,
    get_engine,
)
from search.models import ReconcileRun, SearchOutbox
from search.registry import doc_id_for, model_for_label, registered_models
from search.schema import TEXT_FIELDS, analysis_fingerprint, index_body
from search.services import next_version

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500


# --- documents -------------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return value


def finish_document(doc: dict[str, Any], *, doc_id: str, search_type: str) -> dict[str, Any]:
    """Complete a ``search_document()`` dict for the index: type, doc_id, autocomplete text,
    sorted principals and a content hash (used by reconcile)."""
    doc = {key: _jsonable(value) for key, value in doc.items() if value is not None}
    for key in TEXT_FIELDS:
        if isinstance(doc.get(key), str) and "&" in doc[key]:
            # Text taken from HTML may still carry entities ("APV&#x27;s"): index the characters.
            doc[key] = html.unescape(doc[key])
    doc["type"] = search_type
    doc["doc_id"] = doc_id
    doc["principals"] = sorted(set(doc.get("principals") or []))
    doc["autocomplete"] = doc.get("title", "")
    if "year" not in doc and isinstance(doc.get("date"), str) and doc["date"][:4].isdigit():
        doc["year"] = int(doc["date"][:4])
    doc.pop("doc_hash", None)
    doc["doc_hash"] = hashlib.sha256(
        json.dumps(doc, sort_keys=True, default=str).encode()
    ).hexdigest()
    return doc


def build_document(instance: Any) -> dict[str, Any] | None:
    """The index document of a registered instance, or None when it must not be in the index.
    A document without principals is never indexed (it could not be filtered)."""
    raw = instance.search_document()
    if raw is None or not raw.get("principals"):
        return None
    return finish_document(raw, doc_id=doc_id_for(instance), search_type=instance.search_type)


def _documents_for(label: str, pks: Iterable[str]) -> dict[str, dict | None]:
    """``{doc_id: document or None}`` for the given primary keys of one model, from the DB."""
    model = model_for_label(label)
    pks = list(pks)
    result: dict[str, dict | None] = {f"{label}:{pk}": None for pk in pks}
    if model is None:
        return result
    for instance in model.search_queryset().filter(pk__in=pks):
        result[doc_id_for(instance)] = build_document(instance)
    return result


# --- alias and indices -----------------------------------------------------------------------
def new_index_name() -> str:
    return f"{content_alias()}-{timezone.now():%Y%m%d%H%M%S%f}"


def ensure_alias(engine: SearchEngine | None = None) -> str:
    """Make sure the alias exists (an empty physical index behind it if not). Returns the alias.
    Writing through an alias that does not exist would auto-create an unmapped index."""
    engine = engine or get_engine()
    alias = content_alias()
    if not engine.get_alias(alias):
        if engine.index_exists(alias):
            raise EngineError(f"{alias} is a physical index, not an alias; run search_reindex.")
        name = new_index_name()
        engine.create_index(name, index_body())
        engine.swap_alias(alias, name)
    return alias


# --- drain -----------------------------------------------------------------------------------
def _actions_for(rows: list[SearchOutbox]) -> list[BulkAction]:
    """One action per doc_id: the newest version wins; its document is read from the DB now."""
    newest: dict[str, SearchOutbox] = {}
    for row in rows:
        if row.doc_id not in newest or row.version > newest[row.doc_id].version:
            newest[row.doc_id] = row
    by_label: dict[str, list[str]] = {}
    for row in newest.values():
        if row.action == SearchOutbox.Action.INDEX:
            by_label.setdefault(row.model_label, []).append(row.object_pk)
    documents: dict[str, dict | None] = {}
    for label, pks in by_label.items():
        documents.update(_documents_for(label, pks))
    actions = []
    for doc_id, row in newest.items():
        doc = documents.get(doc_id) if row.action == SearchOutbox.Action.INDEX else None
        if doc is None:
            actions.append(BulkAction("delete", doc_id, row.version))
        else:
            actions.append(BulkAction("index", doc_id, row.version, doc))
    return actions


def drain_outbox(
    *, batch: int = DRAIN_BATCH, max_batches: int = 100, engine: SearchEngine | None = None
) -> int:
    """Send pending outbox rows to the index in bulk; returns the number of rows drained."""
    engine = engine or get_engine()
    drained = 0
    try:
        alias = ensure_alias(engine)
    except EngineError as exc:
        _record_failure(list(SearchOutbox.objects.order_by("id")[:batch]), exc)
        return 0
    for _ in range(max_batches):
        with transaction.atomic():
            rows = list(
                SearchOutbox.objects.select_for_update(skip_locked=True).order_by("id")[:batch]
            )
            if not rows:
                break
            try:
                result = engine.bulk(alias, _actions_for(rows))
            except EngineError as exc:
                _record_failure(rows, exc)
                break
            if result.errors:
                logger.error("Search bulk rejected documents: %s", result.errors[:5])
            SearchOutbox.objects.filter(pk__in=[row.pk for row in rows]).delete()
            drained += len(rows)
        if len(rows) < batch:
            break
    return drained


def _record_failure(rows: list[SearchOutbox], exc: Exception) -> None:
    level = logging.WARNING if isinstance(exc, EngineUnavailable) else logging.ERROR
    logger.log(level, "Search drain postponed (%s rows): %s", len(rows), str(exc)[:200])
    if rows:
        from django.db.models import F

        SearchOutbox.objects.filter(pk__in=[row.pk for row in rows]).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:1000]
        )


# --- full builds -----------------------------------------------------------------------------
def iter_all_documents(chunk: int = 500) -> Iterator[tuple[str, dict | None]]:
    """Every registered instance as ``(doc_id, document or None)``."""
    for model in registered_models():
        for instance in model.search_queryset().iterator(chunk_size=chunk):
            yield doc_id_for(instance), build_document(instance)


def count_all_candidates() -> int:
    return sum(model.search_queryset().count() for model in registered_models())


def versioned_actions(
    docs: Iterable[tuple[str, dict | None]], *, every: int = 500
) -> Iterator[BulkAction]:
    """Index actions for pre-built documents. A fresh version is taken before each ``every``
    documents are read from the DB, so a write that commits after the read carries a higher
    version and wins when the outbox delivers it."""
    version = next_version()
    for read, (doc_id, doc) in enumerate(docs, start=1):
        if read % every == 0:
            version = next_version()
        if doc is not None:
            yield BulkAction("index", doc_id, version, doc)


def bulk_build(
    engine: SearchEngine,
    index: str,
    docs: Iterable[tuple[str, dict | None]],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """A full build's bulk load (issue #14): documents are built from the DB in this thread while
    ``SEARCH_BULK_THREADS`` threads send bulk requests of at most ``SEARCH_BULK_CHUNK_BYTES``
    bytes. Returns the number of documents indexed; rejected documents are logged."""
    sent = 0

    def counted() -> Iterator[BulkAction]:
        nonlocal sent
        for action in versioned_actions(docs):
            sent += 1
            if progress and sent % 500 == 0:
                progress(500)
            yield action

    result = engine.parallel_bulk(
        index,
        counted(),
        threads=getattr(settings, "SEARCH_BULK_THREADS", 2),
        chunk_size=getattr(settings, "SEARCH_BULK_CHUNK_DOCS", 2000),
        max_chunk_bytes=getattr(settings, "SEARCH_BULK_CHUNK_BYTES", 5 * 1024 * 1024),
    )
    if progress and sent % 500:
        progress(sent % 500)
    if result.errors:
        logger.error("Search bulk rejected %s documents: %s", len(result.errors), result.errors[:5])
    return result.indexed


def catch_up(engine: SearchEngine, index: str) -> int:
    """Apply every pending outbox row to ``index`` (read fresh from the DB, fresh version),
    without deleting the rows: the regular drain still owes them to the live alias."""
    rows = list(SearchOutbox.objects.order_by("id"))
    if not rows:
        return 0
    actions = _actions_for(rows)
    version = next_version()
    for action in actions:
        action.version = version
    engine.bulk(index, actions)
    return len(actions)


def reindex(
    *,
    if_empty: bool = False,
    if_stale: bool = False,
    progress: Callable[[int, int], None] | None = None,
    engine: SearchEngine | None = None,
) -> dict[str, Any]:
    """Build a new physical index behind the alias; see the module docstring."""
    engine = engine or get_engine()
    alias = content_alias()
    previous = engine.get_alias(alias)
    if if_empty and previous and engine.count(alias) > 0:
        return {"skipped": True, "alias": alias, "index": previous[0]}
    if if_stale and previous and engine.count(alias) > 0 and analysis_is_current(engine=engine):
        return {"skipped": True, "alias": alias, "index": previous[0]}
    name = new_index_name()
    engine.create_index(name, index_body())
    # Nobody reads the new index before the swap: no periodic refreshes while it fills.
    engine.set_refresh_interval(name, "-1")
    total = count_all_candidates()
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    sent = bulk_build(engine, name, iter_all_documents(), progress=step)
    caught_up = catch_up(engine, name)
    engine.set_refresh_interval(name, None)
    engine.refresh(name)
    merged = settings.SEARCH_REINDEX_FORCE_MERGE
    merge_started = time.perf_counter()
    if merged:
        # ADR 0032: the bulk leaves several segments the node would go on merging in the
        # background after the swap, on the cores that serve the searches; merge them now,
        # while readers still use the previous index.
        engine.force_merge(name, max_segments=1)
    merge_seconds = time.perf_counter() - merge_started
    left = engine.swap_alias(alias, name)
    caught_up += catch_up(engine, name)  # rows committed while we swapped
    keep = set(left[-1:])  # the previous index stays for rollback
    for old in engine.list_indices(f"{alias}-*"):
        if old != name and old not in keep and old not in left:
            engine.delete_index(old)
    for old in left:
        if old not in keep:
            engine.delete_index(old)
    return {
        "skipped": False,
        "alias": alias,
        "index": name,
        "indexed": sent,
        "caught_up": caught_up,
        "merged": merged,
        "merge_seconds": round(merge_seconds, 3),
        "previous": sorted(keep),
    }


def analysis_is_current(*, engine: SearchEngine | None = None) -> bool:
    """True when the live index was built from the synonym data the database holds now."""
    engine = engine or get_engine()
    meta = engine.mapping_meta(content_alias())
    return meta.get("kpo_analysis") == analysis_fingerprint()


def refresh_analysis(*, engine: SearchEngine | None = None) -> dict[str, Any]:
    """Make the live index's analyzers match the editors' data (themes, glossary, synonym sets,
    organisations): when the fingerprint differs, rebuild behind the alias (``reindex``; readers
    keep the old index until the swap). Idempotent: a second call right after is a no-op."""
    engine = engine or get_engine()
    alias = content_alias()
    if not engine.get_alias(alias):
        return {"skipped": True, "reason": "no-index"}  # the first drain builds it, with the data
    if analysis_is_current(engine=engine):
        return {"skipped": True, "reason": "current"}
    return reindex(engine=engine)


def rollback(*, engine: SearchEngine | None = None) -> str | None:
    """Point the alias back at the newest other index (the one ``reindex`` kept)."""
    engine = engine or get_engine()
    alias = content_alias()
    current = set(engine.get_alias(alias))
    candidates = [n for n in engine.list_indices(f"{alias}-*") if n not in current]
    if not candidates:
        return None
    engine.swap_alias(alias, candidates[-1])
    return candidates[-1]


# --- reconcile -------------------------------------------------------------------------------
def reconcile(*, engine: SearchEngine | None = None, repair: bool = True) -> dict:
    """Compare ids, versions and content hashes of DB and index; repair drift via the outbox."""
    from search.services import index_delete_id, index_enqueue

    engine = engine or get_engine()
    run = ReconcileRun.objects.create(index_name=content_alias())
    pending = set(SearchOutbox.objects.values_list("doc_id", flat=True))
    missing: list[Model] = []
    stale: list[Model] = []
    orphaned: list[str] = []
    try:
        alias = ensure_alias(engine)
        run.index_name = ",".join(engine.get_alias(alias))
        expected: dict[str, Model] = {}
        for model in registered_models():
            batch: list[tuple[Model, dict]] = []
            for instance in model.search_queryset().iterator(chunk_size=500):
                doc = build_document(instance)
                if doc is None:
                    continue
                expected[doc_id_for(instance)] = instance
                batch.append((instance, doc))
                if len(batch) >= 500:
                    _compare(engine, alias, batch, missing, stale)
                    batch = []
            _compare(engine, alias, batch, missing, stale)
        for doc_id, _version, _src in engine.iter_ids(alias):
            if doc_id not in expected and doc_id not in pending:
                orphaned.append(doc_id)
        missing = [m for m in missing if doc_id_for(m) not in pending]
        stale = [m for m in stale if doc_id_for(m) not in pending]
        run.checked = len(expected)
        run.missing, run.stale, run.orphaned = len(missing), len(stale), len(orphaned)
        if repair and (missing or stale or orphaned):
            with transaction.atomic():
                for instance in [*missing, *stale]:
                    index_enqueue(instance)
                for doc_id in orphaned:
                    index_delete_id(doc_id)
            run.repaired = len(missing) + len(stale) + len(orphaned)
        run.ok = True
    except (EngineError, IndexMissing) as exc:
        run.error = str(exc)[:1000]
    run.finished_at = timezone.now()
    run.save()
    if run.repaired:
        drain_outbox(engine=engine)
    return {
        "ok": run.ok,
        "checked": run.checked,
        "missing": run.missing,
        "stale": run.stale,
        "orphaned": run.orphaned,
        "repaired": run.repaired,
        "error": run.error,
    }


def _compare(
    engine: SearchEngine,
    index: str,
    batch: list[tuple[Model, dict]],
    missing: list[Model],
    stale: list[Model],
) -> None:
    if not batch:
        return
    found = engine.get_versions(index, [doc["doc_id"] for _m, doc in batch], source=["doc_hash"])
    for instance, doc in batch:
        if doc["doc_id"] not in found:
            missing.append(instance)
        elif found[doc["doc_id"]][1].get("doc_hash") != doc["doc_hash"]:
            stale.append(instance)
