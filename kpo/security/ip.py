"""The client's IP address, the one helper used by the lock-out, the rate limits and the audit log.

Behind reverse proxies ``REMOTE_ADDR`` is the nearest proxy: keyed on it, one attacker could lock
out everyone. ``KPO_TRUSTED_PROXY_COUNT`` says how many proxies in front of the application we
trust (0, the default: none, so ``X-Forwarded-For`` is ignored and ``REMOTE_ADDR`` is the client).

Each trusted proxy appends the address it received the request from to ``X-Forwarded-For``. So
the full hop chain is the header's entries followed by ``REMOTE_ADDR``, and with N trusted
proxies the client is the (N+1)-th address from the right. Entries further left were written by
the client itself and are never used; a chain shorter than that (a request that did not pass all
proxies) falls back to ``REMOTE_ADDR``. Parsing (IPv6, ports, RFC 7239 tokens) is python-ipware's.
"""

from __future__ import annotations

from django.conf import settings
from python_ipware import IpWare

UNKNOWN = "unknown"


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "KPO_TRUSTED_PROXY_COUNT", 0) or 0))


def client_ip(request) -> str:
    """The client's address as a string (``"unknown"`` without a request or address)."""
    if request is None:
        return UNKNOWN
    meta = request.META
    remote = (meta.get("REMOTE_ADDR") or "").strip()
    proxies = trusted_proxy_count()
    if proxies == 0:
        return remote or UNKNOWN
    forwarded = meta.get("HTTP_X_FORWARDED_FOR") or ""
    chain = ", ".join(part for part in (forwarded, remote) if part)
    ipware = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=proxies)
    ip, _trusted = ipware.get_client_ip({"HTTP_X_FORWARDED_FOR": chain}, strict=False)
    return str(ip) if ip is not None else (remote or UNKNOWN)
