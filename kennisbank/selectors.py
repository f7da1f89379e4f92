"""Reads of the kennisbank, always through the access rule (``kpo.core.access``)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import AbstractGroupApprovalTask, Page, ReferenceIndex, TaskState, WorkflowState

from kennisbank.models import (
    DocumentType,
    KennisbankIndexPage,
    KnowledgeDocumentPage,
    KnowledgeRequest,
    ReviewStatus,
    ThemeAmbassadorTask,
)
from kpo.accounts.models import User
from kpo.core.access import can_read, filter_visible, has_staff_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from wagtail.documents.models import Document
    from wagtail.models import Revision

    from kpo.accounts.models import User
    from kpo.themes.models import Theme

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
    filters: dict[str, Any] = {
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
    user: User | AnonymousUser,
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


def document_get_for_user(*, user: User | AnonymousUser, pk: int) -> KnowledgeDocumentPage | None:
    return document_list_for_user(user=user).filter(pk=pk).first()


def document_filter_options(*, user: User | AnonymousUser) -> dict[str, Any]:
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


def document_filter_options_cached(*, user: User | AnonymousUser) -> dict[str, Any]:
    """``document_filter_options`` cached per principal set and content version (ADR 0013):
    the choices depend only on which documents the user may see."""
    from kpo.core.access import user_principals
    from kpo.core.fragments import cached_for_principals

    return cached_for_principals(
        "kennisbank-filter-options",
        user_principals(user),
        lambda: {k: list(v) for k, v in document_filter_options(user=user).items()},
    )


def theme_section(*, theme: Theme, user: User | AnonymousUser) -> dict[str, Any]:
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


def attachment_readable_by(*, user: User | AnonymousUser, document_id: int) -> bool:
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


def review_actions_for(*, user: User | AnonymousUser, page: KnowledgeDocumentPage) -> list[str]:
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
    task = task_state.task.specific
    if isinstance(task, ThemeAmbassadorTask):
        return list(task.reviewers_for(page))
    if isinstance(task, AbstractGroupApprovalTask):
        return list(User.objects.filter(is_active=True, groups__in=task.groups.all()).distinct())
    return []


def review_queue_for_user(*, user: User | AnonymousUser) -> list[dict[str, Any]]:
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


def attachment_get_for_user(*, user: User | AnonymousUser, document_id: int) -> Document | None:
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


def submission_list_for_user(*, user: User | AnonymousUser) -> list[Submission]:
    """The user's own documents with their review status and the reviewers' comments."""
    pages = KnowledgeDocumentPage.objects.filter(owner=user).order_by("-latest_revision_created_at")
    return [_submission(page) for page in pages]


def submission_detail_for_user(*, user: User, pk: int) -> Submission | None:
    """One of the user's own documents with its status and comments (None: not theirs)."""
    page = submission_get_for_user(user=user, pk=pk)
    return _submission(page) if page is not None else None


def _submission(page: KnowledgeDocumentPage) -> Submission:
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
    return Submission(page=page, status=status, can_edit=can_edit, comments=comments)


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


def submission_get_for_user(*, user: User | AnonymousUser, pk: int) -> KnowledgeDocumentPage | None:
    return KnowledgeDocumentPage.objects.filter(owner=user, pk=pk).first()


# --- review dashboard ------------------------------------------------------------------------


def review_dashboard(*, today: date | None = None) -> dict[str, Any]:
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


def _board_quorum_decided(approval: TaskState) -> bool:
    """A board step built on the quorum task counts only with its approving decision record
    (ADR 0017): a bare ``TaskState.approve()`` in code does not publish."""
    from kennisbank.models import BoardDecision, BoardDecisionTask, DecisionOutcome

    if not isinstance(approval.task.specific, BoardDecisionTask):
        return True
    return BoardDecision.objects.filter(
        task_state_id=approval.pk, outcome=DecisionOutcome.APPROVED
    ).exists()


def revision_publication_approved(*, revision: Revision) -> bool:
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
    if approval is not None and _board_quorum_decided(approval):
        return True
    return AuditEntry.objects.filter(
        action=LOG_PUBLISH_WITHOUT_REVIEW,
        target_type=KnowledgeDocumentPage._meta.label_lower,
        target_id=str(revision.object_id),
        data__revision_id=revision.pk,
    ).exists()


