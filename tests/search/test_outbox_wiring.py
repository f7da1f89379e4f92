"""Index-on-publish is wired once (``search.signal_handlers``): a publish writes one outbox row,
an unpublish or delete writes one delete row, for every searchable page type; and a transaction
schedules one outbox drain however many rows it writes."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from kennisbank.models import DocumentType, KennisbankIndexPage, KnowledgeDocumentPage
from kpo.themes.models import Theme
from search.models import SearchOutbox
from search.registry import doc_id_for
from search.services import AfterCommit, index_enqueue
from tests.academie.conftest import make_course

pytestmark = pytest.mark.django_db


def _rows(page) -> list[str]:
    return list(
        SearchOutbox.objects.filter(doc_id=doc_id_for(page))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def _live_document() -> KnowledgeDocumentPage:
    from kennisbank.services import document_import_published

    reviewed = timezone.localdate()
    page = KnowledgeDocumentPage(
        title="Bedradingsdocument",
        summary="Samenvatting",
        doc_type=DocumentType.objects.get(slug="factsheet"),
        year=2025,
        last_reviewed_at=reviewed,
    )
    page.next_review_due = page.due_date_after(reviewed)
    page.themes = [Theme.objects.get(slug="vastgoed")]
    KennisbankIndexPage.objects.get().add_child(instance=page)
    SearchOutbox.objects.all().delete()
    return document_import_published(page=page)


def test_publishing_a_document_writes_one_index_row_and_unpublishing_one_delete_row():
    page = _live_document()
    assert _rows(page) == [SearchOutbox.Action.INDEX]

    SearchOutbox.objects.all().delete()
    page.unpublish()
    assert _rows(page) == [SearchOutbox.Action.DELETE]


def test_deleting_a_document_writes_one_delete_row():
    page = _live_document()
    SearchOutbox.objects.all().delete()
    KnowledgeDocumentPage.objects.get(pk=page.pk).delete()
    assert _rows(page) == [SearchOutbox.Action.DELETE]


def test_publishing_a_course_writes_one_index_row_and_unpublishing_one_delete_row():
    course = make_course(slug="bedrading", publish=False)
    SearchOutbox.objects.all().delete()
    course.get_latest_revision().publish()
    assert _rows(course) == [SearchOutbox.Action.INDEX]

    SearchOutbox.objects.all().delete()
    course.refresh_from_db()
    course.unpublish()
    assert _rows(course) == [SearchOutbox.Action.DELETE]


def _drains(callbacks) -> int:
    return sum(1 for func in callbacks if isinstance(func, AfterCommit))


def test_one_drain_per_transaction_however_many_rows(django_capture_on_commit_callbacks):
    themes = list(Theme.objects.order_by("pk")[:3])
    assert len(themes) == 3
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for theme in themes:
            index_enqueue(theme)
    assert SearchOutbox.objects.filter(doc_id__in=[doc_id_for(t) for t in themes]).count() == 3
    assert _drains(callbacks) == 1


def test_a_rolled_back_savepoint_does_not_cost_the_transaction_its_drain(
    django_capture_on_commit_callbacks,
):
    first, second = Theme.objects.order_by("pk")[:2]
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                index_enqueue(first)
                raise RuntimeError("roll back this savepoint")
        except RuntimeError:
            pass
        index_enqueue(second)
    assert not SearchOutbox.objects.filter(doc_id=doc_id_for(first)).exists()
    assert SearchOutbox.objects.filter(doc_id=doc_id_for(second)).count() == 1
    assert _drains(callbacks) == 1
