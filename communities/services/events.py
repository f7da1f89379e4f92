"""Writes of community events: create, update, RSVP, the reminder the day before and the
members' calendar subscription tokens."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from communities.ical import normalise_newlines
from communities.models import (
    RSVP,
    CalendarToken,
    Community,
    Event,
)
from communities.selectors import is_member
from communities.services.rights import require_moderator
from kpo.core.access import can_read
from kpo.notifications.services import notify
from search.services import index_enqueue

if TYPE_CHECKING:
    from kpo.accounts.models import User

# --- events --------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    community: Community,
    actor: User,
    title: str,
    starts_at: datetime,
    description: str = "",
    ends_at: datetime | None = None,
    location: str = "",
    online_url: str = "",
    capacity: int | None = None,
    slug: str = "",
) -> Event:
    require_moderator(community, actor)
    if not (title or "").strip():
        raise ValidationError({"title": "Geef een titel."})
    if ends_at and ends_at < starts_at:
        raise ValidationError({"ends_at": "Het einde ligt voor het begin."})
    base = slugify(slug or f"{community.slug}-{title}")[:90] or "bijeenkomst"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    event = Event.objects.create(
        community=community, slug=slug, title=title.strip(),
        description=normalise_newlines(description).strip(),
        starts_at=starts_at, ends_at=ends_at, location=location.strip(), online_url=online_url,
        capacity=capacity, created_by=actor,
    )  # fmt: skip
    index_enqueue(event)
    return event


_EDITABLE = ("title", "description", "starts_at", "ends_at", "location", "online_url", "capacity")


@transaction.atomic
def event_update(*, event: Event, actor: User, **changes: Any) -> Event:
    """Change an event (moderators). Any change bumps its iCalendar ``SEQUENCE`` so subscribed
    calendars replace their copy; ``updated_at`` becomes its ``LAST-MODIFIED``."""
    require_moderator(event.community, actor)
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise ValidationError({"title": "Geef een titel."})
    for field in ("description", "location"):
        if field in changes:
            changes[field] = normalise_newlines(changes[field] or "").strip()
    starts_at = changes.get("starts_at", event.starts_at)
    ends_at = changes.get("ends_at", event.ends_at)
    if ends_at and ends_at < starts_at:
        raise ValidationError({"ends_at": "Het einde ligt voor het begin."})
    changed = [f for f, value in changes.items() if getattr(event, f) != value]
    if not changed:
        return event
    for field in changed:
        setattr(event, field, changes[field])
    event.sequence += 1
    event.save(update_fields=[*changed, "sequence", "updated_at"])
    index_enqueue(event)
    return event


# --- calendar subscriptions ------------------------------------------------------------------


def calendar_token_get_or_create(*, community: Community, user: User) -> CalendarToken:
    """The member's subscription token for the community's calendar (created on first use)."""
    if not is_member(community=community, user=user):
        raise PermissionDenied("Alleen leden kunnen zich abonneren op deze agenda.")
    token, _ = CalendarToken.objects.get_or_create(
        user=user, community=community, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def calendar_token_regenerate(*, community: Community, user: User) -> CalendarToken:
    """A new secret: the old subscription URL answers 404 from now on."""
    CalendarToken.objects.filter(user=user, community=community).delete()
    return calendar_token_get_or_create(community=community, user=user)


def calendar_token_revoke(*, community: Community, user: User) -> None:
    CalendarToken.objects.filter(user=user, community=community).delete()


@transaction.atomic
def rsvp_set(*, event: Event, user: User, answer: str) -> RSVP:
    """Answer yes / no / maybe. "Yes" is refused when the event is full."""
    if not can_read(user, event):
        raise PermissionDenied("Je kunt deze bijeenkomst niet zien.")
    if answer not in RSVP.Answer.values:
        raise ValidationError({"answer": "Kies ja, nee of misschien."})
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if answer == RSVP.Answer.YES and event.capacity is not None:
        taken = event.rsvps.filter(answer=RSVP.Answer.YES).exclude(user=user).count()
        if taken >= event.capacity:
            raise ValidationError("Deze bijeenkomst is vol.")
    rsvp, _ = RSVP.objects.update_or_create(event=event, user=user, defaults={"answer": answer})
    return rsvp


def event_reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone who answered yes or maybe, the day before the event (idempotent)."""
    import datetime as dt

    now = timezone.localtime(now or timezone.now())
    tomorrow = now.date() + dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    count = 0
    for event in Event.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related(
        "community"
    ):
        with transaction.atomic():
            users = get_user_model().objects.filter(
                Q(pk__in=event.rsvps.filter(
                    answer__in=[RSVP.Answer.YES, RSVP.Answer.MAYBE]
                ).values("user_id"))
            )  # fmt: skip
            when = timezone.localtime(event.starts_at).strftime("%d-%m-%Y %H:%M")
            count += len(
                notify(
                    recipients=users,
                    kind="event_reminder",
                    title=f"Morgen: {event.title}",
                    body=f"{when}, {event.location or event.online_url}",
                    url=event.get_absolute_url(),
                    community=event.community,
                    subject=event,
                    key=f"event-reminder:{event.pk}:{tomorrow.isoformat()}",
                )
            )
    return count
