"""Web views of communities: thin, calling selectors for reads and services for writes.

Access: a community that is not visible (secret, non-member) is a 404 everywhere. Content of a
closed community for a non-member is a join prompt (403); content of a secret community for a
non-member never gets that far.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors, services
from communities.forms import (
    CommunityForm,
    EditForm,
    EventForm,
    FlagForm,
    InviteForm,
    JoinRequestForm,
    PreferenceForm,
    ReplyForm,
    RSVPForm,
    ThreadForm,
    UploadForm,
)
from communities.ical import event_ics, events_ics
from communities.models import RSVP, Community, Invitation, JoinRequest, Membership, Reply, Thread
from kpo.core.access import community_ids_in, user_principals
from kpo.notifications.models import NotificationPreference
from kpo.notifications.services import notification_preference_set


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Dat mag je hier niet doen.")


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def community_view(content: bool = False):
    """Resolve ``slug`` to a community the user may see (else 404). With ``content=True`` the user
    must also be able to read its content; a closed community shows the join prompt."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            community = selectors.community_get_for_user(user=request.user, slug=slug)
            if community is None:
                raise Http404
            if content and not selectors.community_content_visible(
                community=community, user=request.user
            ):
                return _join_prompt(request, community)
            return view(request, community, *args, **kwargs)

        return wrapper

    return decorator


def _join_prompt(request, community: Community):
    membership = selectors.membership_get(community=community, user=request.user)
    pending = JoinRequest.objects.filter(
        community=community, user=request.user, status=JoinRequest.Status.PENDING
    ).exists()
    return render(
        request,
        "communities/join_prompt.html",
        {"community": community, "membership": membership, "pending": pending},
        status=403,
    )


def _ctx(request, community: Community, **extra) -> dict:
    membership = selectors.membership_get(community=community, user=request.user)
    return {
        "community": community,
        "membership": membership,
        "is_member": bool(membership and membership.is_active),
        "can_moderate": services.can_moderate(community=community, user=request.user),
        "can_manage": services.can_manage(community=community, user=request.user),
        **extra,
    }


# --- communities ---------------------------------------------------------------------------------


@login_required
def community_list(request):
    communities = selectors.community_list_for_user(user=request.user).annotate(
        member_count=Count("memberships", filter=_active_q())
    )
    mine = community_ids_in(user_principals(request.user))  # active memberships
    return render(
        request,
        "communities/community_list.html",
        {
            "communities": communities,
            "mine": mine,
            "can_create": services.can_create_community(user=request.user),
        },
    )


def _active_q():
    from django.db.models import Q

    return Q(memberships__state=Membership.State.ACTIVE)


@community_view()
def community_detail(request, community: Community):
    readable = selectors.community_content_visible(community=community, user=request.user)
    ctx = _ctx(
        request,
        community,
        readable=readable,
        **selectors.community_relations_for_user(user=request.user, community=community),
    )
    if readable:
        user = request.user
        pref = NotificationPreference.objects.filter(user=user, community=community).first()
        ctx.update(
            feed=selectors.activity_feed_for_user(user=user, community=community),
            threads=selectors.thread_list_for_user(user=user, community=community)[:10],
            unanswered=selectors.thread_list_for_user(
                user=user, community=community, unanswered=True
            )[:10],
            events=selectors.event_list_for_user(user=user, community=community, upcoming=True)[:5],
            files=selectors.attachment_list_for_user(user=user, community=community)[:5],
            following=selectors.is_following(user=user, community=community),
            preference_form=PreferenceForm(
                initial={"email_mode": pref.email_mode if pref else "instant"}
            ),
        )
    else:
        ctx["pending"] = JoinRequest.objects.filter(
            community=community, user=request.user, status=JoinRequest.Status.PENDING
        ).exists()
    return render(request, "communities/community_detail.html", ctx)


@login_required
def community_create(request):
    if not services.can_create_community(user=request.user):
        raise PermissionDenied
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(creator=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("De community is aangemaakt."))
            return redirect(community)
    return render(request, "communities/community_form.html", {"form": form})


