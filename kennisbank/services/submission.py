"""Submitting, resubmitting and reviewing knowledge documents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Page,
    TaskState,
    WorkflowState,
)

from kennisbank.files import validate_attachment
from kennisbank.models import (
    BoardDecisionTask,
    DocumentType,
    KnowledgeDocumentAttachment,
    KnowledgeDocumentPage,
    KnowledgeRequestAnswer,
)
from kennisbank.services.attachments import attachment_store
from kennisbank.services.board import board_vote_cast
from kennisbank.services.workflows import (
    SUBMISSION_WORKFLOW,
    document_active_workflow_state,
    kennisbank_index_page_require,
    workflow_get,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from communities.models import Community
    from kennisbank.models import KnowledgeRequest
    from kpo.accounts.models import Organisation, Region, User
    from kpo.themes.models import Theme

# --- submitting ------------------------------------------------------------------------------


def _check_contributor(user: User) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Log in om kennis te delen."))


def _check_community(user: User, community: Community | None) -> None:
    if community is None:
        return
    from communities.models import Membership

    if not Membership.objects.filter(
        community=community, user=user, state=Membership.State.ACTIVE
    ).exists():
        raise ValidationError(
            {"community": _("Je kunt alleen delen in een community waarvan je actief lid bent.")}
        )


def unique_slug(parent: Page, title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "document"
    slug, n = base, 1
    siblings = parent.get_children()
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    while siblings.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _delete_stored_files(documents: Iterable[Any]) -> None:
    for document in documents:
        if document is not None and document.file:
            document.file.storage.delete(document.file.name)


def document_submit(
    *,
    user: User,
    title: str,
    summary: str,
    themes: Iterable[Theme],
    doc_type: DocumentType,
    file: UploadedFile,
    community: Community | None = None,
    year: int | None = None,
    regions: Iterable[Region] = (),
    organisations: Iterable[Organisation] = (),
    knowledge_request: KnowledgeRequest | None = None,
) -> KnowledgeDocumentPage:
    """Create a draft knowledge document owned by ``user`` and start the "Redactieraad" workflow.
    ``knowledge_request``: the open kennisvraag this contribution answers (it closes when the
    document is published).

    Raises ``ValidationError`` (Dutch) for a bad file, no theme, or a community the user is not
    an active member of; in that case nothing is stored (no page, no document row, no file).
    """
    _check_contributor(user)
    themes = list(themes)
    if not title.strip():
        raise ValidationError({"title": _("Geef een titel op.")})
    if not themes:
        raise ValidationError({"themes": _("Kies ten minste één thema.")})
    _check_community(user, community)
    if knowledge_request is not None and not knowledge_request.is_open:
        raise ValidationError({"knowledge_request": _("Deze kennisvraag is al beantwoord.")})
    validate_attachment(file)  # before anything is written
    index = kennisbank_index_page_require()
    stored = None
    try:
        with transaction.atomic():
            stored = attachment_store(uploaded=file, title=title, user=user)
            page = KnowledgeDocumentPage(
                title=title.strip(),
                slug=unique_slug(index, title),
                summary=summary.strip(),
                doc_type=doc_type,
                year=year or timezone.localdate().year,
                community=community,
                owner=user,
                live=False,
                has_unpublished_changes=True,
            )
            page.themes = themes
            page.regions = list(regions)
            page.organisations = list(organisations)
            page.attachments = [KnowledgeDocumentAttachment(document=stored)]
            index.add_child(instance=page)
            page.save_revision(user=user, log_action=True)
            if knowledge_request is not None:
                KnowledgeRequestAnswer.objects.create(request=knowledge_request, page=page)
            workflow_get(SUBMISSION_WORKFLOW).start(page, user)
    except Exception:
        _delete_stored_files([stored])
        raise
    return page


def document_resubmit(
    *,
    user: User,
    page: KnowledgeDocumentPage,
    title: str,
    summary: str,
    themes: Iterable[Theme],
    doc_type: DocumentType,
    file: UploadedFile | None = None,
) -> KnowledgeDocumentPage:
    """The contributor changes a document after "wijzigingen gevraagd" and resubmits it; the
    workflow resumes at the task that asked for changes."""
    _check_contributor(user)
    state = document_active_workflow_state(page)
    if (
        page.owner_id != user.pk
        or state is None
        or state.status != WorkflowState.STATUS_NEEDS_CHANGES
    ):
        raise PermissionDenied(_("Je kunt deze bijdrage nu niet aanpassen."))
    themes = list(themes)
    if not themes:
        raise ValidationError({"themes": _("Kies ten minste één thema.")})
    if file is not None:
        validate_attachment(file)
    stored = None
    try:
        with transaction.atomic():
            draft = page.get_latest_revision_as_object()
            draft.title = title.strip()
            draft.draft_title = draft.title
            draft.summary = summary.strip()
            draft.doc_type = doc_type
            draft.themes = themes
            if file is not None:
                stored = attachment_store(uploaded=file, title=title, user=user)
                draft.attachments = [KnowledgeDocumentAttachment(document=stored)]
            if not page.live:
                draft.save()
            draft.save_revision(user=user, log_action=True)
            state.resume(user=user)
    except Exception:
        _delete_stored_files([stored])
        raise
    return KnowledgeDocumentPage.objects.get(pk=page.pk)


def document_review_action(
    *,
    page: KnowledgeDocumentPage,
    user: User,
    action: str,
    comment: str = "",
    relevance: int | str | None = None,
    reliability: int | str | None = None,
) -> TaskState:
    """Approve (``"approve"``) or request changes (``"reject"``) on the document's current task,
    as ``user``; the task decides who may (ambassadors of the themes, the board). In the board
    step this casts a vote (``board_vote_cast``: scores, rationale, also ``"abstain"``) and the
    step completes only at the quorum."""
    state = document_active_workflow_state(page)
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        raise ValidationError(_("Deze bijdrage wacht niet op een beoordeling."))
    task_state = state.current_task_state
    task = task_state.task.specific
    allowed = {name for name, _label, _form in task.get_actions(page, user)}
    if action not in allowed:
        raise PermissionDenied(_("Je mag deze stap niet beoordelen."))
    if isinstance(task, BoardDecisionTask):
        board_vote_cast(
            task_state=task_state,
            user=user,
            choice=action,
            relevance=relevance,
            reliability=reliability,
            rationale=comment,
        )
        return TaskState.objects.get(pk=task_state.pk)
    if action == "reject" and not comment.strip():
        raise ValidationError({"comment": _("Geef aan wat er moet veranderen.")})
    with transaction.atomic():
        task.on_action(task_state, user, action, comment=comment.strip())
    return TaskState.objects.get(pk=task_state.pk)
