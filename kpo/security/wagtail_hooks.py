"""Admin: registrations from other domains waiting for a platform admin's decision."""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kpo.security.admin_views import api_tokens, pending_registrations
from kpo.security.roles import is_platform_admin


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user)


@hooks.register("register_admin_urls")
def register_security_admin_urls():
    return [
        path("registraties/", pending_registrations, name="kpo_pending_registrations"),
        path("api-tokens/", api_tokens, name="kpo_api_tokens"),
    ]


@hooks.register("register_admin_menu_item")
def register_pending_registrations_menu_item():
    return PlatformAdminMenuItem(
        "Registraties", reverse("kpo_pending_registrations"), icon_name="user", order=910
    )


@hooks.register("register_admin_menu_item")
def register_api_tokens_menu_item():
    return PlatformAdminMenuItem(
        "API-tokens", reverse("kpo_api_tokens"), icon_name="key", order=911
    )
