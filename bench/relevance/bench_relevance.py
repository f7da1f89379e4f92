"""Relevance benchmark (issue 13): hit@5 and nDCG@5 on the demo corpus and on the held-out set,
for the platform (OpenSearch, the real schema and query) and for PostgreSQL full-text search
(``dutch`` configuration) on the same content. Figures, never pass/fail.

Run: ``tools/bench relevance`` (or ``make bench``, which runs it after the search benchmark).

The synonym data the platform uses is what editors have after loading the demo corpus: themes,
the glossary and organisations, created here with the real loaders. Nothing is added for the
held-out set (``heldout/README.md``).
"""

from __future__ import annotations

import math
import os
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import connection

from kpo.core.corpus import CorpusContext, read_corpus, upsert
from search.engine import BulkAction, get_engine
from search.indexer import finish_document
from search.query import SearchParams
from search.schema import index_body, synonym_rules
from search.selectors import search_raw

HERE = Path(__file__).parent
K = 5
PRINCIPALS = frozenset({"public", "platform"})


def _plain(markdown: str) -> str:
    text = re.sub(r"^#+\s*", "", markdown or "", flags=re.M)
    text = re.sub(r"^\s*-\s+", "", text, flags=re.M)
    return text.replace("**", "").strip()


def heldout_documents() -> list[tuple[str, dict[str, Any]]]:
    data = yaml.safe_load((HERE / "heldout" / "documents.yaml").read_text(encoding="utf-8"))
    docs = []
    for item in data["documents"]:
        raw = {
            "title": item["title"],
            "summary": (item.get("summary") or "").strip(),
            "body": _plain(item.get("body") or ""),
            "url": f"/kennisbank/{item['id']}/",
            "date": str(item["date"]),
            "themes": item.get("themes") or [],
            "doc_type": item.get("doc_type"),
            "review_status": "actueel",
            "principals": ["platform"],
        }
        docs.append((item["id"], finish_document(raw, doc_id=item["id"], search_type="document")))
    return docs


def load_queries(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["queries"]


def metrics(ranked: list[str], relevant: dict[str, int]) -> tuple[float, float]:
    top = ranked[:K]
    hit = 1.0 if any(relevant.get(d, 0) > 0 for d in top) else 0.0
    dcg = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(top))
    ideal = sorted(relevant.values(), reverse=True)[:K]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return hit, (dcg / idcg if idcg else 0.0)


def _seed_synonym_data() -> None:
    """Themes, glossary and organisations as the corpus loader stores them (editor data)."""
    from kpo.accounts.models import Organisation
    from kpo.themes.corpus import load_glossary
    from kpo.themes.models import Theme

    ctx = CorpusContext(data=read_corpus(), demo_accounts=False)
    for item in ctx.section("themes"):
        upsert(
            ctx,
            Theme,
            {"slug": item["slug"]},
            {
                "title": item["title"],
                "intro": (item.get("intro") or "").strip(),
                "synonyms": list(item.get("synonyms") or []),
            },
        )
    for item in ctx.section("organisations"):
        upsert(ctx, Organisation, {"slug": item["slug"]}, {"name": item["name"]})
    load_glossary(ctx)


# --- PostgreSQL full-text search on the same documents ------------------------------------------
def _pg_load(table: str, docs: list[tuple[str, dict]]) -> None:
    with connection.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE {table} (id text primary key, tsv tsvector)")
        for doc_id, doc in docs:
            if not set(doc.get("principals") or []) & PRINCIPALS:
                continue
            cur.execute(
                f"INSERT INTO {table} VALUES (%s, "
                "setweight(to_tsvector('dutch', %s), 'A') || "
                "setweight(to_tsvector('dutch', %s), 'B') || "
                "setweight(to_tsvector('dutch', %s), 'C'))",
                [
                    doc_id,
                    doc.get("title") or "",
                    doc.get("summary") or "",
                    " ".join([doc.get("body") or "", doc.get("attachment_text") or ""]),
                ],
            )


