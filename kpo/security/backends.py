"""Authentication with lock-out: the e-mail backend of accounts, refusing locked identities.

Every password check — our login page, Wagtail's admin login, the API token endpoint — goes
through ``django.contrib.auth.authenticate`` and so through this backend.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kpo.accounts.backends import EmailBackend
from kpo.security.ip import client_ip
from kpo.security.lockout import lockout_register_failure, lockout_remaining, lockout_reset


def login_idents(username: str | None, request) -> list[tuple[str, str]]:
    idents = [("login_ip", client_ip(request))]
    if username:
        idents.insert(0, ("login", username.strip().lower()))
    return idents


def login_lock_remaining(username: str | None, request) -> int:
    return max(
        (lockout_remaining(scope=s, ident=i) for s, i in login_idents(username, request)),
        default=0,
    )


class LockoutEmailBackend(EmailBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if login_lock_remaining(username, request):
            raise PermissionDenied("locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            target = self._existing_user(username)
            for scope, ident in login_idents(username, request):
                lockout_register_failure(scope=scope, ident=ident, user=target)
        elif username:
            lockout_reset(scope="login", ident=username.strip().lower())
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD

    @staticmethod
    def _existing_user(username: str | None):
        if not username:
            return None
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(email__iexact=username.strip()).first()
