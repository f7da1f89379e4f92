"""iCalendar (RFC 5545) export of a community event."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    out, line_bytes = [], line.encode("utf-8")
    while len(line_bytes) > 74:
        cut = 74
        while (line_bytes[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        out.append(line_bytes[:cut].decode("utf-8"))
        line_bytes = line_bytes[cut:]
    out.append(line_bytes.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(event) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    ends = event.ends_at or event.starts_at + timedelta(hours=2)
    location = event.location or event.online_url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kennisplatform Ondermijning//Communities//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@kennisplatform-ondermijning",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(ends)}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(event.description)}",
        f"LOCATION:{_escape(location)}",
        f"URL:{base}{event.get_absolute_url()}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
