"""Communities, membership, join requests and invitations; the access rule of community content
(``CommunityContent``)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpo.core.access import (
    PLATFORM,
    community_ids_in,
    community_principal,
    item_principals,
    staff_principal,
)
from kpo.core.reader import ReaderRowsQuerySet
from kpo.core.storage import PrivateStorage
from search.registry import searchable

# The platform moderators' principal: they read (and moderate) the content of closed communities.
PLATFORM_MODERATOR = staff_principal("moderator")


def private_storage() -> PrivateStorage:
    """The storage of community attachments: ``STORAGES["private"]`` (filesystem or S3)."""
    return PrivateStorage()


@searchable
class Community(models.Model):
    class Visibility(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Besloten")
        SECRET = "secret", _("Geheim")

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    landing_text = models.TextField(
        _("welkomsttekst"),
        blank=True,
        help_text=_("Opgemaakte tekst bovenaan de communitypagina (veilig gemaakt bij opslaan)."),
    )
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
    parent = models.ForeignKey(
        "self",
        verbose_name=_("onderdeel van"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subgroups",
        help_text=_("De community waarvan deze een subgroep is."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_type: ClassVar[str] = "community"

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

        Content of an open community is readable by every professional; content of a closed
        community by its active members and the platform moderators (``staff:moderator``, who
        moderate it: docs/decisions/0029); content of a secret community by its active members
        only. Items carry community ids, never user ids, so membership changes never require
        re-indexing.
        """
        if self.visibility == self.Visibility.OPEN:
            return frozenset({PLATFORM})
        if self.visibility == self.Visibility.CLOSED:
            return frozenset({community_principal(self.pk), PLATFORM_MODERATOR})
        return frozenset({community_principal(self.pk)})

    @classmethod
    def content_principals_q(cls, principals: frozenset[str], prefix: str = "") -> models.Q:
        """Filter for content rows that point at a community through ``prefix`` (e.g.
        ``"community__"``)."""
        q = models.Q(**{f"{prefix}pk__in": community_ids_in(principals)})
        if PLATFORM in principals:
            q |= models.Q(**{f"{prefix}visibility": cls.Visibility.OPEN})
        if PLATFORM_MODERATOR in principals:
            q |= models.Q(**{f"{prefix}visibility": cls.Visibility.CLOSED})
        return q

    # --- roles ---------------------------------------------------------------------------------
    @property
    def managers(self) -> QuerySet:
        """Users with an active manager membership."""
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(
            memberships__community=self,
            memberships__role=Membership.Role.MANAGER,
            memberships__state=Membership.State.ACTIVE,
        )

    # --- search --------------------------------------------------------------------------------
    def search_document(self) -> dict[str, Any] | None:
        """Name and public description only; a secret community is indexed for its members."""
        return {
            "title": self.name,
            "summary": self.description[:300],
            "body": self.description,
            "url": self.get_absolute_url(),
            "date": self.created_at.isoformat() if self.created_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "themes": [t.slug for t in self.themes.all()],
            "regions": [r.slug for r in self.regions.all()],
            "community": self.slug,
            "principals": sorted(item_principals(self)),
        }

    @classmethod
    def search_queryset(cls) -> QuerySet:
        return cls.objects.prefetch_related("themes", "regions")


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

    # A membership grants principals and roles: bulk writes bump the reader cache too (ADR 0033).
    objects = ReaderRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="unique_membership")
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.get_role_display()})"

    # The members directory is community content: members only for closed and secret ones.
    def read_principals(self) -> frozenset[str]:
        return self.community.content_principals()

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        return Community.content_principals_q(principals, prefix="community__")

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def can_moderate(self) -> bool:
        return self.is_active and self.role in (self.Role.MANAGER, self.Role.MODERATOR)

    @property
    def can_manage(self) -> bool:
        return self.is_active and self.role == self.Role.MANAGER


# ==================================================================================================
# Content inside a community. Every content model carries the access rule of its community:
# ``read_principals()`` is the community's ``content_principals()`` and ``principals_q`` goes
# through ``Community.content_principals_q(principals, prefix=...)``.
# ==================================================================================================


class CommunityContent(models.Model):
    """Abstract base: content that belongs to one community and shares its access rule."""

    community_path: ClassVar[str] = "community__"

    class Meta:
        abstract = True

    def get_community(self) -> Community:
        return self.community  # type: ignore[attr-defined]

    def read_principals(self) -> frozenset[str]:
        return self.get_community().content_principals()

    @classmethod
    def principals_q(cls, principals: frozenset[str]) -> models.Q:
        return Community.content_principals_q(principals, prefix=cls.community_path)


class JoinRequest(models.Model):
    """A request to join a closed community, decided by a manager (with an optional message)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("In behandeling")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Afgewezen")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    motivation = models.TextField(_("motivatie"), blank=True, max_length=2000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_message = models.TextField(_("toelichting"), blank=True, max_length=2000)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lidmaatschapsverzoek")
        verbose_name_plural = _("lidmaatschapsverzoeken")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.community} ({self.get_status_display()})"


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation by e-mail. For people without an account it waits and is claimed when a user
    with that e-mail address logs in (``services.invitation_claim_for_user``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Openstaand")
        ACCEPTED = "accepted", _("Geaccepteerd")
        REVOKED = "revoked", _("Ingetrokken")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    role = models.CharField(max_length=20, choices=Membership.Role.choices, default="member")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="community_invitations",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email", "status"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.community}"

    # --- expiry: ``KPO_INVITATION_TTL_DAYS`` after it was sent ---------------------------------
    @staticmethod
    def ttl() -> timedelta:
        return timedelta(days=settings.KPO_INVITATION_TTL_DAYS)

    @classmethod
    def expired_q(cls, now: datetime | None = None) -> models.Q:
        """Pending invitations whose time has run out (the same rule as ``is_expired``)."""
        return models.Q(
            status=cls.Status.PENDING, created_at__lte=(now or timezone.now()) - cls.ttl()
        )

    @property
    def expires_at(self) -> datetime:
        return self.created_at + self.ttl()

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def status_label(self) -> str:
        """ "Verlopen" for a pending invitation past its expiry, else the status."""
        return str(_("Verlopen")) if self.is_expired else str(self.get_status_display())
