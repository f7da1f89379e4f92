"""The extraction sandbox: text of every accepted office format, and a hostile file ends in a
recorded failure of its own, within its budget."""

from __future__ import annotations

import io
import time

import pytest

from kpo.core.extraction import ExtractionFailed, text_extract


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Signalen"
    workbook.active.append(["Vastgoed", "witwassen via huurconstructies"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_bytes() -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Bestuurlijke aanpak"
    slide.placeholders[1].text = "Bibob-toets bij horeca"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Ondermijning in het buitengebied"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("kind", "make", "expected"),
    [
        ("xlsx", xlsx_bytes, ["Signalen", "witwassen via huurconstructies"]),
        ("pptx", pptx_bytes, ["Bestuurlijke aanpak", "Bibob-toets bij horeca"]),
        ("odt", odt_bytes, ["Ondermijning in het buitengebied"]),
    ],
)
def test_office_formats_are_extracted(kind, make, expected):
    text = text_extract(data=make(), kind=kind)
    for phrase in expected:
        assert phrase in text


def test_a_broken_file_is_an_error_of_its_own():
    with pytest.raises(ExtractionFailed) as excinfo:
        text_extract(data=b"PK\x03\x04 kapot", kind="xlsx")
    assert excinfo.value.reason == "error"


def test_the_memory_limit_ends_a_greedy_parse(settings):
    from tests.integration.test_extraction_faults import endless_docx

    settings.KPO_EXTRACTION_MEMORY_BYTES = 96 * 1024 * 1024
    settings.KPO_EXTRACTION_TIMEOUT_SECONDS = 60
    with pytest.raises(ExtractionFailed) as excinfo:
        text_extract(data=endless_docx(), kind="docx")
    assert excinfo.value.reason in {"limit", "error"}


def test_the_wall_clock_ends_a_slow_parse(settings):
    from tests.integration.test_extraction_faults import endless_docx

    settings.KPO_EXTRACTION_TIMEOUT_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(ExtractionFailed) as excinfo:
        text_extract(data=endless_docx(), kind="docx")
    assert excinfo.value.reason == "timeout"
    assert time.monotonic() - started < 10
