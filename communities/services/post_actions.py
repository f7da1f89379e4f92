"""What members and moderators do with existing posts: react, follow a thread or a community,
pin and lock a thread, flag a post, hide and restore it, dismiss a flag."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from communities.models import Community, Flag, Follow, Membership, Reaction, Reply, Thread
from communities.selectors import community_content_visible, is_member
from communities.services.rights import moderation_log_write, require_moderator
from communities.services.suspension import require_not_suspended
from kpo.core.access import can_read
from kpo.notifications.services import notify
from search.services import index_delete, index_enqueue

if TYPE_CHECKING:
    from kpo.accounts.models import User


Role = Membership.Role
State = Membership.State


@transaction.atomic
def reaction_toggle(
    *, user: User, thread: Thread | None = None, reply: Reply | None = None
) -> bool:
    """Toggle "nuttig" on a thread or a reply. Returns True when the mark is now set."""
    if (thread is None) == (reply is None):
        raise ValidationError("Kies een onderwerp of een reactie.")
    target_thread = thread or reply.thread  # type: ignore[union-attr]
    if not can_read(user, target_thread):
        raise PermissionDenied("Je kunt dit bericht niet lezen.")
    require_not_suspended(user=user, community=target_thread.community)
    if (thread or reply).author_id == user.pk:  # type: ignore[union-attr]
        raise ValidationError("Je kunt je eigen bericht niet als nuttig markeren.")
    lookup = {"user": user, "thread": thread if reply is None else None, "reply": reply}
    existing = Reaction.objects.filter(**lookup).first()
    if existing:
        existing.delete()
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(**lookup)
    except IntegrityError:
        return True
    return True


@transaction.atomic
def thread_follow(*, thread: Thread, user: User) -> Follow:
    if not can_read(user, thread):
        raise PermissionDenied("Je kunt dit onderwerp niet lezen.")
    follow, _ = Follow.objects.get_or_create(user=user, community=thread.community, thread=thread)
    return follow


@transaction.atomic
def thread_unfollow(*, thread: Thread, user: User) -> None:
    Follow.objects.filter(user=user, thread=thread).delete()


@transaction.atomic
def community_follow(*, community: Community, user: User, follow: bool = True) -> None:
    if follow:
        if not can_read(user, community) or not (
            community_content_visible(community=community, user=user)
        ):
            raise PermissionDenied("Word eerst lid van deze community.")
        Follow.objects.get_or_create(user=user, community=community, thread=None)
    else:
        Follow.objects.filter(user=user, community=community, thread__isnull=True).delete()


@transaction.atomic
def thread_pin(*, thread: Thread, actor: User, pinned: bool = True) -> Thread:
    require_moderator(thread.community, actor)
    thread.pinned = pinned
    thread.save(update_fields=["pinned", "updated_at"])
    moderation_log_write(thread.community, actor, "pin" if pinned else "unpin", thread=thread)
    return thread


@transaction.atomic
def thread_lock(*, thread: Thread, actor: User, locked: bool = True) -> Thread:
    require_moderator(thread.community, actor)
    thread.locked = locked
    thread.save(update_fields=["locked", "updated_at"])
    moderation_log_write(thread.community, actor, "lock" if locked else "unlock", thread=thread)
    return thread


@transaction.atomic
def flag_create(*, user: User, post: Thread | Reply, reason: str) -> Flag:
    community = post.get_community()
    if not is_member(community=community, user=user):
        raise PermissionDenied("Alleen leden kunnen een bericht melden.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Geef een reden op."})
    thread = post if isinstance(post, Thread) else post.thread
    reply = post if isinstance(post, Reply) else None
    flag = Flag.objects.create(
        community=community, thread=thread, reply=reply, reported_by=user, reason=reason[:2000]
    )
    moderators = get_user_model().objects.filter(
        memberships__community=community,
        memberships__state=State.ACTIVE,
        memberships__role__in=[Role.MANAGER, Role.MODERATOR],
    )
    notify(
        recipients=moderators,
        kind="flag",
        title=f"Bericht gemeld in {community.name}",
        body=reason[:500],
        url=f"/communities/{community.slug}/moderatie/",
        community=community,
        key=f"flag:{flag.pk}",
    )
    return flag


def _set_hidden(post: Thread | Reply, actor: User, hidden: bool, note: str) -> None:
    community = post.get_community()
    require_moderator(community, actor)
    post.is_hidden = hidden
    post.save(update_fields=["is_hidden", "updated_at"])
    thread = post if isinstance(post, Thread) else post.thread
    reply = post if isinstance(post, Reply) else None
    flags = Flag.objects.filter(thread=thread, status=Flag.Status.OPEN)
    flags = flags.filter(reply=reply) if reply else flags.filter(reply__isnull=True)
    flags.update(status=Flag.Status.RESOLVED)
    moderation_log_write(
        community, actor, "hide" if hidden else "restore", thread=thread, reply=reply, note=note
    )
    if isinstance(post, Thread) and hidden:
        index_delete(thread)
    else:
        index_enqueue(thread)


@transaction.atomic
def moderation_hide(*, post: Thread | Reply, actor: User, note: str = "") -> None:
    _set_hidden(post, actor, True, note)


@transaction.atomic
def moderation_restore(*, post: Thread | Reply, actor: User, note: str = "") -> None:
    _set_hidden(post, actor, False, note)


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor: User) -> Flag:
    require_moderator(flag.community, actor)
    flag.status = Flag.Status.RESOLVED
    flag.save(update_fields=["status"])
    moderation_log_write(
        flag.community, actor, "dismiss_flag", thread=flag.thread, reply=flag.reply
    )
    return flag
