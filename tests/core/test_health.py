"""``/health/`` against the real services, and "down" when a part is gone."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_health_reports_every_part_ok(client, require_services):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body.pop("outbox").keys() == {"search", "email"}
    assert body == {"status": "ok", "database": "ok", "redis": "ok", "search": "ok"}


def test_health_reports_redis_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["redis"] == "down"
    assert response.json()["database"] == "ok"


def test_health_reports_search_down_when_the_node_is_stopped(client, search_node):
    search_node.stop()
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["search"] == "down"
    assert body["database"] == "ok"
    search_node.start()
    assert client.get("/health/").json()["search"] == "ok"


def test_embedded_default_without_redis_is_not_down(client, settings):
    settings.REDIS_URL = ""
    body = client.get("/health/").json()
    assert body["redis"] == "not-configured"
