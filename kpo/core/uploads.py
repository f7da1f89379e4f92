"""The one upload validator of the platform: every door (kennisbank front end and Wagtail admin
document form, community web forms and API) calls :func:`upload_check` before it stores a byte.

Rules, in this order, each refusal a ``ValidationError`` with a Dutch message and a ``code``:

1. size: not empty, at most ``KPO_MAX_UPLOAD_BYTES``;
2. the file name is normalised (no path parts, no control characters, Unicode NFC, bounded);
3. programs are refused by content (``MZ``, ELF, Mach-O, ``#!``) whatever their name;
4. the type is decided on content — magic bytes (``filetype``) for PDF and images, the zip's
   central directory and manifest for OOXML/ODF, strict UTF-8 for plain text — and must agree
   with the extension and be one of the types the door accepts;
5. HTML and SVG are refused however they start (byte-order mark, leading comment or whitespace,
   hidden inside a PDF): PDF and text files are scanned whole for markup;
6. zip files (while their kind is decided): entry count, total declared uncompressed size and
   compression ratio are checked from the central directory before anything decompresses or
   parses the archive; then macros (``vbaProject.bin``, macro-enabled content types, ODF
   ``Basic/``/``Scripts/``) and programs inside are refused;
7. images are decoded with Pillow (pixel bound first) and re-encoded, which drops EXIF/GPS and
   anything appended to the image.

Nothing here writes anywhere; :class:`CheckedUpload` carries what the caller stores.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "txt": "text/plain",
    "csv": "text/csv",
    "json": "application/json",
}
DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "pptx", "odt")
IMAGE_KINDS = ("png", "jpg", "gif", "webp")
TEXT_KINDS = ("txt", "csv")
# Plain-text data files, accepted only where a door allows them (law-change import, ADR 0026).
TEXTUAL_KINDS = frozenset({*TEXT_KINDS, "json"})
OFFICE_KINDS = ("docx", "xlsx", "pptx", "odt", "ods")
COMMUNITY_KINDS = (*DOCUMENT_KINDS, "ods", *IMAGE_KINDS, *TEXT_KINDS)

_EXTENSION_ALIASES = {"jpeg": "jpg"}
_OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_EXEC_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"\xca\xfe\xba\xbe")
_EXEC_EXTENSIONS = (
    ".exe", ".dll", ".com", ".bat", ".cmd", ".ps1", ".vbs", ".js", ".jar", ".msi", ".scr",
    ".sh", ".elf", ".app", ".lnk", ".hta", ".py", ".pl",
)  # fmt: skip
# Markup a browser would render as a page or script. Matched case-insensitively anywhere in a PDF
# or text file, so neither a BOM, a comment, whitespace nor a PDF header in front hides it.
_MARKUP = re.compile(
    rb"<\s*(?:html|script|svg|body|head|iframe|object|embed|meta|!doctype\s+html)[\s/>]",
    re.IGNORECASE,
)
_NAME_MAX = 200
_HEAD_BYTES = 8192


# --- messages --------------------------------------------------------------------------------


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _program_refused() -> ValidationError:
    return _refuse(
        _(
            "Dit bestand is geweigerd: het is een programma (uitvoerbaar bestand), ook al lijkt "
            "de naam anders. Er is niets opgeslagen."
        ),
        "executable",
    )


def _kinds_text(kinds: Collection[str]) -> str:
    return ", ".join(k.upper() for k in kinds)


def _mismatch(name: str, claimed: str) -> ValidationError:
    return _refuse(
        _(
            "De inhoud van “%(name)s” is geen echt %(type)s-bestand. Het bestand is geweigerd "
            "en niet opgeslagen."
        )
        % {"name": name, "type": claimed.upper()},
        "content_mismatch",
    )


# --- limits ----------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return int(getattr(settings, "KPO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- result ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    """What a door stores: ``file`` is the upload itself (rewound) or, for an image, its
    re-encoded copy without metadata; ``name`` the normalised file name."""

    kind: str
    content_type: str
    name: str
    size: int
    file: File


def filename_clean(name: str) -> str:
    """A safe display/storage name: the last path part only, Unicode NFC, no control or format
    characters, no leading dots, at most 200 characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > _NAME_MAX:
        stem, ext = os.path.splitext(name)
        ext = ext[:20]
        name = stem[: _NAME_MAX - len(ext)].rstrip() + ext
    return name or "bestand"


