"""Reads of the kennisbank, always through the access rule (``kpo.core.access``)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Model, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, Page, ReferenceIndex, TaskState, WorkflowState

from kennisbank.models import (
    DocumentType,
    KennisbankIndexPage,
    KnowledgeDocumentPage,
    ReviewStatus,
    ThemeAmbassadorTask,
)
from kpo.core.access import filter_visible, has_staff_role

SORTS = {
    "recent": ("-first_published_at", "title"),
    "titel": ("title",),
    "jaar": ("-year", "title"),
    "beoordeeld": ("-last_reviewed_at", "title"),
}
DEFAULT_SORT = "recent"
INDEX_PAGE_SIZE = 20


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def document_index_for_user(*, user: Any, params: QueryDict) -> dict[str, Any]:
    """The kennisbank index page: filters (``thema``, ``type``, ``regio``, ``organisatie``,
    ``jaar``), sorting (``sorteer``) and paging (``pagina``) of the documents the user may read."""
    filters = {
        "theme": params.get("thema") or None,
        "doc_type": params.get("type") or None,
        "region": params.get("regio") or None,
        "organisation": params.get("organisatie") or None,
        "year": _int_or_none(params.get("jaar")),
    }
    sort = params.get("sorteer") or DEFAULT_SORT
    documents = document_list_for_user(user=user, sort=sort, **filters)
    page_obj = Paginator(documents, INDEX_PAGE_SIZE).get_page(params.get("pagina"))
    query = params.copy()
    query.pop("pagina", None)
    return {
        "documents": page_obj,
        "page_obj": page_obj,
        "filters": filters,
        "sort": sort,
        "sorts": [
            ("recent", _("Nieuwste eerst")),
            ("titel", _("Titel")),
            ("jaar", _("Jaar")),
            ("beoordeeld", _("Laatst beoordeeld")),
        ],
        "options": document_filter_options_cached(user=user),
        "querystring": query.urlencode(),
    }


def kennisbank_index_page() -> KennisbankIndexPage | None:
    return KennisbankIndexPage.objects.live().first()


def document_list_for_user(
    *,
    user,
    theme: str | None = None,
    doc_type: str | None = None,
    region: str | None = None,
    organisation: str | None = None,
    year: int | None = None,
    sort: str = DEFAULT_SORT,
) -> QuerySet[KnowledgeDocumentPage]:
    """Live documents the user may read, filtered by slugs/year and sorted (``SORTS``)."""
    qs = filter_visible(KnowledgeDocumentPage.objects.live(), user)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if doc_type:
        qs = qs.filter(doc_type__slug=doc_type)
    if region:
        qs = qs.filter(regions__slug=region)
    if organisation:
        qs = qs.filter(organisations__slug=organisation)
    if year:
        qs = qs.filter(year=year)
    order = SORTS.get(sort or DEFAULT_SORT, SORTS[DEFAULT_SORT])
    return (
        qs.distinct()
        .select_related("doc_type", "community")
        .prefetch_related("themes")
        .order_by(*order)
    )


def document_get_for_user(*, user, pk: int) -> KnowledgeDocumentPage | None:
    return document_list_for_user(user=user).filter(pk=pk).first()


def document_filter_options(*, user) -> dict[str, Any]:
    """Choices for the filters, limited to values that occur in documents the user may see."""
    from kpo.accounts.models import Organisation, Region
    from kpo.themes.models import Theme

    visible = document_list_for_user(user=user).order_by().values("pk")
    return {
        "themes": Theme.objects.filter(knowledge_documents__in=visible)
        .distinct()
        .order_by("title"),
        "doc_types": DocumentType.objects.filter(documents__in=visible).distinct(),
        "regions": Region.objects.filter(
            pk__in=KnowledgeDocumentPage.regions.through.objects.filter(
                knowledgedocumentpage__in=visible
            ).values("region")
        ).order_by("name"),
        "organisations": Organisation.objects.filter(
            pk__in=KnowledgeDocumentPage.organisations.through.objects.filter(
                knowledgedocumentpage__in=visible
            ).values("organisation")
        ).order_by("name"),
        "years": sorted(
            {y for y in document_list_for_user(user=user).values_list("year", flat=True) if y},
            reverse=True,
        ),
    }


def document_filter_options_cached(*, user) -> dict[str, Any]:
    """``document_filter_options`` cached per principal set and content version (ADR 0013):
    the choices depend only on which documents the user may see."""
    from kpo.core.access import user_principals
    from kpo.core.fragments import cached_for_principals

    return cached_for_principals(
        "kennisbank-filter-options",
        user_principals(user),
        lambda: {k: list(v) for k, v in document_filter_options(user=user).items()},
    )


def theme_section(*, theme, user) -> dict[str, Any]:
    """The kennisbank's part of a theme page."""
    docs = document_list_for_user(user=user, theme=theme.slug)[:6]
    index = kennisbank_index_page()
    return {
        "key": "kennisbank",
        "title": "Kennisbank",
        "items": [{"title": d.title, "url": d.url, "summary": d.summary} for d in docs],
        "more_url": f"{index.url}?thema={theme.slug}" if index else "",
    }


