"""Community pages: list, detail, create/edit, membership (join, request, leave, follow,
preferences), members and the manager's page, invitations.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors, services
from communities.forms import (
    CommunityForm,
    InviteForm,
    JoinRequestForm,
    LandingTextForm,
    PinForm,
    PreferenceForm,
)
from communities.models import Community, Membership
from communities.views.base import (
    community_context,
    community_view,
    error_text,
    form_errors,
    join_prompt,
    rights,
)
from kpo.notifications.services import notification_preference_set


@login_required
def community_list(request):
    communities = selectors.community_list_with_member_count(user=request.user)
    mine = selectors.my_community_ids(user=request.user)
    return render(
        request,
        "communities/community_list.html",
        {
            "communities": communities,
            "mine": mine,
            "can_create": selectors.can_create_community(user=request.user),
            "moderates": not selectors.moderation_scope(user=request.user).empty
            or selectors.can_suspend_platform_wide(user=request.user),
        },
    )


@community_view()
def community_detail(request, community: Community):
    readable = selectors.community_content_visible(community=community, user=request.user)
    ctx = community_context(
        request,
        community,
        readable=readable,
        **selectors.community_relations_for_user(user=request.user, community=community),
    )
    if readable:
        user = request.user
        ctx.update(
            feed=selectors.activity_feed_for_user(user=user, community=community),
            threads=selectors.thread_list_for_user(user=user, community=community)[:10],
            unanswered=selectors.thread_list_for_user(
                user=user, community=community, unanswered=True
            )[:10],
            events=selectors.event_list_for_user(user=user, community=community, upcoming=True)[:5],
            pins=selectors.community_pins_for_user(user=user, community=community),
            files=selectors.attachment_list_for_user(user=user, community=community)[:5],
            following=selectors.is_following(user=user, community=community),
            preference_form=PreferenceForm(
                initial={
                    "email_mode": selectors.community_email_mode(user=user, community=community)
                }
            ),
        )
    else:
        ctx["pending"] = selectors.join_request_pending(community=community, user=request.user)
    return render(request, "communities/community_detail.html", ctx)


@login_required
def community_create(request):
    if not selectors.can_create_community(user=request.user):
        raise PermissionDenied
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("De community is aangemaakt."))
            return redirect(community)
    return render(request, "communities/community_form.html", {"form": form})


@community_view()
def community_edit(request, community: Community):
    if not rights(request, community).can_manage:
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
            form_errors(form, exc)
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
        messages.error(request, error_text(exc))
    return redirect(community)


@community_view()
def community_request(request, community: Community):
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(community=community, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
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
        messages.error(request, error_text(exc))
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
    if not members.exists() and not rights(request, community).is_member:
        return join_prompt(request, community)
    page = Paginator(members, 50).get_page(request.GET.get("pagina"))
    return render(
        request, "communities/members.html", community_context(request, community, page_obj=page)
    )


@community_view()
def community_manage(request, community: Community):
    if not rights(request, community).can_manage:
        raise PermissionDenied
    action = request.POST.get("actie") if request.method == "POST" else None
    invite_form = InviteForm(request.POST if action == "uitnodigen" else None)
    landing_form = LandingTextForm(
        request.POST if action == "welkomsttekst" else None,
        initial={"landing_text": community.landing_text},
    )
    pin_form = PinForm(request.POST if action == "vastzetten" else None)
    if request.method == "POST":
        try:
            if action == "welkomsttekst":
                if landing_form.is_valid():
                    services.community_landing_update(
                        community=community,
                        actor=request.user,
                        landing_text=landing_form.cleaned_data["landing_text"],
                    )
                    messages.success(request, _("De welkomsttekst is opgeslagen."))
                    return redirect("communities:manage", community.slug)
            elif action == "vastzetten":
                if pin_form.is_valid():
                    services.community_pin_add(
                        community=community, actor=request.user, **pin_form.cleaned_data
                    )
                    messages.success(request, _("Vastgezet op de communitypagina."))
                    return redirect("communities:manage", community.slug)
            elif action == "losmaken":
                pin = selectors.community_pin_get(community=community, pk=request.POST.get("pin"))
                if pin is None:
                    raise Http404
                services.community_pin_remove(pin=pin, actor=request.user)
                messages.success(request, _("Losgemaakt."))
                return redirect("communities:manage", community.slug)
            elif action == "uitnodigen":
                if invite_form.is_valid():
                    services.invitation_create(
                        community=community, actor=request.user, **invite_form.cleaned_data
                    )
                    messages.success(request, _("De uitnodiging is verstuurd."))
                    return redirect("communities:manage", community.slug)
            elif action == "intrekken":
                invitation = selectors.invitation_get_pending(
                    community=community, pk=request.POST.get("uitnodiging")
                )
                if invitation is None:
                    raise Http404
                services.invitation_revoke(invitation=invitation, actor=request.user)
                messages.success(request, _("De uitnodiging is ingetrokken."))
                return redirect("communities:manage", community.slug)
            elif action in {"goedkeuren", "afwijzen"}:
                join_request = selectors.join_request_get(
                    community=community, pk=request.POST.get("verzoek")
                )
                if join_request is None:
                    raise Http404
                services.join_request_decide(
                    join_request=join_request,
                    actor=request.user,
                    approve=action == "goedkeuren",
                    message=request.POST.get("bericht", ""),
                )
                messages.success(request, _("Het verzoek is afgehandeld."))
                return redirect("communities:manage", community.slug)
            elif action in {"rol", "verwijderen"}:
                membership = selectors.membership_get_by_pk(
                    community=community, pk=request.POST.get("lidmaatschap")
                )
                if membership is None:
                    raise Http404
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
                form_errors(invite_form, exc)
            elif action == "welkomsttekst":
                form_errors(landing_form, exc)
            elif action == "vastzetten":
                form_errors(pin_form, exc)
            else:
                messages.error(request, error_text(exc))
    return render(
        request,
        "communities/manage.html",
        community_context(
            request,
            community,
            invite_form=invite_form,
            landing_form=landing_form,
            pin_form=pin_form,
            pins=selectors.community_pin_list(community=community),
            join_requests=selectors.join_request_list(community=community),
            members=selectors.member_list_for_user(user=request.user, community=community),
            invitations=selectors.invitation_list_pending(community=community),
            roles=Membership.Role.choices,
            routing_days=selectors.routing_default_days(community=community),
            routing_bounds=selectors.routing_deadline_bounds(),
        ),
    )


@login_required
def invitation_accept(request, token: str):
    invitation = selectors.invitation_get_for_user(token=token, user=request.user)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("communities:list")
        messages.success(request, _("Welkom in %(name)s!") % {"name": invitation.community.name})
        return redirect(invitation.community)
    return render(request, "communities/invitation.html", {"invitation": invitation})
