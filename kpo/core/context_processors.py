from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request):
    items = [
        (_("Thema's"), "/#themas"),
        (_("Kennisbank"), "/kennisbank/"),
        (_("Communities"), "/communities/"),
        (_("Academie"), "/academie/"),
        (_("Zoeken"), reverse("search:page")),
    ]
    path = request.path
    nav = [
        {"label": label, "url": url, "current": url != "/#themas" and path.startswith(url)}
        for label, url in items
    ]
    unread = 0
    # While the second factor is pending the header shows nothing personal (kpo.security).
    pending = bool(getattr(request, "kpo_2fa_pending", False))
    if request.user.is_authenticated and not pending:
        from kpo.notifications.selectors import notification_unread_count

        unread = notification_unread_count(user=request.user)
    return {"kpo_navigation": nav, "kpo_unread_notifications": unread, "kpo_2fa_pending": pending}
