"""Fixtures of the integration tests: a real Celery worker process on the test database, and
stopping/starting the real Redis (always restarted afterwards)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def platform_corpus(transactional_db):
    """The corpus in a transactional test, also after an earlier one flushed every table (the
    loader restores Wagtail's root page, locale and collection first)."""
    from kpo.core.corpus import load_corpus
    from kpo.themes.models import Theme

    if not Theme.objects.exists():
        load_corpus()


class Worker:
    """A Celery worker subprocess consuming this test run's queue, on the test database."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
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
                "--without-heartbeat",
                "--loglevel=WARNING",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
            ],  # fmt: skip
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        """SIGKILL: the worker dies in the middle of whatever it does."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_env(tmp_path) -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        CELERY_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
        SEARCH_INDEX_PREFIX=settings.SEARCH_INDEX_PREFIX,
        SEARCH_URL=settings.SEARCH_URL,
    )
    return env


@pytest.fixture
def celery_worker(require_services, worker_env):
    """Factory of worker processes; every one is stopped at the end of the test."""
    workers: list[Worker] = []

    def make() -> Worker:
        worker = Worker(worker_env)
        worker.start()
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


class RedisServer:
    """Stops the real Redis of REDIS_URL and starts it again through ``tools/services``."""

    def __init__(self) -> None:
        self.port = str(urlparse(settings.REDIS_URL).port or 6379)

    def ping(self) -> bool:
        out = subprocess.run(
            ["redis-cli", "-p", self.port, "ping"], capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() == "PONG"

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", self.port, "shutdown", "nosave"], capture_output=True)
        deadline = time.time() + 10
        while self.ping() and time.time() < deadline:
            time.sleep(0.1)
        assert not self.ping(), "Redis did not stop"

    def start(self) -> None:
        if self.ping():
            return
        subprocess.run(
            [str(ROOT / "tools" / "services"), "start"],
            env={**os.environ, "REDIS_PORT": self.port},
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert self.ping(), "Redis did not start again"


@pytest.fixture
def redis_server(require_services):
    server = RedisServer()
    yield server
    server.start()  # always leave Redis running for the rest of the suite
