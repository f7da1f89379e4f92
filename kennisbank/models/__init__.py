"""Kennisbank models: ``from kennisbank.models import KnowledgeDocumentPage`` etc.

Dependency direction: ``documents`` (pages, snippets, attachments) ← ``workflow`` (the custom
Wagtail task), ``board`` (the quorum task, votes and decision records), ``freshness`` and
``requests`` (kennisvragen).
None imports services, selectors or tasks at module level.
"""

from kennisbank.models.board import (
    BoardDecision,
    BoardDecisionTask,
    BoardVote,
    DecisionOutcome,
    VoteChoice,
)
from kennisbank.models.documents import (
    AttachmentInfo,
    DocumentCitation,
    DocumentType,
    KennisbankIndexPage,
    KnowledgeDocumentAttachment,
    KnowledgeDocumentPage,
    ReviewStatus,
)
from kennisbank.models.freshness import FreshnessSnapshot
from kennisbank.models.requests import KnowledgeRequest, KnowledgeRequestAnswer
from kennisbank.models.workflow import ThemeAmbassadorTask

__all__ = [
    "AttachmentInfo",
    "BoardDecision",
    "BoardDecisionTask",
    "BoardVote",
    "DecisionOutcome",
    "VoteChoice",
    "DocumentCitation",
    "DocumentType",
    "FreshnessSnapshot",
    "KennisbankIndexPage",
    "KnowledgeDocumentAttachment",
    "KnowledgeDocumentPage",
    "KnowledgeRequest",
    "KnowledgeRequestAnswer",
    "ReviewStatus",
    "ThemeAmbassadorTask",
]
