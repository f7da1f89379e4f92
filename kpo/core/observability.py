"""Request ids, structured logs and Prometheus metrics (docs/operations.md, "Observability").

* ``RequestObservabilityMiddleware`` gives every request an id (the caller's ``X-Request-ID``
  when it is a plain token, else a new one), puts it on every log record of that request
  (``RequestIdFilter``) and on the response, and times the request per route.
* ``metrics`` serves ``/metrics`` in the Prometheus text format, to staff or to a caller with
  ``Authorization: Bearer <KPO_METRICS_TOKEN>``. With several gunicorn workers set
  ``PROMETHEUS_MULTIPROC_DIR`` so every worker's counters are added up.
* The backlog gauges (search and e-mail outbox: rows and age of the oldest; Celery queue length)
  are read at scrape time, so they are right whichever worker answers.
"""

from __future__ import annotations

import contextvars
import hmac
import logging
import os
import re
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = logging.getLogger("kpo.request")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("kpo_request_id", default="-")

REQUEST_LATENCY = Histogram(
    "kpo_http_request_duration_seconds",
    "Time to answer an HTTP request, per route.",
    ["method", "route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SEARCH_LATENCY = Histogram(
    "kpo_search_duration_seconds",
    "Time of one search request to the search engine.",
    ["engine"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs after the middleware returned, with the request attached.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    # The URL pattern, not the path: one series per route, whatever the ids in the URL.
    return match.route or match.view_name or "unnamed"


class RequestObservabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            route = _route(request)
            if route == "unmatched" and request.path.startswith(settings.STATIC_URL):
                route = "static"
            status = response.status_code
            REQUEST_LATENCY.labels(request.method, route, f"{status // 100}xx").observe(elapsed)
            # One line per request (the path without its query string: no search terms in logs).
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={"route": route, "status": status, "duration_ms": round(elapsed * 1000, 1)},
            )
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


# --- scrape-time gauges ------------------------------------------------------------------------
def _outbox_figures(label: str, pending_filter: dict) -> tuple[int, float]:
    """(pending rows, age in seconds of the oldest pending row) of an outbox model."""
    model = apps.get_model(label)
    pending = model.objects.filter(**pending_filter)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return pending.count(), max(age, 0.0)


def outbox_state() -> dict[str, dict[str, float]]:
    """Backlog of the outboxes the workers drain (read by ``/health/`` and ``/metrics``)."""
    state = {}
    for name, label, pending_filter in (
        ("search", "search.SearchOutbox", {}),
        ("email", "notifications.EmailOutbox", {"sent_at__isnull": True}),
    ):
        backlog, age = _outbox_figures(label, pending_filter)
        state[name] = {"backlog": backlog, "oldest_age_seconds": round(age, 1)}
    return state


def celery_queue_length() -> int | None:
    """Messages waiting in the Celery queue on Redis; ``None`` without Redis."""
    if not settings.REDIS_URL:
        return None
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        return int(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))
    except redis.RedisError:
        return None


class BacklogCollector:
    def collect(self):
        backlog = GaugeMetricFamily(
            "kpo_outbox_backlog", "Rows waiting in an outbox.", labels=["outbox"]
        )
        age = GaugeMetricFamily(
            "kpo_outbox_oldest_age_seconds",
            "Age of the oldest row waiting in an outbox.",
            labels=["outbox"],
        )
        for name, figures in outbox_state().items():
            backlog.add_metric([name], figures["backlog"])
            age.add_metric([name], figures["oldest_age_seconds"])
        yield backlog
        yield age
        length = celery_queue_length()
        if length is not None:
            queue = GaugeMetricFamily(
                "kpo_celery_queue_length", "Messages waiting in the Celery queue.", labels=["queue"]
            )
            queue.add_metric([settings.CELERY_TASK_DEFAULT_QUEUE], length)
            yield queue


def _exposition() -> bytes:
    """The text format of this process's metrics (or every gunicorn worker's, in multiprocess
    mode), followed by the backlog gauges read now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        base = CollectorRegistry()
        multiprocess.MultiProcessCollector(base)
    else:
        from prometheus_client import REGISTRY as base
    backlog = CollectorRegistry()
    backlog.register(BacklogCollector())
    return generate_latest(base) + generate_latest(backlog)


def _authorised(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        # Staff pass their second factor before they see anything (kpo.security).
        is_verified = getattr(user, "is_verified", None)
        return is_verified() if callable(is_verified) else True
    token = getattr(settings, "KPO_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
def metrics(request):
    if not _authorised(request):
        return HttpResponse(status=404)
    return HttpResponse(_exposition(), content_type=CONTENT_TYPE_LATEST)
