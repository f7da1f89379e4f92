"""Reads of privacy preferences.

``kpo.notifications.services.notify`` should ask ``email_notifications_allowed(user=…, kind=…)``
before writing an ``EmailOutbox`` row: e-mail beyond the strictly necessary is opt-in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from kpo.accounts.models import User

# Kinds of notification whose e-mail is strictly necessary (account and security mail): always
# sent. Everything else is sent by e-mail only when the person opted in.
DEFAULT_NECESSARY_PREFIXES = (
    "account.",
    "security.",
    "privacy.",
    "registration.",
    "kennisbank.",  # review work assigned to you, the status of your own submission
    "academie.",  # your training registration (waiting list, reminders)
    "invitation",  # an invitation addressed to you
    "join_request",  # a request you must decide on as manager
    "join_decision",  # the answer to your own request
)


def necessary_email_kind(kind: str) -> bool:
    """Strictly necessary e-mail (account, security, work assigned to the person, answers to
    their own requests) is sent without opt-in."""
    prefixes = tuple(getattr(settings, "KPO_NECESSARY_EMAIL_KINDS", DEFAULT_NECESSARY_PREFIXES))
    return kind.startswith(prefixes)


def email_notifications_allowed(*, user: User, kind: str) -> bool:
    if necessary_email_kind(kind):
        return True
    from kpo.privacy.models import PrivacyPreference

    return PrivacyPreference.objects.filter(user_id=user.pk, email_notifications=True).exists()
