"""Reads of events: lists and agenda, RSVPs and the waiting list, attendance, the calendar feed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from communities.models import RSVP, CalendarToken, Community, Event
from communities.selectors.memberships import is_member
from kpo.core.access import filter_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


def event_list_for_user(
    *, user: User | AnonymousUser, community: Community | None = None, upcoming: bool = False
) -> QuerySet[Event]:
    qs = filter_visible(Event.objects.all(), user).select_related("community")
    if community is not None:
        qs = qs.filter(community=community)
    if upcoming:
        qs = qs.filter(starts_at__gte=timezone.now())
    return qs.annotate(yes_count=Count("rsvps", filter=Q(rsvps__answer=RSVP.Answer.YES))).order_by(
        "starts_at"
    )


def event_get_for_user(
    *, user: User | AnonymousUser, community: Community, slug: str
) -> Event | None:
    return event_list_for_user(user=user, community=community).filter(slug=slug).first()


def network_event_get_for_user(*, user: User | AnonymousUser, slug: str) -> Event | None:
    """A network-wide event (not bound to a community) the user may read."""
    return event_list_for_user(user=user).filter(community__isnull=True, slug=slug).first()


def agenda_for_user(*, user: User | AnonymousUser, past: bool = False) -> QuerySet[Event]:
    """The platform agenda: the events the user may read (network-wide ones and those of the
    communities whose content the user may see), upcoming ones first in date order, or the past
    ones newest first."""
    qs = event_list_for_user(user=user)
    now = timezone.now()
    if past:
        return qs.filter(starts_at__lt=now).order_by("-starts_at")
    return qs.filter(starts_at__gte=now)


def rsvp_get(*, event: Event, user: Any) -> RSVP | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return RSVP.objects.filter(event=event, user=user).first()


def rsvp_counts(*, event: Event) -> dict[str, int]:
    """The number of RSVPs per answer."""
    return dict(
        event.rsvps.values_list("answer").annotate(n=Count("pk")).values_list("answer", "n")
    )


def calendar_token_get(*, community: Community, user: Any) -> CalendarToken | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return community.calendar_tokens.filter(user=user).first()


def rsvp_waiting_position(*, rsvp: RSVP) -> int:
    """1-based place of a waiting RSVP on its event's waiting list."""
    ahead = RSVP.objects.filter(event_id=rsvp.event_id, answer=RSVP.Answer.WAITING).filter(
        Q(waitlisted_at__lt=rsvp.waitlisted_at)
        | Q(waitlisted_at=rsvp.waitlisted_at, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


def calendar_feed_events(*, token: str) -> tuple[Community, QuerySet[Event]] | None:
    """The community and the events behind a calendar subscription token, read as the token's
    owner through the access rule; ``None`` for an unknown or revoked token, an inactive owner or
    an ended membership."""
    row = (
        CalendarToken.objects.select_related("user", "community").filter(token=token).first()
        if token
        else None
    )
    if row is None or not row.user.is_active:
        return None
    if not is_member(community=row.community, user=row.user):
        return None
    return row.community, event_list_for_user(user=row.user, community=row.community)


# --- attendance (issue #18) ----------------------------------------------------------------------


def attendance_list(*, event: Event) -> QuerySet[RSVP]:
    """The check-off list of an event: everyone who said yes or maybe, by name (the view checks
    that the user organises the event)."""
    return (
        event.rsvps.filter(answer__in=[RSVP.Answer.YES, RSVP.Answer.MAYBE])
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
