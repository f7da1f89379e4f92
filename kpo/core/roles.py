"""The staff roles: the names of the Django/Wagtail groups that carry them (what admins see) and
the group-membership checks that are not a read of content. This is the one place these names
are written; every app imports them from here.

Reading content goes through the principals of ``kpo.core.access`` (``has_staff_role``), where a
superuser holds every staff role. The checks below are for the few rules that ask for *group
membership itself*: a superuser is not a lawyer (only members of "Juristen" may publish what
needs legal review).
"""

from __future__ import annotations

from typing import Any

EDITORS_GROUP = "Redacteuren"
BOARD_GROUP = "Redactieraad"
AMBASSADORS_GROUP = "Ambassadeurs"
ACADEMY_GROUP = "Academie"
LAWYERS_GROUP = "Juristen"
COMMUNITY_MANAGERS_GROUP = "Communitymanagers"
PLATFORM_ADMIN_GROUP = "Platformbeheer"
# Moderate every community they may see and suspend accounts platform-wide (issue #18).
PLATFORM_MODERATORS_GROUP = "Platformmoderatoren"

# Staff group → the staff role (principal ``staff:<role>``) it carries.
STAFF_GROUPS: dict[str, str] = {
    EDITORS_GROUP: "editor",
    BOARD_GROUP: "redactieraad",
    AMBASSADORS_GROUP: "ambassadeur",
    ACADEMY_GROUP: "academie",
    LAWYERS_GROUP: "jurist",
    COMMUNITY_MANAGERS_GROUP: "communitymanager",
    PLATFORM_ADMIN_GROUP: "admin",
    PLATFORM_MODERATORS_GROUP: "moderator",
}
STAFF_ROLES = frozenset(STAFF_GROUPS.values())


def in_group(user: Any, group_name: str) -> bool:
    """True when ``user`` is a logged-in user and a member of the group (superusers included
    only when they are members)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.groups.filter(name=group_name).exists())


def is_jurist(user: Any) -> bool:
    """A member of "Juristen": may approve, publish and waive legal review."""
    return in_group(user, LAWYERS_GROUP)
