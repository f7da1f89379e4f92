"""Reads for managers and moderators: members, join requests, invitations, flags, case data,
suspensions and the moderation queue across communities (docs/decisions/0029)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from communities.models import (
    CaseDataConfirmation,
    Community,
    Flag,
    Invitation,
    JoinRequest,
    Membership,
    ModerationLog,
    Suspension,
)
from communities.selectors.memberships import (
    community_list_for_user,
    get_by_pk,
    is_member,
    is_platform_moderator,
)
from kpo.core.access import filter_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


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
    return get_by_pk(community.join_requests.all(), pk)


def membership_get_by_pk(*, community: Community, pk: Any) -> Membership | None:
    return get_by_pk(community.memberships.all(), pk)


def flag_get(*, community: Community, pk: Any) -> Flag | None:
    return get_by_pk(community.flags.all(), pk)


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
    return get_by_pk(qs.select_related("community", "user"), pk)


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
    return get_by_pk(qs.select_related("community", "thread__community", "reply__thread"), pk)


def moderation_case_data_get(
    *, user: User | AnonymousUser | Any, pk: Any
) -> CaseDataConfirmation | None:
    scope = moderation_scope(user=user)
    if scope.empty:
        return None
    qs = filter_visible(CaseDataConfirmation.objects.filter(scope.community_q()), user)
    return get_by_pk(qs.select_related("community"), pk)


def moderation_join_request_get(*, user: User | AnonymousUser | Any, pk: Any) -> JoinRequest | None:
    scope = moderation_scope(user=user)
    if scope.empty:
        return None
    qs = JoinRequest.objects.filter(scope.community_q()).filter(
        community__in=community_list_for_user(user=user)
    )
    return get_by_pk(qs.select_related("community", "user"), pk)


# --- invitations: expiry and revoke (issue #18) ---------------------------------------------------


def invitation_get_pending(*, community: Community, pk: Any) -> Invitation | None:
    """A pending (also an expired) invitation of the community by a posted id."""
    return get_by_pk(community.invitations.filter(status=Invitation.Status.PENDING), pk)
