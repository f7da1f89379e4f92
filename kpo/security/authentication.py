"""DRF authentication with API tokens: django-rest-knox (hashed at rest, expiring), refused for
accounts whose role needs a second factor. Such accounts get no token (``api_token_create``)
and lose their tokens when they gain the role (``signal_handlers``); this check also covers a
role gained in a way no signal sees."""

from __future__ import annotations

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class SecondFactorTokenRefused(exceptions.AuthenticationFailed):
    default_code = "second_factor_required"


class TokenAuthentication(KnoxTokenAuthentication):
    def validate_user(self, auth_token):
        from kpo.security.roles import user_requires_2fa

        user, token = super().validate_user(auth_token)
        if user_requires_2fa(user):
            raise SecondFactorTokenRefused(
                "API-tokens gelden niet voor accounts met verplichte tweestapsverificatie."
            )
        return user, token


class TokenScheme(KnoxTokenScheme):
    """The token scheme in the OpenAPI schema (drf-spectacular matches the exact class)."""

    target_class = "kpo.security.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": (
                "`Authorization: Token kpo_…` — maak een token met POST /api/v1/auth/token of "
                "op 'Mijn API-tokens'. Verloopt na 30 dagen; niet voor beheeraccounts."
            ),
        }
