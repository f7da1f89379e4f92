"""Sending the e-mail outbox and the digests. Idempotent: an outbox row is claimed before and marked
sent right after it is sent; a digest's outbox key is user + period."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True)
def send_pending_email_task(self, batch_size: int = 20) -> dict[str, int]:
    """Beat (every minute) and after every queued e-mail. No Celery retry: a failed e-mail gets
    its own back-off and dead-letter state in the outbox row."""
    from kpo.notifications.services import email_outbox_send_due

    return email_outbox_send_due(batch_size=batch_size)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_daily_digest_task(self) -> int:
    """Beat: every day early in the morning; covers the previous day."""
    from kpo.notifications.models import EmailMode
    from kpo.notifications.services import digest_send

    return digest_send(mode=EmailMode.DAILY)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_weekly_digest_task(self) -> int:
    """Beat: every Monday early in the morning; covers the previous ISO week."""
    from kpo.notifications.models import EmailMode
    from kpo.notifications.services import digest_send

    return digest_send(mode=EmailMode.WEEKLY)
