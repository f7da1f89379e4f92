"""Writes of accounts: profiles."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kpo.accounts.models import Profile, User


@transaction.atomic
def profile_get_or_create(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any]) -> Profile:
    """Update the editable profile fields. ``data`` is cleaned form or serializer data.

    The person's search document follows by itself: the search app listens to saves of the
    profile, its expertise themes and its user (``search.signal_handlers``)."""
    profile = profile_get_or_create(user=user)
    for name in ("organisation", "region", "function", "bio"):
        if name in data:
            setattr(profile, name, data[name])
    profile.full_clean()
    profile.save()
    if "expertise_themes" in data:
        profile.expertise_themes.set(data["expertise_themes"])
    if "first_name" in data or "last_name" in data:
        user.first_name = data.get("first_name", user.first_name)
        user.last_name = data.get("last_name", user.last_name)
        user.full_clean(exclude=["password"])
        user.save(update_fields=["first_name", "last_name"])
    return profile