def _extension(name: str) -> str:
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    return _EXTENSION_ALIASES.get(ext, ext)


# --- the check -------------------------------------------------------------------------------


def upload_check(*, uploaded, allowed: Collection[str]) -> CheckedUpload:
    """Check an upload against the platform's rules and the door's ``allowed`` kinds.

    Raises ``ValidationError`` (Dutch message, a ``code``) before anything is stored; leaves the
    upload rewound.
    """
    size = getattr(uploaded, "size", None) or 0
    limit = max_upload_bytes()
    if size == 0:
        raise _refuse(_("Het bestand is leeg."), "empty")
    if size > limit:
        raise _refuse(
            _("Het bestand is te groot (%(size)s); het maximum is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)},
            "too_large",
        )
    name = filename_clean(getattr(uploaded, "name", "") or "")
    uploaded.seek(0)
    head = uploaded.read(_HEAD_BYTES)
    uploaded.seek(0)
    if head.startswith(_EXEC_MAGIC) or head.startswith(b"#!"):
        raise _program_refused()
    claimed = _extension(name)
    if name.lower().endswith(_EXEC_EXTENSIONS):
        raise _refuse(_("Programma's en scripts kunnen niet worden gedeeld."), "executable")
    if claimed not in allowed:
        raise _refuse(
            _("Dit bestandstype is niet toegestaan. Toegestaan zijn: %(kinds)s.")
            % {"kinds": _kinds_text(allowed)},
            "type_not_allowed",
        )

    detected = _detect(uploaded, head)
    if detected is None:
        raise _mismatch(name, claimed)
    same = detected == claimed or {detected, claimed} <= TEXTUAL_KINDS
    if not same:
        raise _mismatch(name, claimed)
    kind = claimed
    if kind == "pdf" or kind in TEXTUAL_KINDS:
        _refuse_markup(uploaded)
    stored: File = uploaded
    if kind in IMAGE_KINDS:
        stored = image_reencode(uploaded, kind=kind, name=name)
        size = stored.size
    uploaded.seek(0)
    return CheckedUpload(
        kind=kind, content_type=CONTENT_TYPES[kind], name=name, size=size, file=stored
    )


def detect_kind(fileobj) -> str | None:
    """The kind of a stored file's content (used for files that reached storage another way)."""
    fileobj.seek(0)
    head = fileobj.read(_HEAD_BYTES)
    fileobj.seek(0)
    try:
        return _detect(fileobj, head)
    except ValidationError:
        return None
    finally:
        fileobj.seek(0)


def _detect(fileobj, head: bytes) -> str | None:
    if not head:
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(fileobj)
    guess = filetype.guess(head)
    if guess is not None:
        extension = _EXTENSION_ALIASES.get(guess.extension, guess.extension)
        return extension if extension in IMAGE_KINDS else None
    return _text_kind(head)


def _text_kind(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut off at the end of the sample
            return None
    return "txt"


def _refuse_markup(fileobj) -> None:
    """Scan the whole (size-bounded) file for HTML/SVG markup, in overlapping chunks."""
    fileobj.seek(0)
    tail = b""
    while chunk := fileobj.read(1024 * 1024):
        window = tail + chunk
        if _MARKUP.search(window):
            fileobj.seek(0)
            raise _refuse(
                _(
                    "Dit bestand is geweigerd: het bevat een webpagina of script (HTML of SVG). "
                    "Er is niets opgeslagen."
                ),
                "markup",
            )
        tail = window[-64:]
    fileobj.seek(0)


# --- zip-based office files ------------------------------------------------------------------


def _zip_kind(fileobj) -> str | None:
    """The office kind from the manifest, after the central-directory limits passed."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            _zip_limits(archive, fileobj)
            _zip_members_check(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    kind = _ODF_MIMETYPES.get(member.read(100).strip())
                if kind:
                    return kind
            if "[Content_Types].xml" in names:
                for kind, part in _OOXML_MAIN_PART.items():
                    if part in names:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError):
        return None
    finally:
        fileobj.seek(0)
    return None


def _zip_limits(archive: zipfile.ZipFile, fileobj) -> None:
    """Entry count, declared uncompressed size and ratio, from the central directory only
    (``ZipFile`` reads just the directory on open; nothing is decompressed here)."""
    infos = archive.infolist()
    if len(infos) > _limit("KPO_UPLOAD_MAX_ZIP_ENTRIES", 2000):
        raise _archive_refused()
    total = sum(info.file_size for info in infos)
    fileobj.seek(0, os.SEEK_END)
    packed = max(fileobj.tell(), 1)
    fileobj.seek(0)
    if total > _limit("KPO_UPLOAD_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024):
        raise _archive_refused()
    max_ratio = _limit("KPO_UPLOAD_MAX_COMPRESSION_RATIO", 100)
    if total > 1024 * 1024 and total / packed > max_ratio:
        raise _archive_refused()
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size / max(info.compress_size, 1) > max_ratio:
            raise _archive_refused()


def _archive_refused() -> ValidationError:
    return _refuse(
        _(
            "Dit bestand is geweigerd: het uitgepakte document is verdacht groot of bestaat uit "
            "te veel delen. Er is niets opgeslagen."
        ),
        "archive_too_large",
    )


def _zip_members_check(archive: zipfile.ZipFile) -> None:
    """Macros and programs inside an archive (after ``_zip_limits`` passed): member names, the
    first four bytes of each member and the manifests; nothing else is decompressed."""
    macro = _refuse(
        _(
            "Dit bestand is geweigerd: het bevat macro's. Sla het op zonder macro's (bijvoorbeeld "
            "als gewone .docx of .xlsx) en probeer het opnieuw."
        ),
        "macro",
    )
    for info in archive.infolist():
        lower = info.filename.lower()
        if lower.endswith(("vbaproject.bin", "vbadata.xml")) or lower.startswith(
            ("basic/", "scripts/")
        ):
            raise macro
        if lower.endswith(_EXEC_EXTENSIONS):
            raise _program_refused()
        with archive.open(info) as member:
            start = member.read(4)
        if start.startswith(_EXEC_MAGIC):
            raise _program_refused()
    for manifest in ("[Content_Types].xml", "META-INF/manifest.xml"):
        if manifest in archive.namelist():
            with archive.open(manifest) as member:
                text = member.read(2 * 1024 * 1024).lower()
            if b"macroenabled" in text or b"vbaproject" in text or b"basic/" in text:
                raise macro


# --- images ----------------------------------------------------------------------------------

_PIL_FORMATS = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}


def image_reencode(fileobj, *, kind: str, name: str) -> ContentFile:
    """Decode and re-encode an image: EXIF (GPS, camera, author), comments and trailing data are
    gone; the orientation is applied to the pixels first so the picture still stands upright."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    max_pixels = _limit("KPO_UPLOAD_MAX_IMAGE_PIXELS", 50_000_000)
    broken = _refuse(
        _("De afbeelding is beschadigd of te groot en kan niet worden gelezen."), "bad_image"
    )
    fileobj.seek(0)
    try:
        with Image.open(fileobj) as image:
            if image.width * image.height > max_pixels:
                raise broken
            if (image.format or "").upper() != _PIL_FORMATS[kind]:
                raise _mismatch(name, kind)
            image.load()
            frames = getattr(image, "n_frames", 1)
            clean = ImageOps.exif_transpose(image) if frames == 1 else image
            out = io.BytesIO()
            options: dict = {}
            if kind == "jpg":
                clean = clean.convert("RGB") if clean.mode not in ("RGB", "L") else clean
                options = {"quality": 90}
            elif kind == "gif" and frames > 1:
                options = {"save_all": True}
            clean.save(out, format=_PIL_FORMATS[kind], **options)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise broken from exc
    finally:
        fileobj.seek(0)
    return ContentFile(out.getvalue(), name=name)
