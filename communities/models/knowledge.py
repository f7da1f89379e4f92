"""A thread taken up in the knowledge base: the link between a thread (or its accepted answer) and
the knowledge page drafted from it (issue #17, "van vraag naar kennis").

The link points at a Wagtail page, not at a kennisbank model, so communities keeps depending only
on the core: the kennisbank writes the row (``kennisbank.services.thread_knowledge_propose``), the
thread page reads it (``communities.selectors.thread_knowledge_pages``) and shows a page only once
it is live and readable by the viewer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models.posts import Reply, Thread


class ThreadKnowledgeLink(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="knowledge_links")
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("antwoord"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Het voorgestelde antwoord; leeg: het hele onderwerp."),
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    network_wide = models.BooleanField(
        _("zichtbaar voor het hele netwerk"),
        default=False,
        help_text=_(
            "Alleen bij een besloten of geheime community: de voorsteller heeft uitdrukkelijk "
            "bevestigd dat het document voor alle professionals mag gelden."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("onderwerp opgenomen in de kennisbank")
        verbose_name_plural = _("onderwerpen opgenomen in de kennisbank")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "page"], name="thread_knowledge_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.thread} → {self.page_id}"
