"""Search benchmark (figures, never pass/fail). Run through ``tools/bench``.

For each size (``BENCH_SIZES``, default "10000"): bulk indexing throughput into a fresh index, then
query latency p50/p95 at 1 and 8 concurrent clients

* directly against the engine (the same request body the API sends),
* through the API (``GET /api/v1/search`` with the Django test client, logged in, full stack:
  auth, principals, engine, second gate, serialisation), and
* on PostgreSQL full-text search (``to_tsvector('dutch', …)``, GIN index, the same principals
  filter as an array overlap, ranked top 10 plus the total count) over the same content,

and the ratios API/engine and PostgreSQL/engine.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection, connections

from bench.corpus_gen import QUERIES, generate
from kpo.core.access import user_principals
from search.engine import BulkAction, get_engine
from search.indexer import finish_document
from search.query import SearchParams
from search.schema import index_body
from search.selectors import search_raw

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50 * 1000, p95 * 1000


def run_clients(n_clients: int, make_call: Callable[[], Callable[[str], None]]) -> list[float]:
    """Every client runs every query ROUNDS times; returns all latencies (seconds)."""
    samples: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        call = make_call()
        local = []
        for _ in range(ROUNDS):
            for q in QUERIES:
                start = time.perf_counter()
                call(q)
                local.append(time.perf_counter() - start)
        with lock:
            samples.extend(local)
        connections.close_all()

    threads = [threading.Thread(target=client) for _ in range(n_clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples


@pytest.mark.django_db(transaction=True)
def test_search_benchmark(client, django_user_model):
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000").split(",") if s]
    engine = get_engine()
    user = django_user_model.objects.create(email=f"bench-{uuid.uuid4().hex[:6]}@bench.invalid")
    principals = user_principals(user) | {f"community:{i}" for i in range(1, 6)}
    lines = [
        f"engine={engine.name} url={settings.SEARCH_URL} rounds={ROUNDS} "
        f"queries={len(QUERIES)} cpu={os.cpu_count()}"
    ]
    for size in sizes:
        lines += bench_size(size, engine, user, principals)
    print("\n" + "\n".join(lines))
    with open(os.environ.get("BENCH_OUT", "/tmp/kpo-search-bench.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")


def bench_size(size: int, engine, user, principals) -> list[str]:
    prefix = f"{settings.SEARCH_INDEX_PREFIX}-{uuid.uuid4().hex[:6]}"
    settings.SEARCH_INDEX_PREFIX = prefix
    alias = f"{prefix}-content"
    index = f"{alias}-bench"
    engine.create_index(index, index_body())
    engine.swap_alias(alias, index)
    docs = [
        (doc_id, finish_document(doc, doc_id=doc_id, search_type=kind))
        for doc_id, kind, doc in generate(size)
    ]
    out = [f"\n== {size} items =="]
    try:
        start = time.perf_counter()
        for i in range(0, len(docs), 1000):
            engine.bulk(index, [BulkAction("index", d, 1, doc) for d, doc in docs[i : i + 1000]])
        engine.refresh(index)
        elapsed = time.perf_counter() - start
        out.append(f"bulk indexing: {size / elapsed:,.0f} items/s ({elapsed:.1f} s)")

        fts_table = f"bench_fts_{uuid.uuid4().hex[:6]}"
        pg_load = load_postgres(fts_table, docs)
        out.append(f"postgres load + GIN index: {pg_load:.1f} s")

        def engine_call():
            return lambda q: search_raw(principals=principals, params=SearchParams(q=q))

        def api_call():
            from django.test import Client

            c = Client()
            c.force_login(user)

            def call(q):
                response = c.get("/api/v1/search", {"q": q})
                assert response.status_code == 200, response.content[:200]

            return call

        def pg_call():
            sql = (
                f"SELECT id, ts_rank(tsv, query) AS rank, count(*) OVER () AS total "
                f"FROM {fts_table}, plainto_tsquery('dutch', %s) query "
                f"WHERE tsv @@ query AND principals && %s::text[] ORDER BY rank DESC LIMIT 10"
            )

            def call(q):
                with connection.cursor() as cursor:
                    cursor.execute(sql, [q, sorted(principals)])
                    cursor.fetchall()

            return call

        for make in (engine_call, api_call):
            make()(QUERIES[0])  # warm up
        results = {}
        for clients in (1, 8):
            for name, make in (("engine", engine_call), ("api", api_call), ("postgres", pg_call)):
                results[(name, clients)] = percentiles(run_clients(clients, make))
            e50, e95 = results[("engine", clients)]
            a50, a95 = results[("api", clients)]
            p50, p95 = results[("postgres", clients)]
            out.append(
                f"{clients} client(s): engine p50 {e50:.1f} ms p95 {e95:.1f} ms | "
                f"API p50 {a50:.1f} ms p95 {a95:.1f} ms (p95 ratio {a95 / e95:.2f}x) | "
                f"PostgreSQL FTS p50 {p50:.1f} ms p95 {p95:.1f} ms (p95 ratio {p95 / e95:.2f}x)"
            )
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {fts_table}")
    finally:
        engine.delete_index(index)
    return out


def load_postgres(table: str, docs) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {table} (id text PRIMARY KEY, title text, summary text, body text, "
            f"principals text[], tsv tsvector GENERATED ALWAYS AS ("
            f"setweight(to_tsvector('dutch', coalesce(title, '')), 'A') || "
            f"setweight(to_tsvector('dutch', coalesce(summary, '')), 'B') || "
            f"to_tsvector('dutch', coalesce(body, ''))) STORED)"
        )
        columns = "id, title, summary, body, principals"
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # psycopg 3
            for d, doc in docs:
                copy.write_row(
                    (
                        d,
                        doc.get("title", ""),
                        doc.get("summary", ""),
                        doc.get("body", ""),
                        doc["principals"],
                    )
                )
        cursor.execute(f"CREATE INDEX ON {table} USING GIN (tsv)")
        cursor.execute(f"CREATE INDEX ON {table} USING GIN (principals)")
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - start
