"""Writes of notifications: in-app rows and durable e-mail, in the caller's transaction.

E-mail about a community follows the recipient's preference for that community (instant, daily
digest, weekly digest or off); digests are assembled by ``kpo.notifications.tasks`` and re-check
the access rule at sending time.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from kpo.core.access import can_read
from kpo.notifications.models import EmailMode, EmailOutbox, Notification, NotificationPreference

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
    subject=None,
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
        users = [u for u in users if can_read(u, subject)]
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
        transaction.on_commit(_schedule_send)
    return created


def _email_modes(users: list, community, kind: str) -> dict[int, str]:
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


def email_enqueue(*, key: str, to: str, subject: str, body: str) -> bool:
    """Queue one e-mail in the durable outbox (idempotent per ``key``) and send it after commit.

    For strictly necessary mail that is not a notification (account, invitation of someone
    without an account). Returns True when the e-mail is new."""
    _, created = EmailOutbox.objects.get_or_create(
        key=key[:200], defaults={"to": to, "subject": subject[:300], "body": body}
    )
    if created:
        transaction.on_commit(_schedule_send)
    return created


def _schedule_send() -> None:
    from kpo.notifications.tasks import send_pending_email_task

    try:
        send_pending_email_task.delay()
    except Exception:  # noqa: BLE001 - broker down: beat sends later
        logger.warning("Could not enqueue e-mail sending; beat will send it.")


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(*, user, community=None, email_mode: str) -> NotificationPreference:
    """Set how ``user`` gets e-mail about ``community`` (None: the default for everything)."""
    from django.core.exceptions import ValidationError

    if email_mode not in EmailMode.values:
        raise ValidationError({"email_mode": "Kies direct, dagelijks, wekelijks of geen e-mail."})
    pref, _ = NotificationPreference.objects.update_or_create(
        user=user, community=community, defaults={"email_mode": email_mode}
    )
    return pref


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
        with transaction.atomic():
            _, created = EmailOutbox.objects.get_or_create(
                key=key,
                defaults={
                    "to": user.email,
                    "subject": _digest_subject(mode, len(items)),
                    "body": _digest_body(items),
                },
            )
        written += int(created)
    if written:
        transaction.on_commit(_schedule_send)
    return written


def _digest_subject(mode: str, count: int) -> str:
    period = "vandaag" if mode == EmailMode.DAILY else "deze week"
    noun = "nieuwe melding" if count == 1 else "nieuwe meldingen"
    return f"Kennisplatform Ondermijning: {count} {noun} (samenvatting {period})"[:300]


def _digest_body(items: list[Notification]) -> str:
    from django.conf import settings

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = ["Dit is er nieuw voor je op het Kennisplatform Ondermijning:", ""]
    for n in items:
        prefix = f"[{n.community.name}] " if n.community_id else ""
        lines.append(f"- {prefix}{n.title}")
        if n.url:
            lines.append(f"  {base}{n.url}")
    lines += ["", "Je ontvangt deze samenvatting volgens je meldingsvoorkeuren.", ""]
    lines.append("— Kennisplatform Ondermijning")
    return "\n".join(lines)
