"""Citations of legal sources, law changes and the re-assessments a change opened (ADR 0026).

``CitationBase`` is abstract: each pillar keeps its own citation rows as a child of its page
(``kennisbank.DocumentCitation``, ``academie.CourseCitation``), edited in an InlinePanel and part
of the page's revisions, so what is cited is what is live. ``LawChange`` and
``LawReassessment`` are the core's: a change is one row per (law, article, date); a
re-assessment links it to each citing page until that page's review is completed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from kpo.law import ids


class CitationBase(Orderable):
    """One cited source: a law (BWB id, optionally an article) or a ruling (ECLI)."""

    identifier = models.CharField(
        _("BWB-id of ECLI"),
        max_length=64,
        db_index=True,
        help_text=_("Bijvoorbeeld BWBR0013798 (Wet Bibob) of ECLI:NL:RVS:2019:1234."),
    )
    article = models.CharField(
        _("artikel"),
        max_length=40,
        blank=True,
        help_text=_("Alleen bij een wet; leeg voor de hele wet. Bijvoorbeeld 3 of 5:20."),
    )
    label = models.CharField(
        _("omschrijving"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: Wet Bibob."),
    )

    panels = [FieldPanel("identifier"), FieldPanel("article"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[ValidationError]] = {}
        try:
            self.identifier = ids.identifier_clean(self.identifier)
        except ValidationError as exc:
            errors["identifier"] = [exc]
        try:
            self.article = ids.article_clean(self.article)
        except ValidationError as exc:
            errors["article"] = [exc]
        if self.article and ids.is_ecli(self.identifier):
            errors["article"] = [
                ValidationError(_("Een uitspraak (ECLI) heeft geen artikelnummer."), "article")
            ]
        if errors:
            raise ValidationError(errors)

    @property
    def is_case_law(self) -> bool:
        return ids.is_ecli(self.identifier)

    @property
    def url(self) -> str:
        return ids.source_url(self.identifier, self.article)

    @property
    def display(self) -> str:
        parts = [self.label] if self.label else []
        if self.article:
            parts.append(_("artikel %(article)s") % {"article": self.article})
        text = ", ".join(str(p) for p in parts)
        return f"{text} ({self.identifier})" if text else self.identifier

    def search_keys(self) -> list[str]:
        """The keyword values the search index stores for this citation."""
        keys = [self.identifier]
        if self.article:
            keys.append(f"{self.identifier}:{self.article}")
        return keys

    def __str__(self) -> str:
        return self.display


class LawChange(models.Model):
    """A change of a law (or of one article) per an effective date, entered by a jurist or
    the board, or imported. One row per (law, article, date): entering it again changes
    nothing."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("ingevoerd")
        IMPORT = "import", _("geïmporteerd")

    bwb_id = models.CharField(_("BWB-id"), max_length=11, db_index=True)
    article = models.CharField(
        _("artikel"), max_length=40, blank=True, help_text=_("Leeg: de hele wet.")
    )
    effective_date = models.DateField(_("ingangsdatum"))
    summary = models.TextField(_("samenvatting van de wijziging"))
    source = models.CharField(
        _("herkomst"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ingevoerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("wetswijziging")
        verbose_name_plural = _("wetswijzigingen")
        ordering = ["-effective_date", "bwb_id", "article"]
        constraints = [
            models.UniqueConstraint(
                fields=["bwb_id", "article", "effective_date"], name="law_change_unique"
            )
        ]

    def __str__(self) -> str:
        where = f"{self.bwb_id} art. {self.article}" if self.article else self.bwb_id
        return f"{where} per {self.effective_date:%d-%m-%Y}"

    @property
    def url(self) -> str:
        return ids.source_url(self.bwb_id, self.article)


class LawReassessment(models.Model):
    """A law change opened the re-review of one citing page; open until that review is
    completed (the page then no longer shows "Wetswijziging per …")."""

    law_change = models.ForeignKey(
        LawChange, on_delete=models.CASCADE, related_name="reassessments"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("herbeoordeling na wetswijziging")
        verbose_name_plural = _("herbeoordelingen na wetswijziging")
        constraints = [
            models.UniqueConstraint(fields=["law_change", "page"], name="law_reassessment_unique")
        ]
        indexes = [models.Index(fields=["page", "resolved_at"], name="law_reassess_open")]

    def __str__(self) -> str:
        return f"{self.law_change} → {self.page_id}"
