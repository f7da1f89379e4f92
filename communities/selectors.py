"""Reads of communities and their content, all through the access rule (``filter_visible``).

A community itself is visible per ``Community.principals_q`` (open and closed: every professional;
secret: members only). Its content (threads, replies, files, events, members) per
``content_principals_q`` (open: every professional; closed and secret: members only).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
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
    Suspension,
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
    platform_moderator: bool = False

    @property
    def is_member(self) -> bool:
        return bool(self.membership and self.membership.is_active)

    @property
    def can_moderate(self) -> bool:
        return (
            self.superuser
            or self.platform_moderator
            or bool(self.membership and self.membership.can_moderate)
        )

    @property
    def can_manage(self) -> bool:
        return self.superuser or bool(self.membership and self.membership.can_manage)


def community_rights(*, community: Community, user: Any) -> CommunityRights:
    membership = membership_get(community=community, user=user)
    superuser = bool(getattr(user, "is_superuser", False))
    # The platform role is only looked up when the membership does not already moderate.
    platform = not superuser and not (membership and membership.can_moderate)
    return CommunityRights(
        membership=membership,
        superuser=superuser,
        platform_moderator=platform and platform_moderates(community=community, user=user),
    )


def is_member(*, community: Community, user: Any) -> bool:
    return community_rights(community=community, user=user).is_member


def can_moderate(*, community: Community, user: Any) -> bool:
    if getattr(user, "is_superuser", False) or platform_moderates(community=community, user=user):
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


# --- moderation ---------------------------------------------------------------------------------
# Platform moderators, suspensions and the moderation queue across communities (issue #18,
# docs/decisions/0029).


def is_platform_moderator(*, user: User | AnonymousUser | Any) -> bool:
    """A holder of the platform moderator role (group "Platformmoderatoren"; superusers hold
    every staff role)."""
    return has_staff_role(user, "moderator")


def platform_moderates(*, community: Community, user: User | AnonymousUser | Any) -> bool:
    """Platform moderators moderate every community whose content their role may read: open
    and closed ones (``Community.content_principals``). A secret community stays its own
    moderators' (it does not exist for non-members)."""
    return is_platform_moderator(user=user) and community_content_visible(
        community=community, user=user
    )


def can_suspend_platform_wide(*, user: User | AnonymousUser | Any) -> bool:
    """Platform admins and platform moderators suspend accounts on the whole platform."""
    return has_staff_role(user, "admin") or is_platform_moderator(user=user)


def suspension_active(
    *,
    user: User | AnonymousUser | Any,
    community: Community | None,
    now: datetime | None = None,
) -> Suspension | None:
    """The suspension that stops ``user`` writing in ``community`` at ``now``: one in that
    community or a platform-wide one, not lifted and not yet ended (the one ending last).
    ``community=None`` (a network-wide event): platform-wide suspensions only. The one place of
    the rule; it ends by itself because it compares dates."""
    if not getattr(user, "is_authenticated", False):
        return None
    scope = Q(community__isnull=True)
    if community is not None:
        scope |= Q(community=community)
    return (
        Suspension.objects.filter(
            scope,
            user=cast("User", user),
            lifted_at__isnull=True,
            ends_at__gt=now or timezone.now(),
        )
        .select_related("community")
        .order_by("-ends_at")
        .first()
    )


def suspension_list_active(*, community: Community | None) -> QuerySet[Suspension]:
    """The suspensions in force in one community (``None``: the platform-wide ones)."""
    qs = Suspension.objects.filter(lifted_at__isnull=True, ends_at__gt=timezone.now())
    qs = qs.filter(community=community) if community is not None else qs.filter(community=None)
    return qs.select_related("user", "suspended_by").order_by("ends_at")


def suspension_get(*, pk: Any, community: Community | None) -> Suspension | None:
    """A suspension by an id from a form (``None`` for an unknown or malformed id)."""
    qs = (
        Suspension.objects.filter(community=community)
        if community
        else Suspension.objects.filter(community__isnull=True)
    )
    return _get_by_pk(qs.select_related("community", "user"), pk)


