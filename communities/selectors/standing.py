"""A reader's standing in one community, cached per reader (ADR 0035): what the community's
cached pages show differently per role, computed by the rules' own selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from communities.models import Community
from communities.selectors.knowledge import is_ambassador
from communities.selectors.memberships import CommunityRights, community_rights
from communities.selectors.moderation import suspension_active
from kpo.core.reader import reader_cached


@dataclass(frozen=True)
class ReaderStanding:
    """What the pages of one community show differently per reader's role, as plain values
    (cached per reader, ``reader_standing``)."""

    is_member: bool
    can_moderate: bool
    can_manage: bool
    suspension: tuple[int, datetime] | None  # the active suspension's id and end
    ambassador: bool

    def suspended_at(self, now: datetime) -> tuple[int, datetime] | None:
        """The suspension if it has not ended by ``now`` (it ends by itself: the cached
        standing is compared with the clock, as ``suspension_active`` compares dates)."""
        return self.suspension if self.suspension and self.suspension[1] > now else None


def reader_standing(
    *,
    community: Community,
    user: Any,
    rights: Callable[[], CommunityRights] | None = None,
) -> ReaderStanding:
    """The reader's rights in the community, their active suspension and whether they are an
    ambassador, computed by the rules' own selectors and cached under the reader's version
    (``kpo.core.reader.reader_cached``): memberships, suspensions, groups and the themes'
    ambassadors bump it (``CommunitiesConfig.role_models``, ``reader_models``, ``reader_m2m``).
    For a page cache's variant; the doors themselves still ask the rules. ``rights``: the
    caller's own (memoised) ``community_rights`` lookup, so a miss reads the membership once."""

    def compute() -> ReaderStanding:
        found = rights() if rights else community_rights(community=community, user=user)
        suspension = suspension_active(user=user, community=community)
        return ReaderStanding(
            is_member=found.is_member,
            can_moderate=found.can_moderate,
            can_manage=found.can_manage,
            suspension=(suspension.pk, suspension.ends_at) if suspension else None,
            ambassador=is_ambassador(user=user),
        )

    # Besides the rows that bump the reader's version, the rules read the community's
    # visibility (platform moderators) and the user row (superuser, active): both are in the name.
    name = (
        f"communities.standing:{community.pk}:{community.visibility}:"
        f"{int(bool(user.is_superuser))}{int(bool(user.is_active))}"
    )
    return cast(ReaderStanding, reader_cached(user, name, compute))
