"""Shared fixtures. The suite runs against the real PostgreSQL, Redis and OpenSearch node that
``tools/test`` starts; the corpus is loaded once into the test database."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the corpus once per session; non-transactional tests see it and roll back."""
    from kpo.core.corpus import load_corpus
    from search.engine import get_engine
    from search.indexer import content_alias

    # A fresh content index per session: one left by an earlier run on the same node may have
    # been built from another schema (the corpus load below builds it anew).
    engine = get_engine()
    for name in engine.list_indices(f"{content_alias()}-*"):
        engine.delete_index(name)
    with django_db_blocker.unblock():
        load_corpus()
    yield


@pytest.fixture
def corpus(db):
    """The corpus, also after a transactional test flushed the database."""
    from kpo.core.corpus import load_corpus
    from kpo.themes.models import Theme

    if not Theme.objects.exists():
        load_corpus()


@pytest.fixture
def professional(db):
    return UserFactory()


@pytest.fixture
def professional_client(client, professional):
    client.force_login(professional)
    return client


class SearchNode:
    """Stops and starts the real shared OpenSearch node (for outage tests)."""

    script = str(ROOT / "tools" / "search-node")

    def stop(self) -> None:
        subprocess.run([self.script, "stop"], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        subprocess.run([self.script, "start"], check=True, capture_output=True, timeout=300)


@pytest.fixture
def search_node():
    node = SearchNode()
    yield node
    node.start()  # always leave the node running for the rest of the suite


@pytest.fixture(scope="session")
def require_services():
    """Integration tests need the real services; fail loudly (never skip) when they are absent."""
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    assert not missing, f"Integration tests need {missing}: run them through `make test`."
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser journeys run last: Playwright's sync API keeps an asyncio loop on the main thread
    for the rest of the session, and Django refuses database calls from such a context."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/e2e/"))


@pytest.fixture
def clean_cache():
    """An empty cache before and after the test (page, fragment and reader caches)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
