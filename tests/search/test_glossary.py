"""The glossary (begrippenlijst) as content: loaded from the corpus section as demo data, shown
A–Z and searchable on /begrippen/, linked from theme pages, in the search index, and feeding the
synonym sets. Nothing in the search code reads the corpus file."""

from __future__ import annotations

from pathlib import Path

from kpo.themes.models import GlossaryTerm, Theme, ThemePage
from search.indexer import build_document
from search.schema import acronym_expansions, synonym_rules

ROOT = Path(__file__).resolve().parents[2]


def test_corpus_glossary_is_loaded_as_terms(db):
    riec = GlossaryTerm.objects.get(slug="riec")
    assert riec.term == "Regionaal Informatie- en Expertisecentrum"
    assert riec.acronyms == ["RIEC"]
    lft = GlossaryTerm.objects.get(slug="lft")
    assert lft.variants == ["fenomeentafel"]
    assert GlossaryTerm.objects.count() >= 40


def test_search_code_never_reads_the_corpus():
    for path in (ROOT / "search").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "read_corpus" not in text and "kpo-corpus" not in text, path


def test_glossary_page_lists_terms_a_to_z_and_filters(client, db):
    response = client.get("/begrippen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="letter-R"' in html and 'href="#letter-R"' in html
    assert "Regionaal Informatie- en Expertisecentrum" in html and "(RIEC)" in html

    filtered = client.get("/begrippen/", {"q": "fenomeentafel"}).content.decode()
    assert "Landelijke Fenomeentafel" in filtered
    assert "Regionaal Informatie- en Expertisecentrum" not in filtered
    assert "Geen begrippen gevonden" in client.get("/begrippen/", {"q": "zzzqqq"}).content.decode()


def test_glossary_theme_filter_and_link_from_theme_page(client, db):
    theme = Theme.objects.get(slug="wet-bibob")
    term = GlossaryTerm.objects.get(slug="bibob")
    term.themes.add(theme)
    page = ThemePage.objects.get(theme=theme)
    html = client.get(page.url).content.decode()
    assert "/begrippen/?thema=wet-bibob" in html
    listed = client.get("/begrippen/", {"thema": "wet-bibob"}).content.decode()
    assert term.term in listed
    assert "Regionaal Informatie- en Expertisecentrum" not in listed


def test_glossary_terms_are_searchable_and_feed_synonyms(db):
    term = GlossaryTerm.objects.get(slug="lft")
    doc = build_document(term)
    assert doc["type"] == "term" and doc["principals"] == ["public"]
    assert "LFT" in doc["title"] and doc["url"] == "/begrippen/#lft"
    rules = synonym_rules()
    assert "landelijke fenomeentafel, lft, fenomeentafel" in rules

    GlossaryTerm.objects.create(
        slug="pooierboy", term="Loverboy", variants=["pooierboy"], definition="Mensenhandelaar."
    )
    assert "loverboy, pooierboy" in synonym_rules()


def test_stop_word_acronym_comes_from_data(db):
    GlossaryTerm.objects.create(
        slug="om-test",
        term="Openbaar Ministerie",
        acronyms=["OM"],
        definition="Vervolgt strafbare feiten.",
    )
    assert acronym_expansions()["OM"] == "Openbaar Ministerie"
