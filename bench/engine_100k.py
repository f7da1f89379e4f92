"""The engine at 100,000 items, without the whole bench (issue #14, fifth wave, ADR 0032).

Generates ``ENGINE_ITEMS`` documents with ``bench/corpus_gen.py`` (the generator ``make bench``
uses), bulks them straight into an index of this node built from ``search/schema.py`` (the real
mapping, the editors' synonym data from the database) and times the platform's own request
bodies (``search.query.search_body`` for the 20 bench queries): engine ``took`` and wall time,
p50/p95, one client and ``ENGINE_CLIENTS`` clients. Figures, never pass/fail.

Run (with the exports of your checkout, the search node started and the corpus loaded)::

    .venv/bin/python -m bench.engine_100k

Knobs (environment):

* ``ENGINE_ITEMS`` (100000): generated documents; ``ENGINE_INDEX`` (``<prefix>-engine100k``):
  the index; an existing index with that many documents is reused unless ``ENGINE_REBUILD=1``.
* ``ENGINE_SHARDS`` (``SEARCH_INDEX_SHARDS``): primary shards of a new index.
* ``ENGINE_MERGE`` (1): force-merge a new index the way ``reindex()`` does (0: leave the bulk's
  segments, for the before figure).
* ``ENGINE_ROUNDS`` (5): passes over the 20 queries per variant, interleaved between variants.
* ``ENGINE_CLIENTS`` (8): the concurrent figure (0 skips it); ``ENGINE_SECONDS`` (10) for it.
* ``ENGINE_VARIANTS``: comma-separated names from ``VARIANTS`` (default: all). "lean" is the
  single request of before ADR 0034 (``search_body``), the others change it; "split (as sent)"
  is what the platform sends now (``search_requests``: hits and facets in one ``_msearch``).
* ``ENGINE_CLIENT_VARIANTS`` (1): how many of the variants (in order) get the concurrent figure.
* ``ENGINE_COMPARE_INDEX``: also send every variant to this index, interleaved (before/after
  an analysis or mapping change: build the other index with ``ENGINE_INDEX``).
* ``ENGINE_CONCURRENT`` (unset): set the cluster's ``search.concurrent_segment_search.mode``
  (``none``/``auto``/``all``) before measuring.
* ``ENGINE_INDEXING=N``: instead, bulk N documents into fresh indices with simpler analysis
  (where does indexing time go?) and print items/s and the node's indexing time for each;
  ``ENGINE_INDEXING_VARIANTS`` picks some of them by name.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
django.setup()

from django.conf import settings  # noqa: E402

from bench.corpus_gen import QUERIES, generate  # noqa: E402
from search.engine import BulkAction, get_engine  # noqa: E402
from search.indexer import finish_document  # noqa: E402
from search.query import clean_params, search_body, search_requests  # noqa: E402
from search.schema import index_body, synonym_rules  # noqa: E402

ITEMS = int(os.environ.get("ENGINE_ITEMS", "100000"))
INDEX = os.environ.get("ENGINE_INDEX", f"{settings.SEARCH_INDEX_PREFIX}-engine100k")
ROUNDS = int(os.environ.get("ENGINE_ROUNDS", "5"))
CLIENTS = int(os.environ.get("ENGINE_CLIENTS", "8"))
SECONDS = float(os.environ.get("ENGINE_SECONDS", "10"))
# A professional of the platform who is a member of a few communities.
PRINCIPALS = frozenset({"public", "platform", *(f"community:{i}" for i in range(1, 6))})


def documents(n: int) -> list[BulkAction]:
    actions = []
    for doc_id, kind, raw in generate(n):
        doc = finish_document(raw, doc_id=doc_id, search_type=kind)
        actions.append(BulkAction("index", doc_id, 1, doc))
    return actions


def node_indexing_ms(engine: Any, index: str) -> float:
    stats = engine.admin_client.indices.stats(index=index, metric="indexing")
    return float(stats["_all"]["primaries"]["indexing"]["index_time_in_millis"])


def build(engine: Any, index: str, body: dict, actions: list[BulkAction], *, merge: bool) -> str:
    if engine.index_exists(index):
        engine.delete_index(index)
    engine.create_index(index, body)
    engine.set_refresh_interval(index, "-1")
    start = time.perf_counter()
    result = engine.parallel_bulk(
        index,
        actions,
        threads=getattr(settings, "SEARCH_BULK_THREADS", 2),
        chunk_size=getattr(settings, "SEARCH_BULK_CHUNK_DOCS", 2000),
        max_chunk_bytes=getattr(settings, "SEARCH_BULK_CHUNK_BYTES", 5 * 1024 * 1024),
    )
    engine.set_refresh_interval(index, None)
    engine.refresh(index)
    bulk_s = time.perf_counter() - start
    line = (
        f"{index}: {result.indexed:,} docs in {bulk_s:.1f} s = {result.indexed / bulk_s:,.0f} "
        f"items/s (node indexing time {node_indexing_ms(engine, index) / 1000:.1f} s)"
    )
    if merge:
        start = time.perf_counter()
        engine.force_merge(index)
        line += f"; force merge {time.perf_counter() - start:.1f} s"
    return line + f"; segments {segments(engine, index)}"


def segments(engine: Any, index: str) -> int:
    return int(engine.segment_count(index))


# --- query variants: body -> body (the lean query is "lean") -------------------------------------
def _walk(node: Any, fn: Callable[[dict], Any]) -> Any:
    if isinstance(node, dict):
        node = fn(node)
        return {k: _walk(v, fn) for k, v in node.items()} if isinstance(node, dict) else node
    if isinstance(node, list):
        return [_walk(v, fn) for v in node]
    return node


def _drop_should(pred: Callable[[dict], bool]) -> Callable[[dict], dict]:
    def fn(body: dict) -> dict:
        def strip(node: dict) -> dict:
            if "bool" in node and "should" in node["bool"]:
                node = copy.deepcopy(node)
                node["bool"]["should"] = [c for c in node["bool"]["should"] if not pred(c)]
                if not node["bool"]["should"]:
                    node["bool"].pop("should")
            return node

        return _walk(body, strip)

    return fn


def _is_phrase(clause: dict) -> bool:
    return clause.get("multi_match", {}).get("type") == "phrase"


def _is_decomp(clause: dict) -> bool:
    return any(".decomp" in f for f in clause.get("multi_match", {}).get("fields", []))


def _no_aggs(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "aggs"}


def _no_function_score(body: dict) -> dict:
    def unwrap(node: dict) -> dict:
        return node["function_score"]["query"] if "function_score" in node else node

    return _walk(body, unwrap)


def _track(n: int | bool) -> Callable[[dict], dict]:
    return lambda body: {**body, "track_total_hits": n}


def _short_decomp(body: dict) -> dict:
    def keep(node: dict) -> dict:
        fields = node.get("multi_match", {}).get("fields", [])
        if any(".decomp" in f for f in fields):
            node = copy.deepcopy(node)
            node["multi_match"]["fields"] = [
                f for f in fields if f.startswith(("title.", "summary."))
            ]
        return node

    return _walk(body, keep)


def _rescored(body: dict) -> dict:
    """The text query alone decides the candidates (block-max WAND can skip, no aggregations:
    they go to a separate size-0 request); the phrase boost and the trust/freshness functions
    only re-rank the best ``window`` candidates (``rescore``)."""
    window = int(os.environ.get("ENGINE_RESCORE_WINDOW", "100"))
    if "function_score" not in body["query"]:
        return _no_aggs(body)
    fs = body["query"]["function_score"]
    inner = copy.deepcopy(fs["query"])  # bool(filter, must=[text bool(must=[core], should=[..])])
    text = inner["bool"]["must"][0]["bool"]
    phrases = [c for c in text.get("should", []) if _is_phrase(c)]
    text["should"] = [c for c in text.get("should", []) if not _is_phrase(c)]
    if not text["should"]:
        text.pop("should")
    rescore = []
    if phrases:
        rescore.append(
            {
                "window_size": window,
                "query": {"rescore_query": {"bool": {"should": phrases}}, "score_mode": "total"},
            }
        )
    functions = {k: v for k, v in fs.items() if k != "query"}
    rescore.append(
        {
            "window_size": window,
            "query": {
                "rescore_query": {"function_score": {"query": {"match_all": {}}, **functions}},
                "score_mode": "multiply",
            },
        }
    )
    out = {k: v for k, v in body.items() if k not in ("aggs", "query")}
    return {**out, "query": inner, "rescore": rescore}


def _facets_only(body: dict) -> dict:
    """The facet half of a split request: size 0, the query in filter context (no scores)."""
    return {
        "size": 0,
        "track_total_hits": body.get("track_total_hits", True),
        "query": {"constant_score": {"filter": _no_function_score(body)["query"]}},
        "aggs": body.get("aggs", {}),
    }


VARIANTS: dict[str, Callable[[dict], dict]] = {
    "lean": lambda body: body,
    # placeholder: "split" bodies are the platform's own ``search_requests`` (an ``_msearch``)
    "split (as sent)": lambda body: body,
    "- phrase clause": _drop_should(_is_phrase),
    "- decomp clause": _drop_should(_is_decomp),
    "- aggregations": _no_aggs,
    "- function_score": _no_function_score,
    "- highlight": lambda body: {k: v for k, v in body.items() if k != "highlight"},
    "track_total_hits 100": _track(100),
    "decomp on title/summary only": _short_decomp,
    "- aggs - function_score": lambda body: _no_aggs(_no_function_score(body)),
    "rescore (no aggs)": _rescored,
    "facets alone (filter ctx)": _facets_only,
}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * (len(ordered) - 1) + 0.5))]


def send(client: Any, index: str, body: dict | list[dict]) -> float:
    """One search (a list of bodies is one ``_msearch``); the engine's ``took``."""
    if isinstance(body, list):
        lines: list[dict] = []
        for one in body:
            lines.extend(({"index": index}, one))
        return float(client.msearch(body=lines)["took"])
    return float(client.search(index=index, body=body)["took"])


