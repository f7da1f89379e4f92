"""The certificate as a PDF (reportlab): name, course, date and verification code."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from academie.models import Certificate


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """Render one certificate. Pure: reads the certificate, writes nothing."""
    buffer = BytesIO()
    width, height = landscape(A4)
    # Uncompressed page content: small anyway, and the code stays findable in the raw file.
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=0)
    pdf.setTitle(f"Certificaat {certificate.course_title}")
    pdf.setSubject(f"Verificatiecode {certificate.code}")
    pdf.setAuthor("Ondermijningsacademie — Kennisplatform Ondermijning")
    pdf.setLineWidth(3)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 5 * cm, "Certificaat")
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 6.5 * cm, "Ondermijningsacademie — RIEC-LIEC-netwerk")
    pdf.drawCentredString(width / 2, height - 8.5 * cm, "Hierbij verklaren wij dat")
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(width / 2, height - 10 * cm, certificate.learner_name)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(
        width / 2, height - 11.5 * cm, "de e-learning met goed gevolg heeft afgerond:"
    )
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(width / 2, height - 13 * cm, certificate.course_title[:90])
    issued = timezone.localtime(certificate.issued_at).strftime("%d-%m-%Y")
    pdf.setFont("Helvetica", 12)
    pdf.drawCentredString(width / 2, height - 14.5 * cm, f"Datum: {issued}")
    from academie.selectors import certificate_verify_url

    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    verify_url = f"{base}{certificate_verify_url(code=certificate.code)}"
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(width / 2, 3 * cm, f"Verificatiecode: {certificate.code}")
    pdf.drawCentredString(width / 2, 2.4 * cm, f"Controleer dit certificaat op {verify_url}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