@community_view()
def community_edit(request, community: Community):
    if not services.can_manage(community=community, user=request.user):
        raise PermissionDenied
    initial = {
        "name": community.name,
        "description": community.description,
        "visibility": community.visibility,
        "themes": list(community.themes.all()),
    }
    form = CommunityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update(community=community, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("De community is bijgewerkt."))
            return redirect(community)
    return render(
        request, "communities/community_form.html", {"form": form, "community": community}
    )


@require_POST
@community_view()
def community_join(request, community: Community):
    try:
        services.membership_join(community=community, user=request.user)
        messages.success(request, _("Je bent nu lid van %(name)s.") % {"name": community.name})
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(community)


@community_view()
def community_request(request, community: Community):
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(community=community, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, _("Je verzoek is verstuurd. Een community manager beslist erover.")
            )
        return redirect(community)
    return render(request, "communities/request_form.html", {"form": form, "community": community})


@require_POST
@community_view()
def community_leave(request, community: Community):
    try:
        services.membership_leave(community=community, user=request.user)
        messages.success(
            request, _("Je bent geen lid meer van %(name)s.") % {"name": community.name}
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    if selectors.community_get_for_user(user=request.user, slug=community.slug) is None:
        return redirect("communities:list")
    return redirect(community)


@require_POST
@community_view(content=True)
def community_follow(request, community: Community):
    follow = request.POST.get("volgen") == "1"
    services.community_follow(community=community, user=request.user, follow=follow)
    return redirect(community)


@require_POST
@community_view(content=True)
def community_preference(request, community: Community):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        notification_preference_set(
            user=request.user, community=community, email_mode=form.cleaned_data["email_mode"]
        )
        messages.success(request, _("Je voorkeur is opgeslagen."))
    return redirect(community)


@community_view(content=True)
def community_members(request, community: Community):
    members = selectors.member_list_for_user(user=request.user, community=community)
    if not members.exists() and not services.is_member(community=community, user=request.user):
        return _join_prompt(request, community)
    page = Paginator(members, 50).get_page(request.GET.get("pagina"))
    return render(request, "communities/members.html", _ctx(request, community, page_obj=page))


@community_view()
def community_manage(request, community: Community):
    if not services.can_manage(community=community, user=request.user):
        raise PermissionDenied
    invite_form = InviteForm(request.POST if request.POST.get("actie") == "uitnodigen" else None)
    if request.method == "POST":
        action = request.POST.get("actie")
        try:
            if action == "uitnodigen":
                if invite_form.is_valid():
                    services.invitation_create(
                        community=community, actor=request.user, **invite_form.cleaned_data
                    )
                    messages.success(request, _("De uitnodiging is verstuurd."))
                    return redirect("communities:manage", community.slug)
            elif action in {"goedkeuren", "afwijzen"}:
                join_request = get_object_or_404(
                    JoinRequest, pk=request.POST.get("verzoek"), community=community
                )
                services.join_request_decide(
                    join_request=join_request,
                    actor=request.user,
                    approve=action == "goedkeuren",
                    message=request.POST.get("bericht", ""),
                )
                messages.success(request, _("Het verzoek is afgehandeld."))
                return redirect("communities:manage", community.slug)
            elif action in {"rol", "verwijderen"}:
                membership = get_object_or_404(
                    Membership, pk=request.POST.get("lidmaatschap"), community=community
                )
                if action == "rol":
                    services.membership_change_role(
                        membership=membership, actor=request.user, role=request.POST.get("rol", "")
                    )
                else:
                    services.membership_remove(membership=membership, actor=request.user)
                messages.success(request, _("Het lidmaatschap is bijgewerkt."))
                return redirect("communities:manage", community.slug)
        except ValidationError as exc:
            if action == "uitnodigen":
                _form_errors(invite_form, exc)
            else:
                messages.error(request, _error_text(exc))
    return render(
        request,
        "communities/manage.html",
        _ctx(
            request,
            community,
            invite_form=invite_form,
            join_requests=selectors.join_request_list(community=community),
            members=selectors.member_list_for_user(user=request.user, community=community),
            invitations=community.invitations.filter(status=Invitation.Status.PENDING),
            roles=Membership.Role.choices,
        ),
    )


@login_required
def invitation_accept(request, token: str):
    invitation = Invitation.objects.select_related("community").filter(token=token).first()
    if invitation is None or (
        invitation.user_id != request.user.pk
        and invitation.email.lower() != request.user.email.lower()
    ):
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("communities:list")
        messages.success(request, _("Welkom in %(name)s!") % {"name": invitation.community.name})
        return redirect(invitation.community)
    return render(request, "communities/invitation.html", {"invitation": invitation})


# --- threads -------------------------------------------------------------------------------------


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
        _ctx(request, community, page_obj=page, unanswered=unanswered),
    )


