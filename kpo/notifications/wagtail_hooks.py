"""Admin: e-mails that could not be sent (dead letter), for platform admins to see and retry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kpo.notifications.models import EmailOutbox
from kpo.notifications.services import email_outbox_retry
from kpo.security.roles import is_platform_admin


@require_http_methods(["GET", "POST"])
def dead_letter_list(request):
    if not is_platform_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("email") if pk.isdigit() and len(pk) < 19]
        retried = email_outbox_retry(ids=ids, actor=request.user)
        messages.success(request, f"{retried} e-mail(s) opnieuw in de wachtrij gezet.")
        return redirect("kpo_email_dead_letter")
    dead = EmailOutbox.objects.filter(status=EmailOutbox.Status.DEAD).order_by("-id")[:500]
    waiting = EmailOutbox.objects.filter(status=EmailOutbox.Status.PENDING).count()
    return render(
        request, "notifications/admin/dead_letter.html", {"dead": dead, "waiting": waiting}
    )


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
