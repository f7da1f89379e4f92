"""What a request needs to know about its reader, read once and cached per user (ADR 0033).

A page hit (ADR 0024) is the same for every reader with the same principals, but every request
still asked the database about its own reader: the staff groups (twice: for the principals and
for the second-factor check), the active memberships (principals) and moderator roles (second
factor), the header's ``access_admin`` permission and the unread-notification badge. This module
reads those facts in one place, once per request, and keeps them per user in the cache under an
explicit version:

    kpo:reader:<schema>:<epoch>:<user id>:<user version>     ReaderFacts
    kpo:reader-unread:<epoch>:<user id>:<user version>:<content version>   int

* the **user version** is bumped on every change that affects one user's facts: a row of a
  role-granting model the pillars declare (``role_models``: the communities membership) saved or
  deleted, the user's groups or own permissions changed, a notification of theirs written, read
  or deleted (also through ``QuerySet.update``: ``Notification``'s queryset bumps its recipients);
* the **epoch** is bumped on changes that affect everybody: a group renamed, deleted or given
  other permissions;
* the unread count also depends on the content version (ADR 0013): a community that changes
  visibility hides or shows notifications about it.

A bump happens at once *and* again after the surrounding transaction commits, so a reader inside
the writing transaction sees the change, and a reader that read the old rows while the write was
not yet committed cannot leave them behind under the new version. A missing version key (a Redis
flush or eviction) starts again from the current time in nanoseconds, never from a number used
before. With the cache down every lookup is a miss and the facts come from the database.

The user row itself (``is_active``, ``is_staff``, ``is_superuser``) is not cached: the session's
user is read from the database on every request and the rules below combine it with the facts.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils.module_loading import import_string

from kpo.core.roles import STAFF_GROUPS

ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"
READER_CACHE_SECONDS = 3600
EPOCH_KEY = "kpo:reader-epoch"
_ATTR = "_kpo_reader_facts"
_UNREAD_ATTR = "_kpo_reader_unread"
_VERSIONS_ATTR = "_kpo_reader_versions"
_CACHED_ATTR = "_kpo_reader_cached"
# Part of the key: raise it when ReaderFacts changes shape, so a deploy never unpickles old ones.
_SCHEMA = 1


@dataclass(frozen=True)
class ReaderFacts:
    """The facts about one user that a request needs, none of them from the user row."""

    groups: frozenset[str]  # names of all the user's groups
    granted: frozenset[str]  # principals the pillars grant (``principal_source``)
    pillar_second_factor_role: bool  # a role a pillar grants needs a second factor
    admin_permission: bool  # ``wagtailadmin.access_admin`` through own or group permissions

    @property
    def staff_groups(self) -> frozenset[str]:
        return self.groups & frozenset(STAFF_GROUPS)


def _version_key(user_id: int) -> str:
    return f"kpo:reader-version:{user_id}"


def _fresh_version() -> int:
    return time.time_ns()


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # missing (never set, flushed or evicted): never reuse an old number
        cache.set(key, _fresh_version(), timeout=None)


def _bump_now_and_after_commit(keys: list[str]) -> None:
    def bump() -> None:
        for key in keys:
            _bump(key)

    bump()
    transaction.on_commit(bump)


def reader_changed(*, user_ids: Iterable[int | None]) -> None:
    """The facts of these users changed: their next lookup reads the database."""
    keys = sorted({_version_key(pk) for pk in user_ids if pk is not None})
    if keys:
        _bump_now_and_after_commit(keys)


def readers_all_changed() -> None:
    """A change that may affect every user's facts (a group renamed or its permissions)."""
    _bump_now_and_after_commit([EPOCH_KEY])


def _versions(user: Any) -> tuple[int, int]:
    """The epoch and the user's version, read once per user object (one request)."""
    cached = getattr(user, _VERSIONS_ATTR, None)
    if cached is not None:
        return cached
    keys = [EPOCH_KEY, _version_key(user.pk)]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, _fresh_version(), timeout=None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    versions = (int(found.get(keys[0]) or 0), int(found.get(keys[1]) or 0))
    setattr(user, _VERSIONS_ATTR, versions)
    return versions


