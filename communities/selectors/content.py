"""Reads of a community's content: threads, replies, attachments, reactions, follows, the
activity feed, the theme section and the pinned resources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from communities.models import Attachment, Community, Follow, Reaction, Reply, Thread
from communities.selectors.events import event_list_for_user
from communities.selectors.memberships import (
    community_content_visible,
    community_list_for_user,
    get_by_pk,
)
from kpo.core.access import can_read, filter_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User
    from kpo.themes.models import Theme


def thread_list_for_user(
    *, user: User | AnonymousUser, community: Community | None = None, unanswered: bool = False
) -> QuerySet[Thread]:
    qs = filter_visible(Thread.objects.filter(is_deleted=False, is_hidden=False), user)
    if community is not None:
        qs = qs.filter(community=community)
    if unanswered:
        qs = qs.filter(kind=Thread.Kind.QUESTION, accepted_reply__isnull=True)
    return (
        qs.select_related("community", "author")
        .annotate(
            reply_count=Count(
                "replies", filter=Q(replies__is_deleted=False, replies__is_hidden=False)
            )
        )
        .order_by("-pinned", "-last_activity_at")
    )


def thread_get_for_user(
    *, user: User | AnonymousUser, pk: int, include_removed: bool = False
) -> Thread | None:
    qs = filter_visible(Thread.objects.all(), user).select_related("community", "author")
    if not include_removed:
        qs = qs.filter(is_deleted=False, is_hidden=False)
    return qs.filter(pk=pk).first()


def reply_list_for_thread(
    *, user: User | AnonymousUser, thread: Thread, moderator: bool = False
) -> QuerySet[Reply]:
    """The replies of a thread for display, with a fixed number of queries whatever their count:
    authors joined, reactions counted and the user's own reactions and attachments prefetched."""
    qs = filter_visible(Reply.objects.filter(thread=thread), user).filter(is_deleted=False)
    if not moderator:
        qs = qs.filter(is_hidden=False)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    return (
        qs.select_related("author")
        .annotate(
            useful_count=Count("reactions", distinct=True),
            reacted=Exists(
                # user_id None (anonymous) matches no reaction: a nullable lookup by intent.
                Reaction.objects.filter(reply=OuterRef("pk"), user_id=user_id)  # type: ignore[misc]
            ),
        )
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def reply_get_for_user(*, user: User | AnonymousUser, pk: int) -> Reply | None:
    return (
        filter_visible(Reply.objects.filter(is_deleted=False), user)
        .select_related("thread__community", "author")
        .filter(pk=pk, thread__is_deleted=False)
        .first()
    )


def attachment_list_for_user(
    *, user: User | AnonymousUser, community: Community
) -> QuerySet[Attachment]:
    return (
        filter_visible(Attachment.objects.filter(community=community), user)
        .exclude(thread__is_hidden=True)
        .exclude(thread__is_deleted=True)
        .exclude(reply__is_hidden=True)
        .exclude(reply__is_deleted=True)
        .select_related("uploaded_by")
    )


def attachment_get_for_user(
    *, user: User | AnonymousUser, community: Community, pk: int
) -> Attachment | None:
    return attachment_list_for_user(user=user, community=community).filter(pk=pk).first()


def thread_opening_post(*, thread: Thread) -> dict[str, Any]:
    """The opening post's "useful" count and its attachments (the same for every reader; the
    reader's own mark is ``thread_reader_state``)."""
    return {
        "thread_useful": thread.reactions.filter(reply__isnull=True).count(),
        "thread_attachments": list(thread.attachments.filter(reply__isnull=True)),
    }


@dataclass(frozen=True)
class ThreadReaderState:
    """What one reader did in one thread: the posts they marked useful, whether they follow it."""

    reacted_thread: bool
    reacted_replies: frozenset[int]
    following: bool


def thread_reader_state(*, user: User | AnonymousUser, thread_id: int) -> ThreadReaderState:
    """One query: the reader's reactions in the thread (``reply_id`` NULL: the opening post)
    and, as a row with ``reply_id`` -1, whether they follow it."""
    if not getattr(user, "is_authenticated", False):
        return ThreadReaderState(False, frozenset(), False)
    from django.db.models import IntegerField, Value

    user_id = cast("User", user).pk
    reactions = Reaction.objects.filter(
        Q(thread_id=thread_id) | Q(reply__thread_id=thread_id), user_id=user_id
    ).values_list("reply_id")
    follow = Follow.objects.filter(user_id=user_id, thread_id=thread_id).values_list(
        Value(-1, output_field=IntegerField())
    )
    rows = [row[0] for row in reactions.union(follow, all=True)]
    return ThreadReaderState(
        reacted_thread=None in rows,
        reacted_replies=frozenset(r for r in rows if r is not None and r > 0),
        following=-1 in rows,
    )


def is_following(
    *, user: User | AnonymousUser, thread: Thread | None = None, community: Community | None = None
) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if thread is not None:
        return Follow.objects.filter(user=cast("User", user), thread=thread).exists()
    return Follow.objects.filter(
        user=cast("User", user), community=community, thread__isnull=True
    ).exists()


def activity_feed_for_user(
    *, user: User | AnonymousUser, community: Community, limit: int = 15
) -> list[dict[str, Any]]:
    """Latest threads, replies and events of a community, newest first."""
    if not community_content_visible(community=community, user=user):
        return []
    items: list[dict[str, Any]] = []
    for t in thread_list_for_user(user=user, community=community).order_by("-created_at")[:limit]:
        items.append(
            {
                "when": t.created_at,
                "kind": "thread",
                "title": t.title,
                "url": t.get_absolute_url(),
                "who": t.author,
            }
        )
    replies = (
        filter_visible(Reply.objects.filter(thread__community=community), user)
        .filter(
            is_deleted=False, is_hidden=False, thread__is_deleted=False, thread__is_hidden=False
        )
        .select_related("thread", "thread__community", "author")
        .order_by("-created_at")[:limit]
    )
    for r in replies:
        items.append(
            {
                "when": r.created_at,
                "kind": "reply",
                "title": r.thread.title,
                "url": r.get_absolute_url(),
                "who": r.author,
            }
        )
    for e in event_list_for_user(user=user, community=community).order_by("-created_at")[:limit]:
        items.append(
            {
                "when": e.created_at,
                "kind": "event",
                "title": e.title,
                "url": e.get_absolute_url(),
                "who": None,
            }
        )
    items.sort(key=lambda i: i["when"], reverse=True)
    return items[:limit]  # fmt: skip


def theme_section(*, theme: Theme, user: User | AnonymousUser) -> dict[str, Any]:
    from django.utils.translation import gettext as _

    items = [
        {"title": c.name, "url": c.get_absolute_url(), "summary": c.description}
        for c in community_list_for_user(user=user).filter(themes=theme)[:6]
    ]
    return {
        "key": "communities",
        "title": _("Communities"),
        "items": items,
        "more_url": "/communities/",
    }


# --- landing text and pinned resources (issue #18) ----------------------------------------------


@dataclass(frozen=True)
class PinnedItem:
    pk: int
    kind: str
    kind_label: str
    title: str
    url: str


def community_pins_for_user(
    *, user: User | AnonymousUser | Any, community: Community
) -> list[PinnedItem]:
    """The pinned resources of a community that the user may read, in the manager's order.

    Each target goes through the access rule: threads and files through their selectors (not
    hidden, not deleted), pages only when live and readable (``can_read`` on the page itself, so
    a knowledge document of another, closed community is left out), outside links with the
    community's content."""
    from kpo.core.access import AccessControlled

    if not community_content_visible(community=community, user=user):
        return []
    pins = list(community.pins.select_related("thread", "attachment", "page"))
    thread_ids = {p.thread_id for p in pins if p.thread_id}
    file_ids = {p.attachment_id for p in pins if p.attachment_id}
    page_ids = {p.page_id for p in pins if p.page_id}
    threads = set(
        thread_list_for_user(user=user, community=community)
        .filter(pk__in=thread_ids)
        .values_list("pk", flat=True)
    ) if thread_ids else set()  # fmt: skip
    files = set(
        attachment_list_for_user(user=user, community=community)
        .filter(pk__in=file_ids)
        .values_list("pk", flat=True)
    ) if file_ids else set()  # fmt: skip
    pages: dict[int, Any] = {}
    if page_ids:
        from wagtail.models import Page

        for page in Page.objects.filter(pk__in=page_ids, live=True).specific():
            if isinstance(page, AccessControlled) and can_read(user, page):
                pages[cast("Any", page).pk] = page
    items: list[PinnedItem] = []
    for pin in pins:
        label = str(pin.get_kind_display())
        if pin.thread is not None and pin.thread_id in threads:
            pin.thread.community = community  # its URL needs the slug, not a query
            title, url = pin.title or pin.thread.title, pin.thread.get_absolute_url()
        elif pin.attachment is not None and pin.attachment_id in files:
            pin.attachment.community = community
            title, url = pin.title or pin.attachment.filename, pin.attachment.get_absolute_url()
        elif pin.page_id in pages:
            page = pages[pin.page_id]
            title, url = pin.title or page.title, page.url or ""
        elif pin.kind == pin.Kind.LINK and pin.url:
            title, url = pin.title or pin.url, pin.url
        else:
            continue
        items.append(PinnedItem(pk=pin.pk, kind=pin.kind, kind_label=label, title=title, url=url))
    return items


def community_pin_get(*, community: Community, pk: Any) -> Any:
    """A pin of the community by a posted id (``None`` for an unknown or malformed id)."""
    return get_by_pk(community.pins.all(), pk)


def community_pin_list(*, community: Community) -> QuerySet[Any]:
    """All pins of a community for its managers' page, in order (managers read everything in
    their community; readers get ``community_pins_for_user``)."""
    return community.pins.select_related("thread", "attachment", "page")
