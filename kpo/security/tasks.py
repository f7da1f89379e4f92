"""Beat task: warn and deactivate inactive accounts (ids-free, idempotent)."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def accounts_inactive_task(self) -> dict[str, int]:
    from kpo.security.services import accounts_inactive_process

    return accounts_inactive_process()
