"""Fixtures for the search tests: a real engine, one index prefix per test, and an index built
directly from the corpus YAML (the pillars that own that content are built in parallel)."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from search.engine import get_engine


@pytest.fixture(scope="session")
def engine():
    engine = get_engine()
    assert engine.ping(), f"No search engine answers on {settings.SEARCH_URL}."
    return engine


@pytest.fixture(scope="module")
def corpus_index(django_db_setup, django_db_blocker, engine):
    """An index of the corpus documents (``tests.search.corpus_docs``), one per test module."""
    from search.engine import BulkAction
    from search.schema import index_body
    from tests.search.corpus_docs import corpus_documents

    name = f"{settings.SEARCH_INDEX_PREFIX}-corpus-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        engine.create_index(name, index_body())
        docs = corpus_documents()
    result = engine.bulk(name, [BulkAction("index", i, 1, d) for i, d in docs], refresh=True)
    assert result.ok and result.indexed == len(docs)
    yield name
    engine.delete_index(name)


@pytest.fixture
def fresh_prefix(settings, engine):
    """A unique SEARCH_INDEX_PREFIX for this test; its indices are removed afterwards."""
    base = settings.SEARCH_INDEX_PREFIX
    prefix = f"{base}-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_INDEX_PREFIX = prefix
    yield prefix
    for name in engine.list_indices(f"{prefix}-*"):
        engine.delete_index(name)


@pytest.fixture
def scratch_index(engine):
    """A unique index name, deleted afterwards."""
    name = f"{settings.SEARCH_INDEX_PREFIX}-scratch-{uuid.uuid4().hex[:8]}"
    yield name
    engine.delete_index(name)


@pytest.fixture
def eager_celery():
    """Run Celery tasks inline (as ``make run`` does without a broker), then restore."""
    from kpo.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = before
