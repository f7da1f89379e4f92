"""The access rule: who may read what. One rule, used everywhere (ARCHITECTURE §4).

Every readable item carries a small set of *read principals*; every user holds a set of
principals; an item is visible when the two sets meet.

    public            everybody, also anonymous (only items explicitly marked public)
    platform          every active, authenticated professional
    community:<id>    active members of that community
    staff:<role>      holders of a staff role (editors, board, ambassadors, academy, lawyers …)

The contract for a readable model (``AccessControlled``):

* ``item.read_principals() -> frozenset[str]`` — the item's principals, computed from its own
  fields (and its community's visibility), never from user ids; and
* ``Model.principals_q(principals) -> Q`` — the same rule as a database filter, so that
  ``Model.objects.filter(Model.principals_q(p))`` holds exactly the items whose principals meet
  ``p``. Tests check the two agree.

ORM selectors, views, the API, feeds, notifications, digests and search all call the functions in
this module: ``can_read``/``principals_meet`` as a set, ``filter_visible`` (the model's
``principals_q``) as a database filter, and search filters on the same principals in the engine
(``search.query``) and re-checks every hit against the database with ``filter_visible``. There
is no second implementation: nothing else intersects principal sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from django.db.models import Model, Q, QuerySet

from kpo.core import reader, roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User

PUBLIC = "public"
PLATFORM = "platform"
COMMUNITY_PREFIX = "community:"
STAFF_PREFIX = "staff:"

# Wagtail/Django groups that carry a staff role: named once, in kpo.core.roles.
STAFF_GROUPS = roles.STAFF_GROUPS
STAFF_ROLES = roles.STAFF_ROLES

_CACHE_ATTR = "_kpo_principals"


def community_principal(community_id: int) -> str:
    return f"{COMMUNITY_PREFIX}{community_id}"


def staff_principal(role: str) -> str:
    if role not in STAFF_ROLES:
        raise ValueError(f"Unknown staff role: {role!r}")
    return f"{STAFF_PREFIX}{role}"


def community_ids_in(principals: frozenset[str]) -> set[int]:
    """The community ids named by a set of principals."""
    return {
        int(p.removeprefix(COMMUNITY_PREFIX)) for p in principals if p.startswith(COMMUNITY_PREFIX)
    }


@runtime_checkable
class AccessControlled(Protocol):
    def read_principals(self) -> frozenset[str]: ...

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> Q: ...


def user_principals(user: User | AnonymousUser | None) -> frozenset[str]:
    """The principals a user holds. Anonymous and inactive users hold only ``public``.

    The result is cached on the user object for the life of the request; call
    ``forget_principals(user)`` after changing the user's memberships or groups in-process.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset({PUBLIC})
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached

    # The granted principals and the groups, read once per request and cached per user under
    # a version bumped on every change that affects them (kpo.core.reader, ADR 0033).
    facts = reader.reader_facts(user)
    principals = {PUBLIC, PLATFORM, *facts.granted}
    if user.is_superuser:
        principals.update(staff_principal(role) for role in STAFF_ROLES)
    else:
        for name in facts.staff_groups:
            principals.add(staff_principal(STAFF_GROUPS[name]))

    result = frozenset(principals)
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_principals(user: object) -> None:
    """Drop the cached principals of a user object (after a membership or group change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    reader.forget_reader(user)


def item_principals(item: AccessControlled) -> frozenset[str]:
    """The principals that may read an item."""
    principals = item.read_principals()
    if not isinstance(principals, frozenset):
        principals = frozenset(principals)
    return principals


def principals_meet(user: User | AnonymousUser | None, principals: frozenset[str]) -> bool:
    """True when the user holds one of ``principals``: the rule itself, for a set that is not an
    item's own (a community's *content* principals, ``Community.content_principals()``)."""
    return not user_principals(user).isdisjoint(principals)


def can_read(user: User | AnonymousUser | None, item: AccessControlled) -> bool:
    """True when the user's principals meet the item's."""
    return principals_meet(user, item_principals(item))


def has_staff_role(user: User | AnonymousUser | None, role: str) -> bool:
    return staff_principal(role) in user_principals(user)


M = TypeVar("M", bound=Model)


def filter_visible(queryset: QuerySet[M], user: User | AnonymousUser | None) -> QuerySet[M]:
    """Narrow a queryset to the items the user may read. Use this in every selector."""
    model = queryset.model
    if not isinstance(model, type) or not hasattr(model, "principals_q"):
        raise TypeError(f"{model!r} does not implement the access rule (principals_q).")
    return queryset.filter(model.principals_q(user_principals(user)))  # type: ignore[attr-defined]
