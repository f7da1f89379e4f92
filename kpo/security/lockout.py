"""Lock-out with back-off for login, password-reset and second-factor attempts.

Counters live in the database (``LockoutCounter``), so a lock-out holds while the cache (Redis) is
down: failing open there would let anyone guess passwords during an outage. Per *scope*
(``login``, ``login_ip``, ``password_reset``, ``password_reset_ip``, ``otp``) the settings give::

    KPO_LOCKOUT = {"login": {"failures": 5, "window": 900, "base_seconds": 60,
                             "max_seconds": 3600}, ...}

After ``failures`` failures within ``window`` seconds the identity (an e-mail address, an IP
address from ``kpo.security.ip.client_ip``, or a user id) is locked for ``base_seconds``; every
further lock-out doubles the period up to ``max_seconds`` (the back-off level is remembered for a
day). Lock-outs are logged and recorded in the audit log. A scope missing from the settings is not
limited. Every login door goes through here: ``LockoutEmailBackend`` (our login, Wagtail's and
Django's admin login, the API token endpoint), the password-reset form and the second step.
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

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


def ident_hash(ident: str) -> str:
    return hashlib.sha256(ident.strip().lower().encode()).hexdigest()


def _counter_for_update(scope: str, ident: str):
    """The counter row, locked for this transaction (created when missing)."""
    from kpo.security.models import LockoutCounter

    key = {"scope": scope, "ident": ident_hash(ident)}
    row = LockoutCounter.objects.select_for_update().filter(**key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            LockoutCounter.objects.create(**key)
    except IntegrityError:  # created by a concurrent failure meanwhile
        pass
    return LockoutCounter.objects.select_for_update().get(**key)


def lockout_remaining(*, scope: str, ident: str) -> int:
    """Seconds until ``ident`` may try again in ``scope``; 0 when not locked."""
    from kpo.security.models import LockoutCounter

    if _config(scope) is None:
        return 0
    until = (
        LockoutCounter.objects.filter(scope=scope, ident=ident_hash(ident))
        .values_list("locked_until", flat=True)
        .first()
    )
    if until is None:
        return 0
    return max(0, math.ceil((until - timezone.now()).total_seconds()))


def lockout_register_failure(*, scope: str, ident: str, user=None) -> int:
    """Count one failure; returns the lock-out period in seconds when this failure locks."""
    config = _config(scope)
    if config is None:
        return 0
    now = timezone.now()
    with transaction.atomic():
        row = _counter_for_update(scope, ident)
        window = timedelta(seconds=config["window"])
        if row.window_started_at is None or now - row.window_started_at > window:
            row.failures, row.window_started_at = 0, now
        if row.level_expires_at is not None and row.level_expires_at <= now:
            row.level = 0
        row.failures += 1
        count = row.failures
        if count < config["failures"]:
            row.save(update_fields=["failures", "window_started_at", "level", "updated_at"])
            return 0
        level = row.level
        seconds = min(config["base_seconds"] * 2**level, config["max_seconds"])
        row.locked_until = now + timedelta(seconds=seconds)
        row.level = level + 1
        row.level_expires_at = now + timedelta(seconds=LEVEL_MEMORY_SECONDS)
        row.failures, row.window_started_at = 0, None
        row.save()
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
    from kpo.security.models import LockoutCounter

    LockoutCounter.objects.filter(scope=scope, ident=ident_hash(ident)).delete()


def lockout_counters_purge(*, now=None) -> int:
    """Delete counters that lock nothing and remember nothing any more (beat, idempotent)."""
    from django.db.models import Q

    from kpo.security.models import LockoutCounter

    now = now or timezone.now()
    scopes = getattr(settings, "KPO_LOCKOUT", DEFAULT_LOCKOUT).values()
    longest = max((c["window"] for c in scopes), default=0)
    stale = now - timedelta(seconds=max(longest, LEVEL_MEMORY_SECONDS))
    deleted, _ = (
        LockoutCounter.objects.filter(updated_at__lt=stale)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .filter(Q(level_expires_at__isnull=True) | Q(level_expires_at__lt=now))
        .delete()
    )
    return deleted


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