def single_client(
    engine: Any,
    index: str,
    bodies: dict[str, list[Any]],
    rounds: int,
    indices: dict[str, str] | None = None,
) -> dict[str, tuple[list[float], list[float]]]:
    """Interleaved: each round sends every variant's 20 bodies, variant after variant (to
    ``indices[name]`` where given, else ``index``)."""
    out: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in bodies}
    client = engine.client
    target = {name: (indices or {}).get(name, index) for name in bodies}
    for name, batch in bodies.items():  # warm
        for body in batch:
            send(client, target[name], body)
    for _ in range(rounds):
        for name, batch in bodies.items():
            for body in batch:
                start = time.perf_counter()
                took = send(client, target[name], body)
                out[name][0].append(took)
                out[name][1].append((time.perf_counter() - start) * 1000)
    return out


def concurrent(engine: Any, index: str, batch: list[Any], clients: int, seconds: float) -> str:
    stop = time.perf_counter() + seconds
    walls: list[float] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        mine: list[float] = []
        i = k
        while time.perf_counter() < stop:
            start = time.perf_counter()
            send(engine.client, index, batch[i % len(batch)])
            mine.append((time.perf_counter() - start) * 1000)
            i += 1
        with lock:
            walls.extend(mine)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (
        f"{len(walls) / seconds:6.1f} req/s  wall p50 {pct(walls, 0.5):6.1f}  "
        f"p95 {pct(walls, 0.95):6.1f} ms"
    )


