"""The kennisbank's side of a law change (ADR 0026), declared on ``KennisbankConfig.cites_law``
and called by ``kpo.law.services.law_change_apply`` for each live document that cites it."""

from __future__ import annotations

from typing import Any

from wagtail.log_actions import log

from kennisbank.models import KnowledgeDocumentPage, ReviewStatus
from kennisbank.selectors import document_responsible
from kennisbank.services.review import review_state_set
from kennisbank.services.workflows import (
    LOG_REVIEW_STATUS,
    REVIEW_WORKFLOW,
    document_active_workflow_state,
    workflow_get,
)

LOG_LAW_CHANGE = "kennisbank.law_change"


def document_law_reassessment_open(*, page: KnowledgeDocumentPage, law_change: Any) -> None:
    """A cited law changed: "herbeoordeling nodig" and the "Herbeoordeling" workflow (the same
    re-assessment as the cycle's). A review already running is the re-review: none is added."""
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    if page.review_status == ReviewStatus.CURRENT:
        review_state_set(page, review_status=ReviewStatus.REVIEW_NEEDED)
        log(instance=page, action=LOG_REVIEW_STATUS, data={"status": ReviewStatus.REVIEW_NEEDED})
    if document_active_workflow_state(page) is None:
        workflow_get(REVIEW_WORKFLOW).start(page, None)
    log(
        instance=page,
        action=LOG_LAW_CHANGE,
        data={"law_change": str(law_change), "effective_date": str(law_change.effective_date)},
    )


def document_law_responsible(*, page: KnowledgeDocumentPage) -> list[Any]:
    """The owner, or the theme's ambassadors when the owner left (ADR 0017)."""
    return document_responsible(page=page)
