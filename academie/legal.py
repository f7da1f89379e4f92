"""Legal review ("Juridische toetsing") of courses and trainings.

The rule: a page with ``legal_review_required`` is published only by a member of the Juristen
group — normally by approving the ``GroupApprovalTask`` of the workflow "Juridische toetsing"
that editors submit the page to (``LegalReviewPermissionTester.can_publish``). The
``page_published`` handler records ``legal_reviewed_at`` from that approval.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from kpo.core.roles import ACADEMY_GROUP, LAWYERS_GROUP, is_jurist

LEGAL_GROUP = LAWYERS_GROUP
LEGAL_WORKFLOW_NAME = "Juridische toetsing"
LEGAL_TASK_NAME = "Juridische toetsing door Juristen"


def legal_review_date_for_revision(revision):
    """The date a lawyer vouched for exactly this revision: the Juristen approval of it in the
    workflow, or — when a Juristen member wrote this revision — its creation date."""
    from django.utils import timezone

    if revision is None:
        return None
    approval = legal_approval_for_revision(revision)
    if approval is not None and approval.finished_at is not None:
        return timezone.localtime(approval.finished_at).date()
    if revision_written_by_jurist(revision):
        return timezone.localtime(revision.created_at).date()
    return None


def revision_written_by_jurist(revision) -> bool:
    return is_jurist(revision.user if revision is not None else None)


def legal_approval_for_revision(revision) -> TaskState | None:
    """The Juristen approval in "Juridische toetsing" that covers exactly this revision (it was
    the newest revision when a Juristen member approved)."""
    from kpo.core.publication import approval_for_revision

    return approval_for_revision(
        revision,
        task_name=LEGAL_TASK_NAME,
        group_name=LEGAL_GROUP,
        workflow_names=(LEGAL_WORKFLOW_NAME,),
    )


def revision_legally_approved(revision) -> bool:
    """The publication guard of pages with ``legal_review_required``: the revision may go live
    when a jurist approved it in the workflow or wrote it."""
    if revision is None:
        return False
    return legal_approval_for_revision(revision) is not None or revision_written_by_jurist(revision)


@transaction.atomic
def legal_workflow_ensure(*, index_page: Page | None = None) -> Workflow:
    """Create (idempotently) the workflow, its task for the Juristen group, the Juristen and
    Academie groups' page permissions on the academy tree, and assign the workflow to
    ``index_page``. A second call writes nothing."""
    jurists, _ = Group.objects.get_or_create(name=LEGAL_GROUP)
    academy, _ = Group.objects.get_or_create(name=ACADEMY_GROUP)
    task = GroupApprovalTask.objects.filter(name=LEGAL_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=LEGAL_TASK_NAME)
        task.groups.set([jurists])
    workflow, _ = Workflow.objects.get_or_create(name=LEGAL_WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if index_page is not None:
        WorkflowPage.objects.get_or_create(page=index_page, defaults={"workflow": workflow})
        from django.contrib.auth.models import Permission

        wanted = {
            academy: ["add_page", "change_page", "publish_page"],
            jurists: ["change_page", "publish_page"],
        }
        for group, codenames in wanted.items():
            for codename in codenames:
                permission = Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                )
                GroupPagePermission.objects.get_or_create(
                    group=group, page=index_page, permission=permission
                )
            admin_access = Permission.objects.get(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
            if not group.permissions.filter(pk=admin_access.pk).exists():
                group.permissions.add(admin_access)
    return workflow
