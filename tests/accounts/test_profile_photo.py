"""Profile photos (ADR 0031): through the upload check, re-encoded with Pillow (EXIF with GPS, XMP
and ICC gone, orientation applied, square, fixed sizes, WebP + JPEG), streamed from the private
storage to colleagues only; a non-image or a huge image is refused in Dutch, never a 500."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms

from kpo.accounts.models import Profile
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

BLUE, RED = (20, 20, 220), (200, 30, 30)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def owner(db):
    user = UserFactory(first_name="Fien", last_name="Foto")
    ProfileFactory(user=user)
    return user


def camera_jpeg() -> bytes:
    """A 300×200 photo, its left third blue, taken "rotated" (EXIF orientation 6), with GPS,
    camera make, an ICC profile and XMP."""
    image = Image.new("RGB", (300, 200), RED)
    image.paste(BLUE, (0, 0, 100, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SpionCam"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (4.0, 53.0, 10.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(
        out, "JPEG", exif=exif, icc_profile=icc, xmp=b"<x:xmpmeta>GPSLatitude 52</x:xmpmeta>"
    )
    return out.getvalue()


def huge_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny file whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


def _upload(client, content: bytes, name: str = "vakantie.jpg", content_type="image/jpeg"):
    return client.post(
        reverse("accounts:profile_photo"),
        {"photo": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def _stored(profile: Profile) -> dict[str, bytes]:
    storage = Profile._meta.get_field("photo").storage
    names = {"jpg": profile.photo.name, **profile.photo_variants}
    result = {}
    for size, name in names.items():
        with storage.open(name, "rb") as handle:
            result[size] = handle.read()
    return result


def test_gps_exif_xmp_and_icc_are_gone_and_the_photo_stands_upright(client, owner):
    original = camera_jpeg()
    before = Image.open(io.BytesIO(original))
    assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo must carry GPS"
    assert "icc_profile" in before.info and "xmp" in before.info

    client.force_login(owner)
    assert _upload(client, original).status_code == 302
    profile = Profile.objects.get(user=owner)
    files = _stored(profile)
    assert sorted(profile.photo_variants) == ["160", "400", "64"]
    for size, data in files.items():
        image = Image.open(io.BytesIO(data))
        assert image.format == ("JPEG" if size == "jpg" else "WEBP")
        side = 400 if size == "jpg" else int(size)
        assert image.size == (side, side)
        assert not image.getexif(), size
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "icc_profile" not in image.info and "xmp" not in image.info, size
        assert b"SpionCam" not in data and b"GPSLatitude" not in data
        # Orientation 6 turns the blue left third to the top.
        rgb = image.convert("RGB")
        top, bottom = rgb.getpixel((side // 2, 2)), rgb.getpixel((side // 2, side - 3))
        assert top[2] > 150 and top[0] < 80, top
        assert bottom[0] > 150 and bottom[2] < 80, bottom


def test_photo_is_served_from_storage_to_colleagues_only(client, owner):
    client.force_login(owner)
    _upload(client, camera_jpeg())
    profile = Profile.objects.get(user=owner)
    files = _stored(profile)
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:person", args=[owner.pk])).content.decode()
    assert reverse("accounts:person_photo", args=[owner.pk, "160"]) in page
    listing = client.get(reverse("accounts:people"), {"q": "Foto"}).content.decode()
    assert reverse("accounts:person_photo", args=[owner.pk, "64"]) in listing
    webp = client.get(reverse("accounts:person_photo", args=[owner.pk, "160"]))
    assert webp.status_code == 200 and webp["Content-Type"] == "image/webp"
    assert b"".join(webp.streaming_content) == files["160"]
    jpeg = client.get(reverse("accounts:person_photo", args=[owner.pk, "jpg"]))
    assert jpeg["Content-Type"] == "image/jpeg"
    assert b"".join(jpeg.streaming_content) == files["jpg"]
    assert client.get(reverse("accounts:person_photo", args=[owner.pk, "999"])).status_code == 404
    nobody = ProfileFactory().user
    assert client.get(reverse("accounts:person_photo", args=[nobody.pk, "160"])).status_code == 404
    client.logout()
    anonymous = client.get(reverse("accounts:person_photo", args=[owner.pk, "160"]))
    assert anonymous.status_code == 302


@pytest.mark.parametrize(
    "name,content,phrase",
    [
        ("foto.jpg", b"Dit is helemaal geen afbeelding, alleen tekst.", "geen echt JPG-bestand"),
        ("foto.pdf", b"%PDF-1.4\n%%EOF\n", "Kies een foto in JPEG-, PNG- of WebP-formaat"),
        ("foto.png", huge_png(), "te groot en kan niet worden gelezen"),
        ("foto.png", huge_png(9000, 9000), "te groot en kan niet worden gelezen"),
        ("leeg.jpg", b"", "leeg"),
    ],
    ids=["text-as-jpeg", "pdf", "bomb-30000", "over-the-pixel-bound", "empty"],
)
def test_bad_photos_are_refused_in_dutch(client, owner, settings, name, content, phrase):
    settings.KPO_UPLOAD_MAX_IMAGE_PIXELS = 50_000_000
    client.force_login(owner)
    response = _upload(client, content, name=name)
    assert response.status_code == 400
    assert phrase in response.content.decode()
    profile = Profile.objects.get(user=owner)
    assert not profile.photo and profile.photo_variants == {}


def test_photo_pixel_bound_and_minimum_size(client, owner, settings):
    client.force_login(owner)
    settings.KPO_PROFILE_PHOTO_MAX_PIXELS = 10_000
    response = _upload(client, camera_jpeg())
    assert response.status_code == 400 and "te veel beeldpunten" in response.content.decode()
    settings.KPO_PROFILE_PHOTO_MAX_PIXELS = 40_000_000
    tiny = io.BytesIO()
    Image.new("RGB", (20, 20), RED).save(tiny, "PNG")
    response = _upload(client, tiny.getvalue(), name="klein.png")
    assert response.status_code == 400 and "te klein" in response.content.decode()


def test_replacing_and_removing_delete_the_old_files(
    client, owner, django_capture_on_commit_callbacks
):
    storage = Profile._meta.get_field("photo").storage
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, camera_jpeg())
    first = Profile.objects.get(user=owner)
    old = [first.photo.name, *first.photo_variants.values()]
    assert all(storage.exists(name) for name in old)
    png = io.BytesIO()
    Image.new("RGBA", (120, 90), (0, 0, 0, 0)).save(png, "PNG")
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, png.getvalue(), name="logo.png").status_code == 302
    second = Profile.objects.get(user=owner)
    assert not any(storage.exists(name) for name in old)
    # Transparency became white.
    with storage.open(second.photo.name) as handle:
        assert min(Image.open(handle).convert("RGB").getpixel((5, 5))) > 245
    current = [second.photo.name, *second.photo_variants.values()]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:profile_photo"), {"remove": "1"}).status_code == 302
    assert not any(storage.exists(name) for name in current)
    assert not Profile.objects.get(user=owner).photo


def test_deleting_the_account_deletes_the_photo(client, owner, django_capture_on_commit_callbacks):
    from kpo.privacy.services import account_delete

    storage = Profile._meta.get_field("photo").storage
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, camera_jpeg())
    profile = Profile.objects.get(user=owner)
    names = [profile.photo.name, *profile.photo_variants.values()]
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=owner, remove_posts=False)
    assert not any(storage.exists(name) for name in names)
