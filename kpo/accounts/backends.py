from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """E-mail login (case-insensitive). Demo accounts are refused where they are not allowed."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_ACCOUNTS_ALLOWED:
            return False
        return super().user_can_authenticate(user)
