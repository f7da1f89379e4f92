"""The one audit log of the platform: who did what, when.

Entries are append-only; they are written through ``kpo.audit.services.audit_record`` (never
directly) and removed only by the retention task after ``KPO_RETENTION_DAYS["audit"]`` days.
Labels are snapshots so an entry stays readable after its actor or target is gone; account
deletion pseudonymises the labels that name the deleted person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("door (naam)"), max_length=300, blank=True)
    action = models.CharField(_("actie"), max_length=100, db_index=True)
    target_type = models.CharField(_("soort object"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("object-id"), max_length=100, blank=True, db_index=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("gegevens"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action}"
