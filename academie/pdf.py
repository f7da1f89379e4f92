"""The certificate as a PDF (reportlab): name, course, date and verification code.

The text is set in Noto Sans, embedded in the file (vendored in ``academie/fonts`` with its
licence), so any name renders and extracts as written: the PDF standard fonts only cover
Latin-1 and turn "Ş", "Ł" or "ễ" into black boxes.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from academie.models import Certificate

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "NotoSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "NotoSans-Bold.ttf")))


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """Render one certificate. Pure: reads the certificate, writes nothing."""
    _register_fonts()
    buffer = BytesIO()
    width, height = landscape(A4)
    # Uncompressed page content: small anyway, and the code stays findable in the raw file.
    pdf = canvas.Canvas(
        buffer,
        pagesize=(width, height),
        pageCompression=0,
        lang="nl-NL",
        initialFontName=REGULAR,  # type: ignore[arg-type]  # types-reportlab: a font name is a str
        initialFontSize=12,
    )
    pdf.setTitle(f"Certificaat {certificate.course_title}")
    pdf.setSubject(f"Verificatiecode {certificate.code}")
    pdf.setAuthor("Ondermijningsacademie — Kennisplatform Ondermijning")
    pdf.setLineWidth(3)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)
    pdf.setFont(BOLD, 30)
    pdf.drawCentredString(width / 2, height - 5 * cm, "Certificaat")
    pdf.setFont(REGULAR, 14)
    pdf.drawCentredString(width / 2, height - 6.5 * cm, "Ondermijningsacademie — RIEC-LIEC-netwerk")
    pdf.drawCentredString(width / 2, height - 8.5 * cm, "Hierbij verklaren wij dat")
    pdf.setFont(BOLD, 22)
    pdf.drawCentredString(width / 2, height - 10 * cm, certificate.learner_name)
    pdf.setFont(REGULAR, 14)
    pdf.drawCentredString(
        width / 2, height - 11.5 * cm, "de e-learning met goed gevolg heeft afgerond:"
    )
    pdf.setFont(BOLD, 16)
    pdf.drawCentredString(width / 2, height - 13 * cm, certificate.course_title[:90])
    issued = timezone.localtime(certificate.issued_at).strftime("%d-%m-%Y")
    pdf.setFont(REGULAR, 12)
    pdf.drawCentredString(width / 2, height - 14.5 * cm, f"Datum: {issued}")
    from academie.selectors import certificate_verify_url

    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    verify_url = f"{base}{certificate_verify_url(code=certificate.code)}"
    pdf.setFont(REGULAR, 10)
    pdf.drawCentredString(width / 2, 3 * cm, f"Verificatiecode: {certificate.code}")
    pdf.drawCentredString(width / 2, 2.4 * cm, f"Controleer dit certificaat op {verify_url}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
