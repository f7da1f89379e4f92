"""Who may read a file of the document library: a file used by a page is read as that page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from wagtail.models import Page, ReferenceIndex

from kennisbank.models import KnowledgeDocumentPage
from kennisbank.selectors.review import review_actions_for
from kpo.accounts.models import User
from kpo.core.access import filter_visible, has_staff_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from wagtail.documents.models import Document

    from kpo.accounts.models import User


# --- attachments -----------------------------------------------------------------------------


def _base_content_type(model: type[Model]) -> ContentType:
    """The content type of the model that holds the primary key (``Page`` for every page type),
    as Wagtail's reference index records it."""
    parents = model._meta.get_parent_list()
    return ContentType.objects.get_for_model(
        parents[-1] if parents else model, for_concrete_model=False
    )


def _pages_using_document(document_id: int) -> QuerySet[KnowledgeDocumentPage]:
    from wagtail.documents import get_document_model

    Document = get_document_model()
    referenced = ReferenceIndex.objects.filter(
        to_content_type=_base_content_type(Document),
        to_object_id=str(document_id),
        base_content_type=_base_content_type(Page),
    ).values_list("object_id", flat=True)
    return KnowledgeDocumentPage.objects.filter(
        Q(attachments__document_id=document_id) | Q(pk__in=[int(x) for x in referenced])
    ).distinct()


def document_is_kennisbank_file(*, document_id: int) -> bool:
    return _pages_using_document(document_id).exists()


def attachment_readable_by(*, user: User | AnonymousUser, document_id: int) -> bool:
    """May the user download this file? Yes when a live document that uses it is visible to
    them, when it belongs to their own submission, or when they review documents (board,
    ambassadors, editors) — reviewers need the file before publication."""
    pages = _pages_using_document(document_id)
    if filter_visible(pages.filter(live=True), user).exists():
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if pages.filter(owner=user).exists():
        return True
    if any(has_staff_role(user, role) for role in ("redactieraad", "ambassadeur", "editor")):
        return True
    return any(review_actions_for(user=user, page=page) for page in pages)


def attachment_get_for_user(*, user: User | AnonymousUser, document_id: int) -> Document | None:
    from wagtail.documents import get_document_model

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not attachment_readable_by(user=user, document_id=document_id):
        return None
    return document
