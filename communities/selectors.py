"""Reads of communities and their content, all through the access rule (``filter_visible``).

A community itself is visible per ``Community.principals_q`` (open and closed: every professional;
secret: members only). Its content (threads, replies, files, events, members) per
``content_principals_q`` (open: every professional; closed and secret: members only).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

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
    Invitation,
    JoinRequest,
    Membership,
    ModerationLog,
    Reaction,
    Reply,
    Thread,
    ThreadKnowledgeLink,
)
from kpo.core.access import (
    can_read,
    community_ids_in,
    community_principal,
    filter_visible,
    has_staff_role,
    principals_meet,
    user_principals,
)
from kpo.core.converters import MAX_ID

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User
    from kpo.themes.models import Theme


def user_community_principals(*, user: User) -> list[str]:
    """``community:<id>`` for each active membership: what the access rule grants members
    (``kpo.core.access.user_principals`` reads it via ``CommunitiesConfig.principal_source``)."""
    community_ids = Membership.objects.filter(
        user_id=user.pk, state=Membership.State.ACTIVE
    ).values_list("community_id", flat=True)
    return [community_principal(community_id) for community_id in community_ids]


def user_moderates_a_community(*, user: User) -> bool:
    """An active manager or moderator membership: a role that needs a second factor
    (``kpo.security.roles.user_requires_2fa``, through ``CommunitiesConfig.second_factor_role``)."""
    return Membership.objects.filter(
        user_id=user.pk,
        state=Membership.State.ACTIVE,
        role__in=[Membership.Role.MANAGER, Membership.Role.MODERATOR],
    ).exists()


def community_list_for_user(*, user: User | AnonymousUser) -> QuerySet[Community]:
    return filter_visible(Community.objects.all(), user).order_by("name")


def community_list_with_member_count(*, user: Any) -> QuerySet[Community]:
    """The visible communities, each with its number of active members (``member_count``)."""
    return community_list_for_user(user=user).annotate(
        member_count=Count("memberships", filter=Q(memberships__state=Membership.State.ACTIVE))
    )


def community_get_for_user(*, user: User | AnonymousUser, slug: str) -> Community | None:
    return community_list_for_user(user=user).filter(slug=slug).first()


def community_list_for_member(*, user: User | AnonymousUser) -> QuerySet[Community]:
    """The communities the user is an active member of, by name (the notification preferences
    page reads them through ``CommunitiesConfig.notification_communities``)."""
    if not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    return Community.objects.filter(
        memberships__user=cast("User", user), memberships__state=Membership.State.ACTIVE
    ).order_by("name")


def community_relations_for_user(
    *, user: User | AnonymousUser, community: Community
) -> dict[str, Any]:
    """The parent community and the sub-groups of ``community`` that the user may see."""
    visible = community_list_for_user(user=user)
    return {
        "parent": visible.filter(pk=community.parent_id).first() if community.parent_id else None,
        "subgroups": list(visible.filter(parent=community)),
    }


def community_content_visible(*, community: Community, user: Any) -> bool:
    """May the user read what is inside the community (threads, files, events, members)?
    The one place of this rule: the community's content principals meet the user's."""
    return principals_meet(user, community.content_principals())


def my_community_ids(*, user: Any) -> set[int]:
    """The ids of the communities the user is an active member of (from the user's principals,
    which the access rule computes once per request)."""
    return community_ids_in(user_principals(user))


def membership_map_for_user(*, user: Any) -> dict[int, Membership]:
    """The user's memberships in any state (requested, active …), by community id."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {m.community_id: m for m in Membership.objects.filter(user=user)}


# --- membership and rights in one community ------------------------------------------------------


