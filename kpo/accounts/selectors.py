"""Reads of people: the "Wie weet wat" directory, through the access rule (``Profile``'s
principals: active colleagues, for logged-in professionals only), their expertise with evidence
from the pillars, and the conversations between colleagues."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string

from kpo.accounts.models import Conversation, ConversationMessage, Profile
from kpo.core.access import PLATFORM, filter_visible, user_principals

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


def person_photo_name(*, user: User | AnonymousUser, user_id: int, size: str) -> str | None:
    """The stored file of a colleague's photo in ``size`` (a WebP size, or ``"jpg"``), when the
    reader may see that person; else None."""
    found = filter_visible(Profile.objects.filter(user_id=user_id), user).first()
    if found is None:
        return None
    if size == "jpg":
        return found.photo.name or None
    name = (found.photo_variants or {}).get(size)
    return str(name) if name else None


# --- expertise with evidence (docs/decisions/0031) -----------------------------------------------


def person_expertise_evidence(
    *, user: User | AnonymousUser, person: Profile
) -> list[dict[str, Any]]:
    """Per expertise theme of ``person``, what shows it: what each pillar contributes through
    ``expertise_evidence`` on its AppConfig (a dotted path to
    ``f(*, person, themes, user) -> {"key", "title", "items": {theme_id: [{"title", "url",
    "date"}]}}``), each already filtered by the access rule for the reader ``user``: an item the
    reader may not read is neither shown nor counted. A fixed number of queries per pillar,
    whatever the number of themes or items.

    Returns ``[{"theme", "sections": [{"key", "title", "count", "items"}]}]`` in theme order;
    ``items`` holds at most ``limit`` entries, ``count`` all of them."""
    themes = sorted(person.expertise_themes.all(), key=lambda t: t.title)
    if not themes or PLATFORM not in user_principals(user):
        return []
    contributions = []
    for config in apps.get_app_configs():
        path = getattr(config, "expertise_evidence", None)
        if path:
            contributions.append(import_string(path)(person=person.user, themes=themes, user=user))
    limit = 5
    result = []
    for theme in themes:
        sections = []
        for contribution in contributions:
            items = contribution["items"].get(theme.pk, [])
            if items:
                sections.append(
                    {
                        "key": contribution["key"],
                        "title": contribution["title"],
                        "count": len(items),
                        "items": items[:limit],
                    }
                )
        result.append({"theme": theme, "sections": sections})
    return result


# --- conversations between colleagues (docs/decisions/0031) --------------------------------------


def conversation_list_for_user(*, user: User | AnonymousUser) -> QuerySet[Conversation]:
    """The user's own conversations (as the one who started or as the colleague asked), for
    active professionals only."""
    if PLATFORM not in user_principals(user):
        return Conversation.objects.none()
    return Conversation.objects.filter(Q(sender_id=user.pk) | Q(expert_id=user.pk)).select_related(
        "sender", "expert"
    )


def conversation_get_for_user(
    *, user: User | AnonymousUser, conversation_id: int
) -> Conversation | None:
    return conversation_list_for_user(user=user).filter(pk=conversation_id).first()


def conversation_messages(*, conversation: Conversation) -> QuerySet[ConversationMessage]:
    return conversation.messages.select_related("author").order_by("created_at", "pk")
