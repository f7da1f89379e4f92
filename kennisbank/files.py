"""Checking uploaded attachments by their content, never by their name.

Allowed: PDF, DOCX, XLSX, PPTX, ODT up to ``settings.KPO_MAX_UPLOAD_BYTES``. The type is found
from magic bytes (``filetype``) and, for the zip-based office formats, from the zip's own
manifest (``[Content_Types].xml`` for OOXML, ``mimetype`` for ODF). The file name's extension
must agree with the content: a file that is not what it claims is refused.
"""

from __future__ import annotations

import os
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "odt")
_OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_HEAD_BYTES = 8192


def max_upload_bytes() -> int:
    return int(getattr(settings, "KPO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))


def _zip_kind(fileobj) -> str | None:
    """The office format of a zip file, from its manifest; None when it is none of ours."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                return "odt"
            if "[Content_Types].xml" in names:
                for kind, part in _OOXML_MAIN_PART.items():
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def detect_type(fileobj) -> str | None:
    """The allowed type (extension) of the file's content, or None. Leaves the file at 0."""
    fileobj.seek(0)
    head = fileobj.read(_HEAD_BYTES)
    fileobj.seek(0)
    if not head:
        return None
    kind = filetype.guess(head)
    if head.startswith(b"%PDF-") and (kind is None or kind.extension == "pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        detected = _zip_kind(fileobj)
        fileobj.seek(0)
        return detected
    return None


def validate_attachment(uploaded) -> str:
    """Return the detected extension of an uploaded file, or raise a Dutch ``ValidationError``.

    Nothing is written anywhere: call this before storing the file.
    """
    name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("Het bestand is te groot (%(size)s); het maximum is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)},
            code="too_large",
        )
    claimed = os.path.splitext(name)[1].lower().lstrip(".")
    if claimed not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _(
                "Dit bestandstype is niet toegestaan. "
                "Toegestaan zijn: PDF, DOCX, XLSX, PPTX en ODT."
            ),
            code="type_not_allowed",
        )
    detected = detect_type(uploaded)
    if detected is None or detected != claimed:
        raise ValidationError(
            _(
                "De inhoud van “%(name)s” is geen echt %(type)s-bestand. Het bestand is "
                "geweigerd en niet opgeslagen."
            )
            % {"name": os.path.basename(name), "type": claimed.upper()},
            code="content_mismatch",
        )
    return detected
