"""Who holds a staff role (and therefore must use two-factor authentication), and who is a
platform admin. The staff groups are those of ``kpo.core.access.STAFF_GROUPS``."""

from __future__ import annotations

from django.apps import apps

from kpo.core.roles import PLATFORM_ADMIN_GROUP, STAFF_GROUPS, in_group

__all__ = ["PLATFORM_ADMIN_GROUP", "is_platform_admin", "user_requires_2fa"]


def is_platform_admin(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or in_group(user, PLATFORM_ADMIN_GROUP))


def user_requires_2fa(user) -> bool:
    """True for every staff role: is_staff, superusers, members of a staff group, and active
    community managers and moderators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    if user.groups.filter(name__in=list(STAFF_GROUPS)).exists():
        return True
    try:
        membership = apps.get_model("communities", "Membership")
    except LookupError:
        return False
    return membership.objects.filter(
        user_id=user.pk,
        state=membership.State.ACTIVE,
        role__in=[membership.Role.MANAGER, membership.Role.MODERATOR],
    ).exists()