@community_view(content=True)
def thread_create(request, community: Community):
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [data["attachment"]] if data.get("attachment") else []
        try:
            thread = services.thread_create(
                community=community,
                author=request.user,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                uploads=uploads,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, _error_text(exc))
            return redirect(community)
        else:
            return redirect(thread)
    return render(request, "communities/thread_form.html", _ctx(request, community, form=form))


def _thread_or_404(request, community: Community, pk: int, include_removed: bool = False):
    thread = selectors.thread_get_for_user(
        user=request.user, pk=pk, include_removed=include_removed
    )
    if thread is None or thread.community_id != community.pk:
        raise Http404
    return thread


@community_view(content=True)
def thread_detail(request, community: Community, pk: int):
    moderator = services.can_moderate(community=community, user=request.user)
    thread = _thread_or_404(request, community, pk, include_removed=moderator)
    if thread.is_deleted and not moderator:
        raise Http404
    replies = list(
        selectors.reply_list_for_thread(user=request.user, thread=thread, moderator=moderator)
    )
    for reply in replies:
        reply.thread = thread  # no query per reply for its URL
    ctx = _ctx(
        request,
        community,
        thread=thread,
        replies=replies,
        reply_form=ReplyForm(),
        following=selectors.is_following(user=request.user, thread=thread),
        thread_useful=thread.reactions.filter(reply__isnull=True).count(),
        thread_reacted=thread.reactions.filter(reply__isnull=True, user=request.user).exists(),
        thread_attachments=list(thread.attachments.filter(reply__isnull=True)),
        revisions=list(thread.revisions.all()) if moderator else [],
    )
    return render(request, "communities/thread_detail.html", ctx)


