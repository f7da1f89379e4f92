"""Writes of notifications: in-app rows and durable e-mail, in the caller's transaction.

E-mail about a community follows the recipient's preference for that community (instant, daily
digest, weekly digest or off); digests are assembled by ``kpo.notifications.tasks`` and re-check
the access rule at sending time.

One module per topic (delivery: notify and enqueue; the e-mail outbox; the digest and its
unsubscribe link); this package re-exports every write so ``from kpo.notifications.services
import x`` keeps working.
"""

from __future__ import annotations

from kpo.notifications.services.delivery import (
    email_enqueue,
    email_enqueue_message,
    notification_mark_read,
    notification_preference_set,
    notify,
)
from kpo.notifications.services.digest import (
    UNSUBSCRIBE_SALT,
    UnsubscribeError,
    digest_period,
    digest_send,
    digest_unsubscribe,
    digest_unsubscribe_read,
    digest_unsubscribe_token,
    digest_unsubscribe_url,
)
from kpo.notifications.services.outbox import CLAIM_LEASE, email_outbox_retry, email_outbox_send_due

__all__ = [
    "notify",
    "email_enqueue",
    "email_enqueue_message",
    "CLAIM_LEASE",
    "email_outbox_send_due",
    "email_outbox_retry",
    "notification_mark_read",
    "notification_preference_set",
    "digest_period",
    "digest_send",
    "UNSUBSCRIBE_SALT",
    "UnsubscribeError",
    "digest_unsubscribe_token",
    "digest_unsubscribe_url",
    "digest_unsubscribe_read",
    "digest_unsubscribe",
]
