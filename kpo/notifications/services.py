"""Writes of notifications: in-app rows and durable e-mail, in the caller's transaction."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from django.db import transaction

from kpo.notifications.models import EmailOutbox, Notification

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    community=None,
    email: bool = True,
    key: str | None = None,
) -> list[Notification]:
    """Notify users in-app and (optionally) by e-mail. Inactive users are skipped.

    ``key`` (e.g. ``"review-due:42:2026-11-29"``) makes the call idempotent per recipient: a
    second call with the same key creates no second e-mail.
    """
    created = []
    for user in {u.pk: u for u in recipients}.values():
        if not user.is_active:
            continue
        created.append(
            Notification.objects.create(
                recipient=user, kind=kind, title=title, body=body, url=url, community=community
            )
        )
        if email and user.email:
            email_key = f"{key}:{user.pk}" if key else f"{kind}:{uuid.uuid4()}"
            EmailOutbox.objects.get_or_create(
                key=email_key,
                defaults={"to": user.email, "subject": title, "body": _email_body(body, url)},
            )
    if created:
        transaction.on_commit(_schedule_send)
    return created


def _email_body(body: str, url: str) -> str:
    from django.conf import settings

    link = f"\n\n{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}" if url else ""
    return f"{body}{link}\n\n— Kennisplatform Ondermijning"


def _schedule_send() -> None:
    from kpo.notifications.tasks import send_pending_email_task

    try:
        send_pending_email_task.delay()
    except Exception:  # noqa: BLE001 - broker down: beat sends later
        logger.warning("Could not enqueue e-mail sending; beat will send it.")


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    from django.utils import timezone

    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
