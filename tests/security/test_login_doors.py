"""The door matrix of the lock-out: every route that takes a password or starts a password reset,
found from the URL resolver, refuses a locked identity. A new door fails this test until it is
added to DOORS (and so checked)."""

from __future__ import annotations

import pytest
from django.contrib.auth.views import LoginView, PasswordResetView
from django.urls import URLPattern, URLResolver, get_resolver

from kpo.notifications.models import EmailOutbox
from kpo.security.lockout import lockout_register_failure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"

# route -> kind ("login": takes a password; "reset": sends a reset mail; "off": switched off;
# "session": token management that takes no password and needs an existing authenticated
# session or token, so credentials alone open nothing). The Django admin is gone on purpose
# (tests/doors/test_login_doors.py::test_the_django_admin_is_gone).
DOORS = {
    "account/inloggen/": "login",
    "admin/login/": "login",
    "_util/login/": "login",  # Wagtail's front-end login for private pages
    "api/v1/auth/token": "login",
    "api/v1/auth/tokens": "session",  # list the caller's tokens (knox)
    "api/v1/auth/tokens/<str:token_key>": "session",  # revoke one of the caller's tokens
    "account/wachtwoord-vergeten/": "reset",
    "admin/password_reset/": "off",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _is_door(route: str, entry: URLPattern) -> bool:
    view_class = getattr(entry.callback, "view_class", None) or getattr(entry.callback, "cls", None)
    if isinstance(view_class, type):
        if issubclass(view_class, (LoginView, PasswordResetView)):
            return True
        name = view_class.__name__.lower()
        if "login" in name or ("token" in name and "auth" in route):
            return True
    # Django's admin site login is a bound method, not a class-based view.
    return getattr(entry.callback, "__name__", "") == "login"


def found_doors() -> set[str]:
    doors = set()
    for route, entry in _walk(get_resolver().url_patterns):
        if _is_door(route, entry):
            doors.add(route.replace("^", "").replace("$", ""))
    return doors


def test_every_login_door_is_in_the_matrix():
    found = found_doors()
    assert found == set(DOORS), f"new or missing login doors: {found ^ set(DOORS)}"


@pytest.mark.parametrize("route", sorted(DOORS))
def test_each_door_refuses_a_locked_identity(client, route, settings):
    staff = route.startswith("admin/")
    user = UserFactory(is_staff=staff, is_superuser=staff)
    kind = DOORS[route]
    url = "/" + route.replace("<str:token_key>", "onbekende-sleutel")
    if kind == "login":
        # Control: the door does let an unlocked user in with the right password.
        other = UserFactory(is_staff=staff, is_superuser=staff)
        control = client.post(url, {"username": other.email, "password": PASSWORD})
        if route.startswith("api/"):
            assert control.status_code == 200 and control.json().get("token"), route
        else:
            assert client.session.get("_auth_user_id") == str(other.pk), route
            client.logout()
        for _ in range(5):
            lockout_register_failure(scope="login", ident=user.email, user=user)
        response = client.post(url, {"username": user.email, "password": PASSWORD})
        assert "_auth_user_id" not in client.session, route
        assert response.status_code in (200, 400, 401, 403), route
        if route.startswith("api/"):
            assert response.status_code >= 400 and "token" not in response.json(), route
    elif kind == "session":
        # Not a password door: credentials alone (locked or not) give neither session nor token.
        for who in (UserFactory(), user):
            response = client.post(url, {"username": who.email, "password": PASSWORD})
            assert response.status_code in (401, 403), route
            assert "_auth_user_id" not in client.session, route
            assert "token" not in response.json(), route
    elif kind == "reset":
        settings.EMAIL_BACKEND = "kpo.notifications.mail.OutboxEmailBackend"
        for _ in range(3):
            lockout_register_failure(scope="password_reset", ident=user.email, user=user)
        response = client.post(url, {"email": user.email})
        assert response.status_code == 200
        assert "Te veel herstelverzoeken" in response.content.decode()
        assert not EmailOutbox.objects.filter(to=user.email).exists()
    else:
        assert client.post(url, {"email": user.email}).status_code == 404
        assert not EmailOutbox.objects.filter(to=user.email).exists()
