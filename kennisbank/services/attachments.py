"""Attachments: storing checked uploads, text extraction, the download counter."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
)

from kennisbank.files import attachment_check
from kennisbank.models import (
    AttachmentInfo,
    KnowledgeDocumentPage,
)
from kpo.core.extraction import EXTRACTABLE_KINDS, ExtractionFailed, text_extract
from search.services import index_enqueue

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from kpo.accounts.models import User

logger = logging.getLogger(__name__)


# --- attachments -----------------------------------------------------------------------------


def attachment_store(*, uploaded: UploadedFile, title: str, user: User) -> object:
    """Validate an upload by its content, then store it as a Wagtail document.

    Validation happens before anything is written; call inside the caller's transaction. The
    text extraction task is scheduled after commit.
    """
    checked = attachment_check(uploaded)
    detected = checked.kind
    Document = get_document_model()
    document = Document(
        title=title[:255],
        file=checked.file,
        uploaded_by_user=user,
        collection=Collection.get_first_root_node(),
    )
    document._set_document_file_metadata()
    document.save()
    AttachmentInfo.objects.create(document=document, detected_type=detected)
    transaction.on_commit(lambda: _schedule_extraction(document.pk))
    return document


def _schedule_extraction(document_id: int) -> None:
    from kennisbank.tasks import extract_attachment_text_task

    try:
        extract_attachment_text_task.delay(document_id)
    except Exception:  # noqa: BLE001 - broker down: reindex/extraction can be re-run later
        logger.warning("Could not enqueue text extraction for document %s", document_id)


MAX_TEXT_CHARS = 500_000


def attachment_extract_text(*, document_id: int) -> bool:
    """Extract the text of an attachment once and queue its pages for re-indexing.

    The parser runs in the extraction sandbox (``kpo.core.extraction``: own process, memory,
    CPU and wall-clock limits). Idempotent: a second call does nothing. A file that cannot be
    parsed within the budget is recorded as a failed extraction with no text (it will not get
    better by retrying); storage errors (``OSError``) propagate so the task retries.
    """
    info = AttachmentInfo.objects.select_related("document").filter(document_id=document_id).first()
    if info is None:
        info = _info_for_admin_upload(document_id)
    if info is None or info.text_extracted_at is not None:
        return False
    text, error = "", ""
    if info.detected_type in EXTRACTABLE_KINDS:
        with info.document.open_file() as fileobj:
            data = fileobj.read()
        try:
            text = text_extract(data=data, kind=info.detected_type, max_chars=MAX_TEXT_CHARS)
        except ExtractionFailed as exc:
            logger.warning("Text extraction failed for document %s: %s", document_id, exc)
            error = exc.reason
    with transaction.atomic():
        updated = AttachmentInfo.objects.filter(pk=info.pk, text_extracted_at__isnull=True).update(
            text=text[:MAX_TEXT_CHARS], text_extracted_at=timezone.now(), extraction_error=error
        )
        if updated:
            for page in KnowledgeDocumentPage.objects.filter(attachments__document_id=document_id):
                index_enqueue(page)
    return bool(updated)


def _info_for_admin_upload(document_id: int) -> AttachmentInfo | None:
    """Documents uploaded in the Wagtail admin have no info row yet: detect their type now."""
    from kennisbank.files import detect_type

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return None
    with document.open_file() as fileobj:
        detected = detect_type(fileobj) or ""
    return AttachmentInfo.objects.get_or_create(
        document=document, defaults={"detected_type": detected}
    )[0]


def attachments_needing_text(*, page: KnowledgeDocumentPage) -> list[int]:
    """Ids of the page's attachments whose text has not been extracted yet."""
    ids = list(page.attachments.values_list("document_id", flat=True))
    done = set(
        AttachmentInfo.objects.filter(
            document_id__in=ids, text_extracted_at__isnull=False
        ).values_list("document_id", flat=True)
    )
    return [pk for pk in ids if pk not in done]


def schedule_text_extraction(*, document_ids: Iterable[int]) -> None:
    for pk in document_ids:
        transaction.on_commit(functools.partial(_schedule_extraction, pk))


def attachment_register_download(*, document_id: int) -> None:
    from django.db.models import F

    updated = AttachmentInfo.objects.filter(document_id=document_id).update(
        download_count=F("download_count") + 1
    )
    if not updated:
        AttachmentInfo.objects.get_or_create(
            document_id=document_id, defaults={"download_count": 1}
        )
