"""Reads of notifications. Notifications about community content go through the access rule:
what a user may no longer see (a community they left, a hidden post) is neither listed nor
counted nor mailed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string

from kpo.core.access import can_read, principals_meet, user_principals
from kpo.notifications.models import Notification, NotificationPreference

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


def _visible_q(user: User | AnonymousUser) -> Q:
    # The community model is reached through the notification's foreign key: the core never
    # imports a pillar (docs/decisions/0018).
    community_model: Any = Notification._meta.get_field("community").related_model
    return Q(community__isnull=True) | community_model.content_principals_q(
        user_principals(user), prefix="community__"
    )


def notification_list_for_user(*, user: User | AnonymousUser) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).filter(_visible_q(user))


def notification_unread_count(*, user: User | AnonymousUser) -> int:
    if not user.is_authenticated:
        return 0
    return notification_list_for_user(user=user).filter(read_at__isnull=True).count()


def notification_visible_to(
    *, user: User | AnonymousUser, notifications: Iterable[Notification]
) -> list[Notification]:
    """The notifications whose community and subject the user may read now (and whose subject
    still exists and is not removed)."""
    result = []
    for n in notifications:
        if n.community is not None and not principals_meet(user, n.community.content_principals()):
            continue
        if n.subject_type_id is not None:
            subject = n.subject
            if subject is None or getattr(subject, "is_removed", False):
                continue
            if hasattr(subject, "read_principals") and not can_read(user, subject):
                continue
        result.append(n)
    return result


def notification_communities_for_user(*, user: User) -> list[Any]:
    """The communities whose e-mail the user can set (their active memberships), from the app
    that declares ``notification_communities`` on its AppConfig (the communities pillar)."""
    communities: list[Any] = []
    for config in apps.get_app_configs():
        path = getattr(config, "notification_communities", None)
        if path:
            communities.extend(import_string(path)(user=user))
    return communities


def notification_preferences_for_user(*, user: User) -> QuerySet[NotificationPreference]:
    return NotificationPreference.objects.filter(user=user).select_related("community")
