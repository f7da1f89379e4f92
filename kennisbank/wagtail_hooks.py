"""Admin configuration of the kennisbank: snippets, log actions, the board's admin views and
the guard on Wagtail's own document URLs."""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kennisbank import admin_views, selectors, services
from kennisbank.models import DocumentType, KnowledgeDocumentPage
from kpo.core.access import has_staff_role


class DocumentTypeViewSet(SnippetViewSet):
    model = DocumentType
    icon = "doc-full"
    menu_label = _("Documenttypen")
    list_display = ["name", "slug", "review_interval_months"]


register_snippet(DocumentTypeViewSet)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        services.LOG_CONFIRM_CURRENT, _("Actueel bevestigen"), _("Actueel bevestigd")
    )
    actions.register_action(
        services.LOG_REVIEW_STATUS, _("Betrouwbaarheid wijzigen"), _("Betrouwbaarheid gewijzigd")
    )
    actions.register_action(
        services.LOG_REASSESSMENT_STARTED, _("Herbeoordeling starten"), _("Herbeoordeling gestart")
    )
    actions.register_action(
        services.LOG_LAW_CHANGE, _("Wetswijziging verwerken"), _("Wetswijziging: herbeoordeling")
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "kennisbank/actueel/<id:page_id>/",
            admin_views.confirm_current,
            name="kennisbank_confirm_current",
        ),
        path("kennisbank/dashboard/", admin_views.dashboard, name="kennisbank_dashboard"),
        path(
            "kennisbank/herbeoordelen/<id:page_id>/",
            admin_views.start_reassessment,
            name="kennisbank_start_reassessment",
        ),
        path(
            "kennisbank/noodpublicatie/<id:page_id>/",
            admin_views.emergency_publish,
            name="kennisbank_emergency_publish",
        ),
    ]


class ConfirmCurrentButton(PageMenuItem):
    label = _("Actueel bevestigen")
    icon_name = "tick"
    url_name = "kennisbank_confirm_current"
    priority = 35


@hooks.register("register_page_header_buttons")
def confirm_current_header_button(page, user, view_name, next_url=None):
    if (
        isinstance(page.specific_deferred, KnowledgeDocumentPage)
        and page.live
        and has_staff_role(user, "redactieraad")
    ):
        yield ConfirmCurrentButton(page=page)


class EmergencyPublishButton(PageMenuItem):
    label = _("Noodpublicatie")
    icon_name = "warning"
    url_name = "kennisbank_emergency_publish"
    priority = 90


@hooks.register("register_page_header_buttons")
def emergency_publish_header_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, KnowledgeDocumentPage) and services.can_emergency_publish(
        user=user
    ):
        yield EmergencyPublishButton(page=page)


class BoardMenuItem(MenuItem):
    def is_shown(self, request):
        return has_staff_role(request.user, "redactieraad")


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return BoardMenuItem(
        _("Beoordelingen"), reverse("kennisbank_dashboard"), icon_name="tasks", order=250
    )


@hooks.register("before_serve_document")
def guard_kennisbank_documents(document, request):
    """Wagtail's own document URL must not leak a kennisbank file: apply the same rule as
    ``/kennisbank-acties/bestand/<id>/`` (404 for who may not see it)."""
    if not selectors.document_is_kennisbank_file(document_id=document.pk):
        return None
    if not selectors.attachment_readable_by(user=request.user, document_id=document.pk):
        raise Http404
    return None
