from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kpo.notifications.models import EmailMode
from kpo.notifications.selectors import (
    notification_communities_for_user,
    notification_list_for_user,
    notification_preferences_for_user,
)
from kpo.notifications.services import (
    UnsubscribeError,
    digest_unsubscribe,
    digest_unsubscribe_read,
    notification_mark_read,
    notification_preference_set,
)


@login_required
def notification_list(request):
    page = Paginator(notification_list_for_user(user=request.user), 30).get_page(
        request.GET.get("pagina")
    )
    return render(request, "notifications/list.html", {"page_obj": page})


@login_required
@require_POST
def notification_read_all(request):
    notification_mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
def notification_preferences(request):
    """E-mail per community: instant, daily digest, weekly digest or off (and a default)."""
    communities = notification_communities_for_user(user=request.user)
    current = {
        p.community_id: p.email_mode for p in notification_preferences_for_user(user=request.user)
    }
    if request.method == "POST":
        default = request.POST.get("standaard")
        if default in EmailMode.values:
            notification_preference_set(user=request.user, email_mode=default)
        for community in communities:
            mode = request.POST.get(f"community-{community.pk}")
            if mode in EmailMode.values and mode != current.get(community.pk):
                notification_preference_set(user=request.user, community=community, email_mode=mode)
        messages.success(request, _("Je voorkeuren zijn opgeslagen."))
        return redirect("notifications:preferences")
    default_mode = current.get(None, EmailMode.INSTANT)
    rows = [
        {"community": c, "mode": current.get(c.pk, default_mode), "name": f"community-{c.pk}"}
        for c in communities
    ]
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "modes": EmailMode.choices, "default_mode": default_mode},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe_view(request, token: str):
    """One-click unsubscribe from a digest, without login (RFC 8058). GET only shows a button:
    link scanners in mail filters open links, and must not unsubscribe anyone. POST (the button,
    or the mail client's ``List-Unsubscribe=One-Click``) turns the digest off. No CSRF token:
    mail clients post without the site's cookies; the signed token is the authority."""
    try:
        digest_unsubscribe_read(token=token)
    except UnsubscribeError as exc:
        return render(request, "notifications/unsubscribe.html", {"error": str(exc)}, status=400)
    if request.method == "POST":
        digest_unsubscribe(token=token)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"token": token})
