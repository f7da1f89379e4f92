"""Lock-out with back-off for login, password-reset and second-factor attempts.

Counters live in the cache (Redis in production and tests). Per *scope* (``login``,
``login_ip``, ``password_reset``, ``password_reset_ip``, ``otp``) the settings give::

    KPO_LOCKOUT = {"login": {"failures": 5, "window": 900, "base_seconds": 60,
                             "max_seconds": 3600}, ...}

After ``failures`` failures within ``window`` seconds the identity (an e-mail address, an IP
address or a user id) is locked for ``base_seconds``; every further lock-out doubles the period up
to ``max_seconds`` (the back-off level is remembered for a day). Lock-outs are logged and recorded
in the audit log. A scope missing from the settings is not limited.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

from kpo.security.cache_keys import cache_key

logger = logging.getLogger("kpo.security")

DEFAULT_LOCKOUT: dict[str, dict[str, int]] = {
    "login": {"failures": 5, "window": 900, "base_seconds": 60, "max_seconds": 3600},
    "login_ip": {"failures": 50, "window": 900, "base_seconds": 300, "max_seconds": 3600},
    "password_reset": {"failures": 3, "window": 3600, "base_seconds": 900, "max_seconds": 86400},
    "password_reset_ip": {
        "failures": 20,
        "window": 3600,
        "base_seconds": 900,
        "max_seconds": 86400,
    },
    "otp": {"failures": 5, "window": 900, "base_seconds": 60, "max_seconds": 3600},
}
LEVEL_MEMORY_SECONDS = 24 * 3600

AUDIT_ACTIONS = {
    "login": "security.login_locked",
    "login_ip": "security.login_locked",
    "password_reset": "security.password_reset_locked",
    "password_reset_ip": "security.password_reset_locked",
    "otp": "security.otp_failed",
}


def _config(scope: str) -> dict[str, int] | None:
    return getattr(settings, "KPO_LOCKOUT", DEFAULT_LOCKOUT).get(scope)


def lockout_remaining(*, scope: str, ident: str) -> int:
    """Seconds until ``ident`` may try again in ``scope``; 0 when not locked."""
    if _config(scope) is None:
        return 0
    until = cache.get(cache_key(scope, "locked", ident))
    if not until:
        return 0
    return max(0, math.ceil(float(until) - time.time()))


def lockout_register_failure(*, scope: str, ident: str, user=None) -> int:
    """Count one failure; returns the lock-out period in seconds when this failure locks."""
    config = _config(scope)
    if config is None:
        return 0
    fail_key = cache_key(scope, "fail", ident)
    cache.add(fail_key, 0, config["window"])
    try:
        count = cache.incr(fail_key)
    except ValueError:  # expired between add and incr
        cache.set(fail_key, 1, config["window"])
        count = 1
    if count < config["failures"]:
        return 0
    level_key = cache_key(scope, "level", ident)
    level = int(cache.get(level_key) or 0)
    seconds = min(config["base_seconds"] * 2**level, config["max_seconds"])
    cache.set(cache_key(scope, "locked", ident), time.time() + seconds, seconds)
    cache.set(level_key, level + 1, LEVEL_MEMORY_SECONDS)
    cache.delete(fail_key)
    logger.warning(
        "Lock-out in %s for %ss after %s failures (level %s)", scope, seconds, count, level
    )
    from kpo.audit.services import audit_record

    audit_record(
        actor=None,
        action=AUDIT_ACTIONS.get(scope, "security.locked"),
        target=user,
        target_label=None if user is not None else scope,
        data={"scope": scope, "seconds": seconds, "level": level + 1},
    )
    return seconds


def lockout_reset(*, scope: str, ident: str) -> None:
    """Forget failures after a success (the back-off level too)."""
    for kind in ("fail", "level"):
        cache.delete(cache_key(scope, kind, ident))


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
