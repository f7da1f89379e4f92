"""The re-assessment cycle and the board's "actueel bevestigd"."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from kennisbank.models import (
    KnowledgeDocumentPage,
    ReviewStatus,
)
from kennisbank.services.workflows import (
    LOG_CONFIRM_CURRENT,
    LOG_REVIEW_STATUS,
    NOTIFY_KIND_REVIEW,
    OUTDATED_AFTER_DAYS,
    REMIND_DAYS,
    REVIEW_WORKFLOW,
    document_active_workflow_state,
    page_admin_url,
    workflow_get,
)
from kpo.core.access import has_staff_role
from kpo.law.services import law_reassessments_resolve
from kpo.notifications.services import notify
from search.services import index_enqueue

if TYPE_CHECKING:
    from kpo.accounts.models import User

# --- re-assessment ---------------------------------------------------------------------------


def review_state_set(page: KnowledgeDocumentPage, **values: Any) -> None:
    """Write page-wide review state without touching revisions, and re-index."""
    KnowledgeDocumentPage.objects.filter(pk=page.pk).update(**values)
    for name, value in values.items():
        setattr(page, name, value)
    if page.live:
        index_enqueue(page)


@transaction.atomic
def document_review_completed(
    *, page: KnowledgeDocumentPage, today: datetime.date | None = None
) -> None:
    """A (re-)review approved the document: reviewed today, next review after the interval;
    re-assessments a law change opened are closed (ADR 0026)."""
    today = today or timezone.localdate()
    review_state_set(
        page,
        last_reviewed_at=today,
        next_review_due=page.due_date_after(today),
        review_status=ReviewStatus.CURRENT,
        review_reminder_sent_for=None,
    )
    law_reassessments_resolve(page_id=page.pk)


@transaction.atomic
def document_confirm_current(*, page: KnowledgeDocumentPage, user: User) -> KnowledgeDocumentPage:
    """The board confirms the document is still current without editing it ("actueel
    bevestigd"): resets the clock, ends a running "Herbeoordeling", and is logged."""
    if not has_staff_role(user, "redactieraad"):
        raise PermissionDenied(_("Alleen de Redactieraad kan een document actueel bevestigen."))
    today = timezone.localdate()
    state = document_active_workflow_state(page)
    if state is not None and state.workflow.name == REVIEW_WORKFLOW:
        state.cancel(user=user)
    document_review_completed(page=page, today=today)
    log(
        instance=page,
        action=LOG_CONFIRM_CURRENT,
        user=user,
        data={"next_review_due": page.next_review_due.isoformat()},
    )
    return page


def document_ambassadors(page: KnowledgeDocumentPage) -> list[User]:
    from kpo.accounts.models import User

    return list(User.objects.filter(is_active=True, ambassador_of__in=page.themes.all()).distinct())


def document_review_cycle(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily re-assessment step (idempotent; safe to run more than once a day).

    * due within 30 days → owner and ambassadors are notified once per due date;
    * due (on or after ``next_review_due``) → "herbeoordeling nodig" and the "Herbeoordeling"
      workflow starts;
    * more than 90 days overdue → "verouderd".
    """
    today = today or timezone.localdate()
    counts = {"reminded": 0, "review_needed": 0, "outdated": 0}
    live = (
        KnowledgeDocumentPage.objects.live()
        .filter(next_review_due__isnull=False)
        .select_related("doc_type", "owner")
    )
    # documents published directly in the admin (no workflow) start their clock at publication
    for page in KnowledgeDocumentPage.objects.live().filter(next_review_due__isnull=True):
        with transaction.atomic():
            reviewed = page.last_reviewed_at or timezone.localdate(page.last_published_at)
            review_state_set(
                page, last_reviewed_at=reviewed, next_review_due=page.due_date_after(reviewed)
            )
    outdated_before = today - datetime.timedelta(days=OUTDATED_AFTER_DAYS)
    for page in live.filter(next_review_due__lt=outdated_before).exclude(
        review_status=ReviewStatus.OUTDATED
    ):
        with transaction.atomic():
            _mark_review_needed(page)
            review_state_set(page, review_status=ReviewStatus.OUTDATED)
            log(instance=page, action=LOG_REVIEW_STATUS, data={"status": ReviewStatus.OUTDATED})
            counts["outdated"] += 1
    for page in live.filter(next_review_due__lte=today, review_status=ReviewStatus.CURRENT):
        with transaction.atomic():
            _mark_review_needed(page)
            counts["review_needed"] += 1
    window_end = today + datetime.timedelta(days=REMIND_DAYS)
    for page in live.filter(next_review_due__gt=today, next_review_due__lte=window_end):
        if page.review_reminder_sent_for == page.next_review_due:
            continue
        with transaction.atomic():
            recipients = [u for u in [page.owner, *document_ambassadors(page)] if u is not None]
            notify(
                recipients=recipients,
                kind=NOTIFY_KIND_REVIEW,
                title=_("Herbeoordeling binnenkort: %(title)s") % {"title": page.title},
                body=_("Dit kennisdocument moet uiterlijk %(date)s opnieuw beoordeeld worden.")
                % {"date": page.next_review_due.strftime("%d-%m-%Y")},
                url=page_admin_url(page),
                key=f"kennisbank-review-due:{page.pk}:{page.next_review_due.isoformat()}",
            )
            KnowledgeDocumentPage.objects.filter(pk=page.pk).update(
                review_reminder_sent_for=page.next_review_due
            )
            counts["reminded"] += 1
    return counts


def _mark_review_needed(page: KnowledgeDocumentPage) -> None:
    if page.review_status == ReviewStatus.CURRENT:
        review_state_set(page, review_status=ReviewStatus.REVIEW_NEEDED)
        log(instance=page, action=LOG_REVIEW_STATUS, data={"status": ReviewStatus.REVIEW_NEEDED})
    if document_active_workflow_state(page) is None:
        workflow_get(REVIEW_WORKFLOW).start(page, None)
