"""Thin web views of "van vraag naar kennis" (issue #17): propose a thread as a knowledge
document, the board's zero-result searches and the kennisvragen. Rules live in
``kennisbank.services.knowledge`` and the selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities import selectors as community_selectors
from communities.models import Community
from communities.sanitize import html_to_text
from kennisbank import selectors, services
from kennisbank.forms_knowledge import KnowledgeRequestForm, QueryPeriodForm, ThreadProposalForm


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _thread_or_404(request, thread_id: int):
    thread = community_selectors.thread_get_for_user(user=request.user, pk=thread_id)
    if thread is None:
        raise Http404
    return thread


@login_required
@require_http_methods(["GET", "POST"])
def thread_propose(request, thread_id: int):
    """ "Voorstellen voor de kennisbank": a pre-filled draft that enters the review workflow."""
    thread = _thread_or_404(request, thread_id)  # not readable: 404
    if not community_selectors.thread_can_propose_knowledge(user=request.user, thread=thread):
        raise PermissionDenied
    community = thread.community
    closed = community.visibility != Community.Visibility.OPEN
    has_answer = thread.accepted_reply_id is not None
    initial = {
        "scope": "answer" if has_answer else "thread",
        "title": thread.title,
        "summary": html_to_text(thread.body)[:500],
        "themes": list(community.themes.all()),
    }
    form = ThreadProposalForm(
        request.POST or None,
        initial=initial,
        closed=closed and community_selectors.can_moderate(community=community, user=request.user),
        has_answer=has_answer,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            page = services.thread_knowledge_propose(
                actor=request.user,
                thread=thread,
                doc_type=data["doc_type"],
                themes=data["themes"],
                scope=data["scope"],
                title=data["title"],
                summary=data["summary"],
                network_wide=bool(data.get("network_wide")),
                confirm_network_wide=bool(data.get("confirm_network_wide")),
                knowledge_request=data.get("knowledge_request"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "“%(title)s” is voorgesteld voor de kennisbank en ligt nu bij een ambassadeur; "
                    "het onderwerp toont de link zodra het document is gepubliceerd."
                )
                % {"title": page.title},
            )
            return redirect(thread)
    return render(
        request,
        "kennisbank/thread_propose.html",
        {"form": form, "thread": thread, "community": community, "closed": closed},
    )


def _require_board(request) -> None:
    if not selectors.can_see_knowledge_requests_board(user=request.user):
        raise PermissionDenied


@login_required
def zero_results(request):
    """The board: searches without (many) results, grouped, over a period; one form per group
    makes a kennisvraag."""
    _require_board(request)
    period = QueryPeriodForm(request.GET or None)
    since, until = period.period()
    rows = selectors.zero_result_overview(since=since, until=until, theme=period.theme_slug())
    for number, row in enumerate(rows):
        group = row["group"]
        row["form"] = KnowledgeRequestForm(
            initial={
                "question": group.query,
                "query": group.query,
                "theme": group.theme or None,
                "search_count": group.times,
            },
            prefix=f"g{number}",
        )
    return render(
        request,
        "kennisbank/zero_results.html",
        {"period": period, "since": since, "until": until, "rows": rows},
    )


@login_required
@require_POST
def knowledge_request_create(request):
    _require_board(request)
    prefix = request.POST.get("prefix", "")[:12]
    form = KnowledgeRequestForm(request.POST, prefix=prefix or None)
    if not form.is_valid():
        messages.error(request, _("Vul de kennisvraag in en kies een ambassadeur."))
        return redirect("kennisbank:zero_results")
    data = form.cleaned_data
    try:
        created = services.knowledge_request_create(
            actor=request.user,
            question=data["question"],
            query=data["query"],
            theme=data.get("theme"),
            assignee=data["assignee"],
            search_count=data.get("search_count") or 0,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("kennisbank:zero_results")
    messages.success(
        request,
        _("Kennisvraag “%(question)s” is toegewezen aan %(name)s.")
        % {"question": created.question, "name": data["assignee"].display_name},
    )
    return redirect("kennisbank:knowledge_requests")


@login_required
def knowledge_requests(request):
    """Kennisvragen: the board sees all (or its own), an ambassador those assigned to them."""
    if not selectors.can_see_knowledge_requests(user=request.user):
        raise PermissionDenied
    board = selectors.can_see_knowledge_requests_board(user=request.user)
    mine = request.GET.get("mijn") == "1" or not board
    requests = list(selectors.knowledge_request_list(user=request.user, mine=mine))
    return render(
        request,
        "kennisbank/knowledge_requests.html",
        {
            "requests": requests,
            # the answering document is named only to those who may read it
            "readable_answers": selectors.knowledge_request_readable_answers(
                user=request.user, requests=requests
            ),
            "board": board,
            "mine": mine,
        },
    )
