"""Writes of the search subsystem: recording index changes in the outbox."""

from __future__ import annotations

import time

from django.db import transaction
from django.db.models import Model

from kpo.core.fragments import bump_content_version
from search.models import SearchOutbox
from search.registry import doc_id_for


def next_version() -> int:
    """A monotonically growing external version (microseconds since the epoch)."""
    return time.time_ns() // 1000


def _enqueue(instance: Model, action: str) -> SearchOutbox:
    row = SearchOutbox.objects.create(
        doc_id=doc_id_for(instance),
        model_label=instance._meta.label_lower,
        object_pk=str(instance.pk),
        action=action,
        version=next_version(),
    )
    _drain_after_commit()
    return row


class AfterCommit:
    """The one on-commit callback of a transaction that wrote outbox rows: drain the outbox and
    bump the fragment-cache version (ADR 0013: cached fragments are stale)."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        self.done = True
        _schedule_drain()
        bump_content_version()


def _drain_after_commit() -> None:
    """Schedule one outbox drain (and one fragment-cache bump) for the surrounding transaction,
    however many rows it writes; outside a transaction both run right away.

    A callback still pending on the connection is enough: Django drops the callbacks of a
    rolled-back savepoint, and any savepoint still open around that callback also encloses this
    row, so the two are committed or rolled back together."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(func, AfterCommit) and not func.done
        for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(AfterCommit())


def _schedule_drain() -> None:
    from search.tasks import drain_outbox_task

    try:
        drain_outbox_task.delay()
    except Exception:  # noqa: BLE001 - broker down: the beat safety net drains later
        import logging

        logging.getLogger(__name__).warning("Could not enqueue the search drain; beat will.")


def index_enqueue(instance: Model) -> SearchOutbox:
    """Record that ``instance`` must be (re)indexed. Call inside the write's transaction."""
    return _enqueue(instance, SearchOutbox.Action.INDEX)


def index_delete(instance: Model) -> SearchOutbox:
    """Record that ``instance`` must leave the index. Call inside the write's transaction."""
    return _enqueue(instance, SearchOutbox.Action.DELETE)


def index_delete_id(doc_id: str) -> SearchOutbox:
    """Record that the document ``doc_id`` ("<app_label.model>:<pk>") must leave the index,
    also when its row is gone from the database (reconcile's orphans)."""
    label, _, pk = doc_id.partition(":")
    row = SearchOutbox.objects.create(
        doc_id=doc_id,
        model_label=label,
        object_pk=pk,
        action=SearchOutbox.Action.DELETE,
        version=next_version(),
    )
    _drain_after_commit()
    return row
