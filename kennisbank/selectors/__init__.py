"""Reads of the kennisbank, always through the access rule (``kpo.core.access``).
One module per topic (documents, files, review, board, freshness, knowledge); this package
re-exports every read so ``from kennisbank.selectors import x`` keeps working.
"""

from __future__ import annotations

from kennisbank.selectors.board import (
    LOG_PUBLISH_WITHOUT_REVIEW,
    board_decision_list_for_user,
    board_pending_votes,
    board_vote_of,
    can_see_board_decisions,
    revision_publication_approved,
)
from kennisbank.selectors.documents import (
    DEFAULT_SORT,
    INDEX_PAGE_SIZE,
    SORTS,
    document_filter_options,
    document_filter_options_cached,
    document_get_for_user,
    document_index_for_user,
    document_list_for_user,
    kennisbank_index_page,
    theme_section,
    zero_result_overview,
)
from kennisbank.selectors.files import (
    attachment_get_for_user,
    attachment_readable_by,
    document_is_kennisbank_file,
)
from kennisbank.selectors.freshness import document_responsible, freshness_dashboard
from kennisbank.selectors.knowledge import (
    ambassador_list,
    can_see_knowledge_requests,
    can_see_knowledge_requests_board,
    expertise_evidence,
    knowledge_request_list,
    knowledge_request_open_list,
    knowledge_request_readable_answers,
    thread_knowledge_credit,
)
from kennisbank.selectors.review import (
    ReviewBadge,
    Submission,
    document_review_badge,
    review_actions_for,
    review_badge_text,
    review_dashboard,
    review_queue_for_user,
    review_step_is_board,
    review_step_name,
    submission_detail_for_user,
    submission_get_for_user,
    submission_list_for_user,
    task_reviewers,
)

__all__ = [
    "SORTS",
    "DEFAULT_SORT",
    "INDEX_PAGE_SIZE",
    "document_index_for_user",
    "kennisbank_index_page",
    "document_list_for_user",
    "document_get_for_user",
    "document_filter_options",
    "document_filter_options_cached",
    "theme_section",
    "document_is_kennisbank_file",
    "attachment_readable_by",
    "review_actions_for",
    "task_reviewers",
    "review_queue_for_user",
    "attachment_get_for_user",
    "Submission",
    "submission_list_for_user",
    "submission_detail_for_user",
    "submission_get_for_user",
    "review_dashboard",
    "LOG_PUBLISH_WITHOUT_REVIEW",
    "revision_publication_approved",
    "board_vote_of",
    "can_see_board_decisions",
    "board_decision_list_for_user",
    "board_pending_votes",
    "ReviewBadge",
    "document_review_badge",
    "review_step_is_board",
    "review_badge_text",
    "document_responsible",
    "freshness_dashboard",
    "review_step_name",
    "expertise_evidence",
    "thread_knowledge_credit",
    "can_see_knowledge_requests_board",
    "can_see_knowledge_requests",
    "ambassador_list",
    "knowledge_request_list",
    "knowledge_request_readable_answers",
    "knowledge_request_open_list",
    "zero_result_overview",
]
