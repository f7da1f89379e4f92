"""The integer-parameter walk: every URL pattern with an integer parameter, taken from the URL
resolver (ours, Wagtail's, Django's and DRF's), answers a huge, negative or non-numeric id and an
out-of-range page number with a 4xx (or a redirect), never a 5xx."""

from __future__ import annotations

import re

import pytest
from django.test import Client
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


ADMIN_PREFIXES = ("admin/", "django-admin/")


def integer_routes(*, ours_only: bool = False, admin: bool | None = None) -> list[tuple[str, dict]]:
    routes = {}
    for route, converters, module in _walk(get_resolver().url_patterns):
        if ours_only and not module.startswith(OUR_APPS):
            continue
        if admin is not None and route.startswith(ADMIN_PREFIXES) != admin:
            continue
        if any(isinstance(c, _INT_CONVERTERS) for c in converters.values()):
            routes[route] = converters
    return sorted(routes.items())


def list_routes() -> list[str]:
    """Our routes and the API's without parameters: the ones that paginate."""
    return sorted(
        {
            "/" + route
            for route, converters, module in _walk(get_resolver().url_patterns)
            if not converters
            and module.startswith(OUR_APPS)
            and "<" not in route
            and not route.startswith(ADMIN_PREFIXES)
        }
    )


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


def _assert_no_5xx(client, label: str, *, admin: bool | None = None) -> None:
    failures = []
    for route, converters in integer_routes(admin=admin):
        for bad in BAD_IDS:
            url = _fill(route, converters, bad)
            methods = ("get", "post") if bad == HUGE else ("get",)
            for method in methods:
                response = getattr(client, method)(url)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} -> {response.status_code}")
    assert not failures, f"{label}: " + "\n".join(failures)


@pytest.fixture
def walker(db):
    """A client that returns the 500 instead of raising, so one walk lists every failure."""
    return Client(raise_request_exception=False)


def test_no_5xx_for_anonymous(walker):
    _assert_no_5xx(walker, "anonymous")


def test_no_5xx_for_a_professional(walker):
    walker.force_login(UserFactory())
    _assert_no_5xx(walker, "professional")


def test_no_5xx_on_admin_routes_for_staff_with_two_factor(walker):
    admin_login(walker, UserFactory(is_staff=True, is_superuser=True))
    _assert_no_5xx(walker, "staff", admin=True)


def test_out_of_range_page_numbers_are_never_a_5xx(walker):
    walker.force_login(UserFactory())
    failures = []
    for url in list_routes():
        for page in (HUGE, "-1", "abc", "1e999"):
            response = walker.get(url, {"page": page, "pagina": page})
            if response.status_code >= 500:
                failures.append(f"{url}?page={page} -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_huge_id_in_the_api_is_a_structured_404(client):
    client.force_login(UserFactory())
    for url in (f"/api/v1/threads/{HUGE}", f"/api/v1/threads/{2**63}", "/api/v1/threads/-1"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json() == {
            "type": "urn:kpo:problem:not_found",
            "title": "Niet gevonden",
            "status": 404,
            "detail": "Niet gevonden.",
            "code": "not_found",
            "instance": url,
        }
    # Inside the range but no such row: the view's own 404, same format.
    response = client.get(f"/api/v1/threads/{2**63 - 1}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_huge_page_number_in_the_api_is_a_structured_400(client):
    """A page number no page can have is invalid input (NL API Design Rules, ADR 0014): a 400
    problem naming the parameter, never a 500."""
    client.force_login(UserFactory())
    response = client.get("/api/v1/communities", {"page": HUGE})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [p["name"] for p in response.json()["invalid-params"]] == ["page"]
