"""The local mailbox of the embedded default: e-mail that Django's file backend wrote to
``EMAIL_FILE_PATH``, read back for the staff-only "Verzonden e-mail" screen. Outside the file
backend (production's SMTP) there is no mailbox."""

from __future__ import annotations

import email
import hashlib
from dataclasses import dataclass
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
MAX_MESSAGES = 200


@dataclass(frozen=True)
class Mail:
    key: str
    subject: str
    to: str
    sent_at: object
    text: str


FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
OUTBOX_BACKEND = "kpo.notifications.mail.OutboxEmailBackend"


def _writing_backend() -> str:
    """The backend that finally writes the mail: behind the durable outbox, the delivery
    backend (``KPO_EMAIL_DELIVERY_BACKEND``) the outbox sender hands every message to."""
    if settings.EMAIL_BACKEND == OUTBOX_BACKEND:
        return getattr(settings, "KPO_EMAIL_DELIVERY_BACKEND", "")
    return settings.EMAIL_BACKEND


def mailbox_enabled() -> bool:
    return _writing_backend() == FILE_BACKEND


def _parse(raw: bytes) -> Mail | None:
    raw = raw.strip()
    if not raw:
        return None
    message = email.message_from_bytes(raw, policy=policy.default)
    part = message.get_body(preferencelist=("plain", "html"))
    text = part.get_content() if part is not None else ""
    try:
        sent_at = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return Mail(
        key=hashlib.sha256(raw).hexdigest()[:16],
        subject=str(message["Subject"] or ""),
        to=str(message["To"] or ""),
        sent_at=sent_at,
        text=text,
    )


def mail_list() -> list[Mail]:
    """The newest mails first (at most ``MAX_MESSAGES``)."""
    if not mailbox_enabled():
        return []
    folder = Path(settings.EMAIL_FILE_PATH)
    if not folder.is_dir():
        return []
    mails: list[Mail] = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        chunks = path.read_bytes().split(SEPARATOR)
        for chunk in reversed(chunks):
            mail = _parse(chunk)
            if mail is not None:
                mails.append(mail)
        if len(mails) >= MAX_MESSAGES:
            break
    return mails[:MAX_MESSAGES]


def mail_get(*, key: str) -> Mail | None:
    return next((m for m in mail_list() if m.key == key), None)
