"""Learning communities and their members.

The foundation holds just what the access rule needs: Community (with its visibility) and
Membership (role and state). Threads, replies, events and moderation build on these.
"""

from __future__ import annotations

import os
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.sanitize import html_to_text
from kpo.core.access import PLATFORM, community_ids_in, community_principal, item_principals
from search.registry import searchable


class PrivateStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT`` (read at use, so tests can point it elsewhere):
    never served directly, only by views that check the access rule."""

    @property
    def base_location(self):  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):  # type: ignore[override]
        return None


def private_storage() -> PrivateStorage:
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

    def active_members(self) -> QuerySet:
        return self.memberships.filter(state=Membership.State.ACTIVE)

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


def _invitation_token() -> str:
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
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
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


class Post(CommunityContent):
    """Abstract: the shared fields of threads and replies (author, sanitised body, moderation)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("tekst"), help_text=_("Opgeschoond HTML"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(_("verborgen door moderator"), default=False)

    class Meta:
        abstract = True

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def is_removed(self) -> bool:
        """Not shown to ordinary readers (soft-deleted or hidden by a moderator)."""
        return self.is_deleted or self.is_hidden


@searchable
class Thread(Post):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Vraag")
        DISCUSSION = "discussion", _("Discussie")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    corpus_id = models.CharField(max_length=100, blank=True, db_index=True)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.QUESTION)
    title = models.CharField(_("titel"), max_length=200)
    pinned = models.BooleanField(_("vastgezet"), default=False)
    locked = models.BooleanField(_("gesloten"), default=False)
    accepted_reply = models.ForeignKey(
        "Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    search_type: ClassVar[str] = "thread"

    class Meta:
        verbose_name = _("onderwerp")
        verbose_name_plural = _("onderwerpen")
        ordering = ["-pinned", "-last_activity_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:thread", args=[self.community.slug, self.pk])

    def search_document(self) -> dict[str, Any] | None:
        if self.is_removed:
            return None
        replies = [r.body for r in self.replies.all() if not r.is_removed]
        community = self.community
        return {
            "title": self.title,
            "summary": html_to_text(self.body)[:300],
            "body": "\n\n".join(html_to_text(t) for t in [self.body, *replies]),
            "url": self.get_absolute_url(),
            "date": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "year": self.created_at.year,
            "themes": [t.slug for t in community.themes.all()],
            "regions": [r.slug for r in community.regions.all()],
            "community": community.slug,
            "principals": sorted(item_principals(self)),
            "accepted_answer": self.accepted_reply_id is not None,
        }

    @classmethod
    def search_queryset(cls) -> QuerySet:
        return cls.objects.select_related("community").prefetch_related(
            "replies", "community__themes", "community__regions"
        )


class ThreadRevision(models.Model):
    """An earlier version of a thread, kept for moderators."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("eerdere versie van onderwerp")
        verbose_name_plural = _("eerdere versies van onderwerpen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.thread} ({self.created_at:%Y-%m-%d %H:%M})"


class Reply(Post):
    community_path: ClassVar[str] = "thread__community__"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Reactie op {self.thread}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#reactie-{self.pk}"

    def get_community(self) -> Community:
        return self.thread.community


class ReplyRevision(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("eerdere versie van reactie")
        verbose_name_plural = _("eerdere versies van reacties")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Reactie {self.reply_id} ({self.created_at:%Y-%m-%d %H:%M})"


class Reaction(models.Model):
    """A "nuttig" (useful) mark on a thread or a reply (exactly one of the two)."""

    class Kind(models.TextChoices):
        USEFUL = "nuttig", _("Nuttig")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.USEFUL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reactie (nuttig)")
        verbose_name_plural = _("reacties (nuttig)")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread", "kind"],
                condition=models.Q(reply__isnull=True),
                name="unique_thread_reaction",
            ),
            models.UniqueConstraint(
                fields=["user", "reply", "kind"],
                condition=models.Q(reply__isnull=False),
                name="unique_reply_reaction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} vindt {self.reply or self.thread} nuttig"


class Follow(CommunityContent):
    """A user follows a community (``thread`` empty: new threads) or one thread (new replies)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_follows"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="follows")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=models.Q(thread__isnull=True),
                name="unique_community_follow",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(thread__isnull=False),
                name="unique_thread_follow",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} volgt {self.thread or self.community}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"communities/{instance.community_id}/{secrets.token_hex(16)}/{filename}"


class Attachment(CommunityContent):
    """A file shared in a community. Stored under PRIVATE_MEDIA_ROOT and served only through an
    access-checked view."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="attachments")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to=_attachment_path, max_length=300)
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bestand")
        verbose_name_plural = _("bestanden")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("communities:attachment", args=[self.community.slug, self.pk])


@searchable
class Event(CommunityContent):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="events")
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

    search_type: ClassVar[str] = "event"

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:event", args=[self.community.slug, self.slug])

    def search_document(self) -> dict[str, Any] | None:
        community = self.community
        return {
            "title": self.title,
            "summary": self.description[:300],
            "body": f"{self.description}\n{self.location}",
            "url": self.get_absolute_url(),
            "date": self.starts_at.isoformat(),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "year": self.starts_at.year,
            "themes": [t.slug for t in community.themes.all()],
            "regions": [r.slug for r in community.regions.all()],
            "community": community.slug,
            "principals": sorted(item_principals(self)),
        }

    @classmethod
    def search_queryset(cls) -> QuerySet:
        return cls.objects.select_related("community").prefetch_related(
            "community__themes", "community__regions"
        )


class RSVP(CommunityContent):
    community_path: ClassVar[str] = "event__community__"

    class Answer(models.TextChoices):
        YES = "yes", _("Ik kom")
        NO = "no", _("Ik kom niet")
        MAYBE = "maybe", _("Misschien")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=5, choices=Answer.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="unique_rsvp")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_answer_display()} ({self.event})"

    def get_community(self) -> Community:
        return self.event.community


class Flag(CommunityContent):
    """A member's report of a post (thread or reply) to the moderators."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Afgehandeld")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="flags")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reden"), max_length=2000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("melding van een bericht")
        verbose_name_plural = _("meldingen van berichten")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Melding over {self.post}"

    @property
    def post(self) -> Thread | Reply:
        return self.reply or self.thread  # type: ignore[return-value]


class ModerationLog(CommunityContent):
    """Every moderation action, for accountability."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="moderation_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, db_index=True)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moderatie-actie")
        verbose_name_plural = _("moderatie-acties")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} door {self.actor} in {self.community}"
