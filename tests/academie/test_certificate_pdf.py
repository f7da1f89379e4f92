"""Certificates render any name: the PDF embeds a Unicode font, so the extracted text of the
learner's name is the name itself (the PDF standard fonts turn Ş, Ł and ễ into boxes); and the
PDF is tagged and accessible (PDF/UA-1: structure tree, MarkInfo, language, title)."""

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
        assert "/ToUnicode" in font  # text extraction and screen readers get the characters
        # A composite (Type0) font keeps its descriptor on the descendant CID font.
        glyphs = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in glyphs["/FontDescriptor"]  # the TrueType program is in the file
        fonts.append(str(font["/BaseFont"]))
    # Only the embedded Noto Sans (subsets), no standard font left anywhere.
    assert fonts and all("NotoSans" in name.replace("-", "") for name in fonts), fonts
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert "Ondermijning — ‘basis’" in _lines(pdf)


@pytest.mark.parametrize(
    "name",
    ["Zoë Ðorđević-Müller", "Ærøskøbing Çelik", "Ἀλέξανδρος Κ.", "Ярослава Ковальчук"],
)
def test_other_scripts_extract_as_written(course, name):
    assert name in _lines(certificate_pdf(certificate=_certificate(course, name)))


def _structure_roles(node, roles: list[str]) -> list[str]:
    node = node.get_object()
    if hasattr(node, "get") and "/S" in node:
        roles.append(str(node["/S"]))
    kids = node.get("/K") if hasattr(node, "get") else None
    if kids is None:
        return roles
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and "/S" in kid:
            _structure_roles(kid, roles)
    return roles


def test_certificate_is_a_tagged_accessible_pdf(course):
    certificate = _certificate(course, NAME, title="Wet Bibob: de basis")
    pdf = certificate_pdf(certificate=certificate)
    reader = PdfReader(BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    roles = _structure_roles(root["/StructTreeRoot"], [])
    assert {"/H1", "/P", "/Link"} <= set(roles), roles
    assert root["/Lang"] == "nl"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata.title == "Certificaat Wet Bibob: de basis"
    assert f"Verificatiecode {certificate.code}" == reader.metadata.subject
    # PDF/UA identification in the XMP metadata
    assert b"pdfuaid:part" in pdf
    # the extracted text is the certificate, the name as written on its own line
    lines = _lines(pdf)
    assert lines[0] == "Certificaat"
    assert NAME in lines
