"""Writes of the kennisbank: submitting, reviewing, re-assessing and attachments.

Every function is keyword-only, atomic, and raises ``ValidationError``/``PermissionDenied`` with a
Dutch message on bad input; nothing is half-written. Index changes go through
``search.services.index_enqueue`` in the same transaction. Import from here:
``from kennisbank import services``; the modules depend on each other in this order:
``workflows`` ← ``attachments`` ← ``submission``; ``workflows`` ← ``review`` ← ``notifications``;
``board`` (the votes) ← ``submission`` ← ``knowledge`` (thread → document, kennisvragen);
``review`` ← ``law`` (ADR 0026).
"""

from kennisbank.services.attachments import (
    MAX_TEXT_CHARS,
    attachment_extract_text,
    attachment_register_download,
    attachment_store,
    attachments_needing_text,
    schedule_text_extraction,
)
from kennisbank.services.board import (
    board_quorum,
    board_vote_cast,
    revision_diff,
)
from kennisbank.services.freshness import (
    LOG_REASSESSMENT_STARTED,
    document_reassessment_start,
    freshness_snapshot_record,
)
from kennisbank.services.knowledge import (
    NOTIFY_KIND_REQUEST,
    knowledge_request_answer_link,
    knowledge_request_create,
    knowledge_requests_close_for,
    thread_knowledge_propose,
)
from kennisbank.services.law import (
    LOG_LAW_CHANGE,
    document_law_reassessment_open,
    document_law_responsible,
)
from kennisbank.services.notifications import (
    workflow_finished,
    workflow_task_finished,
    workflow_task_started,
)
from kennisbank.services.publication import (
    can_emergency_publish,
    document_emergency_publish,
    document_import_published,
)
from kennisbank.services.review import (
    document_ambassadors,
    document_confirm_current,
    document_review_completed,
    document_review_cycle,
)
from kennisbank.services.submission import (
    document_resubmit,
    document_review_action,
    document_submit,
)
from kennisbank.services.workflows import (
    AMBASSADOR_TASK,
    BOARD_GROUP,
    BOARD_TASK,
    LOG_CONFIRM_CURRENT,
    LOG_REVIEW_STATUS,
    NOTIFY_KIND_REVIEW,
    NOTIFY_KIND_WORKFLOW,
    OUTDATED_AFTER_DAYS,
    REMIND_DAYS,
    REVIEW_WORKFLOW,
    SUBMISSION_WORKFLOW,
    document_active_workflow_state,
    workflows_ensure,
)

__all__ = [
    "NOTIFY_KIND_REQUEST",
    "knowledge_request_answer_link",
    "knowledge_request_create",
    "knowledge_requests_close_for",
    "thread_knowledge_propose",
    "can_emergency_publish",
    "document_emergency_publish",
    "document_import_published",
    "AMBASSADOR_TASK",
    "BOARD_GROUP",
    "BOARD_TASK",
    "LOG_CONFIRM_CURRENT",
    "LOG_REVIEW_STATUS",
    "MAX_TEXT_CHARS",
    "NOTIFY_KIND_REVIEW",
    "NOTIFY_KIND_WORKFLOW",
    "OUTDATED_AFTER_DAYS",
    "REMIND_DAYS",
    "REVIEW_WORKFLOW",
    "SUBMISSION_WORKFLOW",
    "LOG_REASSESSMENT_STARTED",
    "LOG_LAW_CHANGE",
    "document_law_reassessment_open",
    "document_law_responsible",
    "attachment_extract_text",
    "document_reassessment_start",
    "freshness_snapshot_record",
    "board_quorum",
    "board_vote_cast",
    "revision_diff",
    "attachment_register_download",
    "attachment_store",
    "attachments_needing_text",
    "document_active_workflow_state",
    "document_ambassadors",
    "document_confirm_current",
    "document_resubmit",
    "document_review_action",
    "document_review_completed",
    "document_review_cycle",
    "document_submit",
    "schedule_text_extraction",
    "workflow_finished",
    "workflow_task_finished",
    "workflow_task_started",
    "workflows_ensure",
]