def suspendable_members(*, community: Community) -> QuerySet[Membership]:
    """The active plain members of a community (managers and moderators are not suspended)."""
    return (
        community.memberships.filter(state=Membership.State.ACTIVE, role=Membership.Role.MEMBER)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


@dataclass(frozen=True)
class ModerationScope:
    """The communities whose queue one user works: those they moderate or manage by membership
    and, for platform moderators, every open and closed community (``platform_moderates``)."""

    moderated_ids: frozenset[int]
    managed_ids: frozenset[int]
    platform: bool

    @property
    def empty(self) -> bool:
        return not (self.moderated_ids or self.platform)

    def community_q(self, prefix: str = "community__") -> Q:
        q = Q(**{f"{prefix}pk__in": self.moderated_ids})
        if self.platform:
            q |= Q(
                **{
                    f"{prefix}visibility__in": [
                        Community.Visibility.OPEN,
                        Community.Visibility.CLOSED,
                    ]
                }
            )
        return q


def moderation_scope(*, user: User | AnonymousUser | Any) -> ModerationScope:
    """Which communities' flags, case-data confirmations and join requests the user handles."""
    if not getattr(user, "is_authenticated", False):
        return ModerationScope(frozenset(), frozenset(), False)
    rows = list(
        Membership.objects.filter(
            user=cast("User", user),
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.MANAGER, Membership.Role.MODERATOR],
        ).values_list("community_id", "role")
    )
    return ModerationScope(
        moderated_ids=frozenset(cid for cid, _role in rows),
        managed_ids=frozenset(cid for cid, role in rows if role == Membership.Role.MANAGER),
        platform=is_platform_moderator(user=user),
    )


def moderation_queue_for_user(*, user: User | AnonymousUser | Any) -> dict[str, Any]:
    """The moderation queue across communities: open flags, confirmed case data still to be
    judged, and pending join requests, from every community in the user's scope, oldest first.
    Flags and confirmations go through the access rule too; a fixed number of queries whatever
    the number of communities or items (everything shown is joined in)."""
    scope = moderation_scope(user=user)
    if scope.empty:
        return {"scope": scope, "flags": [], "case_data": [], "join_requests": []}
    flags = (
        filter_visible(Flag.objects.filter(scope.community_q(), status=Flag.Status.OPEN), user)
        .select_related(
            "community",
            "thread__community",
            "thread__author",
            "reply__author",
            "reported_by",
        )
        .order_by("created_at", "pk")
    )
    case_data = (
        filter_visible(
            CaseDataConfirmation.objects.filter(
                scope.community_q(), status=CaseDataConfirmation.Status.OPEN
            ),
            user,
        )
        .select_related(
            "community",
            "author",
            "thread__community",
            "reply__thread__community",
            "attachment__community",
        )
        .order_by("created_at", "pk")
    )
    join_requests = (
        JoinRequest.objects.filter(scope.community_q(), status=JoinRequest.Status.PENDING)
        .filter(community__in=community_list_for_user(user=user))
        .select_related("community", "user")
        .order_by("created_at", "pk")
    )
    return {
        "scope": scope,
        "flags": list(flags),
        "case_data": list(case_data),
        "join_requests": list(join_requests),
    }


def moderation_flag_get(*, user: User | AnonymousUser | Any, pk: Any) -> Flag | None:
    """An open flag in the user's moderation scope (``None`` otherwise)."""
    scope = moderation_scope(user=user)
    if scope.empty:
        return None
    qs = filter_visible(Flag.objects.filter(scope.community_q()), user)
    return _get_by_pk(qs.select_related("community", "thread__community", "reply__thread"), pk)


def moderation_case_data_get(
    *, user: User | AnonymousUser | Any, pk: Any
) -> CaseDataConfirmation | None:
    scope = moderation_scope(user=user)
    if scope.empty:
        return None
    qs = filter_visible(CaseDataConfirmation.objects.filter(scope.community_q()), user)
    return _get_by_pk(qs.select_related("community"), pk)


