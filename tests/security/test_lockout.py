"""Lock-out with back-off after repeated failed logins and password-reset requests."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kpo.audit.models import AuditEntry
from kpo.security.lockout import lockout_register_failure, lockout_remaining
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    user = UserFactory()
    for _ in range(4):
        response = _login(client, user.email, "fout-wachtwoord-000")
        assert "klopt niet" in response.content.decode()
    fifth = _login(client, user.email, "fout-wachtwoord-000")
    assert "Te veel mislukte inlogpogingen" in fifth.content.decode()
    refused = _login(client, user.email, PASSWORD)
    assert refused.status_code == 200
    assert "Te veel mislukte inlogpogingen" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="security.login_locked", target_id=str(user.pk))
    assert entry.data["scope"] == "login"


def test_lock_out_also_applies_to_the_api_token_and_admin_login(client):
    user = UserFactory()
    for _ in range(5):
        _login(client, user.email, "fout-wachtwoord-000")
    token = client.post("/api/v1/auth/token", {"username": user.email, "password": PASSWORD})
    assert token.status_code == 400
    admin_login = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert admin_login.status_code == 200


def test_back_off_doubles_the_lock_period(settings):
    settings.KPO_LOCKOUT = {
        "login": {"failures": 2, "window": 60, "base_seconds": 30, "max_seconds": 100}
    }
    ident = "iemand@gemeente.example"
    with time_machine.travel("2026-11-02 10:00:00+00:00", tick=False) as traveller:
        assert lockout_register_failure(scope="login", ident=ident) == 0
        assert lockout_register_failure(scope="login", ident=ident) == 30
        assert lockout_remaining(scope="login", ident=ident) == 30
        traveller.shift(31)  # the first lock has expired
        assert lockout_remaining(scope="login", ident=ident) == 0
        lockout_register_failure(scope="login", ident=ident)
        assert lockout_register_failure(scope="login", ident=ident) == 60
        traveller.shift(61)
        lockout_register_failure(scope="login", ident=ident)
        assert lockout_register_failure(scope="login", ident=ident) == 100  # capped
        traveller.shift(24 * 3600 + 101)  # the back-off level is forgotten after a day
        lockout_register_failure(scope="login", ident=ident)
        assert lockout_register_failure(scope="login", ident=ident) == 30


def test_successful_login_resets_the_failure_count(client):
    user = UserFactory()
    for _ in range(4):
        _login(client, user.email, "fout-wachtwoord-000")
    assert _login(client, user.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, user.email, "fout-wachtwoord-000")
    assert _login(client, user.email, PASSWORD).status_code == 302


def test_password_reset_requests_are_locked_out(client):
    user = UserFactory()
    url = reverse("security:password_reset")
    for _ in range(3):
        response = client.post(url, {"email": user.email})
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    refused = client.post(url, {"email": user.email})
    assert refused.status_code == 200
    assert "Te veel herstelverzoeken" in refused.content.decode()
    assert len(mail.outbox) == 3
    assert AuditEntry.objects.filter(
        action="security.password_reset_locked", target_id=str(user.pk)
    ).exists()


def test_password_reset_link_sets_a_strong_password(client):
    user = UserFactory()
    client.post(reverse("security:password_reset"), {"email": user.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/wachtwoord" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    post_url = form_page.redirect_chain[-1][0]
    weak = client.post(post_url, {"new_password1": "kort", "new_password2": "kort"})
    assert weak.status_code == 200
    strong = "Een-lang-en-sterk-wachtwoord-2026"
    done = client.post(post_url, {"new_password1": strong, "new_password2": strong})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(strong)


def test_wagtail_password_reset_is_switched_off(client):
    assert client.get("/admin/password_reset/").status_code == 404
