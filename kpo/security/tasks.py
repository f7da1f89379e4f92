"""Beat tasks of account security (ids-free, idempotent)."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def accounts_inactive_task(self) -> dict[str, int]:
    from kpo.security.services import accounts_inactive_process

    return accounts_inactive_process()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def lockout_counters_purge_task(self) -> int:
    """Daily: forget lock-out counters that no longer lock or remember anything."""
    from kpo.security.lockout import lockout_counters_purge

    return lockout_counters_purge()
