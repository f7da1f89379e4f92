"""Routed questions (issue #18): a question sent to a theme's experts with an answer deadline, the
people it was sent to, and the reminder and escalation that were sent (each once, recorded)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.models.community import Community, CommunityContent
from communities.models.posts import Thread


class CommunityRoutingDefault(models.Model):
    """A community's own default answer deadline for routed questions (days). Without a row the
    platform default ``settings.KPO_ROUTING_DEADLINE_DAYS["default"]`` applies."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="routing_default"
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("standaardtermijn voor een antwoord (dagen)")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("standaardtermijn voor doorgestuurde vragen")
        verbose_name_plural = _("standaardtermijnen voor doorgestuurde vragen")

    def __str__(self) -> str:
        return f"{self.community}: {self.deadline_days} dagen"


class QuestionRoute(CommunityContent):
    """A question routed to the experts of one theme, with its deadline. ``reminder_sent_at`` and
    ``escalated_at`` record that the reminder and the escalation went out (each at most once: the
    task claims them with a conditional update)."""

    community_path: ClassVar[str] = "thread__community__"

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="route")
    theme = models.ForeignKey(
        "themes.Theme", verbose_name=_("thema"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField(_("antwoord gewenst vóór"), db_index=True)
    remind_at = models.DateTimeField(_("herinnering op"))
    created_at = models.DateTimeField(auto_now_add=True)
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("doorgezet naar de beheerder"), null=True, blank=True)

    class Meta:
        verbose_name = _("doorgestuurde vraag")
        verbose_name_plural = _("doorgestuurde vragen")
        ordering = ["deadline"]

    def __str__(self) -> str:
        return f"{self.thread} → {self.theme} (vóór {self.deadline:%Y-%m-%d %H:%M})"

    def get_community(self) -> Community:
        return self.thread.community


class QuestionRouteRecipient(models.Model):
    """One person a routed question was sent to, and why (expert by profile, or ambassador)."""

    class Reason(models.TextChoices):
        EXPERT = "expert", _("Expert (profiel)")
        AMBASSADOR = "ambassador", _("Ambassadeur van het thema")

    route = models.ForeignKey(QuestionRoute, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routed_questions"
    )
    reason = models.CharField(_("reden"), max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gevraagde expert")
        verbose_name_plural = _("gevraagde experts")
        constraints = [
            models.UniqueConstraint(fields=["route", "user"], name="unique_route_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_reason_display()})"
