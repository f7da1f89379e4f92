"""DRF authentication with API tokens: django-rest-knox (hashed at rest, expiring), refused for
accounts whose role needs a second factor. Such accounts get no token (``api_token_create``)
and lose their tokens when they gain the role (``signal_handlers``); this check also covers a
role gained in a way no signal sees."""

from __future__ import annotations

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
