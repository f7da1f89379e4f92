"""iCalendar (RFC 5545) files of community events, written by the ``icalendar`` package.

The package escapes text values (``\\n``, ``\\;``, ``\\,``) and folds lines, so no text typed
by a user — a carriage return, ``END:VEVENT`` or ``ATTACH:`` — can start a property or a
component of its own. Line endings are normalised to LF first (a browser sends CRLF; RFC 5545
has no escape for a bare CR). Updated events carry ``SEQUENCE`` and ``LAST-MODIFIED`` so
subscribed calendars replace their copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

PRODID = "-//Kennisplatform Ondermijning//Communities//NL"


def normalise_newlines(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _calendar(name: str = "") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _vevent(event, *, stamp) -> icalendar.Event:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.pk}@kennisplatform-ondermijning")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_at)
    vevent.add("dtend", event.ends_at or event.starts_at + timedelta(hours=2))
    vevent.add("summary", normalise_newlines(event.title))
    if event.description:
        vevent.add("description", normalise_newlines(event.description))
    location = event.location or event.online_url
    if location:
        vevent.add("location", normalise_newlines(location))
    vevent.add("url", f"{base}{event.get_absolute_url()}")
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CANCELLED" if getattr(event, "is_cancelled", False) else "CONFIRMED")
    if event.updated_at:
        vevent.add("last-modified", event.updated_at)
    return vevent


def event_ics(event) -> bytes:
    """One event as a downloadable .ics."""
    calendar = _calendar()
    calendar.add_component(_vevent(event, stamp=timezone.now()))
    return calendar.to_ical()


def events_ics(events: Iterable, *, name: str) -> bytes:
    """A subscribable calendar of several events."""
    calendar = _calendar(name)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_vevent(event, stamp=stamp))
    return calendar.to_ical()
