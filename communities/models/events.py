"""Community events and RSVPs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models.community import Community, CommunityContent
from kpo.core.access import PLATFORM, item_principals
from search.registry import searchable


def network_wide_q(principals: frozenset[str], *, prefix: str) -> models.Q:
    """Rows of network-wide events (through ``prefix``): readable with the platform principal."""
    if PLATFORM not in principals:
        return models.Q(pk__in=[])
    return models.Q(**{f"{prefix}community__isnull": True})


@searchable
class Event(CommunityContent):
    # Empty for a network-wide event: not bound to a community, for every professional.
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="events",
        null=True,
        blank=True,
        help_text=_("Leeg voor een netwerkbrede bijeenkomst (voor alle professionals)."),
    )
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    starts_at = models.DateTimeField(_("begint om"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt om"), null=True, blank=True)
    location = models.CharField(_("plaats"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("maximum aantal deelnemers"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # iCalendar SEQUENCE: bumped by ``event_update`` so calendars replace their copy.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(_("afgelast op"), null=True, blank=True)
    cancel_reason = models.TextField(_("reden van afgelasten"), blank=True, max_length=2000)

    search_type: ClassVar[str] = "event"

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.community is None:
            return reverse("agenda:event", args=[self.slug])
        return reverse("communities:event", args=[self.community.slug, self.slug])

    @property
    def is_network_wide(self) -> bool:
        return self.community_id is None

    # --- access rule: a network-wide event is for every professional (``platform``) --------
    def read_principals(self) -> frozenset[str]:
        if self.community_id is None:
            return frozenset({PLATFORM})
        return super().read_principals()

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        return network_wide_q(principals, prefix="") | super().principals_q(principals)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def search_document(self) -> dict[str, Any] | None:
        community = self.community
        themes = [t.slug for t in community.themes.all()] if community else []
        regions = [r.slug for r in community.regions.all()] if community else []
        return {
            "title": self.title,
            "summary": (f"Afgelast. {self.cancel_reason}" if self.is_cancelled else "")[:300]
            or self.description[:300],
            "body": f"{self.description}\n{self.location}",
            "url": self.get_absolute_url(),
            "date": self.starts_at.isoformat(),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "year": self.starts_at.year,
            "themes": themes,
            "regions": regions,
            "community": community.slug if community else "",
            "principals": sorted(item_principals(self)),
        }

    @classmethod
    def search_queryset(cls) -> QuerySet:
        return cls.objects.select_related("community").prefetch_related(
            "community__themes", "community__regions"
        )


class CalendarToken(models.Model):
    """The secret in a member's subscription URL of one community's calendar. Regenerating
    replaces it (the old URL answers 404); it stops working when the membership ends because
    the feed checks membership and the access rule on every request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="unique_calendar_token")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.community}"

    def get_absolute_url(self) -> str:
        return reverse("communities:calendar_feed", args=[self.community.slug, self.token])


class RSVP(CommunityContent):
    community_path: ClassVar[str] = "event__community__"

    class Answer(models.TextChoices):
        YES = "yes", _("Ik kom")
        NO = "no", _("Ik kom niet")
        MAYBE = "maybe", _("Misschien")
        # Set by ``rsvp_set`` when "yes" finds the event full; promoted in order of
        # ``waitlisted_at`` when a place comes free. Never chosen by the member directly.
        WAITING = "waiting", _("Op de wachtlijst")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    # Attendance at the event, checked off by an organiser (``services.attendance_set``).
    attended_at = models.DateTimeField(_("aanwezig geregistreerd"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="unique_rsvp")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_answer_display()} ({self.event})"

    def get_community(self) -> Community:
        return self.event.community  # type: ignore[return-value]

    # An answer is read like its event (network-wide events included).
    def read_principals(self) -> frozenset[str]:
        return self.event.read_principals()

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        return network_wide_q(principals, prefix="event__") | super().principals_q(principals)
