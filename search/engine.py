"""The engine adapter: one small interface, two implementations.

Index bodies and queries are built with the DSL of the official Elasticsearch client
(``elasticsearch.dsl``, see ``search.schema`` and ``search.query``) and sent as plain request
bodies through this adapter, because the Elasticsearch client refuses to talk to OpenSearch.
``opensearch-py`` serves OpenSearch 2.x (CI, the embedded default and docker-compose),
``elasticsearch`` serves Elasticsearch 9 only (the 9.x client refuses an 8.x server; an
alternative compose profile, not started by CI: see docs/decisions/0011).

``SEARCH_URL`` may list several nodes of one cluster, comma-separated: the client spreads
requests over them and sends a request again to another node when one cannot be reached, so a
node that dies costs no search and no index update (``tests/integration/test_search_cluster.py``).
Retrying a bulk write is safe: documents carry external versions, a repeat is a conflict.

Contract (checked by ``tests/search/test_engine_contract.py`` against a real node):

* every transport failure, timeout or 5xx raises ``EngineUnavailable``; a missing index raises
  ``IndexMissing``; other client errors raise ``EngineError``;
* ``bulk`` writes with *external* versions: a version conflict means newer data is already in
  the index, which is counted (``conflicts``) and is not an error; deleting a missing document
  is not an error either;
* ``swap_alias`` moves an alias in one atomic ``_aliases`` call.
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings

from kpo.core.observability import SEARCH_LATENCY

# A force merge of a 100,000-item index takes tens of seconds on a busy two-core node.
FORCE_MERGE_TIMEOUT = 900


class EngineError(Exception):
    """The engine rejected a request (a bug in the request, not an outage)."""


class EngineUnavailable(EngineError):
    """The search engine cannot be reached or answered with a server error."""


class IndexMissing(EngineError):
    """The index or alias does not exist."""


@dataclass
class BulkAction:
    """One document operation for ``SearchEngine.bulk``."""

    op: str  # "index" | "delete"
    doc_id: str
    version: int
    document: dict[str, Any] | None = None


@dataclass
class BulkResult:
    indexed: int = 0
    deleted: int = 0
    conflicts: int = 0
    not_found: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def error_for_status(status: int | None, text: str) -> EngineError:
    """The adapter's error for an engine answer with HTTP ``status``: no status, a server error
    or 429 means the engine is unavailable, 404 a missing index, anything else a bad request."""
    if not isinstance(status, int) or status >= 500 or status == 429:
        return EngineUnavailable(text[:500])
    if status == 404:
        return IndexMissing(text[:500])
    return EngineError(text[:1000])


class SearchEngine:
    """The adapter interface. Subclasses implement ``_call`` error mapping and the client calls
    whose signatures differ between the two clients."""

    name = "abstract"

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.hosts = tuple(part.strip() for part in url.split(",") if part.strip())
        self.timeout = timeout
        # Bulk writes and index creation may take longer than a query on a busy node.
        self.bulk_timeout = max(timeout, 60.0)

    @property
    def client(self) -> Any:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    @property
    def admin_client(self) -> Any:  # pragma: no cover - defined by subclasses
        """The client with the longer timeout, for bulk writes and index administration."""
        raise NotImplementedError

    # --- error mapping ---------------------------------------------------------------------------
    def _status(self, exc: Exception) -> int | None:  # pragma: no cover - per client
        raise NotImplementedError

    def _is_transport_error(self, exc: Exception) -> bool:  # pragma: no cover - per client
        raise NotImplementedError

    def _translate(self, exc: Exception) -> EngineError:
        """The adapter's error for a client exception."""
        if self._is_transport_error(exc):
            return EngineUnavailable(str(exc)[:500])
        return error_for_status(self._status(exc), str(exc))

    def _call(self, func, *args, **kwargs) -> Any:
        try:
            response = func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - mapped to the adapter's three errors
            raise self._translate(exc) from exc
        body = getattr(response, "body", response)
        return dict(body) if isinstance(body, dict) else body

    # --- health ----------------------------------------------------------------------------------
    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:  # noqa: BLE001 - any transport failure means "down"
            return False

    def cluster_health(self) -> dict:
        return self._call(self.client.cluster.health)

    # --- indices and aliases ---------------------------------------------------------------------
    def create_index(self, name: str, body: dict[str, Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    def delete_index(self, name: str) -> None:
        with contextlib.suppress(IndexMissing):
            self._call(self.admin_client.indices.delete, index=name)

    def index_exists(self, name: str) -> bool:
        return bool(self._call(self.client.indices.exists, index=name))

    def list_indices(self, pattern: str) -> list[str]:
        try:
            result = self._call(self.client.indices.get, index=pattern)
        except IndexMissing:
            return []
        return sorted(result)

    def get_alias(self, alias: str) -> list[str]:
        """The physical indices behind an alias (empty when the alias does not exist)."""
        try:
            result = self._call(self.client.indices.get_alias, name=alias)
        except IndexMissing:
            return []
        return sorted(result)

    def swap_alias(self, alias: str, new_index: str) -> list[str]:
        """Point ``alias`` at ``new_index`` only, atomically. Returns the indices it left."""
        old = [name for name in self.get_alias(alias) if name != new_index]
        actions: list[dict[str, Any]] = [{"remove": {"index": n, "alias": alias}} for n in old]
        actions.append({"add": {"index": new_index, "alias": alias}})
        self._update_aliases(actions)
        return old

    def _update_aliases(self, actions: list[dict]) -> None:  # pragma: no cover - per client
        raise NotImplementedError

    def mapping_meta(self, index: str) -> dict[str, Any]:
        """The ``_meta`` of the index (or the index behind an alias); empty when missing."""
        try:
            result = self._call(self.client.indices.get_mapping, index=index)
        except IndexMissing:
            return {}
        for body in result.values():
            return dict((body.get("mappings") or {}).get("_meta") or {})
        return {}

    def analyze(self, index: str, *, analyzer: str, text: str) -> list[dict[str, Any]]:
        """``_analyze`` with one of the index's analyzers: the tokens (for the synonym preview)."""
        result = self._call(
            self.client.indices.analyze, index=index, body={"analyzer": analyzer, "text": text}
        )
        return list(result.get("tokens") or [])

    def refresh(self, index: str) -> None:
        self._call(self.admin_client.indices.refresh, index=index)

    # --- documents -------------------------------------------------------------------------------
    def bulk(
        self, index: str, actions: Iterable[BulkAction], *, refresh: bool = False
    ) -> BulkResult:
        """Write documents with external versions. Conflicts (older data) are not errors."""
        lines: list[dict[str, Any]] = []
        for action in actions:
            meta = {
                "_index": index,
                "_id": action.doc_id,
                "version": action.version,
                "version_type": "external",
            }
            if action.op == "index":
                lines.append({"index": meta})
                lines.append(action.document or {})
            elif action.op == "delete":
                lines.append({"delete": meta})
            else:
                raise ValueError(f"Unknown bulk op {action.op!r}")
        result = BulkResult()
        if not lines:
            return result
        response = self._bulk(lines, refresh=refresh)
        for item in response.get("items", []):
            ((op, info),) = item.items()
            status = info.get("status", 500)
            if 200 <= status < 300:
                if op == "delete":
                    result.deleted += 1
                else:
                    result.indexed += 1
            elif status == 409:
                result.conflicts += 1
            elif status == 404 and op == "delete":
                result.not_found += 1
            elif status == 404:
                raise IndexMissing(str(info.get("error")))
            elif status >= 500 or status == 429:
                raise EngineUnavailable(str(info.get("error"))[:500])
            else:
                result.errors.append(f"{info.get('_id')}: {info.get('error')}"[:500])
        return result

    def _bulk(self, lines: list[dict], *, refresh: bool) -> dict:  # pragma: no cover
        raise NotImplementedError

    # --- bulk for full builds (issue #14) --------------------------------------------------------
    def parallel_bulk(
        self,
        index: str,
        actions: Iterable[BulkAction],
        *,
        threads: int = 2,
        chunk_size: int = 2000,
        max_chunk_bytes: int = 5 * 1024 * 1024,
    ) -> BulkResult:
        """Send pre-built documents in parallel bulk requests of at most ``chunk_size``
        documents and about ``max_chunk_bytes`` bytes, with the same external versions and
        result counting as ``bulk``.

        ``actions`` is consumed in the *calling* thread (it usually reads the database, whose
        connection belongs to this thread); only the HTTP requests run on ``threads`` worker
        threads, at most ``2 × threads`` chunks in flight. The clients' own
        ``helpers.parallel_bulk`` would pull the iterator from a pool thread instead."""
        result = BulkResult()
        pending: deque[Future[BulkResult]] = deque()

        def collect(future: Future[BulkResult]) -> None:
            part = future.result()  # re-raises the adapter's errors
            result.indexed += part.indexed
            result.deleted += part.deleted
            result.conflicts += part.conflicts
            result.not_found += part.not_found
            result.errors.extend(part.errors)

        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kpo-bulk") as pool:
            try:
                chunk: list[BulkAction] = []
                size = 0
                for action in actions:
                    doc = action.document
                    n = 120 + (len(json.dumps(doc, default=str)) if doc else 0)
                    if chunk and (len(chunk) >= chunk_size or size + n > max_chunk_bytes):
                        pending.append(pool.submit(self.bulk, index, chunk))
                        chunk, size = [], 0
                        while len(pending) >= 2 * threads:
                            collect(pending.popleft())
                    chunk.append(action)
                    size += n
                if chunk:
                    pending.append(pool.submit(self.bulk, index, chunk))
                while pending:
                    collect(pending.popleft())
            finally:
                for future in pending:
                    future.cancel()
        return result

    def set_refresh_interval(self, index: str, interval: str | None) -> None:
        """``"-1"`` stops periodic refreshes (a full build); ``None`` restores the default."""
        self._put_settings(index, {"index": {"refresh_interval": interval}})

    def _put_settings(self, index: str, body: dict) -> None:  # pragma: no cover - per client
        raise NotImplementedError

    def force_merge(self, index: str, *, max_segments: int = 1) -> None:
        """Merge a freshly built index down to ``max_segments`` segments (ADR 0032): a bulk
        build leaves tens of segments, and every query visits each of them. Blocks until done;
        only for an index nobody writes to yet (``reindex()`` before the alias swap). Refreshes
        afterwards, so searchers open the merged segment (the old ones are then released)."""
        self._call(self._force_merge, index, max_segments)
        self.refresh(index)

    def _force_merge(self, index: str, max_segments: int) -> None:  # pragma: no cover
        raise NotImplementedError

    def segment_count(self, index: str) -> int:
        """Searchable segments of the primaries of ``index`` (what a query visits)."""
        stats = self._call(self.admin_client.indices.stats, index=index, metric="segments")
        return int(stats["_all"]["primaries"]["segments"]["count"])

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def count(self, index: str, query: dict[str, Any] | None = None) -> int:  # pragma: no cover
        raise NotImplementedError

    def msearch(self, index: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Several searches of ``index`` in one round trip (``_msearch``; the node runs them in
        parallel); one response per body, in order. A failed search raises the adapter's error
        for it (``IndexMissing``, ``EngineUnavailable``, ``EngineError``), as ``search`` would."""
        lines: list[dict[str, Any]] = []
        for body in bodies:
            lines.extend(({"index": index}, body))
        with SEARCH_LATENCY.labels(self.name).time():
            answer = self._call(self._msearch, lines)
        responses = list(answer.get("responses") or [])
        if len(responses) != len(bodies):
            raise EngineError(f"_msearch answered {len(responses)} of {len(bodies)} searches")
        for response in responses:
            if "error" in response:
                raise error_for_status(response.get("status"), json.dumps(response["error"]))
        return responses

    def _msearch(self, lines: list[dict[str, Any]]) -> Any:  # pragma: no cover - per client
        raise NotImplementedError

    def get_versions(
        self, index: str, doc_ids: list[str], source: list[str] | None = None
    ) -> dict[str, tuple[int, dict]]:
        """``{doc_id: (version, source-subset)}`` for the ids present in the index."""
        if not doc_ids:
            return {}
        response = self._mget(index, doc_ids, source or False)
        found = {}
        for doc in response.get("docs", []):
            if doc.get("found"):
                found[doc["_id"]] = (int(doc["_version"]), dict(doc.get("_source") or {}))
        return found

    def _mget(self, index: str, ids: list[str], source: Any) -> dict:  # pragma: no cover
        raise NotImplementedError

    def iter_ids(self, index: str, *, batch: int = 1000) -> Iterator[tuple[str, int, dict]]:
        """Every ``(doc_id, version, {"doc_hash"})`` in the index, by ``search_after`` on the
        ``doc_id`` keyword (works on both engines, no scroll context to leak)."""
        after = None
        while True:
            body: dict[str, Any] = {
                "size": batch,
                "query": {"match_all": {}},
                "sort": [{"doc_id": "asc"}],
                "version": True,
                "_source": ["doc_hash"],
            }
            if after is not None:
                body["search_after"] = after
            hits = self.search(index, body)["hits"]["hits"]
            for hit in hits:
                yield hit["_id"], int(hit.get("_version", 0)), hit.get("_source") or {}
            if len(hits) < batch:
                return
            after = hits[-1]["sort"]


class OpenSearchEngine(SearchEngine):
    name = "opensearch"

    @property
    def client(self) -> Any:
        return _opensearch_client(self.hosts, self.timeout)

    @property
    def admin_client(self) -> Any:
        return _opensearch_client(self.hosts, self.bulk_timeout)

    def _is_transport_error(self, exc: Exception) -> bool:
        from opensearchpy.exceptions import ConnectionError as OSConnectionError

        return isinstance(exc, OSConnectionError)

    def _status(self, exc: Exception) -> int | None:
        status = getattr(exc, "status_code", None)
        return status if isinstance(status, int) else None

    def create_index(self, name: str, body: dict[str, Any]) -> None:
        self._call(self.admin_client.indices.create, index=name, body=body)

    def _update_aliases(self, actions: list[dict]) -> None:
        self._call(self.admin_client.indices.update_aliases, body={"actions": actions})

    def _bulk(self, lines: list[dict], *, refresh: bool) -> dict:
        return self._call(
            self.admin_client.bulk, body=lines, refresh="true" if refresh else "false"
        )

    def _put_settings(self, index: str, body: dict) -> None:
        self._call(self.admin_client.indices.put_settings, index=index, body=body)

    def _force_merge(self, index: str, max_segments: int) -> None:
        self.admin_client.indices.forcemerge(
            index=index, max_num_segments=max_segments, request_timeout=FORCE_MERGE_TIMEOUT
        )

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        with SEARCH_LATENCY.labels(self.name).time():
            return self._call(self.client.search, index=index, body=body)

    def count(self, index: str, query: dict[str, Any] | None = None) -> int:
        body = {"query": query} if query else None
        return int(self._call(self.client.count, index=index, body=body)["count"])

    def _msearch(self, lines: list[dict[str, Any]]) -> Any:
        return self.client.msearch(body=lines)

    def _mget(self, index: str, ids: list[str], source: Any) -> dict:
        return self._call(self.client.mget, index=index, body={"ids": ids}, _source=source)


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    @property
    def client(self) -> Any:
        return _elasticsearch_client(self.hosts, self.timeout)

    @property
    def admin_client(self) -> Any:
        return _elasticsearch_client(self.hosts, self.bulk_timeout)

    def _is_transport_error(self, exc: Exception) -> bool:
        from elastic_transport import TransportError

        return isinstance(exc, TransportError)

    def _status(self, exc: Exception) -> int | None:
        meta = getattr(exc, "meta", None)
        status = getattr(meta, "status", None) or getattr(exc, "status_code", None)
        return status if isinstance(status, int) else None

    def create_index(self, name: str, body: dict[str, Any]) -> None:
        self._call(
            self.admin_client.indices.create,
            index=name,
            settings=body.get("settings"),
            mappings=body.get("mappings"),
        )

    def _update_aliases(self, actions: list[dict]) -> None:
        self._call(self.admin_client.indices.update_aliases, actions=actions)

    def _bulk(self, lines: list[dict], *, refresh: bool) -> dict:
        return self._call(self.admin_client.bulk, operations=lines, refresh=refresh)

    def _put_settings(self, index: str, body: dict) -> None:
        self._call(self.admin_client.indices.put_settings, index=index, settings=body["index"])

    def _force_merge(self, index: str, max_segments: int) -> None:
        self.admin_client.options(request_timeout=FORCE_MERGE_TIMEOUT).indices.forcemerge(
            index=index, max_num_segments=max_segments
        )

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        with SEARCH_LATENCY.labels(self.name).time():
            return self._call(self.client.search, index=index, body=body)

    def count(self, index: str, query: dict[str, Any] | None = None) -> int:
        return int(self._call(self.client.count, index=index, query=query)["count"])

    def _msearch(self, lines: list[dict[str, Any]]) -> Any:
        return self.client.msearch(searches=lines)

    def _mget(self, index: str, ids: list[str], source: Any) -> dict:
        return self._call(self.client.mget, index=index, ids=ids, source=source)


def _retries(hosts: tuple[str, ...]) -> int:
    """One try per node: a connection error moves the request on to the next node. A single
    node fails fast (the caller's outbox or error page takes over)."""
    return max(len(hosts) - 1, 0)


@lru_cache(maxsize=4)
def _opensearch_client(hosts: tuple[str, ...], timeout: float) -> Any:
    from opensearchpy import OpenSearch

    return OpenSearch(
        hosts=list(hosts),
        timeout=timeout,
        max_retries=_retries(hosts),
        retry_on_timeout=False,
        pool_maxsize=16,
        # A node that refused a connection is left alone for a while (then tried again).
        dead_timeout=30,
    )


@lru_cache(maxsize=4)
def _elasticsearch_client(hosts: tuple[str, ...], timeout: float) -> Any:
    from elasticsearch import Elasticsearch

    return Elasticsearch(
        list(hosts),
        request_timeout=timeout,
        max_retries=_retries(hosts),
        retry_on_timeout=False,
        connections_per_node=16,
    )


def get_engine() -> SearchEngine:
    engine_cls = (
        ElasticsearchEngine if settings.SEARCH_ENGINE == "elasticsearch" else OpenSearchEngine
    )
    return engine_cls(settings.SEARCH_URL, settings.SEARCH_TIMEOUT_SECONDS)


def engine_ping() -> bool:
    """Is the search engine up? ``/health/`` calls it (``SearchConfig.health_checks``)."""
    return get_engine().ping()


def content_alias() -> str:
    """The alias every reader and writer uses: ``<prefix>-content``."""
    return f"{settings.SEARCH_INDEX_PREFIX}-content"
