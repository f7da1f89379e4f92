"""Signal handlers: they only enqueue (text extraction, notifications). Connected in ``ready()``.

The search index follows publish, unpublish and delete through the one wiring in
``search.signal_handlers`` (one outbox row per publish; unpublish and delete remove the page).
"""

from __future__ import annotations

from django.db import transaction
from wagtail.signals import (
    page_published,
    task_approved,
    task_rejected,
    task_submitted,
    workflow_approved,
)

from kennisbank.models import KnowledgeDocumentPage


def _on_published(sender, instance, **kwargs):
    from kennisbank import services

    # attachments added in the admin get their text extracted too (after commit)
    services.schedule_text_extraction(document_ids=services.attachments_needing_text(page=instance))
    # a published answer closes the kennisvragen it names (issue #17)
    services.knowledge_requests_close_for(page=instance)


def _on_task_submitted(sender, instance, user=None, **kwargs):
    from kennisbank import services

    services.workflow_task_started(task_state=instance)


def _on_task_approved(sender, instance, user=None, **kwargs):
    from kennisbank import services

    services.workflow_task_finished(task_state=instance, approved=True)


def _on_task_rejected(sender, instance, user=None, **kwargs):
    from kennisbank import services

    services.workflow_task_finished(task_state=instance, approved=False)


def _on_workflow_approved(sender, instance, user=None, **kwargs):
    from kennisbank import services

    with transaction.atomic():
        services.workflow_finished(workflow_state=instance, user=user)


def connect() -> None:
    page_published.connect(_on_published, sender=KnowledgeDocumentPage, dispatch_uid="kb-pub")
    task_submitted.connect(_on_task_submitted, dispatch_uid="kb-task-submitted")
    task_approved.connect(_on_task_approved, dispatch_uid="kb-task-approved")
    task_rejected.connect(_on_task_rejected, dispatch_uid="kb-task-rejected")
    workflow_approved.connect(_on_workflow_approved, dispatch_uid="kb-workflow-approved")
