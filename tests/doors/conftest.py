"""Door tests log in many staff accounts in a row: each test gets its own security cache
namespace (lock-out and throttling counters)."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(autouse=True)
def security_namespace(settings):
    settings.KPO_SECURITY_CACHE_NAMESPACE = f"test-{uuid.uuid4().hex}"
