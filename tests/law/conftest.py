"""Fixtures of the law tests: live documents and courses that cite law, jurists, owners."""

from __future__ import annotations

import pytest
from django.utils import timezone

from academie.models import CourseCitation, CoursePage
from kennisbank.models import (
    DocumentCitation,
    DocumentType,
    KennisbankIndexPage,
    KnowledgeDocumentPage,
)
from kpo.themes.models import Theme
from tests.academie.conftest import make_course
from tests.factories import UserFactory

BIBOB = "BWBR0013798"
WGS = "BWBR0005537"  # another law (Awb), for "not others"


@pytest.fixture
def law_theme(db):
    theme = Theme.objects.create(slug="testthema-wetgeving", title="Testthema wetgeving")
    theme.ambassadors.add(UserFactory(groups=["Ambassadeurs"]))
    return theme


@pytest.fixture
def jurist(db):
    return UserFactory(groups=["Juristen"])


def cite_document(
    *, title: str, citations: list[tuple[str, str]], theme: Theme, owner=None, live: bool = True
) -> KnowledgeDocumentPage:
    """A knowledge document citing ``citations`` ((identifier, article) pairs), published through
    the audited import path (or left a draft)."""
    from kennisbank.services import document_import_published

    today = timezone.localdate()
    page = KnowledgeDocumentPage(
        title=title,
        summary=f"Samenvatting van {title}",
        doc_type=DocumentType.objects.get(slug="factsheet"),
        year=2025,
        owner=owner,
        last_reviewed_at=today,
        live=False,
    )
    page.next_review_due = page.due_date_after(today)
    page.themes = [theme]
    page.citations = [
        DocumentCitation(identifier=identifier, article=article, label="Testwet")
        for identifier, article in citations
    ]
    KennisbankIndexPage.objects.get().add_child(instance=page)
    if not live:
        return KnowledgeDocumentPage.objects.get(pk=page.pk)
    return document_import_published(page=page)


def cite_course(*, slug: str, citations: list[tuple[str, str]], owner=None) -> CoursePage:
    """A live course (two lessons, two questions) citing ``citations``."""
    course = make_course(slug=slug)
    course.citations = [
        CourseCitation(identifier=identifier, article=article) for identifier, article in citations
    ]
    if owner is not None:
        course.owner = owner
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)
