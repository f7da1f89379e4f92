"""The platform benchmark of ``make bench`` (figures, never pass/fail; issue #14).

Runs against the production-like run (``tools/prodlike``: gunicorn, PostgreSQL, Redis, Celery,
the search node) with the environment of ``tools/prodlike env``; ``tools/bench`` starts it.

(a) closed-loop (wrk, no think time) throughput and p50/p95/p99 per page type at
    ``BENCH_CONNECTIONS`` (12) connections of logged-in professionals (one session per
    connection slot), for ``BENCH_SECONDS`` each; search also at one connection;
(b) the same search bodies (those ``search_for_user`` sends first) straight to the engine, at 12
    connections and at one, and the ratios;
(f) gunicorn worker RSS, sampled while (a) and (b) run;
then, with ``BENCH_ITEMS`` (default 5000, 0 skips) generated threads stored as real database
rows in a bench community:
(d) the platform's indexer (``reindex()``: DB read, documents built, parallel bulk) in items/s
    against raw engine bulk of the same, pre-built documents;
(e) a reindex while clients search through the API, counting failed searches;
(a, b) again at that size; and
(c) PostgreSQL full-text search over the same items (GIN index, principals filter), a broad query
    (its word is picked at run time as one that half the items contain) and the narrow ones,
    against the search API on the same queries.
The generated rows are removed at the end and the index rebuilt.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, connections  # noqa: E402

from bench.corpus_gen import QUERIES, generate  # noqa: E402

BASE = os.environ.get("BENCH_URL", "http://127.0.0.1:8100")
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "12"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "5000"))
BACKEND = "kpo.security.backends.LockoutEmailBackend"
BENCH_COMMUNITY = "bench-gegenereerd"
# Smaller bulk requests for a starved machine: a 2,000-document request through the Dutch
# analysis (decompounder) can exceed the 60 s bulk timeout when every core is shared.
if os.environ.get("BENCH_BULK_CHUNK_DOCS"):
    settings.SEARCH_BULK_CHUNK_DOCS = int(os.environ["BENCH_BULK_CHUNK_DOCS"])
OUT: list[str] = []


def say(line: str = "") -> None:
    print(line, flush=True)
    OUT.append(line)


# --- set-up ------------------------------------------------------------------------------------
def sessions(n: int) -> list[tuple[Any, str]]:
    """``n`` professionals, members of every open community, each with a ready session."""
    from communities.models import Community, Membership
    from kpo.accounts.models import User

    communities = list(Community.objects.filter(visibility="open"))
    out = []
    for i in range(n):
        user, _ = User.objects.get_or_create(
            email=f"bench{i}@gemeente.example",
            defaults={"first_name": "Bench", "last_name": f"Professional {i}"},
        )
        for community in communities:
            Membership.objects.get_or_create(
                community=community, user=user, defaults={"role": "member", "state": "active"}
            )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        out.append((user, f"sessionid={store.session_key}"))
    return out


def page_targets() -> dict[str, list[str]]:
    from communities.models import Thread
    from kennisbank.models import KennisbankIndexPage, KnowledgeDocumentPage
    from kpo.themes.models import ThemePage

    threads = (
        Thread.objects.filter(community__visibility="open", is_deleted=False, is_hidden=False)
        .exclude(community__slug=BENCH_COMMUNITY)
        .select_related("community")
        .order_by("pk")[:40]
    )
    return {
        "home": ["/"],
        "theme": [p.url for p in ThemePage.objects.live().order_by("pk") if p.url],
        "thread": [t.get_absolute_url() for t in threads],
        "kennisbank list": [p.url for p in KennisbankIndexPage.objects.live()],
        "document": [
            p.url
            for p in KnowledgeDocumentPage.objects.live().filter(community__isnull=True)[:40]
            if p.url
        ],
        "search": [f"/zoeken/?q={urllib.parse.quote(q)}" for q in QUERIES],
        "API search": [f"/api/v1/search?q={urllib.parse.quote(q)}" for q in QUERIES],
    }


def check(paths: list[str], cookie: str) -> list[str]:
    """The paths that answer 200 for this session (a redirect would measure the login page)."""
    ok = []
    for path in paths:
        request = urllib.request.Request(BASE + path, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                if response.status == 200 and response.url == BASE + path:
                    ok.append(path)
        except urllib.error.URLError:
            pass
    return ok


# --- wrk -----------------------------------------------------------------------------------------
def wrk(lines: list[str], *, connections_: int, base: str = BASE) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(lines) + "\n")
    threads = max(1, min(2, connections_))
    cmd = ["wrk", f"-t{threads}", f"-c{connections_}", f"-d{SECONDS}s", "--timeout", "10s"]
    cmd += ["-s", str(Path(__file__).parent / "wrk" / "rotate.lua"), base, "--", fh.name]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)  # noqa: S603
    os.unlink(fh.name)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6)
    return summary


def fmt(name: str, s: dict) -> str:
    return (
        f"{name:16} {s['rps']:7.1f} req/s  p50 {s['p50']:7.1f} ms  p95 {s['p95']:7.1f} ms  "
        f"p99 {s['p99']:7.1f} ms  failed {s['failed']}/{s['requests']}"
    )


class RssSampler(threading.Thread):
    """The largest resident set of any gunicorn worker, sampled twice a second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.stop = threading.Event()
        pidfile = Path(os.environ.get("KPO_RUN_DIR", ".")) / "gunicorn.pid"
        self.master = pidfile.read_text().strip() if pidfile.exists() else ""

    def workers(self) -> list[str]:
        if not self.master:
            return []
        out = subprocess.run(["pgrep", "-P", self.master], capture_output=True, text=True)  # noqa: S603, S607
        return out.stdout.split()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            for pid in self.workers():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                except OSError:
                    pass


