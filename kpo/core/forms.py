"""Forms the core lends to Wagtail's admin."""

from __future__ import annotations

from io import BytesIO

import willow
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.images.forms import BaseImageForm

from kpo.core.uploads import IMAGE_KINDS, filename_clean, image_reencode

_WILLOW_KINDS = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}


class CleanImageForm(BaseImageForm):
    """Base of Wagtail's image forms (``WAGTAILIMAGES_IMAGE_FORM_BASE``): after Wagtail's own
    checks the image is re-encoded, so EXIF/GPS and anything appended never reach storage.
    Formats we cannot re-encode losslessly in meaning (SVG, HEIC, AVIF …) are refused."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded or "file" not in self.changed_data or not hasattr(uploaded, "read"):
            return uploaded
        image_format = getattr(getattr(uploaded, "image", None), "format_name", "")
        kind = _WILLOW_KINDS.get(image_format)
        if kind not in IMAGE_KINDS:
            raise ValidationError(
                _("Alleen PNG, JPEG, GIF en WebP kunnen worden geüpload."), code="image_format"
            )
        name = filename_clean(uploaded.name)
        clean = image_reencode(uploaded, kind=kind, name=name)
        clean.image = willow.Image.open(BytesIO(clean.read()))
        clean.content_type = clean.image.mime_type
        clean.seek(0)
        return clean
