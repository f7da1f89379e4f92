"""Freshness over time: one row per theme per day with the live documents and how many of them
were "actueel" (written by the daily review cycle, read by the board's freshness dashboard)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FreshnessSnapshot(models.Model):
    date = models.DateField(_("datum"), db_index=True)
    theme = models.ForeignKey(
        "themes.Theme", on_delete=models.CASCADE, related_name="freshness_snapshots"
    )
    total = models.PositiveIntegerField(_("documenten"))
    current = models.PositiveIntegerField(_("actueel"))

    class Meta:
        verbose_name = _("actualiteitsmeting")
        verbose_name_plural = _("actualiteitsmetingen")
        ordering = ["date", "theme_id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "theme"], name="kennisbank_one_snapshot_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.theme_id}: {self.current}/{self.total}"
