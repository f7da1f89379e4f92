"""Security state of an account: e-mail confirmation, registration approval, inactivity warning.

A user without an ``AccountState`` row (demo accounts, accounts made by admins or factories) counts
as confirmed and approved; the row is created on registration or when first needed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountState(models.Model):
    class Approval(models.TextChoices):
        NOT_REQUIRED = "not_required", _("Niet nodig (domein van deelnemende organisatie)")
        PENDING = "pending", _("Wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Afgewezen")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie (op e-maildomein)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approval = models.CharField(
        _("goedkeuring"),
        max_length=20,
        choices=Approval.choices,
        default=Approval.NOT_REQUIRED,
        db_index=True,
    )
    email_confirmed_at = models.DateTimeField(_("e-mail bevestigd op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    inactivity_warned_at = models.DateTimeField(
        _("waarschuwing inactiviteit verstuurd op"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accountstatus")
        verbose_name_plural = _("accountstatussen")

    def __str__(self) -> str:
        return f"{self.user.email} ({self.get_approval_display()})"


class LockoutCounter(models.Model):
    """Failures and lock-out state of one identity in one lock-out scope (kpo.security.lockout).

    Kept in the database, not the cache, so the lock-out holds while Redis is down. ``ident`` is a
    hash of the identity (an e-mail address, an IP address or a user id), never the value."""

    scope = models.CharField(max_length=40)
    ident = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    level = models.PositiveIntegerField(default=0)
    level_expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("lock-outteller")
        verbose_name_plural = _("lock-outtellers")
        constraints = [
            models.UniqueConstraint(fields=["scope", "ident"], name="unique_lockout_counter")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.ident[:8]}"
