"""Reads of people: the "Wie weet wat" directory, through the access rule (``Profile``'s
principals: active colleagues, for logged-in professionals only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from kpo.accounts.models import Profile
from kpo.core.access import filter_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


def person_list_for_user(
    *,
    user: User | AnonymousUser,
    theme: str | None = None,
    organisation: str | None = None,
    region: str | None = None,
    q: str | None = None,
) -> QuerySet[Profile]:
    """Profiles of active professionals, filtered. Empty for anyone without ``platform``."""
    qs = (
        filter_visible(Profile.objects.all(), user)
        .select_related("user", "organisation", "region")
        .prefetch_related("expertise_themes")
    )
    if theme:
        qs = qs.filter(expertise_themes__slug=theme)
    if organisation:
        qs = qs.filter(organisation__slug=organisation)
    if region:
        qs = qs.filter(region__slug=region)
    if q:
        qs = qs.filter(
            Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
            | Q(function__icontains=q)
            | Q(expertise_themes__title__icontains=q)
        )
    return qs.distinct().order_by("user__last_name", "user__first_name")


def person_get_for_user(*, user: User | AnonymousUser, user_id: int) -> Profile | None:
    return person_list_for_user(user=user).filter(user_id=user_id).first()