@require_POST
@community_view(content=True)
def reply_create(request, community: Community, pk: int):
    thread = _thread_or_404(request, community, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        uploads = [form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else []
        try:
            reply = services.reply_create(
                thread=thread, author=request.user, body=form.cleaned_data["body"], uploads=uploads
            )
            return redirect(reply.get_absolute_url())
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _("Schrijf een reactie."))
    return redirect(thread)


def _post(request, community: Community, pk: int, reply_pk: int | None, include_removed=False):
    thread = _thread_or_404(request, community, pk, include_removed=include_removed)
    if reply_pk is None:
        return thread, thread
    reply = get_object_or_404(Reply, pk=reply_pk, thread=thread, is_deleted=False)
    reply.thread = thread
    return thread, reply


def _post_action(handler):
    """POST-only action on a thread or reply, redirecting back with a message."""

    @require_POST
    @community_view(content=True)
    @wraps(handler)
    def wrapper(request, community, pk, reply_pk=None):
        moderator = services.can_moderate(community=community, user=request.user)
        thread, post = _post(request, community, pk, reply_pk, include_removed=moderator)
        try:
            message = handler(request, thread=thread, post=post)
            if message:
                messages.success(request, message)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        return redirect(
            post.get_absolute_url() if post is not thread else thread.get_absolute_url()
        )

    return wrapper


@_post_action
def reply_accept(request, *, thread, post):
    services.reply_accept(reply=post, actor=request.user)
    return _("Het antwoord is geaccepteerd.")


@_post_action
def react(request, *, thread, post):
    kwargs = {"thread": post} if post is thread else {"reply": post}
    services.reaction_toggle(user=request.user, **kwargs)
    return None


@_post_action
def thread_follow(request, *, thread, post):
    if request.POST.get("volgen") == "1":
        services.thread_follow(thread=thread, user=request.user)
        return _("Je volgt dit onderwerp.")
    services.thread_unfollow(thread=thread, user=request.user)
    return _("Je volgt dit onderwerp niet meer.")


@_post_action
def flag(request, *, thread, post):
    form = FlagForm(request.POST)
    services.flag_create(user=request.user, post=post, reason=request.POST.get("reason", ""))
    return _("Dank je. De moderatoren bekijken je melding.") if form.is_valid() else None


@_post_action
def post_delete(request, *, thread, post):
    services.post_soft_delete(post=post, actor=request.user)
    return _("Het bericht is verwijderd.")


@_post_action
def thread_pin(request, *, thread, post):
    services.thread_pin(thread=thread, actor=request.user, pinned=not thread.pinned)
    return _("Vastzetten bijgewerkt.")


@_post_action
def thread_lock(request, *, thread, post):
    services.thread_lock(thread=thread, actor=request.user, locked=not thread.locked)
    return _("Het onderwerp is gesloten.") if thread.locked else _("Het onderwerp is heropend.")


@_post_action
def moderation_hide(request, *, thread, post):
    services.moderation_hide(post=post, actor=request.user, note=request.POST.get("note", ""))
    return _("Het bericht is verborgen.")


@_post_action
def moderation_restore(request, *, thread, post):
    services.moderation_restore(post=post, actor=request.user, note=request.POST.get("note", ""))
    return _("Het bericht is weer zichtbaar.")


@community_view(content=True)
def post_edit(request, community: Community, pk: int, reply_pk: int | None = None):
    thread, post = _post(request, community, pk, reply_pk)
    from communities.sanitize import html_to_text

    initial = {"body": html_to_text(post.body)}
    if post is thread:
        initial["title"] = thread.title
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                post=post,
                actor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"] if post is thread else None,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        return redirect(post.get_absolute_url())
    return render(
        request,
        "communities/post_edit.html",
        _ctx(request, community, form=form, thread=thread, is_thread=post is thread),
    )


@community_view(content=True)
def moderation_queue(request, community: Community):
    if not services.can_moderate(community=community, user=request.user):
        raise PermissionDenied
    if request.method == "POST":
        flag_obj = get_object_or_404(community.flags.all(), pk=request.POST.get("melding"))
        services.flag_dismiss(flag=flag_obj, actor=request.user)
        return redirect("communities:moderation", community.slug)
    return render(
        request,
        "communities/moderation.html",
        _ctx(
            request,
            community,
            flags=selectors.flag_queue(community=community),
            log=community.moderation_log.select_related("actor", "thread", "target_user")[:50],
        ),
    )


# --- files ---------------------------------------------------------------------------------------


@community_view(content=True)
def file_list(request, community: Community):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_create(
                community=community, user=request.user, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Het bestand is gedeeld."))
            return redirect("communities:files", community.slug)
    files = selectors.attachment_list_for_user(user=request.user, community=community)
    page = Paginator(files, 30).get_page(request.GET.get("pagina"))
    status = 400 if form.errors else 200
    return render(
        request,
        "communities/files.html",
        _ctx(request, community, form=form, page_obj=page),
        status=status,
    )


@login_required
def attachment_download(request, slug: str, pk: int):
    """Serve a private file after the access check; always as a download. 404 when the user may
    not read it (never revealing whether it exists)."""
    community = selectors.community_get_for_user(user=request.user, slug=slug)
    if community is None:
        raise Http404
    attachment = selectors.attachment_get_for_user(user=request.user, community=community, pk=pk)
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type or mimetypes.guess_type(attachment.filename)[0],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- events --------------------------------------------------------------------------------------


@community_view(content=True)
def event_list(request, community: Community):
    events = selectors.event_list_for_user(user=request.user, community=community)
    return render(request, "communities/event_list.html", _ctx(request, community, events=events))


@community_view(content=True)
def event_create(request, community: Community):
    if not services.can_moderate(community=community, user=request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                community=community, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(event)
    return render(request, "communities/event_form.html", _ctx(request, community, form=form))


def _event_or_404(request, community, event_slug):
    event = selectors.event_get_for_user(user=request.user, community=community, slug=event_slug)
    if event is None:
        raise Http404
    return event


@community_view(content=True)
def event_detail(request, community: Community, event_slug: str):
    event = _event_or_404(request, community, event_slug)
    mine = RSVP.objects.filter(event=event, user=request.user).first()
    form = RSVPForm(request.POST or None, initial={"answer": mine.answer if mine else "yes"})
    if request.method == "POST" and form.is_valid():
        try:
            services.rsvp_set(event=event, user=request.user, answer=form.cleaned_data["answer"])
            messages.success(request, _("Je antwoord is opgeslagen."))
            return redirect(event)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
    counts = dict(
        event.rsvps.values_list("answer").annotate(n=Count("pk")).values_list("answer", "n")
    )
    return render(
        request,
        "communities/event_detail.html",
        _ctx(request, community, event=event, form=form, mine=mine, counts=counts),
    )


@community_view(content=True)
def event_edit(request, community: Community, event_slug: str):
    event = _event_or_404(request, community, event_slug)
    if not services.can_moderate(community=community, user=request.user):
        raise PermissionDenied
    fields = ("title", "starts_at", "ends_at", "location", "online_url", "capacity", "description")
    form = EventForm(request.POST or None, initial={f: getattr(event, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("De bijeenkomst is bijgewerkt."))
            return redirect(event)
    return render(
        request,
        "communities/event_form.html",
        _ctx(request, community, form=form, event=event),
    )


@community_view(content=True)
def event_ics_download(request, community: Community, event_slug: str):
    event = _event_or_404(request, community, event_slug)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@community_view(content=True)
def calendar_subscription(request, community: Community):
    """The member's subscription URL of this community's calendar: see, renew or revoke it."""
    if not services.is_member(community=community, user=request.user):
        raise Http404
    token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            services.calendar_token_revoke(community=community, user=request.user)
            messages.success(request, _("Je agenda-abonnement is ingetrokken."))
        else:
            services.calendar_token_regenerate(community=community, user=request.user)
            messages.success(request, _("Je hebt een nieuwe agenda-link; de oude werkt niet meer."))
        return redirect("communities:calendar", community.slug)
    token = community.calendar_tokens.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(token.get_absolute_url()) if token else ""
    return render(
        request,
        "communities/calendar.html",
        _ctx(request, community, token=token, feed_url=feed_url),
    )


def calendar_feed(request, slug: str, token: str):
    """The subscribable calendar: no session (calendar apps have none), the secret token in the
    URL names the member; their access rule decides which events are in it. 404 for an
    unknown or revoked token and when the membership has ended."""
    found = selectors.calendar_feed_events(token=token)
    if found is None or found[0].slug != slug:
        raise Http404
    community, events = found
    response = HttpResponse(
        events_ics(events, name=community.name), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- feed ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedSubject:
    """What one feed request is about: the community and the reader. Django's ``Feed`` is one
    shared instance for all requests (and threads), so per-request state travels here, never on
    the instance."""

    community: Community
    user: Any


class CommunityThreadsFeed(Feed):
    """RSS of a community's newest threads, for logged-in readers (session); 404 for anyone who
    may not read the content. Stateless: everything a request needs is in its ``FeedSubject``."""

    def get_object(self, request, slug):
        if not request.user.is_authenticated:
            raise Http404
        community = selectors.community_get_for_user(user=request.user, slug=slug)
        if community is None or not selectors.community_content_visible(
            community=community, user=request.user
        ):
            raise Http404
        return FeedSubject(community=community, user=request.user)

    def title(self, obj: FeedSubject):
        return obj.community.name

    def link(self, obj: FeedSubject):
        return obj.community.get_absolute_url()

    def description(self, obj: FeedSubject):
        return obj.community.description

    def items(self, obj: FeedSubject):
        return selectors.thread_list_for_user(user=obj.user, community=obj.community).order_by(
            "-created_at"
        )[:30]

    def item_title(self, item: Thread):
        return item.title

    def item_description(self, item: Thread):
        from communities.sanitize import html_to_text

        return html_to_text(item.body)[:500]

    def item_link(self, item: Thread):
        return item.get_absolute_url()

    def item_pubdate(self, item: Thread):
        return item.created_at


community_feed = CommunityThreadsFeed()
