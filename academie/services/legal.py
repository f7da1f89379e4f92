"""The legal review step of a course's workflow: notifying the legal reviewers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from kpo.notifications.services import notify

if TYPE_CHECKING:
    from wagtail.models import TaskState


NOTIFY_KIND_LEGAL_REVIEW = "legal_review"


def legal_review_task_started(*, task_state: TaskState) -> None:
    """A course or training waits for legal review: the jurists get an in-app notification
    (and e-mail), like the kennisbank's reviewers do."""
    from django.urls import reverse
    from wagtail.models import GroupApprovalTask, Page, TaskState

    from academie.legal import LEGAL_TASK_NAME
    from kpo.accounts.models import User

    task_state = TaskState.objects.filter(pk=task_state.pk).first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return
    task = task_state.task.specific
    page = task_state.workflow_state.content_object
    if isinstance(page, Page):
        page = page.specific
    if not isinstance(task, GroupApprovalTask) or task.name != LEGAL_TASK_NAME:
        return
    if not getattr(page, "legal_review_required", False):
        return
    jurists = User.objects.filter(is_active=True, groups__in=task.groups.all()).distinct()
    notify(
        recipients=list(jurists),
        kind=NOTIFY_KIND_LEGAL_REVIEW,
        title=_("Juridische toetsing gevraagd: %(title)s") % {"title": page.title},
        body=_("“%(title)s” wacht op jouw juridische toetsing in de beheeromgeving.")
        % {"title": page.title},
        url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        key=f"academie-legal-review:{task_state.pk}",
    )