def membership_get(*, community: Community, user: Any) -> Membership | None:
    """The user's membership of the community in any state (the one membership lookup)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(community=community, user=cast("User", user)).first()


@dataclass(frozen=True)
class CommunityRights:
    """What one user may do in one community, from a single membership lookup."""

    membership: Membership | None
    superuser: bool = False

    @property
    def is_member(self) -> bool:
        return bool(self.membership and self.membership.is_active)

    @property
    def can_moderate(self) -> bool:
        return self.superuser or bool(self.membership and self.membership.can_moderate)

    @property
    def can_manage(self) -> bool:
        return self.superuser or bool(self.membership and self.membership.can_manage)


def community_rights(*, community: Community, user: Any) -> CommunityRights:
    return CommunityRights(
        membership=membership_get(community=community, user=user),
        superuser=bool(getattr(user, "is_superuser", False)),
    )


def is_member(*, community: Community, user: Any) -> bool:
    return community_rights(community=community, user=user).is_member


def can_moderate(*, community: Community, user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return community_rights(community=community, user=user).can_moderate


def can_manage(*, community: Community, user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return community_rights(community=community, user=user).can_manage


def can_create_community(*, user: Any) -> bool:
    return has_staff_role(user, "communitymanager")


def thread_list_for_user(
    *, user: User | AnonymousUser, community: Community | None = None, unanswered: bool = False
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


def thread_get_for_user(
    *, user: User | AnonymousUser, pk: int, include_removed: bool = False
) -> Thread | None:
    qs = filter_visible(Thread.objects.all(), user).select_related("community", "author")
    if not include_removed:
        qs = qs.filter(is_deleted=False, is_hidden=False)
    return qs.filter(pk=pk).first()


def reply_list_for_thread(
    *, user: User | AnonymousUser, thread: Thread, moderator: bool = False
) -> QuerySet[Reply]:
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
            reacted=Exists(
                # user_id None (anonymous) matches no reaction: a nullable lookup by intent.
                Reaction.objects.filter(reply=OuterRef("pk"), user_id=user_id)  # type: ignore[misc]
            ),
        )
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def reply_get_for_user(*, user: User | AnonymousUser, pk: int) -> Reply | None:
    return (
        filter_visible(Reply.objects.filter(is_deleted=False), user)
        .select_related("thread__community", "author")
        .filter(pk=pk, thread__is_deleted=False)
        .first()
    )


def attachment_list_for_user(
    *, user: User | AnonymousUser, community: Community
) -> QuerySet[Attachment]:
    return (
        filter_visible(Attachment.objects.filter(community=community), user)
        .exclude(thread__is_hidden=True)
        .exclude(thread__is_deleted=True)
        .exclude(reply__is_hidden=True)
        .exclude(reply__is_deleted=True)
        .select_related("uploaded_by")
    )


def attachment_get_for_user(
    *, user: User | AnonymousUser, community: Community, pk: int
) -> Attachment | None:
    return attachment_list_for_user(user=user, community=community).filter(pk=pk).first()


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


def member_list_for_user(
    *, user: User | AnonymousUser, community: Community
) -> QuerySet[Membership]:
    """The members directory: members only (also for open communities, per the brief)."""
    if not is_member(community=community, user=user) and not getattr(user, "is_superuser", False):
        return Membership.objects.none()
    return (
        filter_visible(Membership.objects.filter(community=community), user)
        .filter(state=Membership.State.ACTIVE)
        .select_related("user", "user__profile", "user__profile__organisation")
        .order_by("role", "user__last_name", "user__first_name")
    )


def join_request_pending(*, community: Community, user: Any) -> bool:
    """Has the user asked to join the community and is the request still waiting?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return JoinRequest.objects.filter(
        community=community, user=user, status=JoinRequest.Status.PENDING
    ).exists()


def join_request_get(*, community: Community, pk: Any) -> JoinRequest | None:
    """A join request of the community by its id (``None`` for an unknown or malformed id)."""
    return _get_by_pk(community.join_requests.all(), pk)


def membership_get_by_pk(*, community: Community, pk: Any) -> Membership | None:
    return _get_by_pk(community.memberships.all(), pk)


def flag_get(*, community: Community, pk: Any) -> Flag | None:
    return _get_by_pk(community.flags.all(), pk)


def _get_by_pk(qs: QuerySet[Any], pk: Any) -> Any:
    """A row by an id from a form field: ``None`` for a missing, malformed or impossible id."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= MAX_ID:
        return None
    return qs.filter(pk=pk).first()


def invitation_list_pending(*, community: Community) -> QuerySet[Invitation]:
    return community.invitations.filter(status=Invitation.Status.PENDING)


def invitation_get_for_user(*, token: str, user: Any) -> Invitation | None:
    """The invitation behind ``token`` when it is addressed to ``user`` (by account or e-mail)."""
    invitation = Invitation.objects.select_related("community").filter(token=token).first()
    if invitation is None or (
        invitation.user_id != user.pk and invitation.email.lower() != user.email.lower()
    ):
        return None
    return invitation


def moderation_log_list(*, community: Community, limit: int = 50) -> list[ModerationLog]:
    return list(community.moderation_log.select_related("actor", "thread", "target_user")[:limit])


def community_email_mode(*, community: Community, user: Any) -> str:
    """The user's e-mail preference for the community ("instant" when none is stored)."""
    from kpo.notifications.models import NotificationPreference

    pref = NotificationPreference.objects.filter(user=user, community=community).first()
    return pref.email_mode if pref else "instant"


