"""Certificates render any name: the PDF embeds a Unicode font, so the extracted text of the
learner's name is the name itself (the PDF standard fonts turn Ş, Ł and ễ into boxes)."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from academie.models import Certificate
from academie.pdf import certificate_pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAME = "Şahin Łukasz Nguyễn"


def _certificate(course, name: str, title: str | None = None) -> Certificate:
    return Certificate.objects.create(
        user=UserFactory(),
        course=course,
        learner_name=name,
        course_title=title or course.title,
    )


def _lines(pdf: bytes) -> list[str]:
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    return [line.strip() for line in reader.pages[0].extract_text().splitlines()]


def test_name_with_s_cedilla_l_stroke_and_vietnamese_extracts_as_written(course):
    pdf = certificate_pdf(certificate=_certificate(course, NAME))
    lines = _lines(pdf)
    assert NAME in lines, lines
    assert "■" not in "".join(lines)


def test_font_is_embedded_and_document_language_is_dutch(course):
    pdf = certificate_pdf(certificate=_certificate(course, NAME, title="Ondermijning — ‘basis’"))
    reader = PdfReader(BytesIO(pdf))
    fonts = []
    resources = reader.pages[0]["/Resources"]["/Font"]
    for ref in resources.values():
        font = ref.get_object()
        assert "/FontFile2" in font["/FontDescriptor"]  # the TrueType program is in the file
        assert "/ToUnicode" in font  # text extraction and screen readers get the characters
        fonts.append(str(font["/BaseFont"]))
    # Only the embedded Noto Sans (subsets), no standard font left anywhere.
    assert fonts and all("NotoSans" in name for name in fonts), fonts
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    assert "Ondermijning — ‘basis’" in _lines(pdf)


@pytest.mark.parametrize(
    "name",
    ["Zoë Ðorđević-Müller", "Ærøskøbing Çelik", "Ἀλέξανδρος Κ.", "Ярослава Ковальчук"],
)
def test_other_scripts_extract_as_written(course, name):
    assert name in _lines(certificate_pdf(certificate=_certificate(course, name)))
