"""Threads and replies: list, create, detail, reply, edit, and the member actions on a post."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors, services
from communities.forms import (
    EditForm,
    ReplyForm,
)
from communities.models import Community
from communities.pagecache import thread_page_version
from communities.views.base import (
    community_context,
    community_view,
    error_text,
    form_errors,
    post_action,
    post_or_404,
    rights,
    thread_or_404,
)
from communities.views.routing import ask_form
from kpo.core.pagecache import cached_view


@community_view(content=True)
def thread_list(request, community: Community):
    unanswered = request.GET.get("open") == "1"
    threads = selectors.thread_list_for_user(
        user=request.user, community=community, unanswered=unanswered
    )
    page = Paginator(threads, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "communities/thread_list.html",
        community_context(request, community, page_obj=page, unanswered=unanswered),
    )


@community_view(content=True)
def thread_create(request, community: Community):
    """The ask form: a question or discussion, optionally routed to a theme's experts with an
    answer deadline (``services.question_ask``: case-data guard, then the route)."""
    form = ask_form(request, community)
    case_data = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [data["attachment"]] if data.get("attachment") else []
        try:
            thread = services.question_ask(
                community=community,
                author=request.user,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                uploads=uploads,
                case_data_reason=data.get("case_data_reason"),
                route_theme=data.get("route_theme"),
                deadline_days=data.get("deadline_days"),
            )
        except services.CaseDataWarning as exc:
            case_data = exc
            form.reveal_case_data_reason()
        except ValidationError as exc:
            form_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, error_text(exc))
            return redirect(community)
        else:
            return redirect(thread)
    return render(
        request,
        "communities/thread_form.html",
        community_context(
            request,
            community,
            form=form,
            case_data=case_data,
            has_file=bool(request.FILES),
        ),
        status=200 if case_data is None else 400,
    )


@community_view(content=True)
def thread_detail(request, community: Community, pk: int):
    """The thread page, cached per principal set and the reader's rights in the community
    (ADR 0035). The doors run first on every request (login, the community's access rule, the
    rights and a suspension); what belongs to one reader (own reactions, following, authorship)
    sits in reader regions, filled in per request."""
    standing = selectors.reader_standing(
        community=community, user=request.user, rights=lambda: rights(request, community)
    )
    suspension = standing.suspended_at(timezone.now())
    variant = (
        community.pk,
        standing.is_member,
        standing.can_moderate,
        standing.can_manage,
        f"{suspension[0]}@{suspension[1].isoformat()}" if suspension else "-",
        # "Propose for the kennisbank": moderators and ambassadors (the thread's own state is in
        # its version).
        standing.can_moderate or standing.ambassador,
    )
    versions = (thread_page_version(request, pk),)
    return cached_view(
        request, lambda: _thread_page(request, community, pk), variant=variant, versions=versions
    )


def _thread_page(request, community: Community, pk: int):
    moderator = rights(request, community).can_moderate
    thread = thread_or_404(request, community, pk, include_removed=moderator)
    if thread.is_deleted and not moderator:
        raise Http404
    replies = list(
        selectors.reply_list_for_thread(user=request.user, thread=thread, moderator=moderator)
    )
    for reply in replies:
        reply.thread = thread  # no query per reply for its URL
        reply.react_key = f"r:{thread.pk}:{reply.pk}"  # type: ignore[attr-defined]
    opening = selectors.thread_opening_post(thread=thread)
    ctx = community_context(
        request,
        community,
        thread=thread,
        replies=replies,
        reply_form=ReplyForm(),
        thread_react_key=f"t:{thread.pk}",
        **opening,
        revisions=list(thread.revisions.all()) if moderator else [],
        routing=selectors.question_route_for_reader(thread=thread, user=request.user),
        knowledge_pages=selectors.thread_knowledge_pages(user=request.user, thread=thread),
        can_propose_knowledge=selectors.thread_can_propose_knowledge(
            user=request.user, thread=thread, moderator=moderator
        ),
    )
    return render(request, "communities/thread_detail.html", ctx)


@require_POST
@community_view(content=True)
def reply_create(request, community: Community, pk: int):
    thread = thread_or_404(request, community, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        uploads = [form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else []
        try:
            reply = services.reply_create(
                thread=thread,
                author=request.user,
                body=form.cleaned_data["body"],
                uploads=uploads,
                case_data_reason=form.cleaned_data.get("case_data_reason"),
            )
            return redirect(reply.get_absolute_url())
        except services.CaseDataWarning as exc:
            form.reveal_case_data_reason()
            return render(
                request,
                "communities/reply_confirm.html",
                community_context(
                    request,
                    community,
                    form=form,
                    thread=thread,
                    case_data=exc,
                    has_file=bool(uploads),
                ),
                status=400,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, _("Schrijf een reactie."))
    return redirect(thread)


@post_action
def reply_accept(request, *, thread, post):
    services.reply_accept(reply=post, actor=request.user)
    return _("Het antwoord is geaccepteerd.")


@post_action
def react(request, *, thread, post):
    kwargs = {"thread": post} if post is thread else {"reply": post}
    services.reaction_toggle(user=request.user, **kwargs)
    return None


@post_action
def thread_follow(request, *, thread, post):
    if request.POST.get("volgen") == "1":
        services.thread_follow(thread=thread, user=request.user)
        return _("Je volgt dit onderwerp.")
    services.thread_unfollow(thread=thread, user=request.user)
    return _("Je volgt dit onderwerp niet meer.")


@post_action
def post_delete(request, *, thread, post):
    services.post_soft_delete(post=post, actor=request.user)
    return _("Het bericht is verwijderd.")


@community_view(content=True)
def post_edit(request, community: Community, pk: int, reply_pk: int | None = None):
    thread, post = post_or_404(request, community, pk, reply_pk)
    from communities.sanitize import html_to_text

    initial = {"body": html_to_text(post.body)}
    if post is thread:
        initial["title"] = thread.title
    form = EditForm(request.POST or None, initial=initial)
    case_data = None
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                post=post,
                actor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"] if post is thread else None,
                case_data_reason=form.cleaned_data.get("case_data_reason"),
            )
        except services.CaseDataWarning as exc:
            case_data = exc
            form.reveal_case_data_reason()
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return redirect(post.get_absolute_url())
        else:
            return redirect(post.get_absolute_url())
    return render(
        request,
        "communities/post_edit.html",
        community_context(
            request,
            community,
            form=form,
            thread=thread,
            is_thread=post is thread,
            case_data=case_data,
        ),
        status=200 if case_data is None else 400,
    )