# --- board decisions (ADR 0017) ---------------------------------------------------------------


def board_vote_of(*, task: Any, obj: Any, user: Any) -> Any:
    """``user``'s vote in the running step of ``task`` on the revision of ``obj`` now under
    review, or None."""
    from kennisbank.models import BoardVote

    if not getattr(user, "is_authenticated", False):
        return None
    obj = obj.specific if isinstance(obj, Page) else obj
    revision_id = obj.latest_revision_id
    return (
        BoardVote.objects.filter(
            task_state__task=task,
            task_state__status=TaskState.STATUS_IN_PROGRESS,
            page_id=obj.pk,
            revision_id=revision_id,
            member=user,
        )
        .order_by("-pk")
        .first()
    )


def can_see_board_decisions(*, user: Any) -> bool:
    """The decision records are for the board and the ambassadors."""
    return bool(getattr(user, "is_authenticated", False)) and (
        has_staff_role(user, "redactieraad") or has_staff_role(user, "ambassadeur")
    )


def board_decision_list_for_user(*, user: Any, page: KnowledgeDocumentPage) -> list[Any]:
    """The board's decisions on ``page``, newest first, with their votes; empty for anyone but
    the board and the ambassadors."""
    from kennisbank.models import BoardDecision

    if not can_see_board_decisions(user=user):
        return []
    return list(
        BoardDecision.objects.filter(page=page)
        .select_related("revision", "previous_revision", "task_state")
        .prefetch_related("task_state__board_votes__member")
    )


def board_pending_votes(*, page: KnowledgeDocumentPage) -> list[Any]:
    """Votes already cast in the running board step on the revision under review."""
    from kennisbank.models import BoardVote

    return list(
        BoardVote.objects.filter(
            page=page,
            revision_id=page.latest_revision_id,
            task_state__status=TaskState.STATUS_IN_PROGRESS,
        ).select_related("member")
    )


@dataclass
class ReviewBadge:
    """What the page and the search results show about the board's latest decision."""

    decided_on: Any  # datetime.date
    relevance: int | None
    reliability: int | None
    review_status: str


