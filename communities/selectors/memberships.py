"""Which communities a person sees, their memberships there and the rights those give
(``community_rights``: the one rights lookup), and the platform moderator role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q, QuerySet

from communities.models import Community, Membership
from kpo.core.access import (
    community_ids_in,
    community_principal,
    filter_visible,
    has_staff_role,
    principals_meet,
    user_principals,
)
from kpo.core.converters import MAX_ID
from kpo.core.fragments import cached_for_principals

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


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


def community_get_for_reading(*, user: User | AnonymousUser, slug: str) -> Community | None:
    """``community_get_for_user`` for pages that only read (GET): the same rule, its answer
    cached per principal set and content version (ADR 0013; every save or delete of a community
    bumps the version, ``communities.pagecache.connect``). Writes use the uncached lookup."""
    if len(slug) > 200:
        return None
    return cast(
        "Community | None",
        cached_for_principals(
            f"communities.community:{slug}",
            user_principals(user),
            lambda: community_get_for_user(user=user, slug=slug),
        ),
    )


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


def get_by_pk(qs: QuerySet[Any], pk: Any) -> Any:
    """A row by an id from a form field: ``None`` for a missing, malformed or impossible id."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= MAX_ID:
        return None
    return qs.filter(pk=pk).first()


# --- the platform moderator role (issue #18, docs/decisions/0029) ---------------------------------


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
