"""Fault test with a real Celery worker: an extraction that hangs is ended by its time limit,
recorded as a failed extraction, and the same worker then processes the next task."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from kennisbank.models import AttachmentInfo
from kennisbank.tasks import extract_attachment_text_task
from kpo.celery import app as celery_app
from tests.integration.test_faults import wait_for
from tests.kennisbank.conftest import pdf_bytes

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TIMEOUT = 3


def endless_docx(paragraphs: int = 1_000_000) -> bytes:
    """A docx whose parse takes far longer than the time limit: a million paragraphs, which
    python-docx walks one by one (about 40 KiB on disk)."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        with archive.open("word/document.xml", "w") as member:
            member.write(f'<w:document xmlns:w="{ns}"><w:body>'.encode())
            chunk = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 10_000
            for _ in range(paragraphs // 10_000):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return out.getvalue()


def _document(name: str, data: bytes, kind: str) -> int:
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    document = get_document_model().objects.create(
        title=name, file=ContentFile(data, name=name), collection=Collection.get_first_root_node()
    )
    AttachmentInfo.objects.create(document=document, detected_type=kind)
    return document.pk


def test_a_hanging_extraction_is_ended_and_the_worker_goes_on(
    celery_worker, worker_env, settings, tmp_path
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    worker_env.update(
        MEDIA_ROOT=str(media),
        KPO_EXTRACTION_TIMEOUT_SECONDS=str(TIMEOUT),
        KPO_EXTRACTION_CPU_SECONDS="600",  # the wall clock ends it, not the CPU limit
        KPO_EXTRACTION_MEMORY_BYTES=str(1536 * 1024 * 1024),
    )
    endless = _document("eindeloos.docx", endless_docx(), "docx")
    normal = _document("gewoon.pdf", pdf_bytes("Ondermijning in de haven"), "pdf")
    celery_app.control.purge()  # only our two tasks in the queue (no drains left by other tests)
    worker = celery_worker()

    started = time.time()
    extract_attachment_text_task.delay(endless)
    extract_attachment_text_task.delay(normal)

    failed = wait_for(
        lambda: AttachmentInfo.objects.filter(
            document_id=endless, text_extracted_at__isnull=False
        ).first(),
        timeout=120,
        what="the hanging extraction to be ended",
    )
    assert failed.extraction_error == "timeout"
    assert failed.text == ""
    done = wait_for(
        lambda: AttachmentInfo.objects.filter(
            document_id=normal, text_extracted_at__isnull=False
        ).first(),
        timeout=60,
        what="the next extraction",
    )
    assert "Ondermijning in de haven" in done.text
    assert done.extraction_error == ""
    assert worker.proc.poll() is None, "the worker died"
    # Ended by the limit, not after the parse ran to its end (which takes minutes).
    assert time.time() - started < 60
