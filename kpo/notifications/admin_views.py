"""Admin views of notifications (the Wagtail hooks register them): the e-mail dead letter list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

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
