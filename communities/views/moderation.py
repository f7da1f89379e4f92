"""Moderation: flags, hide/restore, pin/lock, suspensions and the moderator's queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from communities import selectors, services
from communities.forms import (
    AccountSuspendForm,
    FlagForm,
    MemberSuspendForm,
)
from communities.models import Community
from communities.views.base import (
    community_context,
    community_view,
    error_text,
    form_errors,
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
    action = request.POST.get("actie") if request.method == "POST" else None
    suspend_form = MemberSuspendForm(
        request.POST if action == "schorsen" else None,
        members=selectors.suspendable_members(community=community),
    )
    if request.method == "POST":
        if action == "schorsen":
            if suspend_form.is_valid():
                member = get_object_or_404(get_user_model(), pk=suspend_form.cleaned_data["member"])
                try:
                    services.member_suspend(
                        community=community,
                        actor=request.user,
                        user=member,
                        ends_at=suspend_form.cleaned_data["ends_at"],
                        reason=suspend_form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    form_errors(suspend_form, exc)
                else:
                    messages.success(request, _("Het lid is geschorst."))
                    return redirect("communities:moderation", community.slug)
        elif action == "opheffen":
            suspension = selectors.suspension_get(
                pk=request.POST.get("schorsing"), community=community
            )
            if suspension is None:
                raise Http404
            try:
                services.suspension_lift(suspension=suspension, actor=request.user)
                messages.success(request, _("De schorsing is opgeheven."))
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            return redirect("communities:moderation", community.slug)
        elif "zaaksgegevens" in request.POST:
            confirmation = get_object_or_404(
                community.case_data_confirmations.all(),
                pk=_int_or_none(request.POST.get("zaaksgegevens")),
            )
            services.case_data_review(confirmation=confirmation, actor=request.user)
            return redirect("communities:moderation", community.slug)
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
            suspend_form=suspend_form,
            suspensions=selectors.suspension_list_active(community=community),
        ),
        status=400 if suspend_form.errors else 200,
    )


def _int_or_none(value: str | None) -> int | None:
    """A posted id, or None (so a bad value is a 404, never a 500)."""
    return int(value) if value and value.isdigit() and len(value) < 19 else None


@login_required
def moderation_overview(request):
    """The moderation queue across communities (``/communities/moderatie/``): flags, confirmed
    case data and join requests from every community the user moderates (platform moderators:
    every open and closed one), with the actions of the existing moderation services; for
    platform admins and platform moderators also the platform-wide suspensions."""
    may_suspend = selectors.can_suspend_platform_wide(user=request.user)
    queue = selectors.moderation_queue_for_user(user=request.user)
    if queue["scope"].empty and not may_suspend:
        raise PermissionDenied
    action = request.POST.get("actie") if request.method == "POST" else None
    suspend_form = AccountSuspendForm(request.POST if action == "schorsen" else None)
    if request.method == "POST":
        try:
            done = _overview_action(request, action, suspend_form, may_suspend)
        except (ValidationError, PermissionDenied) as exc:
            if action == "schorsen" and isinstance(exc, ValidationError):
                form_errors(suspend_form, exc)
            else:
                messages.error(request, error_text(exc))
        else:
            if done:
                messages.success(request, done)
                return redirect("communities:moderation_overview")
    return render(
        request,
        "communities/moderation_overview.html",
        {
            **queue,
            "may_decide_all": bool(request.user.is_superuser),
            "may_suspend": may_suspend,
            "suspend_form": suspend_form,
            "suspensions": (
                selectors.suspension_list_active(community=None) if may_suspend else []
            ),
        },
        status=400 if suspend_form.errors else 200,
    )


def _overview_action(request, action, suspend_form, may_suspend) -> str | None:
    """Run one posted action of the overview through its service; the success text, or None
    when a form has errors to show."""
    user = request.user
    if action in {"verbergen", "geen-actie"}:
        flag_obj = selectors.moderation_flag_get(user=user, pk=request.POST.get("melding"))
        if flag_obj is None:
            raise Http404
        if action == "verbergen":
            services.moderation_hide(post=flag_obj.post, actor=user)
            return _("Het bericht is verborgen.")
        services.flag_dismiss(flag=flag_obj, actor=user)
        return _("De melding is afgehandeld.")
    if action == "beoordeeld":
        confirmation = selectors.moderation_case_data_get(
            user=user, pk=request.POST.get("zaaksgegevens")
        )
        if confirmation is None:
            raise Http404
        services.case_data_review(confirmation=confirmation, actor=user)
        return _("Gemarkeerd als beoordeeld.")
    if action in {"goedkeuren", "afwijzen"}:
        join_request = selectors.moderation_join_request_get(
            user=user, pk=request.POST.get("verzoek")
        )
        if join_request is None:
            raise Http404
        services.join_request_decide(
            join_request=join_request, actor=user, approve=action == "goedkeuren"
        )
        return _("Het verzoek is afgehandeld.")
    if action == "schorsen" and may_suspend:
        if not suspend_form.is_valid():
            return None
        account = (
            get_user_model()
            .objects.filter(email__iexact=suspend_form.cleaned_data["email"])
            .first()
        )
        if account is None:
            raise ValidationError({"email": _("Er is geen account met dit e-mailadres.")})
        services.account_suspend(
            actor=user,
            user=account,
            ends_at=suspend_form.cleaned_data["ends_at"],
            reason=suspend_form.cleaned_data["reason"],
        )
        return _("Het account is op het hele platform geschorst.")
    if action == "opheffen" and may_suspend:
        suspension = selectors.suspension_get(pk=request.POST.get("schorsing"), community=None)
        if suspension is None:
            raise Http404
        services.suspension_lift(suspension=suspension, actor=user)
        return _("De schorsing is opgeheven.")
    raise Http404
