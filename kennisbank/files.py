"""Kennisbank attachments: the platform's one upload validator (``kpo.core.uploads``) with the
kinds a knowledge document may carry (PDF, DOCX, XLSX, PPTX, ODT)."""

from __future__ import annotations

from kpo.core.uploads import (
    DOCUMENT_KINDS,
    CheckedUpload,
    detect_kind,
    max_upload_bytes,
    upload_check,
)

ALLOWED_EXTENSIONS = DOCUMENT_KINDS

__all__ = ["ALLOWED_EXTENSIONS", "attachment_check", "detect_type", "max_upload_bytes"]


def attachment_check(uploaded) -> CheckedUpload:
    """Check an attachment; raise a Dutch ``ValidationError`` before anything is stored. The
    upload's name is replaced by its normalised form."""
    checked = upload_check(uploaded=uploaded, allowed=DOCUMENT_KINDS)
    uploaded.name = checked.name
    return checked


def validate_attachment(uploaded) -> str:
    """The detected kind of an acceptable attachment (see :func:`attachment_check`)."""
    return attachment_check(uploaded).kind


def detect_type(fileobj) -> str | None:
    kind = detect_kind(fileobj)
    return kind if kind in DOCUMENT_KINDS else None
