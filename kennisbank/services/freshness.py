"""Freshness the board can steer: who answers for a document, the daily snapshot, and the
one-click re-assessment from the freshness dashboard."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from kennisbank.models import FreshnessSnapshot, KnowledgeDocumentPage, ReviewStatus
from kennisbank.services.review import review_state_set
from kennisbank.services.workflows import (
    LOG_REVIEW_STATUS,
    REVIEW_WORKFLOW,
    document_active_workflow_state,
    workflow_get,
)
from kpo.core.access import has_staff_role

LOG_REASSESSMENT_STARTED = "kennisbank.reassessment_started"


def freshness_snapshot_record(*, today: datetime.date | None = None) -> int:
    """Record today's share "actueel" per theme (idempotent: a second run the same day updates
    the same rows). Returns the number of themes recorded."""
    from kpo.themes.models import Theme

    today = today or timezone.localdate()
    live = KnowledgeDocumentPage.objects.live().values("pk")
    rows = Theme.objects.annotate(
        total=Count("knowledge_documents", filter=Q(knowledge_documents__in=live), distinct=True),
        current=Count(
            "knowledge_documents",
            filter=Q(
                knowledge_documents__in=live,
                knowledge_documents__review_status=ReviewStatus.CURRENT,
            ),
            distinct=True,
        ),
    ).filter(total__gt=0)
    n = 0
    for theme in rows:
        FreshnessSnapshot.objects.update_or_create(
            date=today, theme=theme, defaults={"total": theme.total, "current": theme.current}
        )
        n += 1
    return n


@transaction.atomic
def document_reassessment_start(*, page: KnowledgeDocumentPage, user: Any) -> KnowledgeDocumentPage:
    """The board starts a re-assessment now ("herbeoordeling nodig" and the "Herbeoordeling"
    workflow), whatever the due date. Refused when a review workflow already runs."""
    if not has_staff_role(user, "redactieraad"):
        raise PermissionDenied(_("Alleen de Redactieraad kan een herbeoordeling starten."))
    page = KnowledgeDocumentPage.objects.select_for_update().get(pk=page.pk)
    if not page.live:
        raise ValidationError(_("Alleen een gepubliceerd document kan herbeoordeeld worden."))
    if document_active_workflow_state(page) is not None:
        raise ValidationError(_("Voor dit document loopt al een beoordeling."))
    if page.review_status == ReviewStatus.CURRENT:
        review_state_set(page, review_status=ReviewStatus.REVIEW_NEEDED)
        log(instance=page, action=LOG_REVIEW_STATUS, data={"status": ReviewStatus.REVIEW_NEEDED})
    workflow_get(REVIEW_WORKFLOW).start(page, user)
    log(instance=page, action=LOG_REASSESSMENT_STARTED, user=user, data={})
    return page
