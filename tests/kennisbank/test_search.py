"""Findable: a published knowledge document reaches the real search index through the outbox,
with its principals, type facet and attachment text; a closed community's document only for
members."""

from __future__ import annotations

import uuid

import pytest

from kennisbank import services
from search.engine import content_alias, get_engine
from search.indexer import build_document, drain_outbox, ensure_alias
from search.models import SearchOutbox
from search.selectors import search_for_user
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.kennisbank.conftest import pdf_bytes, stored_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_index(settings):
    engine = get_engine()
    assert engine.ping(), f"No search engine answers on {settings.SEARCH_URL}."
    settings.SEARCH_INDEX_PREFIX = f"{settings.SEARCH_INDEX_PREFIX}-kb-{uuid.uuid4().hex[:8]}"
    SearchOutbox.objects.all().delete()
    ensure_alias(engine)
    yield engine
    for name in engine.list_indices(f"{settings.SEARCH_INDEX_PREFIX}-*"):
        engine.delete_index(name)


def test_every_corpus_document_builds_an_index_document():
    from kennisbank.models import KnowledgeDocumentPage

    for page in KnowledgeDocumentPage.search_queryset():
        doc = build_document(page)
        assert doc["type"] == "document"
        assert doc["review_status"] in {"actueel", "herbeoordeling", "verouderd"}
        assert doc["principals"] and doc["url"].startswith("/kennisbank/")


def test_published_documents_are_findable_only_by_who_may_read_them(search_index, publish_document):
    community = CommunityFactory(visibility="closed")
    member = MembershipFactory(community=community).user
    pdf = stored_document("Bijlage", pdf_bytes("Zeldzaamwoord kasgeldlening"), "bijlage.pdf")
    open_page = publish_document(title="Openbare werkwijze spookbedrijven", attachments=[pdf])
    closed_page = publish_document(title="Besloten werkwijze spookbedrijven", community=community)
    services.attachment_extract_text(document_id=pdf.pk)
    assert drain_outbox() >= 2
    search_index.refresh(content_alias())

    def titles(user, q):
        return {r.title for r in search_for_user(user=user, q=q).results}

    outsider = UserFactory()
    assert open_page.title in titles(outsider, "spookbedrijven")
    assert closed_page.title not in titles(outsider, "spookbedrijven")
    assert closed_page.title in titles(member, "spookbedrijven")
    assert open_page.title in titles(outsider, "kasgeldlening")  # attachment text


def test_approved_submission_is_findable(
    search_index, contributor, ambassador, board_member, second_board_member, theme, factsheet
):
    from tests.kennisbank.conftest import board_approve, upload

    page = services.document_submit(
        user=contributor,
        title="Werkwijze katvangers herkennen",
        summary="Signalen van katvangers bij inschrijving.",
        themes=[theme],
        doc_type=factsheet,
        file=upload("katvangers.pdf", pdf_bytes("katvangers")),
    )
    drain_outbox()  # nothing of the draft may be findable
    search_index.refresh(content_alias())
    reader = UserFactory()
    assert not search_for_user(user=reader, q="katvangers").results
    services.document_review_action(page=page, user=ambassador, action="approve")
    board_approve(page, board_member, second_board_member)
    drain_outbox()
    search_index.refresh(content_alias())
    results = search_for_user(user=reader, q="katvangers").results
    assert [r.title for r in results] == ["Werkwijze katvangers herkennen"]
    # the board's dated badge travels with the hit (ADR 0017)
    assert results[0].review_badge.startswith("Beoordeeld door de redactieraad op ")
    assert results[0].review_badge.endswith("relevantie 4/5, betrouwbaarheid 5/5")
    assert results[0].review_marker == ""


def test_outdated_documents_sink_and_are_marked_in_results(search_index, publish_document):
    """Two equal documents; the one the review cycle marks "verouderd" (90+ days past due)
    ranks below the current one on the real index and carries the marker."""
    import datetime

    from django.utils import timezone

    from kennisbank.models import KnowledgeDocumentPage, ReviewStatus

    tag = uuid.uuid4().hex[:6]
    current = publish_document(title=f"Signalen woonfraude {tag} A")
    old = publish_document(
        title=f"Signalen woonfraude {tag} B",
        reviewed=timezone.localdate() - datetime.timedelta(days=3 * 365),
    )
    services.document_review_cycle()
    assert KnowledgeDocumentPage.objects.get(pk=old.pk).review_status == ReviewStatus.OUTDATED
    assert KnowledgeDocumentPage.objects.get(pk=current.pk).review_status == ReviewStatus.CURRENT
    drain_outbox()
    search_index.refresh(content_alias())
    results = search_for_user(user=UserFactory(), q=f"signalen woonfraude {tag}").results
    assert [r.title for r in results] == [current.title, old.title]
    assert [r.review_marker for r in results] == ["", "verouderd"]