def moderation_join_request_get(*, user: User | AnonymousUser | Any, pk: Any) -> JoinRequest | None:
    scope = moderation_scope(user=user)
    if scope.empty:
        return None
    qs = JoinRequest.objects.filter(scope.community_q()).filter(
        community__in=community_list_for_user(user=user)
    )
    return _get_by_pk(qs.select_related("community", "user"), pk)


# --- invitations: expiry and revoke (issue #18) ---------------------------------------------------


def invitation_get_pending(*, community: Community, pk: Any) -> Invitation | None:
    """A pending (also an expired) invitation of the community by a posted id."""
    return _get_by_pk(community.invitations.filter(status=Invitation.Status.PENDING), pk)


# --- landing text and pinned resources (issue #18) ----------------------------------------------


@dataclass(frozen=True)
class PinnedItem:
    pk: int
    kind: str
    kind_label: str
    title: str
    url: str


def community_pins_for_user(
    *, user: User | AnonymousUser | Any, community: Community
) -> list[PinnedItem]:
    """The pinned resources of a community that the user may read, in the manager's order.

    Each target goes through the access rule: threads and files through their selectors (not
    hidden, not deleted), pages only when live and readable (``can_read`` on the page itself, so
    a knowledge document of another, closed community is left out), outside links with the
    community's content."""
    from kpo.core.access import AccessControlled

    if not community_content_visible(community=community, user=user):
        return []
    pins = list(community.pins.select_related("thread", "attachment", "page"))
    thread_ids = {p.thread_id for p in pins if p.thread_id}
    file_ids = {p.attachment_id for p in pins if p.attachment_id}
    page_ids = {p.page_id for p in pins if p.page_id}
    threads = set(
        thread_list_for_user(user=user, community=community)
        .filter(pk__in=thread_ids)
        .values_list("pk", flat=True)
    ) if thread_ids else set()  # fmt: skip
    files = set(
        attachment_list_for_user(user=user, community=community)
        .filter(pk__in=file_ids)
        .values_list("pk", flat=True)
    ) if file_ids else set()  # fmt: skip
    pages: dict[int, Any] = {}
    if page_ids:
        from wagtail.models import Page

        for page in Page.objects.filter(pk__in=page_ids, live=True).specific():
            if isinstance(page, AccessControlled) and can_read(user, page):
                pages[cast("Any", page).pk] = page
    items: list[PinnedItem] = []
    for pin in pins:
        label = str(pin.get_kind_display())
        if pin.thread is not None and pin.thread_id in threads:
            pin.thread.community = community  # its URL needs the slug, not a query
            title, url = pin.title or pin.thread.title, pin.thread.get_absolute_url()
        elif pin.attachment is not None and pin.attachment_id in files:
            pin.attachment.community = community
            title, url = pin.title or pin.attachment.filename, pin.attachment.get_absolute_url()
        elif pin.page_id in pages:
            page = pages[pin.page_id]
            title, url = pin.title or page.title, page.url or ""
        elif pin.kind == pin.Kind.LINK and pin.url:
            title, url = pin.title or pin.url, pin.url
        else:
            continue
        items.append(PinnedItem(pk=pin.pk, kind=pin.kind, kind_label=label, title=title, url=url))
    return items


def community_pin_get(*, community: Community, pk: Any) -> Any:
    """A pin of the community by a posted id (``None`` for an unknown or malformed id)."""
    return _get_by_pk(community.pins.all(), pk)


def community_pin_list(*, community: Community) -> QuerySet[Any]:
    """All pins of a community for its managers' page, in order (managers read everything in
    their community; readers get ``community_pins_for_user``)."""
    return community.pins.select_related("thread", "attachment", "page")


# --- attendance (issue #18) ----------------------------------------------------------------------


