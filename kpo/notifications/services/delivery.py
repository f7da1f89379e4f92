"""Delivering a notification: the in-app row, the e-mail per the user's mode, enqueueing e-mails
in the outbox and scheduling their send after commit; read marks and preferences."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from kpo.core.access import can_read
from kpo.notifications.models import EmailMode, EmailOutbox, Notification, NotificationPreference

if TYPE_CHECKING:
    from django.core.mail import EmailMultiAlternatives
    from django.db.models import Model

    from kpo.accounts.models import User
    from kpo.core.access import AccessControlled


logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    community: Any = None,
    email: bool = True,
    key: str | None = None,
    subject: Model | None = None,
) -> list[Notification]:
    """Notify users in-app and (optionally) by e-mail. Inactive users are skipped.

    ``key`` (e.g. ``"review-due:42:2026-11-29"``) makes the call idempotent per recipient: a
    second call with the same key creates no second notification and no second e-mail.

    ``subject`` (optional) is the item the notification is about: recipients who may not read it
    (access rule) are skipped, and the list and digests re-check it later. With a ``community``,
    e-mail follows the recipient's preference for that community (default: instant).
    """
    created = []
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    users = [u for u in {u.pk: u for u in recipients}.values() if u.is_active]
    if subject is not None and hasattr(subject, "read_principals"):
        users = [u for u in users if can_read(u, cast("AccessControlled", subject))]
    if key:
        done = set(
            Notification.objects.filter(
                recipient__in=[u.pk for u in users], kind=kind, key=key
            ).values_list("recipient_id", flat=True)
        )
        users = [u for u in users if u.pk not in done]
    modes = _email_modes(users, community, kind) if email else {}
    send_instant = False
    for user in users:
        mode = modes.get(user.pk, EmailMode.OFF) if (email and user.email) else EmailMode.OFF
        created.append(
            Notification.objects.create(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                url=url,
                community=community,
                subject_type=subject_type,
                subject_id=subject.pk if subject is not None else None,
                email_mode=mode,
                key=key or "",
            )
        )
        if mode == EmailMode.INSTANT:
            email_key = f"{key}:{user.pk}" if key else f"{kind}:{uuid.uuid4()}"
            EmailOutbox.objects.get_or_create(
                key=email_key[:200],
                defaults={"to": user.email, "subject": title, "body": _email_body(body, url)},
            )
            send_instant = True
    if send_instant:
        transaction.on_commit(schedule_send)
    return created


def _email_modes(users: list[User], community: Any, kind: str) -> dict[int, str]:
    """Each user's e-mail mode: the community preference, else the user's default preference.

    Without any preference, e-mail is opt-in (AVG): only strictly necessary kinds
    (``settings.KPO_NECESSARY_EMAIL_KINDS``) go out, unless the user opted in to e-mail
    notifications on their privacy page."""
    if not users:
        return {}
    from kpo.privacy.models import PrivacyPreference
    from kpo.privacy.selectors import necessary_email_kind

    prefs = NotificationPreference.objects.filter(user_id__in=[u.pk for u in users])
    if community is not None:
        prefs = prefs.filter(community__isnull=True) | prefs.filter(community=community)
    else:
        prefs = prefs.filter(community__isnull=True)
    default: dict[int, str] = {}
    specific: dict[int, str] = {}
    for pref in prefs:
        (default if pref.community_id is None else specific)[pref.user_id] = pref.email_mode
    if necessary_email_kind(kind):
        fallback_instant = {u.pk for u in users}
    else:
        fallback_instant = set(
            PrivacyPreference.objects.filter(
                user_id__in=[u.pk for u in users], email_notifications=True
            ).values_list("user_id", flat=True)
        )
    return {
        u.pk: specific.get(
            u.pk,
            default.get(u.pk, EmailMode.INSTANT if u.pk in fallback_instant else EmailMode.OFF),
        )
        for u in users
    }


def _email_body(body: str, url: str) -> str:
    from django.conf import settings

    link = f"\n\n{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}" if url else ""
    return f"{body}{link}\n\n— Kennisplatform Ondermijning"


def email_enqueue(
    *,
    key: str,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    from_email: str = "",
    headers: dict[str, str] | None = None,
) -> bool:
    """Queue one e-mail in the durable outbox (idempotent per ``key``) and send it after commit.

    For strictly necessary mail that is not a notification (account, invitation of someone
    without an account), and for every message handed to Django's mail API (through
    ``OutboxEmailBackend``). Returns True when the e-mail is new."""
    _, created = EmailOutbox.objects.get_or_create(
        key=key[:200],
        defaults={
            "to": to,
            "subject": subject[:300],
            "body": body,
            "html_body": html_body,
            "from_email": (from_email or "")[:300],
            "headers": {str(k): str(v) for k, v in (headers or {}).items()},
        },
    )
    if created:
        transaction.on_commit(schedule_send)
    return created


def email_enqueue_message(*, message: EmailMultiAlternatives) -> int:
    """Queue a Django ``EmailMessage`` (password reset, Wagtail's workflow and moderation mail):
    one outbox row per recipient (to, cc and bcc), the HTML alternative kept. Returns the number
    of rows written. Attachments are refused: no platform mail has them, and dropping one
    silently would be worse."""
    if getattr(message, "attachments", None):
        raise ValueError("The e-mail outbox does not queue attachments.")
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", []) or []
            if mimetype == "text/html"
        ),
        "",
    )
    if getattr(message, "content_subtype", "plain") == "html" and not html:
        html = message.body
    recipients = list(dict.fromkeys(message.recipients()))
    batch = uuid.uuid4().hex
    written = 0
    with transaction.atomic():
        for index, to in enumerate(recipients):
            written += email_enqueue(
                key=f"mail:{batch}:{index}",
                to=to,
                subject=str(message.subject),
                body=str(message.body),
                html_body=str(html),
                from_email=str(message.from_email or ""),
                headers=dict(message.extra_headers or {}),
            )
    return written


def schedule_send() -> None:
    from kpo.notifications.tasks import send_pending_email_task

    try:
        send_pending_email_task.delay()
    except Exception:  # noqa: BLE001 - broker down: beat sends later
        logger.warning("Could not enqueue e-mail sending; beat will send it.")


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(
    *, user: User, community: Any = None, email_mode: str
) -> NotificationPreference:
    """Set how ``user`` gets e-mail about ``community`` (None: the default for everything)."""
    from django.core.exceptions import ValidationError

    if email_mode not in EmailMode.values:
        raise ValidationError({"email_mode": "Kies direct, dagelijks, wekelijks of geen e-mail."})
    pref, _ = NotificationPreference.objects.update_or_create(
        user=user, community=community, defaults={"email_mode": email_mode}
    )
    return pref
