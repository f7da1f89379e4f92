"""Board votes: the Redactieraad decides with a quorum, scores and a rationale (ADR 0017).

``board_vote_cast`` is the one write path for a vote, whatever the route (front-end review, the
admin's workflow modal, the edit view): the task state is approved only when
``settings.KPO_BOARD_QUORUM`` members approved the revision under review, a request for changes
sends it back at once, an abstention (conflict of interest) is recorded and counts for neither.
"""

from __future__ import annotations

import difflib
from statistics import mean
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision, TaskState, WorkflowState

from kennisbank.models import (
    BoardDecision,
    BoardDecisionTask,
    BoardVote,
    DecisionOutcome,
    KnowledgeDocumentPage,
    VoteChoice,
)

MAX_RATIONALE_CHARS = 2000
MAX_DIFF_CHARS = 20000


def board_quorum() -> int:
    """The configured quorum (``KPO_BOARD_QUORUM``), at least one."""
    return max(1, int(getattr(settings, "KPO_BOARD_QUORUM", 2)))


def _score(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        raise ValidationError({field: _("Geef een score van 1 tot en met 5.")})
    return number


def _revision_text(obj: KnowledgeDocumentPage | None) -> list[str]:
    if obj is None:
        return []
    lines = [
        f"{_('Titel')}: {obj.title}",
        f"{_('Samenvatting')}: {obj.summary}",
        f"{_('Thema')}: {', '.join(sorted(t.title for t in obj.themes.all()))}",
        f"{_('Documenttype')}: {obj.doc_type.name if obj.doc_type_id else ''}",
    ]
    lines.extend(obj.body_text().splitlines())
    lines.extend(f"{_('Bijlage')}: {a.document.title}" for a in obj.attachments.all())
    return lines


def revision_diff(*, reviewed: Revision, previous: Revision | None) -> str:
    """A unified text diff of the reviewed revision against the previous (live) one."""
    before = _revision_text(previous.as_object() if previous else None)
    after = _revision_text(reviewed.as_object())
    diff = difflib.unified_diff(
        before,
        after,
        fromfile=_("vorige versie") if previous else _("(nieuw document)"),
        tofile=_("beoordeelde versie"),
        lineterm="",
    )
    return "\n".join(diff)[:MAX_DIFF_CHARS]


def _record_decision(
    *,
    task_state: TaskState,
    page: KnowledgeDocumentPage,
    revision: Revision,
    outcome: str,
) -> BoardDecision:
    votes = list(
        BoardVote.objects.filter(task_state=task_state, revision=revision).exclude(
            choice=VoteChoice.ABSTAIN
        )
    )
    scoring = [v for v in votes if v.choice == outcome_choice(outcome)]

    def rounded(values: list[int]) -> int | None:
        return int(mean(values) + 0.5) if values else None

    # A re-assessment of the live version without edits has an empty diff.
    previous = page.live_revision if page.live else None
    diff = "" if previous == revision else revision_diff(reviewed=revision, previous=previous)
    return BoardDecision.objects.create(
        page=page,
        task_state=task_state,
        workflow_name=task_state.workflow_state.workflow.name,
        revision=revision,
        previous_revision=previous,
        outcome=outcome,
        quorum=board_quorum(),
        relevance=rounded([v.relevance for v in scoring if v.relevance]),
        reliability=rounded([v.reliability for v in scoring if v.reliability]),
        diff=diff,
        decided_at=timezone.now(),
    )


def outcome_choice(outcome: str) -> str:
    return VoteChoice.APPROVE if outcome == DecisionOutcome.APPROVED else VoteChoice.REJECT


@transaction.atomic
def board_vote_cast(
    *,
    task_state: TaskState,
    user: Any,
    choice: str,
    relevance: int | str | None,
    reliability: int | str | None,
    rationale: str,
) -> BoardVote:
    """Record ``user``'s vote on the revision now under review in the board step ``task_state``.

    Approve and "wijzigingen vragen" need both scores (1–5) and a rationale; an abstention needs
    a rationale (the conflict of interest). Only members of the task's groups vote, once per
    revision. The step is approved when the approving votes reach the quorum (the last voter
    finishes it, so the publication guard sees a board member's approval), and rejected at the
    first request for changes; both leave a ``BoardDecision``."""
    task_state = TaskState.objects.select_for_update().get(pk=task_state.pk)
    task = task_state.task.specific
    if not isinstance(task, BoardDecisionTask):
        raise ValidationError(_("Deze stap is geen besluit van de redactieraad."))
    if (
        task_state.status != TaskState.STATUS_IN_PROGRESS
        or task_state.workflow_state.status != WorkflowState.STATUS_IN_PROGRESS
    ):
        raise ValidationError(_("Deze bijdrage wacht niet op een besluit van de redactieraad."))
    obj = task_state.workflow_state.content_object
    page = obj.specific if isinstance(obj, Page) else obj
    if not isinstance(page, KnowledgeDocumentPage):
        raise ValidationError(_("Alleen kennisdocumenten krijgen een besluit van de redactieraad."))
    if not task._member(user):
        raise PermissionDenied(_("Alleen leden van de redactieraad stemmen over een document."))
    revision = page.get_latest_revision()
    if BoardVote.objects.filter(task_state=task_state, revision=revision, member=user).exists():
        raise ValidationError(_("Je hebt over deze versie al gestemd."))
    if choice not in VoteChoice.values:
        raise ValidationError({"action": _("Kies een besluit.")})
    rationale = (rationale or "").strip()
    if not rationale:
        if choice == VoteChoice.ABSTAIN:
            message = _("Geef aan waarom je je onthoudt (het belangenconflict).")
        else:
            message = _("Geef een korte toelichting bij je besluit.")
        raise ValidationError({"comment": message})
    if len(rationale) > MAX_RATIONALE_CHARS:
        message = _("Houd de toelichting korter dan %(n)d tekens.") % {"n": MAX_RATIONALE_CHARS}
        raise ValidationError({"comment": message})
    scores: dict[str, int | None] = {"relevance": None, "reliability": None}
    if choice != VoteChoice.ABSTAIN:
        scores = {
            "relevance": _score(relevance, "relevance"),
            "reliability": _score(reliability, "reliability"),
        }
    vote = BoardVote.objects.create(
        task_state=task_state,
        page=page,
        revision=revision,
        member=user,
        choice=choice,
        rationale=rationale,
        **scores,
    )
    if choice == VoteChoice.REJECT:
        _record_decision(
            task_state=task_state,
            page=page,
            revision=revision,
            outcome=DecisionOutcome.CHANGES_REQUESTED,
        )
        task_state.reject(user=user, comment=rationale)
    elif choice == VoteChoice.APPROVE:
        approvals = BoardVote.objects.filter(
            task_state=task_state, revision=revision, choice=VoteChoice.APPROVE
        ).count()
        if approvals >= board_quorum():
            _record_decision(
                task_state=task_state,
                page=page,
                revision=revision,
                outcome=DecisionOutcome.APPROVED,
            )
            task_state.approve(user=user, comment=rationale)
    return vote
