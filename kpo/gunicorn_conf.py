"""gunicorn settings of the production image and tools/prodlike (``gunicorn -c``).

Every worker writes its Prometheus metrics to ``PROMETHEUS_MULTIPROC_DIR`` (default
``/tmp/kpo-metrics-<pid of gunicorn>``) and ``/metrics`` adds them up, whichever worker answers;
the directory is made when gunicorn starts and a dead worker's files are marked dead. Set here,
before the application (and prometheus_client) is imported, and only for gunicorn: Celery and
manage.py keep plain per-process metrics."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", f"/tmp/kpo-metrics-{os.getpid()}")  # noqa: S108


def on_starting(server) -> None:
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