@functools.cache
def principal_sources() -> tuple[Callable[..., Iterable[str]], ...]:
    """The principals the pillars grant, declared on their AppConfig as ``principal_source``
    (dotted path to ``f(*, user) -> Iterable[str]``; communities: ``community:<id>`` of the
    active memberships). The core never imports a pillar (docs/decisions/0018)."""
    return tuple(
        import_string(getattr(config, "principal_source"))  # noqa: B009 (declared by pillars)
        for config in apps.get_app_configs()
        if getattr(config, "principal_source", None)
    )


def _compute(user: Any) -> ReaderFacts:
    from kpo.security.roles import second_factor_role_checks

    groups = frozenset(user.groups.values_list("name", flat=True))
    granted: set[str] = set()
    for source in principal_sources():
        granted.update(source(user=user))
    pillar_role = any(check(user=user) for check in second_factor_role_checks())
    # The permission as such (a superuser holds every one; that is decided from the user row).
    admin_permission = (
        False if user.is_superuser or not user.is_active else user.has_perm(ADMIN_ACCESS_PERMISSION)
    )
    return ReaderFacts(
        groups=groups,
        granted=frozenset(granted),
        pillar_second_factor_role=pillar_role,
        admin_permission=admin_permission,
    )


def reader_facts(user: Any) -> ReaderFacts:
    """The facts of a logged-in user: once per user object, from the cache when the versions
    still match, otherwise from the database (and stored)."""
    cached = getattr(user, _ATTR, None)
    if cached is not None:
        return cached
    epoch, version = _versions(user)
    key = f"kpo:reader:{_SCHEMA}:{epoch}:{user.pk}:{version}"
    facts = cache.get(key)
    if not isinstance(facts, ReaderFacts):
        facts = _compute(user)
        cache.set(key, facts, READER_CACHE_SECONDS)
    setattr(user, _ATTR, facts)
    return facts


