"""Fixtures of the kennisbank tests: real files, reviewers, and a published document."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kennisbank.models import DocumentType, KennisbankIndexPage, KnowledgeDocumentPage
from kpo.themes.models import Theme
from tests.factories import UserFactory
from tests.s3_server import s3, s3_endpoint  # noqa: F401 - fixtures (ADR 0022)


def pdf_bytes(text: str = "Ondermijning in de vastgoedketen") -> bytes:
    """A minimal but valid one-page PDF with ``text`` on it."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_bytes(text: str = "Handreiking signalen") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"
)
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert('x')</script></body></html>"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def theme(db):
    return Theme.objects.get(slug="vastgoed")


@pytest.fixture
def other_theme(db):
    return Theme.objects.exclude(slug="vastgoed").first()


@pytest.fixture
def ambassador(theme):
    user = UserFactory(groups=["Ambassadeurs"])
    theme.ambassadors.add(user)
    return user


@pytest.fixture
def board_member(db):
    return UserFactory(groups=["Redactieraad"])


@pytest.fixture
def second_board_member(db):
    return UserFactory(groups=["Redactieraad"])


def board_approve(page, *members, relevance=4, reliability=5, rationale="Helder en betrouwbaar."):
    """Each of ``members`` approves the board step with scores (quorum: KPO_BOARD_QUORUM)."""
    from kennisbank import services

    for member in members:
        services.document_review_action(
            page=page,
            user=member,
            action="approve",
            comment=rationale,
            relevance=relevance,
            reliability=reliability,
        )


@pytest.fixture
def contributor(db):
    return UserFactory()


@pytest.fixture
def factsheet(db):
    return DocumentType.objects.get(slug="factsheet")


@pytest.fixture
def publish_document(db, theme, factsheet):
    """Create a live document directly (as the corpus does: the audited import path)."""

    def make(
        *,
        title="Testdocument",
        community=None,
        doc_type=None,
        reviewed=None,
        owner=None,
        attachments=(),
        themes=None,
    ):
        from kennisbank.models import KnowledgeDocumentAttachment

        doc_type = doc_type or factsheet
        reviewed = reviewed or timezone.localdate()
        index = KennisbankIndexPage.objects.get()
        page = KnowledgeDocumentPage(
            title=title,
            summary=f"Samenvatting van {title}",
            doc_type=doc_type,
            year=2025,
            community=community,
            owner=owner,
            last_reviewed_at=reviewed,
        )
        page.next_review_due = page.due_date_after(reviewed)
        page.themes = list(themes) if themes is not None else [theme]
        page.attachments = [KnowledgeDocumentAttachment(document=d) for d in attachments]
        index.add_child(instance=page)
        from kennisbank.services import document_import_published

        return document_import_published(page=page)

    return make


def stored_document(title: str, content: bytes, name: str, user=None):
    """A Wagtail document stored through the service (content checked)."""
    from kennisbank.services import attachment_store

    return attachment_store(uploaded=upload(name, content), title=title, user=user)
