"""Small shared write helpers of the community services. Who may do what (membership, moderate,
manage, create) is a read: ``communities.selectors``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from communities.models import (
    Community,
    Follow,
    Membership,
    ModerationLog,
)
from communities.selectors import can_manage, can_moderate
from kpo.core.access import forget_principals
from search.services import index_enqueue

if TYPE_CHECKING:
    from kpo.accounts.models import User

Role = Membership.Role
State = Membership.State


def require_manager(community: Community, user: User) -> None:
    if not can_manage(community=community, user=user):
        raise PermissionDenied("Alleen community managers mogen dit doen.")


def require_moderator(community: Community, user: User) -> None:
    if not can_moderate(community=community, user=user):
        raise PermissionDenied("Alleen moderatoren en community managers mogen dit doen.")


def moderation_log_write(
    community: Community, actor: User, action: str, **kwargs: Any
) -> ModerationLog:
    return ModerationLog.objects.create(community=community, actor=actor, action=action, **kwargs)


def community_reindex(community: Community) -> None:
    """A visibility change changes the principals of everything in the community."""
    index_enqueue(community)
    for thread in community.threads.all():
        index_enqueue(thread)
    for event in community.events.all():
        index_enqueue(event)


def membership_activate(community: Community, user: User, role: str | None = None) -> Membership:
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


def community_manager_list(community: Community) -> list[User]:
    return list(community.managers)
