"""Signal handlers: they only record (legal review date, the end of a law re-review) and
enqueue (legal review notice, refresher offers).

The search index follows publish and unpublish through the one wiring in
``search.signal_handlers``.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.signals import page_published, task_submitted

from academie.legal import legal_review_date_for_revision


def on_page_published(sender, instance, revision=None, **kwargs) -> None:
    """After publishing a course or training: record the legal review date (from the Juristen
    approval of this revision)."""
    with transaction.atomic():
        if getattr(instance, "legal_review_required", False):
            reviewed = legal_review_date_for_revision(revision)
            if reviewed is not None and instance.legal_reviewed_at != reviewed:
                type(instance).objects.filter(pk=instance.pk).update(legal_reviewed_at=reviewed)
                instance.legal_reviewed_at = reviewed
        from academie.models import CoursePage

        if isinstance(instance, CoursePage):
            from academie.law import course_law_revision_published

            # a re-review after a law change ends here; holders are offered a refresher
            course_law_revision_published(page=instance, revision=revision)


def on_task_submitted(sender, instance, user=None, **kwargs) -> None:
    from academie.services import legal_review_task_started

    # After commit, and only while the task still waits (the corpus loader approves at once).
    transaction.on_commit(lambda: legal_review_task_started(task_state=instance))


def connect() -> None:
    from academie.models import CoursePage, TrainingPage

    task_submitted.connect(on_task_submitted, dispatch_uid="academie-task-submitted")
    for model in (CoursePage, TrainingPage):
        page_published.connect(
            on_page_published, sender=model, dispatch_uid=f"academie-pub-{model.__name__}"
        )
