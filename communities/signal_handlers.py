"""Signal handlers of communities: they only call a service (connected in ``AppConfig.ready``)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def claim_invitations_on_login(sender, request, user, **kwargs) -> None:
    """Invitations sent to an e-mail address before its owner had an account wait; they are
    attached to the user when that person logs in (also right after registering)."""
    from communities.services import invitation_claim_for_user

    try:
        invitation_claim_for_user(user=user)
    except Exception:  # noqa: BLE001 - never break a login over an invitation
        logger.exception("Claiming community invitations failed for user %s", user.pk)