def document_review_badge(*, page: KnowledgeDocumentPage) -> ReviewBadge | None:
    """The latest approving board decision on a version of ``page`` (None when the document
    never passed the quorum board, e.g. imported documents)."""
    from kennisbank.models import BoardDecision, DecisionOutcome

    decision = (
        BoardDecision.objects.filter(page=page, outcome=DecisionOutcome.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is None:
        return None
    return ReviewBadge(
        decided_on=timezone.localdate(decision.decided_at),
        relevance=decision.relevance,
        reliability=decision.reliability,
        review_status=page.review_status,
    )


def review_step_is_board(*, page: KnowledgeDocumentPage) -> bool:
    """Whether the running review step of ``page`` is the board's quorum step."""
    from kennisbank.models import BoardDecisionTask

    state = (
        WorkflowState.objects.active()
        .filter(base_content_type=page.get_base_content_type(), object_id=str(page.pk))
        .select_related("current_task_state__task")
        .first()
    )
    if state is None or state.current_task_state is None:
        return False
    return isinstance(state.current_task_state.task.specific, BoardDecisionTask)


def review_badge_text(badge: ReviewBadge) -> str:
    """ "Beoordeeld door de redactieraad op 12 maart 2026 — relevantie 4/5, betrouwbaarheid 5/5"
    (in Dutch whatever the active language: it is also stored in the search index)."""
    from django.utils import translation
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    with translation.override("nl"):
        text = gettext("Beoordeeld door de redactieraad op %(date)s") % {
            "date": date_format(badge.decided_on, "j F Y")
        }
        scores = []
        if badge.relevance:
            scores.append(gettext("relevantie %(n)d/5") % {"n": badge.relevance})
        if badge.reliability:
            scores.append(gettext("betrouwbaarheid %(n)d/5") % {"n": badge.reliability})
        if scores:
            text += " — " + ", ".join(scores)
    return text


# --- freshness (ADR 0017) ----------------------------------------------------------------------


def document_responsible(*, page: KnowledgeDocumentPage) -> list[Any]:
    """Who answers for the document: its owner while that account is active; when the owner
    left (deactivated, deleted), the ambassadors of the document's themes."""
    from kpo.accounts.models import User

    owner = page.owner
    if owner is not None and owner.is_active:
        return [owner]
    return list(
        User.objects.filter(is_active=True, ambassador_of__in=page.themes.all())
        .distinct()
        .order_by("pk")
    )


def freshness_dashboard(*, today: Any = None, most_read: int = 10) -> dict[str, Any]:
    """The board's freshness figures on ``today`` (a date):

    * ``per_theme``: live documents, how many "actueel", the share and whether it meets
      ``KPO_FRESHNESS_TARGET``;
    * ``history``: the recorded daily share per theme (``FreshnessSnapshot``), oldest first;
    * ``not_current``: live documents not "actueel", most downloaded first (the platform counts
      attachment downloads, not page views), with the days past their review date;
    * ``waiting_per_ambassador``: running ambassador steps each reviewer could act on.
    """
    from django.conf import settings

    from kennisbank.models import FreshnessSnapshot, ThemeAmbassadorTask
    from kpo.themes.models import Theme

    today = today or timezone.localdate()
    target = float(getattr(settings, "KPO_FRESHNESS_TARGET", 0.8))
    live = KnowledgeDocumentPage.objects.live()
    live_pks = live.values("pk")
    themes = (
        Theme.objects.annotate(
            total=Count(
                "knowledge_documents", filter=Q(knowledge_documents__in=live_pks), distinct=True
            ),
            current=Count(
                "knowledge_documents",
                filter=Q(
                    knowledge_documents__in=live_pks,
                    knowledge_documents__review_status=ReviewStatus.CURRENT,
                ),
                distinct=True,
            ),
        )
        .filter(total__gt=0)
        .order_by("title")
    )
    per_theme = [
        {
            "theme": t,
            "total": t.total,
            "current": t.current,
            "share": round(t.current / t.total, 3),
            "meets_target": t.current / t.total >= target,
        }
        for t in themes
    ]
    history: dict[str, list[tuple[Any, float]]] = {}
    for snap in FreshnessSnapshot.objects.filter(date__lte=today).select_related("theme"):
        if snap.total:
            history.setdefault(snap.theme.title, []).append(
                (snap.date, round(snap.current / snap.total, 3))
            )
    from kennisbank.models import AttachmentInfo

    not_current = []
    for page in live.exclude(review_status=ReviewStatus.CURRENT).select_related("owner"):
        downloads = (
            AttachmentInfo.objects.filter(
                document__in=page.attachments.values("document")
            ).aggregate(n=Sum("download_count"))["n"]
            or 0
        )
        days = (today - page.next_review_due).days if page.next_review_due else 0
        not_current.append(
            {
                "page": page,
                "downloads": downloads,
                "days_past_due": max(days, 0),
                "status": ReviewStatus(page.review_status).label,
                "in_review": review_step_name(page=page),
                "responsible": document_responsible(page=page),
            }
        )
    not_current.sort(key=lambda row: (-row["downloads"], -row["days_past_due"], row["page"].title))
    waiting: dict[Any, int] = {}
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__in=ThemeAmbassadorTask.objects.all(),
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
    ).select_related("workflow_state", "task")
    for state in states:
        task = state.task.specific
        for reviewer in task.reviewers_for(state.workflow_state.content_object):
            waiting[reviewer] = waiting.get(reviewer, 0) + 1
    from kpo.themes.selectors import theme_pages_due

    return {
        "theme_pages_due": theme_pages_due(today=today),
        "target": target,
        "per_theme": per_theme,
        "overall_share": round(
            sum(r["current"] for r in per_theme) / max(1, sum(r["total"] for r in per_theme)), 3
        )
        if per_theme
        else None,
        "history": history,
        "not_current": not_current[:most_read],
        "waiting_per_ambassador": sorted(
            ((user, n) for user, n in waiting.items()), key=lambda item: (-item[1], item[0].pk)
        ),
    }


def review_step_name(*, page: KnowledgeDocumentPage) -> str:
    """The name of the running review step of ``page``, or ""."""
    state = (
        WorkflowState.objects.active()
        .filter(base_content_type=page.get_base_content_type(), object_id=str(page.pk))
        .select_related("current_task_state__task")
        .first()
    )
    if state is None or state.current_task_state is None:
        return ""
    return state.current_task_state.task.name


# --- people: expertise evidence (docs/decisions/0031) ---------------------------------------------


def expertise_evidence(
    *, person: User, themes: list[Theme], user: User | AnonymousUser
) -> dict[str, Any]:
    """The live knowledge documents ``person`` owns (wrote or shared), per theme, as far as the
    reader ``user`` may read them. Two queries, whatever the number of documents."""
    theme_ids = {t.pk for t in themes}
    documents = (
        filter_visible(
            KnowledgeDocumentPage.objects.live().filter(owner=person, themes__in=theme_ids), user
        )
        .distinct()
        .prefetch_related("themes")
        .order_by("-last_published_at", "-pk")
    )
    items: dict[int, list[dict[str, Any]]] = {}
    for document in documents:
        entry = {
            "title": document.title,
            "url": document.url,
            "date": document.last_published_at,
            "context": "",
        }
        for theme in document.themes.all():
            if theme.pk in theme_ids:
                items.setdefault(theme.pk, []).append(entry)
    return {"key": "documents", "title": _("Kennisdocumenten"), "items": items}


# --- q2k: from question to knowledge (issue #17) ------------------------------------------------


def thread_knowledge_credit(
    *, user: User | AnonymousUser, page: KnowledgeDocumentPage
) -> list[dict[str, Any]]:
    """The threads a document was drafted from, as the reader may see them: a closed
    community's thread (and its authors' names) only for the readers of that thread."""
    from communities.selectors import thread_knowledge_origin

    return thread_knowledge_origin(user=user, page_id=page.pk)


def can_see_knowledge_requests_board(*, user: Any) -> bool:
    """The Redactieraad's view of zero-result searches and every kennisvraag (group role, no
    admin rights needed)."""
    return has_staff_role(user, "redactieraad")


def can_see_knowledge_requests(*, user: Any) -> bool:
    """The kennisvragen page: the board (all of them) and ambassadors (their own)."""
    from communities.selectors import is_ambassador

    return can_see_knowledge_requests_board(user=user) or is_ambassador(user=user)


def ambassador_list() -> QuerySet[User]:
    """Active ambassadors (group or theme ambassador): who a kennisvraag can be assigned to."""
    from kpo.core.roles import AMBASSADORS_GROUP

    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=AMBASSADORS_GROUP) | Q(ambassador_of__isnull=False))
        .distinct()
        .order_by("email")
    )