def reader_cached(user: Any, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` about this user, cached under their version (ADR 0035: a pillar's facts
    about one reader, e.g. their standing in one community). Only for values computed from the
    rows that bump the user's version: the ``role_models``, the ``reader_models`` and the
    ``reader_m2m`` the pillars declare, the user's groups and permissions. The value must pickle;
    ``None`` is stored as a miss and computed again."""
    memo = user.__dict__.setdefault(_CACHED_ATTR, {})
    if name in memo:
        return memo[name]
    epoch, version = _versions(user)
    key = f"kpo:reader-cached:{epoch}:{user.pk}:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, READER_CACHE_SECONDS)
    memo[name] = value
    return value


def forget_reader(user: object) -> None:
    """Drop the facts memoised on a user object (the cached copy is versioned, see above)."""
    for attr in (_ATTR, _UNREAD_ATTR, _VERSIONS_ATTR, _CACHED_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def reader_in_group(user: Any, group_name: str) -> bool:
    """Group membership itself (``kpo.core.roles.in_group``), from the reader's facts."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return group_name in reader_facts(user).groups


def reader_has_admin_access(user: Any) -> bool:
    """May open the Wagtail admin (the header's "Beheer" link): Django's rule for
    ``wagtailadmin.access_admin`` (active; superuser or holding the permission)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or reader_facts(user).admin_permission)


def reader_unread_count(user: Any, *, compute: Callable[[], int], content_version: int) -> int:
    """The unread-notification badge: ``compute()`` cached under the user's version and the
    content version (ADR 0013; a community's visibility decides which notifications count)."""
    cached = getattr(user, _UNREAD_ATTR, None)
    if cached is not None:
        return int(cached)
    epoch, version = _versions(user)
    key = f"kpo:reader-unread:{epoch}:{user.pk}:{version}:{content_version}"
    count = cache.get(key)
    if not isinstance(count, int):
        count = int(compute())
        cache.set(key, count, READER_CACHE_SECONDS)
    setattr(user, _UNREAD_ATTR, count)
    return count


# --- what bumps the versions -------------------------------------------------------------------


class ReaderRowsQuerySet(models.QuerySet):
    """The queryset of a model whose rows feed one user's facts (a role-granting model the
    pillars declare in ``role_models``, the notifications). ``update()``, ``bulk_create()`` and
    ``bulk_update()`` send no signals, so they bump the users whose rows they touch themselves;
    ``connect()`` refuses a role model whose default manager does not use this queryset."""

    reader_user_field = "user_id"

    def update(self, **kwargs: Any) -> int:
        users = set(self.values_list(self.reader_user_field, flat=True).distinct())
        changed = super().update(**kwargs)
        reader_changed(user_ids=users)
        return changed

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        created = super().bulk_create(objs, *args, **kwargs)
        reader_changed(user_ids={getattr(obj, self.reader_user_field) for obj in created})
        return created

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        reader_changed(user_ids={getattr(obj, self.reader_user_field) for obj in objs})
        return changed


_USER_FIELD: dict[Any, str] = {}


def _user_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row that belongs to one user and feeds their facts (a membership, a notification)."""
    reader_changed(user_ids=[getattr(instance, _USER_FIELD[sender], None)])


def _m2m_of_user_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """``user.groups`` / ``user.user_permissions`` (or a declared ``reader_m2m`` such as a
    theme's ambassadors) changed, from either side."""
    if not action.startswith("post_"):
        return
    from django.contrib.auth import get_user_model

    if isinstance(instance, get_user_model()):
        forget_reader(instance)
        reader_changed(user_ids=[instance.pk])
    elif pk_set:
        reader_changed(user_ids=pk_set)
    else:  # group.user_set.clear(): the users are gone from the table already
        readers_all_changed()


def _everybody_changed(sender: Any, **kwargs: Any) -> None:
    action = kwargs.get("action")
    if action is None or action.startswith("post_"):
        readers_all_changed()


def connect() -> None:
    """Connect the bumps (``CoreConfig.ready()``). The role-granting models are those the pillars
    declare (``role_models``, as for the second factor, ``kpo.security.signal_handlers``); each
    has a ``user`` foreign key. ``reader_models`` are other rows with a ``user`` foreign key that a
    pillar's ``reader_cached`` facts read (a suspension); ``reader_m2m`` (``"app.Model.field"``)
    are many-to-many fields to the user that they read (a theme's ambassadors). ``kpo`` never
    imports a pillar."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user_model = get_user_model()
    rows: list[tuple[Any, str]] = [(apps.get_model("notifications.Notification"), "recipient_id")]
    user_m2m = [user_model.groups.through, user_model.user_permissions.through]
    for config in apps.get_app_configs():
        for declared in ("role_models", "reader_models"):
            rows.extend(
                (apps.get_model(label), "user_id") for label in getattr(config, declared, ())
            )
        for dotted in getattr(config, "reader_m2m", ()):
            label, field = dotted.rsplit(".", 1)
            user_m2m.append(getattr(apps.get_model(label), field).through)
    for model, field in rows:
        queryset = model._default_manager.all()
        if not isinstance(queryset, ReaderRowsQuerySet) or queryset.reader_user_field != field:
            raise ImproperlyConfigured(
                f"{model._meta.label} feeds the reader's facts: its default manager must use "
                f"kpo.core.reader.ReaderRowsQuerySet (reader_user_field = {field!r}), or a "
                "QuerySet.update() of its rows would leave stale principals in the cache."
            )
        _USER_FIELD[model] = field
        for signal in (post_save, post_delete):
            signal.connect(
                _user_row_changed, sender=model, dispatch_uid=f"kpo-reader-{model._meta.label}"
            )
    for through in user_m2m:
        m2m_changed.connect(
            _m2m_of_user_changed, sender=through, dispatch_uid=f"kpo-reader-{through}"
        )
    m2m_changed.connect(
        _everybody_changed, sender=Group.permissions.through, dispatch_uid="kpo-reader-group-perms"
    )
    for model in (Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(
                _everybody_changed, sender=model, dispatch_uid=f"kpo-reader-{model.__name__}"
            )
