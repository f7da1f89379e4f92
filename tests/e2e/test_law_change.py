"""The law-change path in the browser (issue #17, ADR 0026): a jurist enters a change of Wet
Bibob article 3 in the admin → the citing document says "Wetswijziging per 1 januari 2027" and
lists its sources → the board completes the review ("Actueel bevestigen") → the banner is gone.
Accessibility checked with axe-core on each screen."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, django_shell, screenshot

pytestmark = pytest.mark.e2e

JURIST = "jurist@demo.kpo.nl"
BOARD = "redactieraad@demo.kpo.nl"
BANNER = "Wetswijziging per 1 januari 2027"


def _document_citing_bibob(title: str) -> tuple[str, str]:
    """A live document citing Wet Bibob art. 3; returns its URL and id."""
    out = django_shell(
        "from django.utils import timezone\n"
        "from kennisbank.models import DocumentCitation, DocumentType, KennisbankIndexPage,"
        " KnowledgeDocumentPage\n"
        "from kennisbank.services import document_import_published\n"
        "from kpo.themes.models import Theme\n"
        f"page = KnowledgeDocumentPage(title={title!r}, summary='Weigeringsgronden in de toets.',"
        " doc_type=DocumentType.objects.order_by('pk').first(), year=2025,"
        " last_reviewed_at=timezone.localdate(), live=False)\n"
        "page.next_review_due = page.due_date_after(page.last_reviewed_at)\n"
        "page.themes = [Theme.objects.order_by('pk').first()]\n"
        "page.citations = [DocumentCitation(identifier='BWBR0013798', article='3',"
        " label='Wet Bibob')]\n"
        "KennisbankIndexPage.objects.get().add_child(instance=page)\n"
        "page = document_import_published(page=page)\n"
        "print(page.url, page.pk)\n"
    )
    url, pk = out.strip().splitlines()[-1].split()
    return url, pk


def test_a_law_change_marks_the_document_until_its_review_is_completed(as_user):
    title = f"Bibob-weigeringsgronden {uuid.uuid4().hex[:6]}"
    url, pk = _document_citing_bibob(title)

    # 1. A jurist enters the change in the admin.
    jurist = as_user(JURIST)
    jurist.goto("/admin/")
    jurist.get_by_role("link", name="Wetswijzigingen").click()
    jurist.get_by_role("link", name="Wetswijziging invoeren").click()
    check_accessibility(jurist)
    jurist.get_by_label("BWB-id").fill("BWBR0013798")
    jurist.get_by_label("Artikel").fill("3")
    jurist.get_by_label("Ingangsdatum").fill("2027-01-01")
    jurist.get_by_label("Wat verandert er?").fill("Een nieuwe weigeringsgrond.")
    jurist.get_by_role("button", name="Vastleggen").click()
    expect(jurist.get_by_text("herbeoordeling(en) geopend")).to_be_visible(timeout=60_000)
    expect(jurist.get_by_role("cell", name="Een nieuwe weigeringsgrond.")).to_be_visible()

    # 2. The document says so, with its sources linked by id.
    jurist.goto(url)
    expect(jurist.get_by_text(BANNER)).to_be_visible()
    expect(jurist.get_by_role("link", name="Wet Bibob, artikel 3 (BWBR0013798)")).to_have_attribute(
        "href", "https://wetten.overheid.nl/jci1.3:c:BWBR0013798&artikel=3"
    )
    check_accessibility(jurist)
    screenshot(jurist, "wetswijziging-banner")

    # 3. The board completes the review: the document is confirmed current.
    board = as_user(BOARD)
    board.goto(f"/admin/kennisbank/actueel/{pk}/")
    board.get_by_role("button", name="Ja, actueel bevestigen").click()
    expect(board.get_by_text("is actueel bevestigd")).to_be_visible(timeout=60_000)

    # 4. The banner is gone.
    jurist.goto(url)
    expect(jurist.get_by_role("heading", name=title)).to_be_visible()
    expect(jurist.get_by_text(BANNER)).to_have_count(0)
