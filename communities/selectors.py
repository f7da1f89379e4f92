"""Reads of communities, through the access rule."""

from __future__ import annotations

from django.db.models import QuerySet

from communities.models import Community
from kpo.core.access import filter_visible


def community_list_for_user(*, user) -> QuerySet[Community]:
    return filter_visible(Community.objects.all(), user).order_by("name")


def community_get_for_user(*, user, slug: str) -> Community | None:
    return community_list_for_user(user=user).filter(slug=slug).first()


def theme_section(*, theme, user) -> dict:
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
