"""CPU milliseconds per page request, in-process (issue #14, ADR 0024).

Run against a database that holds the demo corpus (``manage.py kpo_load_corpus``)::

    .venv/bin/python bench/page_cpu.py [N] [--profile PAGE] [--queries]

For every page type (home, theme, thread, kennisbank list, document, search page, API search) it
logs in the demo professional with Django's test client, warms the caches with a few requests and
then times ``N`` (default 200) GETs with ``time.process_time()``: the CPU the web process spends
per request (database and engine time are in other processes, so a figure is not a latency). A
figure, never a pass/fail test. ``--profile PAGE`` prints the cProfile top functions of one page
type; ``--queries`` prints the queries of one warm request per page type.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpo.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
# Django empties the query log when a request starts, which emptied the capture below (0 queries).
request_started.disconnect(reset_queries)


def page_urls() -> dict[str, str]:
    from communities.models import Community, Thread
    from kennisbank.models import KennisbankIndexPage, KnowledgeDocumentPage
    from kpo.themes.models import ThemePage

    thread = (
        Thread.objects.filter(community__visibility=Community.Visibility.OPEN)
        .order_by("-pk")
        .first()
    )
    assert thread is not None, "load the demo corpus first (manage.py kpo_load_corpus)"
    return {
        "home": "/",
        "theme": ThemePage.objects.live().order_by("pk").first().url,
        "thread": thread.get_absolute_url(),
        "kennisbank list": KennisbankIndexPage.objects.get().url,
        "document": KnowledgeDocumentPage.objects.live().public().order_by("pk").first().url,
        "search page": "/zoeken/?q=vastgoed",
        "api search": "/api/v1/search?q=vastgoed",
    }


def logged_in_client() -> Client:
    from kpo.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="professional@demo.kpo.nl"))
    return client


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 200
    profile = args[args.index("--profile") + 1] if "--profile" in args else None
    client = logged_in_client()
    urls = page_urls()
    if profile:
        urls = {profile: urls[profile]}
    print(f"{'page':16} {'status':>6} {'CPU ms/req':>10} {'wall ms/req':>11} {'queries':>7}")
    for name, url in urls.items():
        for _ in range(5):
            response = client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        queries = len(ctx.captured_queries)  # before reset_queries() below empties the log
        if "--queries" in args:
            for q in ctx.captured_queries:
                print("   ", q["sql"][:160])
        profiler = cProfile.Profile() if profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for _ in range(n):
            client.get(url)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        reset_queries()
        print(
            f"{name:16} {response.status_code:>6} {cpu * 1000 / n:>10.2f} "
            f"{wall * 1000 / n:>11.2f} {queries:>7}"
        )
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
