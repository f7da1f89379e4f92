"""Knowledge requests and credits: expertise evidence, thread credit, the requests board,
ambassadors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kennisbank.models import KnowledgeDocumentPage, KnowledgeRequest
from kpo.accounts.models import User
from kpo.core.access import can_read, filter_visible, has_staff_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kpo.accounts.models import User
    from kpo.themes.models import Theme


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
