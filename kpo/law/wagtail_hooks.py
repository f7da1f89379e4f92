"""Admin registration of the law app (views in ``admin_views.py``)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kpo.law import admin_views, selectors


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("wetswijzigingen/", admin_views.change_list, name="law_changes"),
        path("wetswijzigingen/nieuw/", admin_views.change_create, name="law_change_create"),
        path("wetswijzigingen/importeren/", admin_views.change_import, name="law_change_import"),
    ]


class LawMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.can_enter_law_changes(user=request.user)


@hooks.register("register_admin_menu_item")
def register_law_menu_item():
    return LawMenuItem(
        _("Wetswijzigingen"), reverse("law_changes"), icon_name="doc-full", order=260
    )
