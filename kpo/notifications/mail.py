"""``OutboxEmailBackend``: Django's ``EMAIL_BACKEND``, so every e-mail of the platform — our own,
Django's password-reset mail, Wagtail's workflow and moderation mail — becomes a durable
``EmailOutbox`` row in the caller's transaction instead of an SMTP conversation in the request.
Only the outbox sender talks to the mail server, through ``KPO_EMAIL_DELIVERY_BACKEND``."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from kpo.notifications.services import email_enqueue_message

        queued = 0
        for message in email_messages or []:
            try:
                queued += int(email_enqueue_message(message=message) > 0)
            except Exception:
                if not self.fail_silently:
                    raise
        return queued
