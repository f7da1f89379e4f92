"""Celery tasks of the academy: thin, idempotent, with retry back-off."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def session_reminder_task(self) -> int:
    """Remind everyone registered for a session that starts tomorrow. Safe to run more than once
    a day: each registration is reminded once (``Registration.reminded_at`` + e-mail key)."""
    from academie.services import session_reminders_send

    return session_reminders_send()
