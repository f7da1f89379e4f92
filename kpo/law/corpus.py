"""The law app's part of the corpus load: the permission of jurists and the board to enter law
changes (idempotent)."""

from __future__ import annotations

from typing import Any

from kpo.law.services import law_permissions_ensure


def load(ctx: Any) -> None:
    law_permissions_ensure()
