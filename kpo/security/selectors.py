"""Reads of account security: a user's API tokens (for "Mijn API-tokens" and the admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from knox.models import AuthToken

    from kpo.accounts.models import User


def _token_model() -> type[AuthToken]:
    from knox.models import get_token_model

    return get_token_model()


def api_token_list(*, user: User | AnonymousUser) -> QuerySet[Any]:
    """The user's live API tokens, newest first (public key, created, expiry; never a secret)."""
    return (
        _token_model()
        .objects.filter(user=user, expiry__gt=timezone.now())
        .order_by("-created")
        .only("digest", "token_key", "created", "expiry", "user_id")
    )


def api_token_list_all(*, q: str | None = None) -> QuerySet[Any]:
    """Every live API token with its owner, for platform admins."""
    qs = (
        _token_model()
        .objects.filter(expiry__gt=timezone.now())
        .select_related("user")
        .order_by("-created")
    )
    if q:
        qs = qs.filter(user__email__icontains=q)
    return qs


def passkey_list(*, user: User | AnonymousUser) -> QuerySet[Any]:
    """The user's confirmed passkeys (WebAuthn credentials)."""
    from django_otp_webauthn.utils import get_credential_model

    return get_credential_model().objects.filter(user=user, confirmed=True).order_by("created_at")
