"""Rate limits per user and action (posting, searching, autocomplete, uploads), counted in the
cache.

A request counts against its user when it is authenticated (a session, or an API token that the
configured DRF authentication classes accept); every other request counts against the client IP
(``kpo.security.ip.client_ip``). An unchecked ``Authorization`` header never names a bucket:
otherwise every random token would start a fresh one.

Limits come from ``settings.KPO_RATE_LIMITS`` (``{"post": {"limit": 30, "period": 60}, ...}``); an
action missing there is not limited. ``RateLimitMiddleware`` applies them to requests matching
``settings.KPO_RATE_LIMIT_RULES`` so no view has to remember; views may also call
``rate_limit_check(request=request, action="upload")`` or use ``@rate_limited("upload")``.

Over the limit the answer is 429 with a ``Retry-After`` header: a Dutch page for the web, a JSON
Problem Details object (``kpo.core.problems``, code ``rate_limited``, ``retry_after``) for /api/.
"""

from __future__ import annotations

import functools
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

from kpo.core.problems import is_api_request, problem_response
from kpo.security.cache_keys import cache_key
from kpo.security.ip import client_ip

DEFAULT_RATE_LIMITS: dict[str, dict[str, int]] = {
    "post": {"limit": 30, "period": 60},
    "search": {"limit": 60, "period": 60},
    "suggest": {"limit": 300, "period": 60},
    "upload": {"limit": 10, "period": 300},
    "contact": {"limit": 20, "period": 3600},
}
_WRITE = ["POST", "PUT", "PATCH", "DELETE"]
_CONTENT_PATHS = r"^/(communities/|academie/|kennisbank-acties/|meldingen/|api/v1/(?!auth/))"
DEFAULT_RULES: list[dict] = [
    # Autocomplete has its own bucket, so typing never throttles the real search.
    {
        "action": "suggest",
        "methods": ["GET"],
        "path": r"^/(zoeken/suggesties/|api/v1/search/suggest$)",
    },
    {
        "action": "search",
        "methods": ["GET"],
        "path": r"^/(zoeken/(?!suggesties/)|api/v1/search$)",
    },
    {"action": "post", "methods": _WRITE, "path": _CONTENT_PATHS},
    # Messages to colleagues: a new conversation from a profile, a reply in a conversation.
    {
        "action": "contact",
        "methods": ["POST"],
        "path": r"^/account/(wie-weet-wat/\d+/bericht/|gesprekken/\d+/)$",
    },
    {
        "action": "upload",
        "methods": ["POST", "PUT", "PATCH"],
        "path": _CONTENT_PATHS,
        "multipart": True,
    },
]


def message(seconds: int) -> str:
    return (
        "Je hebt dit te vaak achter elkaar gedaan. "
        f"Wacht {seconds} seconden en probeer het dan opnieuw."
    )


def rate_limit_hit(*, ident: str, action: str) -> int:
    """Count one use of ``action`` by ``ident``; 0 when allowed, else seconds to wait."""
    config = getattr(settings, "KPO_RATE_LIMITS", DEFAULT_RATE_LIMITS).get(action)
    if not config:
        return 0
    period = int(config["period"])
    now = time.time()
    window = int(now // period)
    key = cache_key("rl", action, str(window), ident)
    cache.add(key, 0, period + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, period + 5)
        count = 1
    if count <= int(config["limit"]):
        return 0
    return max(1, int(period - (now % period)))


def _token_user(request):
    """The user of a valid API token in the ``Authorization`` header, else None. Uses the
    project's DRF authentication classes (except the session one, already seen by Django), so a
    token scheme swapped in settings is honoured here too; an invalid token is anonymous."""
    if not request.META.get("HTTP_AUTHORIZATION", "").strip():
        return None
    from rest_framework.authentication import BasicAuthentication, SessionAuthentication
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    drf_request = Request(request)
    for authentication_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        # The session was seen by Django already; a password scheme would count as a login
        # attempt (lock-out) on every rate-limit check.
        if issubclass(authentication_class, (SessionAuthentication, BasicAuthentication)):
            continue
        try:
            result = authentication_class().authenticate(drf_request)
        except APIException:
            return None
        if result is not None:
            return result[0]
    return None


def request_ident(request) -> str:
    """The user (session or valid API token), else the client IP making the request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        user = _token_user(request)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def too_many_response(request, seconds: int) -> HttpResponse:
    text = message(seconds)
    response: HttpResponse
    if is_api_request(request):
        response = problem_response(
            request=request,
            status=429,
            code="rate_limited",
            detail=text,
            extra={"retry_after": seconds},
        )
    else:
        response = HttpResponse(
            render_to_string("security/rate_limited.html", {"message": text}, request=request),
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


def rate_limit_check(*, request, action: str) -> HttpResponse | None:
    """Count the request against ``action``; a 429 response when over the limit, else None."""
    seconds = rate_limit_hit(ident=request_ident(request), action=action)
    return too_many_response(request, seconds) if seconds else None


def rate_limited(action: str):
    """View decorator: ``@rate_limited("upload")``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            return rate_limit_check(request=request, action=action) or view(
                request, *args, **kwargs
            )

        return wrapped

    return decorator


@functools.lru_cache(maxsize=32)
def rule_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def rate_limit_rules() -> list[dict]:
    return getattr(settings, "KPO_RATE_LIMIT_RULES", DEFAULT_RULES)


def actions_for(request) -> list[str]:
    """The limited actions a request counts against, by the configured rules."""
    rules = rate_limit_rules()
    multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
    found = []
    for rule in rules:
        if request.method not in rule["methods"]:
            continue
        if rule.get("multipart") and not multipart:
            continue
        if rule_pattern(rule["path"]).search(request.path):
            found.append(rule["action"])
    return found


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for action in actions_for(request):
            response = rate_limit_check(request=request, action=action)
            if response is not None:
                return response
        return self.get_response(request)
