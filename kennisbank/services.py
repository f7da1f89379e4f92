"""Writes of the kennisbank: submitting, reviewing, re-assessing and attachments.

Every function is keyword-only, atomic, and raises ``ValidationError``/``PermissionDenied`` with a
Dutch message on bad input; nothing is half-written. Index changes go through
``search.services.index_enqueue`` in the same transaction.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    Page,
    TaskState,
    Workflow,
    WorkflowState,
    WorkflowTask,
)

from kennisbank.files import validate_attachment
from kennisbank.models import (
    AttachmentInfo,
    DocumentType,
    KennisbankIndexPage,
    KnowledgeDocumentAttachment,
    KnowledgeDocumentPage,
    ReviewStatus,
    ThemeAmbassadorTask,
)
from kpo.core.access import has_staff_role
from kpo.notifications.services import notify
from search.services import index_enqueue

logger = logging.getLogger(__name__)

SUBMISSION_WORKFLOW = "Redactieraad"
REVIEW_WORKFLOW = "Herbeoordeling"
AMBASSADOR_TASK = "Ambassadeurs van de thema's"
BOARD_TASK = "Redactieraad"
BOARD_GROUP = "Redactieraad"
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
    board_task = GroupApprovalTask.objects.filter(name=BOARD_TASK).first()
    if board_task is None:
        board_task = GroupApprovalTask.objects.create(name=BOARD_TASK)
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


def _workflow(name: str) -> Workflow:
    workflow = Workflow.objects.filter(name=name, active=True).first()
    return workflow or workflows_ensure()[name]


def _index_page() -> KennisbankIndexPage:
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


# --- attachments -----------------------------------------------------------------------------


def attachment_store(*, uploaded, title: str, user) -> object:
    """Validate an upload by its content, then store it as a Wagtail document.

    Validation happens before anything is written; call inside the caller's transaction. The
    text extraction task is scheduled after commit.
    """
    detected = validate_attachment(uploaded)
    Document = get_document_model()
    document = Document(
        title=title[:255],
        file=uploaded,
        uploaded_by_user=user,
        collection=Collection.get_first_root_node(),
    )
    document._set_document_file_metadata()
    document.save()
    AttachmentInfo.objects.create(document=document, detected_type=detected)
    transaction.on_commit(lambda: _schedule_extraction(document.pk))
    return document


def _schedule_extraction(document_id: int) -> None:
    from kennisbank.tasks import extract_attachment_text_task

    try:
        extract_attachment_text_task.delay(document_id)
    except Exception:  # noqa: BLE001 - broker down: reindex/extraction can be re-run later
        logger.warning("Could not enqueue text extraction for document %s", document_id)


def _extract_text(fileobj, kind: str) -> str:
    if kind == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(fileobj)
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    if kind == "docx":
        import docx

        document = docx.Document(fileobj)
        return "\n".join(p.text for p in document.paragraphs if p.text)
    return ""


MAX_TEXT_CHARS = 500_000


def attachment_extract_text(*, document_id: int) -> bool:
    """Extract the text of a PDF/DOCX attachment once and queue its pages for re-indexing.

    Idempotent: a second call does nothing. A file that cannot be parsed is recorded with no
    text (it will not get better by retrying); storage errors (``OSError``) propagate so the task
    retries.
    """
    info = AttachmentInfo.objects.select_related("document").filter(document_id=document_id).first()
    if info is None:
        info = _info_for_admin_upload(document_id)
    if info is None or info.text_extracted_at is not None:
        return False
    text = ""
    if info.detected_type in {"pdf", "docx"}:
        with info.document.open_file() as fileobj:
            try:
                text = _extract_text(fileobj, info.detected_type)
            except OSError:
                raise
            except Exception:  # noqa: BLE001 - a broken file: store no text, never loop
                logger.warning("Text extraction failed for document %s", document_id)
                text = ""
    with transaction.atomic():
        updated = AttachmentInfo.objects.filter(pk=info.pk, text_extracted_at__isnull=True).update(
            text=text[:MAX_TEXT_CHARS], text_extracted_at=timezone.now()
        )
        if updated:
            for page in KnowledgeDocumentPage.objects.filter(attachments__document_id=document_id):
                index_enqueue(page)
    return bool(updated)


def _info_for_admin_upload(document_id: int) -> AttachmentInfo | None:
    """Documents uploaded in the Wagtail admin have no info row yet: detect their type now."""
    from kennisbank.files import detect_type

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return None
    with document.open_file() as fileobj:
        detected = detect_type(fileobj) or ""
    return AttachmentInfo.objects.get_or_create(
        document=document, defaults={"detected_type": detected}
    )[0]


def attachments_needing_text(*, page: KnowledgeDocumentPage) -> list[int]:
    """Ids of the page's attachments whose text has not been extracted yet."""
    ids = list(page.attachments.values_list("document_id", flat=True))
    done = set(
        AttachmentInfo.objects.filter(
            document_id__in=ids, text_extracted_at__isnull=False
        ).values_list("document_id", flat=True)
    )
    return [pk for pk in ids if pk not in done]


