"""Celery tasks of the academy: thin, idempotent, with retry back-off."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def session_reminder_task(self) -> int:
    """Remind everyone registered for a session that starts tomorrow. Safe to run more than once
    a day: each registration is reminded once (``Registration.reminded_at`` + e-mail key)."""
    from academie.services import session_reminders_send

    return session_reminders_send()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def certificate_renewal_reminder_task(self) -> int:
    """Remind holders whose certificate expires soon that they can earn it again. Safe to run
    more than once: each certificate is reminded once (``Certificate.renewal_reminded_at``)."""
    from academie.services import certificate_renewal_reminders_send

    return certificate_renewal_reminders_send()
