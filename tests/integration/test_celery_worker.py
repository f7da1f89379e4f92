"""A real Celery worker on real Redis sends a queued e-mail from the outbox."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from kpo.notifications.models import EmailOutbox

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_drains_the_email_outbox(require_services, tmp_path):
    row = EmailOutbox.objects.create(
        key="worker-test", to="a@gemeente.example", subject="Test", body="Hallo"
    )
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_QUEUE=f"kpo-test-{os.getpid()}",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kpo",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        from kpo.notifications.tasks import send_pending_email_task

        result = send_pending_email_task.apply_async(queue=env["CELERY_QUEUE"], ignore_result=False)
        assert result.get(timeout=60) == 1
        row.refresh_from_db()
        assert row.sent_at is not None
        deadline = time.time() + 10
        while not list(tmp_path.iterdir()) and time.time() < deadline:
            time.sleep(0.2)
        sent = "".join(p.read_text() for p in tmp_path.iterdir())
        assert "Subject: Test" in sent and "a@gemeente.example" in sent
    finally:
        worker.terminate()
        worker.wait(timeout=30)
