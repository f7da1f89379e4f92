"""Admin: e-mails that could not be sent (dead letter), for platform admins to see and retry."""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kpo.notifications.admin_views import dead_letter_list
from kpo.security.roles import is_platform_admin


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user)


@hooks.register("register_admin_urls")
def register_email_admin_urls():
    return [path("e-mail-mislukt/", dead_letter_list, name="kpo_email_dead_letter")]


@hooks.register("register_admin_menu_item")
def register_dead_letter_menu_item():
    return PlatformAdminMenuItem(
        "Mislukte e-mail", reverse("kpo_email_dead_letter"), icon_name="mail", order=920
    )
