"""Signal handlers that only enqueue (STYLE: signals only enqueue).

Live Wagtail pages of any searchable page type are indexed on publish and leave the index on
unpublish or delete. This is the one wiring of pages to the index (kennisbank and academie do not
wire their own): one outbox row per publish, one delete row per unpublish. A live page that is
deleted is unpublished first by Wagtail (its ``pre_delete`` handler sends ``page_unpublished``),
so deletion needs no handler of its own; a page that is not live is not in the index.

Profiles (people search) follow their own saves, their expertise themes and
their user's saves (name, active flag).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from search.registry import model_for_label
from search.services import index_delete, index_enqueue


def _registered(instance) -> bool:
    return model_for_label(instance._meta.label_lower) is not None


def on_page_published(sender, instance, **kwargs) -> None:
    page = instance.specific if hasattr(instance, "specific") else instance
    if _registered(page):
        index_enqueue(page)


def on_page_gone(sender, instance, **kwargs) -> None:
    page = instance.specific_deferred if hasattr(instance, "specific_deferred") else instance
    if _registered(page):
        index_delete(page)


def on_core_content_changed(sender, instance, **kwargs) -> None:
    """The core changed a row without ``post_save`` (``kpo.core.signals.content_changed``)."""
    if _registered(instance):
        index_enqueue(instance)


def on_profile_saved(sender, instance, **kwargs) -> None:
    index_enqueue(instance)


def on_profile_deleted(sender, instance, **kwargs) -> None:
    index_delete(instance)


def on_expertise_changed(sender, instance, action, **kwargs) -> None:
    from kpo.accounts.models import Profile

    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Profile):
        index_enqueue(instance)


IGNORED_USER_FIELDS = frozenset({"last_login", "password"})


def on_user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= IGNORED_USER_FIELDS:
        return  # a login or password change does not change the person's search document
    profile = getattr(instance, "profile", None) if not created else None
    if profile is not None:
        index_enqueue(profile)


def _schedule_analysis_refresh() -> None:
    from search.tasks import refresh_analysis_task

    try:
        refresh_analysis_task.delay()
    except Exception:  # noqa: BLE001 - broker down: `search_reindex --if-stale` repairs it
        import logging

        logging.getLogger(__name__).warning("Could not enqueue the search analysis refresh.")


def on_analysis_data_changed(sender, instance=None, **kwargs) -> None:
    """Themes, glossary terms, synonym sets and organisations feed the synonym filter: after the
    write commits, the index is rebuilt if its analyzers are no longer current (idempotent)."""
    transaction.on_commit(_schedule_analysis_refresh)


def on_glossary_saved(sender, instance, **kwargs) -> None:
    index_enqueue(instance)
    on_analysis_data_changed(sender, instance)


def on_glossary_deleted(sender, instance, **kwargs) -> None:
    index_delete(instance)
    on_analysis_data_changed(sender, instance)


def on_glossary_themes_changed(sender, instance, action, **kwargs) -> None:
    from kpo.themes.models import GlossaryTerm

    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, GlossaryTerm):
        index_enqueue(instance)


def connect() -> None:
    from django.contrib.auth import get_user_model

    from kpo.accounts.models import Profile
    from kpo.core.signals import content_changed

    content_changed.connect(on_core_content_changed, dispatch_uid="search-core-content")
    page_published.connect(on_page_published, dispatch_uid="search-page-published")
    page_unpublished.connect(on_page_gone, dispatch_uid="search-page-unpublished")
    post_save.connect(on_profile_saved, sender=Profile, dispatch_uid="search-profile-saved")
    post_delete.connect(on_profile_deleted, sender=Profile, dispatch_uid="search-profile-del")
    m2m_changed.connect(
        on_expertise_changed,
        sender=Profile.expertise_themes.through,
        dispatch_uid="search-profile-expertise",
    )
    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="search-user-saved")

    from kpo.accounts.models import Organisation
    from kpo.themes.models import GlossaryTerm, Theme
    from search.models import SynonymSet

    for model in (Theme, SynonymSet, Organisation):
        label = model._meta.label_lower
        post_save.connect(on_analysis_data_changed, sender=model, dispatch_uid=f"search-an-{label}")
        post_delete.connect(
            on_analysis_data_changed, sender=model, dispatch_uid=f"search-an-del-{label}"
        )
    post_save.connect(on_glossary_saved, sender=GlossaryTerm, dispatch_uid="search-glossary")
    post_delete.connect(on_glossary_deleted, sender=GlossaryTerm, dispatch_uid="search-gloss-del")
    m2m_changed.connect(
        on_glossary_themes_changed,
        sender=GlossaryTerm.themes.through,
        dispatch_uid="search-glossary-themes",
    )
