"""Beat task: enforce the retention periods (idempotent; safe to run twice)."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def retention_enforce_task(self) -> dict[str, int]:
    from kpo.privacy.services import retention_enforce

    return retention_enforce()
