from __future__ import annotations

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from kpo.core.fragments import content_version
from kpo.core.reader import reader_has_admin_access, reader_unread_count


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
    unread: object = 0
    admin_access: object = False
    # While the second factor is pending the header shows nothing personal (kpo.security).
    pending = bool(getattr(request, "kpo_2fa_pending", False))
    user = request.user
    if user.is_authenticated and not pending:
        from kpo.notifications.selectors import notification_unread_count

        # Per user, cached under the reader's version (kpo.core.reader, ADR 0033); lazy, so a
        # page that shows no header account block reads neither.
        unread = SimpleLazyObject(
            lambda: reader_unread_count(
                user,
                compute=lambda: notification_unread_count(user=user),
                content_version=content_version(),
            )
        )
        admin_access = SimpleLazyObject(lambda: reader_has_admin_access(user))
    return {
        "kpo_navigation": nav,
        "kpo_unread_notifications": unread,
        "kpo_admin_access": admin_access,
        "kpo_2fa_pending": pending,
    }
