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
* **reader regions** (ADR 0035): ``{% reader_if "user" reply.author_id %}…{% reader_else %}…
  {% end_reader_if %}`` keeps a part of the page for the readers a registered condition holds for
  (the author of a reply, the reader who marked it useful). While rendering for the cache both
  branches are stored between markers; every answer keeps the one that holds for its reader.
  Conditions are registered by name (``reader_condition``); the core registers ``user``
  (the reader is the user with this id), pillars register their own in ``AppConfig.ready``;
* **CSRF tokens**: every ``csrfmiddlewaretoken`` input of the cached body is stored as a marker
  and answered with a fresh token of the reader's own.

Views that are not Wagtail pages cache through ``cached_view`` (the thread page): the view runs
its own doors first (login, the community's access rule, the reader's rights), then names the
reader facts its page depends on (``variant``) and the versions of what it shows, and the page is
stored per principal set, variant, content version, those versions and the full path.

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
from collections.abc import Callable, Iterable
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
ReaderCondition = Callable[[HttpRequest, str], bool]
_CONDITIONS: dict[str, ReaderCondition] = {}
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_KEY = re.compile(r"[A-Za-z0-9_:-]*")
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

    def region(self, name: str, key: str) -> str:
        return f"<!--kpo-if:{self.nonce}:{name}:{key}-->"

    @property
    def region_else(self) -> str:
        return f"<!--kpo-else:{self.nonce}-->"

    @property
    def region_end(self) -> str:
        return f"<!--kpo-end:{self.nonce}-->"

    @cached_property
    def region_pattern(self) -> re.Pattern[str]:
        # Regions do not nest (the tag refuses it), so the first else/end after an opening
        # marker is its own.
        n = self.nonce
        return re.compile(
            rf"<!--kpo-if:{n}:({_NAME.pattern}):({_KEY.pattern})-->(.*?)"
            rf"(?:<!--kpo-else:{n}-->(.*?))?<!--kpo-end:{n}-->",
            re.DOTALL,
        )


markers = _Markers()


def page_cache_seconds() -> int:
    return int(getattr(settings, "KPO_PAGE_CACHE_SECONDS", 600))


def rendering_for_cache(request: Any) -> bool:
    """True while a page is rendered to be stored (personal parts become markers)."""
    return bool(getattr(request, RENDER_FLAG, False))


def reader_condition(name: str) -> Callable[[ReaderCondition], ReaderCondition]:
    """Register ``condition(request, key) -> bool`` for ``{% reader_if name key %}``. It decides
    per request which branch of a stored region this reader gets, so it may depend on the reader
    (their id, their own reactions) but must be cheap: memoise what it reads on the request."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"Invalid reader condition name {name!r}")

    def register(condition: ReaderCondition) -> ReaderCondition:
        _CONDITIONS[name] = condition
        return condition

    return register


def reader_condition_holds(request: HttpRequest, name: str, key: str) -> bool:
    """An unknown condition never holds (fail closed: the reader gets the ``else`` branch)."""
    condition = _CONDITIONS.get(name)
    return bool(condition is not None and condition(request, key))


def region_key(key: Any) -> str:
    """The key of a region as it is written into a marker (ids and short codes only)."""
    text = "" if key is None else str(key)
    if not _KEY.fullmatch(text):
        raise ValueError(f"A reader region key may only hold [A-Za-z0-9_:-], not {text!r}")
    return text


@reader_condition("user")
def _reader_is_user(request: HttpRequest, key: str) -> bool:
    user = getattr(request, "user", None)
    return bool(key and user is not None and user.is_authenticated and str(user.pk) == key)


def personalize(body: str, request: HttpRequest) -> str:
    """Fill the markers of a (cached or freshly rendered) page in for this reader."""
    if markers.nonce not in body:
        return body
    rendered: dict[str, str] = {}

    def region(match: re.Match[str]) -> str:
        name, key, then, otherwise = match.groups()
        return then if reader_condition_holds(request, name, key) else (otherwise or "")

    body = markers.region_pattern.sub(region, body)

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


def page_cache_key(request: HttpRequest, *, extra: Iterable[Any] = (), kind: str = "page") -> str:
    """Principal set, content version, host, language and the full path (with its query), and
    for ``cached_view`` the view's variant and versions (``extra``)."""
    where = "\n".join(
        (
            request.get_host(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_full_path(),
            *(str(part) for part in extra),
        )
    )
    digest = hashlib.sha256(where.encode()).hexdigest()[:32]
    principals = principals_key(user_principals(request.user))
    return f"kpo:{kind}:{principals}:{content_version()}:{digest}"


def _from_cache(stored: dict[str, str], request: HttpRequest) -> HttpResponse:
    return HttpResponse(personalize(stored["body"], request), content_type=stored["content_type"])


def _personalised(request: HttpRequest, response: HttpResponse, store_key: str | None) -> Any:
    """The answer with its CSRF inputs as markers, stored under ``store_key`` (if any) in that
    form, then filled in for this reader."""
    body = _CSRF_INPUT.sub(markers.csrf, response.content.decode(response.charset))
    if store_key is not None:
        cache.set(
            store_key,
            {"body": body, "content_type": response["Content-Type"]},
            page_cache_seconds(),
        )
    response.content = personalize(body, request).encode(response.charset)
    return response


def cached_view(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    variant: Iterable[Any],
    versions: Iterable[Any] = (),
) -> HttpResponse:
    """The answer of ``render()`` from the cache, or rendered, stored and personalised.

    Call it *after* the view's doors have run: its access rule, and whatever reader facts the
    page shows (``variant``: e.g. the reader's role in the community, a suspension). Everything
    else the page shows must either be the same for every reader with these principals and this
    variant, or sit in a ``{% personal %}`` part or a ``{% reader_if %}`` region. ``versions``
    are the versions of the objects the page shows (``kpo.core.fragments.object_versions``).
    Same eligibility as Wagtail pages (``_eligible``); only a 200 ``text/html`` answer that added
    no message is stored (for ``KPO_PAGE_CACHE_SECONDS``)."""
    if not _eligible(request):
        return render()
    key = page_cache_key(request, extra=(*variant, "|", *versions), kind="view")
    stored = cache.get(key)
    if stored is not None:
        return _from_cache(stored, request)
    setattr(request, RENDER_FLAG, True)
    try:
        response = render()
    finally:
        setattr(request, RENDER_FLAG, False)
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return response
    return _personalised(request, response, key if _storable(request, response) else None)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A 200 that added no message (a message belongs to one reader)."""
    storage = getattr(request, "_messages", None)
    return response.status_code == 200 and not getattr(storage, "added_new", False)


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    """A storable answer of a Wagtail page class that opts in (its own access guard ran)."""
    page = (getattr(response, "context_data", None) or {}).get("page")
    return bool(
        _storable(request, response)
        and not response.streaming
        and getattr(type(page), "page_cache", False)
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
            return _from_cache(stored, request)
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
        key = request.kpo_page_cache_key if _cacheable(request, response) else None
        return _personalised(request, response, key)
