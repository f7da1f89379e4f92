"""Thin web views of the kennisbank (``/kennisbank-acties/``). The index page's context is
``kennisbank.selectors.document_index_for_user``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kennisbank import selectors, services
from kennisbank.forms import ReviewForm, ShareKnowledgeForm
from kennisbank.models import KnowledgeDocumentPage


@login_required
@require_http_methods(["GET", "POST"])
def share(request):
    """ "Kennis delen": a draft document that enters the "Redactieraad" workflow."""
    initial = {}
    if request.method == "GET" and (asked := request.GET.get("kennisvraag", "")).isdigit():
        initial["knowledge_request"] = asked[:18]  # a kennisvraag's "Beantwoorden" link
    form = ShareKnowledgeForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_submit(
                user=request.user,
                title=data["title"],
                summary=data["summary"],
                themes=data["themes"],
                doc_type=data["doc_type"],
                file=data["file"],
                community=form.community,
                knowledge_request=data.get("knowledge_request"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Dank je wel! Je bijdrage is ingediend en wordt nu beoordeeld "
                    "door een ambassadeur."
                ),
            )
            return redirect("kennisbank:submissions")
    return render(request, "kennisbank/share.html", {"form": form})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def submissions(request):
    """ "Mijn bijdragen": the user's documents with status and reviewers' comments."""
    return render(
        request,
        "kennisbank/submissions.html",
        {"submissions": selectors.submission_list_for_user(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk: int):
    """Edit and resubmit after "wijzigingen gevraagd"."""
    page = selectors.submission_get_for_user(user=request.user, pk=pk)
    if page is None:
        raise Http404
    draft = page.get_latest_revision_as_object()
    initial = {
        "title": draft.title,
        "summary": draft.summary,
        "themes": list(draft.themes.all()),
        "doc_type": draft.doc_type,
    }
    form = ShareKnowledgeForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        require_file=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_resubmit(
                user=request.user,
                page=page,
                title=data["title"],
                summary=data["summary"],
                themes=data["themes"],
                doc_type=data["doc_type"],
                file=data.get("file") or None,
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("kennisbank:submissions")
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Je aangepaste bijdrage is opnieuw ingediend."))
            return redirect("kennisbank:submissions")
    return render(request, "kennisbank/submission_edit.html", {"form": form, "page": page})


def download(request, document_id: int):
    """Serve an attachment as a download, only to who may read a document that uses it."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    document = selectors.attachment_get_for_user(user=request.user, document_id=document_id)
    if document is None:
        raise Http404
    services.attachment_register_download(document_id=document.pk)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def review_queue(request):
    """Front-end review list for ambassadors and the board (the admin works too)."""
    return render(
        request,
        "kennisbank/review_queue.html",
        {
            "queue": selectors.review_queue_for_user(user=request.user),
            # issue #17: the board's zero-result searches, everyone's kennisvragen
            "knowledge_board": selectors.can_see_knowledge_requests_board(user=request.user),
            "knowledge_requests_visible": selectors.can_see_knowledge_requests(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk: int):
    """Read the submitted revision and approve or ask for changes. 404 for non-reviewers."""
    page = KnowledgeDocumentPage.objects.filter(pk=pk).first()
    if page is None or not selectors.review_actions_for(user=request.user, page=page):
        raise Http404
    board = selectors.review_step_is_board(page=page)
    form = ReviewForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_review_action(
                page=page,
                user=request.user,
                action=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
                relevance=form.cleaned_data.get("relevance"),
                reliability=form.cleaned_data.get("reliability"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("kennisbank:review_queue")
        else:
            messages.success(request, _("Je beoordeling is verwerkt."))
            return redirect("kennisbank:review_queue")
    draft = page.get_latest_revision_as_object()
    return render(
        request,
        "kennisbank/review_detail.html",
        {
            "page": page,
            "draft": draft,
            "attachment_rows": list(draft.attachments.all()),
            "form": form,
            "board": board,
            "votes": selectors.board_pending_votes(page=page) if board else [],
            "quorum": services.board_quorum(),
            "thread_credits": selectors.thread_knowledge_credit(user=request.user, page=page),
        },
    )


@login_required
def decisions(request, pk: int):
    """The decision record of a document: for the board and the ambassadors only (404 else)."""
    page = KnowledgeDocumentPage.objects.filter(pk=pk).first()
    if page is None or not selectors.can_see_board_decisions(user=request.user):
        raise Http404
    return render(
        request,
        "kennisbank/decisions.html",
        {
            "page": page,
            "decisions": selectors.board_decision_list_for_user(user=request.user, page=page),
        },
    )
