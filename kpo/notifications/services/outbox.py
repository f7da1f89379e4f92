"""The e-mail outbox: claiming due rows under a lease, sending, recording failures with
backoff, releasing, and retrying by hand."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from kpo.notifications.models import EmailOutbox
from kpo.notifications.services.delivery import schedule_send

if TYPE_CHECKING:
    from django.core.mail import EmailMultiAlternatives
    from django.core.mail.backends.base import BaseEmailBackend

    from kpo.accounts.models import User


logger = logging.getLogger(__name__)


# --- sending the outbox --------------------------------------------------------------------------

CLAIM_LEASE = dt.timedelta(minutes=10)


def _max_attempts() -> int:
    from django.conf import settings

    return max(1, int(getattr(settings, "KPO_EMAIL_MAX_ATTEMPTS", 8)))


def _retry_delay(attempts: int) -> dt.timedelta:
    """Back-off after the ``attempts``-th failure: base doubling, capped."""
    from django.conf import settings

    base = int(getattr(settings, "KPO_EMAIL_RETRY_BASE_SECONDS", 60))
    cap = int(getattr(settings, "KPO_EMAIL_RETRY_MAX_SECONDS", 6 * 3600))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _email_outbox_claim(*, batch_size: int, now: dt.datetime) -> list[EmailOutbox]:
    """Claim due rows in one short transaction: ``skip_locked`` lets parallel senders take other
    rows, the lease keeps them from taking these once this transaction has committed."""
    from django.db.models import F, Q

    with transaction.atomic():
        rows = list(
            EmailOutbox.objects.select_for_update(skip_locked=True)
            .filter(status=EmailOutbox.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "id")[:batch_size]
        )
        lease = now + CLAIM_LEASE
        EmailOutbox.objects.filter(pk__in=[r.pk for r in rows]).update(
            claimed_until=lease, attempts=F("attempts") + 1
        )
    for row in rows:
        row.attempts += 1
        row.claimed_until = lease
    return rows


def _email_message(row: EmailOutbox, connection: BaseEmailBackend) -> EmailMultiAlternatives:
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email or None,
        to=[row.to],
        headers=row.headers or None,
        connection=connection,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    return message


def _email_outbox_record(*, row: EmailOutbox, error: str | None) -> EmailOutbox.Status:
    """Write the result of one attempt (only while this sender still holds the lease)."""
    now = timezone.now()
    mine = EmailOutbox.objects.filter(
        pk=row.pk, status=EmailOutbox.Status.PENDING, claimed_until=row.claimed_until
    )
    if error is None:
        mine.update(status=EmailOutbox.Status.SENT, sent_at=now, claimed_until=None, last_error="")
        return EmailOutbox.Status.SENT
    if row.attempts >= _max_attempts():
        mine.update(status=EmailOutbox.Status.DEAD, claimed_until=None, last_error=error[:2000])
        logger.error("E-mail %s is dead after %s attempts: %s", row.pk, row.attempts, error)
        return EmailOutbox.Status.DEAD
    mine.update(
        claimed_until=None,
        last_error=error[:2000],
        next_attempt_at=now + _retry_delay(row.attempts),
    )
    return EmailOutbox.Status.PENDING


def email_outbox_send_due(*, batch_size: int = 20, max_batches: int = 10) -> dict[str, int]:
    """Send the due outbox rows through the delivery backend (``KPO_EMAIL_DELIVERY_BACKEND``, the
    real SMTP backend in production). No transaction is open while talking to the mail server;
    each row is sent at most once unless the process dies between the server's "250 OK" and the
    recording of it (then the lease expires and it is sent again). Returns counts per outcome."""
    from django.conf import settings
    from django.core.mail import get_connection

    done = {"sent": 0, "retry": 0, "dead": 0}
    outcome_names = {
        EmailOutbox.Status.SENT: "sent",
        EmailOutbox.Status.PENDING: "retry",
        EmailOutbox.Status.DEAD: "dead",
    }
    for _ in range(max_batches):
        rows = _email_outbox_claim(batch_size=batch_size, now=timezone.now())
        if not rows:
            break
        connection = get_connection(settings.KPO_EMAIL_DELIVERY_BACKEND, fail_silently=False)
        for index, row in enumerate(rows):
            error = None
            try:
                if connection.send_messages([_email_message(row, connection)]) != 1:
                    error = "The mail server accepted nothing."
            except SoftTimeLimitExceeded:
                _email_outbox_release(rows=rows[index:])
                raise
            except Exception as exc:  # noqa: BLE001 - any failure: retry later, then dead letter
                error = f"{type(exc).__name__}: {exc}"
            done[outcome_names[_email_outbox_record(row=row, error=error)]] += 1
    return done


def _email_outbox_release(*, rows: list[EmailOutbox]) -> None:
    """The task's time is up: give claimed, unsent rows back at once (the attempt not counted)."""
    from django.db.models import F

    for row in rows:
        EmailOutbox.objects.filter(
            pk=row.pk, status=EmailOutbox.Status.PENDING, claimed_until=row.claimed_until
        ).update(claimed_until=None, attempts=F("attempts") - 1)


@transaction.atomic
def email_outbox_retry(*, ids: Iterable[int], actor: User) -> int:
    """Put dead-letter e-mails back in the queue with a fresh attempt budget (platform admin)."""
    from kpo.audit.services import audit_record

    rows = list(
        EmailOutbox.objects.select_for_update().filter(
            pk__in=list(ids), status=EmailOutbox.Status.DEAD
        )
    )
    for row in rows:
        row.status = EmailOutbox.Status.PENDING
        row.attempts = 0
        row.next_attempt_at = timezone.now()
        row.claimed_until = None
        row.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_until"])
        audit_record(
            actor=actor, action="email.retried", target=row, target_label=f"{row.to}: {row.subject}"
        )
    if rows:
        transaction.on_commit(schedule_send)
    return len(rows)
