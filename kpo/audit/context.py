"""The request being handled, for signal handlers that need to know who acts and where.

``AuditRequestMiddleware`` stores the request in a context variable; signal handlers read it
with ``current_request()``. ``audit_suppressed()`` lets a service (account deletion) turn off the
automatic per-row entries it would otherwise cause, after recording one entry of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

_request: ContextVar[HttpRequest | None] = ContextVar("kpo_audit_request", default=None)
_suppressed: ContextVar[bool] = ContextVar("kpo_audit_suppressed", default=False)


def current_request() -> HttpRequest | None:
    return _request.get()


def is_suppressed() -> bool:
    return _suppressed.get()


@contextlib.contextmanager
def audit_suppressed() -> Iterator[None]:
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


# Downloads of non-public files (every file behind these paths needs a login and passes the
# access rule of its document or community): each successful download is audited.
DEFAULT_DOWNLOAD_PATHS = r"^/(kennisbank-acties/bestand/\d+/|communities/[^/]+/bestanden/\d+/)"


class AuditRequestMiddleware:
    """Keeps the request at hand for signal handlers, and audits restricted file downloads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code == 200 and request.method == "GET":
                _audit_download(request, response)
            return response
        finally:
            _request.reset(token)


def _audit_download(request, response) -> None:
    import re

    from django.conf import settings

    pattern = getattr(settings, "KPO_AUDIT_DOWNLOAD_PATHS", DEFAULT_DOWNLOAD_PATHS)
    if not pattern or not re.search(pattern, request.path):
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    from kpo.audit.services import audit_record

    disposition = response.get("Content-Disposition", "")
    filename = disposition.split("filename=", 1)[1].strip('"') if "filename=" in disposition else ""
    audit_record(
        actor=user,
        action="document.restricted_download",
        target_label=filename or request.path,
        data={"path": request.path, "filename": filename},
    )