# --- (a) pages and (b) engine --------------------------------------------------------------------
def engine_lines(user) -> tuple[list[str], int]:
    """The first request body ``search_for_user`` sends per query, as wrk lines; and how many of
    the queries also need the fuzzy fallback request."""
    from kpo.core.access import user_principals
    from search.engine import content_alias, get_engine
    from search.query import clean_params, join_responses, search_requests
    from search.selectors import needs_fuzzy_fallback

    principals = user_principals(user)
    engine = get_engine()
    alias = content_alias()
    lines, fallbacks = [], 0
    for q in QUERIES:
        params = clean_params(q=q, filters={})
        requests = search_requests(principals, params)
        if len(requests) == 1:
            response = engine.search(alias, requests[0])
            lines.append(f"POST\t/{alias}/_search\t\t{json.dumps(requests[0])}")
        else:  # one _msearch, as the platform sends it (ADR 0034); RS stands for a newline
            response = join_responses(engine.msearch(alias, requests))
            ndjson = "".join(
                json.dumps({"index": alias}) + RS + json.dumps(body) + RS for body in requests
            )
            lines.append(f"POST\t/_msearch\t\t{ndjson}")
        fallbacks += needs_fuzzy_fallback(params, response)
    return lines, fallbacks


# The request files hold one request per line; an NDJSON body's newlines are written as this
# record separator, which ``bench/wrk/rotate.lua`` turns back (JSON escapes control characters).
RS = "\x1e"


PAGES_ONLY = os.environ.get("BENCH_PAGES_ONLY") == "1"  # e.g. against an older checkout


