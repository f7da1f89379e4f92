"""Editor-managed synonyms end to end: an editor saves a synonym set in the Wagtail admin, the
index behind the alias is rebuilt (no downtime, no manual reindex) and a query finds the new
variant; the admin preview shows what a query expands to."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from search.engine import content_alias
from search.indexer import analysis_is_current, drain_outbox, refresh_analysis
from search.models import SynonymSet
from search.selectors import search_for_user, synonym_preview
from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, editor):
    """Logged in for the Wagtail admin, with a verified second factor (the admin asks one)."""
    from tests.security.helpers import admin_login

    admin_login(client, editor)
    return client


@pytest.fixture
def live_index(fresh_prefix, engine, db):
    """A live alias with the corpus content the database holds."""
    from search.indexer import reindex

    reindex()
    return content_alias()


def test_admin_edit_applies_without_manual_reindex(
    admin_client, editor, live_index, engine, eager_celery, django_capture_on_commit_callbacks
):
    client = admin_client
    before = engine.get_alias(live_index)
    assert search_for_user(user=editor, q="pooierboy").count == 0

    add_url = reverse("wagtailsnippets_search_synonymset:add")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url,
            {
                "name": "Loverboys",
                "kind": "expansion",
                "terms": json.dumps(["pooierboy"]),
                "expansions": json.dumps(["sekswerk"]),
                "active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SynonymSet.objects.filter(name="Loverboys").exists()

    after = engine.get_alias(live_index)
    assert after != before  # rebuilt behind the alias
    assert analysis_is_current()
    page = search_for_user(user=editor, q="pooierboy")
    assert page.count > 0
    assert any("sekswerk" in (r.title + r.snippet).lower() for r in page.results)
    assert synonym_preview(q="pooierboy signalen") == [["pooierboy", "sekswerk"], ["signalen"]]
    # one way: "sekswerk" does not expand to "pooierboy"
    assert synonym_preview(q="sekswerk") == [["sekswerk"]]

    # editing the set: the old variant goes, the new one works
    synonym = SynonymSet.objects.get(name="Loverboys")
    edit_url = reverse("wagtailsnippets_search_synonymset:edit", args=[synonym.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url,
            {
                "name": "Loverboys",
                "kind": "expansion",
                "terms": json.dumps(["pooierjongen"]),
                "expansions": json.dumps(["sekswerk"]),
                "active": "on",
            },
        )
    assert response.status_code == 302
    assert synonym_preview(q="pooierjongen") == [["pooierjongen", "sekswerk"]]
    assert synonym_preview(q="pooierboy") == [["pooierboy"]]


def test_preview_page_in_admin(admin_client, live_index):
    response = admin_client.get(reverse("search_synonym_preview"), {"q": "platteland"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "buitengebied" in html  # the theme title is an equivalent of its synonym


def test_refresh_is_a_noop_when_current(live_index, engine):
    indices = engine.get_alias(live_index)
    assert refresh_analysis()["skipped"] is True
    assert engine.get_alias(live_index) == indices
    drain_outbox()
