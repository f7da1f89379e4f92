"""Sending the e-mail outbox and the digests. Idempotent: an outbox row is marked sent in the same
step it is sent; a digest's outbox key is user + period."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_pending_email_task(self, batch_size: int = 100) -> int:
    from kpo.notifications.models import EmailOutbox

    sent = 0
    ids = list(
        EmailOutbox.objects.filter(sent_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:batch_size]
    )
    for pk in ids:
        with transaction.atomic():
            row = (
                EmailOutbox.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if row is None:
                continue
            try:
                send_mail(row.subject, row.body, None, [row.to])
            except Exception as exc:  # noqa: BLE001 - keep the row, try again later
                row.attempts += 1
                row.last_error = str(exc)[:2000]
                row.save(update_fields=["attempts", "last_error"])
                continue
            row.sent_at = timezone.now()
            row.save(update_fields=["sent_at"])
            sent += 1
    return sent


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
