"""Fragment caching per principal set (ADR 0013).

What a page shows of the content depends only on the reader's *principals* (the access rule),
never on who the reader is. So a fragment rendered for one reader is valid for every reader with
the same principal set, until some content changes. Cached fragments are keyed on

* ``principals_key(principals)``: a short hash of the sorted principal set (a member and a
  non-member of a closed community have different sets, hence different keys), and
* ``content_version()``: one integer in the cache, bumped after every committed content write
  (every search-outbox row, every page publish/unpublish/delete, see ``connect()``).

Templates use Django's own ``{% cache %}`` tag with both as ``vary_on`` arguments; the
``fragment_keys`` context processor supplies them lazily, so a page that caches nothing never
reads the version. Bumping the version orphans every older fragment at once; they expire by
their timeout (``FRAGMENT_CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.functional import SimpleLazyObject

logger = logging.getLogger(__name__)

VERSION_KEY = "kpo:content-version"
FRAGMENT_CACHE_SECONDS = 600


def principals_key(principals: frozenset[str] | set[str]) -> str:
    """A stable short hash of a principal set (order-independent)."""
    joined = "\n".join(sorted(principals))
    return hashlib.sha256(joined.encode()).hexdigest()[:20]


# Within one request the content version is read once (``ContentVersionScopeMiddleware``): the
# page key, the cached lookups and the unread badge of one answer all use the same version, and a
# cache hit costs one round trip for it instead of three. A bump inside the request updates it.
_REQUEST_SCOPE: ContextVar[dict[str, int] | None] = ContextVar("kpo_content_version", default=None)


def content_version() -> int:
    """The current content version (created on first use)."""
    scope = _REQUEST_SCOPE.get()
    if scope is not None and "version" in scope:
        return scope["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    if scope is not None:
        scope["version"] = int(version)
    return int(version)


def bump_content_version() -> int:
    """Invalidate every cached fragment (a new version makes new keys)."""
    try:
        version = int(cache.incr(VERSION_KEY))
    except ValueError:  # the key does not exist yet (or was evicted)
        cache.add(VERSION_KEY, 2, timeout=None)
        version = int(cache.get(VERSION_KEY) or 2)
    scope = _REQUEST_SCOPE.get()
    if scope is not None:
        scope["version"] = version
    return version


class ContentVersionScopeMiddleware:
    """Reads the content version at most once per request (see ``_REQUEST_SCOPE``). Celery tasks
    and management commands run outside any scope and read it on every call."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _REQUEST_SCOPE.set({})
        try:
            return self.get_response(request)
        finally:
            _REQUEST_SCOPE.reset(token)


def bump_after_commit() -> None:
    """Bump once the surrounding transaction commits (right away outside a transaction), so a
    reader never caches the old content under the new version."""
    transaction.on_commit(bump_content_version)


def _object_version_key(name: str) -> str:
    return f"kpo:object-version:{name}"


def object_versions(names: list[str]) -> list[int]:
    """The versions of objects a cached page shows (``"communities.thread:42"``), in one cache
    round trip; pages that show them put them into their key (``kpo.core.pagecache.cached_view``).
    A missing key (never bumped, flushed, evicted) starts from the current time, never from a
    number used before."""
    keys = [_object_version_key(name) for name in names]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, time.time_ns(), timeout=None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    return [int(found.get(key) or 0) for key in keys]


def bump_object_version(name: str) -> None:
    """The object changed: bump its version at once and again after the surrounding transaction
    commits, so neither a reader inside the transaction nor one that read the old rows before
    the commit leaves an old page under the new version (as ``kpo.core.reader`` does)."""
    key = _object_version_key(name)

    def bump() -> None:
        try:
            cache.incr(key)
        except ValueError:  # missing: never reuse an old number
            cache.set(key, time.time_ns(), timeout=None)

    bump()
    transaction.on_commit(bump)


def cached_for_principals(
    name: str,
    principals: frozenset[str],
    compute: Callable[[], Any],
    *,
    timeout: int = FRAGMENT_CACHE_SECONDS,
) -> Any:
    """``compute()`` cached under the principal set and the content version (for data that a
    template cannot cache as a fragment, e.g. filter choices). The value must pickle."""
    key = f"kpo:frag:{name}:{principals_key(principals)}:{content_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def fragment_keys(request) -> dict:
    """Context processor: ``kpo_principals_key`` and ``kpo_content_version`` for ``{% cache %}``.
    Both are lazy; the principals are the request's (computed once per request and cached on the
    user object by ``user_principals``)."""
    from kpo.core.access import user_principals

    if getattr(request, "is_preview", False):
        # A Wagtail preview shows unsaved content: never read or store it (timeout 0).
        return {
            "kpo_principals_key": "preview",
            "kpo_content_version": 0,
            "kpo_fragment_seconds": 0,
        }
    return {
        "kpo_principals_key": SimpleLazyObject(
            lambda: principals_key(user_principals(getattr(request, "user", None)))
        ),
        "kpo_content_version": SimpleLazyObject(content_version),
        "kpo_fragment_seconds": FRAGMENT_CACHE_SECONDS,
    }


def _on_page_change(sender, **kwargs) -> None:
    bump_after_commit()


def connect() -> None:
    """Page publish, unpublish and delete bump the version (search's outbox bumps it for every
    other content write, see ``search.services``)."""
    from django.db.models.signals import post_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(_on_page_change, dispatch_uid="kpo-fragments-published")
    page_unpublished.connect(_on_page_change, dispatch_uid="kpo-fragments-unpublished")
    post_delete.connect(_on_page_change, sender=Page, dispatch_uid="kpo-fragments-page-deleted")
