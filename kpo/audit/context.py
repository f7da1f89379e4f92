"""The request being handled, for signal handlers that need to know who acts and where.

``AuditRequestMiddleware`` (``kpo.audit.middleware``) stores the request in a context variable;
signal handlers read it with ``current_request()``. ``audit_suppressed()`` lets a service
(account deletion) turn off the automatic per-row entries it would otherwise cause, after
recording one entry of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

_request: ContextVar[HttpRequest | None] = ContextVar("kpo_audit_request", default=None)
_suppressed: ContextVar[bool] = ContextVar("kpo_audit_suppressed", default=False)


def current_request() -> HttpRequest | None:
    return _request.get()


def is_suppressed() -> bool:
    return _suppressed.get()


@contextlib.contextmanager
def request_bound(request: Any) -> Iterator[None]:
    """Make ``request`` the current request while the block runs (``AuditRequestMiddleware``)."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextlib.contextmanager
def audit_suppressed() -> Iterator[None]:
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)
