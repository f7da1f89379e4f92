"""The integer-parameter walk: every URL pattern with an integer parameter, taken from the URL
resolver (ours, Wagtail's, Django's and DRF's), answers a huge, negative or non-numeric id and an
out-of-range page number with a 4xx (or a redirect), never a 5xx."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from kpo.core.converters import IdConverter
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
BAD_IDS = [HUGE, str(2**63), "-1", "abc"]
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_INT_CONVERTERS = (IntConverter, IdConverter)


def _walk(patterns, prefix="", converters=None):
    for entry in patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            # A regex route: walk on only when it has no parameters of its own.
            if isinstance(entry, URLResolver) and not re.search(r"\(\?P<", str(pattern)):
                yield from _walk(
                    entry.url_patterns, prefix + str(pattern).lstrip("^").rstrip("$"), converters
                )
            continue
        merged = {**(converters or {}), **pattern.converters}
        route = prefix + str(pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route, merged)
        elif isinstance(entry, URLPattern):
            yield route, merged, getattr(entry.callback, "__module__", "")


OUR_APPS = ("kpo.", "kennisbank.", "communities.", "academie.", "search.")


def integer_routes(*, ours_only: bool = False) -> list[tuple[str, dict]]:
    routes = {}
    for route, converters, module in _walk(get_resolver().url_patterns):
        if ours_only and not module.startswith(OUR_APPS):
            continue
        if any(isinstance(c, _INT_CONVERTERS) for c in converters.values()):
            routes[route] = converters
    return sorted(routes.items())


def _fill(route: str, converters: dict, bad: str) -> str:
    def replace(match):
        converter = converters.get(match["name"])
        return bad if isinstance(converter, _INT_CONVERTERS) else "x"

    return "/" + _PARAM.sub(replace, route).lstrip("/")


def test_the_walk_finds_the_routes():
    routes = [route for route, _ in integer_routes()]
    assert len(routes) > 40, routes  # ours (about 30) and Wagtail's admin routes
    assert any(route.startswith("api/v1/") for route in routes)
    assert any(route.startswith("admin/") for route in routes)
    # Ours use the bounded id converter, so a huge id never reaches the database.
    ours = integer_routes(ours_only=True)
    unbounded = [
        route
        for route, converters in ours
        if any(isinstance(c, IntConverter) for c in converters.values())
    ]
    assert len(ours) >= 30 and not unbounded, unbounded


def _assert_no_5xx(client, label: str) -> None:
    failures = []
    for route, converters in integer_routes():
        for bad in BAD_IDS:
            url = _fill(route, converters, bad)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} -> {response.status_code}")
    assert not failures, f"{label}: " + "\n".join(failures)


def test_no_5xx_for_anonymous(client):
    _assert_no_5xx(client, "anonymous")


def test_no_5xx_for_a_professional(client):
    client.force_login(UserFactory())
    _assert_no_5xx(client, "professional")


def test_no_5xx_for_staff_with_two_factor(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_login(client, admin)
    _assert_no_5xx(client, "staff")


def test_huge_id_in_the_api_is_a_structured_404(client):
    client.force_login(UserFactory())
    response = client.get(f"/api/v1/threads/{HUGE}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
