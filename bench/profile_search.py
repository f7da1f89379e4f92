"""In-process profile of the search page and the API search (issue #14; figures, never pass/fail).

Runs against the database and index of the environment (``eval "$(tools/prodlike env)"``), as a
logged-in professional, and prints per request type: SQL queries, the time per phase (principals,
engine, second gate, facet labels, picks, rendering/serialising, the rest) and, with
``PROFILE_CPROFILE=1``, the top of a cProfile by cumulative time.

    .venv/bin/python -m bench.profile_search            # 20 queries x PROFILE_ROUNDS (5)
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.corpus_gen import QUERIES  # noqa: E402

ROUNDS = int(os.environ.get("PROFILE_ROUNDS", "5"))
PHASES: dict[str, list[float]] = defaultdict(list)
_current: dict[str, float] = defaultdict(float)


def timed(module: Any, name: str, phase: str) -> None:
    """Wrap ``module.name`` so its wall time is added to ``phase`` of the current request."""
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _current[phase] += time.perf_counter() - start

    setattr(module, name, wrapper)


def install() -> None:
    import search.engine
    import search.selectors
    import search.views

    timed(search.selectors, "user_principals", "principals")
    for engine_class in (search.engine.OpenSearchEngine, search.engine.ElasticsearchEngine):
        for method in ("search", "msearch"):  # msearch: hits and facets apart (ADR 0034)
            timed(engine_class, method, "engine")
    for name in ("_visible_doc_ids", "visible_doc_ids"):
        if hasattr(search.selectors, name):
            timed(search.selectors, name, "second gate")
    timed(search.selectors, "facets_from", "facet labels")
    timed(search.selectors, "picks_for_user", "picks")
    timed(search.selectors, "search_result_from_hit", "results")
    timed(search.views, "render", "render")


def professional():
    from communities.models import Community, Membership
    from kpo.accounts.models import User

    user, _ = User.objects.get_or_create(
        email="bench-profile@gemeente.example",
        defaults={"first_name": "Bench", "last_name": "Profiel"},
    )
    for community in Community.objects.filter(visibility="open"):
        Membership.objects.get_or_create(
            community=community, user=user, defaults={"role": "member", "state": "active"}
        )
    return user


def main() -> None:
    install()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(professional())
    cases = {
        "search page": [f"/zoeken/?q={urllib.parse.quote(q)}" for q in QUERIES],
        "API search": [f"/api/v1/search?q={urllib.parse.quote(q)}" for q in QUERIES],
    }
    for label, paths in cases.items():
        for path in paths:  # warm caches and connections
            client.get(path)
        PHASES.clear()
        totals: list[float] = []
        queries: list[int] = []
        profiler = cProfile.Profile() if os.environ.get("PROFILE_CPROFILE") == "1" else None
        for _ in range(ROUNDS):
            for path in paths:
                _current.clear()
                with CaptureQueriesContext(connection) as ctx:
                    if profiler:
                        profiler.enable()
                    start = time.perf_counter()
                    response = client.get(path)
                    totals.append(time.perf_counter() - start)
                    if profiler:
                        profiler.disable()
                assert response.status_code == 200, (path, response.status_code)
                queries.append(len(ctx.captured_queries))
                for phase, seconds in _current.items():
                    PHASES[phase].append(seconds)
        n = len(totals)
        mean = statistics.fmean(totals) * 1000
        print(
            f"\n== {label}: {n} requests, mean {mean:.1f} ms, p50 "
            f"{statistics.median(totals) * 1000:.1f} ms; SQL queries per request "
            f"min {min(queries)} max {max(queries)} =="
        )
        accounted = 0.0
        for phase, values in sorted(PHASES.items()):
            per = sum(values) / n * 1000
            if phase != "results":
                accounted += per
            print(f"  {phase:14} {per:6.2f} ms per request")
        print(f"  {'rest':14} {mean - accounted:6.2f} ms per request (middleware, view, DRF …)")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(
                os.environ.get("PROFILE_SORT", "cumulative")
            ).print_stats(45)
            print(out.getvalue())


if __name__ == "__main__":
    main()
