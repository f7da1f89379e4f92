"""Request ids in JSON logs, Prometheus metrics behind staff or a token, the outbox in /health/."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from pythonjsonlogger.json import JsonFormatter

from kpo.core.observability import RequestIdFilter
from kpo.notifications.models import EmailOutbox
from search.models import SearchOutbox
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.addFilter(RequestIdFilter())
        self.setFormatter(
            JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s")
        )

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def access_log():
    handler = _Capture()
    logger = logging.getLogger("kpo.request")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_every_response_carries_a_request_id_and_logs_it_as_json(client, access_log):
    response = client.get("/health/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = [json.loads(line) for line in access_log.lines]
    assert line["request_id"] == request_id
    assert line["route"] == "health/" and line["status"] == 200
    assert line["message"] == "GET /health/ 200"
    assert client.get("/health/")["X-Request-ID"] != request_id


def test_a_callers_request_id_is_kept_and_a_malformed_one_replaced(client, access_log):
    kept = client.get("/health/", headers={"X-Request-ID": "lb-4f2a9c11-77"})
    assert kept["X-Request-ID"] == "lb-4f2a9c11-77"
    replaced = client.get("/health/", headers={"X-Request-ID": "x\nforged log line"})
    assert replaced["X-Request-ID"] != "x\nforged log line"
    assert len(replaced["X-Request-ID"]) == 32


def test_search_terms_never_reach_the_access_log(client, access_log):
    client.get("/zoeken/?q=geheime+zoekterm")
    assert access_log.lines and "geheime" not in "".join(access_log.lines)


def test_metrics_are_hidden_from_the_public_and_from_non_staff(client, settings):
    settings.KPO_METRICS_TOKEN = "scrape-secret-0123456789"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    client.force_login(UserFactory())
    assert client.get("/metrics").status_code == 404


def test_metrics_for_the_scraper(client, settings):
    settings.KPO_METRICS_TOKEN = "scrape-secret-0123456789"
    client.get("/health/")
    SearchOutbox.objects.create(doc_id="x:1", model_label="x", object_pk="1", version=1)
    SearchOutbox.objects.filter(doc_id="x:1").update(
        created_at=timezone.now() - timedelta(seconds=120)
    )
    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-0123456789"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'kpo_http_request_duration_seconds_count{method="GET",route="health/",status="2xx"}' in (
        text
    )
    assert f'kpo_outbox_backlog{{outbox="search"}} {SearchOutbox.objects.count()}.0' in text
    age = [line for line in text.splitlines() if line.startswith("kpo_outbox_oldest_age_seconds")]
    search_age = float(next(line for line in age if '"search"' in line).split()[-1])
    assert search_age >= 119
    assert "kpo_celery_queue_length" in text
    assert "kpo_search_duration_seconds" in text


def test_health_shows_the_outbox_backlog_and_age(client):
    EmailOutbox.objects.create(key="k1", to="a@example.org", subject="s", body="b")
    EmailOutbox.objects.filter(key="k1").update(created_at=timezone.now() - timedelta(minutes=5))
    EmailOutbox.objects.create(
        key="k2", to="a@example.org", subject="s", body="b", sent_at=timezone.now()
    )
    body = client.get("/health/").json()
    assert body["outbox"]["email"]["backlog"] == 1
    assert 299 <= body["outbox"]["email"]["oldest_age_seconds"] < 400
    assert body["outbox"]["search"]["backlog"] == SearchOutbox.objects.count()
    SearchOutbox.objects.all().delete()
    assert client.get("/health/").json()["outbox"]["search"] == {
        "backlog": 0,
        "oldest_age_seconds": 0.0,
    }


def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code in (200, 503)
    assert client.get("/").status_code == 301
    assert client.get("/").url.startswith("https://")
