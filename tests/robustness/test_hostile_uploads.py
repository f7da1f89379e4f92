"""Hostile uploads, on every door: the kennisbank "Kennis delen" form, the Wagtail admin document
form, the community file form and the community file API. Every fixture is generated here.

Each refused file gives a Dutch message (web) or the platform's JSON error (API), and leaves no
row and no file behind.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.models import Attachment
from kennisbank.models import DocumentType
from kpo.core.uploads import COMMUNITY_KINDS, DOCUMENT_KINDS, filename_clean, upload_check
from kpo.themes.models import Theme
from tests.factories import UserFactory
from tests.robustness.conftest import PDF, assert_api_error, unchanged
from tests.robustness.test_forms import assert_clear_error
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

# --- generated fixtures ------------------------------------------------------------------------

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'


def _zip(entries: dict[str, bytes], *, level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(extra: dict[str, bytes] | None = None, *, content_types: bytes | None = None) -> bytes:
    types = content_types or (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    return _zip(
        {
            "[Content_Types].xml": types,
            "word/document.xml": b"<w:document><w:body><w:p/></w:body></w:document>",
            **(extra or {}),
        }
    )


def odt(extra: dict[str, bytes] | None = None) -> bytes:
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest:manifest/>",
            **(extra or {}),
        }
    )


def bomb_docx(uncompressed: int = 32 * 1024 * 1024) -> bytes:
    """A docx whose document.xml holds ``uncompressed`` bytes of zeros inside a tiny file
    (written in chunks, so the fixture itself never holds it)."""
    out = io.BytesIO()
    chunk = b"0" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(uncompressed // len(chunk)):
                member.write(chunk)
    return out.getvalue()


MACRO_DOCX = docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
MACRO_TYPES_DOCX = docx(
    content_types=b'<Types><Default Extension="bin" ContentType="application/'
    b'vnd.ms-office.vbaProject"/><Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)
MACRO_ODT = odt({"Basic/Standard/Module1.xml": b"<script:module>Shell(...)</script:module>"})

HOSTILE = {
    # name: (file name, bytes, a phrase of the Dutch message)
    "exe-as-pdf": ("rapport.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300, "programma"),
    "html-as-pdf": ("rapport.pdf", HTML, "geen echt pdf"),
    "html-bom-as-txt": ("notitie.txt", b"\xef\xbb\xbf" + HTML, "webpagina"),
    "html-comment-as-txt": ("notitie.txt", b"<!-- ok -->\n  \n" + HTML, "webpagina"),
    "svg-as-txt": ("tekening.txt", b"\xef\xbb\xbf  <?xml version='1.0'?>\n" + SVG, "webpagina"),
    "svg-as-png": ("tekening.png", SVG, "geen echt png"),
    "pdf-html-polyglot": ("rapport.pdf", PDF[:9] + b"%\n" + HTML + PDF[9:], "webpagina"),
    "macro-docx": ("notulen.docx", MACRO_DOCX, "macro"),
    "macro-content-type-docx": ("notulen.docx", MACRO_TYPES_DOCX, "macro"),
    "macro-odt": ("notulen.odt", MACRO_ODT, "macro"),
    "archive-bomb": ("notulen.docx", bomb_docx(), "verdacht groot"),
    "docx-as-pdf": ("rapport.pdf", docx(), "geen echt pdf"),
}
# Kinds only communities accept are refused by the kennisbank before their content is looked at.
KENNISBANK_HOSTILE = {k: v for k, v in HOSTILE.items() if v[0].rsplit(".", 1)[1] in DOCUMENT_KINDS}


def _upload(case: str) -> SimpleUploadedFile:
    name, content, _phrase = HOSTILE[case]
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- the validator itself --------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_validator_refuses_each_hostile_class(case):
    with pytest.raises(ValidationError) as excinfo:
        upload_check(uploaded=_upload(case), allowed=COMMUNITY_KINDS)
    assert HOSTILE[case][2] in " ".join(excinfo.value.messages).lower()


def test_real_files_pass():
    for name, content in [("a.pdf", PDF), ("a.docx", docx()), ("a.odt", odt())]:
        checked = upload_check(uploaded=SimpleUploadedFile(name, content), allowed=COMMUNITY_KINDS)
        assert checked.kind == name.rsplit(".", 1)[1]


def test_archive_bomb_is_judged_on_the_central_directory_only(monkeypatch, settings):
    """The bomb holds 256 MiB; the check refuses it quickly, with little memory, without
    opening (decompressing) a single member."""
    settings.KPO_MAX_UPLOAD_BYTES = 16 * 1024 * 1024
    content = bomb_docx(256 * 1024 * 1024)
    assert len(content) < 1024 * 1024
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="verdacht groot"):
        upload_check(uploaded=SimpleUploadedFile("bom.docx", content), allowed=DOCUMENT_KINDS)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert opened == []
    assert elapsed < 2
    assert peak < 3 * len(content) + 1024 * 1024  # the file itself, never its 1 GiB content


def test_too_many_entries_is_refused(settings):
    settings.KPO_UPLOAD_MAX_ZIP_ENTRIES = 50
    content = docx({f"word/media/{i}.xml": b"x" for i in range(60)})
    with pytest.raises(ValidationError, match="te veel delen"):
        upload_check(uploaded=SimpleUploadedFile("a.docx", content), allowed=DOCUMENT_KINDS)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\rapport.pdf", "rapport.pdf"),
        ("rap\x00port\x1b[31m\u202e.pdf", "rapport[31m.pdf"),
        ("Cafe\u0301.pdf", "Caf\u00e9.pdf"),
        ("...verborgen.pdf", "verborgen.pdf"),
        ("a" * 500 + ".pdf", "a" * 196 + ".pdf"),
        ("/", "bestand"),
    ],
)
def test_file_names_are_normalised(raw, clean):
    assert filename_clean(raw) == clean


# --- the doors -------------------------------------------------------------------------------


@pytest.fixture
def share_data(db):
    return {
        "title": "Bibob-toets bij horeca",
        "summary": "Samenvatting van de aanpak.",
        "themes": [Theme.objects.order_by("pk").first().pk],
        "doc_type": DocumentType.objects.order_by("pk").first().pk,
        "visibility": "platform",
    }


@pytest.mark.parametrize("case", sorted(KENNISBANK_HOSTILE))
def test_kennisbank_share_form_refuses(user_client, share_data, case):
    with unchanged():
        response = user_client.post(
            "/kennisbank-acties/delen/", {**share_data, "file": _upload(case)}
        )
        assert response.status_code == 200
        assert_clear_error(response, HOSTILE[case][2])


@pytest.fixture
def admin_client(client, db):
    admin_login(client, UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("case", sorted(KENNISBANK_HOSTILE))
def test_wagtail_admin_document_form_refuses(admin_client, case):
    with unchanged():
        response = admin_client.post(
            "/admin/documents/add/", {"title": "Nep", "file": _upload(case), "collection": 1}
        )
        assert response.status_code == 200
        assert_clear_error(response, HOSTILE[case][2])


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_community_file_form_refuses(user_client, world, case):
    with unchanged():
        response = user_client.post(
            f"/communities/{world.communities['open'].slug}/bestanden/", {"file": _upload(case)}
        )
        assert response.status_code == 400
        assert_clear_error(response, HOSTILE[case][2])


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_community_file_api_refuses(user_client, world, case):
    with unchanged():
        response = user_client.post(
            f"/api/v1/communities/{world.communities['open'].slug}/files",
            {"file": _upload(case)},
        )
        error = assert_api_error(response, 400)
        assert (
            HOSTILE[case][2]
            in " ".join(p["reason"] for p in error["invalid-params"] if p["name"] == "file").lower()
        )


def test_community_file_api_stores_a_real_file_under_a_clean_name(user_client, world):
    response = user_client.post(
        f"/api/v1/communities/{world.communities['open'].slug}/files",
        {"file": SimpleUploadedFile("../../verslag\x07.pdf", PDF)},
    )
    assert response.status_code == 201, response.content
    assert response.json()["filename"] == "verslag.pdf"
    assert Attachment.objects.get(pk=response.json()["id"]).content_type == "application/pdf"


# --- images: EXIF and GPS are gone after upload -----------------------------------------------


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Spycam"  # Make
    exif[0x013B] = "Jan Informant"  # Artist
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 17.0), 3: "E", 4: (4.0, 53.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the fixture has GPS
    return data


def _assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif(), dict(image.getexif())
    assert b"Exif" not in data and b"Spycam" not in data and b"Informant" not in data


def test_community_image_is_stored_without_exif(user_client, world):
    response = user_client.post(
        f"/communities/{world.communities['open'].slug}/bestanden/",
        {"file": SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(filename="foto.jpg")
    with attachment.file.open("rb") as stored:
        _assert_no_metadata(stored.read())


def test_wagtail_admin_image_is_stored_without_exif(admin_client):
    from wagtail.images import get_image_model

    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Foto",
            "file": SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg"),
            "collection": 1,
        },
    )
    assert response.status_code == 302, response.content[-2000:]
    image = get_image_model().objects.get(title="Foto")
    with image.file.open("rb") as stored:
        _assert_no_metadata(stored.read())
    assert (image.width, image.height) == (40, 30)
