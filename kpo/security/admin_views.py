"""Admin views of security (registered by the Wagtail hooks): registrations, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from kpo.security.forms import DecisionForm
from kpo.security.models import AccountState
from kpo.security.roles import is_platform_admin
from kpo.security.selectors import api_token_list_all
from kpo.security.services import (
    RegistrationError,
    api_token_revoke,
    api_tokens_revoke_all,
    registration_decide,
)


def pending_registrations(request):
    if not is_platform_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = DecisionForm(request.POST)
        state = get_object_or_404(AccountState, pk=request.POST.get("state"))
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                registration_decide(state=state, approve=approve, actor=request.user)
            except RegistrationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"Registratie van {state.user.email} "
                    f"{'goedgekeurd' if approve else 'afgewezen'}.",
                )
        return redirect("kpo_pending_registrations")
    pending = (
        AccountState.objects.filter(approval=AccountState.Approval.PENDING)
        .select_related("user")
        .order_by("created_at")
    )
    return render(request, "security/admin/pending_registrations.html", {"pending": pending})


def api_tokens(request):
    """Platform admins see every live API token (owner, public key, expiry) and revoke one, or
    all of a user's."""
    from django.contrib.auth import get_user_model

    if not is_platform_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        owner = get_object_or_404(get_user_model(), pk=request.POST.get("user") or 0)
        if request.POST.get("all"):
            count = api_tokens_revoke_all(user=owner, actor=request.user, reason="admin")
            messages.success(request, f"{count} token(s) van {owner.email} ingetrokken.")
        elif api_token_revoke(
            user=owner, token_key=request.POST.get("token_key", ""), actor=request.user
        ):
            messages.success(request, f"Token van {owner.email} ingetrokken.")
        return redirect("kpo_api_tokens")
    q = (request.GET.get("q") or "").strip()[:100]
    tokens = api_token_list_all(q=q or None)[:500]
    return render(request, "security/admin/api_tokens.html", {"tokens": tokens, "q": q})
