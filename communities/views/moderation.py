"""Moderation: flags, hide/restore, pin/lock and the moderator's queue."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from communities import selectors, services
from communities.forms import (
    FlagForm,
)
from communities.models import Community
from communities.views.base import (
    community_context,
    community_view,
    post_action,
    rights,
)


@post_action
def flag(request, *, thread, post):
    form = FlagForm(request.POST)
    services.flag_create(user=request.user, post=post, reason=request.POST.get("reason", ""))
    return _("Dank je. De moderatoren bekijken je melding.") if form.is_valid() else None


@post_action
def thread_pin(request, *, thread, post):
    services.thread_pin(thread=thread, actor=request.user, pinned=not thread.pinned)
    return _("Vastzetten bijgewerkt.")


@post_action
def thread_lock(request, *, thread, post):
    services.thread_lock(thread=thread, actor=request.user, locked=not thread.locked)
    return _("Het onderwerp is gesloten.") if thread.locked else _("Het onderwerp is heropend.")


@post_action
def moderation_hide(request, *, thread, post):
    services.moderation_hide(post=post, actor=request.user, note=request.POST.get("note", ""))
    return _("Het bericht is verborgen.")


@post_action
def moderation_restore(request, *, thread, post):
    services.moderation_restore(post=post, actor=request.user, note=request.POST.get("note", ""))
    return _("Het bericht is weer zichtbaar.")


@community_view(content=True)
def moderation_queue(request, community: Community):
    if not rights(request, community).can_moderate:
        raise PermissionDenied
    if request.method == "POST":
        if "zaaksgegevens" in request.POST:
            confirmation = get_object_or_404(
                community.case_data_confirmations.all(),
                pk=_int_or_none(request.POST.get("zaaksgegevens")),
            )
            services.case_data_review(confirmation=confirmation, actor=request.user)
        else:
            flag_obj = selectors.flag_get(community=community, pk=request.POST.get("melding"))
            if flag_obj is None:
                raise Http404
            services.flag_dismiss(flag=flag_obj, actor=request.user)
        return redirect("communities:moderation", community.slug)
    return render(
        request,
        "communities/moderation.html",
        community_context(
            request,
            community,
            flags=selectors.flag_queue(community=community),
            case_data=selectors.case_data_queue(community=community),
            log=selectors.moderation_log_list(community=community),
        ),
    )


def _int_or_none(value: str | None) -> int | None:
    """A posted id, or None (so a bad value is a 404, never a 500)."""
    return int(value) if value and value.isdigit() and len(value) < 19 else None