def attendance_list(*, event: Event) -> QuerySet[RSVP]:
    """The check-off list of an event: everyone who said yes or maybe, by name (the view checks
    that the user organises the event)."""
    return (
        event.rsvps.filter(answer__in=[RSVP.Answer.YES, RSVP.Answer.MAYBE])
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


# --- routing (issue #18: questions reach the right people in time; ADR 0028) ---------------------


def routing_deadline_bounds() -> tuple[int, int]:
    """The shortest and longest answer deadline (days) a community or an asker may choose."""
    from django.conf import settings

    days = settings.KPO_ROUTING_DEADLINE_DAYS
    return int(days["min"]), int(days["max"])


def routing_default_days(*, community: Community) -> int:
    """The community's default answer deadline in days, else the platform's (within bounds)."""
    from django.conf import settings

    from communities.models import CommunityRoutingDefault

    row = CommunityRoutingDefault.objects.filter(community=community).first()
    low, high = routing_deadline_bounds()
    days = row.deadline_days if row else int(settings.KPO_ROUTING_DEADLINE_DAYS["default"])
    return min(max(days, low), high)


def routing_themes(*, community: Community) -> list[Theme]:
    """The themes a question in the community can be routed to: the community's own."""
    return list(community.themes.order_by("title"))


def routing_recipients(
    *, community: Community, theme: Theme, asker: User
) -> list[tuple[User, str]]:
    """Who a question of ``asker`` in ``community`` about ``theme`` goes to, with the reason
    (``"expert"`` or ``"ambassador"``): active people whose profile lists the theme (members of
    the community first, at most ``KPO_ROUTING_MAX_EXPERTS``) and the theme's active ambassadors,
    each only when they may read the community's content (the access rule: a closed or secret
    community's question never goes to a non-member). The asker is never a recipient."""
    from django.conf import settings

    from kpo.accounts.models import User as UserModel

    members = Membership.objects.filter(
        community=community, user=OuterRef("pk"), state=Membership.State.ACTIVE
    )
    ambassadors = list(theme.ambassadors.filter(is_active=True).exclude(pk=asker.pk).order_by("pk"))
    chosen: dict[int, tuple[User, str]] = {}
    for user in ambassadors:
        if community_content_visible(community=community, user=user):
            chosen[user.pk] = (user, "ambassador")
    experts = (
        UserModel.objects.filter(is_active=True, profile__expertise_themes=theme)
        .exclude(pk=asker.pk)
        .exclude(pk__in=list(chosen))
        .annotate(in_community=Exists(members))
        .order_by("-in_community", "pk")
        .distinct()
    )
    limit = int(settings.KPO_ROUTING_MAX_EXPERTS)
    found = 0
    for user in experts.iterator(chunk_size=200):
        if found >= limit:
            break
        if community_content_visible(community=community, user=user):
            chosen[user.pk] = (user, "expert")
            found += 1
    return list(chosen.values())


def public_name(user: Any) -> str:
    """The name shown for a person on a routed question: the full name, never (a part of) the
    e-mail address."""
    from django.utils.translation import gettext

    name = user.get_full_name().strip() if user is not None else ""
    return name or gettext("collega zonder naam")


def question_route_for_reader(
    *, thread: Thread, user: Any, moderator: bool | None = None
) -> dict[str, Any] | None:
    """What the thread page shows of a routed question: the deadline and the theme for every
    reader; who was asked (names, never e-mail addresses) for the asker and the community's
    moderators. ``None`` when the thread was not routed or the user may not read it."""
    from communities.models import QuestionRoute

    route = (
        QuestionRoute.objects.filter(thread=thread)
        .select_related("theme")
        .prefetch_related("recipients__user")
        .first()
    )
    if route is None or not can_read(user, thread):
        return None
    if moderator is None:  # the view passes what its rights lookup already knows
        moderator = can_moderate(community=thread.community, user=user)
    may_see_names = thread.author_id == getattr(user, "pk", None) or moderator
    names = sorted(public_name(r.user) for r in route.recipients.all()) if may_see_names else []
    return {
        "route": route,
        "theme": route.theme,
        "deadline": route.deadline,
        "overdue": route.deadline <= timezone.now(),
        "asked": names,
        "asked_count": len(route.recipients.all()),
        "show_names": may_see_names,
        "escalated": route.escalated_at is not None,
    }


def _answered_by_other() -> Exists:
    """A visible reply by someone other than the asker (the thread in ``OuterRef``)."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce

    return Exists(
        Reply.objects.filter(
            thread_id=OuterRef("thread_id"), is_deleted=False, is_hidden=False
        ).exclude(author_id=Coalesce(OuterRef("thread__author_id"), Value(0)))
    )


def question_routes_due(*, now: Any, kind: str, limit: int = 200) -> list[int]:
    """Ids of routed questions that need their reminder (``kind="reminder"``: the reminder time
    has come, the deadline not yet) or their escalation (``"escalation"``: the deadline passed)
    and are still without an answer by someone else; each only while it was not sent before."""
    from communities.models import QuestionRoute

    qs = QuestionRoute.objects.filter(thread__is_deleted=False, thread__is_hidden=False)
    if kind == "reminder":
        qs = qs.filter(reminder_sent_at__isnull=True, remind_at__lte=now, deadline__gt=now)
    elif kind == "escalation":
        qs = qs.filter(escalated_at__isnull=True, deadline__lte=now)
    else:
        raise ValueError(kind)
    qs = qs.annotate(answered=_answered_by_other()).filter(answered=False)
    return list(qs.order_by("deadline").values_list("pk", flat=True)[:limit])


def question_route_answered(*, route_id: int) -> bool:
    from communities.models import QuestionRoute

    return (
        QuestionRoute.objects.filter(pk=route_id)
        .annotate(answered=_answered_by_other())
        .filter(answered=True)
        .exists()
    )


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(f) WITHIN GROUP (ORDER BY x)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must lie between 0 and 1")
        super().__init__(expression, fraction=float(fraction), **extra)


def _hours(value: Any) -> float | None:
    return None if value is None else round(float(value) / 3600, 1)


def community_answer_sla(*, community: Community, since: Any, until: Any) -> dict[str, Any]:
    """Answer times of the community's questions asked in ``[since, until)``, computed in the
    database: hours to the first answer (the first visible reply by someone other than the asker)
    and to the accepted answer (when the accepted reply was posted), each as median and 90th
    percentile (``percentile_cont``), with the number of questions behind each figure; and, of the
    routed questions whose outcome is known (answered, or the deadline passed), the share answered
    within the deadline."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce, Extract

    from communities.models import QuestionRoute

    questions = Thread.objects.filter(
        community=community,
        kind=Thread.Kind.QUESTION,
        is_deleted=False,
        created_at__gte=since,
        created_at__lt=until,
    )
    first_answer = Subquery(
        Reply.objects.filter(thread=OuterRef("pk"), is_deleted=False, is_hidden=False)
        .exclude(author_id=Coalesce(OuterRef("author_id"), Value(0)))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    answered = questions.annotate(first=first_answer).filter(first__isnull=False)
    first_seconds = Extract(F("first") - F("created_at"), "epoch")
    first = answered.aggregate(
        n=Count("pk"),
        p50=PercentileCont(first_seconds, fraction=0.5),
        p90=PercentileCont(first_seconds, fraction=0.9),
    )
    accepted_seconds = Extract(F("accepted_reply__created_at") - F("created_at"), "epoch")
    accepted = questions.filter(accepted_reply__isnull=False).aggregate(
        n=Count("pk"),
        p50=PercentileCont(accepted_seconds, fraction=0.5),
        p90=PercentileCont(accepted_seconds, fraction=0.9),
    )
    routes = (
        QuestionRoute.objects.filter(thread__in=questions)
        .annotate(
            first=Subquery(
                Reply.objects.filter(
                    thread=OuterRef("thread_id"), is_deleted=False, is_hidden=False
                )
                .exclude(author_id=Coalesce(OuterRef("thread__author_id"), Value(0)))
                .order_by("created_at")
                .values("created_at")[:1]
            )
        )
        .filter(Q(first__isnull=False) | Q(deadline__lte=timezone.now()))
        .aggregate(
            known=Count("pk"),
            in_time=Count("pk", filter=Q(first__lte=F("deadline"))),
        )
    )
    known = routes["known"] or 0
    return {
        "since": since,
        "until": until,
        "questions": questions.count(),
        "first_answer_count": first["n"],
        "first_answer_median_hours": _hours(first["p50"]),
        "first_answer_p90_hours": _hours(first["p90"]),
        "accepted_count": accepted["n"],
        "accepted_median_hours": _hours(accepted["p50"]),
        "accepted_p90_hours": _hours(accepted["p90"]),
        "routed_known": known,
        "routed_in_time": routes["in_time"] or 0,
        "routed_in_time_share": round(100 * routes["in_time"] / known) if known else None,
    }


def open_questions_for_user(
    *, user: User | AnonymousUser, theme: Theme | None = None, everywhere: bool = False
) -> QuerySet[Thread]:
    """Questions without an accepted answer that the user may read (the access rule), across the
    communities the user is a member of (``everywhere``: every community whose content the user
    may read), optionally of one theme (the community's themes); with their community, author,
    reply count and routing deadline in a fixed number of queries."""
    qs = thread_list_for_user(user=user, unanswered=True)
    if not everywhere:
        qs = qs.filter(community_id__in=my_community_ids(user=user))
    if theme is not None:
        qs = qs.filter(
            Exists(
                Community.themes.through.objects.filter(
                    community_id=OuterRef("community_id"), theme_id=theme.pk
                )
            )
        )
    return qs.select_related("route").order_by("-created_at", "-pk")


# --- people: expertise evidence (docs/decisions/0031) ---------------------------------------------


def expertise_evidence(
    *, person: User, themes: list[Theme], user: User | AnonymousUser
) -> dict[str, Any]:
    """The accepted answers ``person`` gave, per theme of the community they were given in, as
    far as the reader ``user`` may read them (a closed or secret community's answers only for its
    members). Two queries, whatever the number of answers."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    theme_ids = {t.pk for t in themes}
    threads = (
        filter_visible(
            Thread.objects.filter(
                accepted_reply__author=person,
                accepted_reply__is_deleted=False,
                accepted_reply__is_hidden=False,
                is_deleted=False,
                is_hidden=False,
                community__themes__in=theme_ids,
            ),
            user,
        )
        .distinct()
        .select_related("community", "accepted_reply")
        .prefetch_related("community__themes")
        .order_by("-accepted_reply__created_at", "-pk")
    )
    items: dict[int, list[dict[str, Any]]] = {}
    for thread in threads:
        url = reverse("communities:thread", args=[thread.community.slug, thread.pk])
        entry = {
            "title": thread.title,
            "url": f"{url}#reactie-{thread.accepted_reply_id}",
            "date": thread.accepted_reply.created_at if thread.accepted_reply else None,
            "context": thread.community.name,
        }
        for theme in thread.community.themes.all():
            if theme.pk in theme_ids:
                items.setdefault(theme.pk, []).append(entry)
    return {"key": "accepted_answers", "title": _("Geaccepteerde antwoorden"), "items": items}


# --- q2k: from question to knowledge (issue #17) ------------------------------------------------


def is_ambassador(*, user: Any) -> bool:
    """An ambassador: a member of the "Ambassadeurs" group or the ambassador of a theme."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return has_staff_role(user, "ambassadeur") or user.ambassador_of.exists()


def thread_can_propose_knowledge(
    *, user: Any, thread: Thread, moderator: bool | None = None
) -> bool:
    """May ``user`` propose this thread (or its accepted answer) as a knowledge document? A
    moderator of its community, or an ambassador — both only when they can read the thread
    (a closed community's content stays with its readers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if thread.is_deleted or thread.is_hidden or not can_read(user, thread):
        return False
    if moderator is None:  # the view passes what its rights lookup already knows
        moderator = can_moderate(community=thread.community, user=user)
    return moderator or is_ambassador(user=user)


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
