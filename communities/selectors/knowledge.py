"""From question to knowledge (issue #17): ambassadors, proposing a thread as knowledge, the
knowledge pages and contributors of a thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from communities.models import Reply, Thread, ThreadKnowledgeLink
from communities.selectors.memberships import can_moderate
from kpo.core.access import can_read, has_staff_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


# --- q2k: from question to knowledge (issue #17) ------------------------------------------------


def is_ambassador(*, user: Any) -> bool:
    """An ambassador: a member of the "Ambassadeurs" group or the ambassador of a theme."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return has_staff_role(user, "ambassadeur") or user.ambassador_of.exists()


def thread_can_propose_knowledge(
    *, user: Any, thread: Thread, moderator: bool | None = None
) -> bool:
    """May ``user`` propose this thread (or its accepted answer) as a knowledge document? A
    moderator of its community, or an ambassador — both only when they can read the thread
    (a closed community's content stays with its readers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if thread.is_deleted or thread.is_hidden or not can_read(user, thread):
        return False
    if moderator is None:  # the view passes what its rights lookup already knows
        moderator = can_moderate(community=thread.community, user=user)
    return moderator or is_ambassador(user=user)


def thread_knowledge_pages(*, user: User | AnonymousUser, thread: Thread) -> list[Any]:
    """The live pages this thread was taken up in that ``user`` may read ("Opgenomen in de
    kennisbank"); a draft in review is not shown."""
    links = ThreadKnowledgeLink.objects.filter(thread=thread, page__live=True).select_related(
        "page"
    )
    pages = []
    for link in links:
        page = link.page.specific
        if can_read(user, page):
            pages.append(page)
    return pages


def thread_contributors(*, thread: Thread, reply: Reply | None = None) -> list[str]:
    """Display names of the thread's author and the authors of its visible replies (or of the
    one ``reply`` the document took), in order of first contribution, each once."""
    names: list[str] = []
    replies = thread.replies.filter(is_deleted=False, is_hidden=False)
    if reply is not None:
        replies = replies.filter(pk=reply.pk)
    authors = [thread.author] + [
        r.author for r in replies.select_related("author").order_by("created_at", "pk")
    ]
    for author in authors:
        name = author.display_name if author is not None else ""
        if name and name not in names:
            names.append(name)
    return names


def thread_knowledge_origin(*, user: User | AnonymousUser, page_id: int) -> list[dict[str, Any]]:
    """Where a knowledge page came from, for its credit line: the threads it was drafted from
    that ``user`` may read (a closed community's thread is credited only to its readers), with
    the community, the URL and the contributors by display name."""
    links = (
        ThreadKnowledgeLink.objects.filter(page_id=page_id)
        .select_related("thread__community", "thread__author", "reply")
        .order_by("created_at")
    )
    credits = []
    for link in links:
        thread = link.thread
        if thread.is_deleted or thread.is_hidden or not can_read(user, thread):
            continue
        credits.append(
            {
                "thread": thread,
                "community": thread.community,
                "url": thread.get_absolute_url(),
                "authors": thread_contributors(thread=thread, reply=link.reply),
                "answer_only": link.reply_id is not None,
            }
        )
    return credits