def indexing_breakdown(n: int, rules: list[str]) -> None:
    """Bulk ``n`` documents into indices with parts of the analysis left out."""
    engine = get_engine()
    actions = documents(n)
    full = index_body(synonyms=rules)
    variants: dict[str, dict] = {"full schema": full}
    if os.environ.get("ENGINE_INDEXING_VARIANTS"):
        keep = {v.strip() for v in os.environ["ENGINE_INDEXING_VARIANTS"].split(",")}
    else:
        keep = None

    def without_subfields(names: tuple[str, ...]) -> dict:
        body = copy.deepcopy(full)
        for field_name in names:
            body["mappings"]["properties"][field_name].pop("fields", None)
            if field_name == "title":
                body["mappings"]["properties"][field_name]["fields"] = {
                    "raw": {"type": "keyword", "ignore_above": 256}
                }
        return body

    variants["- body/attachment .decomp"] = without_subfields(("body", "attachment_text"))
    variants["- every .decomp"] = without_subfields(("title", "summary", "body", "attachment_text"))
    no_hunspell = copy.deepcopy(full)
    for analyzer in no_hunspell["settings"]["analysis"]["analyzer"].values():
        if "filter" in analyzer:
            analyzer["filter"] = [f for f in analyzer["filter"] if f != "kpo_hunspell"]
    variants["- hunspell"] = no_hunspell
    every_word = copy.deepcopy(full)
    every_word["settings"]["analysis"]["filter"]["kpo_decompounder"]["min_word_size"] = 5
    variants["decompound words >= 5 letters"] = every_word
    no_offsets = index_body(synonyms=rules, offsets=False)
    variants["- offsets"] = no_offsets
    plain = copy.deepcopy(full)
    plain["settings"].pop("analysis")
    plain["settings"]["analysis"] = {}

    def standard(node: dict) -> dict:
        if node.get("type") in ("text", "search_as_you_type"):
            node = {k: v for k, v in node.items() if k not in ("analyzer", "search_analyzer")}
        return node

    plain["mappings"] = _walk(plain["mappings"], standard)
    variants["standard analyzer everywhere"] = plain
    print(f"== indexing {n:,} generated documents, where does the time go ==")
    for name, body in variants.items():
        if keep is not None and name not in keep:
            continue
        index = f"{settings.SEARCH_INDEX_PREFIX}-engidx"
        line = build(engine, index, body, actions, merge=False)
        print(f"{name:32} {line.split(': ', 1)[1]}")
        engine.delete_index(index)


