"""Reads of privacy preferences.

``kpo.notifications.services.notify`` should ask ``email_notifications_allowed(user=…, kind=…)``
before writing an ``EmailOutbox`` row: e-mail beyond the strictly necessary is opt-in.
"""

from __future__ import annotations

from django.conf import settings

# Kinds of notification whose e-mail is strictly necessary (account and security mail): always
# sent. Everything else is sent by e-mail only when the person opted in.
DEFAULT_NECESSARY_PREFIXES = ("account.", "security.", "privacy.", "registration.")


def email_notifications_allowed(*, user, kind: str) -> bool:
    prefixes = tuple(getattr(settings, "KPO_NECESSARY_EMAIL_KINDS", DEFAULT_NECESSARY_PREFIXES))
    if kind.startswith(prefixes):
        return True
    from kpo.privacy.models import PrivacyPreference

    return PrivacyPreference.objects.filter(user_id=user.pk, email_notifications=True).exists()
