"""The citation ids are part of the index: a search on a BWB id or an ECLI finds the citing
documents and courses (real engine), and only them."""

from __future__ import annotations

import uuid

import pytest

from search.engine import content_alias, get_engine
from search.indexer import build_document, drain_outbox, ensure_alias
from search.models import SearchOutbox
from search.selectors import search_for_user
from tests.factories import UserFactory
from tests.law.conftest import BIBOB, WGS, cite_course, cite_document

pytestmark = pytest.mark.django_db

ECLI = "ECLI:NL:RVS:2019:1234"


@pytest.fixture
def search_index(settings):
    engine = get_engine()
    assert engine.ping(), f"No search engine answers on {settings.SEARCH_URL}."
    settings.SEARCH_INDEX_PREFIX = f"{settings.SEARCH_INDEX_PREFIX}-law-{uuid.uuid4().hex[:8]}"
    SearchOutbox.objects.all().delete()
    ensure_alias(engine)
    yield engine
    for name in engine.list_indices(f"{settings.SEARCH_INDEX_PREFIX}-*"):
        engine.delete_index(name)


def test_the_index_document_carries_the_citation_ids(law_theme):
    page = cite_document(title="Met bronnen", citations=[(BIBOB, "3"), (ECLI, "")], theme=law_theme)
    assert build_document(page)["citations"] == sorted([BIBOB, f"{BIBOB}:3", ECLI])


def test_a_search_on_a_bwb_id_or_an_ecli_finds_the_citing_items(search_index, law_theme):
    doc = cite_document(title="Weigeringsgronden", citations=[(BIBOB, "3")], theme=law_theme)
    ruling = cite_document(title="Uitspraak besproken", citations=[(ECLI, "")], theme=law_theme)
    other = cite_document(title="Andere wet", citations=[(WGS, "3")], theme=law_theme)
    course = cite_course(slug="zoek-cursus", citations=[(BIBOB, "")])
    assert drain_outbox() >= 4
    search_index.refresh(content_alias())
    user = UserFactory()

    def titles(q):
        return {r.title for r in search_for_user(user=user, q=q).results}

    found = titles("BWBR0013798")
    assert {doc.title, course.title} <= found
    assert other.title not in found and ruling.title not in found
    assert ruling.title in titles(ECLI.lower())
    assert doc.title not in titles(ECLI)