def schedule_text_extraction(*, document_ids: Iterable[int]) -> None:
    for pk in document_ids:
        transaction.on_commit(lambda pk=pk: _schedule_extraction(pk))


def attachment_register_download(*, document_id: int) -> None:
    from django.db.models import F

    updated = AttachmentInfo.objects.filter(document_id=document_id).update(
        download_count=F("download_count") + 1
    )
    if not updated:
        AttachmentInfo.objects.get_or_create(
            document_id=document_id, defaults={"download_count": 1}
        )


# --- submitting ------------------------------------------------------------------------------


def _check_contributor(user) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Log in om kennis te delen."))


def _check_community(user, community) -> None:
    if community is None:
        return
    from communities.models import Membership

    if not Membership.objects.filter(
        community=community, user=user, state=Membership.State.ACTIVE
    ).exists():
        raise ValidationError(
            {"community": _("Je kunt alleen delen in een community waarvan je actief lid bent.")}
        )


def _unique_slug(parent: Page, title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "document"
    slug, n = base, 1
    siblings = parent.get_children()
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    while siblings.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _delete_stored_files(documents: Iterable) -> None:
    for document in documents:
        if document is not None and document.file:
            document.file.storage.delete(document.file.name)


def document_submit(
    *,
    user,
    title: str,
    summary: str,
    themes: Iterable,
    doc_type: DocumentType,
    file,
    community=None,
    year: int | None = None,
    regions: Iterable = (),
    organisations: Iterable = (),
) -> KnowledgeDocumentPage:
    """Create a draft knowledge document owned by ``user`` and start the "Redactieraad" workflow.

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
    validate_attachment(file)  # before anything is written
    index = _index_page()
    stored = None
    try:
        with transaction.atomic():
            stored = attachment_store(uploaded=file, title=title, user=user)
            page = KnowledgeDocumentPage(
                title=title.strip(),
                slug=_unique_slug(index, title),
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
            _workflow(SUBMISSION_WORKFLOW).start(page, user)
    except Exception:
        _delete_stored_files([stored])
        raise
    return page


def document_resubmit(
    *,
    user,
    page: KnowledgeDocumentPage,
    title: str,
    summary: str,
    themes: Iterable,
    doc_type: DocumentType,
    file=None,
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
    *, page: KnowledgeDocumentPage, user, action: str, comment: str = ""
) -> TaskState:
    """Approve (``"approve"``) or request changes (``"reject"``) on the document's current task,
    as ``user``; the task decides who may (ambassadors of the themes, the board)."""
    state = document_active_workflow_state(page)
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        raise ValidationError(_("Deze bijdrage wacht niet op een beoordeling."))
    task_state = state.current_task_state
    task = task_state.task.specific
    allowed = {name for name, _label, _form in task.get_actions(page, user)}
    if action not in allowed:
        raise PermissionDenied(_("Je mag deze stap niet beoordelen."))
    if action == "reject" and not comment.strip():
        raise ValidationError({"comment": _("Geef aan wat er moet veranderen.")})
    with transaction.atomic():
        task.on_action(task_state, user, action, comment=comment.strip())
    return TaskState.objects.get(pk=task_state.pk)


# --- workflow notifications (called from signal handlers) -----------------------------------


def _document_of(workflow_state: WorkflowState) -> KnowledgeDocumentPage | None:
    obj = workflow_state.content_object
    if isinstance(obj, Page):
        obj = obj.specific
    return obj if isinstance(obj, KnowledgeDocumentPage) else None


def _contributors(workflow_state: WorkflowState, page: KnowledgeDocumentPage) -> list:
    return [u for u in (workflow_state.requested_by, page.owner) if u is not None]


def task_reviewers(task_state: TaskState, page: KnowledgeDocumentPage) -> list:
    from kpo.accounts.models import User

    task = task_state.task.specific
    if isinstance(task, ThemeAmbassadorTask):
        return list(task.reviewers_for(page))
    if isinstance(task, GroupApprovalTask):
        return list(User.objects.filter(is_active=True, groups__in=task.groups.all()).distinct())
    return []


def _admin_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def workflow_task_started(*, task_state: TaskState) -> None:
    """A task began: its reviewers get work, the contributor hears where the document is."""
    page = _document_of(task_state.workflow_state)
    if page is None:
        return
    task_name = task_state.task.name
    notify(
        recipients=task_reviewers(task_state, page),
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


def workflow_finished(*, workflow_state: WorkflowState, user=None) -> None:
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


# --- re-assessment ---------------------------------------------------------------------------


def _set_review_state(page: KnowledgeDocumentPage, **values) -> None:
    """Write page-wide review state without touching revisions, and re-index."""
    KnowledgeDocumentPage.objects.filter(pk=page.pk).update(**values)
    for name, value in values.items():
        setattr(page, name, value)
    if page.live:
        index_enqueue(page)


@transaction.atomic
def document_review_completed(
    *, page: KnowledgeDocumentPage, today: datetime.date | None = None
) -> None:
    """A (re-)review approved the document: reviewed today, next review after the interval."""
    today = today or timezone.localdate()
    _set_review_state(
        page,
        last_reviewed_at=today,
        next_review_due=page.due_date_after(today),
        review_status=ReviewStatus.CURRENT,
        review_reminder_sent_for=None,
    )


@transaction.atomic
def document_confirm_current(*, page: KnowledgeDocumentPage, user) -> KnowledgeDocumentPage:
    """The board confirms the document is still current without editing it ("actueel
    bevestigd"): resets the clock, ends a running "Herbeoordeling", and is logged."""
    if not has_staff_role(user, "redactieraad"):
        raise PermissionDenied(_("Alleen de Redactieraad kan een document actueel bevestigen."))
    today = timezone.localdate()
    state = document_active_workflow_state(page)
    if state is not None and state.workflow.name == REVIEW_WORKFLOW:
        state.cancel(user=user)
    document_review_completed(page=page, today=today)
    log(
        instance=page,
        action=LOG_CONFIRM_CURRENT,
        user=user,
        data={"next_review_due": page.next_review_due.isoformat()},
    )
    return page


def document_ambassadors(page: KnowledgeDocumentPage) -> list:
    from kpo.accounts.models import User

    return list(User.objects.filter(is_active=True, ambassador_of__in=page.themes.all()).distinct())


def document_review_cycle(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily re-assessment step (idempotent; safe to run more than once a day).

    * due within 30 days → owner and ambassadors are notified once per due date;
    * due (on or after ``next_review_due``) → "herbeoordeling nodig" and the "Herbeoordeling"
      workflow starts;
    * more than 90 days overdue → "verouderd".
    """
    today = today or timezone.localdate()
    counts = {"reminded": 0, "review_needed": 0, "outdated": 0}
    live = (
        KnowledgeDocumentPage.objects.live()
        .filter(next_review_due__isnull=False)
        .select_related("doc_type", "owner")
    )
    # documents published directly in the admin (no workflow) start their clock at publication
    for page in KnowledgeDocumentPage.objects.live().filter(next_review_due__isnull=True):
        with transaction.atomic():
            reviewed = page.last_reviewed_at or timezone.localdate(page.last_published_at)
            _set_review_state(
                page, last_reviewed_at=reviewed, next_review_due=page.due_date_after(reviewed)
            )
    outdated_before = today - datetime.timedelta(days=OUTDATED_AFTER_DAYS)
    for page in live.filter(next_review_due__lt=outdated_before).exclude(
        review_status=ReviewStatus.OUTDATED
    ):
        with transaction.atomic():
            _mark_review_needed(page)
            _set_review_state(page, review_status=ReviewStatus.OUTDATED)
            log(instance=page, action=LOG_REVIEW_STATUS, data={"status": ReviewStatus.OUTDATED})
            counts["outdated"] += 1
    for page in live.filter(next_review_due__lte=today, review_status=ReviewStatus.CURRENT):
        with transaction.atomic():
            _mark_review_needed(page)
            counts["review_needed"] += 1
    window_end = today + datetime.timedelta(days=REMIND_DAYS)
    for page in live.filter(next_review_due__gt=today, next_review_due__lte=window_end):
        if page.review_reminder_sent_for == page.next_review_due:
            continue
        with transaction.atomic():
            recipients = [u for u in [page.owner, *document_ambassadors(page)] if u is not None]
            notify(
                recipients=recipients,
                kind=NOTIFY_KIND_REVIEW,
                title=_("Herbeoordeling binnenkort: %(title)s") % {"title": page.title},
                body=_("Dit kennisdocument moet uiterlijk %(date)s opnieuw beoordeeld worden.")
                % {"date": page.next_review_due.strftime("%d-%m-%Y")},
                url=_admin_url(page),
                key=f"kennisbank-review-due:{page.pk}:{page.next_review_due.isoformat()}",
            )
            KnowledgeDocumentPage.objects.filter(pk=page.pk).update(
                review_reminder_sent_for=page.next_review_due
            )
            counts["reminded"] += 1
    return counts


def _mark_review_needed(page: KnowledgeDocumentPage) -> None:
    if page.review_status == ReviewStatus.CURRENT:
        _set_review_state(page, review_status=ReviewStatus.REVIEW_NEEDED)
        log(instance=page, action=LOG_REVIEW_STATUS, data={"status": ReviewStatus.REVIEW_NEEDED})
    if document_active_workflow_state(page) is None:
        _workflow(REVIEW_WORKFLOW).start(page, None)
