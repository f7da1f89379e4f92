"""Role changes that make two-factor mandatory revoke the user's API tokens at once (sessions
need no handler: ``TwoFactorMiddleware`` reads the roles on every request).

A role is gained through ``is_staff``/``is_superuser``, a staff group, or a role a pillar grants
(``kpo.security.roles.user_requires_2fa``: an active manager or moderator membership of a
community). Which models grant roles the pillars declare (``role_models`` on their AppConfig):
``kpo`` never imports a pillar.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver


def _check(user) -> None:
    from kpo.security.services import api_tokens_revoke_if_2fa_mandatory

    api_tokens_revoke_if_2fa_mandatory(user=user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="kpo_tokens_user_saved")
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= {"last_login"}):
        return
    _check(instance)


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="kpo_tokens_groups")
def user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "post_add":
        return
    if reverse:  # group.user_set.add(...)
        for user in get_user_model().objects.filter(pk__in=pk_set or []):
            _check(user)
    else:
        _check(instance)


def role_row_saved(sender, instance, **kwargs):
    """A row of a model that grants a role (``role_models`` on a pillar's AppConfig: the
    communities membership) was saved: its user may now need a second factor."""
    if instance.user_id is not None:
        _check(get_user_model().objects.filter(pk=instance.user_id).first())


def connect() -> None:
    """Follow the role-granting models the pillars declare (``SecurityConfig.ready()``)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        for label in getattr(config, "role_models", ()):
            post_save.connect(
                role_row_saved, sender=apps.get_model(label), dispatch_uid=f"kpo_tokens_{label}"
            )
