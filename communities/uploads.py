"""Checking uploaded files before anything is stored.

The content type comes from the file's magic bytes (``filetype``), never from the name or the
browser. Office files are zip containers: they are inspected for executable members and macros.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "text/plain": "txt",
    "text/csv": "csv",
}
EXECUTABLE_MIME = {
    "application/x-msdownload",
    "application/x-executable",
    "application/x-elf",
    "application/x-mach-binary",
    "application/x-sh",
    "application/vnd.microsoft.portable-executable",
    "application/x-dosexec",
}
EXECUTABLE_EXTENSIONS = (
    ".exe", ".dll", ".com", ".bat", ".cmd", ".ps1", ".vbs", ".js", ".jar", ".msi", ".scr",
    ".sh", ".elf", ".app", ".lnk", ".hta",
)  # fmt: skip
_EXEC_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"#!")

DISGUISED_MESSAGE = (
    "Dit bestand is geweigerd: het is een programma (uitvoerbaar bestand), ook al lijkt de naam "
    "anders. Er is niets opgeslagen."
)

MISMATCH_MESSAGE = (
    "Dit bestand is geweigerd: de inhoud past niet bij de naam (bijvoorbeeld een webpagina met de "
    "naam .pdf). Er is niets opgeslagen."
)
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<head")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int


def attachment_check(*, uploaded) -> CheckedFile:
    """Validate an uploaded file; raise ``ValidationError`` (Dutch) before anything is stored."""
    max_bytes = int(getattr(settings, "KPO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError("Het bestand is leeg.")
    if size > max_bytes:
        raise ValidationError(
            f"Het bestand is te groot ({filesizeformat(size)}); "
            f"het maximum is {filesizeformat(max_bytes)}."
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    name = (uploaded.name or "").lower()

    if head.startswith(_EXEC_MAGIC):
        raise ValidationError(DISGUISED_MESSAGE)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in EXECUTABLE_MIME:
        raise ValidationError(DISGUISED_MESSAGE)
    if name.endswith(EXECUTABLE_EXTENSIONS):
        raise ValidationError("Programma's en scripts kunnen niet worden gedeeld.")

    if mime == "application/zip" or head.startswith(b"PK\x03\x04"):
        mime = _zip_check(uploaded, name)
    elif mime is None:
        mime = _text_check(head, name)

    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            "Dit soort bestand kan niet worden gedeeld. Toegestaan zijn PDF, afbeeldingen, "
            "Office- en OpenDocument-bestanden en platte tekst."
        )
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    extension = "jpg" if extension == "jpeg" else extension
    detected = ALLOWED_TYPES[mime]
    if (
        extension in set(ALLOWED_TYPES.values())
        and extension != detected
        and {extension, detected} != {"txt", "csv"}
    ):
        raise ValidationError(MISMATCH_MESSAGE)
    return CheckedFile(content_type=mime, size=size)


def _zip_check(uploaded, name: str) -> str:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            for member in names:
                lower = member.lower()
                if lower.endswith(EXECUTABLE_EXTENSIONS) or lower.endswith("vbaproject.bin"):
                    raise ValidationError(DISGUISED_MESSAGE)
                with archive.open(member) as inner:
                    if inner.read(4).startswith(_EXEC_MAGIC):
                        raise ValidationError(DISGUISED_MESSAGE)
            mimetype = ""
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "ignore").strip()
    except zipfile.BadZipFile as exc:
        raise ValidationError("Het bestand is beschadigd en kan niet worden gelezen.") from exc
    finally:
        uploaded.seek(0)
    if mimetype in ALLOWED_TYPES:
        return mimetype
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "ppt/presentation.xml" in names:
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    raise ValidationError("Zip-archieven kunnen niet worden gedeeld; deel de bestanden zelf.")


def _text_check(head: bytes, name: str) -> str:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut off at the end of the sample
            return "application/octet-stream"
    if b"\x00" in head:
        return "application/octet-stream"
    if head.lstrip().lower().startswith(_MARKUP_STARTS):
        return "text/html"  # a web page or script, never shared as "text"
    return "text/csv" if name.endswith(".csv") else "text/plain"