# --- attachments -----------------------------------------------------------------------------


def _base_content_type(model: type[Model]) -> ContentType:
    """The content type of the model that holds the primary key (``Page`` for every page type),
    as Wagtail's reference index records it."""
    parents = model._meta.get_parent_list()
    return ContentType.objects.get_for_model(
        parents[-1] if parents else model, for_concrete_model=False
    )


def _pages_using_document(document_id: int) -> QuerySet[KnowledgeDocumentPage]:
    from wagtail.documents import get_document_model

    Document = get_document_model()
    referenced = ReferenceIndex.objects.filter(
        to_content_type=_base_content_type(Document),
        to_object_id=str(document_id),
        base_content_type=_base_content_type(Page),
    ).values_list("object_id", flat=True)
    return KnowledgeDocumentPage.objects.filter(
        Q(attachments__document_id=document_id) | Q(pk__in=[int(x) for x in referenced])
    ).distinct()


def document_is_kennisbank_file(*, document_id: int) -> bool:
    return _pages_using_document(document_id).exists()


def attachment_readable_by(*, user, document_id: int) -> bool:
    """May the user download this file? Yes when a live document that uses it is visible to
    them, when it belongs to their own submission, or when they review documents (board,
    ambassadors, editors) — reviewers need the file before publication."""
    pages = _pages_using_document(document_id)
    if filter_visible(pages.filter(live=True), user).exists():
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if pages.filter(owner=user).exists():
        return True
    if any(has_staff_role(user, role) for role in ("redactieraad", "ambassadeur", "editor")):
        return True
    return any(review_actions_for(user=user, page=page) for page in pages)


