"""The review workflows ("Redactieraad", "Herbeoordeling") and their constants."""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import (
    Page,
    Workflow,
    WorkflowState,
    WorkflowTask,
)

from kennisbank.models import (
    BoardDecisionTask,
    KennisbankIndexPage,
    ThemeAmbassadorTask,
)
from kennisbank.models.workflow import (  # the names live with the models; selectors read them
    AMBASSADOR_TASK,
    BOARD_GROUP,
    BOARD_TASK,
    REVIEW_WORKFLOW,
    SUBMISSION_WORKFLOW,
)

logger = logging.getLogger(__name__)

REMIND_DAYS = 30
OUTDATED_AFTER_DAYS = 90

NOTIFY_KIND_WORKFLOW = "kennisbank.workflow"
NOTIFY_KIND_REVIEW = "kennisbank.review"

LOG_CONFIRM_CURRENT = "kennisbank.confirm_current"
LOG_REVIEW_STATUS = "kennisbank.review_status"


# --- workflows -------------------------------------------------------------------------------


@transaction.atomic
def workflows_ensure() -> dict[str, Workflow]:
    """Create (once) the two tasks and the "Redactieraad" and "Herbeoordeling" workflows."""
    board_group = Group.objects.get_or_create(name=BOARD_GROUP)[0]
    ambassador_task = ThemeAmbassadorTask.objects.filter(name=AMBASSADOR_TASK).first()
    if ambassador_task is None:
        ambassador_task = ThemeAmbassadorTask.objects.create(name=AMBASSADOR_TASK)
    # The board step decides with a quorum (ADR 0017). An older plain group-approval task of
    # the same name is left as it is for workflows still running on it; new runs use this one.
    board_task = BoardDecisionTask.objects.filter(name=BOARD_TASK).first()
    if board_task is None:
        board_task = BoardDecisionTask.objects.create(name=BOARD_TASK)
    if not board_task.groups.filter(pk=board_group.pk).exists():
        board_task.groups.add(board_group)
    workflows = {}
    for name in (SUBMISSION_WORKFLOW, REVIEW_WORKFLOW):
        workflow = Workflow.objects.filter(name=name).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=name, active=True)
        links = WorkflowTask.objects.filter(workflow=workflow)
        current = list(links.order_by("sort_order").values_list("task_id", flat=True))
        if current != [ambassador_task.pk, board_task.pk]:
            links.delete()
            WorkflowTask.objects.create(workflow=workflow, task=ambassador_task, sort_order=0)
            WorkflowTask.objects.create(workflow=workflow, task=board_task, sort_order=1)
        workflows[name] = workflow
    return workflows


def workflow_get(name: str) -> Workflow:
    workflow = Workflow.objects.filter(name=name, active=True).first()
    return workflow or workflows_ensure()[name]


def kennisbank_index_page_require() -> KennisbankIndexPage:
    index = KennisbankIndexPage.objects.first()
    if index is None:
        raise ValidationError(_("De kennisbank is nog niet ingericht."))
    return index


def document_active_workflow_state(page: Page) -> WorkflowState | None:
    return (
        WorkflowState.objects.active()
        .filter(base_content_type=page.get_base_content_type(), object_id=str(page.pk))
        .select_related("workflow", "current_task_state__task")
        .first()
    )


def page_admin_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])