def _pg_search(table: str, q: str) -> list[str]:
    """Any query word may match (``|``), ranked by ``ts_rank_cd``: the fair PostgreSQL baseline
    (``&`` would return nothing for most natural questions)."""
    with connection.cursor() as cur:
        cur.execute("SELECT plainto_tsquery('dutch', %s)::text", [q])
        text = cur.fetchone()[0]
        if not text:
            return []
        cur.execute(
            f"SELECT id FROM {table}, to_tsquery('dutch', %s) query WHERE tsv @@ query "
            "ORDER BY ts_rank_cd(tsv, query) DESC, id LIMIT %s",
            [text.replace(" & ", " | "), K],
        )
        return [row[0] for row in cur.fetchall()]


def _evaluate(search, queries) -> tuple[float, float, list[str]]:
    from search.engine import EngineError

    hits, ndcgs, misses = [], [], []
    for query in queries:
        try:
            ranked = search(query["q"])
        except EngineError as exc:  # counted as a miss, and shown
            ranked = []
            misses.append(f"ERROR {query['q']}: {str(exc)[:120]}")
        hit, ndcg = metrics(ranked, {str(k): v for k, v in query["relevant"].items()})
        hits.append(hit)
        ndcgs.append(ndcg)
        if not hit:
            misses.append(f"{query['kind']}: {query['q']}")
    return sum(hits) / len(hits), sum(ndcgs) / len(ndcgs), misses


@pytest.mark.django_db(transaction=False)
def test_relevance_figures():
    from tests.search.corpus_docs import corpus_documents

    _seed_synonym_data()
    rules = synonym_rules()
    engine = get_engine()
    sets = {
        "demo": (corpus_documents(), load_queries("demo_queries.yaml")),
        "held-out": (heldout_documents(), load_queries("heldout/queries.yaml")),
    }
    lines = [
        f"Relevance at {K} ({len(rules)} synonym rules from themes, glossary, organisations)",
        f"{'set':<9} {'engine':<22} {'queries':>7} {'docs':>5} {'hit@5':>6} {'nDCG@5':>7}",
    ]
    figures: dict[tuple[str, str], tuple[float, float]] = {}
    details: list[str] = []
    for name, (docs, queries) in sets.items():
        index = f"{os.environ.get('SEARCH_INDEX_PREFIX', 'kpo-bench')}-rel-{uuid.uuid4().hex[:6]}"
        engine.create_index(index, index_body(synonyms=rules))
        try:
            engine.bulk(index, [BulkAction("index", i, 1, d) for i, d in docs], refresh=True)

            def platform(q: str, index=index) -> list[str]:
                response = search_raw(
                    principals=PRINCIPALS, params=SearchParams(q=q, page_size=K), index=index
                )
                return [hit["_id"] for hit in response["hits"]["hits"]]

            table = f"bench_fts_{name.replace('-', '_')}"
            _pg_load(table, docs)
            for engine_name, search in (
                ("platform (OpenSearch)", platform),
                ("PostgreSQL FTS dutch", lambda q, table=table: _pg_search(table, q)),
            ):
                hit, ndcg, misses = _evaluate(search, queries)
                figures[(name, engine_name)] = (hit, ndcg)
                lines.append(
                    f"{name:<9} {engine_name:<22} {len(queries):>7} {len(docs):>5} "
                    f"{hit:>6.3f} {ndcg:>7.3f}"
                )
                if engine_name.startswith("platform") and misses:
                    details.append(f"  {name} misses (no relevant hit in top {K}):")
                    details.extend(f"    {m}" for m in misses)
        finally:
            engine.delete_index(index)
    demo = figures[("demo", "platform (OpenSearch)")]
    held = figures[("held-out", "platform (OpenSearch)")]
    lines.append(
        f"platform gap demo - held-out: hit@5 {demo[0] - held[0]:+.3f}, "
        f"nDCG@5 {demo[1] - held[1]:+.3f} (goal: within 0.03)"
    )
    report = "\n".join([*lines, *details])
    print("\n" + report)
    out = os.environ.get("BENCH_RELEVANCE_OUT")
    if out:
        Path(out).write_text(report + "\n", encoding="utf-8")
