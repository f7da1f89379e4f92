"""Entities and block HTML: indexed text holds characters, not entities, and a heading never
glues onto the next sentence."""

from __future__ import annotations

import uuid

from django.conf import settings
from wagtail.rich_text import RichText

from kennisbank.models import KnowledgeDocumentPage
from kpo.core.text import html_to_text
from search.engine import BulkAction
from search.indexer import finish_document
from search.query import SearchParams
from search.schema import index_body
from search.selectors import search_raw, search_result_from_hit


def test_html_to_text_separates_blocks_and_decodes_entities():
    text = html_to_text("<p>in de sector.</p><h2>Verschijningsvormen</h2><p>Het RIEC&#x27;s</p>")
    assert "sector.Verschijningsvormen" not in text
    assert text == "in de sector.\nVerschijningsvormen\nHet RIEC's"


def test_finish_document_unescapes_entities():
    doc = finish_document(
        {"title": "De boa&#x27;s", "body": "RIEC&amp;LIEC", "url": "/", "principals": ["public"]},
        doc_id="x",
        search_type="document",
    )
    assert doc["title"] == "De boa's"
    assert doc["body"] == "RIEC&LIEC"


def test_knowledge_document_body_keeps_heading_apart(db):
    page = KnowledgeDocumentPage.objects.get(slug="strategisch-beeld-vastgoed")
    page.body = [
        (
            "text",
            RichText("<p>de financiële sector.</p><h2>Verschijningsvormen</h2><p>Het eerste</p>"),
        )
    ]
    text = page.body_text()
    assert "sector.Verschijningsvormen" not in text
    assert "sector.\nVerschijningsvormen" in text


def test_snippet_escapes_once(engine, db):
    name = f"{settings.SEARCH_INDEX_PREFIX}-snip-{uuid.uuid4().hex[:8]}"
    engine.create_index(name, index_body(synonyms=[]))
    try:
        doc = finish_document(
            {
                "title": "Handhaving",
                "summary": "Kort",
                "body": "<p>De boa&#x27;s van de gemeente zien veel.</p>",
                "url": "/h/",
                "principals": ["public"],
            },
            doc_id="h",
            search_type="document",
        )
        engine.bulk(name, [BulkAction("index", "h", 1, doc)], refresh=True)
        response = search_raw(
            principals=frozenset({"public"}), params=SearchParams(q="gemeente"), index=name
        )
        snippet = search_result_from_hit(response["hits"]["hits"][0]).snippet
        assert "&amp;#x27;" not in snippet and "x27" not in snippet.replace("&#x27;", "")
        assert "boa&#x27;s" in snippet  # the apostrophe, HTML-escaped exactly once
    finally:
        engine.delete_index(name)
