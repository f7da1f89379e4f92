"""Cache keys of the rate limits, namespaced per database (the lock-out is in the database).

The namespace keeps parallel runs on one Redis apart (each test run has its own database); tests
may set ``KPO_SECURITY_CACHE_NAMESPACE`` to isolate themselves further.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import connection


def namespace() -> str:
    return getattr(settings, "KPO_SECURITY_CACHE_NAMESPACE", "") or str(
        connection.settings_dict.get("NAME", "")
    )


def cache_key(*parts: str) -> str:
    *head, ident = parts
    digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:40]
    return ":".join(["kpo-sec", namespace(), *head, digest])
