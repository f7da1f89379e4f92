"""Rate limits per user and action answer 429: a Dutch page on the web, JSON in the API."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_search_over_the_limit_gets_a_dutch_429_page(client, settings):
    settings.KPO_RATE_LIMITS = {"search": {"limit": 0, "period": 60}}
    client.force_login(UserFactory())
    response = client.get("/zoeken/", {"q": "vastgoed"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    text = response.content.decode()
    assert "te vaak achter elkaar" in text and "probeer het dan opnieuw" in text


def test_api_posting_over_the_limit_gets_a_json_error(client, settings):
    settings.KPO_RATE_LIMITS = {"post": {"limit": 2, "period": 60}}
    client.force_login(UserFactory())
    assert client.post("/api/v1/me").status_code != 429
    assert client.post("/api/v1/me").status_code != 429
    response = client.post("/api/v1/me")
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/problem+json"
    error = response.json()
    assert error["code"] == "rate_limited" and error["status"] == 429
    assert "Wacht" in error["detail"]
    assert error["retry_after"] >= 1


def test_limits_are_per_user(client, settings):
    settings.KPO_RATE_LIMITS = {"post": {"limit": 1, "period": 60}}
    client.force_login(UserFactory())
    client.post("/api/v1/me")
    assert client.post("/api/v1/me").status_code == 429
    client.force_login(UserFactory())
    assert client.post("/api/v1/me").status_code != 429


def test_uploads_count_separately(client, settings):
    settings.KPO_RATE_LIMITS = {"upload": {"limit": 1, "period": 300}}
    client.force_login(UserFactory())
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload():
        return client.post(
            "/communities/bestaat-niet/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
        )

    assert upload().status_code != 429
    assert upload().status_code == 429
    # A plain form post is not an upload.
    plain = client.post(
        "/communities/bestaat-niet/", "x=1", content_type="application/x-www-form-urlencoded"
    )
    assert plain.status_code != 429


def test_token_clients_are_limited_by_token(client, settings):
    settings.KPO_RATE_LIMITS = {"post": {"limit": 1, "period": 60}}
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=UserFactory())
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    client.post("/api/v1/me", **headers)
    assert client.post("/api/v1/me", **headers).status_code == 429


def test_a_forged_authorization_header_does_not_reset_the_anonymous_bucket(client, settings):
    settings.KPO_RATE_LIMITS = {"search": {"limit": 2, "period": 60}}
    url = "/api/v1/search"
    assert client.get(url, {"q": "vastgoed"}).status_code != 429
    assert client.get(url, {"q": "vastgoed"}).status_code != 429
    assert client.get(url, {"q": "vastgoed"}).status_code == 429
    for header in ["Token nep-123", "Token " + "a" * 40, "Bearer iets-anders", "Basic eDp5"]:
        response = client.get(url, {"q": "vastgoed"}, HTTP_AUTHORIZATION=header)
        assert response.status_code == 429, header
    # Another address has its own bucket.
    assert client.get(url, {"q": "vastgoed"}, REMOTE_ADDR="203.0.113.5").status_code != 429


def test_a_valid_token_counts_against_its_user_not_the_address(client, settings):
    settings.KPO_RATE_LIMITS = {"search": {"limit": 1, "period": 60}}
    from kpo.security.services import api_token_create

    _instance, token = api_token_create(user=UserFactory())
    url = "/api/v1/search"
    client.get(url, {"q": "x"})
    assert client.get(url, {"q": "x"}).status_code == 429  # the address is used up
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get(url, {"q": "x"}, **headers).status_code != 429
    assert client.get(url, {"q": "x"}, **headers).status_code == 429


def test_autocomplete_has_its_own_bucket(client, settings):
    settings.KPO_RATE_LIMITS = {
        "search": {"limit": 1, "period": 60},
        "suggest": {"limit": 5, "period": 60},
    }
    client.force_login(UserFactory())
    for prefix in ["v", "va", "vas", "vast", "vastg"]:  # typing
        assert client.get("/zoeken/suggesties/", {"q": prefix}).status_code != 429
    assert client.get("/zoeken/", {"q": "vastgoed"}).status_code != 429  # the real search
    assert client.get("/zoeken/", {"q": "vastgoed"}).status_code == 429
    assert client.get("/zoeken/suggesties/", {"q": "vastgoedx"}).status_code == 429
    # The API's autocomplete counts in the same bucket, the API's search in the search one.
    assert client.get("/api/v1/search/suggest", {"q": "v"}).status_code == 429
    assert client.get("/api/v1/search", {"q": "v"}).status_code == 429


def test_api_autocomplete_does_not_use_up_the_api_search(client, settings):
    settings.KPO_RATE_LIMITS = {
        "search": {"limit": 1, "period": 60},
        "suggest": {"limit": 50, "period": 60},
    }
    for prefix in ["v", "va", "vas", "vast"]:
        assert client.get("/api/v1/search/suggest", {"q": prefix}).status_code != 429
    assert client.get("/api/v1/search", {"q": "vastgoed"}).status_code != 429


def test_throttled_api_operations_document_429(client):
    client.force_login(UserFactory())
    schema = client.get("/api/v1/openapi.json").json()
    base = schema["servers"][0]["url"]
    paths = {base + path: ops for path, ops in schema["paths"].items()}
    for path, method in [
        ("/api/v1/search", "get"),
        ("/api/v1/search/suggest", "get"),
        ("/api/v1/me", "get"),
    ]:
        if method not in paths[path]:
            continue
        responses = paths[path][method]["responses"]
        if path == "/api/v1/me":
            assert "429" not in responses  # a GET outside the search rules is not limited
            continue
        assert "429" in responses, path
        assert "Retry-After" in responses["429"]["headers"]
    limited_writes = [
        (path, method)
        for path, ops in paths.items()
        for method, op in ops.items()
        if method in {"post", "put", "patch", "delete"} and "429" in op.get("responses", {})
    ]
    assert limited_writes, "write operations are rate limited and must say so"
    for path, ops in paths.items():
        if path.startswith("/api/v1/auth"):  # token endpoints: the lock-out guards them
            assert all("429" not in op.get("responses", {}) for op in ops.values()), path
    limited = paths["/api/v1/search"]["get"]["responses"]["429"]
    assert limited["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    assert "retry_after" in schema["components"]["schemas"]["Problem"]["properties"]