def pages_and_engine(label: str, users: list[tuple[Any, str]]) -> dict:
    say(f"\n== (a) pages, closed loop, {CONNECTIONS} connections, {SECONDS} s each [{label}] ==")
    cookies = [c for _u, c in users]
    targets = page_targets()
    sampler = RssSampler()
    sampler.start()
    results = {}
    for name, paths in targets.items():
        paths = check(paths[:12], cookies[0])
        if not paths:
            say(f"{name:16} no page answers 200: skipped")
            continue
        lines = [f"GET\t{p}\t{cookies[i % len(cookies)]}\t" for i, p in enumerate(paths * 12)]
        results[name] = wrk(lines, connections_=CONNECTIONS)
        say(fmt(name, results[name]))
    search_lines = [f"GET\t{p}\t{cookies[0]}\t" for p in targets["search"]]
    results["search 1 conn"] = wrk(search_lines, connections_=1)
    say(fmt("search, 1 conn", results["search 1 conn"]))
    if PAGES_ONLY:
        sampler.stop.set()
        sampler.join()
        say(f"gunicorn worker RSS peak {sampler.peak_kb / 1024:.0f} MB")
        return results

    say(f"\n== (b) the same search bodies straight to the engine [{label}] ==")
    lines, fallbacks = engine_lines(users[0][0])
    engine_base = settings.SEARCH_URL
    results["engine"] = wrk(lines, connections_=CONNECTIONS, base=engine_base)
    results["engine 1 conn"] = wrk(lines, connections_=1, base=engine_base)
    say(fmt(f"engine, {CONNECTIONS} conn", results["engine"]))
    say(fmt("engine, 1 conn", results["engine 1 conn"]))
    say(f"({fallbacks} of {len(QUERIES)} queries also send the fuzzy fallback request)")
    engine_rps = results["engine"]["rps"]
    if "search" in results:
        single = results["search 1 conn"]["p50"] / results["engine 1 conn"]["p50"]
        say(
            f"search page / engine capacity: {results['search']['rps'] / engine_rps:.2f}x   "
            f"single-client p50 search page / engine: {single:.2f}x"
        )
    if "API search" in results:
        say(f"API search / engine capacity: {results['API search']['rps'] / engine_rps:.2f}x")
    sampler.stop.set()
    sampler.join()
    peak = sampler.peak_kb / 1024
    say(f"\n== (f) gunicorn worker RSS under load [{label}]: peak {peak:.0f} MB ==")
    return results


# --- generated items -----------------------------------------------------------------------------
def copy_rows(model: Any, objs: list[Any]) -> None:
    """Insert unsaved model instances with PostgreSQL ``COPY`` (psycopg 3): the 100k bench items
    in seconds instead of minutes of ``INSERT``s. Field defaults are applied by the instances;
    no signals (as with ``bulk_create``): the bench indexes through ``reindex()``."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                f.pre_save(obj, add=True)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                )


def generate_threads(n: int, author) -> list[dict[str, Any]]:
    """``n`` threads as database rows in an open bench community; returns the generator's docs."""
    from communities.models import Community, Thread
    from kpo.themes.models import Theme

    remove_generated(reindex_after=False)
    start = time.perf_counter()
    community = Community.objects.create(
        slug=BENCH_COMMUNITY,
        name="Benchmark (gegenereerd)",
        description="Gegenereerde inhoud voor make bench.",
        visibility="open",
    )
    community.themes.set(Theme.objects.order_by("pk")[:2])
    rows, docs = [], []
    for _doc_id, _kind, doc in generate(n):
        rows.append(
            Thread(
                community=community,
                author=author,
                title=doc["title"][:200],
                body=f"<p>{doc['summary']}</p><p>{doc['body']}</p>",
            )
        )
        docs.append(doc)
    copy_rows(Thread, rows)
    say(f"\n{n:,} threads stored as database rows (COPY) in {time.perf_counter() - start:.1f} s")
    return docs


def remove_generated(*, reindex_after: bool = True) -> None:
    """Remove the generated rows (and leftover bench indices), then rebuild the index from what
    is left. Idempotent, and safe after a run that failed half-way or a search node that was
    stopped early: the rows always go; when the engine cannot be reached the index is left as it
    is and the command to rebuild it is printed instead of an error."""
    from django.db import IntegrityError, transaction

    from communities.models import Community, Membership, Thread
    from search.engine import EngineError, get_engine

    community = Community.objects.filter(slug=BENCH_COMMUNITY).first()
    if community is not None:
        try:  # generated threads have no replies or other rows pointing at them: one DELETE
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {Thread._meta.db_table} WHERE community_id = %s", [community.pk]
                )
        except IntegrityError:  # something was added to them after all: Django's cascade
            Thread.objects.filter(community=community).delete()
        Membership.objects.filter(community=community).delete()
        community.delete()
    try:
        engine = get_engine()
        for pattern in ("rawbulk", "nooffsets"):
            for name in engine.list_indices(f"{settings.SEARCH_INDEX_PREFIX}-{pattern}-*"):
                engine.delete_index(name)
        if reindex_after:
            from search.indexer import reindex

            reindex()
    except EngineError as exc:
        say(
            f"search engine not reachable during clean-up ({str(exc)[:80]}): the generated rows "
            "are gone; rebuild the index with `manage.py search_reindex` when it is back"
        )


