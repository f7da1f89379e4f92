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
    assert client.post("/api/v1/me/").status_code != 429
    assert client.post("/api/v1/me/").status_code != 429
    response = client.post("/api/v1/me/")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert "Wacht" in error["message"]
    assert error["details"]["retry_after"] >= 1


def test_limits_are_per_user(client, settings):
    settings.KPO_RATE_LIMITS = {"post": {"limit": 1, "period": 60}}
    client.force_login(UserFactory())
    client.post("/api/v1/me/")
    assert client.post("/api/v1/me/").status_code == 429
    client.force_login(UserFactory())
    assert client.post("/api/v1/me/").status_code != 429


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
    client.post("/api/v1/me/", **headers)
    assert client.post("/api/v1/me/", **headers).status_code == 429
