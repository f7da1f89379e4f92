"""The engine adapter: one small interface, two implementations.

Index bodies and queries are built with the DSL of the official Elasticsearch client
(``elasticsearch.dsl``) and sent as plain request bodies through this adapter, because the
Elasticsearch client refuses to talk to OpenSearch. ``opensearch-py`` serves OpenSearch 2.x (CI and
the embedded default), ``elasticsearch`` serves Elasticsearch 8/9 (production option).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings


class EngineUnavailable(Exception):
    """The search engine cannot be reached or answered with a server error."""


class SearchEngine:
    name = "abstract"

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout

    @property
    def client(self) -> Any:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:  # noqa: BLE001 - any transport failure means "down"
            return False

    def cluster_health(self) -> dict:
        try:
            return dict(self.client.cluster.health(request_timeout=self.timeout))
        except Exception as exc:  # noqa: BLE001
            raise EngineUnavailable(str(exc)) from exc


class OpenSearchEngine(SearchEngine):
    name = "opensearch"

    @property
    def client(self) -> Any:
        return _opensearch_client(self.url, self.timeout)


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    @property
    def client(self) -> Any:
        return _elasticsearch_client(self.url, self.timeout)


@lru_cache(maxsize=4)
def _opensearch_client(url: str, timeout: float) -> Any:
    from opensearchpy import OpenSearch

    return OpenSearch(hosts=[url], timeout=timeout, max_retries=0, retry_on_timeout=False)


@lru_cache(maxsize=4)
def _elasticsearch_client(url: str, timeout: float) -> Any:
    from elasticsearch import Elasticsearch

    return Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)


def get_engine() -> SearchEngine:
    engine_cls = (
        ElasticsearchEngine if settings.SEARCH_ENGINE == "elasticsearch" else OpenSearchEngine
    )
    return engine_cls(settings.SEARCH_URL, settings.SEARCH_TIMEOUT_SECONDS)
