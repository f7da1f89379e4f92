"""Editors' picks under the access rule, trust-aware ranking, typo-tolerant autocomplete in the
header of every page, and result details (labels, Dutch dates, theme snippets, own dates)."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.utils.formats import date_format
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from kennisbank.models import KnowledgeDocumentPage
from search.engine import BulkAction
from search.indexer import build_document, finish_document
from search.query import SearchParams
from search.schema import index_body
from search.selectors import (
    date_display,
    facets_from,
    picks_for_user,
    search_raw,
    search_result_from_hit,
    suggest_raw,
)


@pytest.fixture
def scratch(engine, db):
    name = f"{settings.SEARCH_INDEX_PREFIX}-rank-{uuid.uuid4().hex[:8]}"
    engine.create_index(name, index_body(synonyms=[]))
    yield name
    engine.delete_index(name)


def put(engine, index, docs: dict[str, dict]) -> None:
    actions = [
        BulkAction(
            "index",
            key,
            1,
            finish_document(
                {"url": f"/{key}/", "principals": ["public"], **doc},
                doc_id=key,
                search_type=doc.get("type", "document"),
            ),
        )
        for key, doc in docs.items()
    ]
    engine.bulk(index, actions, refresh=True)


def ids(index, q) -> list[str]:
    response = search_raw(principals=frozenset({"public"}), params=SearchParams(q=q), index=index)
    return [hit["_id"] for hit in response["hits"]["hits"]]


# --- ranking ---------------------------------------------------------------------------------
def test_current_document_outranks_an_equal_outdated_one(engine, scratch):
    same = {"title": "Handreiking sluiting drugspanden", "summary": "Sluiten na een inval."}
    put(
        engine,
        scratch,
        {
            "oud": {**same, "review_status": "verouderd", "date": "2025-01-01"},
            "actueel": {**same, "review_status": "actueel", "date": "2025-01-01"},
        },
    )
    assert ids(scratch, "sluiting drugspanden") == ["actueel", "oud"]


def test_accepted_answer_outranks_unanswered_thread(engine, scratch):
    same = {
        "type": "thread",
        "title": "Wie heeft ervaring met een huurdersregistratie?",
        "date": "2026-11-20",
    }
    put(
        engine,
        scratch,
        {
            "open": {**same, "accepted_answer": False},
            "beantwoord": {**same, "accepted_answer": True},
        },
    )
    assert ids(scratch, "huurdersregistratie")[0] == "beantwoord"


# --- autocomplete ------------------------------------------------------------------------------
def test_autocomplete_tolerates_one_typo(engine, scratch):
    put(
        engine,
        scratch,
        {
            "hb": {"title": "Handboek Bibob (vernieuwde editie)"},
            "anders": {"title": "Toolbox buitengebied"},
        },
    )
    for q in ("bibop", "handbok bib", "hanboek", "Handboek Bi"):
        hits = [h["_id"] for h in suggest_raw(principals=frozenset({"public"}), q=q, index=scratch)]
        assert hits[:1] == ["hb"], (q, hits)
    assert suggest_raw(principals=frozenset({"platform"}), q="bibop", index=scratch) == []


def test_header_combobox_on_every_page(client, db):
    for url in ("/", "/begrippen/", "/zoeken/"):
        html = client.get(url, follow=True).content.decode()
        assert 'role="combobox"' in html, url
        assert 'aria-controls="kpo-header-zoek-opties"' in html
        assert 'role="listbox"' in html
        assert "search/autocomplete.js" in html
        assert "<script>" not in html  # no inline script (CSP)


def test_autocomplete_endpoint_returns_options(client, db, fresh_prefix, engine):
    from search.indexer import reindex

    reindex()
    html = client.get("/zoeken/autocomplete/", {"q": "ondermijnnig"}).content.decode()
    assert 'role="option"' in html  # public theme pages, one typo
    assert client.get("/zoeken/autocomplete/", {"q": "x" * 500}).status_code == 200


# --- editors' picks ------------------------------------------------------------------------------
def test_picks_follow_the_access_rule(db, professional):
    from django.contrib.auth.models import AnonymousUser

    public_doc = KnowledgeDocumentPage.objects.get(slug="strategisch-beeld-vastgoed")
    closed_doc = KnowledgeDocumentPage.objects.get(
        slug="fenomeenonderzoek-underground-banking-rotterdam"
    )
    query = Query.get("vastgoed")
    SearchPromotion.objects.create(query=query, page=closed_doc, sort_order=0, description="x")
    SearchPromotion.objects.create(query=query, page=public_doc, sort_order=1, description="Lees")
    picks = picks_for_user(user=professional, q="Vastgoed ")
    assert [p["title"] for p in picks] == [public_doc.title]
    assert picks_for_user(user=AnonymousUser(), q="vastgoed") == []
    assert picks_for_user(user=professional, q="iets anders") == []


def test_picks_shown_on_the_search_page(db, professional_client, fresh_prefix):
    doc = KnowledgeDocumentPage.objects.get(slug="handboek-bibob")
    SearchPromotion.objects.create(query=Query.get("bibob"), page=doc, sort_order=0)
    html = professional_client.get("/zoeken/", {"q": "bibob"}).content.decode()
    assert "Aanbevolen door de redactie" in html and doc.title in html


# --- result details ------------------------------------------------------------------------------
def test_dates_in_dutch_and_documents_dated_by_their_own_year(db):
    assert date_display({"type": "event", "date": "2025-03-03T10:00:00"}) == "3 maart 2025"
    page = KnowledgeDocumentPage.objects.get(slug="strategisch-beeld-vastgoed")
    doc = build_document(page)
    assert doc["date"].startswith(str(page.year))
    assert page.first_published_at.year != page.year or doc["date"][:10] == str(
        page.first_published_at.date()
    )
    if page.first_published_at.year == page.year:
        # published within its own year: the publication date, in Dutch
        assert date_display(doc) == date_format(page.first_published_at.date(), "j F Y")
    else:
        # dated by its year only: the year, never the import date
        assert date_display(doc) == str(page.year)


def test_facet_labels_are_names(db):
    facets = facets_from(
        {
            "doc_type": {"buckets": [{"key": "strategisch-beeld", "doc_count": 1}]},
            "theme": {"buckets": [{"key": "wet-bibob", "doc_count": 2}]},
        }
    )
    assert facets["doc_type"][0]["label"] != "strategisch-beeld"
    assert facets["theme"][0]["label"] == "Wet Bibob"


def test_theme_hit_shows_intro_not_synonyms(db):
    hit = {
        "_id": "kpo.themes.themepage:1",
        "_source": {"type": "theme", "title": "Buitengebied", "summary": "Afgelegen erven."},
        "highlight": {"body": ["<mark>platteland</mark>, landelijk gebied, VAB"]},
    }
    assert search_result_from_hit(hit).snippet == "Afgelegen erven."