def knowledge_request_list(
    *, user: User | AnonymousUser, mine: bool = False
) -> QuerySet[KnowledgeRequest]:
    """Kennisvragen: the board sees all of them, an ambassador those assigned to them
    (``mine`` narrows the board's list the same way); others none."""
    qs = KnowledgeRequest.objects.select_related("theme", "assignee", "answered_by").order_by(
        "status", "-created_at"
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if mine or not can_see_knowledge_requests_board(user=user):
        return qs.filter(assignee_id=user.pk)
    return qs


def knowledge_request_readable_answers(
    *, user: User | AnonymousUser, requests: list[KnowledgeRequest]
) -> set[int]:
    """Ids of the kennisvragen whose answering document ``user`` may read (a community's
    document is named only to its readers)."""
    return {
        r.pk
        for r in requests
        if r.answered_by is not None and r.answered_by.live and can_read(user, r.answered_by)
    }


def knowledge_request_open_list() -> QuerySet[KnowledgeRequest]:
    """The open questions to the network, which a contribution can say it answers."""
    return KnowledgeRequest.objects.filter(status=KnowledgeRequest.Status.OPEN).order_by("question")


def zero_result_overview(
    *, since: date, until: date, theme: str | None = None
) -> list[dict[str, Any]]:
    """The board's list: zero/low-result query groups of the period (``search.selectors``) with
    the kennisvraag already made from each, if any."""
    from search.selectors import query_log_groups

    groups = query_log_groups(since=since, until=until, theme=theme)
    existing = {
        (r.query, r.theme.slug if r.theme else ""): r
        for r in KnowledgeRequest.objects.select_related("theme").order_by("created_at")
    }
    return [{"group": g, "request": existing.get((g.query, g.theme))} for g in groups]
