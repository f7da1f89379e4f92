"""Publishing a knowledge document outside the review workflow: the audited emergency path for
platform admins, and the corpus loader's import of already-reviewed documents.

Both record an audit entry (``kennisbank.publish_without_review``) naming the exact revision,
with the reason, in the same transaction as the publication; the publication guard of
``KnowledgeDocumentPage`` accepts a revision only with such an entry (or a completed workflow).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Revision

from kennisbank.models import KnowledgeDocumentPage
from kennisbank.selectors import LOG_PUBLISH_WITHOUT_REVIEW
from kennisbank.services.workflows import document_active_workflow_state
from kpo.audit.services import audit_record
from kpo.core.access import has_staff_role

if TYPE_CHECKING:
    from kpo.accounts.models import User

MIN_REASON_CHARS = 10


def can_emergency_publish(*, user: User) -> bool:
    """Platform admins (group "Platformbeheer", superusers) only."""
    return bool(getattr(user, "is_authenticated", False) and has_staff_role(user, "admin"))


def _publish_without_review(
    *,
    page: KnowledgeDocumentPage,
    revision: Revision,
    actor: User | None,
    reason: str,
    emergency: bool,
) -> KnowledgeDocumentPage:
    audit_record(
        actor=actor,
        action=LOG_PUBLISH_WITHOUT_REVIEW,
        target=page,
        data={"revision_id": revision.pk, "reason": reason, "emergency": emergency},
    )
    state = document_active_workflow_state(page)
    if state is not None:
        state.cancel(user=actor)
    revision.publish(user=actor, skip_permission_checks=True)
    return KnowledgeDocumentPage.objects.get(pk=page.pk)


@transaction.atomic
def document_emergency_publish(
    *, page: KnowledgeDocumentPage, user: User, reason: str
) -> KnowledgeDocumentPage:
    """Publish the newest revision of ``page`` without the review workflow, because it cannot
    wait (e.g. a warning that must be online today). Only platform admins; ``reason`` is required
    and lands in the audit log with the revision; a running review workflow is cancelled."""
    if not can_emergency_publish(user=user):
        raise PermissionDenied(_("Alleen platformbeheerders kunnen een noodpublicatie doen."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError(
            {"reason": _("Geef een reden van ten minste %(n)d tekens.") % {"n": MIN_REASON_CHARS}}
        )
    page = KnowledgeDocumentPage.objects.select_for_update().get(pk=page.pk)
    revision = page.get_latest_revision()
    if revision is None:
        raise ValidationError(_("Dit document heeft nog geen versie om te publiceren."))
    return _publish_without_review(
        page=page, revision=revision, actor=user, reason=reason[:1000], emergency=True
    )


@transaction.atomic
def document_import_published(
    *, page: KnowledgeDocumentPage, user: User | None = None
) -> KnowledgeDocumentPage:
    """The corpus loader's path: a document that was reviewed before it came to the platform
    goes live with an audit entry saying so (actor: the system)."""
    revision = page.save_revision(user=user)
    return _publish_without_review(
        page=page,
        revision=revision,
        actor=None,
        reason="Import van een al beoordeeld document (corpus)",
        emergency=False,
    )
