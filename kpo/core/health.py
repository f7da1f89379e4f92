"""``/health/``: the state of the parts the platform needs, as JSON."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # noqa: BLE001
        return False


def check_redis() -> bool | None:
    """``None`` when the platform runs without Redis (embedded default)."""
    if not settings.REDIS_URL:
        return None
    try:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        return bool(client.ping())
    except Exception:  # noqa: BLE001
        return False


def declared_checks() -> dict[str, bool | None]:
    """The checks the pillars declare on their AppConfig (``health_checks = {"search":
    "search.engine.engine_ping"}``): the core never imports a pillar (docs/decisions/0018)."""
    results: dict[str, bool | None] = {}
    for config in apps.get_app_configs():
        for name, path in getattr(config, "health_checks", {}).items():
            try:
                results[name] = import_string(path)()
            except Exception:  # noqa: BLE001 - a failing check is a part that is down
                results[name] = False
    return results


def health_state() -> tuple[dict[str, str], bool]:
    parts = {"database": check_database(), "redis": check_redis(), **declared_checks()}
    state = {
        name: ("not-configured" if ok is None else "ok" if ok else "down")
        for name, ok in parts.items()
    }
    healthy = all(ok is not False for ok in parts.values())
    return state, healthy


@never_cache
def health(request):
    from kpo.core.observability import outbox_state

    state, healthy = health_state()
    body: dict = {"status": "ok" if healthy else "down", **state}
    if state["database"] == "ok":
        # How far the workers are behind: rows waiting and the age of the oldest (seconds).
        body["outbox"] = outbox_state()
    return JsonResponse(body, status=200 if healthy else 503)
