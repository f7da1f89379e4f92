"""Reads of themes and theme pages, through the access rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from kpo.core.access import filter_visible
from kpo.themes.models import Theme, ThemePage

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


def theme_page_list_for_user(*, user: User | AnonymousUser) -> QuerySet[ThemePage]:
    return filter_visible(ThemePage.objects.live().select_related("theme"), user).order_by("title")


def theme_sections_for_user(*, theme: Theme, user: User | AnonymousUser) -> list[dict[str, Any]]:
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


def glossary_for_user(
    *, user: User | AnonymousUser, q: str | None = None, theme: str | None = None
) -> dict[str, Any]:
    """The glossary (begrippenlijst) the user may read, grouped by first letter, optionally
    narrowed to a search text (term, acronyms, variants, definition) and a theme slug."""
    from django.db.models import Q

    from kpo.themes.models import GlossaryTerm

    terms = filter_visible(GlossaryTerm.objects.prefetch_related("themes"), user)
    q = (q or "").strip()[:100]
    if q:
        terms = terms.filter(
            Q(term__icontains=q)
            | Q(definition__icontains=q)
            | Q(acronyms__icontains=q)
            | Q(variants__icontains=q)
        )
    selected = Theme.objects.filter(slug=theme).first() if theme else None
    if selected is not None:
        terms = terms.filter(themes=selected)
    groups: dict[str, list[Any]] = {}
    for term in terms.order_by("term"):
        groups.setdefault(term.letter, []).append(term)
    return {"groups": sorted(groups.items()), "query": q, "theme": selected}


def theme_page_responsible(*, page: ThemePage) -> list[Any]:
    """Who answers for a theme page: its owner while that account is active; when the owner
    left, the theme's ambassadors (ADR 0017)."""
    owner = page.owner
    if owner is not None and owner.is_active:
        return [owner]
    return list(page.theme.ambassadors.filter(is_active=True).order_by("pk"))


def theme_pages_due(*, today: Any) -> list[dict[str, Any]]:
    """Live theme pages whose review date has come (or that have none), with the days past due
    and who answers for them; most overdue first, undated last."""
    rows = []
    for page in ThemePage.objects.live().select_related("theme", "owner"):
        if page.next_review_due is not None and page.next_review_due > today:
            continue
        days = (today - page.next_review_due).days if page.next_review_due else None
        rows.append(
            {"page": page, "days_past_due": days, "responsible": theme_page_responsible(page=page)}
        )
    rows.sort(
        key=lambda r: (r["days_past_due"] is None, -(r["days_past_due"] or 0), r["page"].title)
    )
    return rows
