"""Learning communities and their members.

The foundation holds just what the access rule needs: Community (with its visibility) and
Membership (role and state). Threads, replies, events and moderation build on these.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpo.core.access import PLATFORM, community_ids_in, community_principal


class Community(models.Model):
    class Visibility(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Besloten")
        SECRET = "secret", _("Geheim")

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    visibility = models.CharField(
        _("zichtbaarheid"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.OPEN,
        db_index=True,
    )
    themes = models.ManyToManyField(
        "themes.Theme", verbose_name=_("thema's"), blank=True, related_name="communities"
    )
    regions = models.ManyToManyField(
        "accounts.Region", verbose_name=_("regio's"), blank=True, related_name="communities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", args=[self.slug])

    # --- access rule: the community itself (name and description) ---------------------------
    def read_principals(self) -> frozenset[str]:
        """Open and closed communities are listed for every professional; secret ones only
        exist for their members."""
        if self.visibility == self.Visibility.SECRET:
            return frozenset({community_principal(self.pk)})
        return frozenset({PLATFORM})

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        q = models.Q(pk__in=community_ids_in(principals))
        if PLATFORM in principals:
            q |= models.Q(visibility__in=[cls.Visibility.OPEN, cls.Visibility.CLOSED])
        return q

    # --- access rule: content inside the community --------------------------------------------
    def content_principals(self) -> frozenset[str]:
        """Principals of everything posted in the community (threads, files, events, members).

        Content of an open community is readable by every professional; content of closed and
        secret communities by its active members only. Items carry community ids, never user ids,
        so membership changes never require re-indexing.
        """
        if self.visibility == self.Visibility.OPEN:
            return frozenset({PLATFORM})
        return frozenset({community_principal(self.pk)})

    @classmethod
    def content_principals_q(cls, principals: frozenset[str], prefix: str = "") -> models.Q:
        """Filter for content rows that point at a community through ``prefix`` (e.g.
        ``"community__"``)."""
        q = models.Q(**{f"{prefix}pk__in": community_ids_in(principals)})
        if PLATFORM in principals:
            q |= models.Q(**{f"{prefix}visibility": cls.Visibility.OPEN})
        return q


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Community manager")
        MODERATOR = "moderator", _("Moderator")
        MEMBER = "member", _("Lid")

    class State(models.TextChoices):
        ACTIVE = "active", _("Actief")
        INVITED = "invited", _("Uitgenodigd")
        REQUESTED = "requested", _("Aangevraagd")
        REMOVED = "removed", _("Verwijderd")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.ACTIVE, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="unique_membership")
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.get_role_display()})"
