"""Self-service AVG rights: preferences, export and deletion of one's own account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from kpo.privacy.forms import DeleteAccountForm, PreferencesForm
from kpo.privacy.models import PrivacyPreference
from kpo.privacy.services import account_delete, data_export, preferences_update


@login_required
@require_http_methods(["GET", "POST"])
def overview(request):
    pref = PrivacyPreference.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST or None,
        initial={"email_notifications": bool(pref and pref.email_notifications)},
    )
    if request.method == "POST" and form.is_valid():
        preferences_update(
            user=request.user, email_notifications=form.cleaned_data["email_notifications"]
        )
        messages.success(request, "Je voorkeuren zijn opgeslagen.")
        return redirect("privacy:overview")
    return render(
        request,
        "privacy/overview.html",
        {"form": form, "delete_form": DeleteAccountForm(user=request.user)},
    )


@login_required
@require_POST
def export(request):
    content = data_export(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="kpo-mijn-gegevens.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user, remove_posts=form.cleaned_data["remove_posts"])
        messages.success(request, "Je account en je persoonsgegevens zijn verwijderd.")
        return redirect("/")
    return render(request, "privacy/delete.html", {"delete_form": form})
