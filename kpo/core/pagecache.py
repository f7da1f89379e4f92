"""Whole-page caching per principal set for Wagtail pages of logged-in readers (ADR 0024).

ADR 0013 caches fragments of a page per principal set and content version; the request still
paid for Wagtail's site and route lookup, the page's own context and the rendering of the whole
template around the fragment. This module caches the *rendered page* under the same two keys
(plus the host, the full path with its query string, and the language), and fills in the few
parts that belong to one reader on every request, without rendering the page again:

* **personal parts** (the header's account block: name, unread-notification badge, the admin
  link) are template includes written ``{% personal "kpo/_header_account.html" %}``. While a
  page is rendered for the cache the tag writes a marker instead; every answer (hit or miss)
  renders just that small include for the reader and puts it in the marker's place;
* **CSRF tokens**: every ``csrfmiddlewaretoken`` input of the cached body is stored as a marker
  and answered with a fresh token of the reader's own.

The markers carry a nonce derived from ``SECRET_KEY``, so content can never forge one.

Where it sits: ``PageCacheMiddleware`` is the last middleware and acts in ``process_view``,
i.e. after every other door has run (session, login, idle timeout, second factor, rate limits)
and after URL resolution, and only for Wagtail's page view. It is skipped for anonymous readers,
a pending second factor, non-GET requests, htmx requests and requests with pending messages.
A response is stored only when the page class opts in (``page_cache = True``), its ``serve()``
answered 200 (the page's own access guard ran), and it added no message. A stored page is only
ever served to a reader with the same principal set, under the same content version, so a
member and a non-member of a closed community never share one, and every content write (the
content version, ADR 0013) makes the next request render afresh.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.html import format_html

from kpo.core.access import user_principals
from kpo.core.fragments import content_version, principals_key

RENDER_FLAG = "kpo_page_cache_render"
_CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"<>]*">')


class _Markers:
    @cached_property
    def nonce(self) -> str:
        return hashlib.sha256(f"kpo-page-cache:{settings.SECRET_KEY}".encode()).hexdigest()[:16]

    def personal(self, name: str) -> str:
        return f"<!--kpo-personal:{self.nonce}:{name}-->"

    @cached_property
    def personal_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"<!--kpo-personal:{self.nonce}:([A-Za-z0-9_./-]+)-->")

    @property
    def csrf(self) -> str:
        return f"<!--kpo-csrf:{self.nonce}-->"


markers = _Markers()


def page_cache_seconds() -> int:
    return int(getattr(settings, "KPO_PAGE_CACHE_SECONDS", 600))


def rendering_for_cache(request: Any) -> bool:
    """True while a page is rendered to be stored (personal parts become markers)."""
    return bool(getattr(request, RENDER_FLAG, False))


def personalize(body: str, request: HttpRequest) -> str:
    """Fill the markers of a (cached or freshly rendered) page in for this reader."""
    if markers.nonce not in body:
        return body
    rendered: dict[str, str] = {}

    def personal(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in rendered:
            rendered[name] = render_to_string(name, request=request)
        return rendered[name]

    body = markers.personal_pattern.sub(personal, body)
    if markers.csrf in body:
        token = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        body = body.replace(markers.csrf, token)
    return body


def _eligible(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        page_cache_seconds() > 0
        and request.method == "GET"
        and user is not None
        and user.is_authenticated
        and user.is_active
        # Set by the second-factor door; unknown counts as pending (never cache).
        and getattr(request, "kpo_2fa_pending", True) is False
        and not getattr(request, "is_preview", False)
        and "HX-Request" not in request.headers
        and len(messages.get_messages(request)) == 0
    )


def page_cache_key(request: HttpRequest) -> str:
    """Principal set, content version, host, language and the full path (with its query)."""
    where = "\n".join(
        (request.get_host(), getattr(request, "LANGUAGE_CODE", ""), request.get_full_path())
    )
    digest = hashlib.sha256(where.encode()).hexdigest()[:32]
    principals = principals_key(user_principals(request.user))
    return f"kpo:page:{principals}:{content_version()}:{digest}"


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    page = (getattr(response, "context_data", None) or {}).get("page")
    storage = getattr(request, "_messages", None)
    return bool(
        response.status_code == 200
        and not response.streaming
        and getattr(type(page), "page_cache", False)
        and not getattr(storage, "added_new", False)
    )


class PageCacheMiddleware:
    """See the module docstring. Must be the last middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        from wagtail.views import serve

        self.wagtail_serve = serve

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.wagtail_serve or not _eligible(request):
            return None
        key = page_cache_key(request)
        stored = cache.get(key)
        if stored is not None:
            response = HttpResponse(
                personalize(stored["body"], request), content_type=stored["content_type"]
            )
            return response
        request.kpo_page_cache_key = key
        setattr(request, RENDER_FLAG, True)
        return None

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not rendering_for_cache(request)
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        charset = response.charset
        body = response.content.decode(charset)
        if _cacheable(request, response):
            stored = _CSRF_INPUT.sub(markers.csrf, body)
            cache.set(
                request.kpo_page_cache_key,
                {"body": stored, "content_type": response["Content-Type"]},
                page_cache_seconds(),
            )
            body = stored
        else:
            body = _CSRF_INPUT.sub(markers.csrf, body)
        response.content = personalize(body, request).encode(charset)
        return response
