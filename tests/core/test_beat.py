"""Every beat entry: a registered task with a time budget, and a test that running it twice
changes nothing the second time. A new beat entry fails here until its idempotency is shown."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from kpo.celery import app as celery_app
from kpo.security.lockout import ident_hash, lockout_counters_purge, lockout_register_failure
from kpo.security.models import LockoutCounter

# beat entry -> the test that runs it twice ("module::function")
IDEMPOTENCE_SHOWN_BY = {
    "search-drain-outbox": "tests.search.test_indexer::"
    "test_drain_indexes_newest_version_and_deletes_only_drained_rows",
    "search-reconcile": "tests.search.test_indexer::"
    "test_reconcile_repairs_missing_stale_and_orphaned",
    "notifications-drain-email": "tests.notifications.test_outbox::"
    "test_failing_smtp_leads_to_dead_letter_then_one_send_after_retry",
    "privacy-retention": "tests.privacy.test_privacy::"
    "test_retention_deletes_what_expired_and_nothing_else",
    "kennisbank-extract-pending": "tests.kennisbank.test_attachments::"
    "test_beat_safety_net_extracts_what_was_never_extracted",
    "kennisbank-review-cycle": "tests.kennisbank.test_review_cycle::test_timeline",
    "academie-session-reminders": "tests.academie.test_services::"
    "test_reminder_the_day_before_is_sent_once",
    "notifications-daily-digest": "tests.communities.test_digests::"
    "test_daily_digest_right_people_right_content_nothing_hidden",
    "notifications-weekly-digest": "tests.core.test_beat::test_weekly_digest_twice_sends_once",
    "communities-event-reminders": "tests.communities.test_services::"
    "test_event_reminder_the_day_before_is_sent_once",
    "academie-certificate-renewal-reminders": "tests.academie.test_certificates::"
    "test_training_recertification_reminder_is_sent_once_and_a_new_session_renews",
    "communities-question-routes": "tests.communities.test_routing::"
    "test_beat_task_runs_twice_and_sends_each_once",
    "security-inactive-accounts": "tests.accounts.test_accounts::"
    "test_inactive_accounts_are_warned_then_deactivated",
    "security-lockout-purge": "tests.core.test_beat::test_lockout_purge_twice_changes_nothing",
}


def test_every_beat_entry_is_a_task_with_a_time_budget():
    celery_app.loader.import_default_modules()
    annotations = settings.CELERY_TASK_ANNOTATIONS
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = entry["task"]
        assert task in celery_app.tasks, f"{name}: {task} is not a registered task"
        budget = annotations.get(task, {})
        soft = budget.get("soft_time_limit", settings.CELERY_TASK_SOFT_TIME_LIMIT)
        hard = budget.get("time_limit", settings.CELERY_TASK_TIME_LIMIT)
        assert 0 < soft < hard, name
    assert celery_app.conf.worker_max_tasks_per_child > 0
    assert celery_app.conf.task_time_limit and celery_app.conf.task_soft_time_limit


def test_every_beat_entry_has_a_run_twice_test():
    assert set(IDEMPOTENCE_SHOWN_BY) == set(settings.CELERY_BEAT_SCHEDULE)
    for name, ref in IDEMPOTENCE_SHOWN_BY.items():
        module, function = ref.split("::")
        assert callable(getattr(importlib.import_module(module), function, None)), name


@pytest.mark.django_db
def test_lockout_purge_twice_changes_nothing():
    now = timezone.now()
    lockout_register_failure(scope="login", ident="oud@gemeente.example")
    lockout_register_failure(scope="login", ident="nieuw@gemeente.example")
    LockoutCounter.objects.filter(ident=ident_hash("oud@gemeente.example")).update(
        updated_at=now - timedelta(days=3)
    )
    for _ in range(5):
        lockout_register_failure(scope="login", ident="dicht@gemeente.example")
    LockoutCounter.objects.filter(locked_until__isnull=False).update(
        updated_at=now - timedelta(days=3)
    )
    assert lockout_counters_purge(now=now) == 1  # only the stale one that locks nothing
    assert lockout_counters_purge(now=now) == 0
    assert not LockoutCounter.objects.filter(ident=ident_hash("oud@gemeente.example")).exists()
    assert LockoutCounter.objects.count() == 2  # the fresh one, and the one still locked


@pytest.mark.django_db
def test_weekly_digest_twice_sends_once():
    import datetime as dt

    from kpo.notifications.models import EmailMode, EmailOutbox, Notification
    from kpo.notifications.services import digest_send, notification_preference_set, notify
    from tests.factories import UserFactory

    user = UserFactory()
    notification_preference_set(user=user, email_mode=EmailMode.WEEKLY)
    monday = timezone.make_aware(dt.datetime(2026, 11, 9, 7, 15))
    (n,) = notify(recipients=[user], kind="new-thread", title="Nieuw draadje")
    Notification.objects.filter(pk=n.pk).update(created_at=monday - dt.timedelta(days=3))
    assert digest_send(mode=EmailMode.WEEKLY, now=monday) == 1
    assert digest_send(mode=EmailMode.WEEKLY, now=monday) == 0
    assert EmailOutbox.objects.filter(to=user.email).count() == 1