def indexing(n: int) -> None:
    from search.engine import get_engine
    from search.indexer import iter_all_documents, reindex, versioned_actions
    from search.schema import index_body

    say(f"\n== (d) bulk indexing, {n:,} generated threads + the corpus ==")
    engine = get_engine()
    start = time.perf_counter()
    result = reindex()
    platform_s = time.perf_counter() - start
    indexed = result["indexed"]
    docs = [(d, doc) for d, doc in iter_all_documents() if doc is not None]
    raw_index = f"{settings.SEARCH_INDEX_PREFIX}-rawbulk-{uuid.uuid4().hex[:6]}"
    engine.create_index(raw_index, index_body())
    try:
        start = time.perf_counter()
        engine.parallel_bulk(raw_index, versioned_actions(docs))
        engine.refresh(raw_index)
        raw_s = time.perf_counter() - start
    finally:
        engine.delete_index(raw_index)
    merge_s = float(result.get("merge_seconds") or 0)
    say(
        f"platform indexer (reindex()): {indexed / platform_s:8,.0f} items/s ({platform_s:.1f} s, "
        f"of which the force merge before the swap {merge_s:.1f} s; without it "
        f"{indexed / max(platform_s - merge_s, 0.001):,.0f} items/s)"
    )
    say(f"raw engine bulk, pre-built:   {len(docs) / raw_s:8,.0f} items/s ({raw_s:.1f} s)")
    raw_rate = len(docs) / raw_s
    say(
        f"indexer / raw: {(indexed / platform_s) / raw_rate:.2f}x "
        f"(without the merge {(indexed / max(platform_s - merge_s, 0.001)) / raw_rate:.2f}x)"
    )


