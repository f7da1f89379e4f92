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
