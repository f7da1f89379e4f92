"""Fixtures shared with the security tests: an own lock-out/rate-limit namespace per test and
confirmed TOTP devices."""

from tests.security.conftest import security_namespace, totp_device

__all__ = ["security_namespace", "totp_device"]
