"""The digest e-mail: its period, assembling and sending it, and the signed unsubscribe link."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core import signing
from django.db import transaction
from django.utils import timezone

from kpo.notifications.models import EmailMode, EmailOutbox, Notification, NotificationPreference
from kpo.notifications.services.delivery import schedule_send

if TYPE_CHECKING:
    from kpo.accounts.models import User


# --- digests -------------------------------------------------------------------------------------


def digest_period(
    *, mode: str, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime, str]:
    """The period a digest sent at ``now`` covers: the previous local day (daily) or the
    previous ISO week, Monday to Sunday (weekly). Returns (start, end, label)."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    if mode == EmailMode.DAILY:
        start_day, end_day = today - dt.timedelta(days=1), today
        label = start_day.isoformat()
    elif mode == EmailMode.WEEKLY:
        this_monday = today - dt.timedelta(days=today.weekday())
        start_day, end_day = this_monday - dt.timedelta(days=7), this_monday
        year, week, _ = start_day.isocalendar()
        label = f"{year}-W{week:02d}"
    else:
        raise ValueError(f"No digest for mode {mode!r}")
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(start_day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(end_day, dt.time.min, tzinfo=tz)
    return start, end, label


def digest_send(*, mode: str, now: dt.datetime | None = None) -> int:
    """Write one digest e-mail per user for the period before ``now``; idempotent (the outbox key
    is user + period). Each item is re-checked against the access rule at sending time, so content
    of a community the user left (or that became closed) is left out. Returns e-mails written."""
    from kpo.accounts.models import User
    from kpo.notifications.selectors import notification_visible_to

    start, end, label = digest_period(mode=mode, now=now)
    user_ids = (
        Notification.objects.filter(email_mode=mode, created_at__gte=start, created_at__lt=end)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    written = 0
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True).exclude(email=""):
        key = f"digest:{mode}:{label}:{user.pk}"
        if EmailOutbox.objects.filter(key=key).exists():
            continue
        items = notification_visible_to(
            user=user,
            notifications=Notification.objects.filter(
                recipient=user, email_mode=mode, created_at__gte=start, created_at__lt=end
            )
            .select_related("community")
            .order_by("created_at"),
        )
        if not items:
            continue
        unsubscribe = digest_unsubscribe_url(user=user, mode=mode)
        with transaction.atomic():
            _, created = EmailOutbox.objects.get_or_create(
                key=key,
                defaults={
                    "to": user.email,
                    "subject": _digest_subject(mode, len(items)),
                    "body": _digest_body(items, unsubscribe),
                    # RFC 2369 and RFC 8058: mail clients offer one-click unsubscribe.
                    "headers": {
                        "List-Unsubscribe": f"<{unsubscribe}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    },
                },
            )
        written += int(created)
    if written:
        transaction.on_commit(schedule_send)
    return written


def _digest_subject(mode: str, count: int) -> str:
    period = "vandaag" if mode == EmailMode.DAILY else "deze week"
    noun = "nieuwe melding" if count == 1 else "nieuwe meldingen"
    return f"Kennisplatform Ondermijning: {count} {noun} (samenvatting {period})"[:300]


def _digest_body(items: list[Notification], unsubscribe: str) -> str:
    from django.conf import settings

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = ["Dit is er nieuw voor je op het Kennisplatform Ondermijning:", ""]
    for n in items:
        prefix = f"[{n.community.name}] " if n.community else ""
        lines.append(f"- {prefix}{n.title}")
        if n.url:
            lines.append(f"  {base}{n.url}")
    lines += [
        "",
        "Je ontvangt deze samenvatting volgens je meldingsvoorkeuren. Afmelden voor deze "
        f"samenvatting (zonder in te loggen): {unsubscribe}",
        "",
    ]
    lines.append("— Kennisplatform Ondermijning")
    return "\n".join(lines)


# --- one-click unsubscribe from a digest (RFC 8058) -----------------------------------------------

UNSUBSCRIBE_SALT = "kpo.notifications.digest-unsubscribe"


class UnsubscribeError(Exception):
    """A bad unsubscribe link; ``str(exc)`` is a Dutch message."""


def digest_unsubscribe_token(*, user: User, mode: str) -> str:
    return signing.dumps({"u": user.pk, "m": mode}, salt=UNSUBSCRIBE_SALT, compress=True)


def digest_unsubscribe_url(*, user: User, mode: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    path = reverse(
        "notifications:unsubscribe", args=[digest_unsubscribe_token(user=user, mode=mode)]
    )
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def digest_unsubscribe_read(*, token: str) -> tuple[int, str]:
    """(user id, mode) of a signed unsubscribe token; raises UnsubscribeError."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise UnsubscribeError("Deze afmeldlink is ongeldig.") from exc
    mode = data.get("m") if isinstance(data, dict) else None
    user_id = data.get("u") if isinstance(data, dict) else None
    if mode not in (EmailMode.DAILY, EmailMode.WEEKLY) or not isinstance(user_id, int):
        raise UnsubscribeError("Deze afmeldlink is ongeldig.")
    return user_id, mode


@transaction.atomic
def digest_unsubscribe(*, token: str) -> int:
    """Turn the digest of the signed link off, without login: every preference of that user in
    that mode becomes "no e-mail", and notifications still waiting for that digest are not sent.
    Idempotent. Returns the number of preferences changed."""
    from kpo.accounts.models import User
    from kpo.audit.services import audit_record

    user_id, mode = digest_unsubscribe_read(token=token)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise UnsubscribeError("Deze afmeldlink is ongeldig.")
    changed = NotificationPreference.objects.filter(user=user, email_mode=mode).update(
        email_mode=EmailMode.OFF
    )
    Notification.objects.filter(recipient=user, email_mode=mode).update(email_mode=EmailMode.OFF)
    if changed:
        audit_record(
            actor=None,
            action="notifications.digest_unsubscribed",
            target=user,
            target_label=user.email,
            data={"mode": mode, "preferences": changed},
        )
    return changed