def reindex_under_search(cookie: str) -> None:
    from search.indexer import reindex

    say("\n== (e) reindex while 4 clients search through the API ==")
    stop = threading.Event()
    counts: Counter[str] = Counter()
    lock = threading.Lock()

    def client(k: int) -> None:
        i = k
        while not stop.is_set():
            q = urllib.parse.quote(QUERIES[i % len(QUERIES)])
            i += 1
            request = urllib.request.Request(
                f"{BASE}/api/v1/search?q={q}", headers={"Cookie": cookie}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    ok = response.status == 200 and json.loads(response.read())["count"] > 0
            except (urllib.error.URLError, ValueError, KeyError):
                ok = False
            with lock:
                counts["ok" if ok else "failed"] += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    time.sleep(1)
    start = time.perf_counter()
    reindex()
    elapsed = time.perf_counter() - start
    time.sleep(1)
    stop.set()
    for t in threads:
        t.join()
    say(
        f"reindex {elapsed:.1f} s; searches {counts['ok'] + counts['failed']}, "
        f"failed (error or no hits) {counts['failed']}"
    )


def postgres_vs_api(docs: list[dict], cookie: str) -> None:
    from bench.bench_search import load_postgres
    from kpo.core.access import PLATFORM, PUBLIC

    say(f"\n== (c) PostgreSQL FTS vs the search API on the same {len(docs):,} items ==")
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(re.findall(r"[a-zà-ÿ]{6,}", f"{doc['title']} {doc['body']}".lower())))
    # The broad query: the most frequent words of the generated text (picked at run time), OR-ed
    # until they cover at least half of the items (the search API ORs the words of a query too).
    words: list[str] = []
    covered: set[int] = set()
    texts = [f"{d['title']} {d['summary']} {d['body']}".lower() for d in docs]
    for word, _n in df.most_common(5):
        words.append(word)
        covered |= {i for i, text in enumerate(texts) if word in text}
        if len(covered) >= len(docs) / 2:
            break
    broad = " ".join(words)
    say(f"broad query {broad!r}: a word of it in {len(covered):,} of {len(docs):,} items")
    table = f"bench_fts_{uuid.uuid4().hex[:6]}"
    principals = sorted({PUBLIC, PLATFORM, "community:0"})
    load_postgres(table, [(str(i), {**d, "principals": ["platform"]}) for i, d in enumerate(docs)])
    narrow_sql = (
        f"SELECT id, ts_rank(tsv, query) AS rank, count(*) OVER () AS total "
        f"FROM {table}, plainto_tsquery('dutch', %s) query "
        f"WHERE tsv @@ query AND principals && %s::text[] ORDER BY rank DESC LIMIT 10"
    )
    broad_sql = narrow_sql.replace("plainto_tsquery('dutch', %s)", "to_tsquery('dutch', %s)")
    broad_pg = " | ".join(words)
    with connection.cursor() as cursor:
        cursor.execute(broad_sql, [broad_pg, principals])
        rows = cursor.fetchall()
    say(f"PostgreSQL counts {rows[0][2] if rows else 0:,} matches for the broad query")

    def pg(queries: list[str], clients: int) -> tuple[float, float, float]:
        samples: list[float] = []
        lock = threading.Lock()
        deadline = time.perf_counter() + SECONDS

        sql = broad_sql if queries == [broad_pg] else narrow_sql

        def run() -> None:
            local, i = [], 0
            with connection.cursor() as cursor:
                while time.perf_counter() < deadline:
                    t = time.perf_counter()
                    cursor.execute(sql, [queries[i % len(queries)], principals])
                    cursor.fetchall()
                    local.append(time.perf_counter() - t)
                    i += 1
            with lock:
                samples.extend(local)
            connections.close_all()

        workers = [threading.Thread(target=run) for _ in range(clients)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        ordered = sorted(samples)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        return len(samples) / SECONDS, statistics.median(ordered) * 1000, p95 * 1000

    try:
        for name, queries, api_queries in (
            ("broad", [broad_pg], [broad]),
            ("narrow", QUERIES, QUERIES),
        ):
            for clients in (1, 8):
                rps, p50, p95 = pg(queries, clients)
                lines = [
                    f"GET\t/api/v1/search?q={urllib.parse.quote(q)}\t{cookie}\t"
                    for q in api_queries
                ]
                api = wrk(lines, connections_=clients)
                say(
                    f"{name:6} {clients} client(s): PostgreSQL {rps:6.1f} q/s p50 {p50:6.1f} ms "
                    f"p95 {p95:6.1f} ms | API {api['rps']:6.1f} req/s p50 {api['p50']:6.1f} ms "
                    f"p95 {api['p95']:6.1f} ms | PostgreSQL p95 / API p95 {p95 / api['p95']:.2f}x"
                )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


LEAN_BEFORE_MAX = int(os.environ.get("BENCH_LEAN_BEFORE_MAX", "20000"))


def lean_query(label: str, users, *, items: int = 0) -> None:
    """Engine ``took`` of the same queries, one change at a time, from the request as it was
    (``QueryCost.legacy()`` on an index without offsets) to the lean one; then, from the lean
    query, one cost left out at a time (where do the remaining milliseconds go?). Above
    ``BENCH_LEAN_BEFORE_MAX`` items the index without offsets (a full extra build) is skipped."""
    from dataclasses import replace

    from kpo.core.access import user_principals
    from search.engine import content_alias, get_engine
    from search.indexer import iter_all_documents, versioned_actions
    from search.query import LEAN, QueryCost, clean_params, search_body, search_requests
    from search.schema import index_body

    say(f"\n== lean query: engine took per change, 1 client, same queries [{label}] ==")
    engine = get_engine()
    principals = user_principals(users[0][0])
    live = content_alias()
    plain = ""
    if items <= LEAN_BEFORE_MAX:
        plain = f"{settings.SEARCH_INDEX_PREFIX}-nooffsets-{uuid.uuid4().hex[:6]}"
        engine.create_index(plain, index_body(offsets=False))
        engine.set_refresh_interval(plain, "-1")
        engine.parallel_bulk(plain, versioned_actions(iter_all_documents()))
        engine.set_refresh_interval(plain, None)
        engine.refresh(plain)
    legacy = QueryCost.legacy()
    fewer = replace(legacy, highlight_fields=LEAN.highlight_fields)
    short = ("title^4", "summary^2")
    short_fuzzy = replace(fewer, fuzzy_fields=short)
    bounded = replace(short_fuzzy, track_total_hits=LEAN.track_total_hits)
    steps: list[tuple[str, QueryCost, str, bool]] = [  # each row adds one change
        *([("before (as in #14)", legacy, plain, True)] if plain else []),
        ("+ offsets in the index", legacy, live, True),
        ("+ fewer highlighted fields", fewer, live, True),
        ("+ fuzzy on short fields only", short_fuzzy, live, True),
        ("+ track_total_hits 1000", bounded, live, True),
        ("+ facets sized (one request)", replace(LEAN.single(), fuzzy_fields=short), live, True),
        ("+ hits, facets apart", replace(LEAN, fuzzy_fields=short), live, True),
        ("+ fuzzy on the title only (= lean)", LEAN, live, True),
        ("lean - highlighting", replace(LEAN, highlight_fields=()), live, True),
        ("lean - total count (track 10)", replace(LEAN, track_total_hits=10), live, True),
        ("lean - facets request", LEAN, live, False),
    ]

    def took_of(index: str, requests: list[dict]) -> float:
        if len(requests) == 1:
            return float(engine.search(index, requests[0])["took"])
        return float(max(r["took"] for r in engine.msearch(index, requests)))

    try:
        for name, cost, index, facets in steps:
            batches = []
            for q in QUERIES:
                params = clean_params(q=q, filters={})
                requests = (
                    search_requests(principals, params, cost=cost)
                    if cost.split
                    else [search_body(principals, params, cost=cost)]
                )
                if not facets:
                    requests = requests[:1]
                if name == "lean - highlighting":
                    requests[0].pop("highlight", None)  # the title too
                batches.append(requests)
            for requests in batches:
                took_of(index, requests)  # warm
            took = [took_of(index, r) for _ in range(5) for r in batches]
            ordered = sorted(took)
            say(
                f"{name:30} took p50 {statistics.median(ordered):5.1f} ms  "
                f"p95 {ordered[int(0.95 * (len(ordered) - 1))]:5.1f} ms  "
                f"mean {statistics.fmean(ordered):5.1f} ms"
            )
    finally:
        if plain:
            engine.delete_index(plain)


def machine() -> str:
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = os.getloadavg()
    return (
        f"machine: {os.cpu_count()} cores ({cpu}), {int(mem) / 1024 / 1024:.1f} GiB RAM, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; gunicorn "
        f"{os.environ.get('PRODLIKE_WORKERS', '3')} workers x "
        f"{os.environ.get('PRODLIKE_THREADS', '2')} threads; {settings.SEARCH_ENGINE} at "
        f"{settings.SEARCH_URL}"
    )


def main() -> None:
    say(machine())
    users = sessions(CONNECTIONS)
    if PAGES_ONLY:
        pages_and_engine(f"pages only, {BASE}", users)
        return
    try:
        run(users)
    finally:
        out = Path(os.environ.get("BENCH_OUT", Path(settings.BASE_DIR) / ".run" / "bench.txt"))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(OUT) + "\n")
        print(f"\nFigures written to {out}")


DEMO = os.environ.get("BENCH_DEMO", "1") != "0"  # 0: skip the demo-corpus-only figures


def run(users) -> None:
    if DEMO:
        lean_query("demo corpus", users)
        pages_and_engine("demo corpus", users)
    if ITEMS:
        docs = generate_threads(ITEMS, users[0][0])
        try:
            indexing(ITEMS)
            reindex_under_search(users[0][1])
            lean_query(f"demo corpus + {ITEMS:,} threads", users, items=ITEMS)
            pages_and_engine(f"demo corpus + {ITEMS:,} threads", users)
            postgres_vs_api(docs, users[0][1])
        finally:
            remove_generated()


if __name__ == "__main__":
    main()
