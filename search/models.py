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


class ReconcileRun(models.Model):
    """The result of one nightly comparison of database and index (ids, versions, content hash)."""

    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    index_name = models.CharField(_("index"), max_length=200, blank=True)
    checked = models.PositiveIntegerField(_("gecontroleerd"), default=0)
    missing = models.PositiveIntegerField(_("ontbrak in de index"), default=0)
    orphaned = models.PositiveIntegerField(_("stond ten onrechte in de index"), default=0)
    stale = models.PositiveIntegerField(_("verouderd in de index"), default=0)
    repaired = models.PositiveIntegerField(_("hersteld"), default=0)
    ok = models.BooleanField(_("geslaagd"), default=False)
    error = models.TextField(_("foutmelding"), blank=True)

    class Meta:
        verbose_name = _("indexcontrole")
        verbose_name_plural = _("indexcontroles")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Indexcontrole {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def drift(self) -> int:
        return self.missing + self.orphaned + self.stale


class SearchQueryLog(models.Model):
    """Zero- and low-result search queries, per normalised query and day, without personal data:
    no user, no session, no IP; e-mail addresses and long digit runs are removed from the text."""

    query = models.CharField(_("zoekvraag"), max_length=200)
    day = models.DateField(_("dag"))
    # The theme filter the query ran with (a theme slug), "" without one (issue #17: the
    # Redactieraad groups zero-result queries by theme).
    theme = models.CharField(_("thema"), max_length=80, blank=True, default="")
    result_count = models.PositiveIntegerField(_("aantal resultaten"), default=0)
    times = models.PositiveIntegerField(_("aantal keer gezocht"), default=0)
    last_seen = models.DateTimeField(_("laatst gezocht"), auto_now=True)

    class Meta:
        verbose_name = _("zoekvraag zonder (veel) resultaat")
        verbose_name_plural = _("zoekvragen zonder resultaat")
        ordering = ["-day", "-times"]
        constraints = [
            models.UniqueConstraint(
                fields=["query", "day", "theme"], name="search_query_log_unique_day_theme"
            )
        ]

    def __str__(self) -> str:
        return self.query


class SynonymSet(models.Model):
    """Search synonyms editors maintain. ``equivalence``: every term finds the others.
    ``expansion`` (one way): a query for one of ``terms`` also finds ``expansions``, not the
    reverse. Saving rebuilds the index behind the alias (no downtime, ADR 0010)."""

    class Kind(models.TextChoices):
        EQUIVALENCE = "equivalence", _("Gelijkwaardig (alle termen vinden elkaar)")
        EXPANSION = "expansion", _("Eenrichting (zoekterm vindt ook de uitbreidingen)")

    name = models.CharField(_("naam"), max_length=120, help_text=_("Waar gaat deze set over?"))
    kind = models.CharField(
        _("soort"), max_length=20, choices=Kind.choices, default=Kind.EQUIVALENCE
    )
    terms = models.JSONField(_("termen"), default=list, help_text=_("Bijvoorbeeld: loverboy."))
    expansions = models.JSONField(
        _("uitbreidingen"),
        default=list,
        blank=True,
        help_text=_("Alleen bij eenrichting: wat een zoekterm extra vindt."),
    )
    active = models.BooleanField(_("actief"), default=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("synoniemenset")
        verbose_name_plural = _("synoniemen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
