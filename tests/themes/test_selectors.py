"""Reads of themes (``kpo.themes.selectors``): theme pages and the glossary through the access
rule, and the per-pillar theme sections that each apply it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.models import Community
from kpo.themes.models import Theme, ThemePage
from kpo.themes.selectors import (
    glossary_for_user,
    theme_page_list_for_user,
    theme_sections_for_user,
)
from tests.factories import CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_platform_theme_pages_are_hidden_from_anonymous_visitors(corpus):
    page = ThemePage.objects.live().first()
    ThemePage.objects.filter(pk=page.pk).update(visibility="platform")
    assert page.pk not in {p.pk for p in theme_page_list_for_user(user=AnonymousUser())}
    assert page.pk in {p.pk for p in theme_page_list_for_user(user=UserFactory())}


def test_theme_sections_apply_each_pillars_access_rule(corpus):
    theme = Theme.objects.get(slug="vastgoed")
    open_c = CommunityFactory(visibility=Community.Visibility.OPEN, name="Open vastgoedgroep")
    secret = CommunityFactory(visibility=Community.Visibility.SECRET, name="Geheime vastgoedgroep")
    for c in (open_c, secret):
        c.themes.add(theme)
    sections = {s["key"]: s for s in theme_sections_for_user(theme=theme, user=UserFactory())}
    titles = [item["title"] for item in sections["communities"]["items"]]
    assert "Geheime vastgoedgroep" not in titles


def test_glossary_search_narrows_and_groups_by_letter(corpus):
    everything = glossary_for_user(user=AnonymousUser())
    assert everything["groups"], "the corpus has glossary terms"
    letter, terms = everything["groups"][0]
    term = terms[0]
    found = glossary_for_user(user=AnonymousUser(), q=term.term)
    assert term in [t for _, group in found["groups"] for t in group]
    assert glossary_for_user(user=AnonymousUser(), q="zzzz-bestaat-niet")["groups"] == []
