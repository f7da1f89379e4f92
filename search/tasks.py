"""Celery tasks of the search subsystem. Idempotent; retry with back-off."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def drain_outbox_task(self) -> int:
    from search.indexer import drain_outbox

    return drain_outbox()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def reconcile_task(self) -> dict:
    from search.indexer import reconcile

    return reconcile()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_analysis_task(self) -> dict:
    """Rebuild the index when editors changed synonyms, glossary, themes or organisations."""
    from search.indexer import refresh_analysis

    return refresh_analysis()
