"""The public OpenAPI document is generated once per language under a lock and served from
memory: concurrent first requests in a threaded server (as Swagger UI's own fetch and a client
arriving together) all get the whole document, and drf-spectacular's generator, which is not
thread-safe, runs once for them."""

from __future__ import annotations

import json
import threading
import urllib.request
from unittest import mock

import pytest
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

from kpo.core import api_docs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def generations():
    calls: list[int] = []
    real = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    api_docs.forget_schemas()
    with mock.patch.object(SchemaGenerator, "get_schema", counting):
        yield calls
    api_docs.forget_schemas()


def _fetch(url: str, results: list[tuple[int, bool]]) -> None:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (the live server)
        results.append((response.status, "paths" in json.loads(response.read())))


def test_concurrent_first_requests_all_get_the_document_generated_once(live_server, generations):
    results: list[tuple[int, bool]] = []
    url = f"{live_server.url}/api/v1/openapi.json"
    threads = [threading.Thread(target=_fetch, args=(url, results)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [(200, True)] * 6
    assert len(generations) == 1


def test_each_language_has_its_own_document_and_a_setting_change_regenerates(client, generations):
    assert "paths" in client.get("/api/v1/openapi.json").json()
    client.get("/api/v1/openapi.json")
    assert len(generations) == 1
    client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    with override_settings(KPO_RATE_LIMITS={}):
        client.get("/api/v1/openapi.json")
    assert len(generations) >= 2
