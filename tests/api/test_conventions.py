"""Contract tests of the API conventions (NL API Design Rules, docs/decisions/0014), over every
API route — enumerated from the URL resolver and from the OpenAPI document, never listed by
hand, so endpoints added later are held to the same rules:

- the OpenAPI document is public at /api/v1/openapi.json (SemVer info.version, info.contact) and
  documents exactly the routes the resolver has;
- every response under /api/ carries the API-Version header;
- every error is application/problem+json (RFC 9457) with Dutch title/detail: 401, 403 (second
  factor pending), 404, 405, 400;
- no route has a trailing slash, and asking with one is a 404 problem;
- every list is paginated (no bare arrays), and a bad value of any of its declared filters or
  of the pagination parameters is a 400 naming that parameter.
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from communities.models import Membership
from tests.factories import CommunityFactory, MembershipFactory, ProfileFactory, UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
METHODS = ("get", "post", "put", "patch", "delete")
NOT_API = {"openapi.json", "docs"}  # the document and its page, not operations of the API
FREE_TEXT = {"q"}  # free-text search parameters: any string is a valid value


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def api_routes() -> list[tuple[str, type]]:
    routes = []
    for route, entry in _walk(get_resolver().url_patterns):
        if route.startswith("api/v1/") and route[len("api/v1/") :] not in NOT_API:
            routes.append((route, entry.callback.view_class))
    assert len(routes) > 20, routes
    return routes


def concrete(route: str) -> str:
    """A URL for a route, with values that name nothing (so a read is a 404)."""

    def value(match: re.Match) -> str:
        kind = match.group(1) or "str"
        return "999999999" if kind in ("id", "int") else "bestaat-niet"

    return "/" + CONVERTER.sub(value, route)


def view_methods(view_class: type) -> list[str]:
    return [m for m in METHODS if hasattr(view_class, m)]


def assert_problem(response, status: int | None = None) -> dict:
    if status is not None:
        assert response.status_code == status, (response.status_code, response.content[:300])
    assert response.status_code >= 400
    assert response.headers["Content-Type"] == PROBLEM, (response.headers, response.content[:300])
    body = response.json()
    assert body["status"] == response.status_code, body
    assert body["type"].startswith("urn:kpo:problem:") and body["code"], body
    assert body["title"] and body["detail"], body
    assert response.headers["API-Version"] == settings.KPO_API_VERSION
    return body


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200  # public, no login
    return response.json()


def test_openapi_document_is_public_with_semver_and_contact(schema, client):
    assert schema["openapi"].startswith("3.")
    assert SEMVER.match(schema["info"]["version"]), schema["info"]["version"]
    assert schema["info"]["version"] == settings.KPO_API_VERSION
    assert set(schema["info"]["contact"]) >= {"name", "email", "url"}
    assert schema["servers"] == [{"url": "/api/v1", "description": "Deze omgeving"}]
    assert client.get("/api/v1/openapi.json")["API-Version"] == settings.KPO_API_VERSION


def test_the_document_covers_exactly_the_resolvers_routes(schema):
    from_resolver = {CONVERTER.sub(r"{\2}", route)[len("api/v1") :] for route, _ in api_routes()}
    # drf-spectacular names a path parameter "pk" as "id".
    documented = {path.replace("{id}", "{pk}") for path in schema["paths"]}
    assert documented == {path.replace("{id}", "{pk}") for path in from_resolver}


def test_no_route_has_a_trailing_slash_and_one_is_a_404_problem(client):
    client.force_login(ProfileFactory().user)
    for route, _view in api_routes():
        assert not route.endswith("/"), route
        assert_problem(client.get(concrete(route) + "/"), 404)
    assert_problem(client.get("/api/v1/bestaat-niet"), 404)


def test_every_operation_answers_with_the_version_header_and_problems(client):
    """Anonymous: every operation is an error (401, or 404/400 for a public one with bad ids)
    or a success; each carries API-Version, each error is a problem."""
    seen = 0
    for route, view_class in api_routes():
        url = concrete(route)
        for method in view_methods(view_class):
            response = getattr(client, method)(url, content_type="application/json")
            seen += 1
            assert response.headers.get("API-Version") == settings.KPO_API_VERSION, (method, url)
            assert response.status_code < 500, (method, url, response.content[:300])
            if response.status_code >= 400:
                body = assert_problem(response)
                if response.status_code == 401:
                    assert response["WWW-Authenticate"] == "Token"
                    assert body["title"] == "Niet ingelogd"
    assert seen > 25


def test_logged_in_unknown_resources_are_404_and_unsupported_methods_405(client):
    client.force_login(ProfileFactory().user)
    for route, view_class in api_routes():
        url = concrete(route)
        methods = view_methods(view_class)
        if "{" not in CONVERTER.sub("{}", route) or "tokens/" in route:
            pass
        elif "get" in methods:
            assert_problem(client.get(url), 404)
        missing = [m for m in ("put", "patch", "delete") if m not in methods]
        if missing:
            body = assert_problem(getattr(client, missing[0])(url, content_type="application/json"))
            assert body["status"] in (404, 405), (url, body)
            if body["status"] == 405:
                assert body["title"] == "Methode niet toegestaan"


def test_second_factor_pending_is_a_403_problem_with_its_code(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)  # a staff role: the second factor stays pending
    body = assert_problem(client.get("/api/v1/me"), 403)
    assert body["code"] == "second_factor_required"
    assert "tweestapsverificatie" in body["detail"]


def test_every_validation_error_at_once(client):
    community = CommunityFactory()
    user = ProfileFactory().user
    MembershipFactory(community=community, user=user)
    client.force_login(user)
    body = assert_problem(
        client.post(
            f"/api/v1/communities/{community.slug}/threads",
            {"title": "", "body": "", "kind": "onzin"},
            content_type="application/json",
        ),
        400,
    )
    assert body["title"] == "Ongeldige invoer"
    assert {p["name"] for p in body["invalid-params"]} == {"title", "body", "kind"}
    assert all(p["reason"] for p in body["invalid-params"])
    malformed = client.post(
        f"/api/v1/communities/{community.slug}/threads",
        "{niet: json",
        content_type="application/json",
    )
    assert_problem(malformed, 400)


# --- lists -----------------------------------------------------------------------------------


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def list_operations(schema: dict) -> list[tuple[str, dict]]:
    """GET operations whose answer is a collection: an array, or an object with ``results``."""
    found = []
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if not get or "200" not in get["responses"]:
            continue
        content = get["responses"]["200"].get("content", {}).get("application/json")
        if not content:
            continue
        body = _resolve(schema, content["schema"])
        if body.get("type") == "array" or "results" in body.get("properties", {}):
            found.append((path, get))
    return found


@pytest.fixture
def member(client):
    community = CommunityFactory()
    user = ProfileFactory().user
    # Its manager (a community role, not a staff role): the lists of members, join requests,
    # invitations and flags are for managers and moderators only.
    # A manager needs a verified second factor.
    MembershipFactory(community=community, user=user, role=Membership.Role.MANAGER)
    admin_login(client, user)
    return community


@pytest.fixture
def search_index(settings):
    """An empty index of our own (the search list answers from the real engine)."""
    from search.engine import get_engine
    from search.indexer import ensure_alias

    prefix = f"{settings.SEARCH_INDEX_PREFIX}-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_INDEX_PREFIX = prefix
    ensure_alias()
    yield
    engine = get_engine()
    for name in engine.list_indices(f"{prefix}-*"):
        engine.delete_index(name)


def test_every_list_is_paginated_and_refuses_bad_filters(schema, client, member, search_index):
    lists = list_operations(schema)
    assert len(lists) >= 8, [path for path, _ in lists]
    failures = []
    for path, operation in lists:
        content = operation["responses"]["200"]["content"]["application/json"]
        body = _resolve(schema, content["schema"])
        assert body.get("type") != "array", f"{path}: a bare array"
        assert {"count", "results"} <= set(body["properties"]), path
        url = schema["servers"][0]["url"] + path.replace("{slug}", member.slug)
        ok = client.get(url)
        assert ok.status_code == 200, (url, ok.content[:300])
        assert ok["API-Version"] == settings.KPO_API_VERSION
        assert {"count", "results"} <= set(ok.json()), url
        params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        assert any(p["name"] == "page" for p in params), f"{path}: no page parameter"
        for param in params:
            if param["name"] in FREE_TEXT:
                continue
            kind = param.get("schema", {})
            # A number param gets a word; any other a value no slug, choice or id can be.
            bad = "abc" if kind.get("type") in ("integer", "number", "boolean") else "Ongeldig!"
            if param["name"] == "pageSize":
                bad = "0"
            response = client.get(url, {param["name"]: bad})
            if response.status_code != 400:
                failures.append(f"{url}?{param['name']}={bad} -> {response.status_code}")
                continue
            problem = assert_problem(response, 400)
            names = [p["name"] for p in problem["invalid-params"]]
            if names != [param["name"]]:
                failures.append(f"{url}?{param['name']}={bad}: invalid-params {names}")
    assert not failures, "\n".join(failures)


def test_lists_have_no_silent_cap(client, member):
    from communities.models import Thread

    user = member.memberships.get().user
    Thread.objects.bulk_create(
        Thread(community=member, author=user, title=f"Vraag {n}", body="Tekst") for n in range(105)
    )
    first = client.get(f"/api/v1/communities/{member.slug}/threads", {"pageSize": 100}).json()
    assert first["count"] == 105 and len(first["results"]) == 100 and first["next"]
    rest = client.get(first["next"]).json()
    assert len(rest["results"]) == 5 and rest["next"] is None


# --- the schema lint -------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
RULESET = ROOT / "tools" / "spectral" / ".spectral.yaml"


def _spectral(document: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    target = tmp_path / "openapi.json"
    target.write_text(json.dumps(document))
    return subprocess.run(
        [str(SPECTRAL), "lint", "--fail-severity", "error", "--ruleset", str(RULESET), target],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_logius_ruleset_passes_our_document_and_fails_a_broken_one(schema, tmp_path):
    """The same lint as ``tools/lint-api`` (run by ``tools/test``): zero errors on the served
    document, and it does catch what the rules forbid."""
    clean = _spectral(schema, tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    broken = json.loads(json.dumps(schema))
    del broken["info"]["contact"]
    broken["paths"]["/documents/"] = broken["paths"]["/documents"]
    del broken["paths"]["/documents"]["get"]["responses"]["200"]["headers"]
    failed = _spectral(broken, tmp_path)
    assert failed.returncode != 0
    # The rule ids Spectral reports for these three (ruleset tools/spectral/logius-adr.yaml).
    for rule in ("info-contact", "path-keys-no-trailing-slash", "nlgov:missing-header"):
        assert rule in failed.stdout, failed.stdout
