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
from communities.services.suspension import require_not_suspended
from kpo.core.access import can_read, has_staff_role
from kpo.notifications.services import notify
from search.services import index_enqueue

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from kpo.accounts.models import User

# --- events --------------------------------------------------------------------------------------

# Platform staff who organise network-wide events (not bound to a community).
NETWORK_EVENT_ROLES = ("communitymanager", "admin")


def can_organise_network_events(*, user: User | AnonymousUser) -> bool:
    """Community managers of the platform (the staff group) and platform admins."""
    return any(has_staff_role(user, role) for role in NETWORK_EVENT_ROLES)


def require_event_organiser(*, community: Community | None, actor: User) -> None:
    """Moderators of the event's community; for a network-wide event, platform staff."""
    if community is not None:
        require_moderator(community, actor)
    elif not can_organise_network_events(user=actor):
        raise PermissionDenied(
            "Alleen communitymanagers van het platform mogen netwerkbrede bijeenkomsten beheren."
        )


@transaction.atomic
def event_create(
    *,
    community: Community | None,
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
    require_event_organiser(community=community, actor=actor)
    if not (title or "").strip():
        raise ValidationError({"title": "Geef een titel."})
    if ends_at and ends_at < starts_at:
        raise ValidationError({"ends_at": "Het einde ligt voor het begin."})
    base = (
        slugify(slug or f"{community.slug if community else 'netwerk'}-{title}")[:90]
        or "bijeenkomst"
    )
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
# A change of one of these is news for everyone who said they would (maybe) come; the message
# names each change, old and new (``_change_lines``).
_ATTENDEE_NEWS = ("starts_at", "ends_at", "location", "online_url")
_NEWS_LABELS = {
    "starts_at": "begin",
    "ends_at": "einde",
    "location": "plaats",
    "online_url": "online link",
}


def _news_value(value: Any) -> str:
    if value is None or value == "":
        return "(geen)"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    return str(value)


def _change_lines(before: dict[str, Any], event: Event) -> str:
    """ "begin: 03-12-2026 10:00 → 04-12-2026 10:00; plaats: Utrecht → Den Haag"."""
    return "; ".join(
        f"{_NEWS_LABELS[field]}: {_news_value(before[field])} → "
        f"{_news_value(getattr(event, field))}"
        for field in _ATTENDEE_NEWS
        if field in before
    )


def _attendees(event: Event) -> QuerySet[User]:
    """Everyone who answered yes or maybe, or waits for a place."""
    return get_user_model().objects.filter(
        pk__in=event.rsvps.filter(
            answer__in=[RSVP.Answer.YES, RSVP.Answer.MAYBE, RSVP.Answer.WAITING]
        ).values("user_id")
    )


def _when(event: Event) -> str:
    return timezone.localtime(event.starts_at).strftime("%d-%m-%Y %H:%M")


def _promote_waiting(event: Event) -> list[RSVP]:
    """Fill free places from the waiting list, first come first served; each promoted member
    is told. Call with the event row locked."""
    if event.is_cancelled:
        return []
    promoted: list[RSVP] = []
    waiting = event.rsvps.filter(answer=RSVP.Answer.WAITING).order_by("waitlisted_at", "pk")
    for rsvp in waiting.select_related("user"):
        taken = event.rsvps.filter(answer=RSVP.Answer.YES).count()
        if event.capacity is not None and taken >= event.capacity:
            break
        rsvp.answer = RSVP.Answer.YES
        rsvp.waitlisted_at = None
        rsvp.save(update_fields=["answer", "waitlisted_at", "updated_at"])
        promoted.append(rsvp)
        notify(
            recipients=[rsvp.user],
            kind="event_place",
            title=f"Er is een plaats vrij: {event.title}",
            body=f"Je stond op de wachtlijst en bent nu aangemeld. {_when(event)}",
            url=event.get_absolute_url(),
            community=event.community,
            subject=event,
            key=f"event-place:{event.pk}:{rsvp.pk}:{rsvp.updated_at.isoformat()}",
        )
    return promoted


@transaction.atomic
def event_update(*, event: Event, actor: User, **changes: Any) -> Event:
    """Change an event (moderators). Any change bumps its iCalendar ``SEQUENCE`` so subscribed
    calendars replace their copy; ``updated_at`` becomes its ``LAST-MODIFIED``."""
    require_event_organiser(community=event.community, actor=actor)
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
    if event.is_cancelled:
        raise ValidationError("Deze bijeenkomst is afgelast en kan niet meer worden aangepast.")
    before = {field: getattr(event, field) for field in changed}
    for field in changed:
        setattr(event, field, changes[field])
    event.sequence += 1
    event.save(update_fields=[*changed, "sequence", "updated_at"])
    if "capacity" in changed:
        _promote_waiting(event)
    if any(field in _ATTENDEE_NEWS for field in changed):
        place = event.location or event.online_url
        notify(
            recipients=_attendees(event).exclude(pk=actor.pk),
            kind="event_changed",
            title=f"Gewijzigd: {event.title}",
            body=(
                f"Gewijzigd: {_change_lines(before, event)}. "
                f"Nu: {_when(event)}{', ' + place if place else ''}"
            )[:500],
            url=event.get_absolute_url(),
            community=event.community,
            subject=event,
            key=f"event-changed:{event.pk}:{event.sequence}",
        )
    index_enqueue(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: User, reason: str) -> Event:
    """Call an event off (moderators), with a reason. Everyone who said yes or maybe, or was
    waiting, is told; calendars get ``STATUS:CANCELLED``; answering is closed."""
    require_event_organiser(community=event.community, actor=actor)
    reason = normalise_newlines(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Geef een reden op."})
    if len(reason) > 2000:
        raise ValidationError({"reason": "De reden is te lang (maximaal 2.000 tekens)."})
    event = (
        Event.objects.select_for_update(of=("self",)).select_related("community").get(pk=event.pk)
    )
    if event.is_cancelled:
        raise ValidationError("Deze bijeenkomst is al afgelast.")
    event.cancelled_at = timezone.now()
    event.cancel_reason = reason
    event.sequence += 1
    event.save(update_fields=["cancelled_at", "cancel_reason", "sequence", "updated_at"])
    notify(
        recipients=_attendees(event).exclude(pk=actor.pk),
        kind="event_cancelled",
        title=f"Afgelast: {event.title}",
        body=f"{_when(event)} gaat niet door. {reason}"[:500],
        url=event.get_absolute_url(),
        community=event.community,
        subject=event,
        key=f"event-cancelled:{event.pk}",
    )
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
    """Answer yes / no / maybe. "Yes" when the event is full puts the member on the waiting
    list (``answer == "waiting"``); a place given up goes to the first one waiting."""
    if not can_read(user, event):
        raise PermissionDenied("Je kunt deze bijeenkomst niet zien.")
    if answer not in (RSVP.Answer.YES, RSVP.Answer.NO, RSVP.Answer.MAYBE):
        raise ValidationError({"answer": "Kies ja, nee of misschien."})
    if answer != RSVP.Answer.NO:  # giving a place up stays possible (it frees it for others)
        require_not_suspended(user=user, community=event.community)
    event = (
        Event.objects.select_for_update(of=("self",)).select_related("community").get(pk=event.pk)
    )
    if event.is_cancelled:
        raise ValidationError("Deze bijeenkomst is afgelast.")
    mine = RSVP.objects.filter(event=event, user=user).first()
    waitlisted_at = None
    if answer == RSVP.Answer.YES and event.capacity is not None:
        taken = event.rsvps.filter(answer=RSVP.Answer.YES).exclude(user=user).count()
        if taken >= event.capacity and not (mine and mine.answer == RSVP.Answer.YES):
            answer = RSVP.Answer.WAITING
            waitlisted_at = (
                mine.waitlisted_at
                if mine and mine.answer == RSVP.Answer.WAITING
                else timezone.now()
            )
    rsvp, _ = RSVP.objects.update_or_create(
        event=event, user=user, defaults={"answer": answer, "waitlisted_at": waitlisted_at}
    )
    if mine and mine.answer == RSVP.Answer.YES and answer != RSVP.Answer.YES:
        _promote_waiting(event)
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
    for event in Event.objects.filter(
        starts_at__gte=start, starts_at__lt=end, cancelled_at__isnull=True
    ).select_related("community"):
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
