"""The cached thread page (ADR 0035): its version and its reader regions. Connected in
``CommunitiesConfig.ready``.

**Version.** Every model the thread page shows bumps that thread's ``object_version`` on save,
delete and ``content_changed``; the page is cached under it (and under the content version).

**Reader regions** (which branch of a stored ``{% reader_if %}`` region one reader gets):

* ``communities.reacted`` — key ``t:<thread>`` (the opening post) or ``r:<thread>:<reply>``:
  the reader marked that post useful;
* ``communities.following`` — key ``<thread>``: the reader follows the thread.

Both read ``selectors.thread_reader_state`` once per thread and request (one query)."""

from __future__ import annotations

from django.http import HttpRequest

from communities import selectors
from kpo.core.pagecache import reader_condition

_ATTR = "_communities_thread_reader_state"


def _state(request: HttpRequest, thread_id: int) -> selectors.ThreadReaderState:
    memo = request.__dict__.setdefault(_ATTR, {})
    if thread_id not in memo:
        memo[thread_id] = selectors.thread_reader_state(user=request.user, thread_id=thread_id)
    return memo[thread_id]


def _ids(key: str, size: int) -> list[int] | None:
    parts = key.split(":")
    if len(parts) != size or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def reacted(request: HttpRequest, key: str) -> bool:
    kind, _, rest = key.partition(":")
    if kind == "t" and (ids := _ids(rest, 1)):
        return _state(request, ids[0]).reacted_thread
    if kind == "r" and (ids := _ids(rest, 2)):
        return ids[1] in _state(request, ids[0]).reacted_replies
    return False


def following(request: HttpRequest, key: str) -> bool:
    ids = _ids(key, 1)
    return ids is not None and _state(request, ids[0]).following


def connect() -> None:
    reader_condition("communities.reacted")(reacted)
    reader_condition("communities.following")(following)
    connect_thread_page_versions()


def thread_page_version_name(thread_id: int) -> str:
    return f"communities.thread:{thread_id}"


def _thread_id_of(instance) -> int | None:
    """The thread whose page shows this row (none: not shown on a thread page)."""
    from communities.models import QuestionRouteRecipient, Reply, Thread

    if isinstance(instance, Thread):
        return instance.pk
    if isinstance(instance, QuestionRouteRecipient):
        from communities.models import QuestionRoute

        return (
            QuestionRoute.objects.filter(pk=instance.route_id)
            .values_list("thread_id", flat=True)
            .first()
        )
    thread_id = getattr(instance, "thread_id", None)
    if thread_id is None and getattr(instance, "reply_id", None) is not None:
        return (
            Reply.objects.filter(pk=instance.reply_id).values_list("thread_id", flat=True).first()
        )
    return thread_id


def thread_page_changed(sender, instance, **kwargs) -> None:
    """A row the thread page shows was written or deleted: that page's cached copies are old."""
    from kpo.core.fragments import bump_object_version

    thread_id = _thread_id_of(instance)
    if thread_id is not None:
        bump_object_version(thread_page_version_name(thread_id))


def connect_thread_page_versions() -> None:
    """Every model the thread page shows bumps its thread's version on save and delete, and on
    ``content_changed`` (rows changed with ``QuerySet.update``, e.g. an erased account's posts)."""
    from django.db.models.signals import post_delete, post_save

    from communities import models
    from kpo.core.signals import content_changed

    shown = (
        models.Thread,
        models.Reply,
        models.Reaction,
        models.Attachment,
        models.ThreadRevision,
        models.QuestionRoute,
        models.QuestionRouteRecipient,
        models.ThreadKnowledgeLink,
    )
    for model in shown:
        for signal in (post_save, post_delete, content_changed):
            signal.connect(
                thread_page_changed,
                sender=model,
                dispatch_uid=f"communities-thread-page-{model.__name__}-{id(signal)}",
            )
