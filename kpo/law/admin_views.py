"""Wagtail admin views of the law app (ADR 0026): the list of law changes, entering one, and
importing a file. Registered by ``wagtail_hooks.py``; every write goes through
``kpo.law.services`` (which checks the permission again)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kpo.core.uploads import upload_check
from kpo.law import selectors, services
from kpo.law.forms import LawChangeForm, LawImportForm


def _require_permission(request) -> None:
    if not selectors.can_enter_law_changes(user=request.user):
        raise PermissionDenied


def change_list(request):
    _require_permission(request)
    changes = list(selectors.law_change_list()[:200])
    return TemplateResponse(
        request,
        "law/admin/change_list.html",
        {"changes": changes, "header_title": _("Wetswijzigingen")},
    )


@require_http_methods(["GET", "POST"])
def change_create(request):
    _require_permission(request)
    form = LawChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change, opened = services.law_change_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Wetswijziging %(change)s vastgelegd; %(n)s herbeoordeling(en) geopend.")
                % {"change": change, "n": opened},
            )
            return redirect("law_changes")
    return TemplateResponse(
        request,
        "law/admin/change_form.html",
        {"form": form, "header_title": _("Wetswijziging invoeren")},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def change_import(request):
    _require_permission(request)
    form = LawImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            checked = upload_check(uploaded=uploaded, allowed=("csv", "json"))
            result = services.law_changes_import(
                actor=request.user, content=checked.file.read(), filename=checked.name
            )
        except ValidationError as exc:
            row_errors = exc.messages
        else:
            messages.success(
                request,
                _(
                    "%(created)s wetswijziging(en) geïmporteerd, %(existing)s al bekend; "
                    "%(n)s herbeoordeling(en) geopend."
                )
                % {
                    "created": len(result.created),
                    "existing": len(result.existing),
                    "n": result.reassessments,
                },
            )
            return redirect("law_changes")
    return TemplateResponse(
        request,
        "law/admin/import_form.html",
        {"form": form, "row_errors": row_errors, "header_title": _("Wetswijzigingen importeren")},
        status=400 if request.method == "POST" else 200,
    )
