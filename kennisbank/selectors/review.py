"""The review workflow as readers see it: who may act on a revision, the review queue, the
submissions, the review dashboard and the review badges."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, TaskState, WorkflowState

from kennisbank.models import KnowledgeDocumentPage, ReviewStatus, ThemeAmbassadorTask
from kpo.accounts.models import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User


def review_actions_for(*, user: User | AnonymousUser, page: KnowledgeDocumentPage) -> list[str]:
    """The workflow actions (``approve``/``reject``) the user may take on the page now."""
    state = (
        WorkflowState.objects.active()
        .filter(
            base_content_type=page.get_base_content_type(),
            object_id=str(page.pk),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        .select_related("current_task_state__task")
        .first()
    )
    if state is None or state.current_task_state is None:
        return []
    task = state.current_task_state.task.specific
    return sorted({name for name, _label, _form in task.get_actions(page, user)})


def task_reviewers(*, task_state: TaskState, page: KnowledgeDocumentPage) -> list[Any]:
    """Who may decide the workflow task: the ambassadors of the document's themes for the
    ambassador task, the members of its groups for a group approval task."""
    task = task_state.task.specific
    if isinstance(task, ThemeAmbassadorTask):
        return list(task.reviewers_for(page))
    if isinstance(task, AbstractGroupApprovalTask):
        return list(User.objects.filter(is_active=True, groups__in=task.groups.all()).distinct())
    return []


def review_queue_for_user(*, user: User | AnonymousUser) -> list[dict[str, Any]]:
    """Documents waiting for this user's review (front-end review page)."""
    if not getattr(user, "is_authenticated", False):
        return []
    states = (
        WorkflowState.objects.active()
        .filter(
            base_content_type=KnowledgeDocumentPage().get_base_content_type(),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        .select_related("current_task_state__task", "requested_by")
        .order_by("created_at")
    )
    queue = []
    pages = KnowledgeDocumentPage.objects.in_bulk([int(s.object_id) for s in states])
    for state in states:
        page = pages.get(int(state.object_id))
        if page is not None and review_actions_for(user=user, page=page):
            queue.append({"page": page, "state": state, "task": state.current_task_state.task})
    return queue


# --- contributions ---------------------------------------------------------------------------


@dataclass
class Submission:
    page: KnowledgeDocumentPage
    status: str
    can_edit: bool
    comments: list[dict[str, Any]] = field(default_factory=list)


def submission_list_for_user(*, user: User | AnonymousUser) -> list[Submission]:
    """The user's own documents with their review status and the reviewers' comments."""
    pages = KnowledgeDocumentPage.objects.filter(owner=user).order_by("-latest_revision_created_at")
    return [_submission(page) for page in pages]


def submission_detail_for_user(*, user: User, pk: int) -> Submission | None:
    """One of the user's own documents with its status and comments (None: not theirs)."""
    page = submission_get_for_user(user=user, pk=pk)
    return _submission(page) if page is not None else None


def _submission(page: KnowledgeDocumentPage) -> Submission:
    states = WorkflowState.objects.filter(
        base_content_type=page.get_base_content_type(), object_id=str(page.pk)
    ).order_by("-created_at")
    latest = states.select_related("current_task_state__task").first()
    status, can_edit = _submission_status(page, latest)
    comments = [
        {
            "task": ts.task.name,
            "status": ts.get_status_display(),
            "rejected": ts.status == TaskState.STATUS_REJECTED,
            "comment": ts.comment,
            "by": (ts.finished_by.get_full_name() or ts.finished_by.email)
            if ts.finished_by
            else "",
            "at": ts.finished_at,
        }
        for ts in TaskState.objects.filter(workflow_state__in=states)
        .exclude(comment="")
        .select_related("task", "finished_by")
        .order_by("-finished_at")
    ]
    return Submission(page=page, status=status, can_edit=can_edit, comments=comments)


def _submission_status(
    page: KnowledgeDocumentPage, state: WorkflowState | None
) -> tuple[str, bool]:
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        task = state.current_task_state.task.name if state.current_task_state else ""
        return f"In beoordeling: {task}", False
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task = state.current_task_state.task.name if state.current_task_state else ""
        return f"Wijzigingen gevraagd ({task})", True
    if page.live:
        return "Gepubliceerd", False
    if state is not None and state.status == WorkflowState.STATUS_CANCELLED:
        return "Ingetrokken", False
    return "Concept", False


def submission_get_for_user(*, user: User | AnonymousUser, pk: int) -> KnowledgeDocumentPage | None:
    return KnowledgeDocumentPage.objects.filter(owner=user, pk=pk).first()


# --- review dashboard ------------------------------------------------------------------------


def review_dashboard(*, today: date | None = None) -> dict[str, Any]:
    """Figures for the board: documents by status, overdue per theme, median days from
    submission to publication."""
    from kpo.themes.models import Theme

    today = today or timezone.localdate()
    live = KnowledgeDocumentPage.objects.live()
    by_status = {label: 0 for _value, label in ReviewStatus.choices}
    for row in live.values("review_status").annotate(n=Count("pk")):
        by_status[ReviewStatus(row["review_status"]).label] = row["n"]
    overdue = live.filter(next_review_due__lt=today)
    per_theme = (
        Theme.objects.filter(knowledge_documents__in=overdue.values("pk"))
        .annotate(n=Count("knowledge_documents", distinct=True))
        .order_by("-n", "title")
    )
    durations = []
    for page in live.filter(first_published_at__isnull=False).only("pk", "first_published_at"):
        first = (
            WorkflowState.objects.filter(
                base_content_type=page.get_base_content_type(), object_id=str(page.pk)
            )
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if first is not None and first <= page.first_published_at:
            durations.append((page.first_published_at - first).total_seconds() / 86400)
    return {
        "by_status": by_status,
        "overdue_per_theme": [(t.title, t.n) for t in per_theme],
        "median_days_to_publication": round(statistics.median(durations), 1) if durations else None,
        "measured_documents": len(durations),
        "in_review": WorkflowState.objects.active()
        .filter(base_content_type=KnowledgeDocumentPage().get_base_content_type())
        .count(),
    }


@dataclass
class ReviewBadge:
    """What the page and the search results show about the board's latest decision."""

    decided_on: Any  # datetime.date
    relevance: int | None
    reliability: int | None
    review_status: str


def document_review_badge(*, page: KnowledgeDocumentPage) -> ReviewBadge | None:
    """The latest approving board decision on a version of ``page`` (None when the document
    never passed the quorum board, e.g. imported documents)."""
    from kennisbank.models import BoardDecision, DecisionOutcome

    decision = (
        BoardDecision.objects.filter(page=page, outcome=DecisionOutcome.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is None:
        return None
    return ReviewBadge(
        decided_on=timezone.localdate(decision.decided_at),
        relevance=decision.relevance,
        reliability=decision.reliability,
        review_status=page.review_status,
    )


def _running_workflow_state(page: KnowledgeDocumentPage) -> WorkflowState | None:
    """The page's active workflow state with its current task (one query), or ``None``."""
    return (
        WorkflowState.objects.active()
        .filter(base_content_type=page.get_base_content_type(), object_id=str(page.pk))
        .select_related("current_task_state__task")
        .first()
    )


def review_step_is_board(*, page: KnowledgeDocumentPage) -> bool:
    """Whether the running review step of ``page`` is the board's quorum step."""
    from kennisbank.models import BoardDecisionTask

    state = _running_workflow_state(page)
    if state is None or state.current_task_state is None:
        return False
    return isinstance(state.current_task_state.task.specific, BoardDecisionTask)


def review_badge_text(badge: ReviewBadge) -> str:
    """ "Beoordeeld door de redactieraad op 12 maart 2026 — relevantie 4/5, betrouwbaarheid 5/5"
    (in Dutch whatever the active language: it is also stored in the search index)."""
    from django.utils import translation
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    with translation.override("nl"):
        text = gettext("Beoordeeld door de redactieraad op %(date)s") % {
            "date": date_format(badge.decided_on, "j F Y")
        }
        scores = []
        if badge.relevance:
            scores.append(gettext("relevantie %(n)d/5") % {"n": badge.relevance})
        if badge.reliability:
            scores.append(gettext("betrouwbaarheid %(n)d/5") % {"n": badge.reliability})
        if scores:
            text += " — " + ", ".join(scores)
    return text


def review_step_name(*, page: KnowledgeDocumentPage) -> str:
    """The name of the running review step of ``page``, or ""."""
    state = _running_workflow_state(page)
    if state is None or state.current_task_state is None:
        return ""
    return state.current_task_state.task.name
