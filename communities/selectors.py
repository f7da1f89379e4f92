"""Reads of communities and their content, all through the access rule (``filter_visible``).

A community itself is visible per ``Community.principals_q`` (open and closed: every professional;
secret: members only). Its content (threads, replies, files, events, members) per
``content_principals_q`` (open: every professional; closed and secret: members only).
"""

from __future__ import annotations

import statistics
from datetime import timedelta

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from communities.models import (
    RSVP,
    Attachment,
    CalendarToken,
    CaseDataConfirmation,
    Community,
    Event,
    Flag,
    Follow,
    JoinRequest,
    Membership,
    Reaction,
    Reply,
    Thread,
)
from kpo.core.access import filter_visible, user_principals


def community_list_for_user(*, user) -> QuerySet[Community]:
    return filter_visible(Community.objects.all(), user).order_by("name")


def community_get_for_user(*, user, slug: str) -> Community | None:
    return community_list_for_user(user=user).filter(slug=slug).first()


def community_relations_for_user(*, user, community: Community) -> dict:
    """The parent community and the sub-groups of ``community`` that the user may see."""
    visible = community_list_for_user(user=user)
    return {
        "parent": visible.filter(pk=community.parent_id).first() if community.parent_id else None,
        "subgroups": list(visible.filter(parent=community)),
    }


def community_content_visible(*, community: Community, user) -> bool:
    """May the user read what is inside the community (threads, files, events, members)?"""
    return bool(community.content_principals() & user_principals(user))


