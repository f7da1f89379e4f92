"""Attachments are checked by content; a disguised file is refused and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.documents import get_document_model

from kennisbank import services
from kennisbank.files import validate_attachment
from kennisbank.models import AttachmentInfo, KnowledgeDocumentPage
from search.models import SearchOutbox
from search.registry import doc_id_for
from tests.kennisbank.conftest import (
    EXE_BYTES,
    HTML_BYTES,
    docx_bytes,
    pdf_bytes,
    stored_document,
    upload,
)

pytestmark = pytest.mark.django_db


def files_on_disk(root: Path) -> int:
    return sum(1 for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", EXE_BYTES),
        ("rapport.pdf", HTML_BYTES),
        ("rapport.docx", pdf_bytes()),
        ("rapport.pdf", docx_bytes()),
        ("rapport.exe", EXE_BYTES),
        ("rapport.xlsx", b"PK\x03\x04not really a zip"),
    ],
)
def test_validate_refuses_disguised_files(name, content):
    with pytest.raises(ValidationError):
        validate_attachment(upload(name, content))


def test_validate_accepts_real_files():
    assert validate_attachment(upload("a.pdf", pdf_bytes())) == "pdf"
    assert validate_attachment(upload("a.docx", docx_bytes())) == "docx"


def test_too_large_is_refused(settings):
    settings.KPO_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="te groot"):
        validate_attachment(upload("a.pdf", pdf_bytes()))


def test_disguised_executable_is_refused_and_nothing_stored(
    client, contributor, theme, factsheet, media_root
):
    Document = get_document_model()
    before = (
        Document.objects.count(),
        files_on_disk(media_root),
        KnowledgeDocumentPage.objects.count(),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.document_submit(
            user=contributor,
            title="Nep-rapport",
            summary="x",
            themes=[theme],
            doc_type=factsheet,
            file=upload("rapport.pdf", EXE_BYTES),
        )
    assert "uitvoerbaar bestand" in " ".join(excinfo.value.messages)

    client.force_login(contributor)
    response = client.post(
        reverse("kennisbank:share"),
        {
            "title": "Nep-rapport",
            "summary": "x",
            "themes": [theme.pk],
            "doc_type": factsheet.pk,
            "visibility": "platform",
            "file": upload("rapport.pdf", EXE_BYTES),
        },
    )
    assert response.status_code == 200
    assert "uitvoerbaar bestand" in response.content.decode()
    after = (
        Document.objects.count(),
        files_on_disk(media_root),
        KnowledgeDocumentPage.objects.count(),
    )
    assert after == before


def test_visibility_limited_to_active_memberships(contributor, theme, factsheet):
    from tests.factories import CommunityFactory

    community = CommunityFactory(visibility="closed")
    with pytest.raises(ValidationError):
        services.document_submit(
            user=contributor,
            title="Voor een vreemde community",
            summary="x",
            themes=[theme],
            doc_type=factsheet,
            file=upload("a.pdf", pdf_bytes()),
            community=community,
        )


def test_text_extraction_is_idempotent_and_enqueues(publish_document):
    pdf = stored_document("Rapport", pdf_bytes("Vastgoedfraude in beeld"), "rapport.pdf")
    docx = stored_document("Notitie", docx_bytes("Signalen van witwassen"), "notitie.docx")
    page = publish_document(title="Met bijlagen", attachments=[pdf, docx])
    SearchOutbox.objects.filter(doc_id=doc_id_for(page)).delete()

    assert services.attachment_extract_text(document_id=pdf.pk) is True
    assert services.attachment_extract_text(document_id=pdf.pk) is False
    assert services.attachment_extract_text(document_id=docx.pk) is True
    assert "Vastgoedfraude in beeld" in AttachmentInfo.objects.get(document=pdf).text
    assert "Signalen van witwassen" in AttachmentInfo.objects.get(document=docx).text
    assert SearchOutbox.objects.filter(doc_id=doc_id_for(page)).count() == 2
    assert "Vastgoedfraude" in page.search_document()["attachment_text"]


def test_admin_uploaded_document_gets_info_and_text(publish_document):
    from django.core.files.base import ContentFile

    Document = get_document_model()
    document = Document(title="Via de admin")
    document.file.save("admin.pdf", ContentFile(pdf_bytes("Beheer upload")), save=False)
    document._set_document_file_metadata()
    document.save()
    page = publish_document(title="Admin-bijlage", attachments=[document])
    assert services.attachments_needing_text(page=page) == [document.pk]
    assert services.attachment_extract_text(document_id=document.pk) is True
    assert AttachmentInfo.objects.get(document=document).detected_type == "pdf"
    assert services.attachments_needing_text(page=page) == []


def test_beat_safety_net_extracts_what_was_never_extracted(publish_document):
    """An upload whose extraction task never reached the broker is extracted by beat, once."""
    from kennisbank.tasks import extract_pending_attachments_task

    pdf = stored_document("Gemist", pdf_bytes("Ondergronds bankieren"), "gemist.pdf")
    publish_document(title="Gemiste extractie", attachments=[pdf])
    pending = AttachmentInfo.objects.filter(text_extracted_at__isnull=True).count()
    assert pending >= 1

    assert extract_pending_attachments_task.run() == pending
    assert "Ondergronds bankieren" in AttachmentInfo.objects.get(document=pdf).text
    assert extract_pending_attachments_task.run() == 0
