"""Celery tasks of communities. Idempotent; retry with back-off."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_event_reminders_task(self) -> int:
    """Beat: once a day. Reminds everyone who answered yes or maybe of tomorrow's events; the
    notification key (event + date) makes a second run a no-op."""
    from communities.services import event_reminders_send

    return event_reminders_send()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def question_routes_due_task(self) -> dict[str, int]:
    """Beat: every 15 minutes. Reminders before the deadline and escalations after it for routed
    questions still without an answer; each is claimed once on its route (ADR 0028), so a second
    run, a retry or two workers at once send nothing twice."""
    from communities.services.routing import question_routes_process

    return question_routes_process()
