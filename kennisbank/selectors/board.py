"""The editorial board: whether a revision's publication was approved, votes and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wagtail.models import Page, TaskState

from kennisbank.models import KnowledgeDocumentPage
from kpo.core.access import has_staff_role

if TYPE_CHECKING:
    from wagtail.models import Revision


# --- publication guard -----------------------------------------------------------------------

LOG_PUBLISH_WITHOUT_REVIEW = "kennisbank.publish_without_review"


def _board_quorum_decided(approval: TaskState) -> bool:
    """A board step built on the quorum task counts only with its approving decision record
    (ADR 0017): a bare ``TaskState.approve()`` in code does not publish."""
    from kennisbank.models import BoardDecision, BoardDecisionTask, DecisionOutcome

    if not isinstance(approval.task.specific, BoardDecisionTask):
        return True
    return BoardDecision.objects.filter(
        task_state_id=approval.pk, outcome=DecisionOutcome.APPROVED
    ).exists()


def revision_publication_approved(*, revision: Revision) -> bool:
    """Whether ``revision`` of a knowledge document may go live: the "Redactieraad" or
    "Herbeoordeling" workflow was approved on it (the board's approval, by a Redactieraad member,
    came while it was the newest revision — the ambassador step came before, or the workflow
    would not have reached the board), or a platform admin published exactly this revision
    through the audited emergency path (an audit entry names it)."""
    from kennisbank.models.workflow import (
        BOARD_GROUP,
        BOARD_TASK,
        REVIEW_WORKFLOW,
        SUBMISSION_WORKFLOW,
    )
    from kpo.audit.models import AuditEntry
    from kpo.core.publication import approval_for_revision

    if revision is None:
        return False
    approval = approval_for_revision(
        revision,
        task_name=BOARD_TASK,
        group_name=BOARD_GROUP,
        workflow_names=(SUBMISSION_WORKFLOW, REVIEW_WORKFLOW),
    )
    if approval is not None and _board_quorum_decided(approval):
        return True
    return AuditEntry.objects.filter(
        action=LOG_PUBLISH_WITHOUT_REVIEW,
        target_type=KnowledgeDocumentPage._meta.label_lower,
        target_id=str(revision.object_id),
        data__revision_id=revision.pk,
    ).exists()


# --- board decisions (ADR 0017) ---------------------------------------------------------------


def board_vote_of(*, task: Any, obj: Any, user: Any) -> Any:
    """``user``'s vote in the running step of ``task`` on the revision of ``obj`` now under
    review, or None."""
    from kennisbank.models import BoardVote

    if not getattr(user, "is_authenticated", False):
        return None
    obj = obj.specific if isinstance(obj, Page) else obj
    revision_id = obj.latest_revision_id
    return (
        BoardVote.objects.filter(
            task_state__task=task,
            task_state__status=TaskState.STATUS_IN_PROGRESS,
            page_id=obj.pk,
            revision_id=revision_id,
            member=user,
        )
        .order_by("-pk")
        .first()
    )


def can_see_board_decisions(*, user: Any) -> bool:
    """The decision records are for the board and the ambassadors."""
    return bool(getattr(user, "is_authenticated", False)) and (
        has_staff_role(user, "redactieraad") or has_staff_role(user, "ambassadeur")
    )


def board_decision_list_for_user(*, user: Any, page: KnowledgeDocumentPage) -> list[Any]:
    """The board's decisions on ``page``, newest first, with their votes; empty for anyone but
    the board and the ambassadors."""
    from kennisbank.models import BoardDecision

    if not can_see_board_decisions(user=user):
        return []
    return list(
        BoardDecision.objects.filter(page=page)
        .select_related("revision", "previous_revision", "task_state")
        .prefetch_related("task_state__board_votes__member")
    )


def board_pending_votes(*, page: KnowledgeDocumentPage) -> list[Any]:
    """Votes already cast in the running board step on the revision under review."""
    from kennisbank.models import BoardVote

    return list(
        BoardVote.objects.filter(
            page=page,
            revision_id=page.latest_revision_id,
            task_state__status=TaskState.STATUS_IN_PROGRESS,
        ).select_related("member")
    )
