"""The indexing outbox: every index change is a row written in the same transaction as the
content change, drained to the engine after commit (and every minute by Celery beat)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchOutbox(models.Model):
    class Action(models.TextChoices):
        INDEX = "index", _("Indexeren")
        DELETE = "delete", _("Verwijderen")

    doc_id = models.CharField(_("document-id"), max_length=120, db_index=True)
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.INDEX)
    version = models.BigIntegerField(
        help_text=_("Externe versie: een latere taak overschrijft nooit nieuwere gegevens.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("zoekindex-wachtrij")
        verbose_name_plural = _("zoekindex-wachtrij")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} {self.doc_id} v{self.version}"
