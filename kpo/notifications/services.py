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
from typing import TYPE_CHECKING, Any, cast

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.utils import timezone

from kpo.core.access import can_read
from kpo.notifications.models import EmailMode, EmailOutbox, Notification, NotificationPreference

if TYPE_CHECKING:
    from django.core.mail import EmailMultiAlternatives
    from django.core.mail.backends.base import BaseEmailBackend
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
        transaction.on_commit(_schedule_send)
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
        transaction.on_commit(_schedule_send)
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


def _schedule_send() -> None:
    from kpo.notifications.tasks import send_pending_email_task

    try:
        send_pending_email_task.delay()
    except Exception:  # noqa: BLE001 - broker down: beat sends later
        logger.warning("Could not enqueue e-mail sending; beat will send it.")


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
        transaction.on_commit(_schedule_send)
    return len(rows)


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
        transaction.on_commit(_schedule_send)
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
