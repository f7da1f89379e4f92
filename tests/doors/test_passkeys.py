"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor, with a software authenticator
that makes real P-256 keys and signatures: registration on the set-up page, more than one per
user, and the login challenge — all verified cryptographically by the library."""

from __future__ import annotations

import re

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from tests.doors.authenticator import SoftAuthenticator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "geheim-wachtwoord-123"


def _password_login(client, user) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def _register(client, authenticator: SoftAuthenticator):
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 200, begin.content
    return client.post(
        reverse("otp_webauthn:credential-registration-complete"),
        data=authenticator.create(begin.json()),
        content_type="application/json",
    )


def _authenticate(client, authenticator: SoftAuthenticator, **kwargs):
    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == 200, begin.content
    options = begin.json()
    return options, client.post(
        reverse("otp_webauthn:credential-authentication-complete") + "?next=/admin/",
        data=authenticator.get(options, **kwargs),
        content_type="application/json",
    )


@pytest.fixture
def authenticator():
    return SoftAuthenticator(origin=settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0])


def test_staff_registers_passkeys_and_passes_the_challenge_with_one(client, authenticator):
    staff = UserFactory(is_staff=True, groups=["Redactieraad"])
    _password_login(client, staff)
    assert client.get("/admin/").status_code == 302  # pending

    # First second factor: a passkey, from the set-up page.
    setup = client.get(reverse("security:otp_setup"))
    assert b'id="passkey-registration-placeholder"' in setup.content
    registered = _register(client, authenticator)
    assert registered.status_code == 200, registered.content
    assert WebAuthnCredential.objects.filter(user=staff, confirmed=True).count() == 1
    assert client.get("/admin/").status_code == 200  # registering verified the session

    # A second one (a spare key), from the passkeys page.
    spare = SoftAuthenticator(origin=authenticator.origin)
    assert _register(client, spare).status_code == 200
    assert WebAuthnCredential.objects.filter(user=staff, confirmed=True).count() == 2
    listing = client.get(reverse("security:passkeys"))
    assert listing.status_code == 200
    assert len(listing.context["passkeys"]) == 2

    # A new login: the challenge offers the passkey and accepts a real signature from either.
    client.logout()
    _password_login(client, staff)
    challenge = client.get(reverse("security:otp_verify"))
    assert challenge.status_code == 200
    assert b'id="passkey-verification-placeholder"' in challenge.content
    options, response = _authenticate(client, spare)
    allowed = {c["id"] for c in options["allowCredentials"]}
    assert len(allowed) == 2
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    credential = WebAuthnCredential.objects.get(user=staff, credential_id=spare.credential_id)
    assert credential.sign_count == spare.sign_count


def test_a_forged_or_foreign_assertion_leaves_the_session_pending(client, authenticator):
    staff = UserFactory(is_staff=True)
    _password_login(client, staff)
    assert _register(client, authenticator).status_code == 200
    client.logout()

    _password_login(client, staff)
    _, forged = _authenticate(client, authenticator, key=ec.generate_private_key(ec.SECP256R1()))
    assert forged.status_code >= 400
    assert client.get("/admin/").status_code == 302

    # Another user's passkey does not verify this session either.
    other = UserFactory(is_staff=True)
    other_client = client.__class__()
    other_key = SoftAuthenticator(origin=authenticator.origin)
    _password_login(other_client, other)
    assert _register(other_client, other_key).status_code == 200
    _, foreign = _authenticate(client, other_key)
    assert foreign.status_code >= 400
    assert client.get("/admin/").status_code == 302


def test_a_pending_user_with_a_second_factor_cannot_add_a_passkey(client, authenticator):
    """Registering needs a verified session once the user has any second factor: a stolen
    password must not be enough to enrol the attacker's key."""
    staff = UserFactory(is_staff=True)
    _password_login(client, staff)
    assert _register(client, authenticator).status_code == 200
    client.logout()
    _password_login(client, staff)
    attacker = SoftAuthenticator(origin=authenticator.origin)
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 403
    assert WebAuthnCredential.objects.filter(user=staff).count() == 1
    assert attacker.credential_id not in {
        bytes(c.credential_id) for c in WebAuthnCredential.objects.all()
    }


def test_passkey_scripts_run_under_the_csp(client, authenticator):
    """No inline script: the configuration is a JSON data block, the code static files."""
    staff = UserFactory(is_staff=True)
    _password_login(client, staff)
    page = client.get(reverse("security:otp_setup"))
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = page.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert 'id="otp_webauthn_config"' in html
    static = re.search(r'src="([^"]*otp_webauthn_register\.js)"', html)
    assert static and static.group(1).startswith(settings.STATIC_URL)
    catalog = re.search(r'src="(/account/passkeys/jsi18n/)"', html)
    assert catalog
    assert client.get(catalog.group(1)).status_code == 200  # answers while pending
