"""Celery tasks of the kennisbank: thin, take ids, idempotent, retry with back-off."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(  # type: ignore[call-overload]  # time limits are floats in settings
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    # The parser's own budget is the sandbox's (KPO_EXTRACTION_*); these bound the task around
    # it (reading the file, writing the row) on pools that enforce time limits.
    soft_time_limit=settings.KPO_EXTRACTION_TIMEOUT_SECONDS + 30,
    time_limit=settings.KPO_EXTRACTION_TIMEOUT_SECONDS + 60,
)
def extract_attachment_text_task(self, document_id: int) -> bool:
    """Extract the text of one attachment for search (no-op when already done). A file the
    sandbox cannot parse in time is recorded as a failed extraction; the worker goes on."""
    from kennisbank.services import attachment_extract_text

    return attachment_extract_text(document_id=document_id)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def review_cycle_task(self) -> dict[str, int]:
    """Daily: reminders, "herbeoordeling nodig" and "verouderd" (see document_review_cycle),
    then the day's freshness snapshot per theme (idempotent: same-day rows are updated)."""
    from kennisbank.services import document_review_cycle, freshness_snapshot_record

    counts = document_review_cycle()
    counts["snapshots"] = freshness_snapshot_record()
    return counts


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def extract_pending_attachments_task(self, limit: int = 100) -> int:
    """Safety net (beat): extract attachments whose extraction never ran, e.g. because the broker
    was down when they were uploaded. Idempotent: done attachments are skipped."""
    from kennisbank.models import AttachmentInfo
    from kennisbank.services import attachment_extract_text

    pending = AttachmentInfo.objects.filter(text_extracted_at__isnull=True).order_by("pk")
    return sum(
        attachment_extract_text(document_id=document_id)
        for document_id in pending.values_list("document_id", flat=True)[:limit]
    )
