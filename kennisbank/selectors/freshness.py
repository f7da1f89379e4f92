"""Freshness: who is responsible for a document and the freshness dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from kennisbank.models import KnowledgeDocumentPage, ReviewStatus
from kennisbank.selectors.review import review_step_name

if TYPE_CHECKING:
    pass


# --- freshness (ADR 0017) ----------------------------------------------------------------------


def document_responsible(*, page: KnowledgeDocumentPage) -> list[Any]:
    """Who answers for the document: its owner while that account is active; when the owner
    left (deactivated, deleted), the ambassadors of the document's themes."""
    from kpo.accounts.models import User

    owner = page.owner
    if owner is not None and owner.is_active:
        return [owner]
    return list(
        User.objects.filter(is_active=True, ambassador_of__in=page.themes.all())
        .distinct()
        .order_by("pk")
    )


def freshness_dashboard(*, today: Any = None, most_read: int = 10) -> dict[str, Any]:
    """The board's freshness figures on ``today`` (a date):

    * ``per_theme``: live documents, how many "actueel", the share and whether it meets
      ``KPO_FRESHNESS_TARGET``;
    * ``history``: the recorded daily share per theme (``FreshnessSnapshot``), oldest first;
    * ``not_current``: live documents not "actueel", most downloaded first (the platform counts
      attachment downloads, not page views), with the days past their review date;
    * ``waiting_per_ambassador``: running ambassador steps each reviewer could act on.
    """
    from django.conf import settings

    from kennisbank.models import FreshnessSnapshot, ThemeAmbassadorTask
    from kpo.themes.models import Theme

    today = today or timezone.localdate()
    target = float(getattr(settings, "KPO_FRESHNESS_TARGET", 0.8))
    live = KnowledgeDocumentPage.objects.live()
    live_pks = live.values("pk")
    themes = (
        Theme.objects.annotate(
            total=Count(
                "knowledge_documents", filter=Q(knowledge_documents__in=live_pks), distinct=True
            ),
            current=Count(
                "knowledge_documents",
                filter=Q(
                    knowledge_documents__in=live_pks,
                    knowledge_documents__review_status=ReviewStatus.CURRENT,
                ),
                distinct=True,
            ),
        )
        .filter(total__gt=0)
        .order_by("title")
    )
    per_theme = [
        {
            "theme": t,
            "total": t.total,
            "current": t.current,
            "share": round(t.current / t.total, 3),
            "meets_target": t.current / t.total >= target,
        }
        for t in themes
    ]
    history: dict[str, list[tuple[Any, float]]] = {}
    for snap in FreshnessSnapshot.objects.filter(date__lte=today).select_related("theme"):
        if snap.total:
            history.setdefault(snap.theme.title, []).append(
                (snap.date, round(snap.current / snap.total, 3))
            )
    from kennisbank.models import AttachmentInfo

    not_current = []
    for page in live.exclude(review_status=ReviewStatus.CURRENT).select_related("owner"):
        downloads = (
            AttachmentInfo.objects.filter(
                document__in=page.attachments.values("document")
            ).aggregate(n=Sum("download_count"))["n"]
            or 0
        )
        days = (today - page.next_review_due).days if page.next_review_due else 0
        not_current.append(
            {
                "page": page,
                "downloads": downloads,
                "days_past_due": max(days, 0),
                "status": ReviewStatus(page.review_status).label,
                "in_review": review_step_name(page=page),
                "responsible": document_responsible(page=page),
            }
        )
    not_current.sort(key=lambda row: (-row["downloads"], -row["days_past_due"], row["page"].title))
    waiting: dict[Any, int] = {}
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__in=ThemeAmbassadorTask.objects.all(),
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
    ).select_related("workflow_state", "task")
    for state in states:
        task = state.task.specific
        for reviewer in task.reviewers_for(state.workflow_state.content_object):
            waiting[reviewer] = waiting.get(reviewer, 0) + 1
    from kpo.themes.selectors import theme_pages_due

    return {
        "theme_pages_due": theme_pages_due(today=today),
        "target": target,
        "per_theme": per_theme,
        "overall_share": round(
            sum(r["current"] for r in per_theme) / max(1, sum(r["total"] for r in per_theme)), 3
        )
        if per_theme
        else None,
        "history": history,
        "not_current": not_current[:most_read],
        "waiting_per_ambassador": sorted(
            ((user, n) for user, n in waiting.items()), key=lambda item: (-item[1], item[0].pk)
        ),
    }
