"""Fixtures of the security tests: each test gets its own lock-out/rate-limit namespace in the
shared Redis, so counters never leak between tests or parallel runs."""

from __future__ import annotations

import uuid

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def security_namespace(settings):
    settings.KPO_SECURITY_CACHE_NAMESPACE = f"test-{uuid.uuid4().hex}"


def totp_token(device: TOTPDevice) -> str:
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


@pytest.fixture
def totp_device():
    def make(user) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    return make
