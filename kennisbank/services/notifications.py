"""Notifications at each workflow step (called from the signal handlers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import (
    Page,
    TaskState,
    WorkflowState,
)

from kennisbank.models import (
    KnowledgeDocumentPage,
)
from kennisbank.selectors import task_reviewers
from kennisbank.services.review import document_review_completed
from kennisbank.services.workflows import NOTIFY_KIND_WORKFLOW, REVIEW_WORKFLOW
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from kpo.accounts.models import User

# --- workflow notifications (called from signal handlers) -----------------------------------


def _document_of(workflow_state: WorkflowState) -> KnowledgeDocumentPage | None:
    obj = workflow_state.content_object
    if isinstance(obj, Page):
        obj = obj.specific
    return obj if isinstance(obj, KnowledgeDocumentPage) else None


def _contributors(workflow_state: WorkflowState, page: KnowledgeDocumentPage) -> list[User]:
    return [u for u in (workflow_state.requested_by, page.owner) if u is not None]


def workflow_task_started(*, task_state: TaskState) -> None:
    """A task began: its reviewers get work, the contributor hears where the document is."""
    page = _document_of(task_state.workflow_state)
    if page is None:
        return
    task_name = task_state.task.name
    notify(
        recipients=task_reviewers(task_state=task_state, page=page),
        kind=NOTIFY_KIND_WORKFLOW,
        title=_("Ter beoordeling (%(task)s): %(title)s") % {"task": task_name, "title": page.title},
        body=_("Een kennisdocument wacht op jouw beoordeling in de stap “%(task)s”.")
        % {"task": task_name},
        url=reverse("kennisbank:review_detail", args=[page.pk]),
        key=f"kennisbank-task-start:{task_state.pk}",
    )
    notify(
        recipients=_contributors(task_state.workflow_state, page),
        kind=NOTIFY_KIND_WORKFLOW,
        title=_("Je bijdrage ligt bij: %(task)s") % {"task": task_name},
        body=_("“%(title)s” wordt nu beoordeeld in de stap “%(task)s”.")
        % {"title": page.title, "task": task_name},
        url=reverse("kennisbank:submissions"),
        key=f"kennisbank-task-start-contributor:{task_state.pk}",
    )


def workflow_task_finished(*, task_state: TaskState, approved: bool) -> None:
    """A reviewer approved or asked for changes: the contributor is told, with the comment."""
    page = _document_of(task_state.workflow_state)
    if page is None:
        return
    reviewer = task_state.finished_by
    who = reviewer.get_full_name() or reviewer.email if reviewer else _("de beoordelaar")
    comment = task_state.comment or ""
    if approved:
        title = _("Goedgekeurd in de stap “%(task)s”: %(title)s")
    else:
        title = _("Wijzigingen gevraagd in de stap “%(task)s”: %(title)s")
    body = _("Beoordeeld door %(who)s.") % {"who": who}
    if comment:
        body += "\n\n" + _("Toelichting: %(comment)s") % {"comment": comment}
    notify(
        recipients=_contributors(task_state.workflow_state, page),
        kind=NOTIFY_KIND_WORKFLOW,
        title=title % {"task": task_state.task.name, "title": page.title},
        body=body,
        url=reverse("kennisbank:submissions"),
        key=f"kennisbank-task-done:{task_state.pk}",
    )


def workflow_finished(*, workflow_state: WorkflowState, user: User | None = None) -> None:
    """The workflow approved the document: it is published; the review clock restarts."""
    page = _document_of(workflow_state)
    if page is None:
        return
    page = KnowledgeDocumentPage.objects.get(pk=page.pk)
    document_review_completed(page=page)
    if workflow_state.workflow.name == REVIEW_WORKFLOW:
        title = _("Herbeoordeeld en actueel: %(title)s") % {"title": page.title}
        body = _("De herbeoordeling is afgerond; de beoordelingstermijn begint opnieuw.")
    else:
        title = _("Gepubliceerd: %(title)s") % {"title": page.title}
        body = _("De Redactieraad heeft het document goedgekeurd; het staat nu in de kennisbank.")
    notify(
        recipients=_contributors(workflow_state, page),
        kind=NOTIFY_KIND_WORKFLOW,
        title=title,
        body=body,
        url=page.url or "",
        key=f"kennisbank-workflow-done:{workflow_state.pk}",
    )
