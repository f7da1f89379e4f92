"""Helpers for tests of any app that need a staff user inside the Wagtail admin: the one
admin-login helper of the suite (the per-app copies are gone).

from tests.security.helpers import admin_login
admin_login(client, editor)          # force_login + a verified second factor
assert client.get("/admin/").status_code == 200
"""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import totp_token


def admin_login(client, user) -> None:
    """Log ``user`` in and pass the second factor through the real verify form, with a fresh TOTP
    device (a new key each call, so a second login within the same 30 s step is no replay)."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    response = client.post(reverse("security:otp_verify"), {"token": totp_token(device)})
    assert response.status_code == 302, "second factor was not accepted"
