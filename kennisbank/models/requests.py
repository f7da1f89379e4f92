"""Kennisvragen: questions the network has no answer to yet (issue #17).

The Redactieraad turns a search that found nothing (``search.SearchQueryLog``, grouped by
normalised query and theme) into a ``KnowledgeRequest`` assigned to an ambassador. A contribution
names the request it answers (``KnowledgeRequestAnswer``); the request closes when such a document
is published (``kennisbank.services.knowledge_requests_close_for``, from the publish signal).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kennisbank.models.documents import KnowledgeDocumentPage


class KnowledgeRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "beantwoord", _("Beantwoord")

    question = models.CharField(_("kennisvraag"), max_length=300)
    query = models.CharField(
        _("zoekvraag"),
        max_length=200,
        help_text=_("De genormaliseerde zoekvraag zonder resultaat."),
    )
    theme = models.ForeignKey(
        "themes.Theme",
        verbose_name=_("thema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_count = models.PositiveIntegerField(_("aantal keer gezocht"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ambassadeur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answered_by = models.ForeignKey(
        KnowledgeDocumentPage,
        verbose_name=_("beantwoord door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("kennisvraag")
        verbose_name_plural = _("kennisvragen")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class KnowledgeRequestAnswer(models.Model):
    """A contribution names the kennisvraag it answers; publishing it closes the request."""

    request = models.ForeignKey(KnowledgeRequest, on_delete=models.CASCADE, related_name="answers")
    page = models.ForeignKey(KnowledgeDocumentPage, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("antwoord op een kennisvraag")
        verbose_name_plural = _("antwoorden op kennisvragen")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "page"], name="knowledge_request_answer_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} ← {self.page_id}"
