"""Wagtail admin views of the kennisbank: "actueel bevestigd" and the review dashboard.

Registered in ``wagtail_hooks.py``; both are for the Redactieraad (staff role ``redactieraad``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kennisbank import selectors, services
from kennisbank.models import KnowledgeDocumentPage
from kpo.core.access import has_staff_role


def _require_board(request) -> None:
    if not has_staff_role(request.user, "redactieraad"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def confirm_current(request, page_id: int):
    _require_board(request)
    page = KnowledgeDocumentPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    if request.method == "POST":
        services.document_confirm_current(page=page, user=request.user)
        messages.success(
            request,
            _("“%(title)s” is actueel bevestigd; volgende beoordeling %(date)s.")
            % {"title": page.title, "date": page.next_review_due.strftime("%d-%m-%Y")},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request, "kennisbank/admin/confirm_current.html", {"page": page, "header_title": page.title}
    )


def dashboard(request):
    _require_board(request)
    return TemplateResponse(
        request,
        "kennisbank/admin/dashboard.html",
        {
            "figures": selectors.review_dashboard(),
            "freshness": selectors.freshness_dashboard(),
            "header_title": _("Beoordelingsdashboard"),
        },
    )


@require_http_methods(["POST"])
def start_reassessment(request, page_id: int):
    """One click on the dashboard: start a re-assessment now (the board only)."""
    _require_board(request)
    page = KnowledgeDocumentPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    try:
        services.document_reassessment_start(page=page, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Herbeoordeling gestart voor “%(title)s”.") % {"title": page.title}
        )
    return redirect("kennisbank_dashboard")


@require_http_methods(["GET", "POST"])
def emergency_publish(request, page_id: int):
    """The audited emergency path (platform admins): publish without the review workflow, with a
    required reason (``services.document_emergency_publish``)."""
    if not services.can_emergency_publish(user=request.user):
        raise PermissionDenied
    page = KnowledgeDocumentPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    error, reason = "", ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            page = services.document_emergency_publish(page=page, user=request.user, reason=reason)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("“%(title)s” is gepubliceerd (noodpublicatie).") % {"title": page.title}
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "kennisbank/admin/emergency_publish.html",
        {"page": page, "header_title": page.title, "error": error, "reason": reason},
        status=400 if error else 200,
    )
