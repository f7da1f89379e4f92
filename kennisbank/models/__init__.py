"""Kennisbank models: ``from kennisbank.models import KnowledgeDocumentPage`` etc.

Dependency direction: ``documents`` (pages, snippets, attachments) ← ``workflow`` (the custom
Wagtail task). Neither imports services, selectors or tasks at module level.
"""

from kennisbank.models.documents import (
    AttachmentInfo,
    DocumentType,
    KennisbankIndexPage,
    KnowledgeDocumentAttachment,
    KnowledgeDocumentPage,
    ReviewStatus,
)
from kennisbank.models.workflow import ThemeAmbassadorTask

__all__ = [
    "AttachmentInfo",
    "DocumentType",
    "KennisbankIndexPage",
    "KnowledgeDocumentAttachment",
    "KnowledgeDocumentPage",
    "ReviewStatus",
    "ThemeAmbassadorTask",
]
