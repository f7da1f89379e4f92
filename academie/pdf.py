"""The certificate as a tagged, accessible PDF (PDF/UA-1), rendered by WeasyPrint from the HTML
template ``academie/pdf/certificate.html``: name, course, date and verification code.

* The text is set in Noto Sans, embedded in the file (vendored in ``academie/fonts`` with its
  licence), so any name renders and extracts as written: the PDF standard fonts only cover
  Latin-1 and turn "Ş", "Ł" or "ễ" into black boxes.
* PDF/UA-1 makes the file tagged (a structure tree from the HTML: heading, paragraphs, link;
  ``MarkInfo /Marked true``), with the document language (``lang="nl"``) and a title that viewers
  show instead of the file name. docs/decisions/0016.
* The renderer fetches nothing but the two font files: ``file:`` is the only protocol allowed,
  so no URL in the template (or in a name) can make the server request anything.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from academie.models import Certificate

FONT_DIR = Path(__file__).resolve().parent / "fonts"


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """Render one certificate. Pure: reads the certificate, writes nothing."""
    # Imported here: WeasyPrint loads pango when imported, which only this view needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from academie.selectors import certificate_verify_url

    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    html = render_to_string(
        "academie/pdf/certificate.html",
        {
            "certificate": certificate,
            "issued": timezone.localtime(certificate.issued_at).strftime("%d-%m-%Y"),
            "expires": timezone.localtime(certificate.expires_at).strftime("%d-%m-%Y")
            if certificate.expires_at
            else "",
            "verify_url": f"{base}{certificate_verify_url(code=certificate.code)}",
            "font_regular": (FONT_DIR / "NotoSans-Regular.ttf").as_uri(),
            "font_bold": (FONT_DIR / "NotoSans-Bold.ttf").as_uri(),
        },
    )
    document = HTML(
        string=html,
        base_url=FONT_DIR.as_uri() + "/",
        url_fetcher=URLFetcher(allowed_protocols={"file"}),
    )
    # Uncompressed: small anyway, and the verification code and URL stay findable in the file.
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=True)