def main() -> None:
    engine = get_engine()
    rules = synonym_rules()
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
        f"{len(rules)} synonym rules; node {settings.SEARCH_URL}"
    )
    if os.environ.get("ENGINE_INDEXING"):
        indexing_breakdown(int(os.environ["ENGINE_INDEXING"]), rules)
        return
    mode = os.environ.get("ENGINE_CONCURRENT")
    if mode:
        engine.admin_client.cluster.put_settings(
            body={"persistent": {"search.concurrent_segment_search.mode": mode}}
        )
        print(f"search.concurrent_segment_search.mode = {mode}")
    exists = engine.index_exists(INDEX) and engine.count(INDEX) >= ITEMS
    if os.environ.get("ENGINE_REBUILD") == "1" or not exists:
        shards = int(os.environ.get("ENGINE_SHARDS", settings.SEARCH_INDEX_SHARDS))
        body = index_body(synonyms=rules)
        body["settings"]["number_of_shards"] = shards
        merge = os.environ.get("ENGINE_MERGE", "1") == "1"
        print(build(engine, INDEX, body, documents(ITEMS), merge=merge))
    print(f"{INDEX}: {engine.count(INDEX):,} docs, {segments(engine, INDEX)} segments")
    wanted = [v.strip() for v in os.environ.get("ENGINE_VARIANTS", "").split(",") if v.strip()]
    names = wanted or list(VARIANTS)
    params = [clean_params(q=q, filters={}) for q in QUERIES]
    lean = [search_body(PRINCIPALS, p) for p in params]
    bodies: dict[str, list[Any]] = {
        name: [VARIANTS[name](json.loads(json.dumps(b))) for b in lean] for name in names
    }
    if "split (as sent)" in bodies:
        bodies["split (as sent)"] = [search_requests(PRINCIPALS, p) for p in params]
    indices: dict[str, str] = {}
    compare = os.environ.get("ENGINE_COMPARE_INDEX")
    if compare:  # the same variants against another index (e.g. built with other analysis)
        for name in names:
            bodies[f"{name} @ {compare}"] = bodies[name]
            indices[f"{name} @ {compare}"] = compare
    print(f"== 1 client, {ROUNDS} interleaved rounds x {len(QUERIES)} queries ==")
    for name, (took, wall) in single_client(engine, INDEX, bodies, ROUNDS, indices).items():
        print(
            f"{name:24} took p50 {statistics.median(took):6.1f}  p95 {pct(took, 0.95):6.1f}  "
            f"wall p50 {statistics.median(wall):6.1f}  p95 {pct(wall, 0.95):6.1f} ms"
        )
    if os.environ.get("ENGINE_FORCE_MERGE") == "1":
        start = time.perf_counter()
        engine.force_merge(INDEX)
        took_s = time.perf_counter() - start
        print(f"force merge {took_s:.1f} s; segments {segments(engine, INDEX)}")
        for name, (took, wall) in single_client(engine, INDEX, bodies, ROUNDS).items():
            print(
                f"merged {name:17} took p50 {statistics.median(took):6.1f}  "
                f"p95 {pct(took, 0.95):6.1f}  wall p50 {statistics.median(wall):6.1f}  "
                f"p95 {pct(wall, 0.95):6.1f} ms"
            )
    if CLIENTS:
        for name in names[: int(os.environ.get("ENGINE_CLIENT_VARIANTS", "1"))]:
            print(f"== {CLIENTS} clients, {SECONDS:.0f} s, {name} ==")
            print(concurrent(engine, INDEX, bodies[name], CLIENTS, SECONDS))


if __name__ == "__main__":
    main()
