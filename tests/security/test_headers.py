"""CSP without 'unsafe-inline' for scripts, other security headers, session cookie flags, idle
timeout and the privacy page."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from kpo.security.middleware import LAST_SEEN_SESSION_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


@pytest.mark.parametrize("path", ["/", "/privacy/", "/account/inloggen/"])
def test_csp_allows_only_own_scripts(client, corpus, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_load_no_inline_scripts(client, corpus):
    html = client.get("/").content.decode()
    for chunk in html.split("<script")[1:]:
        assert "src=" in chunk.split(">", 1)[0], "inline script would be blocked by the CSP"


def test_privacy_page_explains_rights(client):
    response = client.get("/privacy/")
    text = response.content.decode()
    assert "Privacyverklaring" in text
    assert "verwijderen" in text


def test_session_cookie_is_httponly_and_samesite(client):
    user = UserFactory()
    client.post(
        reverse("accounts:login"), {"username": user.email, "password": "geheim-wachtwoord-123"}
    )
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_idle_session_is_logged_out(client, settings):
    settings.KPO_SESSION_IDLE_TIMEOUT = 600
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:profile")).status_code == 200
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = time.time() - 601
    session.save()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_password_rules_are_strong(settings):
    validators = {v["NAME"].rsplit(".", 1)[-1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 12
    assert "CommonPasswordValidator" in validators


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/media/profiles/x.svg", "image/svg+xml"), ("/documents/1/x.html", "text/html")],
)
def test_uploaded_active_content_is_never_rendered_inline(rf, path, content_type):
    from django.http import HttpResponse

    from kpo.security.middleware import SecurityHeadersMiddleware

    def serve(request):
        return HttpResponse(b"<svg onload='alert(1)'/>", content_type=content_type)

    response = SecurityHeadersMiddleware(serve)(rf.get(path))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_downloads_elsewhere_get_a_sandbox_policy(rf):
    from django.http import HttpResponse

    from kpo.security.middleware import SecurityHeadersMiddleware

    def serve(request):
        response = HttpResponse(b"%PDF", content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="a.pdf"'
        return response

    response = SecurityHeadersMiddleware(serve)(rf.get("/communities/x/bestanden/1/"))
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "application/pdf"


def test_session_authenticated_api_writes_need_csrf():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/api/v1/me")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