def membership_get(*, community: Community, user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(community=community, user=user).first()


def thread_list_for_user(
    *, user, community: Community | None = None, unanswered: bool = False
) -> QuerySet[Thread]:
    qs = filter_visible(Thread.objects.filter(is_deleted=False, is_hidden=False), user)
    if community is not None:
        qs = qs.filter(community=community)
    if unanswered:
        qs = qs.filter(kind=Thread.Kind.QUESTION, accepted_reply__isnull=True)
    return (
        qs.select_related("community", "author")
        .annotate(
            reply_count=Count(
                "replies", filter=Q(replies__is_deleted=False, replies__is_hidden=False)
            )
        )
        .order_by("-pinned", "-last_activity_at")
    )


def thread_get_for_user(*, user, pk: int, include_removed: bool = False) -> Thread | None:
    qs = filter_visible(Thread.objects.all(), user).select_related("community", "author")
    if not include_removed:
        qs = qs.filter(is_deleted=False, is_hidden=False)
    return qs.filter(pk=pk).first()


def reply_list_for_thread(*, user, thread: Thread, moderator: bool = False) -> QuerySet[Reply]:
    """The replies of a thread for display, with a fixed number of queries whatever their count:
    authors joined, reactions counted and the user's own reactions and attachments prefetched."""
    qs = filter_visible(Reply.objects.filter(thread=thread), user).filter(is_deleted=False)
    if not moderator:
        qs = qs.filter(is_hidden=False)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    return (
        qs.select_related("author")
        .annotate(
            useful_count=Count("reactions", distinct=True),
            reacted=Exists(Reaction.objects.filter(reply=OuterRef("pk"), user_id=user_id)),
        )
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def reply_get_for_user(*, user, pk: int) -> Reply | None:
    return (
        filter_visible(Reply.objects.filter(is_deleted=False), user)
        .select_related("thread__community", "author")
        .filter(pk=pk, thread__is_deleted=False)
        .first()
    )


def attachment_list_for_user(*, user, community: Community) -> QuerySet[Attachment]:
    return (
        filter_visible(Attachment.objects.filter(community=community), user)
        .exclude(thread__is_hidden=True)
        .exclude(thread__is_deleted=True)
        .exclude(reply__is_hidden=True)
        .exclude(reply__is_deleted=True)
        .select_related("uploaded_by")
    )


def attachment_get_for_user(*, user, community: Community, pk: int) -> Attachment | None:
    return attachment_list_for_user(user=user, community=community).filter(pk=pk).first()


def event_list_for_user(*, user, community: Community | None = None, upcoming: bool = False):
    qs = filter_visible(Event.objects.all(), user).select_related("community")
    if community is not None:
        qs = qs.filter(community=community)
    if upcoming:
        qs = qs.filter(starts_at__gte=timezone.now())
    return qs.annotate(yes_count=Count("rsvps", filter=Q(rsvps__answer=RSVP.Answer.YES))).order_by(
        "starts_at"
    )


def event_get_for_user(*, user, community: Community, slug: str) -> Event | None:
    return event_list_for_user(user=user, community=community).filter(slug=slug).first()


def member_list_for_user(*, user, community: Community) -> QuerySet[Membership]:
    """The members directory: members only (also for open communities, per the brief)."""
    membership = membership_get(community=community, user=user)
    if not (membership and membership.is_active) and not getattr(user, "is_superuser", False):
        return Membership.objects.none()
    return (
        filter_visible(Membership.objects.filter(community=community), user)
        .filter(state=Membership.State.ACTIVE)
        .select_related("user", "user__profile", "user__profile__organisation")
        .order_by("role", "user__last_name", "user__first_name")
    )


def join_request_list(*, community: Community) -> QuerySet[JoinRequest]:
    return community.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user")


def flag_queue(*, community: Community) -> QuerySet[Flag]:
    return (
        Flag.objects.filter(community=community, status=Flag.Status.OPEN)
        .select_related("thread", "reply", "reported_by", "reply__author", "thread__author")
        .order_by("created_at")
    )


def case_data_queue(*, community: Community) -> QuerySet[CaseDataConfirmation]:
    """Posts and files saved despite the case-data warning, still to be judged (for the
    community's moderators; the view checks the role)."""
    return (
        CaseDataConfirmation.objects.filter(
            community=community, status=CaseDataConfirmation.Status.OPEN
        )
        .select_related("community", "thread", "reply__thread__community", "attachment", "author")
        .order_by("created_at")
    )


def rsvp_waiting_position(*, rsvp: RSVP) -> int:
    """1-based place of a waiting RSVP on its event's waiting list."""
    ahead = RSVP.objects.filter(event_id=rsvp.event_id, answer=RSVP.Answer.WAITING).filter(
        Q(waitlisted_at__lt=rsvp.waitlisted_at)
        | Q(waitlisted_at=rsvp.waitlisted_at, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


def is_following(*, user, thread: Thread | None = None, community: Community | None = None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if thread is not None:
        return Follow.objects.filter(user=user, thread=thread).exists()
    return Follow.objects.filter(user=user, community=community, thread__isnull=True).exists()


def activity_feed_for_user(*, user, community: Community, limit: int = 15) -> list[dict]:
    """Latest threads, replies and events of a community, newest first."""
    if not community_content_visible(community=community, user=user):
        return []
    items = []
    for t in thread_list_for_user(user=user, community=community).order_by("-created_at")[:limit]:
        items.append(
            {
                "when": t.created_at,
                "kind": "thread",
                "title": t.title,
                "url": t.get_absolute_url(),
                "who": t.author,
            }
        )
    replies = (
        filter_visible(Reply.objects.filter(thread__community=community), user)
        .filter(
            is_deleted=False, is_hidden=False, thread__is_deleted=False, thread__is_hidden=False
        )
        .select_related("thread", "thread__community", "author")
        .order_by("-created_at")[:limit]
    )
    for r in replies:
        items.append(
            {
                "when": r.created_at,
                "kind": "reply",
                "title": r.thread.title,
                "url": r.get_absolute_url(),
                "who": r.author,
            }
        )
    for e in event_list_for_user(user=user, community=community).order_by("-created_at")[:limit]:
        items.append(
            {
                "when": e.created_at,
                "kind": "event",
                "title": e.title,
                "url": e.get_absolute_url(),
                "who": None,
            }
        )
    items.sort(key=lambda i: i["when"], reverse=True)
    return items[:limit]  # fmt: skip


def theme_section(*, theme, user) -> dict:
    from django.utils.translation import gettext as _

    items = [
        {"title": c.name, "url": c.get_absolute_url(), "summary": c.description}
        for c in community_list_for_user(user=user).filter(themes=theme)[:6]
    ]
    return {
        "key": "communities",
        "title": _("Communities"),
        "items": items,
        "more_url": "/communities/",
    }


# --- insight for community managers --------------------------------------------------------------


def community_insight(*, community: Community, weeks: int = 12) -> dict:
    """Usage figures of one community for its managers (admin): members over time, active
    members in the last 30 days, threads and replies per week, share of questions answered and
    the median time to a first reply."""
    now = timezone.now()
    start = now - timedelta(weeks=weeks)
    memberships = list(
        community.memberships.filter(state=Membership.State.ACTIVE).values_list(
            "created_at", flat=True
        )
    )
    threads = Thread.objects.filter(community=community, is_deleted=False)
    replies = Reply.objects.filter(thread__community=community, is_deleted=False)
    week_rows = []
    for i in range(weeks):
        ws = start + timedelta(weeks=i)
        we = ws + timedelta(weeks=1)
        week_rows.append(
            {
                "start": ws,
                "members": sum(1 for c in memberships if c < we),
                "threads": threads.filter(created_at__gte=ws, created_at__lt=we).count(),
                "replies": replies.filter(created_at__gte=ws, created_at__lt=we).count(),
            }
        )
    since = now - timedelta(days=30)
    active = set(threads.filter(created_at__gte=since).values_list("author_id", flat=True))
    active |= set(replies.filter(created_at__gte=since).values_list("author_id", flat=True))
    active.discard(None)
    questions = threads.filter(kind=Thread.Kind.QUESTION)
    total_q = questions.count()
    answered = questions.filter(accepted_reply__isnull=False).count()
    first_reply = threads.annotate(first=Min("replies__created_at")).filter(first__isnull=False)
    delays = [(t.first - t.created_at).total_seconds() / 3600 for t in first_reply]
    return {
        "weeks": week_rows,
        "members": len(memberships),
        "active_members_30d": len(active),
        "questions": total_q,
        "answered": answered,
        "answered_share": round(100 * answered / total_q) if total_q else None,
        "median_hours_to_first_reply": round(statistics.median(delays), 1) if delays else None,
    }


def calendar_feed_events(*, token: str):
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
    membership = membership_get(community=row.community, user=row.user)
    if not (membership and membership.is_active):
        return None
    return row.community, event_list_for_user(user=row.user, community=row.community)
