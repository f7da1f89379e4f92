"""The cached thread page (ADR 0035): its versions and its reader regions. Connected in
``CommunitiesConfig.ready``.

**Versions.** Every model the thread page shows bumps that thread's version
(``object_versions``) on save, delete and ``content_changed``; the page is cached under it (and
under the content version). A reader's own marks and follow state in one thread have a version of
their own (``reader_marks_version_name``), bumped by their reactions and follows. Every save or
delete of a community bumps the content version (the cached community lookup,
``selectors.community_get_for_reading``).

**Reader regions** (which branch of a stored ``{% reader_if %}`` region one reader gets):

* ``communities.reacted`` — key ``t:<thread>`` (the opening post) or ``r:<thread>:<reply>``:
  the reader marked that post useful;
* ``communities.following`` — key ``<thread>``: the reader follows the thread.

Both read ``selectors.thread_reader_state`` once per thread and request, cached under the
reader's marks version for that thread."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from communities import selectors
from kpo.core.fragments import FRAGMENT_CACHE_SECONDS, bump_object_version, object_versions
from kpo.core.pagecache import reader_condition

_ATTR = "_communities_thread_reader_state"
_VERSIONS_ATTR = "_communities_marks_versions"


def thread_page_version_name(thread_id: int) -> str:
    return f"communities.thread:{thread_id}"


def reader_marks_version_name(user_id: int, thread_id: int) -> str:
    return f"communities.marks:{user_id}:{thread_id}"


def thread_page_version(request: HttpRequest, thread_id: int) -> int:
    """The thread's version; the reader's marks version for it comes in the same cache round
    trip and is kept on the request for the regions."""
    thread, marks = object_versions(
        [
            thread_page_version_name(thread_id),
            reader_marks_version_name(int(request.user.pk or 0), thread_id),
        ]
    )
    request.__dict__.setdefault(_VERSIONS_ATTR, {})[thread_id] = marks
    return thread


def _state(request: HttpRequest, thread_id: int) -> selectors.ThreadReaderState:
    memo = request.__dict__.setdefault(_ATTR, {})
    if thread_id in memo:
        return memo[thread_id]
    user_id = int(request.user.pk or 0)
    marks = request.__dict__.get(_VERSIONS_ATTR, {}).get(thread_id)
    if marks is None:
        marks = object_versions([reader_marks_version_name(user_id, thread_id)])[0]
    key = f"kpo:thread-reader:{user_id}:{thread_id}:{marks}"
    state = cache.get(key)
    if not isinstance(state, selectors.ThreadReaderState):
        state = selectors.thread_reader_state(user=request.user, thread_id=thread_id)
        cache.set(key, state, FRAGMENT_CACHE_SECONDS)
    memo[thread_id] = state
    return state


def _ids(key: str, size: int) -> list[int] | None:
    parts = key.split(":")
    if len(parts) != size or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def reacted(request: HttpRequest, key: str) -> bool:
    if not request.user.is_authenticated:
        return False
    kind, _, rest = key.partition(":")
    if kind == "t" and (ids := _ids(rest, 1)):
        return _state(request, ids[0]).reacted_thread
    if kind == "r" and (ids := _ids(rest, 2)):
        return ids[1] in _state(request, ids[0]).reacted_replies
    return False


def following(request: HttpRequest, key: str) -> bool:
    ids = _ids(key, 1)
    return request.user.is_authenticated and ids is not None and _state(request, ids[0]).following


def _thread_id_of(instance: Any) -> int | None:
    """The thread whose page shows this row (none: not shown on a thread page)."""
    from communities.models import QuestionRoute, QuestionRouteRecipient, Reply, Thread

    if isinstance(instance, Thread):
        return instance.pk
    if isinstance(instance, QuestionRouteRecipient):
        routes = QuestionRoute.objects.filter(pk=instance.route_id)
        return routes.values_list("thread_id", flat=True).first()
    thread_id = getattr(instance, "thread_id", None)
    if thread_id is None and getattr(instance, "reply_id", None) is not None:
        replies = Reply.objects.filter(pk=instance.reply_id)
        return replies.values_list("thread_id", flat=True).first()
    return thread_id


def thread_page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row the thread page shows was written or deleted: that page's cached copies are old;
    a reaction or follow also changes its user's own marks in that thread."""
    from communities.models import Follow, Reaction

    thread_id = _thread_id_of(instance)
    if thread_id is None:
        return
    if sender is not Follow:
        bump_object_version(thread_page_version_name(thread_id))
    if sender in (Reaction, Follow) and instance.user_id is not None:
        bump_object_version(reader_marks_version_name(instance.user_id, thread_id))


def community_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """At once and again after commit (as the reader's versions, ADR 0033): a request inside the
    writing transaction sees the change, and one that read the old row before the commit cannot
    leave it under the new version."""
    from kpo.core.fragments import bump_after_commit, bump_content_version

    bump_content_version()
    bump_after_commit()


def connect() -> None:
    """The regions' conditions, and the bumps: every model the thread page shows bumps its
    thread's version on save and delete, and on ``content_changed`` (rows changed with
    ``QuerySet.update``, e.g. an erased account's posts or an escalation)."""
    from django.db.models.signals import post_delete, post_save

    from communities import models
    from kpo.core.signals import content_changed

    reader_condition("communities.reacted")(reacted)
    reader_condition("communities.following")(following)
    shown = (
        models.Thread,
        models.Reply,
        models.Reaction,
        models.Attachment,
        models.ThreadRevision,
        models.QuestionRoute,
        models.QuestionRouteRecipient,
        models.ThreadKnowledgeLink,
        models.Follow,  # the reader's own follow state only
    )
    for model in shown:
        for signal in (post_save, post_delete, content_changed):
            signal.connect(
                thread_page_changed,
                sender=model,
                dispatch_uid=f"communities-thread-page-{model.__name__}-{id(signal)}",
            )
    for signal in (post_save, post_delete):
        signal.connect(
            community_changed,
            sender=models.Community,
            dispatch_uid=f"communities-community-changed-{id(signal)}",
        )