def thread_own_reactions(*, thread: Thread, user: Any) -> dict[str, Any]:
    """The opening post's "useful" count, whether the user marked it, and its attachments."""
    reactions = thread.reactions.filter(reply__isnull=True)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    return {
        "thread_useful": reactions.count(),
        "thread_reacted": user_id is not None and reactions.filter(user_id=user_id).exists(),
        "thread_attachments": list(thread.attachments.filter(reply__isnull=True)),
    }


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


def community_list_for_insight(*, user: Any) -> list[Community]:
    """The communities whose usage insight the user may see (admin): those they manage, and as
    staff community manager those they may see."""
    return [
        c for c in Community.objects.order_by("name") if may_see_insight(community=c, user=user)
    ]


def may_see_insight(*, community: Community, user: Any) -> bool:
    """Managers of the community, superusers, and staff community managers for communities they
    may see (a secret community stays invisible to non-members, also here)."""
    if can_manage(community=community, user=user):
        return True
    return has_staff_role(user, "communitymanager") and can_read(user, community)


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


def is_following(
    *, user: User | AnonymousUser, thread: Thread | None = None, community: Community | None = None
) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if thread is not None:
        return Follow.objects.filter(user=cast("User", user), thread=thread).exists()
    return Follow.objects.filter(
        user=cast("User", user), community=community, thread__isnull=True
    ).exists()


def activity_feed_for_user(
    *, user: User | AnonymousUser, community: Community, limit: int = 15
) -> list[dict[str, Any]]:
    """Latest threads, replies and events of a community, newest first."""
    if not community_content_visible(community=community, user=user):
        return []
    items: list[dict[str, Any]] = []
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


def theme_section(*, theme: Theme, user: User | AnonymousUser) -> dict[str, Any]:
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


def community_insight(*, community: Community, weeks: int = 12) -> dict[str, Any]:
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
    active.discard(None)  # type: ignore[arg-type]  # author_id is nullable (deleted authors)
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


# --- q2k: from question to knowledge (issue #17) ------------------------------------------------


def is_ambassador(*, user: Any) -> bool:
    """An ambassador: a member of the "Ambassadeurs" group or the ambassador of a theme."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return has_staff_role(user, "ambassadeur") or user.ambassador_of.exists()


def thread_can_propose_knowledge(*, user: Any, thread: Thread) -> bool:
    """May ``user`` propose this thread (or its accepted answer) as a knowledge document? A
    moderator of its community, or an ambassador — both only when they can read the thread
    (a closed community's content stays with its readers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if thread.is_deleted or thread.is_hidden or not can_read(user, thread):
        return False
    return can_moderate(community=thread.community, user=user) or is_ambassador(user=user)


def thread_knowledge_pages(*, user: User | AnonymousUser, thread: Thread) -> list[Any]:
    """The live pages this thread was taken up in that ``user`` may read ("Opgenomen in de
    kennisbank"); a draft in review is not shown."""
    links = ThreadKnowledgeLink.objects.filter(thread=thread, page__live=True).select_related(
        "page"
    )
    pages = []
    for link in links:
        page = link.page.specific
        if can_read(user, page):
            pages.append(page)
    return pages


def thread_contributors(*, thread: Thread, reply: Reply | None = None) -> list[str]:
    """Display names of the thread's author and the authors of its visible replies (or of the
    one ``reply`` the document took), in order of first contribution, each once."""
    names: list[str] = []
    replies = thread.replies.filter(is_deleted=False, is_hidden=False)
    if reply is not None:
        replies = replies.filter(pk=reply.pk)
    authors = [thread.author] + [
        r.author for r in replies.select_related("author").order_by("created_at", "pk")
    ]
    for author in authors:
        name = author.display_name if author is not None else ""
        if name and name not in names:
            names.append(name)
    return names


def thread_knowledge_origin(*, user: User | AnonymousUser, page_id: int) -> list[dict[str, Any]]:
    """Where a knowledge page came from, for its credit line: the threads it was drafted from
    that ``user`` may read (a closed community's thread is credited only to its readers), with
    the community, the URL and the contributors by display name."""
    links = (
        ThreadKnowledgeLink.objects.filter(page_id=page_id)
        .select_related("thread__community", "thread__author", "reply")
        .order_by("created_at")
    )
    credits = []
    for link in links:
        thread = link.thread
        if thread.is_deleted or thread.is_hidden or not can_read(user, thread):
            continue
        credits.append(
            {
                "thread": thread,
                "community": thread.community,
                "url": thread.get_absolute_url(),
                "authors": thread_contributors(thread=thread, reply=link.reply),
                "answer_only": link.reply_id is not None,
            }
        )
    return credits
