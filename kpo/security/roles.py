"""Who holds a staff role (and therefore must use two-factor authentication), and who is a
platform admin. The staff groups are those of ``kpo.core.access.STAFF_GROUPS``."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.apps import apps
from django.utils.module_loading import import_string

from kpo.core.roles import PLATFORM_ADMIN_GROUP, in_group

__all__ = ["PLATFORM_ADMIN_GROUP", "is_platform_admin", "user_requires_2fa"]


def is_platform_admin(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or in_group(user, PLATFORM_ADMIN_GROUP))


def user_requires_2fa(user) -> bool:
    """True for every staff role: is_staff, superusers, members of a staff group, and the roles
    the pillars declare (``second_factor_role``: active community managers and moderators)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    from kpo.core.reader import reader_facts

    # The same once-per-request, versioned read as the principals (kpo.core.reader, ADR 0033).
    facts = reader_facts(user)
    return bool(facts.staff_groups or facts.pillar_second_factor_role)


@functools.cache
def second_factor_role_checks() -> tuple[Callable[..., bool], ...]:
    """Roles the pillars grant that need a second factor, declared on their AppConfig as
    ``second_factor_role`` (dotted path to ``f(*, user) -> bool``; communities: an active manager
    or moderator membership). The core never imports a pillar (docs/decisions/0018)."""
    return tuple(
        import_string(getattr(config, "second_factor_role"))  # noqa: B009 (declared by pillars)
        for config in apps.get_app_configs()
        if getattr(config, "second_factor_role", None)
    )
