"""Reads of themes and theme pages, through the access rule."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from kpo.core.access import filter_visible
from kpo.themes.models import Theme, ThemePage


def theme_page_list_for_user(*, user) -> QuerySet[ThemePage]:
    return filter_visible(ThemePage.objects.live().select_related("theme"), user).order_by("title")


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("title")


def theme_sections_for_user(*, theme: Theme, user) -> list[dict[str, Any]]:
    """The theme's content from each pillar, already filtered by the access rule.

    A pillar contributes by naming ``theme_section`` (dotted path to
    ``f(*, theme, user) -> {"key", "title", "items": [{"title", "url", "summary"}], "more_url"}``)
    in its AppConfig. Empty lists are fine.
    """
    sections = []
    for config in apps.get_app_configs():
        path = getattr(config, "theme_section", None)
        if not path:
            continue
        try:
            section_fn = import_string(path)
        except ImportError:
            continue
        section = section_fn(theme=theme, user=user)
        if section is not None:
            sections.append(section)
    return sections
