"""From question to knowledge (issue #17): a thread (or its accepted answer) proposed as a
knowledge document, and kennisvragen made from searches that found nothing.

Both end in the normal "Redactieraad" workflow (ambassador, then the board's quorum): nothing here
publishes. A kennisvraag closes only when a document that names it is published
(``knowledge_requests_close_for``, from the kennisbank's publish signal).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import selectors as community_selectors
from communities.models import Community, Reply, Thread, ThreadKnowledgeLink
from communities.sanitize import html_to_text
from kennisbank.models import (
    DocumentType,
    KnowledgeDocumentPage,
    KnowledgeRequest,
    KnowledgeRequestAnswer,
)
from kennisbank.services.submission import unique_slug
from kennisbank.services.workflows import (
    SUBMISSION_WORKFLOW,
    kennisbank_index_page_require,
    workflow_get,
)
from kpo.audit.services import audit_record
from kpo.notifications.services import notify

if TYPE_CHECKING:
    from kpo.accounts.models import User
    from kpo.themes.models import Theme

NOTIFY_KIND_REQUEST = "kennisbank.kennisvraag"
SCOPE_ANSWER = "answer"
SCOPE_THREAD = "thread"
SCOPES = (SCOPE_ANSWER, SCOPE_THREAD)


# --- thread → document ---------------------------------------------------------------------------


def _paragraphs(text: str) -> str:
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br/>") + "</p>" for p in parts)


def _heading(text: str) -> str:
    return "<h3>" + html.escape(text) + "</h3>"


def _draft_body(
    *, thread: Thread, replies: list[Reply], scope: str, network_wide: bool
) -> list[tuple[str, str]]:
    """The draft's body: where it came from, the question and the answer(s).

    Names and the link back to the thread are not copied into the body: the page shows them in
    its credit section only to readers of the thread (``thread_knowledge_credit``), so a document
    widened to the network never carries a closed community's authors. A secret community is not
    named either."""
    community = thread.community
    if community.visibility == Community.Visibility.SECRET:
        where = _("een geheime community")
    else:
        where = _("de %(visibility)s community “%(community)s”") % {
            "visibility": community.get_visibility_display().lower(),
            "community": community.name,
        }
    origin = _("Dit document is voortgekomen uit een vraag in %(where)s.") % {"where": where}
    if community.visibility != Community.Visibility.OPEN:
        origin += " " + (
            _("De voorsteller heeft bevestigd dat het voor het hele netwerk mag gelden.")
            if network_wide
            else _("Het blijft alleen zichtbaar voor de leden van die community.")
        )
    label = _("Antwoord") if scope == SCOPE_ANSWER else _("Antwoorden uit de discussie")
    answers = "".join(_paragraphs(html_to_text(reply.body)) for reply in replies)
    return [
        ("text", _paragraphs(origin)),
        ("text", _heading(_("Vraag")) + _paragraphs(html_to_text(thread.body))),
        ("text", _heading(label) + answers),
    ]


def thread_knowledge_propose(
    *,
    actor: User,
    thread: Thread,
    doc_type: DocumentType,
    themes: Iterable[Theme],
    scope: str = SCOPE_ANSWER,
    title: str = "",
    summary: str = "",
    network_wide: bool = False,
    confirm_network_wide: bool = False,
    knowledge_request: KnowledgeRequest | None = None,
) -> KnowledgeDocumentPage:
    """Draft a knowledge document from a thread and start the "Redactieraad" workflow.

    Who: a moderator of the thread's community or an ambassador, who can read the thread
    (``communities.selectors.thread_can_propose_knowledge``; else ``PermissionDenied``).
    ``scope`` ``"answer"`` takes the accepted answer (the thread must have one), ``"thread"`` every
    visible reply. Visibility: a closed or secret community's thread gives a document for that
    community's members only, unless a moderator of the community asks for ``network_wide`` and
    confirms it (``confirm_network_wide``) — never a silent widening. Open communities' content is
    already network-wide. The draft is owned by ``actor`` and says where it came from; the thread
    is linked to it (``ThreadKnowledgeLink``) and shows it once it is published.
    ``knowledge_request``: an open kennisvraag the document answers (closes on publication).
    """
    if not community_selectors.thread_can_propose_knowledge(user=actor, thread=thread):
        raise PermissionDenied(_("Je mag dit onderwerp niet voorstellen voor de kennisbank."))
    if scope not in SCOPES:
        raise ValidationError(
            {"scope": _("Kies het geaccepteerde antwoord of het hele onderwerp.")}
        )
    themes = list(themes)
    if not themes:
        raise ValidationError({"themes": _("Kies ten minste één thema.")})
    community = thread.community
    closed = community.visibility != Community.Visibility.OPEN
    if network_wide and closed:
        if not community_selectors.can_moderate(community=community, user=actor):
            raise PermissionDenied(
                _(
                    "Alleen een moderator van deze community kan de inhoud voor het hele "
                    "netwerk voorstellen."
                )
            )
        if not confirm_network_wide:
            raise ValidationError(
                {
                    "confirm_network_wide": _(
                        "Bevestig dat de inhoud van deze besloten community voor het hele "
                        "netwerk mag gelden."
                    )
                }
            )
    visible = [
        r
        for r in thread.replies.filter(is_deleted=False, is_hidden=False)
        .select_related("author")
        .order_by("created_at", "pk")
    ]
    if scope == SCOPE_ANSWER:
        accepted = next((r for r in visible if r.pk == thread.accepted_reply_id), None)
        if accepted is None:
            raise ValidationError(
                {"scope": _("Dit onderwerp heeft geen geaccepteerd antwoord om voor te stellen.")}
            )
        replies = [accepted]
    else:
        replies = visible
        if not replies:
            raise ValidationError({"scope": _("Dit onderwerp heeft nog geen reacties.")})
    title = (title or thread.title).strip()[:255]
    summary = (summary or html_to_text(thread.body)[:500]).strip()
    if not title:
        raise ValidationError({"title": _("Geef een titel op.")})
    if not summary:
        raise ValidationError({"summary": _("Geef een samenvatting op.")})
    if knowledge_request is not None and not knowledge_request.is_open:
        raise ValidationError({"knowledge_request": _("Deze kennisvraag is al beantwoord.")})
    keep_community = closed and not network_wide
    index = kennisbank_index_page_require()
    with transaction.atomic():
        page = KnowledgeDocumentPage(
            title=title,
            slug=unique_slug(index, title),
            summary=summary,
            doc_type=doc_type,
            year=timezone.localdate().year,
            community=community if keep_community else None,
            owner=actor,
            live=False,
            has_unpublished_changes=True,
        )
        page.body = _draft_body(
            thread=thread, replies=replies, scope=scope, network_wide=network_wide and closed
        )
        page.themes = themes
        index.add_child(instance=page)
        page.save_revision(user=actor, log_action=True)
        ThreadKnowledgeLink.objects.create(
            thread=thread,
            reply=replies[0] if scope == SCOPE_ANSWER else None,
            page=page,
            proposed_by=actor,
            network_wide=network_wide and closed,
        )
        if knowledge_request is not None:
            knowledge_request_answer_link(page=page, request=knowledge_request)
        audit_record(
            action="kennisbank.thread_proposed",
            actor=actor,
            target=page,
            data={
                "thread": thread.pk,
                "scope": scope,
                "network_wide": network_wide and closed,
            },
        )
        workflow_get(SUBMISSION_WORKFLOW).start(page, actor)
    return page


# --- kennisvragen --------------------------------------------------------------------------------


def knowledge_request_create(
    *,
    actor: User,
    question: str,
    query: str,
    assignee: User,
    theme: Theme | None = None,
    search_count: int = 0,
) -> KnowledgeRequest:
    """The Redactieraad turns a search without results into a kennisvraag for an ambassador, who
    is notified. Only board members (``PermissionDenied``); the assignee must be an active
    ambassador (``ValidationError``)."""
    from kpo.core.access import has_staff_role

    if not has_staff_role(actor, "redactieraad"):
        raise PermissionDenied(_("Alleen de Redactieraad maakt kennisvragen."))
    question = (question or "").strip()[:300]
    if not question:
        raise ValidationError({"question": _("Formuleer de kennisvraag.")})
    if not community_selectors.is_ambassador(user=assignee):
        raise ValidationError({"assignee": _("Kies een ambassadeur.")})
    with transaction.atomic():
        request = KnowledgeRequest.objects.create(
            question=question,
            query=(query or "").strip()[:200],
            theme=theme,
            search_count=max(int(search_count or 0), 0),
            assignee=assignee,
            created_by=actor,
        )
        notify(
            recipients=[assignee],
            kind=NOTIFY_KIND_REQUEST,
            title=_("Nieuwe kennisvraag voor jou: %(question)s") % {"question": question},
            body=_(
                "De Redactieraad vraagt je deze vraag uit het netwerk te laten beantwoorden: "
                "er werd op gezocht zonder resultaat (“%(query)s”)."
            )
            % {"query": request.query},
            url=reverse("kennisbank:knowledge_requests"),
            key=f"kennisvraag:{request.pk}",
        )
        audit_record(
            action="kennisbank.knowledge_request_created",
            actor=actor,
            target=request,
            data={"assignee": assignee.pk},
        )
    return request


def knowledge_request_answer_link(
    *, page: KnowledgeDocumentPage, request: KnowledgeRequest
) -> KnowledgeRequestAnswer:
    """A contribution names the open kennisvraag it answers (``ValidationError`` when closed)."""
    if not request.is_open:
        raise ValidationError({"knowledge_request": _("Deze kennisvraag is al beantwoord.")})
    answer, _created = KnowledgeRequestAnswer.objects.get_or_create(request=request, page=page)
    return answer


def knowledge_requests_close_for(*, page: KnowledgeDocumentPage) -> int:
    """The document is published: every open kennisvraag it answers closes, with the document;
    the assignee and the board member who asked are told. Returns how many closed; idempotent."""
    with transaction.atomic():
        return _close_for(page)


def _close_for(page: KnowledgeDocumentPage) -> int:
    open_requests = list(
        KnowledgeRequest.objects.select_for_update(of=("self",))
        .filter(status=KnowledgeRequest.Status.OPEN, answers__page=page)
        .select_related("assignee", "created_by")
    )
    now = timezone.now()
    for request in open_requests:
        request.status = KnowledgeRequest.Status.ANSWERED
        request.answered_by = page
        request.answered_at = now
        request.save(update_fields=["status", "answered_by", "answered_at"])
        notify(
            recipients=[u for u in (request.assignee, request.created_by) if u is not None],
            kind=NOTIFY_KIND_REQUEST,
            title=_("Kennisvraag beantwoord: %(question)s") % {"question": request.question},
            body=_("“%(title)s” is gepubliceerd en beantwoordt deze kennisvraag.")
            % {"title": page.title},
            url=reverse("kennisbank:knowledge_requests"),
            key=f"kennisvraag-beantwoord:{request.pk}",
            subject=page,
        )
    return len(open_requests)
