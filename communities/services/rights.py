"""Who may do what in a community, and small shared write helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from communities.models import (
    Community,
    Follow,
    Membership,
    ModerationLog,
)
from kpo.core.access import forget_principals, has_staff_role
from search.services import index_enqueue

Role = Membership.Role
State = Membership.State


# --- rights --------------------------------------------------------------------------------------


def membership_for(*, community: Community, user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(community=community, user=user).first()


def is_member(*, community: Community, user) -> bool:
    m = membership_for(community=community, user=user)
    return bool(m and m.is_active)


def can_moderate(*, community: Community, user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    m = membership_for(community=community, user=user)
    return bool(m and m.can_moderate)


def can_manage(*, community: Community, user) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    m = membership_for(community=community, user=user)
    return bool(m and m.can_manage)


def can_create_community(*, user) -> bool:
    return has_staff_role(user, "communitymanager")


def require_manager(community: Community, user) -> None:
    if not can_manage(community=community, user=user):
        raise PermissionDenied("Alleen community managers mogen dit doen.")


def require_moderator(community: Community, user) -> None:
    if not can_moderate(community=community, user=user):
        raise PermissionDenied("Alleen moderatoren en community managers mogen dit doen.")


def moderation_log_write(community: Community, actor, action: str, **kwargs) -> ModerationLog:
    return ModerationLog.objects.create(community=community, actor=actor, action=action, **kwargs)


def community_reindex(community: Community) -> None:
    """A visibility change changes the principals of everything in the community."""
    index_enqueue(community)
    for thread in community.threads.all():
        index_enqueue(thread)
    for event in community.events.all():
        index_enqueue(event)


def membership_activate(community: Community, user, role: str | None = None) -> Membership:
    membership, created = Membership.objects.get_or_create(
        community=community,
        user=user,
        defaults={"role": role or Role.MEMBER, "state": State.ACTIVE},
    )
    if not created:
        membership.state = State.ACTIVE
        if role:
            membership.role = role
        membership.save(update_fields=["state", "role", "updated_at"])
    Follow.objects.get_or_create(user=user, community=community, thread=None)
    forget_principals(user)
    return membership


def community_manager_list(community: Community) -> list:
    return list(community.managers)
