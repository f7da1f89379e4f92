"""Profile photos: from an upload to a few clean, square files (docs/decisions/0031).

The upload first passes the platform's one upload check (``kpo.core.uploads.upload_check``:
size, type by content, pixel bound). Then the photo is decoded here with Pillow under its own,
stricter bounds (bytes, pixels, the decompression-bomb warning as an error), turned upright by its
EXIF orientation, flattened to RGB, cropped to a square and written anew in each size of
``KPO_PROFILE_PHOTO_SIZES`` as WebP and the largest also as JPEG. Nothing of the original file
survives: no EXIF (GPS, camera, author), no XMP, no ICC profile, no comment, no trailing bytes.

Pure: nothing here writes to storage or the database (``kpo.accounts.services`` does).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kpo.core.uploads import upload_check

PHOTO_KINDS = ("jpg", "png", "webp")


@dataclass(frozen=True)
class ProcessedPhoto:
    """The encoded files: ``jpeg`` (largest size) and ``webp`` per size."""

    jpeg: bytes
    webp: dict[int, bytes]


def photo_sizes() -> tuple[int, ...]:
    return tuple(sorted(int(s) for s in settings.KPO_PROFILE_PHOTO_SIZES))


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def photo_process(*, uploaded) -> ProcessedPhoto:
    """Check and re-encode an uploaded photo; raises ``ValidationError`` (Dutch, with a code)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = getattr(uploaded, "size", None) or 0
    max_bytes = int(settings.KPO_PROFILE_PHOTO_MAX_BYTES)
    if size > max_bytes:
        raise _refuse(
            _("De foto is te groot (%(size)s); het maximum is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            "too_large",
        )
    try:
        upload_check(uploaded=uploaded, allowed=PHOTO_KINDS)
    except ValidationError as exc:
        if exc.code == "type_not_allowed":
            raise _refuse(
                _("Kies een foto in JPEG-, PNG- of WebP-formaat."), "type_not_allowed"
            ) from exc
        raise
    max_pixels = int(settings.KPO_PROFILE_PHOTO_MAX_PIXELS)
    min_side = int(settings.KPO_PROFILE_PHOTO_MIN_SIDE)
    unreadable = _refuse(
        _("De foto is beschadigd of te groot en kan niet worden gelezen."), "bad_image"
    )
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own bound and only raises at twice that; here both refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                if image.width * image.height > max_pixels:
                    raise _refuse(
                        _(
                            "De foto heeft te veel beeldpunten (%(width)s × %(height)s). Kies "
                            "een kleinere foto."
                        )
                        % {"width": image.width, "height": image.height},
                        "too_many_pixels",
                    )
                if min(image.width, image.height) < min_side:
                    raise _refuse(
                        _("De foto is te klein; kies er een van minstens %(side)s beeldpunten.")
                        % {"side": min_side},
                        "too_small",
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
                flat = _flatten(upright)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise unreadable from exc
    finally:
        uploaded.seek(0)
    return _encode(flat)


def _flatten(image):
    """RGB without transparency (transparent parts become white)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def _encode(image) -> ProcessedPhoto:
    """Square crops in every size; ``save`` gets no ``exif``, ``icc_profile`` or ``xmp``, so the
    files carry none."""
    from PIL import Image, ImageOps

    sizes = photo_sizes()
    webp: dict[int, bytes] = {}
    jpeg = b""
    for side in sizes:
        square = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
        out = io.BytesIO()
        square.save(out, format="WEBP", quality=85, method=4)
        webp[side] = out.getvalue()
        if side == sizes[-1]:
            out = io.BytesIO()
            square.save(out, format="JPEG", quality=85, optimize=True)
            jpeg = out.getvalue()
    return ProcessedPhoto(jpeg=jpeg, webp=webp)
