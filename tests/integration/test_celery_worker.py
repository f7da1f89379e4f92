"""A real Celery worker on real Redis sends a queued e-mail from the outbox."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kpo.notifications.models import EmailOutbox

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_drains_the_email_outbox(celery_worker, worker_env):
    row = EmailOutbox.objects.create(
        key="worker-test", to="a@gemeente.example", subject="Test", body="Hallo"
    )
    celery_worker()
    from kpo.notifications.tasks import send_pending_email_task

    result = send_pending_email_task.apply_async(ignore_result=False)
    # A send task queued by an earlier test (on commit) may reach the worker first and send the
    # row itself; either way the row is sent exactly once, by the worker.
    assert result.get(timeout=60)["sent"] in (0, 1)
    row.refresh_from_db()
    assert row.sent_at is not None
    mail_dir = Path(worker_env["EMAIL_FILE_PATH"])
    deadline = time.time() + 10
    while not (mail_dir.exists() and list(mail_dir.iterdir())) and time.time() < deadline:
        time.sleep(0.2)
    messages = [p.read_text() for p in mail_dir.iterdir()]
    ours = [m for m in messages if "Subject: Test" in m and "a@gemeente.example" in m]
    assert len(ours) == 1
