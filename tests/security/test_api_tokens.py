"""API tokens (django-rest-knox): hashed at rest, expiring, revocable by the user (page and API)
and by a platform admin (Wagtail admin), always through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from kpo.audit.models import AuditEntry
from tests.factories import UserFactory
from tests.security.helpers import admin_login

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"


def _make_token(client, user) -> dict:
    response = client.post(reverse("api-token"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def _me(client, token):
    return client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")


def test_a_token_is_stored_hashed_and_expires(client, settings):
    user = UserFactory()
    data = _make_token(client, user)
    token = data["token"]
    assert token.startswith("kpo_") and data["token_key"] == token[:15]
    row = AuthToken.objects.get(user=user)
    assert token not in (row.digest, row.token_key) and len(row.digest) == 128
    expected = timezone.now() + timedelta(days=settings.KPO_API_TOKEN_TTL_DAYS)
    assert abs((row.expiry - expected).total_seconds()) < 60
    assert _me(client, token).status_code == 200

    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    refused = _me(client, token)
    assert refused.status_code in (401, 403)
    assert refused.json()["code"] == "authentication_failed"
    assert not AuthToken.objects.filter(user=user).exists()  # expired tokens are removed


def test_the_user_lists_and_revokes_tokens_through_the_api(client):
    user = UserFactory()
    first, second = _make_token(client, user), _make_token(client, user)
    listed = client.get(reverse("api-tokens"), HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert listed.status_code == 200
    tokens = listed.json()["results"]
    assert {t["token_key"] for t in tokens} == {first["token_key"], second["token_key"]}
    assert "token" not in tokens[0]
    revoke = client.delete(
        reverse("api-token-revoke", args=[second["token_key"]]),
        HTTP_AUTHORIZATION=f"Token {first['token']}",
    )
    assert revoke.status_code == 204
    assert _me(client, second["token"]).status_code in (401, 403)
    assert _me(client, first["token"]).status_code == 200
    # Somebody else's token key is not found (no revoking other people's tokens).
    other = _make_token(client, UserFactory())
    response = client.delete(
        reverse("api-token-revoke", args=[other["token_key"]]),
        HTTP_AUTHORIZATION=f"Token {first['token']}",
    )
    assert response.status_code == 404
    assert _me(client, other["token"]).status_code == 200


def test_my_api_tokens_page_shows_a_new_token_once_and_revokes(client):
    user = UserFactory()
    client.force_login(user)
    created = client.post(reverse("security:api_tokens"), {"create": "1"}, follow=True)
    token = created.context["new_token"]
    assert token and token in created.content.decode()
    again = client.get(reverse("security:api_tokens"))
    assert token not in again.content.decode()  # shown once
    key = AuthToken.objects.get(user=user).token_key
    assert key in again.content.decode()
    client.post(reverse("security:api_tokens"), {"revoke": key})
    assert not AuthToken.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="security.api_token_revoked").exists()


def test_a_platform_admin_revokes_tokens_in_the_wagtail_admin(client):
    owner = UserFactory(email="eigenaar@example.nl")
    _make_token(client, owner)
    data = _make_token(client, owner)
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin_login(client, admin)
    page = client.get(reverse("kpo_api_tokens"), {"q": "eigenaar"})
    assert page.status_code == 200
    assert data["token_key"] in page.content.decode()
    client.post(reverse("kpo_api_tokens"), {"user": owner.pk, "token_key": data["token_key"]})
    assert AuthToken.objects.filter(user=owner).count() == 1
    client.post(reverse("kpo_api_tokens"), {"user": owner.pk, "all": "1"})
    assert not AuthToken.objects.filter(user=owner).exists()
    entry = AuditEntry.objects.filter(action="security.api_tokens_revoked").get()
    assert entry.actor_id == admin.pk

    # Not a platform admin: refused (Wagtail sends users without admin access to its login).
    _make_token(client, owner)
    editor = UserFactory(is_staff=True, groups=["Redacteuren"])
    admin_login(client, editor)
    assert client.get(reverse("kpo_api_tokens")).status_code in (302, 403)
    client.post(reverse("kpo_api_tokens"), {"user": owner.pk, "all": "1"})
    assert AuthToken.objects.filter(user=owner).count() == 1
