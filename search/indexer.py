"""Draining the outbox into the engine. (Filled in by the search subsystem.)"""

from __future__ import annotations


def drain_outbox() -> int:
    return 0


def reconcile() -> dict:
    return {}