def review_actions_for(*, user, page: KnowledgeDocumentPage) -> list[str]:
    """The workflow actions (``approve``/``reject``) the user may take on the page now."""
    state = (
        WorkflowState.objects.active()
        .filter(
            base_content_type=page.get_base_content_type(),
            object_id=str(page.pk),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        .select_related("current_task_state__task")
        .first()
    )
    if state is None or state.current_task_state is None:
        return []
    task = state.current_task_state.task.specific
    return sorted({name for name, _label, _form in task.get_actions(page, user)})


def task_reviewers(*, task_state: TaskState, page: KnowledgeDocumentPage) -> list[Any]:
    """Who may decide the workflow task: the ambassadors of the document's themes for the
    ambassador task, the members of its groups for a group approval task."""
    from kpo.accounts.models import User

    task = task_state.task.specific
    if isinstance(task, ThemeAmbassadorTask):
        return list(task.reviewers_for(page))
    if isinstance(task, GroupApprovalTask):
        return list(User.objects.filter(is_active=True, groups__in=task.groups.all()).distinct())
    return []


def review_queue_for_user(*, user) -> list[dict[str, Any]]:
    """Documents waiting for this user's review (front-end review page)."""
    if not getattr(user, "is_authenticated", False):
        return []
    states = (
        WorkflowState.objects.active()
        .filter(
            base_content_type=KnowledgeDocumentPage().get_base_content_type(),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        .select_related("current_task_state__task", "requested_by")
        .order_by("created_at")
    )
    queue = []
    pages = KnowledgeDocumentPage.objects.in_bulk([int(s.object_id) for s in states])
    for state in states:
        page = pages.get(int(state.object_id))
        if page is not None and review_actions_for(user=user, page=page):
            queue.append({"page": page, "state": state, "task": state.current_task_state.task})
    return queue


def attachment_get_for_user(*, user, document_id: int):
    from wagtail.documents import get_document_model

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not attachment_readable_by(user=user, document_id=document_id):
        return None
    return document


# --- contributions ---------------------------------------------------------------------------


@dataclass
class Submission:
    page: KnowledgeDocumentPage
    status: str
    can_edit: bool
    comments: list[dict[str, Any]] = field(default_factory=list)


def submission_list_for_user(*, user) -> list[Submission]:
    """The user's own documents with their review status and the reviewers' comments."""
    pages = KnowledgeDocumentPage.objects.filter(owner=user).order_by("-latest_revision_created_at")
    result = []
    for page in pages:
        states = WorkflowState.objects.filter(
            base_content_type=page.get_base_content_type(), object_id=str(page.pk)
        ).order_by("-created_at")
        latest = states.select_related("current_task_state__task").first()
        status, can_edit = _submission_status(page, latest)
        comments = [
            {
                "task": ts.task.name,
                "status": ts.get_status_display(),
                "rejected": ts.status == TaskState.STATUS_REJECTED,
                "comment": ts.comment,
                "by": (ts.finished_by.get_full_name() or ts.finished_by.email)
                if ts.finished_by
                else "",
                "at": ts.finished_at,
            }
            for ts in TaskState.objects.filter(workflow_state__in=states)
            .exclude(comment="")
            .select_related("task", "finished_by")
            .order_by("-finished_at")
        ]
        result.append(Submission(page=page, status=status, can_edit=can_edit, comments=comments))
    return result


def _submission_status(
    page: KnowledgeDocumentPage, state: WorkflowState | None
) -> tuple[str, bool]:
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        task = state.current_task_state.task.name if state.current_task_state else ""
        return f"In beoordeling: {task}", False
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task = state.current_task_state.task.name if state.current_task_state else ""
        return f"Wijzigingen gevraagd ({task})", True
    if page.live:
        return "Gepubliceerd", False
    if state is not None and state.status == WorkflowState.STATUS_CANCELLED:
        return "Ingetrokken", False
    return "Concept", False


def submission_get_for_user(*, user, pk: int) -> KnowledgeDocumentPage | None:
    return KnowledgeDocumentPage.objects.filter(owner=user, pk=pk).first()


# --- review dashboard ------------------------------------------------------------------------


def review_dashboard(*, today=None) -> dict[str, Any]:
    """Figures for the board: documents by status, overdue per theme, median days from
    submission to publication."""
    from kpo.themes.models import Theme

    today = today or timezone.localdate()
    live = KnowledgeDocumentPage.objects.live()
    by_status = {label: 0 for _value, label in ReviewStatus.choices}
    for row in live.values("review_status").annotate(n=Count("pk")):
        by_status[ReviewStatus(row["review_status"]).label] = row["n"]
    overdue = live.filter(next_review_due__lt=today)
    per_theme = (
        Theme.objects.filter(knowledge_documents__in=overdue.values("pk"))
        .annotate(n=Count("knowledge_documents", distinct=True))
        .order_by("-n", "title")
    )
    durations = []
    for page in live.filter(first_published_at__isnull=False).only("pk", "first_published_at"):
        first = (
            WorkflowState.objects.filter(
                base_content_type=page.get_base_content_type(), object_id=str(page.pk)
            )
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if first is not None and first <= page.first_published_at:
            durations.append((page.first_published_at - first).total_seconds() / 86400)
    return {
        "by_status": by_status,
        "overdue_per_theme": [(t.title, t.n) for t in per_theme],
        "median_days_to_publication": round(statistics.median(durations), 1) if durations else None,
        "measured_documents": len(durations),
        "in_review": WorkflowState.objects.active()
        .filter(base_content_type=KnowledgeDocumentPage().get_base_content_type())
        .count(),
    }


# --- publication guard -----------------------------------------------------------------------

LOG_PUBLISH_WITHOUT_REVIEW = "kennisbank.publish_without_review"


def revision_publication_approved(*, revision) -> bool:
    """Whether ``revision`` of a knowledge document may go live: the "Redactieraad" or
    "Herbeoordeling" workflow was approved on it (the board's approval, by a Redactieraad member,
    came while it was the newest revision — the ambassador step came before, or the workflow
    would not have reached the board), or a platform admin published exactly this revision
    through the audited emergency path (an audit entry names it)."""
    from kennisbank.models.workflow import (
        BOARD_GROUP,
        BOARD_TASK,
        REVIEW_WORKFLOW,
        SUBMISSION_WORKFLOW,
    )
    from kpo.audit.models import AuditEntry
    from kpo.core.publication import approval_for_revision

    if revision is None:
        return False
    approval = approval_for_revision(
        revision,
        task_name=BOARD_TASK,
        group_name=BOARD_GROUP,
        workflow_names=(SUBMISSION_WORKFLOW, REVIEW_WORKFLOW),
    )
    if approval is not None:
        return True
    return AuditEntry.objects.filter(
        action=LOG_PUBLISH_WITHOUT_REVIEW,
        target_type=KnowledgeDocumentPage._meta.label_lower,
        target_id=str(revision.object_id),
        data__revision_id=revision.pk,
    ).exists()
